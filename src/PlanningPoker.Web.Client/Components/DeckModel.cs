using System.Globalization;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Components;

/// <summary>What the deck editor edits: a built-in deck or custom cards, and the special cards.</summary>
public sealed class DeckModel
{
    /// <summary>The deck's type.</summary>
    public DeckType Type { get; set; } = DeckType.Fibonacci;

    /// <summary>A custom deck's cards, separated by commas or semicolons ("1, 2, 3, 5, 8" or "XS; S; M").</summary>
    public string CustomCards { get; set; } = "1, 2, 3, 5, 8, 13";

    /// <summary>Offer <c>?</c>.</summary>
    public bool Unsure { get; set; } = true;

    /// <summary>Offer <c>☕</c>.</summary>
    public bool Break { get; set; } = true;

    /// <summary>Offer <c>∞</c>.</summary>
    public bool Infinity { get; set; }

    /// <summary>The custom cards as typed, trimmed, empty ones left out.</summary>
    public IReadOnlyList<string> CustomLabels =>
        [.. CustomCards.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The request's deck; a card that reads as a number (either decimal separator) gets that value.</summary>
    public DeckDto ToDto() => Type == DeckType.Custom
        ? new DeckDto(DeckType.Custom, [.. CustomLabels.Select(l => new CardDto(l, ValueOf(l)))], Unsure, Break, Infinity)
        : new DeckDto(Type, null, Unsure, Break, Infinity);

    private static decimal? ValueOf(string label) =>
        decimal.TryParse(label.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}
