namespace PlanningPoker.Domain;

/// <summary>
/// What one estimated story says about how its team estimates, taken when its estimate is accepted: the facts the
/// estimation KPIs are sums and shares of (docs/kpis.md defines each). Small and flat, so that a team's or an
/// organisation's history is a table of these rather than rooms loaded into memory.
/// </summary>
/// <param name="RevealedRounds">Rounds on the story whose cards turned over (a cancelled round is not one).</param>
/// <param name="FirstRoundConsensus">Its first revealed round had a consensus (<see cref="RoundResult.Consensus"/>).</param>
/// <param name="Converged">Re-voted (two revealed rounds or more), and its last revealed round had a consensus.</param>
/// <param name="FirstSpread">The distance in deck positions between the lowest and highest regular card of its first revealed round, or null when none was played.</param>
/// <param name="TimeToAccept">From the start of its first round to the accept; null when accepted without a round.</param>
/// <param name="Votes">Votes cast in its revealed rounds.</param>
/// <param name="MissedVotes">Present voters who had not voted when the cards turned over, summed over its revealed rounds.</param>
/// <param name="Unsure">Votes on <c>?</c> in its revealed rounds.</param>
/// <param name="Breaks">Votes on <c>☕</c> in its revealed rounds.</param>
/// <param name="FinalCard">The accepted estimate's label.</param>
/// <param name="FinalValue">The accepted estimate's value, when it is a number.</param>
public sealed record StoryFacts(
    int RevealedRounds,
    bool FirstRoundConsensus,
    bool Converged,
    int? FirstSpread,
    TimeSpan? TimeToAccept,
    int Votes,
    int MissedVotes,
    int Unsure,
    int Breaks,
    string FinalCard,
    decimal? FinalValue)
{
    /// <summary>
    /// The facts of a story's latest estimation from its rounds (in any order; other stories' rounds are not passed) and
    /// its accepted estimate. A story estimated again counts only the rounds after its previous accept: each
    /// estimation is judged on its own.
    /// </summary>
    /// <param name="rounds">The story's rounds.</param>
    /// <param name="accepted">Its accepted estimate.</param>
    /// <param name="acceptedAt">When it was accepted.</param>
    public static StoryFacts Of(IEnumerable<Round> rounds, Estimate accepted, DateTimeOffset acceptedAt)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentNullException.ThrowIfNull(accepted);
        var ordered = rounds.OrderBy(r => r.Number).ToArray();
        var lastAccepted = Array.FindLastIndex(ordered, r => r.State == RoundState.Accepted);
        var previousAccepted = lastAccepted <= 0 ? -1 : Array.FindLastIndex(ordered, lastAccepted - 1, r => r.State == RoundState.Accepted);
        var all = ordered[(previousAccepted + 1)..];
        var revealed = all.Where(r => r.IsRevealed && r.Result is not null).ToArray();
        var first = revealed.FirstOrDefault()?.Result;
        var last = revealed.LastOrDefault()?.Result;
        int VotesOn(CardKind kind) => revealed.Sum(r => r.Result!.Distribution.Where(t => t.Card.Kind == kind).Sum(t => t.Count));
        return new StoryFacts(
            revealed.Length,
            first?.Consensus == true,
            revealed.Length >= 2 && last!.Consensus,
            first?.Spread,
            all.Length == 0 ? null : acceptedAt - all[0].StartedAt,
            revealed.Sum(r => r.Result!.VoterCount),
            revealed.Sum(r => r.Result!.MissingVoters.Count),
            VotesOn(CardKind.Unsure),
            VotesOn(CardKind.Break),
            accepted.Label,
            accepted.Value);
    }
}

