using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Observability;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Realtime;

/// <summary>
/// This node's end of the fan-out. It subscribes to the rooms its connections are in (one grain observer per
/// node, renewed as a lease), and forwards each committed change to its local SignalR connections: the public
/// copy to the room's group, and each participant's private copy to that participant's own connections only.
/// Rooms on any node reach clients on any node, with no backplane.
/// </summary>
public sealed partial class RoomRelay : IRoomObserver, IHostedService, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly IHubContext<RoomHub, IRoomClient> _hub;
    private readonly RoomOptions _options;
    private readonly ILogger<RoomRelay> _logger;
    private const int RenewalConcurrency = 16;

    /// <summary>How long a change that came early waits for the ones before it.</summary>
    private static readonly TimeSpan ReorderWait = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<string, LocalRoom> _rooms = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lazy<IRoomObserver> _reference;
    private Task? _renewals;

    /// <summary>Created once per node by dependency injection.</summary>
    public RoomRelay(IGrainFactory grains, IHubContext<RoomHub, IRoomClient> hub, IOptions<RoomOptions> options, ILocalSiloDetails silo, ILogger<RoomRelay> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(silo);
        Node = silo.SiloAddress;
        _grains = grains;
        _hub = hub;
        _options = options.Value;
        _logger = logger;

        // Exactly one reference, however many first joins race for it: a second one would be a second subscriber
        // to the same rooms, and each push would reach clients twice, through two queues, in no set order.
        _reference = new(() => _grains.CreateObjectReference<IRoomObserver>(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private IRoomObserver Reference => _reference.Value;

    /// <summary>This node's silo: where its connections live (a room drops them if it dies).</summary>
    public SiloAddress Node { get; }

    /// <summary>The SignalR group of a room.</summary>
    public static string GroupOf(string roomId) => "room:" + roomId;

    /// <summary>Registers a local connection of a participant; subscribes this node to the room on its first one.</summary>
    public async Task AddAsync(string roomId, int participantId, string connectionId)
    {
        while (true)
        {
            var room = _rooms.GetOrAdd(roomId, static _ => new LocalRoom());
            await room.Gate.WaitAsync();
            try
            {
                if (room.Removed)
                {
                    continue; // Its last connection left meanwhile: take the fresh entry.
                }

                lock (room.Connections)
                {
                    if (!room.Connections.TryGetValue(participantId, out var set))
                    {
                        room.Connections[participantId] = set = [];
                    }

                    set.Add(connectionId);
                }

                if (!room.Subscribed)
                {
                    await _grains.Room(roomId).Subscribe(Reference, Node, []);
                    room.Subscribed = true;
                }

                return;
            }
            finally
            {
                room.Gate.Release();
            }
        }
    }

    /// <summary>
    /// Forgets a local connection; unsubscribes this node when the room has none left here. Subscribing and
    /// unsubscribing a room happen under its gate, and the entry leaves the map only after the unsubscription
    /// completed, so a join racing the last leave always ends subscribed.
    /// </summary>
    public async Task RemoveAsync(string roomId, int participantId, string connectionId)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return;
        }

        await room.Gate.WaitAsync();
        try
        {
            bool empty;
            lock (room.Connections)
            {
                if (room.Connections.TryGetValue(participantId, out var set) && set.Remove(connectionId) && set.Count == 0)
                {
                    room.Connections.Remove(participantId);
                }

                empty = room.Connections.Count == 0;
            }

            if (!empty || room.Removed)
            {
                return;
            }

            if (room.Subscribed)
            {
                await _grains.Room(roomId).Unsubscribe(Reference);
                room.Subscribed = false;
            }

            room.Removed = true;
            _rooms.TryRemove(new KeyValuePair<string, LocalRoom>(roomId, room));
        }
        finally
        {
            room.Gate.Release();
        }
    }

    /// <summary>
    /// Forwards a room's change to this node's connections, in version order: Orleans calls this one change at a
    /// time but does not promise the order it was sent in, so a change that comes early waits (at most
    /// <see cref="ReorderWait"/>) for the ones before it (<see cref="VersionOrder{T}"/>).
    /// </summary>
    public async Task OnRoomChanged(RoomBroadcast broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        var received = Stopwatch.GetTimestamp();
        if (!_rooms.TryGetValue(broadcast.RoomId, out var local))
        {
            return; // No connection of this room here (any more).
        }

        IReadOnlyList<RoomBroadcast> ready;
        Task sends;
        var flushLater = false;
        lock (local.Order)
        {
            ready = broadcast.Jump ? local.Order.AcceptJump(broadcast.Public.Version, broadcast) : local.Order.Accept(broadcast.Public.Version, broadcast);
            if (ready.Count == 0 && !local.Order.HasWaiting)
            {
                Log.Stale(_logger, broadcast.RoomId, broadcast.Public.Version, local.Order.Last);
            }

            // Started under the lock, so that sends start in version order; SignalR keeps each connection's
            // writes in the order they were started.
            sends = SendAll(ready);
            if (local.Order.HasWaiting && !local.FlushScheduled)
            {
                local.FlushScheduled = flushLater = true;
            }
        }

        if (flushLater)
        {
            _ = FlushLaterAsync(broadcast.RoomId, local);
        }

        await FinishAsync(broadcast.RoomId, ready, sends, received);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LiveConnection>> ConnectionsIn(string roomId)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return Task.FromResult<IReadOnlyList<LiveConnection>>([]);
        }

        return Task.FromResult(ConnectionsOf(room));
    }

    /// <summary>
    /// Subscribes again, at once, to every room with connections here, telling each room those connections: called
    /// when another node died, so that rooms that lived there come back on a survivor knowing who is connected, and
    /// push to this node again without waiting for the next renewal.
    /// </summary>
    public async Task ResubscribeAllAsync(CancellationToken cancellationToken)
    {
        await RegisterNodeAsync(cancellationToken);
        await RenewAllAsync(withConnections: true, cancellationToken);
    }

    private IReadOnlyList<LiveConnection> ConnectionsOf(LocalRoom room)
    {
        lock (room.Connections)
        {
            return [.. room.Connections.SelectMany(e => e.Value.Select(c => new LiveConnection(e.Key, c, Node)))];
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _renewals = RenewAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_renewals is not null)
        {
            await _renewals.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    /// <summary>After <see cref="ReorderWait"/>, lets a room's waiting changes go, accepting the gap (clients then fetch the view).</summary>
    private async Task FlushLaterAsync(string roomId, LocalRoom local)
    {
        try
        {
            await Task.Delay(ReorderWait, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        IReadOnlyList<RoomBroadcast> ready;
        Task sends;
        var released = Stopwatch.GetTimestamp();
        lock (local.Order)
        {
            local.FlushScheduled = false;
            ready = local.Order.Flush();
            sends = SendAll(ready);
        }

        if (ready.Count > 0)
        {
            Log.GapAccepted(_logger, roomId, ready[0].Public.Version);
        }

        await FinishAsync(roomId, ready, sends, released);
    }

    private Task SendAll(IReadOnlyList<RoomBroadcast> ready)
    {
        if (ready.Count == 0)
        {
            return Task.CompletedTask;
        }

        try
        {
            return ready.Count == 1 ? Send(ready[0]) : Task.WhenAll(ready.Select(Send));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>Starts the sends of one change: the public copy to the room's group, each private copy to its owner's connections.</summary>
    private Task Send(RoomBroadcast broadcast)
    {
        var group = GroupOf(broadcast.RoomId);
        if (broadcast.Private.Count == 0)
        {
            return _hub.Clients.Group(group).RoomChanged(broadcast.Public);
        }

        var sends = new List<Task>(broadcast.Private.Count + 1);
        var owners = new List<string>();
        foreach (var change in broadcast.Private)
        {
            // One send per connection, by id: SignalR's Clients(list) walks every connection of the node to find
            // the listed ones, which made each vote cost O(all connections) (docs/performance.md).
            foreach (var connection in ConnectionsOf(broadcast.RoomId, change.ParticipantId))
            {
                owners.Add(connection);
                sends.Add(_hub.Clients.Client(connection).RoomChanged(change.Change));
            }
        }

        sends.Add(_hub.Clients.GroupExcept(group, owners).RoomChanged(broadcast.Public));
        return Task.WhenAll(sends);
    }

    /// <summary>Waits for the sends, then stops forwarding to participants who left.</summary>
    private async Task FinishAsync(string roomId, IReadOnlyList<RoomBroadcast> ready, Task sends, long received)
    {
        try
        {
            await sends;
            if (ready.Count > 0)
            {
                PokerMetrics.FannedOut(received);
            }

            foreach (var broadcast in ready)
            {
                foreach (var e in broadcast.Public.Events)
                {
                    if (e is ParticipantLeftDto left)
                    {
                        await DropParticipantAsync(roomId, left.ParticipantId);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ForwardFailed(_logger, ex, roomId);
        }
    }

    private List<string> ConnectionsOf(string roomId, int participantId)
    {
        if (_rooms.TryGetValue(roomId, out var room))
        {
            lock (room.Connections)
            {
                if (room.Connections.TryGetValue(participantId, out var set))
                {
                    return [.. set];
                }
            }
        }

        return [];
    }

    /// <summary>A participant who left or was kicked receives nothing more from the room.</summary>
    private async Task DropParticipantAsync(string roomId, int participantId)
    {
        foreach (var connection in ConnectionsOf(roomId, participantId))
        {
            await _hub.Groups.RemoveFromGroupAsync(connection, GroupOf(roomId));
            await RemoveAsync(roomId, participantId, connection);
        }
    }

    /// <summary>Renews this node's subscriptions well before their lease runs out.</summary>
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.SubscriptionLease / 3);
        try
        {
            await RegisterNodeAsync(cancellationToken);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await RegisterNodeAsync(cancellationToken);
                await RenewAllAsync(withConnections: false, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Renews every room's subscription, several at a time (one by one, a node in thousands of busy rooms could take longer than the lease).</summary>
    private async Task RenewAllAsync(bool withConnections, CancellationToken cancellationToken)
    {
        var renewals = new ParallelOptions { MaxDegreeOfParallelism = RenewalConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(_rooms, renewals, async (entry, _) =>
        {
            var (roomId, room) = entry;

            // A room being unsubscribed is left alone: renewing it would subscribe it again.
            if (!room.Subscribed || room.Removed)
            {
                return;
            }

            try
            {
                await _grains.Room(roomId).Subscribe(Reference, Node, withConnections ? ConnectionsOf(room) : []);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                Log.RenewFailed(_logger, ex, roomId);
            }
        });
    }

    /// <summary>Tells the cluster's node directory that this node holds connections (a lease, renewed with the rooms').</summary>
    private async Task RegisterNodeAsync(CancellationToken cancellationToken)
    {
        // The silo may still be starting on the first call: try a few times, then wait for the next renewal.
        for (var attempt = 0; attempt < 20 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await _grains.GetGrain<INodeDirectoryGrain>(NodeDirectoryGrain.Key).Register(Reference, Node);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                if (attempt == 19)
                {
                    Log.RegisterFailed(_logger, ex);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    private sealed class LocalRoom
    {
        /// <summary>Serialises this room's subscribe and unsubscribe calls.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Local connections by participant; lock it to read or change.</summary>
        public Dictionary<int, HashSet<string>> Connections { get; } = [];

        public bool Subscribed { get; set; }

        /// <summary>The room's changes put back in version order; lock it to use it.</summary>
        public VersionOrder<RoomBroadcast> Order { get; } = new();

        /// <summary>A flush of waiting changes is due (under the <see cref="Order"/> lock).</summary>
        public bool FlushScheduled { get; set; }

        public bool Removed { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1010, LogLevel.Warning, "Forwarding a change of room {RoomId} failed")]
        public static partial void ForwardFailed(ILogger logger, Exception exception, string roomId);

        [LoggerMessage(1012, LogLevel.Warning, "Room {RoomId}: change {Version} reached this node after change {LastVersion} had been forwarded; dropped")]
        public static partial void Stale(ILogger logger, string roomId, long version, long lastVersion);

        [LoggerMessage(1013, LogLevel.Warning, "Room {RoomId}: an earlier change never reached this node; forwarding from change {Version} on")]
        public static partial void GapAccepted(ILogger logger, string roomId, long version);

        [LoggerMessage(1014, LogLevel.Warning, "Registering this node in the node directory failed; it tries again at the next renewal")]
        public static partial void RegisterFailed(ILogger logger, Exception exception);

        [LoggerMessage(1011, LogLevel.Warning, "Renewing the subscription to room {RoomId} failed")]
        public static partial void RenewFailed(ILogger logger, Exception exception, string roomId);
    }
}
