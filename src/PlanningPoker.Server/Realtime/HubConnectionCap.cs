using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.Realtime;

/// <summary>
/// Refuses a new hub connection early, at negotiate, when its client address holds all its connections
/// (<see cref="HubConnections"/>): a readable <c>429 RateLimited</c> problem instead of a closed connection.
/// </summary>
public static class HubConnectionCap
{
    /// <summary>Marks the hub's endpoints, whose new connections <see cref="UseHubConnectionCap"/> checks.</summary>
    public static TBuilder LimitConnectionsPerAddress<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.WithMetadata(Capped.Instance);
        return endpoints;
    }

    /// <summary>
    /// Answers <c>429 RateLimited</c> (with <c>Retry-After</c>) to a request that would open one more hub connection
    /// (negotiate, or a WebSocket) from an address that holds all its connections, before SignalR does any work.
    /// Requests of connections already open (long polling, sends) pass. Place it after routing.
    /// </summary>
    public static IApplicationBuilder UseHubConnectionCap(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(next =>
        {
            var connections = app.ApplicationServices.GetRequiredService<HubConnections>();
            var cap = app.ApplicationServices.GetRequiredService<IOptions<LimitOptions>>().Value.ConnectionsPerAddress;
            return async context =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<Capped>() is null
                    || !(context.Request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true || context.WebSockets.IsWebSocketRequest)
                    || !connections.IsFull(ClientAddress.Of(context)))
                {
                    await next(context);
                    return;
                }

                context.Response.Headers.RetryAfter = HubConnections.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Errors.Problem(ErrorCodes.RateLimited, $"at most {cap} connections from one address").ExecuteAsync(context);
            };
        });
    }

    /// <summary>The endpoint metadata that <see cref="UseHubConnectionCap"/> looks for.</summary>
    private sealed class Capped
    {
        public static readonly Capped Instance = new();
    }
}
