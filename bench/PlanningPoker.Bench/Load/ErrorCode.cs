using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using PlanningPoker.Bench.Targets;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Load;

/// <summary>A short, stable name for a failure, to count errors by kind (errors are rare: strings are fine here).</summary>
internal static class ErrorCode
{
    public static string Of(Exception exception) => exception switch
    {
        // "… HubException: RoundNotOpen: cannot CastVote while Lobby" (see docs/api.md).
        HubException hub => HubErrors.Parse(hub.Message)?.Code ?? Before(hub.Message, ':'),
        RestException rest => rest.Message,
        HttpRequestException http => http.StatusCode is { } status ? $"HTTP {(int)status}" : "HttpRequest",
        WebSocketException ws => "WebSocket " + ws.WebSocketErrorCode,
        TimeoutException => "Timeout",
        OperationCanceledException => "Canceled",
        _ => exception.GetType().Name,
    };

    private static string Before(string text, char separator)
    {
        var at = text.IndexOf(separator, StringComparison.Ordinal);
        var code = at > 0 ? text[..at] : text;
        return code.Length > 60 ? code[..60] : code;
    }
}
