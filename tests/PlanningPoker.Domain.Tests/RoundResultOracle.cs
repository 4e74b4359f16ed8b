using System.Numerics;

namespace PlanningPoker.Domain.Tests;

/// <summary>What a round result should hold, in plain values, so a test can compare it field by field.</summary>
internal sealed record ExpectedResult(
    IReadOnlyList<(string Label, int Count, int[] Voters)> Distribution,
    int VoterCount,
    decimal? Min,
    decimal? Max,
    decimal? Mean,
    decimal? Median,
    string[] Modes,
    int? Spread,
    bool Consensus,
    bool NearConsensus,
    int[] LowestVoters,
    int[] HighestVoters,
    string? Suggested,
    int[] MissingVoters,
    bool OnlySpecialCards);

/// <summary>
/// The rules of docs/architecture.md "Round result", written a second time and independently of
/// <see cref="RoundResult.Compute"/>: every number is an exact fraction of big integers, cards are compared by value,
/// and no code is shared with the production computation. The property tests hold the two against each other.
/// </summary>
internal static class RoundResultOracle
{
    public static ExpectedResult Expect(Deck deck, IReadOnlyList<Vote> votes, Statistic statistic, IReadOnlyCollection<int> presentVoters)
    {
        var cards = deck.Cards.ToList();
        var regularCards = cards.Where(c => c.Kind == CardKind.Regular).ToList();
        int PositionOf(Card card) => regularCards.FindIndex(c => c.Label == card.Label);

        // Distribution: walk the deck in order and count.
        var distribution = new List<(string Label, int Count, int[] Voters)>();
        foreach (var card in cards)
        {
            var voters = votes.Where(v => v.Card.Label == card.Label).Select(v => v.ParticipantId).ToList();
            voters.Sort();
            if (voters.Count > 0)
            {
                distribution.Add((card.Label, voters.Count, voters.ToArray()));
            }
        }

        var n = votes.Count;
        var numericVotes = votes.Where(v => v.Card.Kind == CardKind.Regular && v.Card.Value is not null).ToList();
        var regularVotes = votes.Where(v => v.Card.Kind == CardKind.Regular).ToList();

        // Numeric statistics on exact fractions.
        decimal? min = null, max = null, mean = null, median = null;
        Fraction? meanExact = null, medianExact = null;
        if (numericVotes.Count > 0)
        {
            var values = numericVotes.Select(v => Fraction.Of(v.Card.Value!.Value)).ToList();
            values.Sort();
            min = values[0].ToDecimal();
            max = values[^1].ToDecimal();
            var sum = values.Aggregate(Fraction.Zero, (a, b) => a + b);
            meanExact = sum / values.Count;
            mean = meanExact.RoundToCentsHalfUp();
            medianExact = values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
            median = medianExact.ToDecimal();
        }

        // Modes: the regular cards played most, in deck order.
        var regularTallies = distribution.Where(t => regularCards.Any(c => c.Label == t.Label)).ToList();
        var top = regularTallies.Count == 0 ? 0 : regularTallies.Max(t => t.Count);
        var modes = regularTallies.Where(t => t.Count == top).Select(t => t.Label).ToArray();

        // Spread in deck positions.
        var positions = regularVotes.Select(v => PositionOf(v.Card)).ToList();
        int? spread = positions.Count == 0 ? null : positions.Max() - positions.Min();

        // Lowest / highest: by value when a number was played, else by deck position.
        int[] lowest = [], highest = [];
        if (numericVotes.Count > 0)
        {
            var low = numericVotes.Min(v => v.Card.Value!.Value);
            var high = numericVotes.Max(v => v.Card.Value!.Value);
            if (low != high)
            {
                lowest = [.. numericVotes.Where(v => v.Card.Value == low).Select(v => v.ParticipantId).OrderBy(id => id)];
                highest = [.. numericVotes.Where(v => v.Card.Value == high).Select(v => v.ParticipantId).OrderBy(id => id)];
            }
        }
        else if (spread > 0)
        {
            var first = positions.Min();
            var last = positions.Max();
            lowest = [.. regularVotes.Where(v => PositionOf(v.Card) == first).Select(v => v.ParticipantId).OrderBy(id => id)];
            highest = [.. regularVotes.Where(v => PositionOf(v.Card) == last).Select(v => v.ParticipantId).OrderBy(id => id)];
        }

        // Who was there and did not vote; the verdicts.
        var missing = presentVoters.Distinct().Where(id => votes.All(v => v.ParticipantId != id)).OrderBy(id => id).ToArray();
        var labels = votes.Select(v => v.Card.Label).Distinct().ToList();
        var allSpecial = n > 0 && votes.All(v => v.Card.Kind != CardKind.Regular);
        var consensus = n >= 2 && missing.Length == 0 && labels.Count == 1 && votes[0].Card.Kind == CardKind.Regular;
        var nearConsensus = n >= 2 && missing.Length == 0 && labels.Count == 2 && regularVotes.Count == n
            && Math.Abs(positions.Max() - positions.Min()) == 1;

        return new ExpectedResult(distribution, n, min, max, mean, median, modes, spread, consensus, nearConsensus, lowest, highest,
            Suggest(regularCards, regularVotes, modes, statistic, numericVotes.Count > 0 ? (statistic == Statistic.Mean ? meanExact : medianExact) : null, PositionOf),
            missing, allSpecial);
    }

