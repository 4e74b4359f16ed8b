using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Security;

/// <summary>
/// Keeps looking up rooms that do not exist cheap, for the hub's <c>JoinRoom</c> and the REST room endpoints. Each
/// client address may miss (no such room, or a token that opens no seat) <see cref="LimitOptions.MissedJoinsPerMinute"/>
/// times a minute; past that, its lookups are refused with <c>RateLimited</c> before any room grain is called. And each
/// node remembers the room ids it found missing lately (at most <see cref="Remembered"/>, for <see cref="RememberFor"/>),
/// so that asking again answers <c>RoomNotFound</c> at once. The room grain itself does not stay activated for a
/// missing room.
/// </summary>
public sealed class RoomMisses : IDisposable
{
    /// <summary>How many missing room ids a node remembers at most.</summary>
    public const int Remembered = 10_000;

    /// <summary>How long a node remembers a missing room id. Room ids are random and never reused, so a miss stays a miss.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _missing = new(new MemoryCacheOptions { SizeLimit = Remembered });
    private readonly PartitionedRateLimiter<string> _budget;

    /// <summary>Created once by dependency injection.</summary>
    public RoomMisses(IOptions<LimitOptions> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var perMinute = limits.Value.MissedJoinsPerMinute;

        // One window per address, dropped by the limiter once idle (full again), so addresses never pile up.
        _budget = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    /// <summary>
    /// Looks a room up for a client: refused once the address has spent its misses, <c>RoomNotFound</c> at once for a
    /// room recently found missing, else <paramref name="lookUp"/>, whose misses are counted.
    /// </summary>
    public async Task<Reply<T>> LookUpAsync<T>(string address, string roomId, Func<Task<Reply<T>>> lookUp)
    {
        ArgumentNullException.ThrowIfNull(lookUp);
        using (var peek = _budget.AttemptAcquire(address, 0))
        {
            if (!peek.IsAcquired)
            {
                return Reply<T>.Fail(ErrorCodes.RateLimited, "too many lookups of missing rooms or with wrong tokens from this address; wait a minute");
            }
        }

        if (_missing.TryGetValue(roomId, out _))
        {
            Spend(address);
            return Reply<T>.Fail(ErrorCodes.RoomNotFound, "there is no such room");
        }

        var reply = await lookUp();
        if (reply.ErrorCode == ErrorCodes.RoomNotFound)
        {
            Spend(address);
            _missing.Set(roomId, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RememberFor });
        }
        else if (reply.ErrorCode == ErrorCodes.InvalidToken)
        {
            Spend(address);
        }

        return reply;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _missing.Dispose();
        _budget.Dispose();
    }

    private void Spend(string address)
    {
        using var lease = _budget.AttemptAcquire(address);
    }
}
