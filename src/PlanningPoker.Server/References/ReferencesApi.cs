using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PlanningPoker.Server.Api;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.References;

/// <summary>
/// Reference and similar stories (docs/api.md, "Reference and similar stories"). Team side, signed in:
/// <c>GET /api/orgs/{org}/teams/{team}/references</c>, <c>PUT|DELETE …/references/{roomId}/{storyId}</c>. Room side,
/// with a seat's token: <c>GET /api/rooms/{roomId}/references</c>, <c>GET /api/rooms/{roomId}/stories/{storyId}/similar</c>
/// and <c>…/earlier</c>.
/// </summary>
public static class ReferencesApi
{
    /// <summary>Registers the services (the similarity index is one per node).</summary>
    public static IServiceCollection AddReferences(this IServiceCollection services) =>
        services.AddSingleton<SimilarStoriesIndex>().AddSingleton<ReferenceStories>();

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapReferences(this IEndpointRouteBuilder app)
    {
        var team = app.MapGroup("/api/orgs/{orgId:guid}/teams/{teamId:guid}/references").WithTags("References").RequireAuthorization();
        team.MapGet("/", async (Guid orgId, Guid teamId, ClaimsPrincipal user, ReferenceStories references) =>
            Answer(await references.ListAsync(Me(user), orgId, teamId))).WithName("TeamReferences");
        team.MapPut("/{roomId}/{storyId:int}", async (Guid orgId, Guid teamId, string roomId, int storyId, ClaimsPrincipal user, ReferenceStories references) =>
            Answer(await references.MarkAsync(Me(user), orgId, teamId, roomId, storyId))).WithName("MarkReference");
        team.MapDelete("/{roomId}/{storyId:int}", async Task<Results<NoContent, ProblemHttpResult>> (Guid orgId, Guid teamId, string roomId, int storyId, ClaimsPrincipal user, ReferenceStories references) =>
        {
            var reply = await references.UnmarkAsync(Me(user), orgId, teamId, roomId, storyId);
            return reply.IsSuccess ? TypedResults.NoContent() : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
        }).WithName("UnmarkReference");

        var room = app.MapGroup("/api/rooms/{roomId}").WithTags("References").RequireRateLimiting(RoomsApi.RoomPolicy);
        room.MapGet("/references", async (string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses, ReferenceStories references) =>
        {
            var seat = await RoomsApi.SeatOfAsync(roomId, http, grains, misses);
            return seat.IsSuccess ? Answer(await references.ForRoomAsync(seat.Value.Grain, seat.Value.Participant)) : Errors.Problem(seat.ErrorCode!, seat.ErrorMessage);
        }).WithName("RoomReferences");
        room.MapGet("/stories/{storyId:int}/similar", async (string roomId, int storyId, HttpRequest http, IGrainFactory grains, RoomMisses misses, ReferenceStories references) =>
        {
            var seat = await RoomsApi.SeatOfAsync(roomId, http, grains, misses);
            return seat.IsSuccess ? Answer(await references.SimilarAsync(seat.Value.Grain, seat.Value.Participant, storyId)) : Errors.Problem(seat.ErrorCode!, seat.ErrorMessage);
        }).WithName("SimilarStories");
        room.MapGet("/stories/{storyId:int}/earlier", async (string roomId, int storyId, HttpRequest http, IGrainFactory grains, RoomMisses misses, ReferenceStories references) =>
        {
            var seat = await RoomsApi.SeatOfAsync(roomId, http, grains, misses);
            return seat.IsSuccess ? Answer(await references.EarlierAsync(seat.Value.Grain, seat.Value.Participant, storyId)) : Errors.Problem(seat.ErrorCode!, seat.ErrorMessage);
        }).WithName("EarlierEstimates");
        return app;
    }

    private static Guid Me(ClaimsPrincipal user) =>
        AccountsSetup.AccountIdOf(user) ?? throw new InvalidOperationException("an endpoint that requires authorization ran without a signed-in account");

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Reply<T> reply) =>
        reply.IsSuccess ? TypedResults.Ok(reply.Value!) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
}
