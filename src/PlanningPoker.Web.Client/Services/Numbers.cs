using System.Globalization;
using System.Text.RegularExpressions;

namespace PlanningPoker.Web.Client.Services;

/// <summary>Numbers, card labels and estimates as the reader writes them: "2,5" in French, "2.5" in English.</summary>
public static partial class Numbers
{
    /// <summary>A statistic or a total: at most two decimals, the culture's decimal separator.</summary>
    public static string Format(decimal value, CultureInfo culture) => value.ToString("0.##", culture);

    /// <summary>As <see cref="Format(decimal, CultureInfo)"/>, or "—" for none.</summary>
    public static string Format(decimal? value, CultureInfo culture) => value is { } v ? Format(v, culture) : "—";

    /// <summary>
    /// A card's or an estimate's label: a decimal number ("2.5", a typed "2,5") takes the culture's decimal separator;
    /// anything else ("XL", "½", "?") is shown as it is.
    /// </summary>
    public static string Label(string label, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(culture);
        var match = DecimalLabel().Match(label);
        return match.Success ? match.Groups[1].Value + culture.NumberFormat.NumberDecimalSeparator + match.Groups[2].Value : label;
    }

    [GeneratedRegex(@"^([0-9]+)[.,]([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalLabel();
}
