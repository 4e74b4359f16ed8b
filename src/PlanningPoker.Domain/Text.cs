using System.Globalization;

namespace PlanningPoker.Domain;

/// <summary>Text rules shared by names, titles and labels.</summary>
internal static class Text
{
    /// <summary>Trims and tells whether the text is one line of 1 to <paramref name="maxLength"/> characters (user-perceived characters).</summary>
    public static bool IsValidLine(string? text, int maxLength) =>
        !string.IsNullOrWhiteSpace(text)
        && !text.AsSpan().ContainsAny('\r', '\n')
        && !text.Any(char.IsControl)
        && new StringInfo(text).LengthInTextElements <= maxLength;

    /// <summary>Tells whether the optional text fits in <paramref name="maxLength"/> characters (multi-line allowed).</summary>
    public static bool FitsOptional(string? text, int maxLength) => text is null || text.Length <= maxLength;

    /// <summary>Trims, and turns empty text into null.</summary>
    public static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
