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

    /// <summary>
    /// The UTS #39 skeleton: NFD, Default_Ignorable code points dropped, each code point replaced by the prototype it
    /// looks like (confusables.txt, through <see cref="Confusables"/>), NFD again. "Аna" (Cyrillic А) and "Ana" share
    /// one, as do "rn" and "m". Case is kept: "ANA" and "ana" differ (see <see cref="NamesLookAlike"/>).
    /// </summary>
    public static string Skeleton(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var skeleton = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Confusables.IsIgnorable(rune.Value))
            {
                continue;
            }

            if (Confusables.PrototypeOf(rune.Value) is { } prototype)
            {
                skeleton.Append(prototype);
            }
            else
            {
                skeleton.Append(rune);
            }
        }

        return skeleton.ToString().Normalize(NormalizationForm.FormD);
    }

    /// <summary>
    /// Tells whether two names would pass for each other: their skeletons match once lower-cased ("AIex" with a
    /// capital I and "alex"), or the skeletons of the lower-cased names match ("ГЕНА" and "гена", "Ivan" and "ivan",
    /// where the skeleton of a capital alone would differ).
    /// </summary>
    public static bool NamesLookAlike(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Skeleton(a).ToLowerInvariant(), Skeleton(b).ToLowerInvariant(), StringComparison.Ordinal)
        || string.Equals(Skeleton(a.ToLowerInvariant()), Skeleton(b.ToLowerInvariant()), StringComparison.Ordinal);

    /// <summary>
    /// Tells whether a name holds a character that shows as nothing (Default_Ignorable: zero-width joiners and
    /// spaces, word joiners, direction marks, Hangul fillers, variation selectors), which would let it pass for
    /// another name. Emoji keep theirs: a zero-width joiner between two symbols ("👩‍💻"), a variation selector 15
    /// or 16 after a symbol ("❤️") or in a keycap ("1️⃣").
    /// </summary>
    public static bool HasInvisibleCharacter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var runes = name.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var c = runes[i].Value;
            if (!Confusables.IsIgnorable(c) && Rune.GetUnicodeCategory(runes[i]) != UnicodeCategory.Format)
            {
                continue;
            }

            var inEmoji = c switch
            {
                ZeroWidthJoiner => i + 1 < runes.Length && IsSymbol(runes[i + 1]) && SymbolBefore(runes, i),
                VariationSelector15 or VariationSelector16 => i > 0 && (IsSymbol(runes[i - 1])
                    || (runes[i - 1].Value is (>= '0' and <= '9') or '#' or '*' && i + 1 < runes.Length && runes[i + 1].Value == CombiningKeycap)),
                _ => false,
            };
            if (!inEmoji)
            {
                return true;
            }
        }

        return false;
    }

    private const int ZeroWidthJoiner = 0x200D;
    private const int VariationSelector15 = 0xFE0E;
    private const int VariationSelector16 = 0xFE0F;
    private const int CombiningKeycap = 0x20E3;

    private static bool IsSymbol(Rune rune) => Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol;

    /// <summary>Whether a symbol comes before position <paramref name="i"/>, past its variation selector and skin tone.</summary>
    private static bool SymbolBefore(Rune[] runes, int i)
    {
        var j = i - 1;
        while (j >= 0 && runes[j].Value is VariationSelector16 or (>= 0x1F3FB and <= 0x1F3FF))
        {
            j--;
        }

        return j >= 0 && IsSymbol(runes[j]);
    }

    /// <summary>Tells whether the optional text fits in <paramref name="maxLength"/> characters (multi-line allowed).</summary>
    public static bool FitsOptional(string? text, int maxLength) => text is null || text.Length <= maxLength;

    /// <summary>Trims, and turns empty text into null.</summary>
    public static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
