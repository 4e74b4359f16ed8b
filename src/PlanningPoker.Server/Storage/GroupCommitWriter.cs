using System.Data.Common;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PlanningPoker.Server.Observability;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// The one writer of the store. Callers queue <see cref="RoomChange"/>s; the writer takes everything queued (up to
/// <see cref="StorageOptions.MaxBatchSize"/>), writes it in one transaction, commits, and only then completes each
/// caller's task. One commit (one fsync) serves many rooms, and SQLite, which has a single writer, never sees two
/// writers of ours compete for its lock.
/// </summary>
/// <remarks>
/// A conflict in one room fails only that room's change: every change's <c>rooms</c> row is written first, and the
/// child rows only of the changes whose row matched, so a conflicting change has written nothing when it is left out.
/// A failure for want of the database (unreachable, locked past <see cref="StorageOptions.BusyTimeout"/>) fails the batch
/// and everything queued meanwhile with <see cref="StorageUnavailableException"/>, unwritten: trying again at once would
/// only make each caller wait as long again. Any other failure rolls the whole batch back and the writer retries each
/// change in a transaction of its own, so a bad change cannot fail the others.
/// <para>
/// A COMMIT that fails (on PostgreSQL, its reply may be lost although the server committed) does not decide the outcome:
/// the writer reads the stored version of every room the batch wrote. All at the batch's versions: it committed, and the
/// callers succeed. Otherwise it did not, and they fail. If even that read fails until <see cref="StorageOptions.BusyTimeout"/>
/// has passed, they fail with <see cref="StorageUnavailableException.OutcomeUnknown"/>.
/// </para>
/// </remarks>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private static readonly string[] ParameterNames = [.. Enumerable.Range(0, 32).Select(i => $"@p{i}")];

    private readonly PokerDbContextFactory _contexts;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _busyTimeout;
    private readonly StorageOutage _outage;
    private readonly ILogger _logger;
    private readonly Channel<RoomChange> _queue = Channel.CreateUnbounded<RoomChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private PokerDbContext? _db;
    private DbConnection? _connection;

    public GroupCommitWriter(PokerDbContextFactory contexts, int maxBatchSize, TimeSpan busyTimeout, StorageOutage outage, ILogger logger)
    {
        _contexts = contexts;
        _maxBatchSize = maxBatchSize;
        _busyTimeout = busyTimeout;
        _outage = outage;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a change; the task completes when it has committed, or fails with the reason it did not.</summary>
    public Task WriteAsync(RoomChange change, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(change))
        {
            throw new ObjectDisposedException(nameof(RoomStore), "The room store is shut down.");
        }

        return cancellationToken.CanBeCanceled ? change.Completion.WaitAsync(cancellationToken) : change.Completion;
    }

    /// <summary>Stops taking changes, writes those already queued, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await CloseAsync();
    }

    private async Task RunAsync()
    {
        var batch = new List<RoomChange>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }

            try
            {
                await WriteBatchAsync(batch);
            }
#pragma warning disable CA1031 // The loop must survive anything, or every later save would wait forever.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.WriterFailed(_logger, e);
                foreach (var change in batch)
                {
                    change.Failed(e);
                }
            }

            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<RoomChange> batch)
    {
        try
        {
            await CommitAsync(batch);
            _outage.Succeeded();
            return;
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e))
        {
            await CloseAsync();
            _outage.Failed(e);
            var unavailable = Unavailable(e);
            foreach (var change in batch)
            {
                change.Failed(unavailable);
            }

            // What queued while this attempt waited would most likely wait as long again in vain: it fails now, unwritten,
            // so that every caller hears within about one BusyTimeout. The next change queued tries the database again.
            var unwritten = new StorageUnavailableException("The room database is unavailable: the change was not stored.", e);
            while (_queue.Reader.TryRead(out var queued))
            {
                queued.Failed(unwritten);
            }

            return;
        }
