using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Trackers;

namespace PlanningPoker.Server.Insights;

/// <summary>How estimated stories are followed in their trackers for estimate vs actual (docs/operations.md, "Trackers").</summary>
public sealed class ActualsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Trackers:Actuals";

    /// <summary>How often a node asks the trackers about the stories not done yet.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long after its accept a story is followed; one accepted longer ago and still not done is no longer asked about.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "1096.00:00:00")]
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How long after its tracker was last asked about a story the scheduled passes ask again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Recheck { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Stories asked about in one call to a tracker (at most <see cref="ITrackerClient.MaxActualKeys"/>).</summary>
    [Range(1, ITrackerClient.MaxActualKeys)]
    public int BatchSize { get; set; } = ITrackerClient.MaxActualKeys;
}

/// <summary>What one pass did.</summary>
/// <param name="Checked">Stories whose tracker answered about them (or keeps no such thing), now marked checked.</param>
/// <param name="FoundDone">Of those, the ones the tracker says are done.</param>
/// <param name="Failed">Trackers that failed (their stories are asked about again at the next pass).</param>
internal sealed record ActualsPass(int Checked, int FoundDone, int Failed);

/// <summary>
/// Follows estimated stories in the trackers they were imported from (estimate vs actual, docs/kpis.md): every
/// <see cref="ActualsOptions.Interval"/>, on every node, the facts of the stories with an external key and a tracker
/// connection that still exists, not done yet, accepted within <see cref="ActualsOptions.Horizon"/> and not asked about
/// for <see cref="ActualsOptions.Recheck"/>, grouped by connection and asked about in batches
/// (<see cref="ITrackerClient.ActualsAsync"/>). What the tracker says is written as it says it (done_at, logged_seconds,
/// actuals_checked_at): two nodes doing the same pass write the same values, so no lease is needed, and a done story
/// is no longer asked about. A tracker that fails is logged (its reason, never its token) and asked again at the next
/// pass; one that keeps no such thing (<see cref="TrackerFailureKind.CannotHold"/>) has its stories marked checked. A
/// team's managers run a pass for their team's stories at once (<see cref="PassAsync"/>).
/// </summary>
internal sealed partial class ActualsWorker(
    IDbContextFactory<PokerDbContext> contexts,
    TrackerClients clients,
    TrackerConnectionService connections,
    TimeProvider clock,
    IOptions<ActualsOptions> options,
    ILogger<ActualsWorker> logger) : BackgroundService
{
    /// <summary>A pass asked for by a person skips the stories asked about this recently (a second click changes nothing).</summary>
    public static readonly TimeSpan OnDemandRecheck = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pass = await PassAsync(null, options.Value.Recheck, stoppingToken);
                Log.Passed(logger, pass.Checked, pass.FoundDone, pass.Failed);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                Log.WorkerFailed(logger, e); // the database is away: try again at the next pass
            }

            try
            {
                await Task.Delay(options.Value.Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the stories due (of one team's rooms, or of every team when <paramref name="teamId"/> is null).</summary>
    /// <param name="teamId">The team whose stories to follow, or null for all.</param>
    /// <param name="recheck">Stories asked about more recently than this are skipped.</param>
    /// <param name="cancellationToken">Stops the pass.</param>
    public async Task<ActualsPass> PassAsync(Guid? teamId, TimeSpan recheck, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var since = now.Subtract(o.Horizon).ToUnixTimeMilliseconds();
        var checkedBefore = now.Subtract(recheck).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var facts = db.Set<StoryFactsRow>().AsNoTracking()
            .Where(f => f.ExternalKey != null && f.DoneAt == null && f.AcceptedAt >= since && (f.ActualsCheckedAt == null || f.ActualsCheckedAt <= checkedBefore));
        if (teamId is { } team)
        {
            var rooms = Teams.TeamRooms.RoomsOf(db, team);
            facts = facts.Where(f => rooms.Contains(f.RoomId));
        }

        var due = await (
            from f in facts
            join s in db.Set<StoryRow>() on new { f.RoomId, Id = f.StoryId } equals new { s.RoomId, s.Id }
            where s.Source != null
            select new Due(f.RoomId, f.StoryId, f.ExternalKey!, s.Source!)).ToListAsync(cancellationToken);
        var bySource = due.Select(d => (Due: d, Connection: Guid.TryParse(d.Source, out var id) ? id : Guid.Empty))
            .Where(d => d.Connection != Guid.Empty)
            .GroupBy(d => d.Connection, d => d.Due)
            .ToDictionary(g => g.Key, g => g.ToArray());
        var ids = bySource.Keys.ToArray();
        var stored = await db.Set<TrackerConnectionRow>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);

        int done = 0, asked = 0, failed = 0;
        foreach (var row in stored)
        {
            var (c, d, f) = await FollowAsync(db, row, bySource[row.Id], o.BatchSize, cancellationToken);
            (asked, done, failed) = (asked + c, done + d, failed + f);
        }

        return new ActualsPass(asked, done, failed);
    }

    /// <summary>Asks one connection about its stories in batches; stops at its first failure (the rest wait for the next pass).</summary>
    private async Task<(int Checked, int Done, int Failed)> FollowAsync(PokerDbContext db, TrackerConnectionRow row, Due[] stories, int batchSize, CancellationToken cancellationToken)
    {
        var opened = connections.ConnectionOf(row);
        if (opened.Failure is { } unreadable)
        {
            Log.TrackerFailed(logger, row.Id, row.Kind, unreadable.Kind, unreadable.Reason);
            return (0, 0, 1);
        }

        var client = clients.For(row.Kind);
        var keys = stories.Select(s => s.Key).Distinct(StringComparer.Ordinal).ToArray();
        int asked = 0, done = 0;
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in keys.Chunk(batchSize))
        {
            var answer = await client.ActualsAsync(opened.Reply.Value!, batch, cancellationToken);
            var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (answer.Failure is { Kind: TrackerFailureKind.CannotHold })
            {
                // This tracker keeps no such thing: every story of the connection is checked, none is done.
                foreach (var story in stories.Where(s => !handled.Contains(s.Key)))
                {
                    asked += await WriteAsync(db, story, null, at, cancellationToken);
                }

                Log.NothingKept(logger, row.Id, row.Kind);
                return (asked, done, 0);
            }

            if (answer.Failure is { } failure)
            {
                Log.TrackerFailed(logger, row.Id, row.Kind, failure.Kind, failure.Reason);
                return (asked, done, 1);
            }

            var known = new Dictionary<string, TrackerActual>(StringComparer.Ordinal);
            foreach (var actual in answer.Value!)
            {
                known.TryAdd(actual.Key, actual);
            }

            var inBatch = batch.ToHashSet(StringComparer.Ordinal);
            foreach (var story in stories.Where(s => inBatch.Contains(s.Key)))
            {
                var actual = known.GetValueOrDefault(story.Key);
                var written = await WriteAsync(db, story, actual, at, cancellationToken);
                asked += written;
                done += actual?.DoneAt is not null ? written : 0;
            }

            handled.UnionWith(batch);
        }

        return (asked, done, 0);
    }

    /// <summary>Writes what the tracker says of one story (nothing known: only checked); never over a story already done or estimated again meanwhile.</summary>
    private static Task<int> WriteAsync(PokerDbContext db, Due story, TrackerActual? actual, long at, CancellationToken cancellationToken)
    {
        var doneAt = actual?.DoneAt?.ToUnixTimeMilliseconds();
        long? logged = actual?.Logged is { } time ? (long)time.TotalSeconds : null;
        return db.Set<StoryFactsRow>()
            .Where(f => f.RoomId == story.RoomId && f.StoryId == story.StoryId && f.DoneAt == null && f.ExternalKey == story.Key)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.DoneAt, doneAt).SetProperty(f => f.LoggedSeconds, logged).SetProperty(f => f.ActualsCheckedAt, at), cancellationToken);
    }

    private sealed record Due(string RoomId, int StoryId, string Key, string Source);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1450, Level = LogLevel.Information, Message = "Actuals: {Checked} stories checked in their trackers, {Done} found done, {Failed} trackers failed")]
        public static partial void Passed(ILogger logger, int @checked, int done, int failed);

        [LoggerMessage(EventId = 1451, Level = LogLevel.Warning, Message = "Actuals: tracker connection {ConnectionId} ({Tracker}) failed, asked again at the next pass: {Failure} {Reason}")]
        public static partial void TrackerFailed(ILogger logger, Guid connectionId, TrackerKind tracker, TrackerFailureKind failure, string reason);

        [LoggerMessage(EventId = 1452, Level = LogLevel.Information, Message = "Actuals: tracker connection {ConnectionId} ({Tracker}) does not say when stories are done; its stories are marked checked")]
        public static partial void NothingKept(ILogger logger, Guid connectionId, TrackerKind tracker);

        // Debug: a database that is away is the store's to report, once per outage (event 1215), not every pass's.
        [LoggerMessage(EventId = 1453, Level = LogLevel.Debug, Message = "The actuals worker could not read or update the story facts; trying again at the next pass")]
        public static partial void WorkerFailed(ILogger logger, Exception exception);
    }
}
