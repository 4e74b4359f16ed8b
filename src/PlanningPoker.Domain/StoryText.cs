using System.Globalization;
using System.Text;

namespace PlanningPoker.Domain;

/// <summary>
/// Turns a story's French or English text into the terms that <see cref="SimilarityIndex{TKey}"/> compares: lower
/// case, diacritics folded (é → e, œ → oe), split on anything that is not a letter or a digit, stop words of both
/// languages dropped, and each word cut to a conservative stem (plural s/x, a few common suffixes).
/// </summary>
public static class StoryText
{
    /// <summary>The shortest stem a suffix may leave: "pages" → "page", but "user" is not cut to "us".</summary>
    private const int MinStem = 4;

    /// <summary>Suffixes cut after the plural, longest first; the first that leaves at least <see cref="MinStem"/> letters wins.</summary>
    private static readonly string[] Suffixes = ["ation", "ement", "ment", "ing", "ee", "ed", "er", "e"];

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        // English
        "a", "an", "the", "and", "or", "but", "not", "no", "of", "to", "in", "on", "at", "by", "for", "with", "from",
        "into", "onto", "as", "is", "are", "be", "been", "was", "were", "it", "its", "this", "that", "these", "those",
        "i", "we", "you", "he", "she", "they", "me", "us", "our", "my", "your", "their", "so", "can", "could", "should",
        "would", "will", "shall", "may", "must", "do", "does", "have", "has", "had", "if", "then", "when", "which",
        "who", "what", "all", "any", "some", "more", "than", "there", "here", "about", "up", "out", "also", "via",
        // French
        "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "ou", "mais", "ne", "pas", "en", "au", "aux",
        "pour", "par", "sur", "sous", "dans", "avec", "sans", "que", "qu", "qui", "quoi", "dont", "ce", "cet", "cette",
        "ces", "se", "sa", "son", "ses", "leur", "leurs", "je", "j", "tu", "il", "elle", "on", "nous", "vous", "ils",
        "elles", "mon", "ma", "mes", "ton", "ta", "tes", "notre", "nos", "votre", "vos", "est", "sont", "etre", "ete",
        "a", "ont", "avoir", "fait", "faire", "peut", "plus", "moins", "tout", "tous", "toute", "toutes", "si", "c",
        "s", "n", "m", "t", "y", "lors", "afin", "entre", "vers", "chez",
    };

    /// <summary>The terms of a text, in order, repeats kept; empty for null or blank text.</summary>
    public static IReadOnlyList<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }

        var word = new StringBuilder();
        foreach (var c in Fold(text))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else
            {
                Flush(word, terms);
            }
        }

        Flush(word, terms);
        return terms;
    }

    /// <summary>The stem of one folded word: "exports", "exported", "exporting", "exporter" → "export".</summary>
    public static string Stem(string word)
    {
        if (word.Length > MinStem && word.EndsWith("ies", StringComparison.Ordinal))
        {
            word = word[..^3] + "y";
        }
        else if (word.Length > MinStem - 1 && (word[^1] is 's' or 'x') && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
        {
            word = word[..^1];
        }

        foreach (var suffix in Suffixes)
        {
            if (word.Length - suffix.Length >= MinStem && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return word[..^suffix.Length];
            }
        }

        return word;
    }

    /// <summary>Lower case, diacritics removed, ligatures spelt out.</summary>
    public static string Fold(string text)
    {
        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            // A lone surrogate: fold what can be folded, char by char.
            decomposed = text;
        }

        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            switch (char.ToLowerInvariant(c))
            {
                case 'œ':
                    folded.Append("oe");
                    break;
                case 'æ':
                    folded.Append("ae");
                    break;
                case 'ß':
                    folded.Append("ss");
                    break;
                case var lower:
                    folded.Append(lower);
                    break;
            }
        }

        return folded.ToString();
    }

    private static void Flush(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        var text = word.ToString();
        word.Clear();
        if (StopWords.Contains(text) || (text.Length < 2 && !char.IsDigit(text[0])))
        {
            return;
        }

        terms.Add(Stem(text));
    }
}
