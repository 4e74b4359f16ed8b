using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PlanningPoker.Server.Trackers.Jira;

/// <summary>
/// Jira's rich text made readable: Cloud's Atlassian Document Format (REST v3) and Data Center's wiki markup (REST v2),
/// both to plain text. Tolerant: an unknown node or an odd shape gives its text, never an exception.
/// </summary>
public static partial class JiraText
{
    private const int MaxDepth = 64;

    /// <summary>
    /// The text of an ADF document: paragraphs and headings as lines, bullet lists as "- ", ordered lists as "1. ",
    /// code blocks as their lines, hard breaks as new lines, mentions and emoji as their text, cards and links with their
    /// URL, tables row by row (cells separated by " | "); unknown nodes give their children's text. Null when empty.
    /// </summary>
    public static string? FromAdf(JsonElement document)
    {
        var text = new StringBuilder();
        switch (document.ValueKind)
        {
            case JsonValueKind.String:
                return Tidy(document.GetString()); // a v2 answer or an odd field: already text
            case JsonValueKind.Object or JsonValueKind.Array:
                Block(document, text, "", 0);
                return Tidy(text.ToString());
            default:
                return null;
        }
    }

    /// <summary>
    /// Light plain text of Jira wiki markup: <c>{code}</c>/<c>{noformat}</c>/<c>{quote}</c>/<c>{panel}</c> markers dropped,
    /// <c>h1.</c> prefixes dropped, <c>*bold*</c>, <c>_italic_</c>, <c>-strike-</c>, <c>+under+</c>, <c>{{mono}}</c> unwrapped,
    /// <c>[text|url]</c> as "text (url)", <c>[~user]</c> as the user, <c>* item</c> as "- item", <c># item</c> as "1. item",
    /// table bars as " | ". Null when empty.
    /// </summary>
    public static string? FromWiki(string? wiki)
    {
        if (string.IsNullOrWhiteSpace(wiki))
        {
            return null;
        }

        var lines = new List<string>();
        var inCode = false;
        foreach (var raw in wiki.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var line = raw;
            var marker = CodeMarker().Match(line);
            var hadMarker = marker.Success;
            while (marker.Success)
            {
                inCode = !inCode;
                line = line.Remove(marker.Index, marker.Length);
                marker = CodeMarker().Match(line);
            }

            if (hadMarker && string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (inCode)
            {
                lines.Add(line);
                continue;
            }

            line = BlockMarker().Replace(line, "");
            line = Heading().Replace(line, "");
            line = BulletItem().Replace(line, m => new string(' ', 2 * (m.Groups[1].Length - 1)) + "- ");
            line = NumberedItem().Replace(line, m => new string(' ', 2 * (m.Groups[1].Length - 1)) + "1. ");
            line = Link().Replace(line, m => m.Groups[2].Success ? $"{m.Groups[1].Value} ({m.Groups[2].Value})" : m.Groups[1].Value.TrimStart('~'));
            line = Monospace().Replace(line, "$1");
            line = Emphasis().Replace(line, "$2");
            line = Color().Replace(line, "");
            if (line.TrimStart().StartsWith('|'))
            {
                line = TableBars().Replace(line, " | ").Trim();
                line = line.StartsWith("| ", StringComparison.Ordinal) ? line[2..] : line;
                line = line.EndsWith(" |", StringComparison.Ordinal) ? line[..^2] : line;
            }

            line = line.Replace("\\\\", "\n");
            lines.Add(line);
        }

        return Tidy(string.Join('\n', lines));
    }

    private static void Block(JsonElement node, StringBuilder text, string indent, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in node.EnumerateArray())
            {
                Block(child, text, indent, depth + 1);
            }

            return;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var content = Content(node);
        switch (TypeOf(node))
        {
            case "doc" or "blockquote" or "panel" or "expand" or "nestedExpand" or "layoutSection" or "layoutColumn" or "bodiedExtension":
                foreach (var child in content)
                {
                    Block(child, text, indent, depth + 1);
                }

                break;
            case "bulletList" or "orderedList" or "taskList" or "decisionList":
                var ordered = TypeOf(node) == "orderedList";
                var number = ordered && node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object
                    && attrs.TryGetProperty("order", out var order) && order.TryGetInt32(out var start) ? start : 1;
                foreach (var item in content)
                {
                    var bullet = ordered ? $"{number++}. " : "- ";
                    ListItem(item, text, indent, bullet, depth + 1);
                }

                break;
            case "codeBlock":
                StartLine(text);
                foreach (var line in Inline(content, depth).Split('\n'))
                {
                    text.Append(indent).Append(line).Append('\n');
                }

                break;
            case "table":
                foreach (var row in content)
                {
                    StartLine(text);
                    var cells = Content(row).Select(cell => Flatten(cell, depth + 1)).ToList();
                    text.Append(indent).Append(string.Join(" | ", cells)).Append('\n');
                }

                break;
            case "rule":
                StartLine(text);
                text.Append(indent).Append("---\n");
                break;
            case "mediaSingle" or "mediaGroup" or "media" or "extension":
                break;
            default:
                // paragraph, heading, and any node we do not know: its inline text as one block.
                if (content.Count > 0 && content.All(IsBlock))
                {
                    foreach (var child in content)
                    {
                        Block(child, text, indent, depth + 1);
                    }
                }
                else
                {
                    StartLine(text);
                    var line = Inline([node], depth);
                    text.Append(indent).Append(line.Replace("\n", "\n" + indent)).Append('\n');
                }

                break;
        }
    }

