using System.Net;
using System.Net.Http.Json;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// The server's REST API as a test scripts it: an answer per method and path; any other call fails the test. Keeps
/// each request (method, path and body) for the test to check.
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly Dictionary<(HttpMethod, string), Func<string?, HttpResponseMessage>> _answers = [];

    /// <summary>Every request so far: method, path and query, body.</summary>
    public List<(HttpMethod Method, string Path, string? Body)> Requests { get; } = [];

    /// <summary>A guest's server: no one signed in, email and password accounts on, open sign-up (and, once signed in, no tracker connections of one's own).</summary>
    public static FakeApi Guest() => new FakeApi()
        .On(HttpMethod.Get, "/api/account/session", _ => Json(HttpStatusCode.OK, new SessionDto(null)))
        .On(HttpMethod.Get, "/api/account/trackers", _ => Json(HttpStatusCode.OK, Array.Empty<TrackerConnectionDto>()))
        .On(HttpMethod.Get, "/api/account/options", _ => Json(HttpStatusCode.OK, new SignInOptionsDto(true, true, 10, [])));

    /// <summary>Answers <paramref name="method"/> on <paramref name="path"/> (with its query, if any) from now on.</summary>
    public FakeApi On(HttpMethod method, string path, Func<string?, HttpResponseMessage> answer)
    {
        _answers[(method, path)] = answer;
        return this;
    }

    public static HttpResponseMessage Json<T>(HttpStatusCode status, T body) => new(status) { Content = JsonContent.Create(body) };

    public static HttpResponseMessage Problem(HttpStatusCode status, string code) =>
        new(status) { Content = JsonContent.Create(new { type = ErrorCodes.TypePrefix + code, title = code, status = (int)status, code }) };

    public static HttpResponseMessage Empty(HttpStatusCode status) => new(status);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, path, body));
        return _answers.TryGetValue((request.Method, path), out var answer)
            ? answer(body)
            : throw new InvalidOperationException($"the test did not expect {request.Method} {path}");
    }
}
