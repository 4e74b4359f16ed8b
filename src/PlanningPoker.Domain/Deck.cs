using System.Collections.Immutable;
using System.Globalization;

namespace PlanningPoker.Domain;

/// <summary>The built-in decks and the custom one.</summary>
public enum DeckType
{
    /// <summary>0 1 2 3 5 8 13 21 34 55 89.</summary>
    Fibonacci,

    /// <summary>0 ½ 1 2 3 5 8 13 20 40 100.</summary>
    ModifiedFibonacci,

    /// <summary>XS S M L XL XXL.</summary>
    TShirt,

    /// <summary>0 1 2 4 8 16 32 64.</summary>
    PowersOfTwo,

    /// <summary>0.5 1 2 4 8 16 24 40 (hours).</summary>
    Hours,

    /// <summary>2 to 30 cards chosen by the facilitator.</summary>
    Custom,
}

/// <summary>Which special cards a deck offers, in addition to its regular cards.</summary>
[Flags]
public enum SpecialCards
{
    /// <summary>No special card.</summary>
    None = 0,

    /// <summary>The <c>?</c> card.</summary>
    Unsure = 1,

    /// <summary>The <c>☕</c> card.</summary>
    Break = 2,

    /// <summary>The <c>∞</c> card.</summary>
    Infinity = 4,

    /// <summary>All three.</summary>
    All = Unsure | Break | Infinity,
}

/// <summary>
/// A deck of cards: its regular cards in play order (the order defines "deck positions" for spread and
/// adjacency) followed by the special cards it offers. Immutable; build one with <see cref="Standard"/> or <see cref="Custom"/>.
/// </summary>
public sealed class Deck : IEquatable<Deck>
{
    private static readonly string[] TShirtSizes = ["XS", "S", "M", "L", "XL", "XXL"];

    private readonly Dictionary<string, int> _positions;

    private Deck(DeckType type, ImmutableArray<Card> regular, SpecialCards specials)
    {
        Type = type;
        RegularCards = regular;
        Specials = specials;
        var cards = ImmutableArray.CreateBuilder<Card>(regular.Length + 3);
        cards.AddRange(regular);
        if (specials.HasFlag(SpecialCards.Unsure))
        {
            cards.Add(Card.Unsure);
        }

        if (specials.HasFlag(SpecialCards.Break))
        {
            cards.Add(Card.Break);
        }

        if (specials.HasFlag(SpecialCards.Infinity))
        {
            cards.Add(Card.Infinity);
        }

        Cards = cards.ToImmutable();
        _positions = new Dictionary<string, int>(Cards.Length, StringComparer.Ordinal);
        for (var i = 0; i < Cards.Length; i++)
        {
            _positions[Cards[i].Label] = i;
        }
    }

    /// <summary>Which deck this is.</summary>
    public DeckType Type { get; }

    /// <summary>The regular cards, in play order.</summary>
    public ImmutableArray<Card> RegularCards { get; }

    /// <summary>The special cards this deck offers.</summary>
    public SpecialCards Specials { get; }

    /// <summary>Every card a player may play: regular cards, then the special ones.</summary>
    public ImmutableArray<Card> Cards { get; }

    /// <summary>True when at least one regular card has a numeric value.</summary>
    public bool IsNumeric => RegularCards.Any(c => c.Value is not null);

    /// <summary>The built-in Fibonacci deck with <c>?</c> and <c>☕</c>, the default of a new room.</summary>
    public static Deck Default { get; } = Standard(DeckType.Fibonacci, SpecialCards.Unsure | SpecialCards.Break);

    /// <summary>A built-in deck with the chosen special cards.</summary>
    /// <exception cref="ArgumentException">For <see cref="DeckType.Custom"/>: use <see cref="Custom"/>.</exception>
    public static Deck Standard(DeckType type, SpecialCards specials = SpecialCards.Unsure | SpecialCards.Break)
    {
        // The constructor's parameter gives the collection expressions their type.
        return new Deck(type, type switch
        {
            DeckType.Fibonacci => Numbers(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89),
            DeckType.ModifiedFibonacci => [new("0", 0m), new("½", 0.5m), .. Numbers(1, 2, 3, 5, 8, 13, 20, 40, 100)],
            DeckType.TShirt => [.. TShirtSizes.Select(l => new Card(l, null))],
            DeckType.PowersOfTwo => Numbers(0, 1, 2, 4, 8, 16, 32, 64),
            DeckType.Hours => [new("0.5", 0.5m), .. Numbers(1, 2, 4, 8, 16, 24, 40)],
            _ => throw new ArgumentException("A custom deck is built with Deck.Custom.", nameof(type)),
        }, specials & SpecialCards.All);
    }

