using Microsoft.AspNetCore.SignalR.Client;

namespace PlanningPoker.Bench.Targets;

/// <summary>A seat in a room as REST handed it out: enough to open a connection as that participant.</summary>
/// <param name="RoomId">The room.</param>
/// <param name="ParticipantId">The seat's id, as pushes name it.</param>
/// <param name="Token">What the hub's join call takes.</param>
internal sealed record Seat(string RoomId, int ParticipantId, string Token);

/// <summary>
/// Where the load goes: the product (<see cref="ProductTarget"/>) or the bare SignalR hub that is its ceiling
/// (<see cref="BareTarget"/>). The load and measurement code sees only this: how to create and join a room, how
/// to take one's seat on a connection, start a round and vote, and which pushes mean round-start, vote and reveal.
/// </summary>
internal interface ILoadTarget
{
    /// <summary>Short name for reports ("ours", "bare").</summary>
    string Name { get; }

    /// <summary>The hub's address.</summary>
    Uri HubUrl { get; }

    /// <summary>The cards a participant may play.</summary>
    IReadOnlyList<string> Cards { get; }

    /// <summary>Creates a room whose creator (the facilitator) also votes, with auto-reveal on.</summary>
    Task<Seat> CreateRoomAsync(HttpClient http, string roomName, string displayName, CancellationToken cancellationToken);

    /// <summary>Takes a new estimator's seat in a room.</summary>
    Task<Seat> JoinAsync(HttpClient http, string roomId, string displayName, CancellationToken cancellationToken);

    /// <summary>
    /// Registers the push handlers on a new connection, before it starts. They must do little: recognise the
    /// push, measure its size, and tell <paramref name="sink"/>.
    /// </summary>
    void RegisterHandlers(HubConnection connection, IPushSink sink);

    /// <summary>Takes the seat on an open connection; returns the version of the view it answers with (0: none).</summary>
    Task<long> JoinHubAsync(HubConnection connection, Seat seat, CancellationToken cancellationToken);

    /// <summary>Opens a round (the facilitator).</summary>
    Task StartRoundAsync(HubConnection connection, Seat seat, CancellationToken cancellationToken);

    /// <summary>Plays a card; completes when the server acknowledged it.</summary>
    Task VoteAsync(HubConnection connection, Seat seat, string card, CancellationToken cancellationToken);
}

/// <summary>What a connection's push handlers report, with the receive timestamp taken first thing.</summary>
internal interface IPushSink
{
    /// <summary>Any push, for byte accounting: its kind and its size on the wire (argument JSON + envelope).</summary>
    void OnPush(Measurement.PushKind kind, int bytes);

    /// <summary>A push's room version (the product's pushes carry one): each must be above the previous one.</summary>
    void OnVersion(long version);

    /// <summary>A round opened.</summary>
    void OnRoundStarted(long timestamp);

    /// <summary>A participant's vote became visible.</summary>
    void OnVoteCast(long timestamp, int voterId);

    /// <summary>The cards turned over.</summary>
    void OnRevealed(long timestamp);
}

/// <summary>Sizes of the JSON hub protocol's invocation envelope around a push's arguments.</summary>
internal static class HubEnvelope
{
    /// <summary>
    /// Bytes the JSON protocol adds to a push's arguments: <c>{"type":1,"target":"NAME","arguments":[…]}</c>, a
    /// comma between arguments, and the 0x1E record separator. (The WebSocket frame header, 2–4 bytes, is left out.)
    /// </summary>
    public static int Of(string target, int argumentCount) =>
        "{\"type\":1,\"target\":\"".Length + target.Length + "\",\"arguments\":[".Length + Math.Max(0, argumentCount - 1) + "]}".Length + 1;
}
