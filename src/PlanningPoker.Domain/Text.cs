using System.Globalization;
using System.Text;

namespace PlanningPoker.Domain;

/// <summary>Text rules shared by names, titles and labels.</summary>
internal static class Text
{
    /// <summary>
    /// Tells whether the text is one line of 1 to <paramref name="maxLength"/> user-perceived characters, none of
    /// them a pile of combining marks (an emoji sequence may take up to 12 UTF-16 units; more is "Zalgo" text).
    /// </summary>
    public static bool IsValidLine(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength * 4 || text.Any(IsInvisibleOrBroken))
        {
            return false;
        }

        var elements = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            if (++elements > maxLength || enumerator.GetTextElement().Length > MaxUnitsPerCharacter)
            {
                return false;
            }
        }

        return true;
    }

    private const int MaxUnitsPerCharacter = 12;

    /// <summary>
    /// Trims and normalises to NFC, so that "É" typed precomposed or as "E" + accent is one name; null for null or
    /// for text that is not valid UTF-16 (a lone surrogate).
    /// </summary>
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return text.Trim().Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Control characters, and format characters (zero-width spaces, direction overrides) that make two names look
    /// alike or text display backwards; the zero-width joiner of emoji sequences is allowed.
    /// </summary>
    private static bool IsInvisibleOrBroken(char c) =>
        char.IsControl(c)
        || (char.GetUnicodeCategory(c) == UnicodeCategory.Format && c != '\u200D');

    /// <summary>Tells whether the optional text fits in <paramref name="maxLength"/> characters (multi-line allowed).</summary>
    public static bool FitsOptional(string? text, int maxLength) => text is null || text.Length <= maxLength;

    /// <summary>Trims, and turns empty text into null.</summary>
    public static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
