using System.Net;
using System.Net.WebSockets;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Api;

namespace PlanningPoker.Server.Tests.Security;

/// <summary>Opens the hub the way a browser page would, with the <c>Origin</c> (and <c>Host</c>) it chooses.</summary>
internal static class Origins
{
    /// <summary>A WebSocket to the hub (no negotiate, as <c>skipNegotiation</c> clients do); returns the HTTP status of the upgrade.</summary>
    public static async Task<HttpStatusCode> OpenWebSocketAsync(Uri baseAddress, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = IRoomHub.Path }.Uri;
        try
        {
            await socket.ConnectAsync(uri, Rest.Cancel).Timed();
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Rest.Cancel).Timed();
        return socket.HttpStatusCode;
    }

    /// <summary>The negotiate request that precedes every browser connection.</summary>
    public static async Task<HttpResponseMessage> NegotiateAsync(HttpClient http, string? origin, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{IRoomHub.Path}/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await http.SendAsync(request, Rest.Cancel).Timed();
    }

    /// <summary>The server's own origin as a browser writes it: scheme, host and port, no slash.</summary>
    public static string Of(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
