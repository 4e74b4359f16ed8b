namespace PlanningPoker.Contracts;

/// <summary>What the stories that got one card became in their tracker (docs/kpis.md, "Estimate vs actual").</summary>
/// <param name="Card">The accepted card's label.</param>
/// <param name="Value">Its value, when it is a number.</param>
/// <param name="Estimated">Stories linked to a tracker that got it in the period.</param>
/// <param name="Done">Of those, the ones the tracker says are done.</param>
/// <param name="MedianDaysToDone">The median days from the accept to done over the done ones; null when none is.</param>
/// <param name="MedianLoggedHours">The median hours logged over the ones with logged time; null when none has any.</param>
public sealed record ActualsBucketDto(string Card, decimal? Value, int Estimated, int Done, double? MedianDaysToDone, double? MedianLoggedHours);

/// <summary>A team's estimate vs actual over a period (<c>GET /api/orgs/{org}/teams/{team}/insights/actuals</c>).</summary>
/// <param name="TeamId">The team.</param>
/// <param name="From">The period's first day (UTC), included.</param>
/// <param name="To">The period's last day (UTC), included.</param>
/// <param name="Buckets">Per accepted card, in deck order (other decks' cards after).</param>
/// <param name="Linked">Stories estimated in the period that were imported from a tracker (the ones followed).</param>
/// <param name="Done">Of those, the ones the tracker says are done.</param>
/// <param name="Correlation">Spearman's rank correlation between the numeric estimate and the days to done (−1 to 1); null under 10 done stories with a numeric estimate.</param>
/// <param name="Drifting">Whether estimates drift from actuals (<paramref name="Correlation"/> under 0.3).</param>
/// <param name="LastChecked">When a tracker was last asked about one of these stories; null when never.</param>
/// <param name="MayRefresh">The caller may refresh them from the trackers (the team's facilitators, the organisation's owner and admins).</param>
public sealed record TeamActualsDto(
    Guid TeamId,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<ActualsBucketDto> Buckets,
    int Linked,
    int Done,
    double? Correlation,
    bool Drifting,
    DateTimeOffset? LastChecked,
    bool MayRefresh = false);

/// <summary>What a refresh from the trackers did (<c>POST /api/orgs/{org}/teams/{team}/insights/actuals/refresh</c>).</summary>
/// <param name="Checked">Stories of the team its trackers answered about.</param>
/// <param name="FoundDone">Of those, the ones found done.</param>
/// <param name="FailedTrackers">Tracker connections that failed (asked again at the next pass).</param>
public sealed record ActualsRefreshDto(int Checked, int FoundDone, int FailedTrackers);
