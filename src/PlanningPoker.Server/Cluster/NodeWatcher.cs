using PlanningPoker.Server.Realtime;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Cluster;

/// <summary>
/// Watches the cluster's membership from this node. When another node is declared dead: this node's relay
/// subscribes again at once to every room its connections are in (rooms that lived on the dead node come back on a
/// survivor with those connections, and pushes flow again), and the rooms active here drop the connections the
/// dead node held (their owners reconnect to another node, or are shown away after the short grace).
/// </summary>
public sealed partial class NodeWatcher(
    IClusterMembershipService membership, RoomRelay relay, LocalRooms rooms, IGrainFactory grains, ILogger<NodeWatcher> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var (silo, member) in snapshot.Members)
                {
                    if (member.Status != SiloStatus.Dead || !dead.Add(silo))
                    {
                        continue;
                    }

                    Log.NodeDied(logger, silo.ToString());
                    await OnNodeDiedAsync(silo, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task OnNodeDiedAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        foreach (var roomId in rooms.Ids.ToArray())
        {
            try
            {
                await grains.Room(roomId).NodeLost(silo);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.NotifyFailed(logger, ex, roomId);
            }
        }

        await relay.ResubscribeAllAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1220, LogLevel.Warning, "Node {Node} was declared dead: its rooms move to the nodes left, its connections end")]
        public static partial void NodeDied(ILogger logger, string node);

        [LoggerMessage(1221, LogLevel.Warning, "Room {RoomId} could not be told that a node died")]
        public static partial void NotifyFailed(ILogger logger, Exception exception, string roomId);
    }
}
