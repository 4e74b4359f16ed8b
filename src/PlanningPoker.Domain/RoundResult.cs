namespace PlanningPoker.Domain;

/// <summary>How many played one card, and who.</summary>
/// <param name="Card">The card.</param>
/// <param name="Count">How many votes it got.</param>
/// <param name="Voters">Who played it, by participant id, ascending.</param>
public sealed record CardTally(Card Card, int Count, IReadOnlyList<int> Voters);

/// <summary>
/// The statistics of a revealed round, computed once at reveal and kept with the round (see docs/architecture.md,
/// "Round result", for every rule). Special cards (<c>?</c> <c>☕</c> <c>∞</c>) and cards without a value are counted
/// in <see cref="Distribution"/> but left out of the numeric statistics.
/// </summary>
/// <param name="Distribution">Votes per card played, in deck order.</param>
/// <param name="VoterCount">How many voted.</param>
/// <param name="Min">Lowest numeric vote.</param>
/// <param name="Max">Highest numeric vote.</param>
/// <param name="Mean">Average of numeric votes, rounded to 2 decimals (half away from zero) for display; the suggestion uses the exact mean.</param>
/// <param name="Median">Middle numeric vote (average of the two middle ones for an even count).</param>
/// <param name="Modes">The most played regular card(s), in deck order.</param>
/// <param name="Spread">Distance in deck positions between the first and last regular card played.</param>
/// <param name="Consensus">At least two votes, all on one regular card, and every present voter voted.</param>
/// <param name="NearConsensus">At least two votes, all on two adjacent regular cards, and every present voter voted.</param>
/// <param name="LowestVoters">Who played the lowest value (by deck position when no numeric card was played), when votes differ: they explain first.</param>
/// <param name="HighestVoters">Who played the highest value (by deck position when no numeric card was played), when votes differ: they explain first.</param>
/// <param name="Suggested">The suggested estimate (see <see cref="Compute"/>), or null when no regular card was played.</param>
/// <param name="MissingVoters">Present voters who had not voted at reveal, by participant id, ascending (empty in results stored before it existed).</param>
/// <param name="OnlySpecialCards">At least one vote, and every vote a special card: there is no estimate to suggest.</param>
public sealed record RoundResult(
    IReadOnlyList<CardTally> Distribution,
    int VoterCount,
    decimal? Min,
    decimal? Max,
    decimal? Mean,
    decimal? Median,
    IReadOnlyList<Card> Modes,
    int? Spread,
    bool Consensus,
    bool NearConsensus,
    IReadOnlyList<int> LowestVoters,
    IReadOnlyList<int> HighestVoters,
    Card? Suggested,
    IReadOnlyList<int>? MissingVoters = null,
    bool OnlySpecialCards = false)
{
    /// <summary>Present voters who had not voted at reveal, by participant id, ascending.</summary>
    public IReadOnlyList<int> MissingVoters { get; init; } = MissingVoters ?? [];

    /// <summary>
    /// Computes the result of a set of votes on a deck.
    /// <para>The suggested estimate is a regular card of the deck:</para>
    /// <list type="bullet">
    /// <item>when the team reads the <see cref="Statistic.Mode"/>: the most played regular card; on a tie the one with
    /// the highest value (the last in deck order when none of the tied cards has a value);</item>
    /// <item>when it reads the <see cref="Statistic.Median"/> or <see cref="Statistic.Mean"/> and numeric cards were played:
    /// the deck's numeric card nearest the exact statistic (never the rounded <see cref="Mean"/>), the higher value on a tie ("round up");</item>
    /// <item>otherwise (T-shirt sizes, no numeric vote): the card at the median deck position of the regular votes, the later one on a tie.</item>
    /// </list>
    /// </summary>
    /// <param name="deck">The round's deck.</param>
    /// <param name="votes">The votes cast.</param>
    /// <param name="statistic">The statistic the team reads first.</param>
    /// <param name="presentVoters">Who was present and allowed to vote at reveal, by participant id.</param>
    public static RoundResult Compute(Deck deck, IReadOnlyList<Vote> votes, Statistic statistic, IReadOnlyCollection<int> presentVoters)
    {
        ArgumentNullException.ThrowIfNull(deck);
        ArgumentNullException.ThrowIfNull(votes);
        ArgumentNullException.ThrowIfNull(presentVoters);

        var distribution = votes
            .GroupBy(v => v.Card.Label, StringComparer.Ordinal)
            .Select(g => new CardTally(g.First().Card, g.Count(), g.Select(v => v.ParticipantId).Order().ToArray()))
            .OrderBy(t => deck.Cards.IndexOf(t.Card) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(t => t.Card.Label, StringComparer.Ordinal)
            .ToArray();

        var numericVotes = votes.Where(v => v.Card.IsNumeric).ToArray();
        var numeric = numericVotes.Select(v => v.Card.Value!.Value).Order().ToArray();
        var sum = numeric.Sum();
        decimal? min = numeric.Length > 0 ? numeric[0] : null;
        decimal? max = numeric.Length > 0 ? numeric[^1] : null;
        decimal? mean = numeric.Length > 0 ? Math.Round(sum / numeric.Length, 2, MidpointRounding.AwayFromZero) : null;
        decimal? median = numeric.Length == 0 ? null
            : numeric.Length % 2 == 1 ? numeric[numeric.Length / 2]
            : (numeric[(numeric.Length / 2) - 1] + numeric[numeric.Length / 2]) / 2;

        var regular = distribution.Where(t => deck.PositionOf(t.Card) >= 0).ToArray();
        var top = regular.Length > 0 ? regular.Max(t => t.Count) : 0;
        var modes = regular.Where(t => t.Count == top).Select(t => t.Card).ToArray();

        int? spread = regular.Length > 0 ? deck.PositionOf(regular[^1].Card) - deck.PositionOf(regular[0].Card) : null;
        IReadOnlyList<int> lowest = [];
        IReadOnlyList<int> highest = [];
        if (numeric.Length > 0)
        {
            // By value, not by deck position: a deck restored from storage may predate the ascending-order rule.
            if (min < max)
            {
                lowest = VotersOf(numericVotes.Where(v => v.Card.Value == min));
                highest = VotersOf(numericVotes.Where(v => v.Card.Value == max));
            }
        }
        else if (spread > 0)
        {
            // No value to compare (T-shirt sizes): the deck's order is the only order there is.
            lowest = regular[0].Voters;
            highest = regular[^1].Voters;
        }

        var voted = votes.Select(v => v.ParticipantId).ToHashSet();
        int[] missing = [.. presentVoters.Where(id => !voted.Contains(id)).Distinct().Order()];
        var everyoneVoted = missing.Length == 0;
        var consensus = votes.Count >= 2 && everyoneVoted && distribution.Length == 1 && regular.Length == 1;
        var nearConsensus = votes.Count >= 2 && everyoneVoted && distribution.Length == 2 && regular.Length == 2 && spread == 1;
        var onlySpecial = votes.Count > 0 && votes.All(v => v.Card.IsSpecial);

        var suggested = Suggest(deck, statistic, regular, modes, numeric, sum);

        return new RoundResult(distribution, votes.Count, min, max, mean, median, modes, spread, consensus, nearConsensus, lowest, highest,
            suggested, missing, onlySpecial);
    }

    private static int[] VotersOf(IEnumerable<Vote> votes) => [.. votes.Select(v => v.ParticipantId).Order()];

    private static Card? Suggest(Deck deck, Statistic statistic, CardTally[] regular, Card[] modes, decimal[] numeric, decimal sum)
    {
        if (regular.Length == 0)
        {
            return null;
        }

        if (statistic == Statistic.Mode)
        {
            // Modes are in deck order; the highest value wins a tie, whatever the deck's order.
            return modes.Where(c => c.IsNumeric).MaxBy(c => c.Value) ?? modes[^1];
        }

        if (numeric.Length > 0)
        {
            // The target as an exact fraction numerator / denominator, so that no rounding decides the nearest card:
            // the mean is sum / n; the median is the middle vote, or the sum of the two middle ones / 2.
            var (numerator, denominator) = statistic == Statistic.Mean ? (sum, numeric.Length)
                : numeric.Length % 2 == 1 ? (numeric[numeric.Length / 2], 1m)
                : (numeric[(numeric.Length / 2) - 1] + numeric[numeric.Length / 2], 2m);
            Card? best = null;
            var bestDistance = decimal.MaxValue;
            foreach (var card in deck.RegularCards)
            {
                if (card.Value is not { } value)
                {
                    continue;
                }

                // |value - numerator / denominator| scaled by the denominator: exact in decimal.
                var distance = Math.Abs((value * denominator) - numerator);
                if (distance < bestDistance || (distance == bestDistance && value > best!.Value))
                {
                    best = card;
                    bestDistance = distance;
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        // Median deck position of the regular votes, the later one on an even count.
        var positions = regular.SelectMany(r => Enumerable.Repeat(deck.PositionOf(r.Card), r.Count)).ToArray();
        return deck.RegularCards[positions[positions.Length / 2]];
    }
}
