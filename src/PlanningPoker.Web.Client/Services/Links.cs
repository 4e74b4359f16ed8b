namespace PlanningPoker.Web.Client.Services;

/// <summary>Links that come from others (trackers, stories): shown only when they are http or https.</summary>
public static class Links
{
    /// <summary>The link when it is an absolute http(s) address, else null (a <c>javascript:</c> link is never rendered).</summary>
    public static string? Safe(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.ToString() : null;
}