    private static string? Suggest(List<Card> regularCards, List<Vote> regularVotes, string[] modes, Statistic statistic, Fraction? target, Func<Card, int> positionOf)
    {
        if (regularVotes.Count == 0)
        {
            return null;
        }

        if (statistic == Statistic.Mode)
        {
            var modeCards = regularCards.Where(c => modes.Contains(c.Label)).ToList();
            var valued = modeCards.Where(c => c.Value is not null).OrderByDescending(c => c.Value).ToList();
            return valued.Count > 0 ? valued[0].Label : modeCards[^1].Label;
        }

        if (target is not null)
        {
            var candidates = regularCards.Where(c => c.Value is not null)
                .Select(c => (c.Label, Value: Fraction.Of(c.Value!.Value)))
                .OrderBy(c => (c.Value - target).Abs())
                .ThenByDescending(c => c.Value)
                .ToList();
            if (candidates.Count > 0)
            {
                return candidates[0].Label;
            }
        }

        var sorted = regularVotes.Select(v => positionOf(v.Card)).OrderBy(p => p).ToList();
        return regularCards[sorted[sorted.Count / 2]].Label;
    }

    /// <summary>An exact non-normalised fraction of big integers (denominator positive).</summary>
    private sealed record Fraction(BigInteger Numerator, BigInteger Denominator) : IComparable<Fraction>
    {
        public static Fraction Zero { get; } = new(0, 1);

        public static Fraction Of(decimal value)
        {
            // A decimal is an integer over a power of ten: read it from the scale, not from decimal arithmetic.
            var scale = value.Scale;
            var denominator = BigInteger.Pow(10, scale);
            var digits = value.ToString(System.Globalization.CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal);
            return new Fraction(BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), denominator);
        }

        public static Fraction operator +(Fraction a, Fraction b) =>
            new((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

        public static Fraction operator -(Fraction a, Fraction b) =>
            new((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

        public static Fraction operator /(Fraction a, int divisor) => new(a.Numerator, a.Denominator * divisor);

        public Fraction Abs() => new(BigInteger.Abs(Numerator), Denominator);

        public int CompareTo(Fraction? other) =>
            other is null ? 1 : (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

        /// <summary>Exact for the values tests use (a finite decimal expansion of few digits).</summary>
        public decimal ToDecimal()
        {
            var (quotient, remainder) = BigInteger.DivRem(Numerator * BigInteger.Pow(10, 12), Denominator);
            if (!remainder.IsZero)
            {
                throw new InvalidOperationException($"{Numerator}/{Denominator} has no short decimal expansion.");
            }

            return (decimal)quotient / 1_000_000_000_000m;
        }

        /// <summary>To 2 decimals, half away from zero (values are never negative).</summary>
        public decimal RoundToCentsHalfUp()
        {
            var cents = BigInteger.Divide((Numerator * 200) + Denominator, Denominator * 2);
            return (decimal)cents / 100m;
        }
    }
}