#pragma warning disable CA1031 // Reported to the callers whose change failed, below.
        catch (Exception e) when (batch.Count > 1)
#pragma warning restore CA1031
        {
            Log.BatchFailed(_logger, batch.Count, e);
            await CloseAsync();
        }
        catch (Exception e)
        {
            Log.ChangeFailed(_logger, batch[0].RoomId, batch[0].Version, e);
            await CloseAsync();
            batch[0].Failed(e);
            return;
        }

        // The batch failed as a whole: find the culprit by writing each change on its own.
        foreach (var change in batch)
        {
            try
            {
                await CommitAsync([change]);
            }
#pragma warning disable CA1031 // Reported to the caller.
            catch (Exception e)
#pragma warning restore CA1031
            {
                await CloseAsync();
                if (StorageFaults.IsUnavailable(e))
                {
                    _outage.Failed(e);
                    change.Failed(Unavailable(e));
                }
                else
                {
                    Log.ChangeFailed(_logger, change.RoomId, change.Version, e);
                    change.Failed(e);
                }
            }
        }
    }

    private static StorageUnavailableException Unavailable(Exception e) =>
        e as StorageUnavailableException ?? new StorageUnavailableException("The room database is unavailable: the change was not stored.", e);

    private async Task CommitAsync(List<RoomChange> batch)
    {
        var clock = Stopwatch.StartNew();
        var connection = await OpenAsync();

        // Rooms in a stable order (a room's own changes keep theirs): two nodes writing the same rooms on PostgreSQL
        // then lock them in the same order and cannot deadlock.
        var changes = batch.Count == 1 ? batch : [.. batch.OrderBy(c => c.RoomId, StringComparer.Ordinal)];
        var accepted = new bool[changes.Count];
        var rows = new List<SqlStatement>();

        Exception? commitFailed = null;

        // Through EF Core, so that transaction interceptors see the COMMIT (the tests lose its reply on purpose).
        await using (var transaction = await _db!.Database.BeginTransactionAsync())
        {
            var dbTransaction = transaction.GetDbTransaction();
            var touched = await ExecuteAsync(connection, dbTransaction, [.. changes.Select(c => c.Guard)]);
            for (var i = 0; i < changes.Count; i++)
            {
                accepted[i] = touched[i] == 1;
                if (accepted[i])
                {
                    rows.AddRange(changes[i].Statements);
                }
            }

            await ExecuteAsync(connection, dbTransaction, rows);
            try
            {
                await transaction.CommitAsync();
            }
#pragma warning disable CA1031 // The stored versions decide below; the exception is rethrown or wrapped there.
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                commitFailed = e;
            }
        }

        if (commitFailed is not null)
        {
            await CloseAsync();
            await ConfirmCommittedAsync(changes, accepted, commitFailed);
        }

        var conflicts = 0;
        for (var i = 0; i < changes.Count; i++)
        {
            if (accepted[i])
            {
                changes[i].Committed();
            }
            else
            {
                conflicts++;
                Log.Conflict(_logger, changes[i].RoomId, changes[i].Version);
                changes[i].Conflicted();
            }
        }

        Log.BatchCommitted(_logger, changes.Count, rows.Count + changes.Count, conflicts, clock.Elapsed.TotalMilliseconds);
        PokerMetrics.BatchCommitted(changes.Count, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// After a COMMIT that failed: returns if the batch committed after all (every room it wrote is at the batch's version),
    /// throws otherwise. The COMMIT's own exception is rethrown when the batch did not commit and the database was not the
    /// trouble, so that the writer looks for the bad change as for any other failure.
    /// </summary>
    private async Task ConfirmCommittedAsync(List<RoomChange> changes, bool[] accepted, Exception commitFailed)
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < changes.Count; i++)
        {
            if (accepted[i])
            {
                expected[changes[i].RoomId] = Math.Max(expected.GetValueOrDefault(changes[i].RoomId, long.MinValue), changes[i].Version);
            }
        }

        if (expected.Count == 0)
        {
            return; // only conflicts: nothing was to be written
        }

        var clock = Stopwatch.StartNew();
        Dictionary<string, long> stored;
        while (true)
        {
            try
            {
                await using var db = _contexts.CreateDbContext();
                var ids = expected.Keys.ToList();
                stored = await db.Rooms.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Version);
                break;
            }
            catch (Exception e) when (StorageFaults.IsUnavailable(e))
            {
                if (clock.Elapsed >= _busyTimeout)
                {
                    Log.CommitReplyLost(_logger, changes.Count, "cannot be told: the versions could not be read");
                    throw new StorageUnavailableException(
                        "The COMMIT got no reply and the stored versions could not be read: the change may have been stored.", commitFailed)
                    {
                        OutcomeUnknown = true,
                    };
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }

        var committed = expected.Count(e => stored.TryGetValue(e.Key, out var version) && version == e.Value);
        if (committed == expected.Count)
        {
            Log.CommitReplyLost(_logger, changes.Count, "committed");
            return;
        }

        var unknown = committed > 0 || expected.Any(e => stored.TryGetValue(e.Key, out var version) && version > e.Value);
        Log.CommitReplyLost(_logger, changes.Count, unknown ? "cannot be told: another writer moved a room on" : "did not commit");
        if (!unknown && !StorageFaults.IsUnavailable(commitFailed))
        {
            ExceptionDispatchInfo.Throw(commitFailed);
        }

        throw new StorageUnavailableException(
            unknown ? "The COMMIT got no reply and its outcome cannot be told: the change may have been stored." : "The COMMIT failed: the change was not stored.",
            commitFailed)
        {
            OutcomeUnknown = unknown,
        };
    }

    /// <summary>Runs statements in order; returns how many rows each touched.</summary>
    private async Task<int[]> ExecuteAsync(DbConnection connection, DbTransaction transaction, List<SqlStatement> statements)
    {
        var touched = new int[statements.Count];
        if (statements.Count == 0)
        {
            return touched;
        }

        if (connection.CanCreateBatch)
        {
            // PostgreSQL: the whole list in one round trip.
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var statement in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Sql;
                for (var i = 0; i < statement.Args.Length; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = ParameterNames[i];
                    parameter.Value = statement.Args[i] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync();
            for (var i = 0; i < statements.Count; i++)
            {
                touched[i] = batch.BatchCommands[i].RecordsAffected;
            }

            return touched;
        }

        // SQLite: in-process, so one statement at a time costs nothing extra; each statement is prepared once.
        for (var s = 0; s < statements.Count; s++)
        {
            var statement = statements[s];
            var command = Prepared(connection, statement);
            command.Transaction = transaction;
            for (var i = 0; i < statement.Args.Length; i++)
            {
                command.Parameters[i].Value = statement.Args[i] ?? DBNull.Value;
            }

            touched[s] = await command.ExecuteNonQueryAsync();
        }

        return touched;
    }

    private DbCommand Prepared(DbConnection connection, SqlStatement statement)
    {
        if (!_commands.TryGetValue(statement.Sql, out var command))
        {
            command = connection.CreateCommand();
#pragma warning disable CA2100 // The text is one of the constants in Sql; values are parameters.
            command.CommandText = statement.Sql;
#pragma warning restore CA2100
            for (var i = 0; i < statement.Args.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = ParameterNames[i];
                command.Parameters.Add(parameter);
            }

            _commands.Add(statement.Sql, command);
        }

        return command;
    }

    private async Task<DbConnection> OpenAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        await CloseAsync();
        _db = _contexts.CreateDbContext();
        await _db.Database.OpenConnectionAsync();
        _connection = _db.Database.GetDbConnection();
        return _connection;
    }

    private async Task CloseAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        _commands.Clear();
        _connection = null;
        if (_db is not null)
        {
            await _db.DisposeAsync();
            _db = null;
        }
    }
}
