using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Api;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.Trackers;

/// <summary>
/// Tracker connections (docs/api.md, "Tracker connections"): a team's connections under
/// <c>/api/orgs/{orgId}/teams/{teamId}/trackers</c> (signed in, as the other organisation endpoints), a person's own
/// under <c>/api/account/trackers</c>, and
/// <c>POST /api/rooms/{roomId}/stories/import</c>, which imports what a connection's search finds into a room of its
/// team with a facilitator's seat token.
/// </summary>
public static class TrackersApi
{
    /// <summary>Registers the tracker clients, their options and the connections' service.</summary>
    public static IServiceCollection AddTrackerConnections(this IServiceCollection services)
    {
        services.AddOptions<TrackerOptions>().BindConfiguration(TrackerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TrackerConnectionService>();
        return services;
    }

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapTrackers(this IEndpointRouteBuilder app)
    {
        // A team's and a person's connections: the same endpoints, each group naming its owner.
        MapConnections(app.MapGroup("/api/orgs/{orgId:guid}/teams/{teamId:guid}/trackers"), "", http =>
        {
            var route = http.Request.RouteValues;
            return new TrackerOwner.Team(Guid.Parse((string)route["orgId"]!), Guid.Parse((string)route["teamId"]!));
        });
        MapConnections(app.MapGroup("/api/account/trackers"), "Personal", _ => TrackerOwner.Personal);

        app.MapPost("/api/rooms/{roomId}/stories/import", ImportAsync).RequireRateLimiting(RoomsApi.RoomPolicy).WithTags("Import").WithName("ImportFromTracker");
        app.MapGet("/api/rooms/{roomId}/trackers", ListForRoomAsync).RequireRateLimiting(RoomsApi.RoomPolicy).WithTags("Import").WithName("RoomTrackers");
        app.MapPost("/api/rooms/{roomId}/trackers/{trackerId:guid}/search", SearchForRoomAsync).RequireRateLimiting(RoomsApi.RoomPolicy).WithTags("Import").WithName("SearchRoomTracker");
        return app;
    }

    /// <summary>
    /// Maps list, create, change, delete, check and search on <paramref name="group"/>, signed in; <paramref name="ownerOf"/>
    /// says whose connections a request is for, <paramref name="names"/> tells the endpoints' names apart.
    /// </summary>
    private static void MapConnections(RouteGroupBuilder group, string names, Func<HttpContext, TrackerOwner> ownerOf)
    {
        group.WithTags("Trackers").RequireAuthorization();
        group.MapGet("/", async (HttpContext http, TrackerConnectionService service) =>
            Answer(await service.ListAsync(Me(http.User), ownerOf(http)))).WithName($"List{names}TrackerConnections");
        group.MapPost("/", async (SaveTrackerConnectionRequest request, HttpContext http, TrackerConnectionService service) =>
            Created(await service.CreateAsync(Me(http.User), ownerOf(http), request), c => $"{http.Request.PathBase}{http.Request.Path.Value!.TrimEnd('/')}/{c.Id}"))
            .WithName($"Create{names}TrackerConnection");
        group.MapPut("/{trackerId:guid}", async (Guid trackerId, SaveTrackerConnectionRequest request, HttpContext http, TrackerConnectionService service) =>
            Answer(await service.UpdateAsync(Me(http.User), ownerOf(http), trackerId, request))).WithName($"Update{names}TrackerConnection");
        group.MapDelete("/{trackerId:guid}", async (Guid trackerId, HttpContext http, TrackerConnectionService service) =>
            Answer(await service.DeleteAsync(Me(http.User), ownerOf(http), trackerId))).WithName($"Delete{names}TrackerConnection");
        group.MapPost("/{trackerId:guid}/check", async (Guid trackerId, HttpContext http, TrackerConnectionService service, CancellationToken cancellationToken) =>
            Answer(await service.CheckAsync(Me(http.User), ownerOf(http), trackerId, cancellationToken))).WithName($"Check{names}TrackerConnection");
        group.MapPost("/{trackerId:guid}/search", async (Guid trackerId, TrackerSearchRequest request, HttpContext http, TrackerConnectionService service, CancellationToken cancellationToken) =>
            Answer(await service.SearchAsync(Me(http.User), ownerOf(http), trackerId, request, cancellationToken))).WithName($"Search{names}Tracker");
    }

    private static async Task<Results<Ok<ImportReportDto>, ProblemHttpResult>> ImportAsync(
        string roomId, ImportFromTrackerRequest request, HttpRequest http, IGrainFactory grains, RoomMisses misses, TrackerConnectionService service, CancellationToken cancellationToken)
    {
        var seat = await RoomsApi.SeatOfAsync(roomId, http, grains, misses);
        if (!seat.IsSuccess)
        {
            return Errors.Problem(seat.ErrorCode!, seat.ErrorMessage);
        }

        var (grain, participant) = seat.Value;
        return Answer(await service.ImportAsync(grain, participant, request, cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<RoomTrackerDto>>, ProblemHttpResult>> ListForRoomAsync(
        string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses, TrackerConnectionService service)
    {
        var seat = await RoomsApi.SeatOfAsync(roomId, http, grains, misses);
        return seat.IsSuccess ? Answer(await service.ListForRoomAsync(seat.Value.Grain, seat.Value.Participant)) : Errors.Problem(seat.ErrorCode!, seat.ErrorMessage);
    }

    private static async Task<Results<Ok<TrackerSearchPageDto>, ProblemHttpResult>> SearchForRoomAsync(
        string roomId, Guid trackerId, TrackerSearchRequest request, HttpRequest http, IGrainFactory grains, RoomMisses misses, TrackerConnectionService service, CancellationToken cancellationToken)
    {
        var seat = await RoomsApi.SeatOfAsync(roomId, http, grains, misses);
        return seat.IsSuccess
            ? Answer(await service.SearchForRoomAsync(seat.Value.Grain, seat.Value.Participant, trackerId, request, cancellationToken))
            : Errors.Problem(seat.ErrorCode!, seat.ErrorMessage);
    }

    private static Guid Me(ClaimsPrincipal user) =>
        AccountsSetup.AccountIdOf(user) ?? throw new InvalidOperationException("an endpoint that requires authorization ran without a signed-in account");

    private static Results<NoContent, ProblemHttpResult> Answer(Reply reply) =>
        reply.IsSuccess ? TypedResults.NoContent() : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Reply<T> reply) =>
        reply.IsSuccess ? TypedResults.Ok(reply.Value!) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);

    /// <summary>A tracker's failure is <see cref="ErrorCodes.TrackerFailed"/> with its reason, its kind (<c>failure</c>) and its HTTP status (<c>trackerStatus</c>).</summary>
    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(TrackerReply<T> reply) => reply.Failure is { } failure
        ? Errors.Problem(ErrorCodes.TrackerFailed, failure.Reason, new Dictionary<string, object?>
        {
            ["failure"] = failure.Kind.ToString(),
            ["trackerStatus"] = failure.Status is { } status ? (int)status : null,
        })
        : Answer(reply.Reply);

    private static Results<Created<T>, ProblemHttpResult> Created<T>(Reply<T> reply, Func<T, string> location) =>
        reply.IsSuccess ? TypedResults.Created(location(reply.Value!), reply.Value!) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
}
