using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PlanningPoker.Server.Storage;

/// <summary>The room schema on PostgreSQL (cluster mode); its migrations live in <c>Storage/Migrations/Postgres</c>.</summary>
internal sealed class PostgresPokerDbContext(DbContextOptions<PostgresPokerDbContext> options) : PokerDbContext(options);

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without starting the host (no server is contacted).</summary>
internal sealed class PostgresPokerDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresPokerDbContext>
{
    public PostgresPokerDbContext CreateDbContext(string[] args) =>
        new(PokerDbContext.UseModelServices(new DbContextOptionsBuilder<PostgresPokerDbContext>()).UseNpgsql("Host=localhost;Database=planning_poker").Options);
}
