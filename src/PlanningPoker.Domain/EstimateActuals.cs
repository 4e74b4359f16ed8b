namespace PlanningPoker.Domain;

/// <summary>An estimated story as its tracker later saw it (estimate vs actual, docs/kpis.md).</summary>
/// <param name="FinalCard">The accepted estimate's label.</param>
/// <param name="FinalValue">The accepted estimate's value, when it is a number.</param>
/// <param name="AcceptedAt">When the estimate was accepted.</param>
/// <param name="DoneAt">When the tracker says it was done, or null while it is not (or the tracker does not say).</param>
/// <param name="Logged">The time logged on it in the tracker, or null where none was or the tracker keeps none.</param>
public sealed record StoryActual(string FinalCard, decimal? FinalValue, DateTimeOffset AcceptedAt, DateTimeOffset? DoneAt, TimeSpan? Logged)
{
    /// <summary>Days from the accept to done, floored at 0 (a story closed before its estimate was accepted took no time after it); null while not done.</summary>
    public double? DaysToDone => DoneAt is { } done ? Math.Max(0, (done - AcceptedAt).TotalDays) : null;
}

/// <summary>What the stories that got one card became (docs/kpis.md, "Estimate vs actual").</summary>
/// <param name="Card">The accepted card's label.</param>
/// <param name="Value">Its value, when it is a number.</param>
/// <param name="Estimated">Stories that got it.</param>
/// <param name="Done">Of those, the stories the tracker says are done.</param>
/// <param name="MedianDaysToDone">The median days from the accept to done over the done ones; null when none is.</param>
/// <param name="MedianLoggedHours">The median hours logged over the ones with logged time; null when none has any.</param>
public sealed record ActualsBucket(string Card, decimal? Value, int Estimated, int Done, double? MedianDaysToDone, double? MedianLoggedHours);

/// <summary>
/// Estimate vs actual of a set of stories followed in their tracker (docs/kpis.md): per accepted card, how many were
/// estimated and done, with the median days to done and the median logged hours; and whether estimates drift from
/// actuals: the Spearman rank correlation between the numeric estimate and the days to done, over the done stories
/// with a numeric estimate. Estimates that say something about the work rank stories roughly as their time to done
/// does (ρ near 1); under <see cref="DriftBelow"/> they hardly do.
/// </summary>
/// <param name="Buckets">Per card that at least one story got: the deck's order first, other cards (an older deck's) after, by value then label.</param>
/// <param name="Stories">The stories followed.</param>
/// <param name="Done">Of those, the ones done.</param>
/// <param name="Correlation">Spearman's ρ (−1 to 1); null under <see cref="MinStoriesForCorrelation"/> done stories with a numeric estimate, or when all their estimates or all their days are equal.</param>
/// <param name="IsDrifting">Whether <see cref="Correlation"/> is under <see cref="DriftBelow"/>: the estimates hardly order stories as their time to done does.</param>
public sealed record EstimateActuals(IReadOnlyList<ActualsBucket> Buckets, int Stories, int Done, double? Correlation, bool IsDrifting)
{
    /// <summary>Done stories with a numeric estimate a correlation needs before it says anything (fewer ranks are mostly noise).</summary>
    public const int MinStoriesForCorrelation = 10;

    /// <summary>The rank correlation under which estimates are said to drift from actuals (0.3: a weak relation at best).</summary>
    public const double DriftBelow = 0.3;

    /// <summary>Estimate vs actual of <paramref name="stories"/>.</summary>
    /// <param name="deck">The labels of the cards in deck order (the decks the stories were estimated with).</param>
    /// <param name="stories">The stories followed in their tracker.</param>
    public static EstimateActuals Of(IEnumerable<string> deck, IReadOnlyCollection<StoryActual> stories)
    {
        ArgumentNullException.ThrowIfNull(deck);
        ArgumentNullException.ThrowIfNull(stories);
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var card in deck)
        {
            order.TryAdd(card, order.Count);
        }

        var buckets = stories.GroupBy(s => s.FinalCard, StringComparer.Ordinal)
            .OrderBy(g => order.TryGetValue(g.Key, out var place) ? place : int.MaxValue)
            .ThenBy(g => g.First().FinalValue ?? decimal.MaxValue)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ActualsBucket(
                g.Key,
                g.First().FinalValue,
                g.Count(),
                g.Count(s => s.DoneAt is not null),
                Statistics.Median([.. g.Select(s => s.DaysToDone).OfType<double>()]),
                Statistics.Median([.. g.Select(s => s.Logged?.TotalHours).OfType<double>()])))
            .ToArray();
        var pairs = stories.Where(s => s.DoneAt is not null && s.FinalValue is not null).Select(s => ((double)s.FinalValue!.Value, s.DaysToDone!.Value)).ToArray();
        var rho = pairs.Length < MinStoriesForCorrelation ? null : Spearman(pairs);
        return new EstimateActuals(buckets, stories.Count, stories.Count(s => s.DoneAt is not null), rho, IsDriftingAt(rho));
    }

    /// <summary>Whether a correlation says the estimates drift from actuals.</summary>
    /// <param name="correlation">Spearman's ρ, or null when unknown (then: not drifting).</param>
    public static bool IsDriftingAt(double? correlation) => correlation < DriftBelow;

    /// <summary>
    /// Spearman's rank correlation of the pairs: Pearson's correlation of their ranks, tied values sharing the average
    /// of the ranks they span. Null with fewer than two pairs, or when either side has a single value (no order).
    /// </summary>
    /// <param name="pairs">The pairs (x, y).</param>
    public static double? Spearman(IReadOnlyList<(double X, double Y)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count < 2)
        {
            return null;
        }

        var x = Ranks([.. pairs.Select(p => p.X)]);
        var y = Ranks([.. pairs.Select(p => p.Y)]);
        var meanX = x.Average();
        var meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            varianceX += (x[i] - meanX) * (x[i] - meanX);
            varianceY += (y[i] - meanY) * (y[i] - meanY);
        }

        return varianceX == 0 || varianceY == 0 ? null : Math.Clamp(covariance / Math.Sqrt(varianceX * varianceY), -1, 1);
    }

    /// <summary>1-based ranks; equal values get the average of the ranks they span.</summary>
    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }
}
