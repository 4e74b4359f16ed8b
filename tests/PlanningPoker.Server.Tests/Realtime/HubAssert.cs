using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>Assertions on hub errors and views.</summary>
public static class HubAssert
{
    /// <summary>
    /// What the SignalR server puts before a <see cref="HubException"/>'s own message on the wire, whatever the hub
    /// does: "An unexpected error occurred invoking 'CastVote' on the server. HubException: RoundNotOpen: …".
    /// </summary>
    public const string SignalRWrapper = "HubException: ";

    /// <summary>Asserts that the call fails with a hub error of the given code; returns the error.</summary>
    public static async Task<HubException> RefusedAsync(string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HubException>(call);
        Assert.True(CodeOf(error) == code, $"Expected the code {code}, got: {error.Message}");
        return error;
    }

    /// <summary>
    /// The code of a hub error: the text before the first colon of the server's message, once SignalR's wrapper
    /// (<see cref="SignalRWrapper"/>) is taken off.
    /// </summary>
    public static string CodeOf(HubException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        var wrapped = message.IndexOf(SignalRWrapper, StringComparison.Ordinal);
        var text = wrapped < 0 ? message : message[(wrapped + SignalRWrapper.Length)..];
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : text[..colon];
    }

    /// <summary>A view as JSON, to compare whole views (records with lists do not compare by value).</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
