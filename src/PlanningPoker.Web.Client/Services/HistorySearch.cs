using System.Globalization;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>What the history page asks for: a period, words, a workshop, a story state (null: any).</summary>
/// <param name="From">The period's first day.</param>
/// <param name="To">The period's last day.</param>
/// <param name="Text">Words of a title or a tracker key.</param>
/// <param name="RoomId">One workshop.</param>
/// <param name="State">One story state.</param>
public sealed record HistorySearch(DateOnly? From, DateOnly? To, string? Text, string? RoomId, StoryState? State)
{
    /// <summary>Stories on a page of the history.</summary>
    public const int PageSize = 50;

    /// <summary>The query string of the history's endpoints (without <c>?</c>).</summary>
    public string Query()
    {
        var parts = new List<string>();
        if (From is { } from)
        {
            parts.Add("from=" + from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (To is { } to)
        {
            parts.Add("to=" + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrWhiteSpace(Text))
        {
            parts.Add("q=" + Uri.EscapeDataString(Text.Trim()));
        }

        if (!string.IsNullOrEmpty(RoomId))
        {
            parts.Add("room=" + Uri.EscapeDataString(RoomId));
        }

        if (State is { } state)
        {
            parts.Add("state=" + state.ToString().ToLowerInvariant());
        }

        return string.Join('&', parts);
    }
}
