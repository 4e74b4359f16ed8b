using System.Globalization;
using System.Text;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>The summary as a Markdown document: a table of the backlog with final estimates, then each story's rounds.</summary>
public static class MarkdownExport
{
    /// <summary>Writes the document; story text is escaped so that it cannot break the table or inject markup.</summary>
    public static string Of(RoomSummaryDto summary, Func<string, string> text, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(text);
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(summary.Name)).AppendLine();
        md.Append("| ").Append(text("Summary.Story")).Append(" | ").Append(text("Summary.State")).Append(" | ")
            .Append(text("Summary.Estimate")).Append(" | ").Append(text("Summary.Rounds")).AppendLine(" |");
        md.AppendLine("|---|---|---|---|");
        foreach (var story in summary.Stories)
        {
            var title = story.ExternalKey is null ? Escape(story.Title) : $"{Escape(story.ExternalKey)} {Escape(story.Title)}";
            md.Append("| ").Append(title).Append(" | ").Append(text($"StoryState.{story.State}")).Append(" | ")
                .Append(story.FinalEstimate is { } e ? Escape(Numbers.Label(e.Label, culture)) : "—").Append(" | ")
                .Append(story.Rounds.Count.ToString(culture)).AppendLine(" |");
        }

        md.AppendLine().Append("**").Append(text("Summary.Total")).Append("**: ")
            .AppendLine(Numbers.Format(summary.EstimatedTotal, culture));

        foreach (var story in summary.Stories.Where(s => s.Rounds.Any(r => r.Votes.Count > 0)))
        {
            md.AppendLine().Append("## ").AppendLine(Escape(story.Title));
            foreach (var round in story.Rounds.Where(r => r.Votes.Count > 0))
            {
                md.Append("- ").Append(string.Format(culture, text("History.Round"), round.Number)).Append(": ")
                    .AppendJoin(", ", round.Votes.Select(v => $"{Escape(Names.Shown(v.Name, text))} {Escape(Numbers.Label(v.Card, culture))}"));
                if (round.Estimate is { } estimate)
                {
                    md.Append(" → **").Append(Escape(Numbers.Label(estimate.Label, culture))).Append("**");
                }

                md.AppendLine();
            }
        }

        return md.ToString();
    }

    /// <summary>
    /// Escapes what Markdown would read as markup within a line (emphasis, code, links, HTML, entities, the table's
    /// pipes), and what would open a block at the start of one (a heading, a list, a quote); keeps text on one line.
    /// Ordinary punctuation ("6.5", "PP-1", "Sprint 42!") stays as it is.
    /// </summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\r' or '\n')
            {
                sb.Append(' ');
                continue;
            }

            if (Inline.Contains(c, StringComparison.Ordinal)
                || (c == '&' && EntityLike(value, i))
                || (sb.Length == 0 && c is '#' or '+' or '-' or '=')
                || (c is '.' or ')' && sb.Length > 0 && IsListNumber(sb) && (i + 1 == value.Length || value[i + 1] == ' ')))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private const string Inline = "\\`*_[]|<>~";

    /// <summary>"&amp;amp;", "&amp;#38;": an ampersand that a renderer would read as an entity.</summary>
    private static bool EntityLike(string value, int at)
    {
        var end = value.IndexOf(';', at);
        if (end <= at + 1)
        {
            return false;
        }

        foreach (var ch in value.AsSpan(at + 1, end - at - 1))
        {
            if (!char.IsAsciiLetterOrDigit(ch) && ch != '#')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsListNumber(StringBuilder sb)
    {
        for (var i = 0; i < sb.Length; i++)
        {
            if (!char.IsAsciiDigit(sb[i]))
            {
                return false;
            }
        }

        return sb.Length <= 9;
    }
}
