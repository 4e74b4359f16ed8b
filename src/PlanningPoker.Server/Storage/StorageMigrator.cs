using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// Brings the database schema up to date when the host starts, before anything can use it.
/// </summary>
/// <remarks>
/// Ordering: the work is done in <see cref="StartingAsync"/>, which the host runs for every hosted service before it
/// calls any <see cref="IHostedService.StartAsync"/>. The Orleans silo (whose grains load and save rooms) and the web
/// server (Kestrel) both start in their <c>StartAsync</c>, so they only start once migrations are applied, whatever
/// the order in which services were registered. A failed migration fails the host's start.
/// </remarks>
internal sealed class StorageMigrator(PokerDbContextFactory contexts, ILogger<StorageMigrator> logger) : IHostedLifecycleService
{
    /// <summary>The PostgreSQL advisory lock key the nodes of one database take turns on to migrate it.</summary>
    internal const long MigrationLock = 7_201_051_204;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var db = contexts.CreateDbContext();

        // Commands wait at most Storage:BusyTimeout in service; a migration may take longer, and nobody waits on it.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var shared = contexts.Provider == StorageProvider.Postgres;
        if (shared)
        {
            // Nodes starting together on one database take turns, for the whole sequence of migrations: EF's own lock
            // covers one migration at a time, so two nodes could both apply one the other had just applied. A session
            // lock on this context's connection, held until the end (or until the connection goes, with the process).
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        }

        int pending;
        try
        {
            pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            Log.Migrating(logger, contexts.Provider, pending);
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            if (shared)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }

        if (contexts.Provider == StorageProvider.Sqlite)
        {
            // Write-ahead logging lets readers (room loads) run while the writer commits; it is remembered by the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        Log.Migrated(logger, contexts.Provider, pending, clock.ElapsedMilliseconds);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
