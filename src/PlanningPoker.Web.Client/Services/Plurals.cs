using System.Globalization;
using Microsoft.Extensions.Localization;

namespace PlanningPoker.Web.Client.Services;

/// <summary>
/// Plural forms: a counted text has two keys, <c>Key.One</c> and <c>Key.Other</c>. English uses the singular for 1 only
/// ("1 vote", "0 votes"); French for 0 and 1 ("0 vote", "1 vote", "2 votes").
/// </summary>
public static class Plurals
{
    /// <summary>The key of the form that <paramref name="count"/> takes in <paramref name="culture"/>.</summary>
    public static string KeyOf(string key, long count, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var one = culture.TwoLetterISOLanguageName == "fr" ? count is 0 or 1 or -1 : count is 1 or -1;
        return key + (one ? ".One" : ".Other");
    }

    /// <summary>The counted text in the UI's language; the count is its first placeholder.</summary>
    public static LocalizedString Plural(this IStringLocalizer localizer, string key, int count, params object[] more)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(more);
        return localizer[KeyOf(key, count, CultureInfo.CurrentUICulture), [count, .. more]];
    }
}
