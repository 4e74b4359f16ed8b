using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Realtime;

/// <summary>
/// Wraps every hub call: a per-connection rate limit, and a last line of defence that turns an unexpected
/// exception into a generic <c>InternalError</c> (logged once here, never with its text sent to the client).
/// </summary>
public sealed partial class HubGuard : IHubFilter, IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly LimitOptions _limits;
    private readonly ILogger<HubGuard> _logger;

    /// <summary>Created once by dependency injection.</summary>
    public HubGuard(IOptions<LimitOptions> limits, ILogger<HubGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits.Value;
        _logger = logger;
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

        return next(context, exception);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Error, "Hub call {Method} on connection {ConnectionId} failed")]
        public static partial void CallFailed(ILogger logger, Exception exception, string method, string connectionId);
    }
}
