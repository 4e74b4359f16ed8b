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
                .Append(story.FinalEstimate is { } e ? Escape(e.Label) : "—").Append(" | ")
                .Append(story.Rounds.Count.ToString(culture)).AppendLine(" |");
        }

        md.AppendLine().Append("**").Append(text("Summary.Total")).Append("**: ")
            .AppendLine(summary.EstimatedTotal.ToString("0.##", culture));

        foreach (var story in summary.Stories.Where(s => s.Rounds.Any(r => r.Votes.Count > 0)))
        {
            md.AppendLine().Append("## ").AppendLine(Escape(story.Title));
            foreach (var round in story.Rounds.Where(r => r.Votes.Count > 0))
            {
                md.Append("- ").Append(string.Format(culture, text("History.Round"), round.Number)).Append(": ")
                    .AppendJoin(", ", round.Votes.Select(v => $"{Escape(v.Name)} {Escape(v.Card)}"));
                if (round.Estimate is { } estimate)
                {
                    md.Append(" → **").Append(Escape(estimate.Label)).Append("**");
                }

                md.AppendLine();
            }
        }

        return md.ToString();
    }

    /// <summary>Escapes what Markdown would read as markup (and the table's pipes); keeps text on one line.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\r' or '\n')
            {
                sb.Append(' ');
            }
            else
            {
                if ("\\`*_{}[]()#+-.!|<>~".Contains(c, StringComparison.Ordinal))
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
