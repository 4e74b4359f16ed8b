using Microsoft.AspNetCore.Http.HttpResults;

namespace PlanningPoker.Server.Web;

/// <summary>
/// Which paths load the browser app. Its own routes (<c>/</c>, <c>/rooms/…</c>, <c>/guide</c>) answer 200 with
/// the page rendered here first (<see cref="App"/>). Any other path asked for by a browser page (a GET that accepts
/// HTML) answers 404 with the app too, so that a mistyped link shows the app's own "page not found" in the reader's
/// language; the same path asked for by an API client, and every unknown path under the server's own prefixes, stays
/// a 404 problem.
/// </summary>
public static class AppPages
{
    private static readonly string[] ServerPrefixes = ["/api", "/hubs", "/health", "/openapi", "/_framework", "/_content"];

    /// <summary>Maps the app's pages and the not-found fallback; call it after every other endpoint.</summary>
    public static IEndpointRouteBuilder MapAppPages(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorComponents<App>()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(PlanningPoker.Web.Client.Routes).Assembly);
        // GET and HEAD only: a request of another method that no endpoint takes keeps routing's own answer (405, 415
        // for a body in the wrong media type) instead of falling back here as a 404.
        app.MapFallback(NotFoundAsync).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return app;
    }

    private static async Task NotFoundAsync(HttpContext http)
    {
        if (!WantsAPage(http.Request))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return; // The status code pages write the problem.
        }

        // The app's router finds no page for the path: its "not found", rendered here, then by the app.
        http.Response.Headers.CacheControl = "no-cache";
        await new RazorComponentResult<App> { StatusCode = StatusCodes.Status404NotFound }.ExecuteAsync(http);
    }

    private static bool WantsAPage(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) || Array.Exists(ServerPrefixes, p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