    /// <summary>
    /// Builds a custom deck: 2 to 30 cards with unique labels of up to 8 characters, each with an optional value. The
    /// cards that have a value come in strictly ascending value order (cards without one may sit anywhere), so that
    /// deck order, which spread and adjacency read, agrees with value order, which the statistics read.
    /// </summary>
    /// <returns>The deck, or <see cref="RoomErrorCode.InvalidDeck"/> saying what is wrong.</returns>
    public static Result<Deck> Custom(IReadOnlyList<Card> cards, SpecialCards specials = SpecialCards.None)
    {
        ArgumentNullException.ThrowIfNull(cards);
        if (cards.Count is < RoomLimits.CustomDeckMinCards or > RoomLimits.CustomDeckMaxCards)
        {
            return RoomError.InvalidDeck($"a custom deck has {RoomLimits.CustomDeckMinCards} to {RoomLimits.CustomDeckMaxCards} cards, not {cards.Count}");
        }

        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Card.UnsureLabel, Card.BreakLabel, Card.InfinityLabel };
        var regular = ImmutableArray.CreateBuilder<Card>(cards.Count);
        Card? previous = null;
        foreach (var card in cards)
        {
            if (card is null)
            {
                return RoomError.InvalidDeck("a card is missing");
            }

            var label = Text.Clean(card.Label) ?? string.Empty;
            if (!Text.IsValidLine(label, RoomLimits.CardLabelLength))
            {
                return RoomError.InvalidDeck($"a card label has 1 to {RoomLimits.CardLabelLength} characters on one line");
            }

            if (!labels.Add(label))
            {
                return RoomError.InvalidDeck($"the label '{label}' is used twice (special cards' labels are reserved)");
            }

            if (card.Value is { } value && (value < 0 || value > RoomLimits.MaxEstimateValue))
            {
                return RoomError.InvalidDeck($"a card value lies between 0 and {RoomLimits.MaxEstimateValue}");
            }

            if (card.Value is { } next && previous?.Value is { } before && next <= before)
            {
                return RoomError.InvalidDeck(
                    $"cards with values go in ascending value order: '{label}' ({next.ToString(CultureInfo.InvariantCulture)}) comes after '{previous.Label}' ({before.ToString(CultureInfo.InvariantCulture)})");
            }

            regular.Add(new Card(label, card.Value));
            if (card.Value is not null)
            {
                previous = regular[^1];
            }
        }

        return new Deck(DeckType.Custom, regular.ToImmutable(), specials & SpecialCards.All);
    }

    /// <summary>Rebuilds a deck from storage (trusted data: no validation).</summary>
    public static Deck Restore(DeckSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Deck(snapshot.Type, [.. snapshot.RegularCards], snapshot.Specials);
    }

    /// <summary>Finds a playable card by its exact label.</summary>
    public Card? Find(string label) => label is not null && _positions.TryGetValue(label, out var i) ? Cards[i] : null;

    /// <summary>The position of a regular card among the regular cards (0-based), or -1 for a special or unknown card.</summary>
    public int PositionOf(Card card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return !card.IsSpecial && _positions.TryGetValue(card.Label, out var i) && i < RegularCards.Length ? i : -1;
    }

    /// <inheritdoc />
    public bool Equals(Deck? other) =>
        other is not null && Type == other.Type && Specials == other.Specials && RegularCards.SequenceEqual(other.RegularCards);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Deck);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Specials, RegularCards.Length);

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', Cards.Select(c => c.Label));

    private static ImmutableArray<Card> Numbers(params int[] values) =>
        [.. values.Select(v => new Card(v.ToString(CultureInfo.InvariantCulture), v))];
}
