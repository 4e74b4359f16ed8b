using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace PlanningPoker.Server.Rooms;

/// <summary>
/// Every node's relay, so that a room grain that (re)loads can ask each node which of its connections are live and
/// subscribe it at once (<see cref="RoomGrain"/>). Nodes register with a lease and renew it; the directory keeps no
/// state of its own: if it is lost, the nodes' next renewals fill it again.
/// </summary>
public interface INodeDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or renews) a node's relay.</summary>
    Task Register(IRoomObserver node);

    /// <summary>The nodes registered and not expired.</summary>
    Task<IReadOnlyList<IRoomObserver>> GetNodes();
}

/// <summary>
/// The cluster's one directory of nodes (key <see cref="Key"/>). Kept alive: it holds only leases in memory, and an
/// idle collection would empty it until the nodes' next renewals.
/// </summary>
[KeepAlive]
public sealed class NodeDirectoryGrain : Grain, INodeDirectoryGrain
{
    /// <summary>The directory's grain key.</summary>
    public const long Key = 0;

    private readonly ObserverManager<IRoomObserver> _nodes;

    /// <summary>Created by Orleans.</summary>
    public NodeDirectoryGrain(IOptions<RoomOptions> options, ILogger<NodeDirectoryGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _nodes = new ObserverManager<IRoomObserver>(options.Value.SubscriptionLease, logger);
    }

    /// <inheritdoc />
    public Task Register(IRoomObserver node)
    {
        _nodes.Subscribe(node, node);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IRoomObserver>> GetNodes()
    {
        _nodes.ClearExpired();
        return Task.FromResult<IReadOnlyList<IRoomObserver>>([.. _nodes.Observers.Values]);
    }
}
