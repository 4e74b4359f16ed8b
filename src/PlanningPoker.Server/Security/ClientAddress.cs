using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace PlanningPoker.Server.Security;

/// <summary>
/// Who a request comes from, for every limit per client address (REST rate limits, hub connections and calls, missed
/// joins): the connection's peer or, when that peer is a configured reverse proxy (<see cref="WebOptions.KnownProxies"/>,
/// <see cref="WebOptions.KnownNetworks"/>), the client its <c>X-Forwarded-For</c> names. An IPv6 client counts with its
/// whole /64, which one host or home usually holds, so that it cannot take a fresh address per connection.
/// </summary>
public static class ClientAddress
{
    /// <summary>Believes <c>X-Forwarded-For</c> from the configured proxies only (none unless configured).</summary>
    public static IServiceCollection AddClientAddresses(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;

            // ASP.NET Core trusts loopback by default; here nothing is trusted unless configured, so that a client
            // on the same machine (or a sidecar that passes headers through) cannot pick its address.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in web.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in web.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Every hop is checked against the lists, so a chain of trusted proxies is walked back to the first
            // address that is not one of them: the client.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>Replaces each request's remote address by the forwarded client's; place it first in the pipeline.</summary>
    public static IApplicationBuilder UseClientAddresses(this IApplicationBuilder app) => app.UseForwardedHeaders();

    /// <summary>The client address of a request, as the key its limits are counted under.</summary>
    public static string Of(HttpContext? context) => KeyOf(context?.Connection.RemoteIpAddress);

    /// <summary>
    /// The key an address is counted under: an IPv4 address as it is (also when mapped into IPv6), an IPv6 address as
    /// its /64 (<c>2001:db8:1:2::/64</c>).
    /// </summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
