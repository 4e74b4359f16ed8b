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
    Task Register(IRoomObserver observer, SiloAddress? node);

    /// <summary>The nodes registered, not expired, and not declared dead by the cluster.</summary>
    Task<IReadOnlyList<NodeEntry>> GetNodes();
}

/// <summary>A node's relay and the silo it runs in.</summary>
/// <param name="Observer">The relay.</param>
/// <param name="Node">Its silo (null in tests of one grain).</param>
[GenerateSerializer, Immutable]
public sealed record NodeEntry([property: Id(0)] IRoomObserver Observer, [property: Id(1)] SiloAddress? Node);

/// <summary>
/// The cluster's one directory of nodes (key <see cref="Key"/>). Kept alive: it holds only leases in memory, and an
/// idle collection would empty it until the nodes' next renewals.
/// </summary>
[KeepAlive]
public sealed class NodeDirectoryGrain : Grain, INodeDirectoryGrain
{
    /// <summary>The directory's grain key.</summary>
    public const long Key = 0;

    private readonly ObserverManager<NodeEntry> _nodes;
    private readonly IClusterMembershipService _membership;

    /// <summary>Created by Orleans.</summary>
    public NodeDirectoryGrain(IOptions<RoomOptions> options, IClusterMembershipService membership, ILogger<NodeDirectoryGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _membership = membership;
        _nodes = new ObserverManager<NodeEntry>(options.Value.SubscriptionLease, logger);
    }

    /// <inheritdoc />
    public Task Register(IRoomObserver observer, SiloAddress? node)
    {
        _nodes.Subscribe(observer, new NodeEntry(observer, node));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeEntry>> GetNodes()
    {
        _nodes.ClearExpired();
        var snapshot = _membership.CurrentSnapshot;
        return Task.FromResult<IReadOnlyList<NodeEntry>>(
            [.. _nodes.Observers.Values.Where(n => n.Node is null || !snapshot.GetSiloStatus(n.Node).IsTerminating())]);
    }
}
