using System.Net;
using System.Text.RegularExpressions;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Trackers.GitHub;

/// <summary>
/// Markdown (GitHub's and Linear's issue bodies) made into readable plain text: HTML comments and tags dropped, entities
/// decoded, <c>[text](url)</c> as "text (url)", images as their alt text, heading marks dropped; cut to the room's limits.
/// </summary>
internal static partial class MarkdownText
{
    /// <summary>The plain text of a Markdown body, at most <see cref="Limits.StoryDescriptionLength"/> characters, or null when blank.</summary>
    public static string? Description(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return null;
        }

        var text = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        text = Comment().Replace(text, "");
        text = Image().Replace(text, "$1");
        text = Link().Replace(text, m => m.Groups[1].Value == m.Groups[2].Value ? m.Groups[1].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
        text = LineBreak().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = Heading().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        text = BlankLines().Replace(text, "\n\n").Trim();
        return text.Length == 0 ? null : Clip(text, Limits.StoryDescriptionLength);
    }

    /// <summary>A title on one line, at most <see cref="Limits.StoryTitleLength"/> characters.</summary>
    public static string Title(string? title)
    {
        var line = string.Join(' ', (title ?? "").Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return Clip(line.Length == 0 ? "(untitled)" : line, Limits.StoryTitleLength);
    }

    /// <summary>The text, cut with an ellipsis to at most <paramref name="max"/> characters.</summary>
    public static string Clip(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1).TrimEnd(), "…");

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)\s]*(?:\s+""[^""]*"")?\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\((https?://[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^[ ]{0,3}#{1,6}[ \t]+", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\n[ \t]*\n(?:[ \t]*\n)+")]
    private static partial Regex BlankLines();
}
