using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Insights;

/// <summary>
/// The estimation KPIs (docs/api.md, "Insights"): a team's, <c>GET /api/orgs/{org}/teams/{team}/insights</c>, and every
/// team's side by side, <c>GET /api/orgs/{org}/insights</c>, over <c>?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c> (UTC days,
/// both included; the last 90 days when not given).
/// </summary>
public static class InsightsApi
{
    /// <summary>Registers the service.</summary>
    public static IServiceCollection AddInsights(this IServiceCollection services) => services.AddSingleton<EstimationInsights>();

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapInsights(this IEndpointRouteBuilder app)
    {
        var orgs = app.MapGroup("/api/orgs/{orgId:guid}").WithTags("Insights").RequireAuthorization();
        orgs.MapGet("/teams/{teamId:guid}/insights", async (Guid orgId, Guid teamId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, EstimationInsights insights) =>
            Answer(await insights.TeamAsync(Me(user), orgId, teamId, from, to))).WithName("TeamInsights");
        orgs.MapGet("/insights", async (Guid orgId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, EstimationInsights insights) =>
            Answer(await insights.OrganisationAsync(Me(user), orgId, from, to))).WithName("OrganisationInsights");
        return app;
    }

    private static Guid Me(ClaimsPrincipal user) =>
        AccountsSetup.AccountIdOf(user) ?? throw new InvalidOperationException("an endpoint that requires authorization ran without a signed-in account");

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Reply<T> reply) =>
        reply.IsSuccess ? TypedResults.Ok(reply.Value!) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
}
