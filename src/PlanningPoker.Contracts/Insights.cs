namespace PlanningPoker.Contracts;

/// <summary>
/// The estimation KPIs of a set of estimated stories (docs/kpis.md defines each). Shares are between 0 and 1, and null
/// where there is nothing to divide by.
/// </summary>
/// <param name="StoriesEstimated">Stories whose estimate was accepted.</param>
/// <param name="EstimatedTotal">The sum of the numeric accepted estimates.</param>
/// <param name="FirstRoundConsensusRate">Of the stories with a revealed round, the share whose first one had a consensus.</param>
/// <param name="RoundsPerStory">Revealed rounds per story with at least one.</param>
/// <param name="MedianMinutesPerStory">The median time from a story's first round to its accept, in minutes.</param>
/// <param name="Participation">Votes cast over votes expected.</param>
/// <param name="UnsureShare">Votes on <c>?</c> over votes cast.</param>
/// <param name="BreakShare">Votes on <c>☕</c> over votes cast.</param>
/// <param name="SpreadDistribution">First-round spread (deck positions) → stories.</param>
/// <param name="EstimateDistribution">Accepted card → stories, most given first.</param>
/// <param name="RevotesConverged">Stories re-voted whose last revealed round had a consensus.</param>
/// <param name="RevotesNotConverged">Stories re-voted whose last revealed round had none.</param>
/// <param name="ReVotedThreeTimes">Stories with four revealed rounds or more.</param>
/// <param name="MedianFirstSpread">The median first-round spread in deck positions (comparable across decks).</param>
public sealed record EstimationKpisDto(
    int StoriesEstimated,
    decimal EstimatedTotal,
    double? FirstRoundConsensusRate,
    double? RoundsPerStory,
    double? MedianMinutesPerStory,
    double? Participation,
    double? UnsureShare,
    double? BreakShare,
    IReadOnlyList<CountDto<int>> SpreadDistribution,
    IReadOnlyList<CountDto<string>> EstimateDistribution,
    int RevotesConverged,
    int RevotesNotConverged,
    int ReVotedThreeTimes,
    double? MedianFirstSpread);

/// <summary>How many stories had a value.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Stories">How many stories had it.</param>
public sealed record CountDto<T>(T Value, int Stories);

/// <summary>One workshop (room) of a team over the period: its KPIs, in the order the workshops happened.</summary>
/// <param name="RoomId">The room.</param>
/// <param name="Name">Its name.</param>
/// <param name="FirstAccept">When its first story of the period was estimated.</param>
/// <param name="LastAccept">When its last story of the period was estimated.</param>
/// <param name="Kpis">Its KPIs over the period.</param>
public sealed record WorkshopInsightsDto(string RoomId, string Name, DateTimeOffset FirstAccept, DateTimeOffset LastAccept, EstimationKpisDto Kpis);

/// <summary>A team's estimation over a period (<c>GET /api/orgs/{org}/teams/{team}/insights</c>).</summary>
/// <param name="TeamId">The team.</param>
/// <param name="Name">Its name.</param>
/// <param name="From">The period's first day (UTC), included.</param>
/// <param name="To">The period's last day (UTC), included.</param>
/// <param name="Kpis">The team's KPIs over the period.</param>
/// <param name="Workshops">Its workshops with a story estimated in the period, oldest first (the trend over sprints).</param>
/// <param name="ConsensusChange">First-round consensus of the period's second half minus its first half's (negative: dropping); null with fewer than three voted stories in a half.</param>
/// <param name="UnusedCards">The cards of the workshops' decks that no story got as its estimate, in deck order.</param>
/// <param name="ConsensusDropping">Whether <paramref name="ConsensusChange"/> is a drop worth pointing out (10 points or more).</param>
public sealed record TeamInsightsDto(
    Guid TeamId,
    string Name,
    DateOnly From,
    DateOnly To,
    EstimationKpisDto Kpis,
    IReadOnlyList<WorkshopInsightsDto> Workshops,
    double? ConsensusChange,
    IReadOnlyList<string> UnusedCards,
    bool ConsensusDropping);

/// <summary>One team's line of an organisation's insights.</summary>
/// <param name="TeamId">The team.</param>
/// <param name="Name">Its name.</param>
/// <param name="Kpis">Its KPIs over the period.</param>
/// <param name="Workshops">Its workshops with a story estimated in the period.</param>
/// <param name="ConsensusChange">Its first-round consensus of the period's second half minus its first half's; null with fewer than three voted stories in a half.</param>
/// <param name="ConsensusDropping">Whether <paramref name="ConsensusChange"/> is a drop worth pointing out (10 points or more).</param>
/// <param name="DoneInTracker">Its stories of the period that their tracker says are done (estimate vs actual).</param>
/// <param name="ActualsCorrelation">Spearman's ρ of estimate and days to done over those (<see cref="TeamActualsDto.Correlation"/>); null under 10.</param>
/// <param name="ActualsDrifting">Whether its estimates drift from actuals (ρ under 0.3).</param>
public sealed record TeamKpisDto(
    Guid TeamId, string Name, EstimationKpisDto Kpis, int Workshops, double? ConsensusChange, bool ConsensusDropping,
    int DoneInTracker = 0, double? ActualsCorrelation = null, bool ActualsDrifting = false);

/// <summary>Every team's estimation over a period, side by side (<c>GET /api/orgs/{org}/insights</c>: owners and admins).</summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="Name">Its name.</param>
/// <param name="From">The period's first day (UTC), included.</param>
/// <param name="To">The period's last day (UTC), included.</param>
/// <param name="Kpis">The organisation's KPIs over the period (every team's stories together).</param>
/// <param name="Teams">Each team's, by name.</param>
public sealed record OrganisationInsightsDto(Guid OrganisationId, string Name, DateOnly From, DateOnly To, EstimationKpisDto Kpis, IReadOnlyList<TeamKpisDto> Teams);
