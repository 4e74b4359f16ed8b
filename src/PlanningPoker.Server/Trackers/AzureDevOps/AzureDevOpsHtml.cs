using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PlanningPoker.Server.Trackers.AzureDevOps;

/// <summary>Azure DevOps' HTML fields (System.Description) made readable as plain text: blocks and line breaks kept as lines (blank ones dropped), list items as "• ", tags dropped, entities decoded.</summary>
internal static partial class AzureDevOpsHtml
{
    /// <summary>The text of <paramref name="html"/>, or null when it has none.</summary>
    public static string? ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var text = Dropped().Replace(html, "");
        text = ListItem().Replace(text, "\n• ");
        text = LineBreak().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        var lines = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = Spaces().Replace(raw, " ").Trim();
            if (line.Length > 0)
            {
                lines.Append(lines.Length > 0 ? "\n" : "").Append(line);
            }
        }

        return lines.Length == 0 ? null : lines.ToString();
    }

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Dropped();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"<br\s*/?>|</?(p|div|h[1-6]|ul|ol|li|tr|table|blockquote|pre)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\r\f\v]+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
