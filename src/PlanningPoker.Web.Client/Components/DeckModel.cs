using System.Globalization;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Components;

/// <summary>What the deck editor edits: a built-in deck or custom cards, and the special cards.</summary>
public sealed class DeckModel
{
    /// <summary>The deck's type.</summary>
    public DeckType Type { get; set; } = DeckType.Fibonacci;

    /// <summary>
    /// A custom deck's cards as typed: separated by commas, semicolons or new lines ("1, 2, 3, 5, 8" or "XS; S; M");
    /// where the decimal separator is a comma, by semicolons, spaces or new lines, a comma between two digits being a
    /// decimal one ("0,5; 1; 2" or "0,5 1 2").
    /// </summary>
    public string CustomCards { get; set; } = "1, 2, 3, 5, 8, 13";

    /// <summary>The culture the cards are typed in (its decimal separator decides how they are split).</summary>
    public CultureInfo Culture { get; set; } = CultureInfo.CurrentCulture;

    /// <summary>Offer <c>?</c>.</summary>
    public bool Unsure { get; set; } = true;

    /// <summary>Offer <c>☕</c>.</summary>
    public bool Break { get; set; } = true;

    /// <summary>Offer <c>∞</c>.</summary>
    public bool Infinity { get; set; }

    /// <summary>The custom cards as typed, trimmed, empty ones left out.</summary>
    public IReadOnlyList<string> CustomLabels => Split(CustomCards, Culture);

    /// <summary>A deck as the editor shows it (a saved template, a team's deck), its custom cards typed in <paramref name="culture"/>.</summary>
    public static DeckModel FromDto(DeckDto deck, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(deck);
        ArgumentNullException.ThrowIfNull(culture);
        var separator = culture.NumberFormat.NumberDecimalSeparator == "," ? "; " : ", ";
        return new DeckModel
        {
            Type = deck.Type,
            CustomCards = deck.Type == DeckType.Custom && deck.Cards is { Count: > 0 } cards
                ? string.Join(separator, cards.Where(c => c.Kind == CardKind.Regular).Select(c => c.Label))
                : new DeckModel().CustomCards,
            Culture = culture,
            Unsure = deck.Unsure,
            Break = deck.Break,
            Infinity = deck.Infinity,
        };
    }

    /// <summary>The request's deck; a card that reads as a number (either decimal separator) gets that value.</summary>
    public DeckDto ToDto() => Type == DeckType.Custom
        ? new DeckDto(DeckType.Custom, [.. CustomLabels.Select(l => new CardDto(l, ValueOf(l)))], Unsure, Break, Infinity)
        : new DeckDto(Type, null, Unsure, Break, Infinity);

    /// <summary>
    /// A built-in deck's regular cards, for the create form to show under the deck's name: the Domain's
    /// <c>Deck.Standard</c> (held equal by the server's LimitsTests). Empty for a custom deck.
    /// </summary>
    public static IReadOnlyList<string> CardsOf(DeckType type) => type switch
    {
        DeckType.Fibonacci => ["0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89"],
        DeckType.ModifiedFibonacci => ["0", "½", "1", "2", "3", "5", "8", "13", "20", "40", "100"],
        DeckType.TShirt => ["XS", "S", "M", "L", "XL", "XXL"],
        DeckType.PowersOfTwo => ["0", "1", "2", "4", "8", "16", "32", "64"],
        DeckType.Hours => ["0.5", "1", "2", "4", "8", "16", "24", "40"],
        _ => [],
    };

    /// <summary>Splits typed cards (see <see cref="CustomCards"/>).</summary>
    public static IReadOnlyList<string> Split(string text, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(culture);
        var decimalComma = culture.NumberFormat.NumberDecimalSeparator == ",";
        var labels = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || IsSeparator(text, i, decimalComma))
            {
                var label = text[start..i].Trim();
                if (label.Length > 0)
                {
                    labels.Add(label);
                }

                start = i + 1;
            }
        }

        return labels;
    }

    private static bool IsSeparator(string text, int i, bool decimalComma) => text[i] switch
    {
        ';' or '\n' or '\r' => true,
        ',' => !decimalComma || i == 0 || i == text.Length - 1 || !char.IsAsciiDigit(text[i - 1]) || !char.IsAsciiDigit(text[i + 1]),
        _ => decimalComma && char.IsWhiteSpace(text[i]),
    };

    private static decimal? ValueOf(string label) =>
        decimal.TryParse(label.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}
