using Microsoft.AspNetCore.SignalR;
using Orleans.Concurrency;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;
using ContractRole = PlanningPoker.Contracts.Role;

namespace PlanningPoker.Server.Realtime;

/// <summary>
/// The real-time edge (<see cref="IRoomHub"/>): a thin adapter. A connection joins one room with its token; every
/// later call acts as that participant, whatever it says, and becomes one grain call. Refusals are
/// <see cref="HubException"/>s whose message starts with a stable code.
/// </summary>
public sealed partial class RoomHub : Hub<IRoomClient>, IRoomHub
{
    private const string SessionKey = "session";
    private const int MaxTokenLength = 256;
    private const int MaxTextLength = 200_000;

    private readonly IGrainFactory _grains;
    private readonly RoomRelay _relay;
    private readonly RoomMisses _misses;
    private readonly ILogger<RoomHub> _logger;

    /// <summary>Created by SignalR for each call.</summary>
    public RoomHub(IGrainFactory grains, RoomRelay relay, RoomMisses misses, ILogger<RoomHub> logger)
    {
        _grains = grains;
        _relay = relay;
        _misses = misses;
        _logger = logger;
    }

    private Session Current =>
        Context.Items.TryGetValue(SessionKey, out var s) && s is Session session
            ? session
            : throw Error(ErrorCodes.NotJoined, "join a room first (JoinRoom with your token)");

