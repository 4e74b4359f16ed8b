using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Tests.Infrastructure;

/// <summary>Checks that a REST error is the documented ProblemDetails, and reads the code of a hub error.</summary>
public static class ProblemAssert
{
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>
    /// Asserts an <c>application/problem+json</c> answer with the status, the stable <c>type</c>
    /// (<see cref="ErrorCodes.TypePrefix"/> + code), a title and the <c>code</c> extension; returns the problem.
    /// </summary>
    public static async Task<ProblemDetails> IsAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        ArgumentNullException.ThrowIfNull(response);
        var problem = await IsProblemAsync(response, status);
        Assert.Equal(ErrorCodes.TypePrefix + code, problem.Type);
        Assert.True(problem.Extensions.TryGetValue("code", out var extension), "the problem has no 'code' extension");
        Assert.Equal(code, Assert.IsType<JsonElement>(extension).GetString());
        return problem;
    }

    /// <summary>Asserts any <c>application/problem+json</c> answer with this status and a title.</summary>
    public static async Task<ProblemDetails> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ProblemMediaType, response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title), "the problem has no title");
        return problem;
    }

    /// <summary>The code of a hub error (see <see cref="HubErrors.Parse"/>), or null when it carries none.</summary>
    public static string? CodeOf(HubException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return HubErrors.Parse(exception.Message)?.Code;
    }
}
