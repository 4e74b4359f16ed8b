using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Api;

/// <summary>
/// The REST edge: create a room, read its public info, join it, and (facilitators) read or export its summary.
/// Every error is a ProblemDetails whose <c>type</c> is stable (<see cref="Errors"/>); no GET changes state.
/// </summary>
public static class RoomsApi
{
    /// <summary>Rate-limit policy for room creation, per client address.</summary>
    public const string CreatePolicy = "create-room";

    /// <summary>Rate-limit policy for joins and other requests on a room, per client address.</summary>
    public const string RoomPolicy = "room";

    /// <summary>Registers the rate limiter the endpoints use, and the budget of missed lookups they share with the hub.</summary>
    public static IServiceCollection AddRoomsApi(this IServiceCollection services)
    {
        services.AddSingleton<RoomMisses>();
        services.AddRateLimiter(o =>
        {
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                var problem = Errors.Problem(ErrorCodes.RateLimited, "too many requests from this address; wait a minute");
                await problem.ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(CreatePolicy, http => PerAddress(http, l => l.RoomCreationsPerMinute));
            o.AddPolicy(RoomPolicy, http => PerAddress(http, l => l.JoinsPerMinute));
        });
        return services;
    }

    /// <summary>Maps the endpoints under <c>/api/rooms</c>.</summary>
    public static RouteGroupBuilder MapRooms(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rooms").WithTags("Rooms");
        group.MapPost("/", CreateAsync).RequireRateLimiting(CreatePolicy).WithName("CreateRoom");
        group.MapGet("/{roomId}", GetInfoAsync).RequireRateLimiting(RoomPolicy).WithName("GetRoom");
        group.MapPost("/{roomId}/participants", JoinAsync).RequireRateLimiting(RoomPolicy).WithName("JoinRoom");
        group.MapGet("/{roomId}/summary", SummaryAsync).RequireRateLimiting(RoomPolicy).WithName("GetRoomSummary");
        group.MapGet("/{roomId}/export.json", ExportJsonAsync).RequireRateLimiting(RoomPolicy).WithName("ExportRoomJson");
        group.MapGet("/{roomId}/export.csv", ExportCsvAsync).RequireRateLimiting(RoomPolicy).WithName("ExportRoomCsv");
        return group;
    }

    private static async Task<Results<Created<CreateRoomResponse>, ProblemHttpResult>> CreateAsync(CreateRoomRequest request, HttpContext http, IGrainFactory grains, IOptions<WebOptions> web)
    {
        if (request is null || request.Name is null || request.DisplayName is null)
        {
            return Errors.Problem(ErrorCodes.ValidationFailed, "a room name and a display name are required");
        }

        var roomId = Secrets.NewRoomId();
        // A signed-in creator's seat is their account's: the same seat from any browser, and the room in their list.
        var grain = grains.Room(roomId);
        var reply = AccountsSetup.AccountIdOf(http.User) is { } account ? await grain.CreateAs(request, new SeatHolder(account, false)) : await grain.Create(request);
        if (!reply.IsSuccess)
        {
            return Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
        }

        var seat = reply.Value!;
        // Never from the request's Host header, which the sender chooses: a link to another site would be shared.
        var joinUrl = web.Value.LinkTo($"rooms/{roomId}");
        return TypedResults.Created($"/api/rooms/{roomId}", new CreateRoomResponse(roomId, seat.ParticipantId, seat.Token, joinUrl));
    }

    private static async Task<Results<Ok<RoomInfoDto>, ProblemHttpResult>> GetInfoAsync(string roomId, HttpContext http, IGrainFactory grains, RoomMisses misses, TeamRooms teams)
    {
        roomId = Secrets.NormalizeRoomId(roomId)!;
        if (!Secrets.IsRoomId(roomId))
        {
            return Errors.Problem(ErrorCodes.RoomNotFound, "there is no such room");
        }

        var reply = await misses.LookUpAsync(ClientAddress.Of(http), roomId, () => grains.Room(roomId).GetInfo());
        return reply.IsSuccess ? TypedResults.Ok(await teams.DescribeAsync(reply.Value!)) : Refused(http, reply);
    }

    private static async Task<Results<Created<JoinRoomResponse>, ProblemHttpResult>> JoinAsync(
        string roomId, JoinRoomRequest request, HttpContext http, IGrainFactory grains, RoomMisses misses, TeamRooms teams)
    {
        roomId = Secrets.NormalizeRoomId(roomId)!;
        if (!Secrets.IsRoomId(roomId))
        {
            return Errors.Problem(ErrorCodes.RoomNotFound, "there is no such room");
        }

        var account = AccountsSetup.AccountIdOf(http.User);
        if (request is null || (request.DisplayName is null && account is null))
        {
            return Errors.Problem(ErrorCodes.ValidationFailed, "a display name is required");
        }

        // The team's rules are asked of the room's grain too: a missing room spends the address's budget of misses first.
        var grain = grains.Room(roomId);
        var reply = await misses.LookUpAsync(ClientAddress.Of(http), roomId, async () =>
        {
            var (refused, join, holder) = await teams.PrepareJoinAsync(roomId, request, account);
            return refused is not null ? Reply<Seat>.From(refused) : holder is null ? await grain.Join(join) : await grain.JoinAs(join, holder);
        });
        if (!reply.IsSuccess)
        {
            return Refused(http, reply);
        }

        var seat = reply.Value!;
        return TypedResults.Created($"/api/rooms/{roomId}", new JoinRoomResponse(roomId, seat.ParticipantId, seat.Token));
    }

