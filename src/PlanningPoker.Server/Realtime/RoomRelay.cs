using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
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
    private readonly ConcurrentDictionary<string, LocalRoom> _rooms = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lazy<IRoomObserver> _reference;
    private Task? _renewals;

    /// <summary>Created once per node by dependency injection.</summary>
    public RoomRelay(IGrainFactory grains, IHubContext<RoomHub, IRoomClient> hub, IOptions<RoomOptions> options, ILogger<RoomRelay> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _hub = hub;
        _options = options.Value;
        _logger = logger;

        // Exactly one reference, however many first joins race for it: a second one would be a second subscriber
        // to the same rooms, and each push would reach clients twice, through two queues, in no set order.
        _reference = new(() => _grains.CreateObjectReference<IRoomObserver>(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private IRoomObserver Reference => _reference.Value;

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
                    await _grains.GetGrain<IRoomGrain>(roomId).Subscribe(Reference);
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
                await _grains.GetGrain<IRoomGrain>(roomId).Unsubscribe(Reference);
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

    /// <inheritdoc />
    public async Task OnRoomChanged(RoomBroadcast broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        var group = GroupOf(broadcast.RoomId);
        try
        {
            if (broadcast.Private.Count == 0)
            {
                await _hub.Clients.Group(group).RoomChanged(broadcast.Public);
            }
            else
            {
                var sends = new List<Task>(broadcast.Private.Count + 1);
                var owners = new List<string>();
                foreach (var change in broadcast.Private)
                {
                    var connections = ConnectionsOf(broadcast.RoomId, change.ParticipantId);
                    // One send per connection, by id: SignalR's Clients(list) walks every connection of the node
                    // to find the listed ones, which made each vote cost O(all connections) (docs/performance.md).
                    foreach (var connection in connections)
                    {
                        owners.Add(connection);
                        sends.Add(_hub.Clients.Client(connection).RoomChanged(change.Change));
                    }
                }

                sends.Add(_hub.Clients.GroupExcept(group, owners).RoomChanged(broadcast.Public));
                await Task.WhenAll(sends);
            }

            foreach (var left in broadcast.Public.Events.OfType<ParticipantLeftDto>())
            {
                await DropParticipantAsync(broadcast.RoomId, left.ParticipantId);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ForwardFailed(_logger, ex, broadcast.RoomId);
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
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Several at a time: one by one, a node in thousands of busy rooms could take longer than the lease.
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
                        await _grains.GetGrain<IRoomGrain>(roomId).Subscribe(Reference);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                    {
                        Log.RenewFailed(_logger, ex, roomId);
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private sealed class LocalRoom
    {
        /// <summary>Serialises this room's subscribe and unsubscribe calls.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Local connections by participant; lock it to read or change.</summary>
        public Dictionary<int, HashSet<string>> Connections { get; } = [];

        public bool Subscribed { get; set; }

        public bool Removed { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1010, LogLevel.Warning, "Forwarding a change of room {RoomId} failed")]
        public static partial void ForwardFailed(ILogger logger, Exception exception, string roomId);

        [LoggerMessage(1011, LogLevel.Warning, "Renewing the subscription to room {RoomId} failed")]
        public static partial void RenewFailed(ILogger logger, Exception exception, string roomId);
    }
}
