using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.Realtime;

/// <summary>
/// Wraps every hub connection and call: at most <see cref="LimitOptions.ConnectionsPerAddress"/> open connections per
/// client address (<see cref="HubConnections"/>), a rate limit per connection and one shared by all the connections of
/// an address, and a last line of defence that turns an unexpected exception into a generic <c>InternalError</c>
/// (logged once here, never with its text sent to the client).
/// </summary>
public sealed partial class HubGuard : IHubFilter, IDisposable
{
    private const string AddressKey = "address";

    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly HubConnections _connections;
    private readonly LimitOptions _limits;
    private readonly ILogger<HubGuard> _logger;

    /// <summary>Created once by dependency injection.</summary>
    public HubGuard(IOptions<LimitOptions> limits, HubConnections connections, ILogger<HubGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits.Value;
        _connections = connections;
        _logger = logger;

        // One bucket per address, shared by its connections; the limiter drops a bucket once it is idle (full again),
        // so that addresses seen once do not pile up.
        var perAddress = new TokenBucketRateLimiterOptions
        {
            TokenLimit = _limits.HubCallBurstPerAddress,
            TokensPerPeriod = _limits.HubCallsPerAddressPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        };
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => perAddress));
    }

    /// <summary>The client address of a hub connection (see <see cref="ClientAddress"/>), as found when it connected.</summary>
    internal static string AddressOf(HubCallerContext context) =>
        context.Items.TryGetValue(AddressKey, out var address) && address is string key ? key : ClientAddress.Of(context.GetHttpContext());

    /// <inheritdoc />
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        // Most connections past the cap are refused at negotiate with a 429 (HubConnectionCap); those
        // that raced past it are closed here, with the code in the close message.
        var address = ClientAddress.Of(context.Context.GetHttpContext());
        if (!_connections.TryOpen(address))
        {
            throw RoomHub.Error(ErrorCodes.RateLimited, $"at most {_limits.ConnectionsPerAddress} connections from one address");
        }

        context.Context.Items[AddressKey] = address;
        try
        {
            await next(context);
        }
        catch
        {
            context.Context.Items.Remove(AddressKey);
            _connections.Close(address);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        var connectionId = invocationContext.Context.ConnectionId;
        var limiter = _limiters.GetOrAdd(connectionId, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _limits.HubCallBurst,
            TokensPerPeriod = _limits.HubCallsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            throw RoomHub.Error(ErrorCodes.RateLimited, $"at most {_limits.HubCallsPerSecond} calls per second");
        }

        using var shared = _perAddress.AttemptAcquire(AddressOf(invocationContext.Context));
        if (!shared.IsAcquired)
        {
            throw RoomHub.Error(ErrorCodes.RateLimited, $"at most {_limits.HubCallsPerAddressPerSecond} calls per second from one address");
        }

        try
        {
            return await next(invocationContext);
        }
        catch (HubException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.CallFailed(_logger, ex, invocationContext.HubMethodName, connectionId);
            throw RoomHub.Error(ErrorCodes.InternalError, "something went wrong on our side");
        }
    }

    /// <inheritdoc />
    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_limiters.TryRemove(context.Context.ConnectionId, out var limiter))
        {
            limiter.Dispose();
        }

        // Only a connection that was counted (OnConnectedAsync let it in) gives its place back.
        if (context.Context.Items.Remove(AddressKey, out var address) && address is string key)
        {
            _connections.Close(key);
        }

        return next(context, exception);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }

        _perAddress.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Error, "Hub call {Method} on connection {ConnectionId} failed")]
        public static partial void CallFailed(ILogger logger, Exception exception, string method, string connectionId);
    }
}
