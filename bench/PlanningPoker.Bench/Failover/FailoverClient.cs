using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Bench.Load;
using PlanningPoker.Bench.Targets;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Failover;

/// <summary>
/// One participant of the failover bench, acting like the browser app: one connection at a time, one call at a time
/// (the hub runs a connection's calls one after the other anyway); a call that fails is tried again, and a connection
/// that went away with its node is replaced (through the balancer, or to the next node's address) by one that takes
/// the same seat with its token. It remembers what the server acknowledged, to check against the room afterwards.
/// </summary>
internal sealed class FailoverClient : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    private readonly FailoverRoom _room;
    private readonly FailoverRunner _run;
    private readonly SemaphoreSlim _calls = new(1, 1);
    private int _entry;

    public FailoverClient(FailoverRoom room, FailoverRunner run, int index, int home)
    {
        _room = room;
        _run = run;
        Index = index;
        Home = home;
        _entry = home;
    }

    /// <summary>0 is the facilitator; every participant votes.</summary>
    public int Index { get; }

    /// <summary>The entry address (an index into the run's URLs) this participant starts on and goes back to.</summary>
    public int Home { get; }

    public Seat? Seat { get; set; }

    public HubConnection? Connection { get; private set; }

    /// <summary>The card of this round's last acknowledged vote; null before one.</summary>
    public string? AckedCard { get; private set; }

    /// <summary>When <see cref="AckedCard"/> was acknowledged (a <see cref="Stopwatch"/> timestamp).</summary>
    public long AckedCardAt { get; private set; }

    /// <summary>The display name the server last acknowledged.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Set when this participant had to connect again since <see cref="FailoverRoom.Arm"/>.</summary>
    public bool Moved { get; set; }

    public void NewRound()
    {
        AckedCard = null;
        AckedCardAt = 0;
    }

    public void NameAcknowledged(string name) => Name = name;

    /// <summary>Opens the first connection and takes the seat.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _calls.WaitAsync(cancellationToken);
        try
        {
            await ConnectToAsync(_entry, cancellationToken);
        }
        finally
        {
            _calls.Release();
        }
    }

    /// <summary>Plays <paramref name="card"/> until the server acknowledges it.</summary>
    public async Task VoteAsync(string card, CancellationToken cancellationToken)
    {
        await CallAsync("CastVote", (c, t) => c.InvokeAsync(nameof(IRoomHub.CastVote), card, t), refusalMeansDone: null, cancellationToken);
        AckedCard = card;
        AckedCardAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Sends <paramref name="call"/> until it is acknowledged (or refused with <paramref name="refusalMeansDone"/>:
    /// an earlier try went through), connecting again whenever the connection is gone; every failure is counted
    /// under <paramref name="stage"/> and its code. Returns when it was acknowledged (a <see cref="Stopwatch"/> timestamp).
    /// </summary>
    public async Task<long> CallAsync(string stage, Func<HubConnection, CancellationToken, Task> call, string? refusalMeansDone, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _calls.WaitAsync(cancellationToken);
            try
            {
                if (Connection is not { State: HubConnectionState.Connected })
                {
                    // The node went away. One participant per room stays away (the room must show it); the others
                    // come back at once.
                    await _room.WaitIfStayingAwayAsync(this, cancellationToken);
                    await ReconnectAsync(cancellationToken);
                }

                await call(Connection!, cancellationToken);
                return Stopwatch.GetTimestamp();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                var code = ErrorCode.Of(ex);
                if (refusalMeansDone is not null && code == refusalMeansDone)
                {
                    return Stopwatch.GetTimestamp();
                }

                _run.Error(stage, code);
            }
            finally
            {
                _calls.Release();
            }

            await Task.Delay(RetryPause, cancellationToken);
        }
    }

    /// <summary>The room's view as this participant sees it, fresh from the server (tried until it answers).</summary>
    public async Task<JsonElement> GetViewAsync(CancellationToken cancellationToken)
    {
        var view = default(JsonElement);
        await CallAsync("GetView", async (c, t) => view = await c.InvokeAsync<JsonElement>(nameof(IRoomHub.GetView), t), refusalMeansDone: null, cancellationToken);
        return view;
    }

    /// <summary>Moves to <paramref name="entry"/>: a new connection takes the seat first, then the old one closes.</summary>
    public async Task MoveToAsync(int entry, CancellationToken cancellationToken)
    {
        await _calls.WaitAsync(cancellationToken);
        try
        {
            var old = Connection;
            while (true)
            {
                try
                {
                    await ConnectToAsync(entry, cancellationToken);
                    break;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    _run.Error("Move", ErrorCode.Of(ex));
                    await Task.Delay(RetryPause, cancellationToken);
                }
            }

            if (old is not null)
            {
                await old.DisposeAsync();
            }
        }
        finally
        {
            _calls.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _calls.Dispose();
    }

    /// <summary>Connects again into the same seat: through the balancer, or to the next node's address in turn.</summary>
    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        if (Connection is { } old)
        {
            await old.DisposeAsync();
            Connection = null;
        }

        Moved = true;
        while (true)
        {
            var entry = _run.Entries.Count == 1 ? 0 : (_entry + 1) % _run.Entries.Count;
            try
            {
                await ConnectToAsync(entry, cancellationToken);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                _run.Error("Reconnect", ErrorCode.Of(ex));
                _entry = entry;
                await Task.Delay(RetryPause, cancellationToken);
            }
        }
    }

    private async Task ConnectToAsync(int entry, CancellationToken cancellationToken)
    {
        var connection = LoadRunner.Connect(new Uri(_run.Entries[entry], IRoomHub.Path), _run.Transport);
        connection.On(nameof(IRoomClient.RoomChanged), [typeof(JsonElement)], OnRoomChanged, this);
        try
        {
            await connection.StartAsync(cancellationToken);
            var view = await connection.InvokeAsync<JsonElement>(nameof(IRoomHub.JoinRoom), Seat!.RoomId, Seat.Token, cancellationToken);
            _room.OnView(view, Stopwatch.GetTimestamp());
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        connection.Closed += _ =>
        {
            if (ReferenceEquals(Connection, connection))
            {
                _room.OnClosed(this);
            }

            return Task.CompletedTask;
        };
        Connection = connection;
        _entry = entry;
    }

    /// <summary><c>{"version":n,"events":[{"type":"presenceChanged","participantId":p,"isPresent":false},…]}</c>: tells the room who is shown away.</summary>
    private static Task OnRoomChanged(object?[] arguments, object state)
    {
        var now = Stopwatch.GetTimestamp();
        var self = (FailoverClient)state;
        if (arguments[0] is JsonElement { ValueKind: JsonValueKind.Object } change
            && change.TryGetProperty("events"u8, out var events) && events.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in events.EnumerateArray())
            {
                if (e.TryGetProperty("type"u8, out var type) && type.ValueEquals("presenceChanged"u8)
                    && e.TryGetProperty("isPresent"u8, out var present) && present.ValueKind == JsonValueKind.False
                    && e.TryGetProperty("participantId"u8, out var id) && id.TryGetInt32(out var participantId))
                {
                    self._room.OnAway(participantId, now);
                }
            }
        }

        return Task.CompletedTask;
    }
}
