using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Api;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Insights;

/// <summary>
/// The estimation KPIs and history (docs/api.md, "Insights"): a team's KPIs, <c>GET /api/orgs/{org}/teams/{team}/insights</c>,
/// and every team's side by side, <c>GET /api/orgs/{org}/insights</c>, over <c>?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c>
/// (UTC days, both included; the last 90 days when not given); a team's history, <c>GET …/teams/{team}/history</c>
/// (a page), <c>…/history/{room}/{story}</c> (one story's rounds and votes) and <c>…/history/export</c> (CSV or JSON);
/// a team's estimate vs actual, <c>GET …/teams/{team}/insights/actuals</c>, refreshed from its trackers by
/// <c>POST …/insights/actuals/refresh</c>.
/// </summary>
public static partial class InsightsApi
{
    private static readonly string[] CsvHeaders =
        ["workshop", "room_id", "story_id", "external_key", "title", "url", "state", "estimate", "date", "revealed_rounds",
         "first_round_consensus", "minutes_to_accept", "votes", "participants"];

    /// <summary>Registers the services.</summary>
    public static IServiceCollection AddInsights(this IServiceCollection services)
    {
        services.AddOptions<ActualsOptions>().BindConfiguration(ActualsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ActualsWorker>().AddHostedService(sp => sp.GetRequiredService<ActualsWorker>());
        return services.AddSingleton<EstimationInsights>().AddSingleton<EstimationHistory>().AddSingleton<ActualsInsights>();
    }

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapInsights(this IEndpointRouteBuilder app)
    {
        var orgs = app.MapGroup("/api/orgs/{orgId:guid}").WithTags("Insights").RequireAuthorization();
        orgs.MapGet("/teams/{teamId:guid}/insights", async (Guid orgId, Guid teamId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, EstimationInsights insights) =>
            Answer(await insights.TeamAsync(Me(user), orgId, teamId, from, to))).WithName("TeamInsights");
        orgs.MapGet("/teams/{teamId:guid}/insights/actuals", async (Guid orgId, Guid teamId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, ActualsInsights actuals) =>
            Answer(await actuals.TeamAsync(Me(user), orgId, teamId, from, to))).WithName("TeamActuals");
        orgs.MapPost("/teams/{teamId:guid}/insights/actuals/refresh", async (Guid orgId, Guid teamId, ClaimsPrincipal user, ActualsInsights actuals, CancellationToken cancellationToken) =>
            Answer(await actuals.RefreshAsync(Me(user), orgId, teamId, cancellationToken))).WithName("RefreshTeamActuals");
        orgs.MapGet("/insights", async (Guid orgId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, EstimationInsights insights) =>
            Answer(await insights.OrganisationAsync(Me(user), orgId, from, to))).WithName("OrganisationInsights");

        orgs.MapGet("/teams/{teamId:guid}/history", async (
                Guid orgId, Guid teamId, DateOnly? from, DateOnly? to, string? q, string? room, string? state, int? page, int? pageSize,
                ClaimsPrincipal user, EstimationHistory history) =>
            FilterOf(from, to, q, room, state) is { } filter
                ? Answer(await history.PageAsync(Me(user), orgId, teamId, filter, page ?? 1, pageSize ?? 50))
                : BadState())
            .WithName("TeamHistory");
        orgs.MapGet("/teams/{teamId:guid}/history/{roomId}/{storyId:int}", async (Guid orgId, Guid teamId, string roomId, int storyId, ClaimsPrincipal user, EstimationHistory history) =>
            Answer(await history.StoryAsync(Me(user), orgId, teamId, roomId, storyId))).WithName("TeamHistoryStory");
        orgs.MapGet("/teams/{teamId:guid}/history/export", ExportAsync).WithName("ExportTeamHistory");
        MapDashboardExports(orgs);
        return app;
    }

    private static async Task<IResult> ExportAsync(
        Guid orgId, Guid teamId, DateOnly? from, DateOnly? to, string? q, string? room, string? state, string? format,
        ClaimsPrincipal user, EstimationHistory history, HttpResponse response)
    {
        var csv = format is null || format.Equals("csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !"json".Equals(format, StringComparison.OrdinalIgnoreCase))
        {
            return Errors.Problem(ErrorCodes.ValidationFailed, "format is csv or json");
        }

        if (FilterOf(from, to, q, room, state) is not { } filter)
        {
            return BadState();
        }

        var export = await history.ExportAsync(Me(user), orgId, teamId, filter);
        if (!export.IsSuccess)
        {
            return Errors.Problem(export.ErrorCode!, export.ErrorMessage);
        }

        var value = export.Value!;
        var name = string.Create(CultureInfo.InvariantCulture, $"estimation-history-{value.From:yyyy-MM-dd}-{value.To:yyyy-MM-dd}.{(csv ? "csv" : "json")}");
        response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        return csv
            ? TypedResults.Text(ToCsv(value.Stories), "text/csv; charset=utf-8", Encoding.UTF8)
            : TypedResults.Json(value.Stories);
    }

    /// <summary>One row per story; its votes (every revealed round's, as <c>name: card</c>) and who voted in two cells. Formula-like cells are escaped.</summary>
    internal static string ToCsv(IReadOnlyList<HistoryStoryDetailDto> stories)
    {
        return CsvText.Write(csv =>
        {
            csv.WriteRecord(CsvHeaders);
            foreach (var detail in stories)
            {
                var s = detail.Story;
                csv.WriteRecord(new[]
                {
                    s.Workshop, s.RoomId, s.StoryId.ToString(CultureInfo.InvariantCulture), s.ExternalKey ?? "", s.Title, s.Url ?? "",
                    s.State.ToString(), s.Estimate ?? "", s.Date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    s.RevealedRounds.ToString(CultureInfo.InvariantCulture),
                    s.FirstRoundConsensus switch { true => "yes", false => "no", null => "" },
                    s.MinutesToAccept?.ToString(CultureInfo.InvariantCulture) ?? "",
                    string.Join(" | ", detail.Rounds.Where(r => r.Votes.Count > 0).Select(r => string.Join("; ", r.Votes.Select(v => $"{v.Participant}: {v.Card}")))),
                    string.Join("; ", detail.Participants),
                });
            }
        });
    }

    /// <summary>The filter of the query string; null when the state is not one.</summary>
    private static HistoryFilter? FilterOf(DateOnly? from, DateOnly? to, string? q, string? room, string? state) =>
        string.IsNullOrEmpty(state)
            ? new HistoryFilter(from, to, q, string.IsNullOrEmpty(room) ? null : room, null)
            : Enum.TryParse<StoryState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? new HistoryFilter(from, to, q, string.IsNullOrEmpty(room) ? null : room, parsed)
                : null;

    private static ProblemHttpResult BadState() =>
        Errors.Problem(ErrorCodes.ValidationFailed, $"state is one of {string.Join(", ", Enum.GetNames<StoryState>().Select(n => n.ToLowerInvariant()))}");

    private static Guid Me(ClaimsPrincipal user) =>
        AccountsSetup.AccountIdOf(user) ?? throw new InvalidOperationException("an endpoint that requires authorization ran without a signed-in account");

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Reply<T> reply) =>
        reply.IsSuccess ? TypedResults.Ok(reply.Value!) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
}
