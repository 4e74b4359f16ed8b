using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Trackers;

/// <summary>How accepted estimates are delivered to trackers (docs/operations.md, "Trackers").</summary>
public sealed class WriteBackOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Trackers:WriteBack";

    /// <summary>How often a node looks for estimates to deliver.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a node holds a delivery before another node may take it over (a node that died mid-way).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Tries of one estimate before it is given up as failed (a facilitator may retry it).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The first wait after a transient failure; doubled each time, up to <see cref="MaxBackoff"/>, or what the tracker asked (Retry-After) when longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between tries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Estimates delivered at once by a node.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;
}

/// <summary>
/// Delivers accepted estimates to trackers from the outbox (<c>tracker_writebacks</c>, written in the accept's own
/// transaction): on every node, each row taken by one node at a time under a lease in the database, so a cluster
/// delivers each once in effect and a node that dies mid-way is relieved when its lease ends. A write is idempotent
/// (the tracker's field set to the value), so delivering again after a crash changes nothing. The room hears of the
/// outcome (<see cref="RecordWriteBack"/>) before the row is closed; a tracker that is down never delays a vote or an
/// accept, which only commit the row. Transient failures (429, 5xx, timeouts) wait Retry-After or a doubling back-off;
/// refusals fail at once with the tracker's reason, shown in the room with a retry for facilitators.
/// </summary>
internal sealed partial class WriteBackWorker(
    IDbContextFactory<PokerDbContext> contexts,
    TrackerClients clients,
    TrackerConnectionService connections,
    IGrainFactory grains,
    TimeProvider clock,
    IOptions<WriteBackOptions> options,
    ILogger<WriteBackWorker> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await ClaimAsync(o, stoppingToken);
                if (claimed.Count > 0)
                {
                    await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism, CancellationToken = stoppingToken },
                        async (row, ct) => await DeliverAsync(row, o, ct));
                    continue; // more may be due
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                Log.WorkerFailed(logger, e); // the database is away: try again at the next tick
            }

            try
            {
                await Task.Delay(o.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Takes the due rows no other node holds: each under a lease, by an update that only one node's can win.</summary>
    private async Task<List<WriteBackRow>> ClaimAsync(WriteBackOptions o, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = await db.Set<WriteBackRow>().AsNoTracking()
            .Where(w => w.State == WriteBackState.Pending && w.DueAt <= now && (w.LeaseUntil == null || w.LeaseUntil < now))
            .OrderBy(w => w.DueAt)
            .Take(o.Parallelism * 2)
            .ToListAsync(cancellationToken);
        var claimed = new List<WriteBackRow>(due.Count);
        var until = now + (long)o.Lease.TotalMilliseconds;
        foreach (var row in due)
        {
            var won = await db.Set<WriteBackRow>()
                .Where(w => w.RoomId == row.RoomId && w.StoryId == row.StoryId && w.State == WriteBackState.Pending && w.Attempts == row.Attempts
                    && w.Card == row.Card && (w.LeaseUntil == null || w.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, until).SetProperty(w => w.LeaseOwner, _owner).SetProperty(w => w.Attempts, w => w.Attempts + 1), cancellationToken);
            if (won == 1)
            {
                row.LeaseUntil = until;
                row.Attempts++;
                claimed.Add(row);
            }
        }

        return claimed;
    }

    private async Task DeliverAsync(WriteBackRow row, WriteBackOptions o, CancellationToken cancellationToken)
    {
        TrackerKind? kind = null;
        TrackerFailure? failure;
        WriteBackDone? done = null;
        try
        {
            var connection = await ConnectionOfAsync(row, cancellationToken);
            if (connection.Failure is { } refused)
            {
                failure = refused;
            }
            else
            {
                var (tracker, points) = connection.Value;
                kind = tracker.Kind;
                var written = await clients.For(tracker.Kind).WriteEstimateAsync(tracker, row.IssueKey, new EstimateToWrite(row.Card, points), cancellationToken);
                (failure, done) = (written.Failure, written.Value);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // the node stops: the lease ends, another node (or this one, restarted) delivers it
        }

        if (failure is null)
        {
            if (await ReportAsync(row, WriteBackState.Written, done!.Link?.ToString(), null))
            {
                await CloseAsync(row, WriteBackState.Written, null, done.Link?.ToString(), cancellationToken);
                Log.Written(logger, row.StoryId, kind!.Value, done.Field);
            }

            return;
        }

        if (failure.IsTransient && row.Attempts < o.MaxAttempts)
        {
            var backoff = TimeSpan.FromTicks(Math.Min(o.MaxBackoff.Ticks, o.Backoff.Ticks * (1L << Math.Min(row.Attempts - 1, 20))));
            var wait = failure.RetryAfter is { } asked && asked > backoff ? TimeSpan.FromTicks(Math.Min(asked.Ticks, TimeSpan.FromDays(1).Ticks)) : backoff;
            await RescheduleAsync(row, wait, failure.Reason, cancellationToken);
            Log.Retrying(logger, row.StoryId, row.Attempts, wait, failure.Kind, failure.Reason);
            return;
        }

        var reason = failure.IsTransient ? $"gave up after {row.Attempts} tries: {failure.Reason}" : failure.Reason;
        if (await ReportAsync(row, WriteBackState.Failed, null, reason))
        {
            await CloseAsync(row, WriteBackState.Failed, reason, null, cancellationToken);
            Log.Failed(logger, row.StoryId, failure.Kind, reason);
        }
    }

    /// <summary>The connection to write with, its secret decrypted, and the estimate's points (the card's value, else the team's mapping).</summary>
    private async Task<TrackerResult<(TrackerConnection Tracker, decimal? Points)>> ConnectionOfAsync(WriteBackRow row, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = row.ConnectionId is { } id ? await db.Set<TrackerConnectionRow>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        if (stored is null)
        {
            return TrackerResult<(TrackerConnection, decimal?)>.Fail(TrackerFailureKind.NotFound, "the connection to this tracker was removed");
        }

        var opened = connections.ConnectionOf(stored);
        if (opened.Failure is { } unreadable)
        {
            return TrackerResult<(TrackerConnection, decimal?)>.Fail(unreadable);
        }

        var points = row.CardValue ?? PointsOf(stored.PointsJson, row.Card);
        return TrackerResult<(TrackerConnection, decimal?)>.Ok((opened.Reply.Value!, points));
    }

    /// <summary>The team's points for a card that is not a number ("XL" → 13), or null.</summary>
    internal static decimal? PointsOf(string? pointsJson, string card)
    {
        if (pointsJson is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, decimal>>(pointsJson) is { } map && map.TryGetValue(card, out var points) ? points : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Tells the room; false when it cannot hear now (its node is going away): the lease ends and the delivery is done again.</summary>
    private async Task<bool> ReportAsync(WriteBackRow row, WriteBackState state, string? link, string? reason)
    {
        try
        {
            var reply = await grains.Room(row.RoomId).ReportWriteBack(new Immutable<RecordWriteBack>(new RecordWriteBack(row.StoryId, row.Card, state, link, reason)));
            return reply.IsSuccess || reply.ErrorCode is Contracts.ErrorCodes.RoomNotFound or Contracts.ErrorCodes.StoryNotFound;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            Log.RoomUnreachable(logger, row.StoryId, e.GetType().Name);
            return false;
        }
    }

    /// <summary>Closes the row if this node still holds it for the same estimate (a new accept meanwhile queued it again).</summary>
    private async Task CloseAsync(WriteBackRow row, WriteBackState state, string? reason, string? link, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var at = clock.GetUtcNow();
        await Held(db, row).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.State, state).SetProperty(w => w.LastError, TrackerHttp.Reason(reason)).SetProperty(w => w.Link, link)
            .SetProperty(w => w.DoneAt, at).SetProperty(w => w.LeaseUntil, (long?)null).SetProperty(w => w.LeaseOwner, (string?)null), cancellationToken);
    }

    private async Task RescheduleAsync(WriteBackRow row, TimeSpan wait, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = clock.GetUtcNow().Add(wait).ToUnixTimeMilliseconds();
        await Held(db, row).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.DueAt, due).SetProperty(w => w.LastError, TrackerHttp.Reason(reason))
            .SetProperty(w => w.LeaseUntil, (long?)null).SetProperty(w => w.LeaseOwner, (string?)null), cancellationToken);
    }

    private IQueryable<WriteBackRow> Held(PokerDbContext db, WriteBackRow row) =>
        db.Set<WriteBackRow>().Where(w => w.RoomId == row.RoomId && w.StoryId == row.StoryId && w.LeaseOwner == _owner && w.LeaseUntil == row.LeaseUntil && w.Card == row.Card);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1420, Level = LogLevel.Information, Message = "Estimate of story {StoryId} written to {Tracker} ({Field})")]
        public static partial void Written(ILogger logger, int storyId, TrackerKind tracker, string field);

        [LoggerMessage(EventId = 1421, Level = LogLevel.Warning, Message = "Estimate of story {StoryId} not written (try {Attempt}), trying again in {Wait}: {Failure} {Reason}")]
        public static partial void Retrying(ILogger logger, int storyId, int attempt, TimeSpan wait, TrackerFailureKind failure, string reason);

        [LoggerMessage(EventId = 1422, Level = LogLevel.Warning, Message = "Estimate of story {StoryId} not written: {Failure} {Reason}")]
        public static partial void Failed(ILogger logger, int storyId, TrackerFailureKind failure, string reason);

        [LoggerMessage(EventId = 1423, Level = LogLevel.Warning, Message = "The room of story {StoryId} could not be told of its write-back ({Error}); delivered again when the lease ends")]
        public static partial void RoomUnreachable(ILogger logger, int storyId, string error);

        // Debug: a database that is away is the store's to report, once per outage (event 1215), not every poll's.
        [LoggerMessage(EventId = 1424, Level = LogLevel.Debug, Message = "The write-back worker could not read or update the outbox; trying again at the next poll")]
        public static partial void WorkerFailed(ILogger logger, Exception exception);
    }
}
