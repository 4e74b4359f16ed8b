namespace PlanningPoker.Domain;

/// <summary>What a card stands for: a regular estimate, or one of the optional special cards.</summary>
public enum CardKind
{
    /// <summary>A regular card: a number (Fibonacci, hours…) or an ordered size (T-shirt).</summary>
    Regular,

    /// <summary>The <c>?</c> card: "I am not sure".</summary>
    Unsure,

    /// <summary>The <c>☕</c> card: "I need a break".</summary>
    Break,

    /// <summary>The <c>∞</c> card: "too big to estimate".</summary>
    Infinity,
}

/// <summary>One card of a deck, as shown to players and recorded in votes.</summary>
/// <param name="Label">What the card shows (at most <see cref="RoomLimits.CardLabelLength"/> characters).</param>
/// <param name="Value">The numeric value used by statistics, or null for a non-numeric card (T-shirt sizes, special cards).</param>
/// <param name="Kind">Regular or special.</param>
public sealed record Card(string Label, decimal? Value, CardKind Kind = CardKind.Regular)
{
    /// <summary>Label of the unsure card.</summary>
    public const string UnsureLabel = "?";

    /// <summary>Label of the break card.</summary>
    public const string BreakLabel = "☕";

    /// <summary>Label of the infinity card.</summary>
    public const string InfinityLabel = "∞";

    /// <summary>The unsure card.</summary>
    public static Card Unsure { get; } = new(UnsureLabel, null, CardKind.Unsure);

    /// <summary>The break card.</summary>
    public static Card Break { get; } = new(BreakLabel, null, CardKind.Break);

    /// <summary>The infinity card.</summary>
    public static Card Infinity { get; } = new(InfinityLabel, null, CardKind.Infinity);

    /// <summary>True for <c>?</c>, <c>☕</c> and <c>∞</c>: counted in the distribution, left out of statistics.</summary>
    public bool IsSpecial => Kind != CardKind.Regular;

    /// <summary>True when the card takes part in numeric statistics.</summary>
    public bool IsNumeric => Kind == CardKind.Regular && Value is not null;

    /// <inheritdoc />
    public override string ToString() => Label;
}
