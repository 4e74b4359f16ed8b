using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PlanningPoker.Server.Storage;

/// <summary>The room schema on SQLite (the embedded default); its migrations live in <c>Storage/Migrations/Sqlite</c>.</summary>
internal sealed class SqlitePokerDbContext(DbContextOptions<SqlitePokerDbContext> options) : PokerDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<decimal>().HaveConversion<DecimalAsTextConverter>();
        base.ConfigureConventions(configurationBuilder);
    }
}

/// <summary>
/// Decimals are TEXT in SQLite. EF's own conversion writes "5.0" for 5; this one keeps the value's scale ("5"), as
/// <see cref="RoomChange"/> writes it, so that a card's value reads back exactly as the domain made it.
/// </summary>
internal sealed class DecimalAsTextConverter() : ValueConverter<decimal, string>(
    d => ToText(d),
    s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))
{
    public static string ToText(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the host.</summary>
internal sealed class SqlitePokerDbContextDesignFactory : IDesignTimeDbContextFactory<SqlitePokerDbContext>
{
    public SqlitePokerDbContext CreateDbContext(string[] args) =>
        new(PokerDbContext.UseModelServices(new DbContextOptionsBuilder<SqlitePokerDbContext>()).UseSqlite("Data Source=design-time.db").Options);
}
