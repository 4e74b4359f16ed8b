using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

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
/// Any other failure rolls the whole batch back and the writer retries each change in a transaction of its own, so a
/// bad change cannot fail the others.
/// </remarks>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private static readonly string[] ParameterNames = [.. Enumerable.Range(0, 32).Select(i => $"@p{i}")];

    private readonly PokerDbContextFactory _contexts;
    private readonly int _maxBatchSize;
    private readonly ILogger _logger;
    private readonly Channel<RoomChange> _queue = Channel.CreateUnbounded<RoomChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private PokerDbContext? _db;
    private DbConnection? _connection;

    public GroupCommitWriter(PokerDbContextFactory contexts, int maxBatchSize, ILogger logger)
    {
        _contexts = contexts;
        _maxBatchSize = maxBatchSize;
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
                Log.ChangeFailed(_logger, change.RoomId, change.Version, e);
                await CloseAsync();
                change.Failed(e);
            }
        }
    }

    private async Task CommitAsync(List<RoomChange> batch)
    {
        var clock = Stopwatch.StartNew();
        var connection = await OpenAsync();

        // Rooms in a stable order (a room's own changes keep theirs): two nodes writing the same rooms on PostgreSQL
        // then lock them in the same order and cannot deadlock.
        var changes = batch.Count == 1 ? batch : [.. batch.OrderBy(c => c.RoomId, StringComparer.Ordinal)];
        var accepted = new bool[changes.Count];
        var rows = new List<SqlStatement>();

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var touched = await ExecuteAsync(connection, transaction, [.. changes.Select(c => c.Guard)]);
            for (var i = 0; i < changes.Count; i++)
            {
                accepted[i] = touched[i] == 1;
                if (accepted[i])
                {
                    rows.AddRange(changes[i].Statements);
                }
            }

            await ExecuteAsync(connection, transaction, rows);
            await transaction.CommitAsync();
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
