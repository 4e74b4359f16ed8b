using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// A database for one test class, and hosts that run the real storage wiring (<c>AddRoomStorage</c>, migrations at
/// start) against it. <see cref="Store"/> is shared by the class's tests; every test uses its own room ids.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private IHost? _host;

    /// <summary>Why the provider cannot be tested here, or null.</summary>
    public string? SkipReason { get; protected set; }

    public abstract StorageProvider Provider { get; }

    /// <summary>The connection string of this fixture's own database.</summary>
    public string ConnectionString { get; protected set; } = "";

    /// <summary>The shared store; skips the calling test when the provider is unavailable.</summary>
    public IRoomStore Store
    {
        get
        {
            if (SkipReason is not null)
            {
                Assert.Skip(SkipReason);
            }

            return _host!.Services.GetRequiredService<IRoomStore>();
        }
    }

    /// <summary>The shared host's services.</summary>
    public IServiceProvider Services => _host!.Services;

    /// <summary>A connection string on which this provider cannot reach any database (a closed port, a missing file).</summary>
    public abstract string UnreachableConnectionString { get; }

    /// <summary>A store on <paramref name="connectionString"/> with no host: nothing is migrated or checked first.</summary>
    public IRoomStore DetachedStore(string connectionString, TimeSpan busyTimeout)
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }

        var options = Options.Create(new StorageOptions { Provider = Provider, ConnectionString = connectionString, BusyTimeout = busyTimeout });
        return new RoomStore(new PokerDbContextFactory(options), options, TimeProvider.System, NullLogger<RoomStore>.Instance);
    }

    /// <summary>Starts a host of its own on the same database (migrations run again, and find nothing to do).</summary>
    public async Task<IHost> StartHostAsync(int? maxBatchSize = null, Action<IServiceCollection>? services = null)
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = Path.GetTempPath(),
            DisableDefaults = true,
        });
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = Provider.ToString(),
            ["Storage:ConnectionString"] = ConnectionString,
        };
        if (maxBatchSize is { } size)
        {
            settings["Storage:MaxBatchSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddRoomStorage();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    /// <summary>Stops a host and disposes it (asynchronously: the store finishes its queued writes).</summary>
    public static async Task StopAsync(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        await host.StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    public async ValueTask InitializeAsync()
    {
        await CreateDatabaseAsync();
        if (SkipReason is null)
        {
            _host = await StartHostAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await StopAsync(_host);
        }

        if (SkipReason is null)
        {
            await DropDatabaseAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Makes a fresh, empty database, or sets <see cref="SkipReason"/>.</summary>
    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();
}

/// <summary>A temporary SQLite file, deleted afterwards.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("poker-storage-").FullName;

    public override StorageProvider Provider => StorageProvider.Sqlite;

    /// <summary>A file that does not exist, opened without the right to create it.</summary>
    public override string UnreachableConnectionString =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "missing.db"), Mode = SqliteOpenMode.ReadWrite }.ToString();

    protected override Task CreateDatabaseAsync()
    {
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "rooms.db") }.ToString();
        return Task.CompletedTask;
    }

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A fresh PostgreSQL database on the server named by <c>POKER_TEST_POSTGRES</c> (its database name is used as a
/// prefix), dropped afterwards. Without the variable or a reachable server, the tests are skipped.
/// </summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    public const string Variable = "POKER_TEST_POSTGRES";

    private string? _maintenance;
    private string? _database;

    public override StorageProvider Provider => StorageProvider.Postgres;

    /// <summary>The configured server's credentials, on a local port where nothing listens.</summary>
    public override string UnreachableConnectionString =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = ClosedPort(), Pooling = false }.ToString();

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override async Task CreateDatabaseAsync()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            SkipReason = $"PostgreSQL not reachable: {Variable} is not set (e.g. Host=127.0.0.1;Username=poker;Password=poker;Database=poker_test)";
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(configured);
        _database = $"{builder.Database ?? "poker_test"}_{Guid.NewGuid():N}".ToLowerInvariant();
        _maintenance = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Timeout = 5, Pooling = false }.ToString();
        try
        {
            await using var connection = new NpgsqlConnection(_maintenance);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            SkipReason = $"PostgreSQL not reachable: {e.Message}";
            return;
        }

        builder.Database = _database;
        ConnectionString = builder.ToString();
    }

    protected override async Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
