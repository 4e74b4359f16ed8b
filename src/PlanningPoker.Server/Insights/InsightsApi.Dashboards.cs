using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Api;

namespace PlanningPoker.Server.Insights;

/// <summary>
/// The dashboards as CSV (docs/api.md, "Insights"): <c>GET /api/orgs/{org}/insights/export</c> (the organisation's
/// line, then each team's) and <c>GET /api/orgs/{org}/teams/{team}/insights/export</c> (the team's line, then each
/// workshop's), over the same period and for the same readers as the pages. One KPI per column, shares between 0 and
/// 1, invariant culture; names are the users' text, so formula-like cells are escaped.
/// </summary>
public static partial class InsightsApi
{
    private static readonly string[] DashboardHeaders =
        ["scope", "name", "id", "first_accept", "workshops", "stories_estimated", "estimated_total", "first_round_consensus",
         "consensus_change", "rounds_per_story", "median_minutes_per_story", "median_first_spread", "participation",
         "unsure_share", "break_share", "revotes_converged", "revotes_not_converged", "revoted_three_times"];

    private static void MapDashboardExports(RouteGroupBuilder orgs)
    {
        orgs.MapGet("/insights/export", async (Guid orgId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, EstimationInsights insights, HttpResponse response) =>
        {
            var reply = await insights.OrganisationAsync(Me(user), orgId, from, to);
            return reply.IsSuccess ? (Results<ContentHttpResult, ProblemHttpResult>)Download(response, "estimation-teams", reply.Value!.From, reply.Value.To, ToCsv(reply.Value)) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
        }).WithName("ExportOrganisationInsights");
        orgs.MapGet("/teams/{teamId:guid}/insights/export", async (Guid orgId, Guid teamId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, EstimationInsights insights, HttpResponse response) =>
        {
            var reply = await insights.TeamAsync(Me(user), orgId, teamId, from, to);
            return reply.IsSuccess ? (Results<ContentHttpResult, ProblemHttpResult>)Download(response, "estimation-workshops", reply.Value!.From, reply.Value.To, ToCsv(reply.Value)) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
        }).WithName("ExportTeamInsights");
    }

    /// <summary>The organisation's line, then each team's (by name).</summary>
    internal static string ToCsv(OrganisationInsightsDto insights) => Write(
        [Line("organization", insights.Name, insights.OrganisationId.ToString(), null, insights.Teams.Sum(t => t.Workshops), insights.Kpis, null),
         .. insights.Teams.Select(t => Line("team", t.Name, t.TeamId.ToString(), null, t.Workshops, t.Kpis, t.ConsensusChange))]);

    /// <summary>The team's line, then each workshop's (oldest first).</summary>
    internal static string ToCsv(TeamInsightsDto insights) => Write(
        [Line("team", insights.Name, insights.TeamId.ToString(), null, insights.Workshops.Count, insights.Kpis, insights.ConsensusChange),
         .. insights.Workshops.Select(w => Line("workshop", w.Name, w.RoomId, w.FirstAccept, 1, w.Kpis, null))]);

    private static string[] Line(string scope, string name, string id, DateTimeOffset? firstAccept, int workshops, EstimationKpisDto k, double? change) =>
    [
        scope, name, id, firstAccept?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "",
        Whole(workshops), Whole(k.StoriesEstimated), k.EstimatedTotal.ToString(CultureInfo.InvariantCulture), Number(k.FirstRoundConsensusRate),
        Number(change), Number(k.RoundsPerStory), Number(k.MedianMinutesPerStory), Number(k.MedianFirstSpread), Number(k.Participation),
        Number(k.UnsureShare), Number(k.BreakShare), Whole(k.RevotesConverged), Whole(k.RevotesNotConverged), Whole(k.ReVotedThreeTimes),
    ];

    private static string Write(IEnumerable<string[]> lines) => CsvText.Write(csv =>
    {
        csv.WriteRecord(DashboardHeaders);
        foreach (var line in lines)
        {
            csv.WriteRecord(line);
        }
    });

    private static ContentHttpResult Download(HttpResponse response, string prefix, DateOnly from, DateOnly to, string csv)
    {
        response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"{prefix}-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}.csv\"");
        return TypedResults.Text(csv, "text/csv; charset=utf-8", Encoding.UTF8);
    }

    private static string Whole(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";
}
