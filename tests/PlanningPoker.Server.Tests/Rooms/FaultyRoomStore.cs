using System.Collections.Concurrent;
using PlanningPoker.Domain;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>The real store, with commits that a test makes fail, one room at a time (a database that hiccups).</summary>
internal sealed class FaultyRoomStore(RoomStore inner) : IRoomStore
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);

    /// <summary>Makes the room's next <paramref name="count"/> commits fail without writing anything.</summary>
    public void FailNextSaves(string roomId, int count = 1) => _failures[roomId] = count;

    /// <summary>
    /// Holds the room's next commit: it is written at once, but its caller hears of it only when the returned source
    /// completes (a slow disk, or a commit whose reply takes its time).
    /// </summary>
    public TaskCompletionSource HoldNextSave(string roomId)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holds[roomId] = hold;
        return hold;
    }

    public Task<StoredRoom?> LoadAsync(string roomId, CancellationToken cancellationToken = default) => inner.LoadAsync(roomId, cancellationToken);

    public Task<IReadOnlyList<RoundSnapshot>> LoadRoundsAsync(string roomId, IReadOnlyCollection<int?> stories, CancellationToken cancellationToken = default) =>
        inner.LoadRoundsAsync(roomId, stories, cancellationToken);

    public Task CreateAsync(StoredRoom room, CancellationToken cancellationToken = default) => inner.CreateAsync(room, cancellationToken);

    public Task SaveAsync(Room room, IReadOnlyList<RoomEvent> events, RoomSecrets secrets, long version, long? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (_failures.TryGetValue(room.Id, out var left) && left > 0 && _failures.TryUpdate(room.Id, left - 1, left))
        {
            return Task.FromException(new InvalidOperationException("injected: the database did not take the commit"));
        }

        var save = inner.SaveAsync(room, events, secrets, version, after, cancellationToken);
        return _holds.TryRemove(room.Id, out var hold) ? HeldAsync(save, hold.Task) : save;
    }

    private static async Task HeldAsync(Task save, Task hold)
    {
        await hold;
        await save;
    }
}
