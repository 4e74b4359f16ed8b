using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>Nodes of a cluster that start together on a fresh PostgreSQL database all migrate it, in turn.</summary>
[Trait("Category", "Postgres")]
public sealed class PostgresMigrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NodesStartingTogetherOnAFreshDatabase_AllStart_AndTheSchemaIsWhole()
    {
        var configured = Environment.GetEnvironmentVariable(PostgresStoreFixture.Variable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(configured), $"PostgreSQL not reachable: {PostgresStoreFixture.Variable} is not set");
        var maintenance = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Pooling = false }.ToString();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var database = $"poker_migrate_{Guid.NewGuid():N}";
            await ExecuteAsync(maintenance, $"CREATE DATABASE \"{database}\"");
            var connectionString = new NpgsqlConnectionStringBuilder(configured) { Database = database }.ToString();
            var hosts = Enumerable.Range(0, 3).Select(_ => Build(connectionString)).ToList();
            try
            {
                await Task.WhenAll(hosts.Select(h => h.StartAsync(Cancel)));

                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(Cancel);
                await using var count = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
                var applied = (long)(await count.ExecuteScalarAsync(Cancel))!;
                await using var db = hosts[0].Services.GetRequiredService<PokerDbContextFactory>().CreateDbContext();
                Assert.Equal(db.Database.GetMigrations().Count(), (int)applied);
            }
            finally
            {
                foreach (var host in hosts)
                {
                    await StoreFixture.StopAsync(host);
                }

                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(maintenance, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            }
        }
    }

    private static IHost Build(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath(), DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = connectionString,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddRoomStorage();
        return builder.Build();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
