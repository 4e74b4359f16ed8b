using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>What <c>AddRoomStorage</c> does with the configuration it finds.</summary>
[Trait("Category", "Integration")]
public sealed class StorageWiringTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public Task Start_WithoutConfiguration_MigratesASqliteFileUnderTheContentRoot() => InTemporaryRootAsync(async root =>
    {
        var host = Build(root, []);

        await host.StartAsync(Cancel);
        var loaded = await host.Services.GetRequiredService<IRoomStore>().LoadAsync("t-missing", Cancel);
        await StoreFixture.StopAsync(host);

        Assert.Null(loaded);
        Assert.True(File.Exists(Path.Combine(root, "data", "planning-poker.db")));
    });

    [Fact]
    public Task SqliteConnections_CommitDurably_CheckpointAfter10000WalPages_AndCache8MiB() => InTemporaryRootAsync(async root =>
    {
        var host = Build(root, []);
        await host.StartAsync(Cancel);

        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>().CreateDbContextAsync(Cancel))
        {
            await db.Database.OpenConnectionAsync(Cancel);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
            Assert.Equal("2", await PragmaAsync(connection, "synchronous")); // FULL
            Assert.Equal("10000", await PragmaAsync(connection, "wal_autocheckpoint"));
            Assert.Equal("-8192", await PragmaAsync(connection, "cache_size")); // KiB
        }

        await StoreFixture.StopAsync(host);
    });

    [Fact]
    public Task Contexts_ComeFromAPool_AndWhatACallerSetOnOneDoesNotOutliveIt() => InTemporaryRootAsync(async root =>
    {
        var host = Build(root, []);
        var contexts = host.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>();
        PokerDbContext first;
        int? defaultTimeout;
        await using (first = await contexts.CreateDbContextAsync(Cancel))
        {
            defaultTimeout = first.Database.GetCommandTimeout();
            first.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        }

        await using var second = await contexts.CreateDbContextAsync(Cancel);

        Assert.Same(first, second);
        Assert.Equal(defaultTimeout, second.Database.GetCommandTimeout());
        await ((IAsyncDisposable)host).DisposeAsync();
    });

    [Fact]
    public async Task Start_PostgresWithoutConnectionString_FailsValidation()
    {
        var host = Build(Path.GetTempPath(), new() { ["Storage:Provider"] = "Postgres" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancel));

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    [Fact]
    public async Task Start_BatchSizeOutOfRange_FailsValidation()
    {
        var host = Build(Path.GetTempPath(), new() { ["Storage:MaxBatchSize"] = "0" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancel));

        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    [Fact]
    public async Task Start_BusyTimeoutNotUnderAThirdOfTheGrainCallTimeout_FailsValidation()
    {
        var host = Build(Path.GetTempPath(), new() { ["Storage:BusyTimeout"] = "00:00:10" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancel));

        Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    /// <summary>Runs <paramref name="test"/> with a fresh content root, deleted afterwards (SQLite's pooled connections closed first).</summary>
    private static async Task InTemporaryRootAsync(Func<string, Task> test)
    {
        var root = Directory.CreateTempSubdirectory("poker-wiring-").FullName;
        try
        {
            await test(root);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<string?> PragmaAsync(SqliteConnection connection, string pragma)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return Convert.ToString(await command.ExecuteScalarAsync(Cancel), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IHost Build(string contentRoot, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddRoomStorage();
        return builder.Build();
    }
}
