using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Insights;

/// <summary>
/// The estimation history and KPIs of a team, and of an organisation's teams side by side (issue 14; docs/kpis.md). The
/// database picks the facts of the stories estimated in the period (<c>story_facts</c>, written with each accept;
/// small rows, indexed by room and time); the KPIs are the Domain's <see cref="EstimationKpis"/> of them, so that a
/// KPI has one definition. Who may read: a team's members, the organisation's owner and admins; an organisation's
/// every team: its owner and admins.
/// </summary>
internal sealed class EstimationInsights(IDbContextFactory<PokerDbContext> contexts, TimeProvider clock)
{
    /// <summary>The longest period a report covers, in days (three years).</summary>
    public const int MaxDays = 1_096;

    /// <summary>The period when none is given: the last 90 days, today included.</summary>
    public const int DefaultDays = 90;

    /// <summary>A team's KPIs over a period, with each workshop's.</summary>
    public async Task<Reply<TeamInsightsDto>> TeamAsync(Guid actor, Guid organisationId, Guid teamId, DateOnly? from, DateOnly? to)
    {
        if (PeriodOf(from, to, clock) is not { } period)
        {
            return Reply<TeamInsightsDto>.Fail(ErrorCodes.ValidationFailed, $"a period runs from a day to a later one, {MaxDays} days at most");
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ReadInsights);
        if (team is null)
        {
            return Reply<TeamInsightsDto>.From(refused!);
        }

        var (start, end) = BoundsOf(period);
        var rooms = TeamRooms.RoomsOf(db, teamId);
        var facts = await db.Set<StoryFactsRow>().AsNoTracking()
            .Where(f => rooms.Contains(f.RoomId) && f.AcceptedAt >= start && f.AcceptedAt < end)
            .ToListAsync();
        var ids = facts.Select(f => f.RoomId).Distinct().ToArray();
        var held = await db.Set<RoomRow>().AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.Name, r.DeckCards, r.CreatedAt }).ToListAsync();
        var names = held.ToDictionary(r => r.Id, r => r.Name);
        var workshops = facts.GroupBy(f => f.RoomId, StringComparer.Ordinal)
            .Select(g => new WorkshopInsightsDto(g.Key, names.GetValueOrDefault(g.Key, g.Key), Time(g.Min(f => f.AcceptedAt)), Time(g.Max(f => f.AcceptedAt)), KpisOf(g)))
            .OrderBy(w => w.FirstAccept)
            .ToArray();
        var deck = held.OrderBy(r => r.CreatedAt)
            .SelectMany(r => JsonSerializer.Deserialize(r.DeckCards, StorageJson.Default.DeckCardJsonArray) ?? [])
            .Select(c => c.Label);
        var change = ChangeOf(facts, start, end);
        return new TeamInsightsDto(
            team.Id, team.Name, period.From, period.To, KpisOf(facts), workshops,
            change, EstimationHints.UnusedCards(deck, facts.Select(FactsOf)), EstimationHints.IsDropping(change));
    }

    /// <summary>Every team's KPIs over a period, and the organisation's.</summary>
    public async Task<Reply<OrganisationInsightsDto>> OrganisationAsync(Guid actor, Guid organisationId, DateOnly? from, DateOnly? to)
    {
        if (PeriodOf(from, to, clock) is not { } period)
        {
            return Reply<OrganisationInsightsDto>.Fail(ErrorCodes.ValidationFailed, $"a period runs from a day to a later one, {MaxDays} days at most");
        }

        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await Organisations.RoleOfAsync(db, organisationId, actor), OrganisationAction.ReadInsights) is { } refused)
        {
            return Reply<OrganisationInsightsDto>.Fail(refused, refused == ErrorCodes.OrganisationNotFound
                ? "there is no such organization, or you are not a member"
                : "only the organization's owner and admins see every team's estimation");
        }

        var (start, end) = BoundsOf(period);
        var facts = await (
            from f in db.Set<StoryFactsRow>().AsNoTracking()
            join room in TeamRooms.RoomsOfOrganisation(db, organisationId) on f.RoomId equals room.RoomId
            where f.AcceptedAt >= start && f.AcceptedAt < end
            select new { room.TeamId, Facts = f }).ToListAsync();
        var teams = await db.Set<TeamRow>().AsNoTracking().Where(t => t.OrganisationId == organisationId).ToListAsync();
        var name = await db.Set<OrganisationRow>().Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync();
        var byTeam = facts.ToLookup(f => f.TeamId, f => f.Facts);
        return new OrganisationInsightsDto(
            organisationId,
            name,
            period.From,
            period.To,
            KpisOf(facts.Select(f => f.Facts)),
            [.. teams.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).Select(t => TeamKpisOf(t, [.. byTeam[t.Id]], start, end))]);
    }

    /// <summary>The period asked for, or the default one; null when it is backwards or too long.</summary>
    internal static (DateOnly From, DateOnly To)? PeriodOf(DateOnly? from, DateOnly? to, TimeProvider clock)
    {
        var last = to ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = from ?? last.AddDays(1 - DefaultDays);
        return first > last || last.DayNumber - first.DayNumber >= MaxDays ? null : (first, last);
    }

    /// <summary>The period's bounds in Unix milliseconds: its first day's start, included, to the day after its last, excluded.</summary>
    internal static (long Start, long End) BoundsOf((DateOnly From, DateOnly To) period) =>
        (new DateTimeOffset(period.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(),
         new DateTimeOffset(period.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds());

    /// <summary>The first-round consensus change from the period's first half to its second (<see cref="EstimationHints.ConsensusChange"/>).</summary>
    private static double? ChangeOf(IReadOnlyCollection<StoryFactsRow> facts, long start, long end)
    {
        var middle = start + ((end - start) / 2);
        return EstimationHints.ConsensusChange(
            [.. facts.Where(f => f.AcceptedAt < middle).Select(FactsOf)],
            [.. facts.Where(f => f.AcceptedAt >= middle).Select(FactsOf)]);
    }

    private static TeamKpisDto TeamKpisOf(TeamRow team, StoryFactsRow[] facts, long start, long end)
    {
        var change = ChangeOf(facts, start, end);
        var actuals = EstimateActuals.Of([], [.. facts.Where(f => f.DoneAt is not null).Select(f => new StoryActual(
            f.FinalLabel, f.FinalValue, Time(f.AcceptedAt), Time(f.DoneAt!.Value), null))]);
        return new TeamKpisDto(
            team.Id, team.Name, KpisOf(facts), facts.Select(f => f.RoomId).Distinct(StringComparer.Ordinal).Count(), change, EstimationHints.IsDropping(change),
            actuals.Done, actuals.Correlation, actuals.IsDrifting);
    }

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private static EstimationKpisDto KpisOf(IEnumerable<StoryFactsRow> rows)
    {
        var k = EstimationKpis.Of([.. rows.Select(FactsOf)]);
        return new EstimationKpisDto(
            k.StoriesEstimated, k.EstimatedTotal, k.FirstRoundConsensusRate, k.RoundsPerStory, k.MedianMinutesPerStory, k.Participation,
            k.UnsureShare, k.BreakShare, [.. k.SpreadDistribution.Select(p => new CountDto<int>(p.Key, p.Value))],
            [.. k.EstimateDistribution.Select(p => new CountDto<string>(p.Key, p.Value))], k.RevotesConverged, k.RevotesNotConverged, k.ReVotedThreeTimes, k.MedianFirstSpread);
    }

    private static StoryFacts FactsOf(StoryFactsRow f) => new(
        f.RevealedRounds, f.FirstRoundConsensus, f.Converged, f.FirstSpread, f.SecondsToAccept is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        f.Votes, f.MissedVotes, f.Unsure, f.Breaks, f.FinalLabel, f.FinalValue);
}
