namespace PlanningPoker.Domain;

/// <summary>How many played one card, and who.</summary>
/// <param name="Card">The card.</param>
/// <param name="Count">How many votes it got.</param>
/// <param name="Voters">Who played it, by participant id, ascending.</param>
public sealed record CardTally(Card Card, int Count, IReadOnlyList<int> Voters);

/// <summary>
/// The statistics of a revealed round, computed once at reveal and kept with the round.
/// Special cards (<c>?</c> <c>☕</c> <c>∞</c>) and cards without a value are counted in <see cref="Distribution"/>
/// but left out of the numeric statistics.
/// </summary>
/// <param name="Distribution">Votes per card played, in deck order.</param>
/// <param name="VoterCount">How many voted.</param>
/// <param name="Min">Lowest numeric vote.</param>
/// <param name="Max">Highest numeric vote.</param>
/// <param name="Mean">Average of numeric votes, rounded to 2 decimals (half away from zero).</param>
/// <param name="Median">Middle numeric vote (average of the two middle ones for an even count).</param>
/// <param name="Modes">The most played regular card(s), in deck order.</param>
/// <param name="Spread">Distance in deck positions between the lowest and highest regular card played.</param>
/// <param name="Consensus">Every vote on one card.</param>
/// <param name="NearConsensus">Every vote on two adjacent regular cards.</param>
/// <param name="LowestVoters">Who played the lowest regular card, when cards differ: they explain first.</param>
/// <param name="HighestVoters">Who played the highest regular card, when cards differ: they explain first.</param>
/// <param name="Suggested">The suggested estimate (see <see cref="Compute"/>), or null when no regular card was played.</param>
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
    Card? Suggested)
{
    /// <summary>
    /// Computes the result of a set of votes on a deck.
    /// <para>The suggested estimate is a regular card of the deck:</para>
    /// <list type="bullet">
    /// <item>when the team reads the <see cref="Statistic.Mode"/>: the most played regular card, the higher one on a tie;</item>
    /// <item>when it reads the <see cref="Statistic.Median"/> or <see cref="Statistic.Mean"/> and numeric cards were played:
    /// the deck's numeric card nearest that statistic, the higher one on a tie ("round up");</item>
    /// <item>otherwise (T-shirt sizes, no numeric vote): the card at the median deck position of the regular votes, the higher one on a tie.</item>
    /// </list>
    /// </summary>
    public static RoundResult Compute(Deck deck, IReadOnlyList<Vote> votes, Statistic statistic)
    {
        ArgumentNullException.ThrowIfNull(deck);
        ArgumentNullException.ThrowIfNull(votes);

        var distribution = votes
            .GroupBy(v => v.Card.Label, StringComparer.Ordinal)
            .Select(g => new CardTally(g.First().Card, g.Count(), g.Select(v => v.ParticipantId).Order().ToArray()))
            .OrderBy(t => deck.Cards.IndexOf(t.Card) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(t => t.Card.Label, StringComparer.Ordinal)
            .ToArray();

        var numeric = votes.Where(v => v.Card.IsNumeric).Select(v => v.Card.Value!.Value).Order().ToArray();
        decimal? min = numeric.Length > 0 ? numeric[0] : null;
        decimal? max = numeric.Length > 0 ? numeric[^1] : null;
        decimal? mean = numeric.Length > 0 ? Math.Round(numeric.Average(), 2, MidpointRounding.AwayFromZero) : null;
        decimal? median = numeric.Length == 0 ? null
            : numeric.Length % 2 == 1 ? numeric[numeric.Length / 2]
            : (numeric[(numeric.Length / 2) - 1] + numeric[numeric.Length / 2]) / 2;

        var regular = distribution.Where(t => deck.PositionOf(t.Card) >= 0).ToArray();
        var top = regular.Length > 0 ? regular.Max(t => t.Count) : 0;
        var modes = regular.Where(t => t.Count == top).Select(t => t.Card).ToArray();

        int? spread = null;
        IReadOnlyList<int> lowest = [];
        IReadOnlyList<int> highest = [];
        if (regular.Length > 0)
        {
            var low = regular[0];
            var high = regular[^1];
            spread = deck.PositionOf(high.Card) - deck.PositionOf(low.Card);
            if (spread > 0)
            {
                lowest = low.Voters;
                highest = high.Voters;
            }
        }

        var consensus = votes.Count > 0 && distribution.Length == 1;
        var nearConsensus = !consensus && distribution.Length == 2 && regular.Length == 2 && spread == 1;

        var suggested = Suggest(deck, statistic, regular, modes, statistic == Statistic.Mean ? mean : median);

        return new RoundResult(distribution, votes.Count, min, max, mean, median, modes, spread, consensus, nearConsensus, lowest, highest, suggested);
    }

    private static Card? Suggest(Deck deck, Statistic statistic, CardTally[] regular, Card[] modes, decimal? target)
    {
        if (regular.Length == 0)
        {
            return null;
        }

        if (statistic == Statistic.Mode)
        {
            return modes[^1];
        }

        if (target is { } t)
        {
            Card? best = null;
            foreach (var card in deck.RegularCards)
            {
                if (card.Value is not { } value)
                {
                    continue;
                }

                var distance = Math.Abs(value - t);
                var bestDistance = best is null ? decimal.MaxValue : Math.Abs(best.Value!.Value - t);
                if (distance < bestDistance || (distance == bestDistance && value > best!.Value))
                {
                    best = card;
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        // Median deck position of the regular votes, the upper one on an even count.
        var positions = regular.SelectMany(r => Enumerable.Repeat(deck.PositionOf(r.Card), r.Count)).ToArray();
        return deck.RegularCards[positions[positions.Length / 2]];
    }
}