/// <summary>
/// The estimation KPIs of a set of estimated stories (a team's or an organisation's, over a period), as docs/kpis.md
/// defines them. Shares are between 0 and 1, and null where there is nothing to divide by.
/// </summary>
/// <param name="StoriesEstimated">Stories whose estimate was accepted.</param>
/// <param name="EstimatedTotal">The sum of the numeric accepted estimates (a velocity proxy).</param>
/// <param name="FirstRoundConsensusRate">Of the stories estimated with at least one revealed round, the share whose first one had a consensus.</param>
/// <param name="RoundsPerStory">Revealed rounds per story estimated with at least one.</param>
/// <param name="MedianMinutesPerStory">The median time from a story's first round to its accept, in minutes.</param>
/// <param name="Participation">Votes cast over votes expected (cast + present voters who had not voted at reveal).</param>
/// <param name="UnsureShare">Votes on <c>?</c> over votes cast.</param>
/// <param name="BreakShare">Votes on <c>☕</c> over votes cast.</param>
/// <param name="SpreadDistribution">First-round spreads (deck positions) → how many stories had it.</param>
/// <param name="EstimateDistribution">Accepted card → how many stories got it, most given first.</param>
/// <param name="RevotesConverged">Stories re-voted whose last revealed round had a consensus.</param>
/// <param name="RevotesNotConverged">Stories re-voted whose last revealed round had none (the estimate was settled by discussion).</param>
/// <param name="ReVotedThreeTimes">Stories with three re-votes or more (four revealed rounds or more): worth a look.</param>
/// <param name="MedianFirstSpread">
/// The median first-round spread, in deck positions: how far apart a team starts, comparable across teams whose decks
/// differ (card values are not).
/// </param>
public sealed record EstimationKpis(
    int StoriesEstimated,
    decimal EstimatedTotal,
    double? FirstRoundConsensusRate,
    double? RoundsPerStory,
    double? MedianMinutesPerStory,
    double? Participation,
    double? UnsureShare,
    double? BreakShare,
    IReadOnlyList<KeyValuePair<int, int>> SpreadDistribution,
    IReadOnlyList<KeyValuePair<string, int>> EstimateDistribution,
    int RevotesConverged,
    int RevotesNotConverged,
    int ReVotedThreeTimes,
    double? MedianFirstSpread)
{
    /// <summary>The KPIs of <paramref name="stories"/>.</summary>
    /// <param name="stories">The facts of the estimated stories.</param>
    public static EstimationKpis Of(IReadOnlyCollection<StoryFacts> stories)
    {
        ArgumentNullException.ThrowIfNull(stories);
        var voted = stories.Where(s => s.RevealedRounds > 0).ToArray();
        var timed = stories.Where(s => s.TimeToAccept is not null).Select(s => s.TimeToAccept!.Value.TotalMinutes).ToArray();
        var votes = stories.Sum(s => s.Votes);
        var expected = votes + stories.Sum(s => s.MissedVotes);
        var revoted = stories.Where(s => s.RevealedRounds >= 2).ToArray();
        return new EstimationKpis(
            stories.Count,
            stories.Sum(s => s.FinalValue ?? 0m),
            Share(voted.Count(s => s.FirstRoundConsensus), voted.Length),
            voted.Length == 0 ? null : (double)voted.Sum(s => s.RevealedRounds) / voted.Length,
            Statistics.Median(timed),
            Share(votes, expected),
            Share(stories.Sum(s => s.Unsure), votes),
            Share(stories.Sum(s => s.Breaks), votes),
            [.. stories.Where(s => s.FirstSpread is not null).GroupBy(s => s.FirstSpread!.Value).OrderBy(g => g.Key).Select(g => KeyValuePair.Create(g.Key, g.Count()))],
            [.. stories.GroupBy(s => s.FinalCard, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, g.Count()))],
            revoted.Count(s => s.Converged),
            revoted.Count(s => !s.Converged),
            stories.Count(s => s.RevealedRounds >= 4),
            Statistics.Median([.. stories.Where(s => s.FirstSpread is not null).Select(s => (double)s.FirstSpread!.Value)]));
    }

    private static double? Share(int part, int whole) => whole == 0 ? null : (double)part / whole;
}

/// <summary>
/// The hints a Product Ops lead acts on (docs/kpis.md, "Hints"): a team whose first-round consensus is dropping, and
/// the cards of its deck that no story got.
/// </summary>
public static class EstimationHints
{
    /// <summary>Stories with a revealed round each half of a period needs before its consensus change says anything.</summary>
    public const int MinStoriesPerHalf = 3;

    /// <summary>Stories a period needs before the cards no story got say anything about the deck.</summary>
    public const int MinStoriesForUnusedCards = 20;

    /// <summary>A drop of first-round consensus, in share points (0–1), from which a team is pointed out.</summary>
    public const double ConsensusDrop = 0.10;

    /// <summary>
    /// The first-round consensus rate of the later half of a period minus the earlier half's (negative: dropping); null
    /// when either half has fewer than <see cref="MinStoriesPerHalf"/> stories with a revealed round.
    /// </summary>
    /// <param name="earlier">The facts of the stories accepted in the period's first half.</param>
    /// <param name="later">Those of its second half.</param>
    public static double? ConsensusChange(IReadOnlyCollection<StoryFacts> earlier, IReadOnlyCollection<StoryFacts> later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var before = EstimationKpis.Of(earlier);
        var after = EstimationKpis.Of(later);
        return earlier.Count(s => s.RevealedRounds > 0) < MinStoriesPerHalf || later.Count(s => s.RevealedRounds > 0) < MinStoriesPerHalf
            ? null
            : after.FirstRoundConsensusRate - before.FirstRoundConsensusRate;
    }

    /// <summary>Whether a consensus change is a drop worth pointing out.</summary>
    /// <param name="change">The change, from <see cref="ConsensusChange"/>.</param>
    public static bool IsDropping(double? change) => change <= -ConsensusDrop + 1e-9; // 0.8 − 0.9 is −0.09999…: ten points count

    /// <summary>The deck's cards, in its order, that no story got as its estimate; none under <see cref="MinStoriesForUnusedCards"/> stories.</summary>
    /// <param name="deck">The labels of the regular cards of the decks the stories were estimated with.</param>
    /// <param name="stories">The estimated stories.</param>
    public static IReadOnlyList<string> UnusedCards(IEnumerable<string> deck, IEnumerable<StoryFacts> stories)
    {
        ArgumentNullException.ThrowIfNull(deck);
        ArgumentNullException.ThrowIfNull(stories);
        var estimated = stories.ToList();
        if (estimated.Count < MinStoriesForUnusedCards)
        {
            return [];
        }

        var used = estimated.Select(s => s.FinalCard).ToHashSet(StringComparer.Ordinal);
        return [.. deck.Distinct(StringComparer.Ordinal).Where(card => !used.Contains(card))];
    }
}