    private static void ListItem(JsonElement item, StringBuilder text, string indent, string bullet, int depth)
    {
        var first = true;
        foreach (var child in Content(item))
        {
            if (TypeOf(child) is "bulletList" or "orderedList" or "taskList")
            {
                Block(child, text, indent + "  ", depth + 1);
                continue;
            }

            StartLine(text);
            var line = IsBlock(child) ? Flatten(child, depth + 1) : Inline([child], depth + 1);
            text.Append(indent).Append(first ? bullet : new string(' ', bullet.Length)).Append(line.Replace("\n", "\n" + indent + "  ")).Append('\n');
            first = false;
        }

        if (first && TypeOf(item) is "taskItem" or "decisionItem")
        {
            StartLine(text);
            text.Append(indent).Append(bullet).Append(Inline(Content(item), depth + 1)).Append('\n');
        }
    }

    private static string Flatten(JsonElement node, int depth)
    {
        var inner = new StringBuilder();
        Block(node, inner, "", depth + 1);
        return inner.ToString().Trim('\n').Replace("\n", " ");
    }

    private static string Inline(IEnumerable<JsonElement> nodes, int depth)
    {
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            InlineNode(node, text, depth + 1);
        }

        return text.ToString();
    }

    private static void InlineNode(JsonElement node, StringBuilder text, int depth)
    {
        if (depth > MaxDepth || node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (TypeOf(node))
        {
            case "text":
                var value = TrackerHttp.StringAt(node, "text") ?? "";
                text.Append(value);
                if (LinkOf(node) is { } href && !string.Equals(href, value, StringComparison.Ordinal))
                {
                    text.Append(" (").Append(href).Append(')');
                }

                return;
            case "hardBreak":
                text.Append('\n');
                return;
            case "mention":
                text.Append(Attr(node, "text") ?? "@someone");
                return;
            case "emoji":
                text.Append(Attr(node, "text") ?? Attr(node, "shortName") ?? "");
                return;
            case "inlineCard" or "blockCard" or "embedCard":
                text.Append(Attr(node, "url") ?? "");
                return;
            case "status":
                text.Append('[').Append(Attr(node, "text") ?? "").Append(']');
                return;
            case "date":
                if (Attr(node, "timestamp") is { } ms && long.TryParse(ms, out var unixMs))
                {
                    text.Append(DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, 0, 253402300799999)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                }

                return;
            default:
                foreach (var child in Content(node))
                {
                    InlineNode(child, text, depth + 1);
                }

                if (TrackerHttp.StringAt(node, "text") is { } own)
                {
                    text.Append(own);
                }

                return;
        }
    }

    private static List<JsonElement> Content(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? [.. content.EnumerateArray()]
            : [];

    private static string? TypeOf(JsonElement node) => TrackerHttp.StringAt(node, "type");

    private static bool IsBlock(JsonElement node) => TypeOf(node) is "paragraph" or "heading" or "bulletList" or "orderedList" or "codeBlock"
        or "table" or "blockquote" or "panel" or "rule" or "mediaSingle" or "mediaGroup" or "expand" or "nestedExpand" or "taskList" or "decisionList"
        or "layoutSection" or "blockCard" or "embedCard";

    private static string? Attr(JsonElement node, string name)
    {
        if (!node.TryGetProperty("attrs", out var attrs) || attrs.ValueKind != JsonValueKind.Object || !attrs.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static string? LinkOf(JsonElement node)
    {
        if (!node.TryGetProperty("marks", out var marks) || marks.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var mark in marks.EnumerateArray())
        {
            if (TypeOf(mark) == "link" && Attr(mark, "href") is { } href)
            {
                return href;
            }
        }

        return null;
    }

    private static void StartLine(StringBuilder text)
    {
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    /// <summary>Trailing spaces off, at most one blank line in a row, no blank lines at the ends; null when nothing is left.</summary>
    private static string? Tidy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        var kept = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0 && (kept.Count == 0 || kept[^1].Length == 0))
            {
                continue;
            }

            kept.Add(line);
        }

        var result = string.Join('\n', kept).Trim('\n');
        return result.Length == 0 ? null : result;
    }

    [GeneratedRegex(@"\{(code|noformat)(:[^}]*)?\}")]
    private static partial Regex CodeMarker();

    [GeneratedRegex(@"\{(quote|panel|color|expand)(:[^}]*)?\}")]
    private static partial Regex BlockMarker();

    [GeneratedRegex(@"^\s*(h[1-6]\.|bq\.)\s*")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*([*\-]+)\s+")]
    private static partial Regex BulletItem();

    [GeneratedRegex(@"^\s*(#+)\s+")]
    private static partial Regex NumberedItem();

    [GeneratedRegex(@"\[([^\[\]|]+)(?:\|([^\[\]]+))?\]")]
    private static partial Regex Link();

    [GeneratedRegex(@"\{\{(.+?)\}\}")]
    private static partial Regex Monospace();

    [GeneratedRegex(@"(?<![\w*_+\-^~])([*_+\-^~])(?=\S)(.+?)(?<=\S)\1(?![\w*_+\-^~])")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\{color(:[^}]*)?\}")]
    private static partial Regex Color();

    [GeneratedRegex(@"\s*\|\|?\s*")]
    private static partial Regex TableBars();
}
