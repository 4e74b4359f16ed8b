using CsCheck;

namespace PlanningPoker.Domain.Tests;

/// <summary>
/// Estimate vs actual (docs/kpis.md): buckets per card, days to done and logged hours against numbers worked out by
/// hand in each test's comments, the drift hint's thresholds, and Spearman's ρ against a naive oracle on random pairs.
/// </summary>
public sealed class EstimateActualsTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var n) ? n : 500;
    private static readonly DateTimeOffset Accepted = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Deck = ["1", "2", "3", "5", "8", "13", "21", "34", "55", "89"];

    private static StoryActual Story(string card, decimal? value, double? daysToDone, double? loggedHours = null) =>
        new(card, value, Accepted, daysToDone is { } days ? Accepted.AddDays(days) : null, loggedHours is { } hours ? TimeSpan.FromHours(hours) : null);

    [Fact]
    public void Buckets_FollowTheDeck_WithTheirMediansOverTheDoneAndTheLoggedOnes()
    {
        // 1: done a day BEFORE its accept → 0 days (floored), 1 h logged.
        // 3: done after 2, 4 and 9 days and one not done → 4 estimated, 3 done, median of 2 4 9 = 4 days; logged 4 h and
        //    8 h (one none) → median 6 h.
        // 5: not done, 6 h logged → no days, 6 h.
        // XL (no value, not in the deck): done after 3 days → last, 3 days, no hours.
        // 7 stories, 5 done; only 4 done stories have a number, under 10 → no correlation, not drifting.
        StoryActual[] stories =
        [
            Story("3", 3m, 2, 4), Story("XL", null, 3), Story("5", 5m, null, 6), Story("3", 3m, 4),
            Story("1", 1m, -1, 1), Story("3", 3m, null), Story("3", 3m, 9, 8),
        ];

        var actuals = EstimateActuals.Of(Deck, stories);

        Assert.Equal(
            [
                new ActualsBucket("1", 1m, 1, 1, 0, 1),
                new ActualsBucket("3", 3m, 4, 3, 4, 6),
                new ActualsBucket("5", 5m, 1, 0, null, 6),
                new ActualsBucket("XL", null, 1, 1, 3, null),
            ],
            actuals.Buckets);
        Assert.Equal((7, 5, null, false), (actuals.Stories, actuals.Done, actuals.Correlation, actuals.IsDrifting));
    }

    [Fact]
    public void NoStories_HaveNoBucketsAndNoCorrelation()
    {
        var actuals = EstimateActuals.Of(Deck, []);

        Assert.Empty(actuals.Buckets);
        Assert.Equal((0, 0, null, false), (actuals.Stories, actuals.Done, actuals.Correlation, actuals.IsDrifting));
    }

    [Fact]
    public void Spearman_AveragesTiedRanks()
    {
        // x 1 2 2 3 → ranks 1 2.5 2.5 4; y 10 20 30 40 → ranks 1 2 3 4. Deviations from 2.5: (−1.5 0 0 1.5) and
        // (−1.5 −0.5 0.5 1.5): covariance 4.5, variances 4.5 and 5 → ρ = 4.5 / √22.5 = √0.9.
        var rho = EstimateActuals.Spearman([(1, 10), (2, 20), (2, 30), (3, 40)]);

        Assert.Equal(Math.Sqrt(0.9), rho!.Value, 12);
        Assert.Equal(-1, EstimateActuals.Spearman([(1, 3), (2, 2), (3, 1)])!.Value, 12);
        Assert.Null(EstimateActuals.Spearman([(1, 3)]));
        Assert.Null(EstimateActuals.Spearman([(5, 3), (5, 4), (5, 9)])); // one estimate for all: no order to compare
    }

    [Fact]
    public void TenDoneStories_WhoseEstimatesHardlyOrderTheirDays_AreDrifting()
    {
        // Estimates 1…89 have ranks 1…10; days to done 5 1 9 2 8 3 10 4 6 7 are their own ranks. Differences
        // 4 −1 6 −2 3 −3 3 −4 −3 −3, squares sum to 118: ρ = 1 − 6·118 / (10·99) = 1 − 708/990 ≈ 0.285 < 0.3.
        int[] days = [5, 1, 9, 2, 8, 3, 10, 4, 6, 7];
        var drifting = EstimateActuals.Of(Deck, [.. Deck.Select((card, i) => Story(card, decimal.Parse(card, System.Globalization.CultureInfo.InvariantCulture), days[i]))]);

        Assert.Equal(1 - (708.0 / 990), drifting.Correlation!.Value, 12);
        Assert.True(drifting.IsDrifting);

        // Neighbours swapped (2 1 4 3 6 5 8 7 10 9): Σd² = 10, ρ = 1 − 60/990 ≈ 0.939: estimates follow the work.
        int[] close = [2, 1, 4, 3, 6, 5, 8, 7, 10, 9];
        var following = EstimateActuals.Of(Deck, [.. Deck.Select((card, i) => Story(card, decimal.Parse(card, System.Globalization.CultureInfo.InvariantCulture), close[i]))]);

        Assert.Equal(1 - (60.0 / 990), following.Correlation!.Value, 12);
        Assert.False(following.IsDrifting);
    }

    [Fact]
    public void NineDoneStories_AreTooFewForACorrelation_AndStoriesNotDoneOrWithoutANumberDoNotCount()
    {
        // Nine done with a number (reversed: ρ would be −1), plus one not done and one "?"-like card done: still nine.
        var stories = Deck.Take(9).Select((card, i) => Story(card, decimal.Parse(card, System.Globalization.CultureInfo.InvariantCulture), 9 - i))
            .Append(Story("89", 89m, null)).Append(Story("XL", null, 1)).ToArray();

        var actuals = EstimateActuals.Of(Deck, stories);

        Assert.Null(actuals.Correlation);
        Assert.False(actuals.IsDrifting);
        Assert.Equal(EstimateActuals.MinStoriesForCorrelation - 1, stories.Count(s => s.DoneAt is not null && s.FinalValue is not null));
    }

    [Theory]
    [InlineData(0.3, false)]
    [InlineData(0.2999, true)]
    [InlineData(-0.5, true)]
    [InlineData(0.9, false)]
    [InlineData(null, false)]
    public void DriftIsUnderThreeTenths(double? rho, bool drifting) => Assert.Equal(drifting, EstimateActuals.IsDriftingAt(rho));

    [Fact]
    public void Spearman_IsPearsonOfNaiveAverageRanks()
    {
        var pair = Gen.Select(Gen.Int[0, 6], Gen.Int[0, 6]).Select(p => ((double)p.Item1, (double)p.Item2));
        pair.Array[0, 30].Sample(pairs =>
        {
            var expected = NaiveSpearman(pairs);
            var actual = EstimateActuals.Spearman(pairs);
            if (expected is null)
            {
                return actual is null;
            }

            return actual is { } rho && Math.Abs(rho - expected.Value) < 1e-9 && rho is >= -1 and <= 1;
        }, iter: Iterations);
    }

    /// <summary>An independent ρ: a value's rank is 1 + how many are smaller + half of how many others equal it; then Pearson from raw sums.</summary>
    private static double? NaiveSpearman((double X, double Y)[] pairs)
    {
        static double[] RanksOf(double[] v) => [.. v.Select(a => 1 + v.Count(b => b < a) + ((v.Count(b => b == a) - 1) / 2.0))];
        var n = pairs.Length;
        if (n < 2)
        {
            return null;
        }

        var x = RanksOf([.. pairs.Select(p => p.X)]);
        var y = RanksOf([.. pairs.Select(p => p.Y)]);
        double sx = x.Sum(), sy = y.Sum(), sxx = x.Sum(a => a * a), syy = y.Sum(a => a * a), sxy = x.Zip(y, (a, b) => a * b).Sum();
        var numerator = (n * sxy) - (sx * sy);
        var dx = (n * sxx) - (sx * sx);
        var dy = (n * syy) - (sy * sy);
        return Math.Abs(dx) < 1e-9 || Math.Abs(dy) < 1e-9 ? null : numerator / Math.Sqrt(dx * dy);
    }
}
