using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Insights;

/// <summary>
/// A team's estimate vs actual (docs/kpis.md): the stories estimated in a period that were imported from a tracker,
/// with what <see cref="ActualsWorker"/> learnt of them, as the Domain's <see cref="EstimateActuals"/>. Read by those who
/// read the team's insights; refreshed at once by those who manage its trackers (<see cref="TeamAction.ChangeSettings"/>).
/// </summary>
internal sealed class ActualsInsights(IDbContextFactory<PokerDbContext> contexts, ActualsWorker worker, TimeProvider clock)
{
    /// <summary>The team's estimate vs actual over a period (the team insights' period and reader rules).</summary>
    public async Task<Reply<TeamActualsDto>> TeamAsync(Guid actor, Guid organisationId, Guid teamId, DateOnly? from, DateOnly? to)
    {
        if (EstimationInsights.PeriodOf(from, to, clock) is not { } period)
        {
            return Reply<TeamActualsDto>.Fail(ErrorCodes.ValidationFailed, $"a period runs from a day to a later one, {EstimationInsights.MaxDays} days at most");
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ReadInsights);
        if (team is null)
        {
            return Reply<TeamActualsDto>.From(refused!);
        }

        var (manager, _) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ChangeSettings);
        var (start, end) = EstimationInsights.BoundsOf(period);
        var rooms = TeamRooms.RoomsOf(db, teamId);
        var linked = await (
            from f in db.Set<StoryFactsRow>().AsNoTracking()
            join s in db.Set<StoryRow>() on new { f.RoomId, Id = f.StoryId } equals new { s.RoomId, s.Id }
            where rooms.Contains(f.RoomId) && f.AcceptedAt >= start && f.AcceptedAt < end && f.ExternalKey != null && s.Source != null
            select new { f.RoomId, f.FinalLabel, f.FinalValue, f.AcceptedAt, f.DoneAt, f.LoggedSeconds, f.ActualsCheckedAt }).ToListAsync();
        var ids = linked.Select(f => f.RoomId).Distinct().ToArray();
        var decks = await db.Set<RoomRow>().AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.CreatedAt, r.DeckCards }).ToListAsync();
        var deck = decks.OrderBy(r => r.CreatedAt).SelectMany(r => JsonSerializer.Deserialize(r.DeckCards, StorageJson.Default.DeckCardJsonArray) ?? []).Select(c => c.Label);
        var actuals = EstimateActuals.Of(deck, [.. linked.Select(f => new StoryActual(
            f.FinalLabel, f.FinalValue, DateTimeOffset.FromUnixTimeMilliseconds(f.AcceptedAt),
            f.DoneAt is { } done ? DateTimeOffset.FromUnixTimeMilliseconds(done) : null,
            f.LoggedSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null))]);
        var lastChecked = linked.Max(f => f.ActualsCheckedAt);
        return new TeamActualsDto(
            teamId, period.From, period.To,
            [.. actuals.Buckets.Select(b => new ActualsBucketDto(b.Card, b.Value, b.Estimated, b.Done, b.MedianDaysToDone, b.MedianLoggedHours))],
            actuals.Stories, actuals.Done, actuals.Correlation, actuals.IsDrifting,
            lastChecked is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
            manager is not null);
    }

    /// <summary>Asks the team's trackers about its stories now (owner, admins, the team's facilitators).</summary>
    public async Task<Reply<ActualsRefreshDto>> RefreshAsync(Guid actor, Guid organisationId, Guid teamId, CancellationToken cancellationToken)
    {
        await using (var db = contexts.CreateDbContext())
        {
            var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ChangeSettings);
            if (team is null)
            {
                return Reply<ActualsRefreshDto>.From(refused!);
            }
        }

        var pass = await worker.PassAsync(teamId, ActualsWorker.OnDemandRecheck, cancellationToken);
        return new ActualsRefreshDto(pass.Checked, pass.FoundDone, pass.Failed);
    }
}
