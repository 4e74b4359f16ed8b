using Microsoft.Extensions.Options;

namespace PlanningPoker.Server.Realtime;

/// <summary>
/// The open hub connections of each client address (<see cref="Security.ClientAddress"/>), at most
/// <see cref="LimitOptions.ConnectionsPerAddress"/>. <see cref="HubGuard"/> counts them (a connection counts from its
/// handshake to its end, whatever its transport); <see cref="HubConnectionCap"/> refuses a new one early, at
/// negotiate, with a 429 problem. Only addresses with open connections are kept.
/// </summary>
public sealed class HubConnections
{
    /// <summary>The <c>Retry-After</c> of a refused connection, in seconds: a guess, since places free up as others leave.</summary>
    public const int RetryAfterSeconds = 10;

    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly int _cap;
    private int _total;

    /// <summary>Created once by dependency injection.</summary>
    public HubConnections(IOptions<LimitOptions> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _cap = limits.Value.ConnectionsPerAddress;
    }

    /// <summary>The connections open on this node, all addresses together (the <c>poker.connections.open</c> gauge).</summary>
    public int Open => Volatile.Read(ref _total);

    /// <summary>True when the address holds all its connections.</summary>
    public bool IsFull(string address)
    {
        lock (_open)
        {
            return _open.TryGetValue(address, out var count) && count >= _cap;
        }
    }

    /// <summary>Counts a new connection of the address, unless it holds all its connections already.</summary>
    public bool TryOpen(string address)
    {
        lock (_open)
        {
            _open.TryGetValue(address, out var count);
            if (count >= _cap)
            {
                return false;
            }

            _open[address] = count + 1;
            _total++;
            return true;
        }
    }

    /// <summary>Gives back the place of a connection counted by <see cref="TryOpen"/>.</summary>
    public void Close(string address)
    {
        lock (_open)
        {
            if (_open.TryGetValue(address, out var count))
            {
                _total--;
                if (count <= 1)
                {
                    _open.Remove(address);
                }
                else
                {
                    _open[address] = count - 1;
                }
            }
        }
    }
}
