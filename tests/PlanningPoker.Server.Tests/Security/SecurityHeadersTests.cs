using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Security;

/// <summary>
/// Every response carries the browser security headers: the UI, its static files, the API, the exports and the
/// errors alike. Room links are secrets, so no page may leak its address in a Referer.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class SecurityHeadersTests(PokerApp app)
{
    public static readonly TheoryData<string> Paths =
    [
        "/",
        "/rooms/0000000000000000",
        "/css/app.css",
        "/_framework/blazor.webassembly.js",
        "/api/rooms/0000000000000000",
        "/api/nowhere",
        "/health/live",
    ];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        using var http = app.Http();

        var response = await http.GetAsync(path, authorization: null);

        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("export.csv")]
    [InlineData("export.json")]
    public async Task ExportsCarryTheSecurityHeaders(string export)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.GetAsBearerAsync($"/api/rooms/{room.RoomId}/{export}", room.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task TheContentSecurityPolicyLetsOnlyTheAppsOwnScriptsAndWebAssemblyRun()
    {
        using var http = app.Http();

        var response = await http.GetAsync("/", authorization: null);

        var csp = Directives(response);
        Assert.Equal("'self'", csp["default-src"]);
        Assert.Equal("'self' 'wasm-unsafe-eval'", csp["script-src"]);
        Assert.Equal("'self'", csp["connect-src"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'self'", csp["base-uri"]);
        Assert.Equal("'self'", csp["form-action"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'self'", csp["style-src"]);
        Assert.DoesNotContain(csp, d => d.Key.StartsWith("script-src", StringComparison.Ordinal) && d.Value.Contains("unsafe-inline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheUiPageHasNoInlineScript()
    {
        using var http = app.Http();

        var html = await (await http.GetAsync("/", authorization: null)).Content.ReadAsStringAsync(Rest.Cancel).Timed();

        Assert.Contains("<script", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(InlineScript(), html);
    }

    [Fact]
    public async Task WithoutAPublicBaseUrlTheJoinLinkIsRelativeWhateverTheHostHeader()
    {
        using var http = app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms") { Content = JsonContent.Create(new CreateRoomRequest("Sprint 42", "Fanny")) };
        request.Headers.Host = "evil.example";

        var response = await http.SendAsync(request, Rest.Cancel).Timed();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<CreateRoomResponse>(Rest.Cancel).Timed();
        Assert.Equal($"/rooms/{created!.RoomId}", created.JoinUrl);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"), ignoreCase: true);
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("'none'", Directives(response)["frame-ancestors"]);
        var permissions = Header(response, "Permissions-Policy");
        Assert.Contains("camera=()", permissions, StringComparison.Ordinal);
        Assert.Contains("microphone=()", permissions, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", permissions, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "", StringComparer.Ordinal);

    private static string Header(HttpResponseMessage response, string name)
    {
        var found = response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values);
        Assert.True(found, $"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} without {name}");
        return string.Join(", ", values!);
    }

    /// <summary>A script element with no <c>src</c>: its body would run inline.</summary>
    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