    /// <inheritdoc />
    public async Task<RoomViewDto> JoinRoom(string roomId, string token)
    {
        roomId = Secrets.NormalizeRoomId(roomId)!;
        if (!Secrets.IsRoomId(roomId) || string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            throw Error(ErrorCodes.ValidationFailed, "a room id and a token are required");
        }

        if (Context.Items.TryGetValue(SessionKey, out var existing) && existing is Session joined)
        {
            if (joined.RoomId != roomId)
            {
                throw Error(ErrorCodes.ValidationFailed, "this connection is already in another room");
            }

            return await GetView();
        }

        var grain = _grains.Room(roomId);
        var participantId = Unwrap(await _misses.LookUpAsync(HubGuard.AddressOf(Context), roomId, () => grain.Authenticate(token)));

        // Listen before taking the view, so that no change falls between the view and the first push.
        await _relay.AddAsync(roomId, participantId, Context.ConnectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, RoomRelay.GroupOf(roomId));
        var connected = await grain.Connect(participantId, Context.ConnectionId, _relay.Node);
        if (!connected.IsSuccess)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomRelay.GroupOf(roomId));
            await _relay.RemoveAsync(roomId, participantId, Context.ConnectionId);
            throw Error(connected.ErrorCode!, connected.ErrorMessage);
        }

        Context.Items[SessionKey] = new Session(roomId, participantId, grain);
        Log.Joined(_logger, roomId, participantId, Context.ConnectionId);
        return connected.Value!;
    }

    /// <inheritdoc />
    public async Task<RoomViewDto> GetView()
    {
        var s = Current;
        return Unwrap(await s.Grain.GetView(s.ParticipantId));
    }

    /// <inheritdoc />
    public async Task<StoryDetailsDto> GetStory(int storyId)
    {
        var s = Current;
        return Unwrap(await s.Grain.GetStory(s.ParticipantId, storyId));
    }

    /// <inheritdoc />
    public async Task<StoryHistoryDto> GetHistory(int? storyId)
    {
        var s = Current;
        return Unwrap(await s.Grain.GetHistory(s.ParticipantId, storyId));
    }

    /// <inheritdoc />
    public Task CastVote(string card) => Run(s => new CastVote(s.ParticipantId, Text(card)));

    /// <inheritdoc />
    public Task WithdrawVote() => Run(s => new WithdrawVote(s.ParticipantId));

    /// <inheritdoc />
    public Task StartRound(int? storyId) => Run(s => new StartRound(s.ParticipantId, storyId));

    /// <inheritdoc />
    public Task Reveal() => Run(s => new Reveal(s.ParticipantId));

    /// <inheritdoc />
    public Task Revote() => Run(s => new Revote(s.ParticipantId));

    /// <inheritdoc />
    public Task Accept(string estimate) => Run(s => new Accept(s.ParticipantId, Text(estimate)));

    /// <inheritdoc />
    public Task CancelRound() => Run(s => new CancelRound(s.ParticipantId));

    /// <inheritdoc />
    public Task AddStories(IReadOnlyList<StoryDraftDto> stories) =>
        Run(s => new AddStories(s.ParticipantId, [.. Required(stories).Select(d => d?.ToDomain()!)]));

    /// <inheritdoc />
    public Task PasteStories(string text) => Run(s => new AddStories(s.ParticipantId, StoryDraft.ParseLines(Text(text))));

    /// <inheritdoc />
    public Task EditStory(int storyId, StoryDraftDto story) => Run(s => new EditStory(s.ParticipantId, storyId, Required(story).ToDomain()));

    /// <inheritdoc />
    public Task RemoveStory(int storyId) => Run(s => new RemoveStory(s.ParticipantId, storyId));

    /// <inheritdoc />
    public Task MoveStory(int storyId, int index) => Run(s => new MoveStory(s.ParticipantId, storyId, index));

    /// <inheritdoc />
    public Task RetryWriteBack(int storyId) => Run(s => new RetryWriteBack(s.ParticipantId, storyId));

    /// <inheritdoc />
    public Task SkipStory(int storyId) => Run(s => new SkipStory(s.ParticipantId, storyId));

    /// <inheritdoc />
    public Task StartTimer(int seconds) => Run(s => new StartTimer(s.ParticipantId, TimeSpan.FromSeconds(seconds)));

    /// <inheritdoc />
    public Task StopTimer() => Run(s => new StopTimer(s.ParticipantId));

    /// <inheritdoc />
    public Task ChangeSettings(RoomSettingsDto settings) => Run(s => new ChangeSettings(s.ParticipantId, Required(settings).ToDomain()));

    /// <inheritdoc />
    public Task ChangeDeck(DeckDto deck)
    {
        var built = Required(deck).ToDomain();
        return built.IsSuccess
            ? Run(s => new ChangeDeck(s.ParticipantId, built.Value!))
            : throw Error(built.Error!.Code.ToString(), built.Error.Message);
    }

    /// <inheritdoc />
    public Task RenameRoom(string name) => Run(s => new RenameRoom(s.ParticipantId, Text(name)));

    /// <inheritdoc />
    public Task LockRoom(bool locked) => Run(s => new LockRoom(s.ParticipantId, locked));

    /// <inheritdoc />
    public Task ChangeRole(int participantId, ContractRole role) => Run(s => new ChangeRole(s.ParticipantId, participantId, (Domain.Role)role));

    /// <inheritdoc />
    public Task Kick(int participantId) => Run(s => new Kick(s.ParticipantId, participantId));

    /// <inheritdoc />
    public Task Rename(string displayName) => Run(s => new Rename(s.ParticipantId, Text(displayName)));

    /// <inheritdoc />
    public Task Leave() => Run(s => new Leave(s.ParticipantId));

    /// <inheritdoc />
    public async Task<string> GetFacilitatorKey()
    {
        var s = Current;
        return Unwrap(await s.Grain.GetFacilitatorKey(s.ParticipantId));
    }

    /// <inheritdoc />
    public async Task<string> RenewFacilitatorKey()
    {
        var s = Current;
        return Unwrap(await s.Grain.RenewFacilitatorKey(s.ParticipantId));
    }

    /// <inheritdoc />
    public async Task ClaimFacilitator(string key)
    {
        var s = Current;
        var reply = await s.Grain.ClaimFacilitator(s.ParticipantId, Text(key));
        if (!reply.IsSuccess)
        {
            throw Error(reply.ErrorCode!, reply.ErrorMessage);
        }
    }

    /// <inheritdoc />
    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(SessionKey, out var value) && value is Session s)
        {
            await _relay.RemoveAsync(s.RoomId, s.ParticipantId, Context.ConnectionId);

            // No exception: the client closed the connection itself (a tab closed), rather than losing it.
            await s.Grain.ConnectionClosed(s.ParticipantId, Context.ConnectionId, closedCleanly: exception is null);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Builds the hub error clients see: the code first.</summary>
    internal static HubException Error(string code, string? message) => new(Errors.HubMessage(code, message));

    private async Task Run(Func<Session, RoomCommand> command)
    {
        var s = Current;
        var reply = await s.Grain.Execute(new Immutable<RoomCommand>(command(s)));
        if (!reply.IsSuccess)
        {
            throw Error(reply.ErrorCode!, reply.ErrorMessage);
        }
    }

    private static T Unwrap<T>(Reply<T> reply) =>
        reply.IsSuccess ? reply.Value! : throw Error(reply.ErrorCode!, reply.ErrorMessage);

    private static T Required<T>(T? value)
        where T : class => value ?? throw Error(ErrorCodes.ValidationFailed, "an argument is missing");

    private static string Text(string? value) =>
        value is null ? throw Error(ErrorCodes.ValidationFailed, "an argument is missing")
        : value.Length > MaxTextLength ? throw Error(ErrorCodes.ValidationFailed, "an argument is too long")
        : value;

    /// <summary>A joined connection's room, seat and the room grain's reference (made once: GetGrain formats type names).</summary>
    private sealed record Session(string RoomId, int ParticipantId, IRoomGrain Grain);

    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Debug, "Connection {ConnectionId} joined room {RoomId} as participant {ParticipantId}")]
        public static partial void Joined(ILogger logger, string roomId, int participantId, string connectionId);
    }
}
