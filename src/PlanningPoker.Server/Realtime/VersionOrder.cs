namespace PlanningPoker.Server.Realtime;

/// <summary>
/// Puts one room's changes back in version order. Orleans does not promise that messages reach an observer in the
/// order they were sent (under load a room's change 303 was seen to reach the relay before 298–302), and clients
/// rely on that order. A change that comes early waits here for the ones before it; <see cref="Flush"/> (called
/// when the wait has lasted long enough) lets the waiting ones go in order, accepting the gap: clients see a
/// version jump and fetch the whole view. A change at or below the last one released is dropped.
/// Not thread-safe: the caller locks.
/// </summary>
/// <typeparam name="T">What is released.</typeparam>
internal sealed class VersionOrder<T>
{
    private readonly SortedList<long, T> _waiting = [];

    /// <summary>The highest version released so far (0: none yet; the first change seen sets the start).</summary>
    public long Last { get; private set; }

    /// <summary>Whether some changes wait for an earlier one.</summary>
    public bool HasWaiting => _waiting.Count > 0;

    /// <summary>Takes a change; returns what may go now, in order (empty when it must wait, or is stale).</summary>
    public IReadOnlyList<T> Accept(long version, T item)
    {
        if (version <= Last || _waiting.ContainsKey(version))
        {
            return []; // A duplicate, or older than what was already released.
        }

        if (Last != 0 && version != Last + 1)
        {
            _waiting.Add(version, item);
            return [];
        }

        List<T> ready = [item];
        Last = version;
        Drain(ready);
        return ready;
    }

    /// <summary>
    /// Takes a change whose version jumped on purpose (<see cref="Rooms.RoomBroadcast.Jump"/>): the missing versions
    /// before it will never come, so it goes at once, after the changes that wait before it, and the ones waiting
    /// after it follow. Dropped when it is not above the last one released.
    /// </summary>
    public IReadOnlyList<T> AcceptJump(long version, T item)
    {
        if (version <= Last || _waiting.ContainsKey(version))
        {
            return [];
        }

        List<T> ready = [];
        while (_waiting.Count > 0 && _waiting.Keys[0] < version)
        {
            ready.Add(_waiting.Values[0]);
            _waiting.RemoveAt(0);
        }

        ready.Add(item);
        Last = version;
        Drain(ready);
        return ready;
    }

    /// <summary>Releases every waiting change in order, skipping the missing ones.</summary>
    public IReadOnlyList<T> Flush()
    {
        List<T> ready = [];
        while (_waiting.Count > 0)
        {
            Last = _waiting.Keys[0];
            ready.Add(_waiting.Values[0]);
            _waiting.RemoveAt(0);
            Drain(ready);
        }

        return ready;
    }

    private void Drain(List<T> ready)
    {
        while (_waiting.Count > 0 && _waiting.Keys[0] == Last + 1)
        {
            Last++;
            ready.Add(_waiting.Values[0]);
            _waiting.RemoveAt(0);
        }
    }
}
