using System.Globalization;
using CsCheck;

namespace PlanningPoker.Domain.Tests;

/// <summary>
/// <see cref="RoundResult.Compute"/> against <see cref="RoundResultOracle"/> on random decks (built-in ones, and custom
/// ones in ascending value order with valueless and special cards) and random votes of up to 8 voters, some absent.
/// </summary>
public sealed class RoundResultPropertyTests
{
    /// <summary>Raise with CsCheck_Iter=100000 for a long hunt.</summary>
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var n) ? n : 3000;

    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly decimal[] Steps = [0.01m, 0.99m, 1m, 1.01m, 1.99m, 2m, 2.99m, 0.37m];

    private static readonly Gen<SpecialCards> Specials = Gen.Int[0, 7].Select(i => (SpecialCards)i);

    private static readonly Gen<Deck> BuiltInDeck =
        Gen.Select(Gen.OneOf(DeckType.Fibonacci, DeckType.ModifiedFibonacci, DeckType.TShirt, DeckType.PowersOfTwo, DeckType.Hours), Specials)
            .Select(t => Deck.Standard(t.Item1, t.Item2));

    /// <summary>
    /// 2 to 10 cards; which ones have a value depends on a "kind" (none, some, most, all); values climb by random
    /// steps from a random start, in whole numbers (many ties between cards) or in hundredths (steps such as 0.99
    /// and 1.01, which put the exact mean a few thousandths from a midpoint between cards, where rounding it first
    /// would pick the other card).
    /// </summary>
    private static readonly Gen<Deck> CustomDeck =
        Gen.Select(Gen.Int[0, 1000].Array[2, 10], Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 20], Specials)
            .Select(t =>
            {
                var (raw, kind, hundredths, start, specials) = t;
                var unit = hundredths ? 0.01m : 1m;
                var value = start * unit;
                var cards = new Card[raw.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    var valued = kind switch { 0 => false, 1 => raw[i] % 2 == 0, 2 => raw[i] % 5 != 0, _ => true };
                    if (valued)
                    {
                        cards[i] = new Card(value.ToString(CultureInfo.InvariantCulture), value);
                        value += hundredths ? Steps[raw[i] % Steps.Length] : ((raw[i] % 6) + 1);
                    }
                    else
                    {
                        cards[i] = new Card($"n{i}", null);
                    }
                }

                return Deck.Custom(cards, specials).GetValueOrThrow();
            });

    private static readonly Gen<Deck> AnyDeck = Gen.Frequency((2, BuiltInDeck), (3, CustomDeck));

    /// <summary>
    /// A deck, the votes of voters 1 to 8 (each may abstain), who is present, and the statistic. Votes are drawn from
    /// the whole deck, from two adjacent cards or from one card, so that consensus and near consensus happen often.
    /// </summary>
    private static readonly Gen<(Deck Deck, Vote[] Votes, int[] Present, Statistic Statistic)> Rounds =
        AnyDeck.SelectMany(deck =>
            Gen.Select(Gen.Int[0, deck.Cards.Length - 1], Gen.Int[0, 2], Gen.Int[0, 1000].Array[8], Gen.Int[0, 3].Array[8], Gen.Int[0, 2], Gen.Int[0, 2])
                .Select(t =>
                {
                    var (from, width, raw, flags, presence, statistic) = t;
                    var votes = new List<Vote>();
                    var present = new List<int>();
                    for (var voter = 1; voter <= 8; voter++)
                    {
                        var casts = flags[voter - 1] != 0;
                        var index = width switch
                        {
                            0 => from,
                            1 => Math.Min(from + (raw[voter - 1] % 2), deck.Cards.Length - 1),
                            _ => raw[voter - 1] % deck.Cards.Length,
                        };
                        if (casts)
                        {
                            votes.Add(new Vote(voter, deck.Cards[index], Now));
                        }

                        // presence 0: exactly the voters are present; 1: everyone; 2: at random (absent voters keep their vote).
                        var isPresent = presence switch { 0 => casts, 1 => true, _ => raw[voter - 1] % 3 != 0 };
                        if (isPresent)
                        {
                            present.Add(voter);
                        }
                    }

                    return (deck, votes.ToArray(), present.ToArray(), (Statistic)statistic);
                }));

    /// <summary>
    /// Rounds read by the mean on 3-card decks in hundredths with 3 to 7 votes: where the exact mean most often
    /// falls a few thousandths from a midpoint between two cards (deck 0 / 2 / 2.99, votes 0 0 2.99).
    /// </summary>
    private static readonly Gen<(Deck Deck, Vote[] Votes, int[] Present, Statistic Statistic)> MeanRounds =
        Gen.Select(Gen.Int[0, 300], Gen.Int[0, Steps.Length - 1], Gen.Int[0, Steps.Length - 1], Gen.Int[0, 2].Array[3, 7])
            .Select(t =>
            {
                var (start, step1, step2, picks) = t;
                var first = start / 100m;
                decimal[] values = [first, first + Steps[step1], first + Steps[step1] + Steps[step2]];
                var deck = Deck.Custom([.. values.Select(v => new Card(v.ToString(CultureInfo.InvariantCulture), v))]).GetValueOrThrow();
                Vote[] votes = [.. picks.Select((p, i) => new Vote(i + 1, deck.RegularCards[p], Now))];
                return (deck, votes, votes.Select(v => v.ParticipantId).ToArray(), Statistic.Mean);
            });

    [Fact]
    public void Compute_ReadByMeanOnHundredthsDecks_AgreesWithTheOracle() =>
        MeanRounds.Sample(AssertAgreesWithTheOracle, iter: Iterations * 4, print: Describe);

    [Fact]
    public void Compute_AnyDeckAndVotes_AgreesWithTheOracle() =>
        Rounds.Sample(AssertAgreesWithTheOracle, iter: Iterations, print: Describe);

    private static string Describe((Deck Deck, Vote[] Votes, int[] Present, Statistic Statistic) r) =>
        $"deck [{r.Deck}] values [{string.Join(' ', r.Deck.RegularCards.Select(c => c.Value))}] votes [{string.Join(' ', r.Votes.Select(v => $"{v.ParticipantId}:{v.Card.Label}"))}] present [{string.Join(' ', r.Present)}] {r.Statistic}";

    private static void AssertAgreesWithTheOracle((Deck Deck, Vote[] Votes, int[] Present, Statistic Statistic) r)
    {
        var actual = RoundResult.Compute(r.Deck, r.Votes, r.Statistic, r.Present);
        var expected = RoundResultOracle.Expect(r.Deck, r.Votes, r.Statistic, r.Present);

        Assert.Equal(expected.Distribution.Select(t => t.Label), actual.Distribution.Select(t => t.Card.Label));
        Assert.Equal(expected.Distribution.Select(t => t.Count), actual.Distribution.Select(t => t.Count));
        Assert.Equal(expected.Distribution.Select(t => string.Join(',', t.Voters)), actual.Distribution.Select(t => string.Join(',', t.Voters)));
        Assert.Equal(expected.VoterCount, actual.VoterCount);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Mean, actual.Mean);
        Assert.Equal(expected.Median, actual.Median);
        Assert.Equal(expected.Modes, actual.Modes.Select(c => c.Label));
        Assert.Equal(expected.Spread, actual.Spread);
        Assert.Equal(expected.Consensus, actual.Consensus);
        Assert.Equal(expected.NearConsensus, actual.NearConsensus);
        Assert.Equal(expected.LowestVoters, actual.LowestVoters);
        Assert.Equal(expected.HighestVoters, actual.HighestVoters);
        Assert.Equal(expected.Suggested, actual.Suggested?.Label);
        Assert.Equal(expected.MissingVoters, actual.MissingVoters);
        Assert.Equal(expected.OnlySpecialCards, actual.OnlySpecialCards);
    }

    [Fact]
    public void Compute_AnyDeckAndVotes_SuggestsARegularCardOfTheDeckExactlyWhenOneWasPlayed() =>
        Rounds.Sample(r =>
        {
            var result = RoundResult.Compute(r.Deck, r.Votes, r.Statistic, r.Present);

            var regularPlayed = r.Votes.Any(v => !v.Card.IsSpecial);
            Assert.Equal(regularPlayed, result.Suggested is not null);
            Assert.Equal(r.Votes.Length > 0 && !regularPlayed, result.OnlySpecialCards);
            if (result.Suggested is { } suggested)
            {
                Assert.Contains(suggested, r.Deck.RegularCards);
            }
        }, iter: Iterations);

    [Fact]
    public void Custom_RandomValues_AcceptedExactlyWhenTheValuesAscendStrictly() =>
        Gen.Select(Gen.Int[0, 30].Nullable(0.25).Array[2, 8], Specials).Sample(t =>
        {
            var (values, specials) = t;
            var cards = values.Select((v, i) => new Card($"c{i}", v)).ToArray();
            var given = values.Where(v => v is not null).Select(v => v!.Value).ToList();
            var ascending = given.Zip(given.Skip(1)).All(p => p.First < p.Second);

            var result = Deck.Custom(cards, specials);

            Assert.Equal(ascending, result.IsSuccess);
            if (!ascending)
            {
                Assert.Equal(RoomErrorCode.InvalidDeck, result.Error!.Code);
            }
        }, iter: Iterations);
}
