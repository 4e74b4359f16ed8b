using System.Threading.Channels;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>
/// A node's end of a room's fan-out, as a test sees it: an <see cref="IRoomObserver"/> that records every broadcast,
/// subscribed through a grain factory (the cluster client, or one silo's) and unsubscribed on disposal.
/// </summary>
public sealed class RecordingObserver : IRoomObserver, IAsyncDisposable
{
    private readonly Channel<RoomBroadcast> _broadcasts = Channel.CreateUnbounded<RoomBroadcast>();
    private readonly List<RoomBroadcast> _received = [];
    private IGrainFactory? _factory;
    private IRoomGrain? _room;
    private IRoomObserver? _reference;

    /// <summary>Every broadcast received so far.</summary>
    public IReadOnlyList<RoomBroadcast> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Subscribes a new observer to a room through <paramref name="factory"/>.</summary>
    public static async Task<RecordingObserver> SubscribeAsync(IGrainFactory factory, string roomId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var observer = new RecordingObserver { _factory = factory, _room = factory.GetGrain<IRoomGrain>(roomId) };
        observer._reference = factory.CreateObjectReference<IRoomObserver>(observer);
        await observer._room.Subscribe(observer._reference, null, []).WaitAsync(RoomClusterBase.Timeout, TestContext.Current.CancellationToken);
        return observer;
    }

    /// <summary>The reference the room holds.</summary>
    public IRoomObserver AsReference() => _reference!;

    /// <summary>The connections this "node" says it holds when a room asks (<see cref="IRoomObserver.ConnectionsIn"/>).</summary>
    public IReadOnlyList<LiveConnection> LiveConnections { get; set; } = [];

    /// <summary>Registers this observer as a node in the cluster's node directory, as a relay does.</summary>
    public Task RegisterAsNodeAsync(SiloAddress? node = null) =>
        _factory!.GetGrain<INodeDirectoryGrain>(NodeDirectoryGrain.Key).Register(_reference!, node).WaitAsync(RoomClusterBase.Timeout, TestContext.Current.CancellationToken);

    public Task<IReadOnlyList<LiveConnection>> ConnectionsIn(string roomId) => Task.FromResult(LiveConnections);

    public Task OnRoomChanged(RoomBroadcast broadcast)
    {
        lock (_received)
        {
            _received.Add(broadcast);
        }

        _broadcasts.Writer.TryWrite(broadcast);
        return Task.CompletedTask;
    }

    /// <summary>Reads broadcasts until one matches; returns it.</summary>
    public async Task<RoomBroadcast> WaitForAsync(Func<RoomBroadcast, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(RoomClusterBase.Timeout);
        while (true)
        {
            var broadcast = await _broadcasts.Reader.ReadAsync(timeout.Token);
            if (match(broadcast))
            {
                return broadcast;
            }
        }
    }

    /// <summary>Reads broadcasts until the public copy of one holds a matching event; returns that broadcast.</summary>
    public Task<RoomBroadcast> WaitForEventAsync<T>(Func<T, bool>? match = null)
        where T : RoomEventDto =>
        WaitForAsync(b => b.Public.Events.OfType<T>().Any(e => match is null || match(e)));

    public async ValueTask DisposeAsync()
    {
        if (_room is not null && _reference is not null)
        {
            try
            {
                await _room.Unsubscribe(_reference).WaitAsync(RoomClusterBase.Timeout);
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or OperationCanceledException)
            {
                // The cluster may already be going down.
            }

            _factory!.DeleteObjectReference<IRoomObserver>(_reference);
        }
    }
}
