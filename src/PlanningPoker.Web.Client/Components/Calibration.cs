using System.Globalization;
using Microsoft.Extensions.Localization;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Components;

/// <summary>How reference stories, similar stories and earlier estimates say where and when a story was estimated.</summary>
internal static class Calibration
{
    /// <summary>"Sprint 42, 12 Nov" in the reader's language and time zone.</summary>
    public static string Where(IStringLocalizer l, EstimatedStoryDto story) => l["References.Where", story.RoomName, Day(story.EstimatedAt)];

    /// <summary>The day, in the reader's language and time zone: "12 Nov 2026", "12 nov. 2026".</summary>
    public static string Day(DateTimeOffset at) => at.ToLocalTime().ToString("d MMM yyyy", CultureInfo.CurrentCulture);
}
