using Microsoft.EntityFrameworkCore;
using PlanningPoker.Domain;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Insights;

/// <summary>
/// Gives the stories estimated before <c>story_facts</c> existed their facts (docs/kpis.md, "Where they come from"),
/// once per server start: the rooms with an accepted story and no facts for it are read from storage one at a time,
/// and each such story's facts computed by the same Domain rule as an accept, from its stored rounds. The accept's
/// time was not kept then: the accepted round's reveal stands for it (the room's opening for a story accepted
/// without a round). A row already there (an accept meanwhile, or another node doing the same) stands; running
/// again changes nothing.
/// </summary>
internal sealed partial class FactsBackfill(IDbContextFactory<PokerDbContext> contexts, IRoomStore rooms, ILogger<FactsBackfill> logger) : BackgroundService
{
    /// <summary>Rooms read per query.</summary>
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var (visited, added) = await RunAsync(stoppingToken);
            if (added > 0)
            {
                LogBackfilled(logger, added, visited);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed backfill must not stop the server: the next start tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
        }
    }

    /// <summary>One pass over every room with an accepted story without facts; answers the rooms read and the facts added.</summary>
    public async Task<(int Rooms, int Facts)> RunAsync(CancellationToken cancellationToken)
    {
        var (visited, added, after) = (0, 0, "");
        while (true)
        {
            await using var db = contexts.CreateDbContext();
            var ids = await db.Set<StoryRow>().AsNoTracking()
                .Where(s => s.State == StoryState.Estimated && s.RoomId.CompareTo(after) > 0
                    && !db.Set<StoryFactsRow>().Any(f => f.RoomId == s.RoomId && f.StoryId == s.Id))
                .Select(s => s.RoomId).Distinct().OrderBy(id => id).Take(Batch)
                .ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                added += await BackfillAsync(db, id, cancellationToken);
            }

            visited += ids.Count;
            if (ids.Count < Batch)
            {
                return (visited, added);
            }

            after = ids[^1];
        }
    }

    private async Task<int> BackfillAsync(PokerDbContext db, string roomId, CancellationToken cancellationToken)
    {
        var missing = await db.Set<StoryRow>().AsNoTracking()
            .Where(s => s.RoomId == roomId && s.State == StoryState.Estimated && !db.Set<StoryFactsRow>().Any(f => f.RoomId == s.RoomId && f.StoryId == s.Id))
            .Select(s => s.Id).ToListAsync(cancellationToken);
        if (await rooms.LoadAsync(roomId, cancellationToken) is not { } stored)
        {
            return 0;
        }

        var room = Room.FromSnapshot(stored.Snapshot);
        var added = 0;
        foreach (var story in room.Stories.Where(s => missing.Contains(s.Id) && s.FinalEstimate is not null))
        {
            var rounds = room.Rounds.Where(r => r.StoryId == story.Id).ToArray();
            var acceptedAt = rounds.Where(r => r.State == RoundState.Accepted).MaxBy(r => r.Number)?.RevealedAt ?? room.CreatedAt;
            var f = StoryFacts.Of(rounds, story.FinalEstimate!, acceptedAt);
            db.Add(new StoryFactsRow
            {
                RoomId = roomId,
                StoryId = story.Id,
                AcceptedAt = acceptedAt.ToUnixTimeMilliseconds(),
                ExternalKey = story.ExternalKey,
                Title = story.Title,
                RevealedRounds = f.RevealedRounds,
                FirstRoundConsensus = f.FirstRoundConsensus,
                Converged = f.Converged,
                FirstSpread = f.FirstSpread,
                SecondsToAccept = f.TimeToAccept?.TotalSeconds,
                Votes = f.Votes,
                MissedVotes = f.MissedVotes,
                Unsure = f.Unsure,
                Breaks = f.Breaks,
                FinalLabel = f.FinalCard,
                FinalValue = f.FinalValue,
            });
            try
            {
                added += await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // An accept (or another node) wrote this story's facts meanwhile: theirs stand.
                db.ChangeTracker.Clear();
            }
        }

        return added;
    }

    [LoggerMessage(EventId = 1445, Level = LogLevel.Information, Message = "Gave {Facts} stories estimated before the estimation facts existed their facts, from {Rooms} rooms")]
    private static partial void LogBackfilled(ILogger logger, int facts, int rooms);

    [LoggerMessage(EventId = 1446, Level = LogLevel.Warning, Message = "Could not give older estimated stories their facts; the next start tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
