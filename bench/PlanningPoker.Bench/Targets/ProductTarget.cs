using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Bench.Measurement;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Targets;

/// <summary>
/// The product, through its public API only (docs/api.md): <c>POST /api/rooms</c> and
/// <c>POST /api/rooms/{id}/participants</c>, then the room hub's <c>JoinRoom</c>, <c>StartRound(null)</c> (a quick
/// vote) and <c>CastVote</c>. Pushes are <c>RoomChanged</c> batches, read as raw JSON so that their size is the
/// bytes that came in and no DTO is built.
/// </summary>
internal sealed class ProductTarget : ILoadTarget
{
    private static readonly int Envelope = HubEnvelope.Of(nameof(IRoomClient.RoomChanged), 1);

    private static readonly RoomSettingsDto Settings = new(AutoReveal: true, FacilitatorsVote: true);

    private static readonly DeckDto Deck = new(DeckType.Fibonacci, Unsure: false, Break: false);

    public ProductTarget(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        HubUrl = new Uri(server, IRoomHub.Path);
    }

    public string Name => "ours";

    public Uri Server { get; }

    public Uri HubUrl { get; }

    // The Fibonacci deck's regular cards; special cards are left out of the room's deck.
    public IReadOnlyList<string> Cards { get; } = ["0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89"];

    public Task<Seat> CreateRoomAsync(HttpClient http, string roomName, string displayName, CancellationToken cancellationToken) =>
        RestSeats.CreateAsync(http, Server, new CreateRoomRequest(roomName, displayName, Deck, Settings), cancellationToken);

    public Task<Seat> JoinAsync(HttpClient http, string roomId, string displayName, CancellationToken cancellationToken) =>
        RestSeats.JoinAsync(http, Server, roomId, new JoinRoomRequest(displayName), cancellationToken);

    public void RegisterHandlers(HubConnection connection, IPushSink sink)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.On(nameof(IRoomClient.RoomChanged), [typeof(JsonElement)], OnRoomChanged, sink);
    }

    public async Task<long> JoinHubAsync(HubConnection connection, Seat seat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(seat);

        // Read the view as raw JSON: the bench needs only its version.
        var view = await connection.InvokeAsync<JsonElement>(nameof(IRoomHub.JoinRoom), seat.RoomId, seat.Token, cancellationToken);
        return view.ValueKind == JsonValueKind.Object && view.TryGetProperty("version"u8, out var version) && version.TryGetInt64(out var v) ? v : 0;
    }

    public Task StartRoundAsync(HubConnection connection, Seat seat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.InvokeCoreAsync(nameof(IRoomHub.StartRound), [null], cancellationToken);
    }

    public Task VoteAsync(HubConnection connection, Seat seat, string card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.InvokeAsync(nameof(IRoomHub.CastVote), card, cancellationToken);
    }

    /// <summary>
    /// <c>{"version":n,"events":[{"type":"voteCast","roundId":r,"participantId":p},…]}</c>: walks the events
    /// without allocating, telling the sink about round starts, votes and reveals.
    /// </summary>
    private static Task OnRoomChanged(object?[] arguments, object state)
    {
        var now = Stopwatch.GetTimestamp();
        var sink = (IPushSink)state;
        if (arguments[0] is not JsonElement change)
        {
            return Task.CompletedTask;
        }

        if (change.ValueKind == JsonValueKind.Object && change.TryGetProperty("version"u8, out var version) && version.TryGetInt64(out var v))
        {
            sink.OnVersion(v);
        }

        var kind = PushKind.Other;
        if (change.ValueKind == JsonValueKind.Object && change.TryGetProperty("events"u8, out var events) && events.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in events.EnumerateArray())
            {
                if (!e.TryGetProperty("type"u8, out var type))
                {
                    continue;
                }

                if (type.ValueEquals("voteCast"u8))
                {
                    if (e.TryGetProperty("participantId"u8, out var voter) && voter.TryGetInt32(out var voterId))
                    {
                        sink.OnVoteCast(now, voterId);
                    }

                    kind = kind == PushKind.Other ? PushKind.VoteCast : kind;
                }
                else if (type.ValueEquals("roundStarted"u8))
                {
                    sink.OnRoundStarted(now);
                    kind = kind == PushKind.Revealed ? kind : PushKind.RoundStarted;
                }
                else if (type.ValueEquals("cardsRevealed"u8))
                {
                    sink.OnRevealed(now);
                    kind = PushKind.Revealed;
                }
            }
        }

        sink.OnPush(kind, JsonMarshal.GetRawUtf8Value(change).Length + Envelope);
        return Task.CompletedTask;
    }
}

/// <summary>A REST call that did not succeed; <see cref="Exception.Message"/> is the error code (or the status).</summary>
internal sealed class RestException : Exception
{
    public RestException()
    {
    }

    public RestException(string code)
        : base(code)
    {
    }

    public RestException(string code, Exception inner)
        : base(code, inner)
    {
    }
}

/// <summary>Turns a failed REST answer into a <see cref="RestException"/> carrying the problem's <c>code</c>.</summary>
/// <summary>The REST calls both targets share: they answer with the same shapes.</summary>
internal static class RestSeats
{
    public static async Task<Seat> CreateAsync(HttpClient http, Uri server, CreateRoomRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsJsonAsync(new Uri(server, "/api/rooms"), request, JsonSerializerOptions.Web, cancellationToken);
        await RestErrors.ThrowUnlessSuccessAsync(response, cancellationToken);
        var created = await response.Content.ReadFromJsonAsync<CreateRoomResponse>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new RestException("EmptyBody");
        return new Seat(created.RoomId, created.ParticipantId, created.Token);
    }

    public static async Task<Seat> JoinAsync(HttpClient http, Uri server, string roomId, JoinRoomRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsJsonAsync(new Uri(server, $"/api/rooms/{roomId}/participants"), request, JsonSerializerOptions.Web, cancellationToken);
        await RestErrors.ThrowUnlessSuccessAsync(response, cancellationToken);
        var joined = await response.Content.ReadFromJsonAsync<JoinRoomResponse>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new RestException("EmptyBody");
        return new Seat(joined.RoomId, joined.ParticipantId, joined.Token);
    }
}

internal static class RestErrors
{
    public static async Task ThrowUnlessSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = $"HTTP {(int)response.StatusCode}";
        try
        {
            using var problem = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("code", out var c) && c.GetString() is { } text)
            {
                code = text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: keep the status.
        }

        throw new RestException(code);
    }
}
