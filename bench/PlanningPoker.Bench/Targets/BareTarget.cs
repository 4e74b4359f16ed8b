using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Bench.Bare;
using PlanningPoker.Bench.Measurement;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Targets;

/// <summary>
/// The ceiling: <c>serve-bare</c>'s hub (<see cref="BareHub"/>), driven through the same REST shapes as the product
/// and the same measurement. Its pushes are <c>RoundStarted(round)</c>, <c>VoteCast(sender, card)</c> and
/// <c>Revealed(round)</c>, read as raw JSON like the product's.
/// </summary>
internal sealed class BareTarget : ILoadTarget
{
    private static readonly int RoundStartedEnvelope = HubEnvelope.Of(BareHub.RoundStartedPush, 1);
    private static readonly int VoteCastEnvelope = HubEnvelope.Of(BareHub.VoteCastPush, 2);
    private static readonly int RevealedEnvelope = HubEnvelope.Of(BareHub.RevealedPush, 1);

    public BareTarget(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        HubUrl = new Uri(server, BareHub.Path);
    }

    public string Name => "bare";

    public Uri Server { get; }

    public Uri HubUrl { get; }

    public IReadOnlyList<string> Cards { get; } = ["0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89"];

    public Task<Seat> CreateRoomAsync(HttpClient http, string roomName, string displayName, CancellationToken cancellationToken) =>
        RestSeats.CreateAsync(http, Server, new CreateRoomRequest(roomName, displayName), cancellationToken);

    public Task<Seat> JoinAsync(HttpClient http, string roomId, string displayName, CancellationToken cancellationToken) =>
        RestSeats.JoinAsync(http, Server, roomId, new JoinRoomRequest(displayName), cancellationToken);

    public void RegisterHandlers(HubConnection connection, IPushSink sink)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.On(BareHub.RoundStartedPush, [typeof(JsonElement)], OnRoundStarted, sink);
        connection.On(BareHub.VoteCastPush, [typeof(JsonElement), typeof(JsonElement)], OnVoteCast, sink);
        connection.On(BareHub.RevealedPush, [typeof(JsonElement)], OnRevealed, sink);
    }

    public async Task<long> JoinHubAsync(HubConnection connection, Seat seat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(seat);
        await connection.InvokeAsync<int>(nameof(BareHub.Join), seat.RoomId, seat.Token, cancellationToken);
        return 0; // The bare hub's pushes carry no version.
    }

    public Task StartRoundAsync(HubConnection connection, Seat seat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(seat);
        return connection.InvokeAsync(nameof(BareHub.StartRound), seat.RoomId, cancellationToken);
    }

    public Task VoteAsync(HubConnection connection, Seat seat, string card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(seat);
        return connection.InvokeAsync(nameof(BareHub.Vote), seat.RoomId, card, cancellationToken);
    }

    private static Task OnRoundStarted(object?[] arguments, object state)
    {
        var now = Stopwatch.GetTimestamp();
        var sink = (IPushSink)state;
        sink.OnRoundStarted(now);
        sink.OnPush(PushKind.RoundStarted, SizeOf(arguments) + RoundStartedEnvelope);
        return Task.CompletedTask;
    }

    private static Task OnVoteCast(object?[] arguments, object state)
    {
        var now = Stopwatch.GetTimestamp();
        var sink = (IPushSink)state;
        if (arguments[0] is JsonElement sender && sender.TryGetInt32(out var voterId))
        {
            sink.OnVoteCast(now, voterId);
        }

        sink.OnPush(PushKind.VoteCast, SizeOf(arguments) + VoteCastEnvelope);
        return Task.CompletedTask;
    }

    private static Task OnRevealed(object?[] arguments, object state)
    {
        var now = Stopwatch.GetTimestamp();
        var sink = (IPushSink)state;
        sink.OnRevealed(now);
        sink.OnPush(PushKind.Revealed, SizeOf(arguments) + RevealedEnvelope);
        return Task.CompletedTask;
    }

    private static int SizeOf(object?[] arguments)
    {
        var bytes = 0;
        foreach (var a in arguments)
        {
            bytes += a is JsonElement e ? JsonMarshal.GetRawUtf8Value(e).Length : 4; // "null"
        }

        return bytes;
    }
}
