using System.Net;
using System.Net.Http.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Security;

/// <summary>
/// A server behind a proxy, configured with its public address and one more trusted origin: links and the hub's
/// origin check follow the configuration, never the request's <c>Host</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PublicSiteTests(PublicSiteTests.Site site) : IClassFixture<PublicSiteTests.Site>
{
    private const string PublicBaseUrl = "https://poker.example";
    private const string Partner = "https://partner.example:8443";

    [Fact]
    public async Task TheJoinLinkUsesTheConfiguredPublicAddressWhateverTheHostHeader()
    {
        using var http = site.App.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms") { Content = JsonContent.Create(new CreateRoomRequest("Sprint 42", "Fanny")) };
        request.Headers.Host = "evil.example";

        var response = await http.SendAsync(request, Rest.Cancel).Timed();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<CreateRoomResponse>(Rest.Cancel).Timed();
        Assert.Equal($"{PublicBaseUrl}/rooms/{created!.RoomId}", created.JoinUrl);
    }

    [Fact]
    public async Task TheHubAcceptsThePublicOrigin()
    {
        using var http = site.App.Http();

        var negotiate = await Origins.NegotiateAsync(http, PublicBaseUrl);
        var socket = await Origins.OpenWebSocketAsync(site.App.BaseAddress, PublicBaseUrl);

        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket);
    }

    [Fact]
    public async Task TheHubAcceptsAConfiguredOrigin()
    {
        using var http = site.App.Http();

        var negotiate = await Origins.NegotiateAsync(http, Partner);
        var socket = await Origins.OpenWebSocketAsync(site.App.BaseAddress, Partner);

        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket);
    }

    [Fact]
    public async Task ARequestWhoseHostMatchesItsOriginIsStillRefused()
    {
        using var http = site.App.Http();

        // A rebinding attack: evil.example resolves to the server, so the browser sends Host and Origin alike.
        var response = await Origins.NegotiateAsync(http, "http://evil.example", host: "evil.example");

        await ProblemAssert.IsAsync(response, HttpStatusCode.Forbidden, ErrorCodes.OriginNotAllowed);
    }

    /// <summary>A server of its own with <c>Web:PublicBaseUrl</c> and <c>Web:AllowedOrigins</c> set.</summary>
    public sealed class Site : IAsyncLifetime
    {
        public PokerApp App { get; } = new()
        {
            Settings =
            {
                ["Web:PublicBaseUrl"] = PublicBaseUrl,
                ["Web:AllowedOrigins:0"] = Partner,
            },
        };

        public ValueTask InitializeAsync() => App.InitializeAsync();

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
