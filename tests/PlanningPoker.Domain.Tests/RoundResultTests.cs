using System.Globalization;

namespace PlanningPoker.Domain.Tests;

public sealed class RoundResultTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly Deck Fibonacci = Deck.Standard(DeckType.Fibonacci, SpecialCards.All);

    private static readonly Deck TShirt = Deck.Standard(DeckType.TShirt, SpecialCards.All);

    [Fact]
    public void Compute_NoVotes_GivesEmptyResult()
    {
        var result = Compute(Fibonacci, [], Statistic.Median);

        Assert.Empty(result.Distribution);
        Assert.Equal(0, result.VoterCount);
        Assert.Null(result.Min);
        Assert.Null(result.Max);
        Assert.Null(result.Mean);
        Assert.Null(result.Median);
        Assert.Empty(result.Modes);
        Assert.Null(result.Spread);
        Assert.False(result.Consensus);
        Assert.False(result.NearConsensus);
        Assert.Empty(result.LowestVoters);
        Assert.Empty(result.HighestVoters);
        Assert.Null(result.Suggested);
        Assert.Empty(result.MissingVoters);
        Assert.False(result.OnlySpecialCards);
    }

    [Theory]
    [InlineData(Statistic.Median)]
    [InlineData(Statistic.Mean)]
    [InlineData(Statistic.Mode)]
    public void Compute_NoVotes_SuggestsNothingWhateverTheStatistic(Statistic statistic)
    {
        var result = Compute(Fibonacci, [], statistic);

        Assert.Null(result.Suggested);
    }

    [Fact]
    public void Compute_Votes_DistributionInDeckOrderWithVotersAscending()
    {
        Vote[] votes =
        [
            VoteOf(Fibonacci, 5, "?"),
            VoteOf(Fibonacci, 3, "8"),
            VoteOf(Fibonacci, 1, "3"),
            VoteOf(Fibonacci, 6, "∞"),
            VoteOf(Fibonacci, 2, "8"),
            VoteOf(Fibonacci, 4, "1"),
        ];

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(["1", "3", "8", "?", "∞"], result.Distribution.Select(t => t.Card.Label));
        Assert.Equal([1, 1, 2, 1, 1], result.Distribution.Select(t => t.Count));
        Assert.Equal<int>([4], result.Distribution[0].Voters);
        Assert.Equal<int>([2, 3], result.Distribution[2].Voters);
        Assert.Equal(6, result.VoterCount);
    }

    [Fact]
    public void Compute_Votes_DistributionHoldsTheDeckCards()
    {
        var votes = Votes(Fibonacci, "13", "?");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(Fibonacci.Find("13"), result.Distribution[0].Card);
        Assert.Equal(Card.Unsure, result.Distribution[1].Card);
    }

    [Fact]
    public void Compute_OddNumberOfVotes_GivesMinMaxMeanAndMiddleVote()
    {
        var votes = Votes(Fibonacci, "8", "1", "3");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(1m, result.Min);
        Assert.Equal(8m, result.Max);
        Assert.Equal(4m, result.Mean);
        Assert.Equal(3m, result.Median);
    }

    [Fact]
    public void Compute_EvenNumberOfVotes_MedianIsAverageOfTheTwoMiddleVotes()
    {
        var votes = Votes(Fibonacci, "8", "1", "5", "2");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(3.5m, result.Median);
        Assert.Equal(4m, result.Mean);
    }

    [Theory]
    [InlineData("1.33", "1", "1", "2")]
    [InlineData("1.67", "1", "2", "2")]
    [InlineData("5.33", "1", "2", "3", "5", "8", "13")]
    [InlineData("0.13", "1", "0", "0", "0", "0", "0", "0", "0")]
    public void Compute_Mean_IsRoundedToTwoDecimalsHalfAwayFromZero(string expected, params string[] labels)
    {
        var votes = Votes(Fibonacci, labels);

        var result = Compute(Fibonacci, votes, Statistic.Mean);

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), result.Mean);
    }

    [Fact]
    public void Compute_SingleModeCard_IsTheOnlyMode()
    {
        var votes = Votes(Fibonacci, "3", "5", "5", "8");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(["5"], result.Modes.Select(c => c.Label));
    }

    [Fact]
    public void Compute_TiedModes_ListsThemInDeckOrder()
    {
        var votes = Votes(Fibonacci, "8", "3", "8", "3", "1");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(["3", "8"], result.Modes.Select(c => c.Label));
    }

    [Fact]
    public void Compute_SpecialCardsMostPlayed_AreNotModes()
    {
        var votes = Votes(Fibonacci, "?", "?", "?", "3");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(["3"], result.Modes.Select(c => c.Label));
    }

    [Theory]
    [InlineData(3, "2", "8")]
    [InlineData(4, "8", "1", "3")]
    [InlineData(10, "0", "89")]
    [InlineData(0, "5", "5")]
    [InlineData(1, "21", "13", "?")]
    public void Compute_RegularVotes_SpreadIsDistanceInDeckPositions(int expected, params string[] labels)
    {
        var votes = Votes(Fibonacci, labels);

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(expected, result.Spread);
    }

    [Fact]
    public void Compute_TShirtVotes_SpreadIsDistanceInDeckPositions()
    {
        var votes = Votes(TShirt, "S", "XL", "M");

        var result = Compute(TShirt, votes, Statistic.Median);

        Assert.Equal(3, result.Spread);
    }

    [Fact]
    public void Compute_AllOnOneCard_IsConsensus()
    {
        var votes = Votes(Fibonacci, "5", "5", "5");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.True(result.Consensus);
        Assert.False(result.NearConsensus);
        Assert.Equal(0, result.Spread);
        Assert.Equal("5", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_SingleVote_IsNotConsensus()
    {
        var votes = Votes(Fibonacci, "13");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.False(result.Consensus);
        Assert.Equal(1, result.VoterCount);
        Assert.Equal(13m, result.Median);
        Assert.Equal("13", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_AllOnOneSpecialCard_IsNotConsensusAndSaysOnlySpecialCards()
    {
        var votes = Votes(Fibonacci, "?", "?");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.False(result.Consensus);
        Assert.True(result.OnlySpecialCards);
        Assert.Null(result.Median);
        Assert.Null(result.Spread);
        Assert.Null(result.Suggested);
    }

    [Theory]
    [InlineData("3", "5")]
    [InlineData("5", "3", "3", "5", "5")]
    [InlineData("0", "1")]
    [InlineData("55", "89")]
    public void Compute_TwoAdjacentRegularCards_IsNearConsensus(params string[] labels)
    {
        var votes = Votes(Fibonacci, labels);

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.True(result.NearConsensus);
        Assert.False(result.Consensus);
        Assert.Equal(1, result.Spread);
    }

    [Fact]
    public void Compute_TwoAdjacentTShirtSizes_IsNearConsensus()
    {
        var votes = Votes(TShirt, "M", "L", "L");

        var result = Compute(TShirt, votes, Statistic.Median);

        Assert.True(result.NearConsensus);
    }

    [Theory]
    [InlineData("3", "8")]
    [InlineData("3", "5", "8")]
    [InlineData("3", "5", "?")]
    [InlineData("3", "?")]
    [InlineData("3", "☕")]
    [InlineData("?", "☕")]
    [InlineData("89", "∞")]
    public void Compute_NotTwoAdjacentRegularCards_IsNotNearConsensus(params string[] labels)
    {
        var votes = Votes(Fibonacci, labels);

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.False(result.NearConsensus);
        Assert.False(result.Consensus);
    }

    [Fact]
    public void Compute_CardsDiffer_NamesLowestAndHighestVoters()
    {
        Vote[] votes =
        [
            VoteOf(Fibonacci, 4, "13"),
            VoteOf(Fibonacci, 1, "5"),
            VoteOf(Fibonacci, 3, "2"),
            VoteOf(Fibonacci, 2, "13"),
            VoteOf(Fibonacci, 5, "2"),
            VoteOf(Fibonacci, 6, "?"),
        ];

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal<int>([3, 5], result.LowestVoters);
        Assert.Equal<int>([2, 4], result.HighestVoters);
    }

    [Fact]
    public void Compute_NoSpreadAmongRegularCards_NamesNoLowestOrHighestVoters()
    {
        var votes = Votes(Fibonacci, "5", "5", "?", "☕");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(0, result.Spread);
        Assert.Empty(result.LowestVoters);
        Assert.Empty(result.HighestVoters);
    }

    [Fact]
    public void Compute_SpecialCards_CountedInDistributionButLeftOutOfStatistics()
    {
        var votes = Votes(Fibonacci, "?", "3", "☕", "5", "∞");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(5, result.VoterCount);
        Assert.Equal(5, result.Distribution.Count);
        Assert.Equal(3m, result.Min);
        Assert.Equal(5m, result.Max);
        Assert.Equal(4m, result.Mean);
        Assert.Equal(4m, result.Median);
        Assert.Equal(1, result.Spread);
        Assert.Equal(["3", "5"], result.Modes.Select(c => c.Label));
    }

    [Fact]
    public void Compute_OnlySpecialCards_LeavesStatisticsEmpty()
    {
        var votes = Votes(Fibonacci, "?", "☕", "∞");

        var result = Compute(Fibonacci, votes, Statistic.Mode);

        Assert.Equal(3, result.Distribution.Count);
        Assert.Null(result.Min);
        Assert.Null(result.Max);
        Assert.Null(result.Mean);
        Assert.Null(result.Median);
        Assert.Empty(result.Modes);
        Assert.Null(result.Spread);
        Assert.Empty(result.LowestVoters);
        Assert.Empty(result.HighestVoters);
        Assert.Null(result.Suggested);
        Assert.False(result.Consensus);
        Assert.False(result.NearConsensus);
        Assert.True(result.OnlySpecialCards);
    }

    [Fact]
    public void Compute_NonNumericCustomCards_LeftOutOfNumericStatistics()
    {
        var deck = Deck.Custom([new Card("1", 1m), new Card("2", 2m), new Card("huge", null), new Card("10", 10m)]).GetValueOrThrow();
        var votes = Votes(deck, "1", "huge", "2", "huge");

        var result = Compute(deck, votes, Statistic.Median);

        Assert.Equal(1m, result.Min);
        Assert.Equal(2m, result.Max);
        Assert.Equal(1.5m, result.Mean);
        Assert.Equal(1.5m, result.Median);
        Assert.Equal(2, result.Spread);
        Assert.Equal(["huge"], result.Modes.Select(c => c.Label));
        Assert.Equal("2", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_TShirtVotes_NoNumericStatistics()
    {
        var votes = Votes(TShirt, "S", "M", "XL");

        var result = Compute(TShirt, votes, Statistic.Median);

        Assert.Null(result.Min);
        Assert.Null(result.Max);
        Assert.Null(result.Mean);
        Assert.Null(result.Median);
        Assert.Equal<int>([1], result.LowestVoters);
        Assert.Equal<int>([3], result.HighestVoters);
    }

    [Theory]
    [InlineData(Statistic.Median, "M", "S", "M", "XL")]
    [InlineData(Statistic.Mean, "M", "S", "M", "XL")]
    [InlineData(Statistic.Median, "XL", "S", "XL")]
    [InlineData(Statistic.Median, "L", "XS", "M", "L", "XXL")]
    [InlineData(Statistic.Median, "M", "XS", "M", "M", "XXL", "?")]
    [InlineData(Statistic.Median, "XS", "XS")]
    [InlineData(Statistic.Mean, "XL", "XS", "L", "XL", "XXL")]
    public void Compute_TShirtVotes_SuggestsMedianPositionUpperOnTies(Statistic statistic, string expected, params string[] labels)
    {
        var votes = Votes(TShirt, labels);

        var result = Compute(TShirt, votes, statistic);

        Assert.Equal(expected, result.Suggested?.Label);
    }

    [Theory]
    [InlineData("M", "S", "M", "M", "XL")]
    [InlineData("XL", "S", "S", "XL", "XL")]
    public void Compute_TShirtVotesReadByMode_SuggestsMostPlayedHigherOnTie(string expected, params string[] labels)
    {
        var votes = Votes(TShirt, labels);

        var result = Compute(TShirt, votes, Statistic.Mode);

        Assert.Equal(expected, result.Suggested?.Label);
    }

    [Theory]
    [InlineData("3", "2", "3")]
    [InlineData("5", "3", "8")]
    [InlineData("3", "1", "3", "8")]
    [InlineData("8", "5", "13")]
    [InlineData("8", "8", "8", "?")]
    [InlineData("2", "1", "2", "3", "☕")]
    [InlineData("21", "13", "34")]
    [InlineData("1", "0", "2")]
    public void Compute_ReadByMedian_SuggestsNearestNumericCardRoundingUp(string expected, params string[] labels)
    {
        var votes = Votes(Fibonacci, labels);

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.Equal(expected, result.Suggested?.Label);
    }

    [Theory]
    [InlineData("3", "1", "2", "8")]
    [InlineData("8", "5", "8")]
    [InlineData("8", "5", "5", "13")]
    [InlineData("13", "2", "21", "21")]
    [InlineData("0", "0", "0", "1")]
    public void Compute_ReadByMean_SuggestsNearestNumericCardToMeanRoundingUp(string expected, params string[] labels)
    {
        var votes = Votes(Fibonacci, labels);

        var result = Compute(Fibonacci, votes, Statistic.Mean);

        Assert.Equal(expected, result.Suggested?.Label);
    }

    [Theory]
    [InlineData("3", "3", "3", "5")]
    [InlineData("5", "3", "5")]
    [InlineData("8", "3", "3", "8", "8", "13")]
    [InlineData("13", "1", "13", "13", "?", "?", "?")]
    public void Compute_ReadByMode_SuggestsMostPlayedRegularCardHigherOnTie(string expected, params string[] labels)
    {
        var votes = Votes(Fibonacci, labels);

        var result = Compute(Fibonacci, votes, Statistic.Mode);

        Assert.Equal(expected, result.Suggested?.Label);
    }

    [Fact]
    public void Compute_ModifiedFibonacciHalfway_RoundsUpToTheHigherCard()
    {
        var deck = Deck.Standard(DeckType.ModifiedFibonacci, SpecialCards.None);
        var votes = Votes(deck, "½", "1");

        var result = Compute(deck, votes, Statistic.Median);

        Assert.Equal(0.75m, result.Median);
        Assert.Equal("1", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_MedianBetweenCardsOfHoursDeck_SuggestsNearestCard()
    {
        var deck = Deck.Standard(DeckType.Hours, SpecialCards.None);
        var votes = Votes(deck, "16", "24", "40", "40");

        var result = Compute(deck, votes, Statistic.Median);

        Assert.Equal(32m, result.Median);
        Assert.Equal("40", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_SuggestedCard_IsARegularCardOfTheDeck()
    {
        var votes = Votes(Fibonacci, "1", "2", "21", "?");

        var result = Compute(Fibonacci, votes, Statistic.Mean);

        Assert.NotNull(result.Suggested);
        Assert.Contains(result.Suggested, Fibonacci.RegularCards);
    }

    // Issue 9, "Statistics that hold on every deck": one test per example the oracle found.

    [Fact]
    public void Compute_ReadByMean_SuggestsTheCardNearestTheExactMeanNotTheRoundedOne()
    {
        var deck = Deck.Custom([new Card("0", 0m), new Card("2", 2m), new Card("2.99", 2.99m)]).GetValueOrThrow();
        var votes = Votes(deck, "0", "0", "2.99");

        var result = Compute(deck, votes, Statistic.Mean);

        Assert.Equal(1m, result.Mean);
        Assert.Equal("0", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_ReadByMeanExactlyHalfway_SuggestsTheHigherCard()
    {
        var votes = Votes(Fibonacci, "1", "2", "5", "8");

        var result = Compute(Fibonacci, votes, Statistic.Mean);

        Assert.Equal(4m, result.Mean);
        Assert.Equal("5", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_OneVoteOfThreePresentVoters_IsNotConsensusAndNamesTheMissing()
    {
        Vote[] votes = [VoteOf(Fibonacci, 2, "5")];

        var result = RoundResult.Compute(Fibonacci, votes, Statistic.Median, [1, 2, 3]);

        Assert.False(result.Consensus);
        Assert.Equal(1, result.VoterCount);
        Assert.Equal<int>([1, 3], result.MissingVoters);
        Assert.Equal("5", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_TwoOfThreePresentVotersOnOneCard_IsNotConsensus()
    {
        Vote[] votes = [VoteOf(Fibonacci, 1, "5"), VoteOf(Fibonacci, 3, "5")];

        var result = RoundResult.Compute(Fibonacci, votes, Statistic.Median, [3, 2, 1]);

        Assert.False(result.Consensus);
        Assert.Equal<int>([2], result.MissingVoters);
    }

    [Fact]
    public void Compute_TwoOfThreePresentVotersOnAdjacentCards_IsNotNearConsensus()
    {
        Vote[] votes = [VoteOf(Fibonacci, 1, "3"), VoteOf(Fibonacci, 2, "5")];

        var result = RoundResult.Compute(Fibonacci, votes, Statistic.Median, [1, 2, 3]);

        Assert.False(result.NearConsensus);
        Assert.Equal<int>([3], result.MissingVoters);
    }

    [Fact]
    public void Compute_VoteOfAVoterNoLongerPresent_CountsAndNobodyIsMissing()
    {
        var votes = Votes(Fibonacci, "8", "8", "8");

        var result = RoundResult.Compute(Fibonacci, votes, Statistic.Median, [1, 2]);

        Assert.True(result.Consensus);
        Assert.Empty(result.MissingVoters);
    }

    [Fact]
    public void Compute_EveryoneOnTheUnsureCard_IsNotConsensusAndSaysOnlySpecialCards()
    {
        var votes = Votes(Fibonacci, "?", "?", "?");

        var result = Compute(Fibonacci, votes, Statistic.Mode);

        Assert.False(result.Consensus);
        Assert.True(result.OnlySpecialCards);
        Assert.Null(result.Suggested);
    }

    [Fact]
    public void Compute_OneRegularVoteAmongSpecialCards_IsNotOnlySpecialCards()
    {
        var votes = Votes(Fibonacci, "?", "☕", "3");

        var result = Compute(Fibonacci, votes, Statistic.Median);

        Assert.False(result.OnlySpecialCards);
        Assert.Equal("3", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_DeckStoredOutOfValueOrder_NamesLowestAndHighestVotersByValue()
    {
        var deck = Deck.Restore(new DeckSnapshot(DeckType.Custom, [new Card("10", 10m), new Card("1", 1m), new Card("5", 5m)], SpecialCards.None));
        var votes = Votes(deck, "10", "1", "5", "1");

        var result = Compute(deck, votes, Statistic.Median);

        Assert.Equal<int>([2, 4], result.LowestVoters);
        Assert.Equal<int>([1], result.HighestVoters);
    }

    [Fact]
    public void Compute_ModeTieOnDeckStoredOutOfValueOrder_SuggestsTheHigherValue()
    {
        var deck = Deck.Restore(new DeckSnapshot(DeckType.Custom, [new Card("8", 8m), new Card("3", 3m), new Card("5", 5m)], SpecialCards.None));
        var votes = Votes(deck, "3", "8", "8", "3");

        var result = Compute(deck, votes, Statistic.Mode);

        Assert.Equal("8", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_ModeTieBetweenANumberAndAValuelessCard_SuggestsTheNumber()
    {
        var deck = Deck.Custom([new Card("1", 1m), new Card("2", 2m), new Card("huge", null)]).GetValueOrThrow();
        var votes = Votes(deck, "huge", "2", "huge", "2", "1");

        var result = Compute(deck, votes, Statistic.Mode);

        Assert.Equal("2", result.Suggested?.Label);
    }

    [Fact]
    public void Compute_NumbersAndValuelessCards_NamesLowestAndHighestAmongTheNumbers()
    {
        var deck = Deck.Custom([new Card("tiny", null), new Card("1", 1m), new Card("2", 2m), new Card("huge", null)]).GetValueOrThrow();
        var votes = Votes(deck, "tiny", "2", "1", "huge");

        var result = Compute(deck, votes, Statistic.Median);

        Assert.Equal<int>([3], result.LowestVoters);
        Assert.Equal<int>([2], result.HighestVoters);
    }

    /// <summary>Computes with every voter present: the present voters are exactly those who voted.</summary>
    private static RoundResult Compute(Deck deck, Vote[] votes, Statistic statistic) =>
        RoundResult.Compute(deck, votes, statistic, [.. votes.Select(v => v.ParticipantId)]);

    private static Vote VoteOf(Deck deck, int participantId, string label) =>
        new(participantId, deck.Find(label) ?? throw new ArgumentException($"'{label}' is not in the deck.", nameof(label)), Now);

    /// <summary>One vote per label, by participants 1, 2, 3… in that order.</summary>
    private static Vote[] Votes(Deck deck, params string[] labels) =>
        [.. labels.Select((label, i) => VoteOf(deck, i + 1, label))];
}
