using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// Creates the <see cref="PokerDbContext"/> of the configured provider. The provider is read from
/// <see cref="StorageOptions"/> when the first context is made, not when services are registered, so that
/// <c>services.AddRoomStorage()</c> needs no configuration in hand. Contexts come from a pool (EF Core's
/// <see cref="PooledDbContextFactory{TContext}"/>): a new one would build its own set of EF's scoped services each time,
/// a cost every room load, read and query paid (a room's first load was the join path's largest allocation).
/// </summary>
internal sealed class PokerDbContextFactory : IDbContextFactory<PokerDbContext>
{
    private readonly Lazy<Func<PokerDbContext>> _create;
    private readonly IInterceptor[] _interceptors;

    /// <param name="options">The storage options.</param>
    /// <param name="environment">Where the default SQLite file goes (its content root).</param>
    /// <param name="interceptors">EF Core interceptors registered as <see cref="IInterceptor"/> services, added to every context (the tests inject faults with them).</param>
    public PokerDbContextFactory(IOptions<StorageOptions> options, IHostEnvironment? environment = null, IEnumerable<IInterceptor>? interceptors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        Provider = o.Provider;
        ConnectionString = ResolveConnectionString(o, environment?.ContentRootPath ?? AppContext.BaseDirectory);
        _interceptors = [.. interceptors ?? []];
        _create = new Lazy<Func<PokerDbContext>>(() => Build(o));
    }

    /// <summary>The configured provider.</summary>
    public StorageProvider Provider { get; }

    /// <summary>The connection string in use (the SQLite default filled in).</summary>
    public string ConnectionString { get; }

    public PokerDbContext CreateDbContext() => _create.Value();

    /// <summary>The configured connection string, or the SQLite file under the content root when there is none.</summary>
    internal static string ResolveConnectionString(StorageOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        return options.Provider == StorageProvider.Sqlite
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(contentRoot, "data", "planning-poker.db") }.ToString()
            : throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), ["Storage:ConnectionString is required with the Postgres provider."]);
    }

    private Func<PokerDbContext> Build(StorageOptions options)
    {
        switch (Provider)
        {
            case StorageProvider.Sqlite:
                CreateDataDirectory(ConnectionString);
                var sqlite = PokerDbContext.UseModelServices(new DbContextOptionsBuilder<SqlitePokerDbContext>())
                    .UseSqlite(WithSqliteTimeout(ConnectionString))
                    .AddInterceptors([new SqlitePragmas(options.BusyTimeout), .. _interceptors])
                    .Options;
                var sqlitePool = new PooledDbContextFactory<SqlitePokerDbContext>(sqlite);
                return sqlitePool.CreateDbContext;
            case StorageProvider.Postgres:
                var postgres = PokerDbContext.UseModelServices(new DbContextOptionsBuilder<PostgresPokerDbContext>())
                    .UseNpgsql(WithPostgresTimeouts(WithAutoPrepare(ConnectionString), options.BusyTimeout))
                    .AddInterceptors(_interceptors)
                    .Options;
                var postgresPool = new PooledDbContextFactory<PostgresPokerDbContext>(postgres);
                return postgresPool.CreateDbContext;
            default:
                throw new InvalidOperationException($"Unknown storage provider {Provider}.");
        }
    }

    /// <summary>
    /// Microsoft.Data.Sqlite retries a busy statement on its own until the command timeout (whole seconds, 30 by default)
    /// has passed, on top of SQLite's <c>busy_timeout</c>, which already waits <see cref="StorageOptions.BusyTimeout"/>: a
    /// lock held by another process then cost 30 s, racing the grain call timeout. One second, the least that does not mean
    /// "forever", ends its retries after SQLite's own wait, so a busy database fails after about BusyTimeout (at least 1 s).
    /// </summary>
    internal static string WithSqliteTimeout(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 1 }.ToString();

    /// <summary>
    /// Connecting and each command wait at most <see cref="StorageOptions.BusyTimeout"/> (whole seconds, at least 1), not
    /// Npgsql's 15 s and 30 s, which race the grain call timeout. A connection string that sets them wins.
    /// </summary>
    internal static string WithPostgresTimeouts(string connectionString, TimeSpan busyTimeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var seconds = (int)Math.Max(1, Math.Ceiling(busyTimeout.TotalSeconds));
#pragma warning disable CA1841 // As in WithAutoPrepare: Keys lists the keywords that were set.
        if (!builder.Keys.Contains("Timeout"))
        {
            builder.Timeout = seconds;
        }

        if (!builder.Keys.Contains("Command Timeout"))
        {
            builder.CommandTimeout = seconds;
        }
#pragma warning restore CA1841

        return builder.ToString();
    }

    /// <summary>
    /// The writer sends the same few statements over and over: letting Npgsql prepare them saves PostgreSQL from
    /// parsing and planning each one again. A connection string that says otherwise wins.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
#pragma warning disable CA1841 // Npgsql's ContainsKey says whether a keyword exists, not whether it was set: Keys lists those set.
        if (!builder.Keys.Contains("Max Auto Prepare"))
#pragma warning restore CA1841
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ToString();
    }

    private static void CreateDataDirectory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var file = builder.DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}

/// <summary>
/// Sets the per-connection SQLite pragmas each time a connection opens: <c>synchronous=FULL</c> (a commit is on disk
/// before it is acknowledged, even across a power cut), a busy timeout, how much WAL a commit lets grow before it
/// checkpoints (<see cref="WalPagesBeforeCheckpoint"/>) and the page cache (<see cref="CacheKibibytes"/>). WAL is a
/// property of the file, set once by <see cref="StorageMigrator"/>.
/// </summary>
internal sealed class SqlitePragmas(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    /// <summary>
    /// WAL pages (4 KiB each: 40 MiB) after which the committing connection copies the WAL back into the database.
    /// With SQLite's default, 1,000, the writer checkpointed every few group commits under load, each time reading
    /// back and rewriting the pages since the last one and syncing the file. The room rows and index pages a workshop
    /// rewrites again and again are copied once per checkpoint, so fewer checkpoints copy fewer pages in all; the
    /// cost is a larger WAL file next to the database, and a longer replay after a crash.
    /// </summary>
    internal const int WalPagesBeforeCheckpoint = 10_000;

    /// <summary>
    /// Each connection's page cache, in KiB (8 MiB; SQLite's default is 2 MiB). A group commit under load touches a few
    /// hundred pages of the room, vote and round tables and their indexes; with 2 MiB the writer read back from the WAL
    /// and the file, with one system call per page, pages it had just written (about 40 reads per commit at saturation,
    /// 6 with 8 MiB; strace, 2026-12-02). The cache fills only with pages a connection reads.
    /// </summary>
    internal const int CacheKibibytes = 8 * 1024;

    private readonly string _sql = string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA wal_autocheckpoint={WalPagesBeforeCheckpoint}; PRAGMA cache_size=-{CacheKibibytes};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
