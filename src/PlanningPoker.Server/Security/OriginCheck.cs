using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Security;

/// <summary>
/// Refuses a browser request from another site's page on the endpoints marked with <see cref="RequireOwnOrigin"/>
/// (the hub: its negotiate request and its WebSocket, SSE and long-polling connections). Browsers do not apply CORS to
/// WebSockets, so without this any page could open a connection in its visitor's browser. A request is let through
/// when it carries no <c>Origin</c> (not a browser: the .NET client, the bench), or when its origin is the app's own
/// (<see cref="WebOptions.PublicBaseUrl"/> if set, else the origin the request was sent to) or one of
/// <see cref="WebOptions.AllowedOrigins"/>. Anything else gets a 403 <c>OriginNotAllowed</c> problem.
/// </summary>
public static class OriginCheck
{
    /// <summary>Marks endpoints (a hub's) whose browser requests must come from the app's own or a configured origin.</summary>
    public static TBuilder RequireOwnOrigin<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.WithMetadata(OwnOriginOnly.Instance);
        return endpoints;
    }

    /// <summary>Checks the origin of requests to marked endpoints; place it after routing (implicit in minimal hosting).</summary>
    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(next =>
        {
            // Read once, when the pipeline is built at start (after the options were validated).
            var options = app.ApplicationServices.GetRequiredService<IOptions<WebOptions>>().Value;
            var trusted = options.AllowedOrigins.Select(o => Origin.Parse(o)!).ToHashSet(StringComparer.Ordinal);
            var publicOrigin = options.PublicOrigin;
            return async context =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<OwnOriginOnly>() is null
                    || !context.Request.Headers.TryGetValue(HeaderNames.Origin, out var header)
                    || IsTrusted(Origin.Parse(header), publicOrigin ?? Origin.OfRequest(context.Request), trusted))
                {
                    await next(context);
                    return;
                }

                await Errors.Problem(ErrorCodes.OriginNotAllowed, "pages of other sites may not open the hub").ExecuteAsync(context);
            };
        });
    }

    private static bool IsTrusted(string? origin, string? own, HashSet<string> trusted) =>
        origin is not null && (origin == own || trusted.Contains(origin));

    /// <summary>The endpoint metadata that <see cref="UseOriginCheck"/> looks for.</summary>
    private sealed class OwnOriginOnly
    {
        public static readonly OwnOriginOnly Instance = new();
    }
}
