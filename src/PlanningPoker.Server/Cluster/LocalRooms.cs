using System.Collections.Concurrent;

namespace PlanningPoker.Server.Cluster;

/// <summary>
/// The rooms active in this node's silo (each <see cref="Rooms.RoomGrain"/> adds itself when it activates and leaves
/// when it deactivates), so that <see cref="NodeWatcher"/> can tell them a node died.
/// </summary>
public sealed class LocalRooms
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    /// <summary>The ids of the rooms active here.</summary>
    public ICollection<string> Ids => _ids.Keys;

    /// <summary>A room activated here.</summary>
    public void Add(string roomId) => _ids.TryAdd(roomId, 0);

    /// <summary>A room deactivated here.</summary>
    public void Remove(string roomId) => _ids.TryRemove(roomId, out _);
}
