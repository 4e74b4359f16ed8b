using System.Globalization;

namespace PlanningPoker.Web.Client.Services;

/// <summary>The languages the UI speaks, and which one a browser gets.</summary>
public static class Languages
{
    /// <summary>Culture names offered by the switcher.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["en", "fr"];

    /// <summary>French for any French tag ("fr", "fr-CA"), English otherwise; the full tag keeps its regional formats.</summary>
    public static CultureInfo Pick(string? tag)
    {
        if (!string.IsNullOrWhiteSpace(tag))
        {
            try
            {
                var culture = CultureInfo.GetCultureInfo(tag);
                if (Supported.Contains(culture.TwoLetterISOLanguageName))
                {
                    return culture;
                }
            }
            catch (CultureNotFoundException)
            {
                // An unknown tag: fall back below.
            }
        }

        return CultureInfo.GetCultureInfo("en");
    }
}
