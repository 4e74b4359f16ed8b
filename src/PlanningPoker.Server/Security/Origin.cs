namespace PlanningPoker.Server.Security;

/// <summary>Origins (scheme, host and port) written one way, so that two spellings of the same origin compare equal.</summary>
internal static class Origin
{
    /// <summary><c>scheme://host:port</c>, lower case, the port always written (so <c>https://a.example</c> = <c>https://A.example:443</c>).</summary>
    public static string Of(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant();

    /// <summary>Reads an <c>Origin</c> header; null for <c>null</c> (an opaque origin) or anything that is not an http(s) origin.</summary>
    public static string? Parse(string? header) =>
        Uri.TryCreate(header, UriKind.Absolute, out var uri) && IsSiteRoot(uri) ? Of(uri) : null;

    /// <summary>The origin a request was sent to, from its scheme and <c>Host</c>; null if the host is malformed.</summary>
    public static string? OfRequest(HttpRequest request) =>
        request.Host.HasValue && Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var uri) ? Of(uri) : null;

    /// <summary>An absolute http or https address with nothing after the authority but an optional <c>/</c>.</summary>
    public static bool IsSiteRoot(Uri uri) =>
        uri.IsAbsoluteUri
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.UserInfo)
        && uri.AbsolutePath == "/"
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);
}
