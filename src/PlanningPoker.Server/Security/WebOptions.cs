using System.ComponentModel.DataAnnotations;
using System.Net;

namespace PlanningPoker.Server.Security;

/// <summary>
/// Where browsers reach the app. Bound from the <c>Web</c> section, validated at start; documented in
/// docs/operations.md. Read by the join link (<c>RoomsApi</c>), the hub's origin check (<see cref="OriginCheck"/>) and the
/// client address (<see cref="ClientAddress"/>).
/// </summary>
public sealed class WebOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Web";

    /// <summary>
    /// The address people use, e.g. <c>https://poker.example</c> (scheme, host and port; no path). Set it behind a
    /// reverse proxy: join links start with it, and it is the one origin the hub trusts as the app's own. Unset,
    /// join links are relative and the app's own origin is the one each request was sent to.
    /// </summary>
    /// <value>None.</value>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>More origins whose pages may open the hub (another front end of ours), e.g. <c>https://admin.poker.example</c>.</summary>
    /// <value>None.</value>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// Addresses of the reverse proxies whose <c>X-Forwarded-For</c> header is believed, e.g. <c>10.0.0.5</c>. A request
    /// from one of them counts as coming from the client the header names (rate limits, connection cap); from
    /// anyone else, the header is ignored. None by default: the client is the connection's peer.
    /// </summary>
    /// <value>None.</value>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted reverse proxies, in CIDR notation, e.g. <c>10.0.0.0/8</c> (see <see cref="KnownProxies"/>).</summary>
    /// <value>None.</value>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>The configured public base URL as an origin (<c>scheme://host:port</c>), or null.</summary>
    public string? PublicOrigin => PublicBaseUrl is null ? null : Origin.Of(PublicBaseUrl);

    /// <summary>A link to one of the app's pages: absolute on the public base URL when configured, else relative to the site.</summary>
    /// <param name="path">The page's path from the site root, e.g. <c>rooms/4f7k0c2m9x1qa8zt</c>.</param>
    public string LinkTo(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var relative = "/" + path.TrimStart('/');
        return PublicBaseUrl is null ? relative : new Uri(PublicBaseUrl, relative).ToString();
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is not null && !Origin.IsSiteRoot(PublicBaseUrl))
        {
            yield return new ValidationResult(
                $"Web:PublicBaseUrl must be an absolute http or https address with no path, query or fragment, such as https://poker.example (got '{PublicBaseUrl}').",
                [nameof(PublicBaseUrl)]);
        }

        foreach (var proxy in KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                yield return new ValidationResult(
                    $"Web:KnownProxies holds '{proxy}', which is not an IP address such as 10.0.0.5.", [nameof(KnownProxies)]);
            }
        }

        foreach (var network in KnownNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return new ValidationResult(
                    $"Web:KnownNetworks holds '{network}', which is not a network such as 10.0.0.0/8.", [nameof(KnownNetworks)]);
            }
        }

        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !Origin.IsSiteRoot(uri))
            {
                yield return new ValidationResult(
                    $"Web:AllowedOrigins holds '{origin}', which is not an origin such as https://admin.poker.example (http or https, no path).",
                    [nameof(AllowedOrigins)]);
            }
        }
    }
}
