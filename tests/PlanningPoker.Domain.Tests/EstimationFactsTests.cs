namespace PlanningPoker.Domain.Tests;

/// <summary>
/// The facts of an estimated story and the KPIs of many (docs/kpis.md), against numbers worked out by hand in each
/// test's comments.
/// </summary>
public sealed class EstimationFactsTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly Deck Fibonacci = Deck.Default; // 0 1 2 3 5 8 13 21 34 55 89 ? ☕

    [Fact]
    public void AStoryReVotedOnce_AfterACancelledRound_HasTheFactsOfItsRevealedRounds()
    {
        // Round 1 at 10:00: Ann 3, Ben 5, Cas ?, Dan present but silent → no consensus, spread 3→5 = 1 position,
        // 3 votes, 1 missed, 1 unsure. Round 2 at 10:04: cancelled. Round 3 at 10:06: 5, 5, 5, everyone voted →
        // consensus. Accepted 5 at 10:09: 9 minutes from the first round.
        var first = Revealed(1, Ten, [(1, "3"), (2, "5"), (3, "?")], present: [1, 2, 3, 4]);
        var cancelled = new Round(2, 7, 2, Ten.AddMinutes(4));
        cancelled.Cancel();
        var third = Revealed(3, Ten.AddMinutes(6), [(1, "5"), (2, "5"), (3, "5")], present: [1, 2, 3]);

        var facts = StoryFacts.Of([third, cancelled, first], new Estimate("5", 5m), Ten.AddMinutes(9));

        Assert.Equal(new StoryFacts(2, false, true, 1, TimeSpan.FromMinutes(9), 6, 1, 1, 0, "5", 5m), facts);
    }

    [Fact]
    public void AStoryAgreedAtOnce_AndOneAcceptedWithoutARound_AreToldApart()
    {
        // 2, 2 and a ☕, every present voter voted: no consensus (it needs every vote on one regular card), spread 0
        // (one regular card played), one break. A story accepted without a round has only its estimate.
        var once = StoryFacts.Of([Revealed(1, Ten, [(1, "2"), (2, "2"), (3, "☕")], present: [1, 2, 3])], new Estimate("2", 2m), Ten.AddMinutes(2));
        Assert.Equal(new StoryFacts(1, false, false, 0, TimeSpan.FromMinutes(2), 3, 0, 0, 1, "2", 2m), once);

        var typed = StoryFacts.Of([], new Estimate("XL", null), Ten);
        Assert.Equal(new StoryFacts(0, false, false, null, null, 0, 0, 0, 0, "XL", null), typed);
    }

    [Fact]
    public void AStoryEstimatedAgain_IsJudgedOnItsLatestEstimationOnly()
    {
        // Estimated 3 at 10:02 after one round; estimated again at 10:30, accepted 5 at 10:35 after one round with a
        // consensus: one revealed round, five minutes, four votes.
        var before = Revealed(1, Ten, [(1, "3"), (2, "5")], present: [1, 2]);
        before.Accept(new Estimate("3", 3m));
        var again = Revealed(2, Ten.AddMinutes(30), [(1, "5"), (2, "5"), (3, "5"), (4, "5")], present: [1, 2, 3, 4]);
        again.Accept(new Estimate("5", 5m));

        var facts = StoryFacts.Of([again, before], new Estimate("5", 5m), Ten.AddMinutes(35));

        Assert.Equal(new StoryFacts(1, true, false, 0, TimeSpan.FromMinutes(5), 4, 0, 0, 0, "5", 5m), facts);
    }

    [Fact]
    public void TheKpisOfFiveStories_AreTheHandWorkedNumbers()
    {
        StoryFacts[] stories =
        [
            //        rounds consensus converged spread minutes votes missed ? ☕ card value
            new(1, true, false, 0, TimeSpan.FromMinutes(2), 4, 0, 0, 0, "3", 3m),
            new(2, false, true, 2, TimeSpan.FromMinutes(8), 8, 1, 1, 0, "5", 5m),
            new(4, false, false, 3, TimeSpan.FromMinutes(20), 15, 1, 2, 1, "8", 8m),
            new(1, true, false, 0, TimeSpan.FromMinutes(3), 4, 0, 0, 0, "3", 3m),
            new(0, false, false, null, null, 0, 0, 0, 0, "?", null), // accepted without a round: in counts and totals only
        ];

        var kpis = EstimationKpis.Of(stories);

        Assert.Equal(5, kpis.StoriesEstimated);
        Assert.Equal(19m, kpis.EstimatedTotal); // 3 + 5 + 8 + 3
        Assert.Equal(0.5, kpis.FirstRoundConsensusRate); // 2 of the 4 with a revealed round
        Assert.Equal(2.0, kpis.RoundsPerStory); // (1 + 2 + 4 + 1) / 4
        Assert.Equal(5.5, kpis.MedianMinutesPerStory); // 2, 3, 8, 20 → (3 + 8) / 2
        Assert.Equal(31.0 / 33, kpis.Participation); // 31 votes of 31 + 2 expected
        Assert.Equal(3.0 / 31, kpis.UnsureShare);
        Assert.Equal(1.0 / 31, kpis.BreakShare);
        Assert.Equal([KeyValuePair.Create(0, 2), KeyValuePair.Create(2, 1), KeyValuePair.Create(3, 1)], kpis.SpreadDistribution);
        Assert.Equal([KeyValuePair.Create("3", 2), KeyValuePair.Create("5", 1), KeyValuePair.Create("8", 1), KeyValuePair.Create("?", 1)], kpis.EstimateDistribution);
        Assert.Equal((1, 1, 1), (kpis.RevotesConverged, kpis.RevotesNotConverged, kpis.ReVotedThreeTimes));
        Assert.Equal(1.0, kpis.MedianFirstSpread); // 0, 0, 2, 3 → (0 + 2) / 2; the story without a round has none
    }

    [Fact]
    public void NoStories_HaveNoShares()
    {
        var kpis = EstimationKpis.Of([]);

        Assert.Equal((0, 0m), (kpis.StoriesEstimated, kpis.EstimatedTotal));
        Assert.Null(kpis.FirstRoundConsensusRate);
        Assert.Null(kpis.RoundsPerStory);
        Assert.Null(kpis.MedianMinutesPerStory);
        Assert.Null(kpis.Participation);
        Assert.Null(kpis.UnsureShare);
        Assert.Empty(kpis.SpreadDistribution);
        Assert.Null(kpis.MedianFirstSpread);
    }

    [Fact]
    public void ConsensusChange_IsTheLaterHalfsRateMinusTheEarlierOnes_OnceEachHalfHasThreeVotedStories()
    {
        // Earlier: 3 of 4 agreed at once (75 %); later: 1 of 3 (33 %): a drop of 41.7 points, pointed out.
        StoryFacts[] earlier = [Agreed(true), Agreed(true), Agreed(true), Agreed(false)];
        StoryFacts[] later = [Agreed(true), Agreed(false), Agreed(false)];

        var change = EstimationHints.ConsensusChange(earlier, later);

        Assert.Equal((1.0 / 3) - 0.75, change!.Value, 9);
        Assert.True(EstimationHints.IsDropping(change));
        Assert.False(EstimationHints.IsDropping(EstimationHints.ConsensusChange(later, earlier)));

        // A story accepted without a round does not count toward the three; two voted stories are too few to say.
        Assert.Null(EstimationHints.ConsensusChange(earlier, [Agreed(true), Agreed(false), Typed]));
        Assert.False(EstimationHints.IsDropping(null));

        // A drop just under ten points is not pointed out.
        StoryFacts[] tenOf = [.. Enumerable.Range(0, 10).Select(i => Agreed(i < 9))];
        StoryFacts[] eightOf = [.. Enumerable.Range(0, 10).Select(i => Agreed(i < 8))];
        Assert.False(EstimationHints.IsDropping(EstimationHints.ConsensusChange(tenOf, [.. Enumerable.Range(0, 100).Select(i => Agreed(i < 81))])));
        Assert.True(EstimationHints.IsDropping(EstimationHints.ConsensusChange(tenOf, eightOf)));
    }

    [Fact]
    public void UnusedCards_AreTheDecksCardsNoStoryGot_InTheDecksOrder()
    {
        // Twenty stories: nineteen 3s and 8s, one XL (not in the deck).
        StoryFacts[] stories = [.. Enumerable.Range(0, 19).Select(i => Agreed(true) with { FinalCard = i % 2 == 0 ? "3" : "8" }), Typed];

        Assert.Equal(["1", "2", "5", "13"], EstimationHints.UnusedCards(["1", "2", "3", "5", "8", "13", "3"], stories));
        Assert.Empty(EstimationHints.UnusedCards(["3", "8"], stories));

        // Under twenty stories, nothing is said yet.
        Assert.Empty(EstimationHints.UnusedCards(["1", "2", "3"], stories[1..]));
    }

    private static StoryFacts Agreed(bool atOnce) => new(1, atOnce, false, atOnce ? 0 : 2, TimeSpan.FromMinutes(3), 4, 0, 0, 0, "5", 5m);

    private static StoryFacts Typed => new(0, false, false, null, null, 0, 0, 0, 0, "XL", null);

    private static Round Revealed(int id, DateTimeOffset startedAt, (int Voter, string Card)[] votes, int[] present)
    {
        var round = new Round(id, 7, id, startedAt);
        var cast = votes.Select(v => new Vote(v.Voter, Fibonacci.Cards.Single(c => c.Label == v.Card), startedAt.AddSeconds(30))).ToArray();
        foreach (var vote in cast)
        {
            round.Cast(vote);
        }

        round.Reveal(RoundResult.Compute(Fibonacci, cast, Statistic.Median, present), RevealTrigger.Manual, startedAt.AddMinutes(1));
        return round;
    }
}