    private static async Task<Results<Ok<RoomSummaryDto>, ProblemHttpResult>> SummaryAsync(string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses)
    {
        var summary = await ReadSummaryAsync(roomId, http, grains, misses);
        return summary.IsSuccess ? TypedResults.Ok(summary.Value) : Refused(http.HttpContext, summary);
    }

    private static async Task<IResult> ExportJsonAsync(string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses)
    {
        var summary = await ReadSummaryAsync(roomId, http, grains, misses);
        if (!summary.IsSuccess)
        {
            return Refused(http.HttpContext, summary);
        }

        http.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"planning-poker-{roomId}.json\"";
        return TypedResults.Json(summary.Value);
    }

    private static async Task<IResult> ExportCsvAsync(string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses)
    {
        var summary = await ReadSummaryAsync(roomId, http, grains, misses);
        if (!summary.IsSuccess)
        {
            return Refused(http.HttpContext, summary);
        }

        http.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"planning-poker-{roomId}.csv\"";
        return TypedResults.Text(ToCsv(summary.Value!), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The summary, for the facilitator whose token is in the <c>Authorization: Bearer</c> header.</summary>
    private static async Task<Reply<RoomSummaryDto>> ReadSummaryAsync(string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses)
    {
        var seat = await SeatOfAsync(roomId, http, grains, misses);
        return seat.IsSuccess ? await seat.Value.Grain.GetSummary(seat.Value.Participant) : Reply<RoomSummaryDto>.From(seat);
    }

    /// <summary>The room and seat of the token in <c>Authorization: Bearer</c>, within the budget of missed lookups.</summary>
    internal static async Task<Reply<(IRoomGrain Grain, int Participant)>> SeatOfAsync(string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses)
    {
        roomId = Secrets.NormalizeRoomId(roomId)!;
        if (!Secrets.IsRoomId(roomId))
        {
            return Reply<(IRoomGrain, int)>.Fail(ErrorCodes.RoomNotFound, "there is no such room");
        }

        var header = http.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Reply<(IRoomGrain, int)>.Fail(ErrorCodes.InvalidToken, "send your token as 'Authorization: Bearer <token>'");
        }

        var grain = grains.Room(roomId);
        var participant = await misses.LookUpAsync(ClientAddress.Of(http.HttpContext), roomId, () => grain.Authenticate(header[7..].Trim()));
        return participant.IsSuccess ? (grain, participant.Value) : Reply<(IRoomGrain, int)>.From(participant);
    }

    /// <summary>
    /// One row per revealed vote (story, round, voter, card); a story or round without revealed votes still has
    /// one row. Cells that a spreadsheet would run as formulas are escaped.
    /// </summary>
    internal static string ToCsv(RoomSummaryDto summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return CsvText.Write(csv =>
        {
            csv.WriteRecord(CsvHeaders);
            foreach (var story in summary.Stories)
            {
                var cells = new StoryCells(story.Id.ToString(CultureInfo.InvariantCulture), story.ExternalKey, story.Title, story.State.ToString(), story.FinalEstimate?.Label);
                WriteRounds(csv, cells, story.Rounds, skipEmpty: false);
            }

            WriteRounds(csv, new StoryCells(null, null, null, null, null), summary.QuickVotes, skipEmpty: true);
        });
    }

    private static readonly string[] CsvHeaders =
        ["story_id", "external_key", "title", "story_state", "final_estimate", "round", "round_state", "participant", "card", "consensus", "suggested"];

    private static void WriteRounds(CsvWriter csv, StoryCells story, IReadOnlyList<RoundRecordDto> rounds, bool skipEmpty)
    {
        if (rounds.Count == 0 && !skipEmpty)
        {
            Row(csv, story, null, null, null);
        }

        foreach (var round in rounds)
        {
            if (round.Votes.Count == 0)
            {
                Row(csv, story, round, null, null);
            }

            foreach (var vote in round.Votes)
            {
                Row(csv, story, round, vote.Name, vote.Card);
            }
        }
    }

    private static void Row(CsvWriter csv, StoryCells story, RoundRecordDto? round, string? participant, string? card) =>
        csv.WriteRecord(new[]
        {
            story.Id, story.Key, story.Title, story.State, story.Estimate,
            round?.Number.ToString(CultureInfo.InvariantCulture), round?.State.ToString(), participant, card,
            round?.Result is { } r ? (r.Consensus ? "yes" : "no") : null, round?.Result?.Suggested,
        }.Select(c => c ?? string.Empty).ToArray());

    private sealed record StoryCells(string? Id, string? Key, string? Title, string? State, string? Estimate);

    /// <summary>The problem for a failed reply; a refusal by <see cref="RoomMisses"/> says when to try again.</summary>
    private static ProblemHttpResult Refused(HttpContext http, Reply reply)
    {
        if (reply.RetryAfter is { } retryAfter)
        {
            // The room says when it hears the next try (the passcode back-off, TooManyPasscodeAttempts).
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        else if (reply.ErrorCode == ErrorCodes.RateLimited)
        {
            http.Response.Headers.RetryAfter = "60";
        }

        return Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, Func<LimitOptions, int> permits)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value;
        var address = ClientAddress.Of(http);
        return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(limits),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
