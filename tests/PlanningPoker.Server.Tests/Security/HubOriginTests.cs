using System.Net;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Security;

/// <summary>
/// The hub trusts the app's own origin only (with no public base URL configured: the origin the request was sent
/// to). A page on another site cannot open a connection in its visitor's browser; clients that send no
/// <c>Origin</c> (the .NET client, the bench) are not browsers and stay welcome.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HubOriginTests(PokerApp app)
{
    private const string Evil = "https://evil.example";

    [Fact]
    public async Task AWebSocketFromAnotherSiteIsRefused()
    {
        var status = await Origins.OpenWebSocketAsync(app.BaseAddress, Evil);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task ANegotiateFromAnotherSiteIsRefusedWithOriginNotAllowed()
    {
        using var http = app.Http();

        var response = await Origins.NegotiateAsync(http, Evil);

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.Forbidden, ErrorCodes.OriginNotAllowed);
        Assert.DoesNotContain("evil", problem.Detail ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://127.0.0.1")]
    [InlineData("not a url")]
    public async Task AnOpaqueMalformedOrOtherPortOriginIsRefused(string origin)
    {
        using var http = app.Http();

        var response = await Origins.NegotiateAsync(http, origin);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Forbidden, ErrorCodes.OriginNotAllowed);
    }

    [Fact]
    public async Task AWebSocketFromTheAppsOwnOriginIsAccepted()
    {
        var status = await Origins.OpenWebSocketAsync(app.BaseAddress, Origins.Of(app.BaseAddress));

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
    }

    [Fact]
    public async Task ANegotiateFromTheAppsOwnOriginIsAccepted()
    {
        using var http = app.Http();

        var response = await Origins.NegotiateAsync(http, Origins.Of(app.BaseAddress));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AWebSocketWithoutOriginIsAccepted()
    {
        var status = await Origins.OpenWebSocketAsync(app.BaseAddress, origin: null);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
    }

    [Fact]
    public async Task ANegotiateWithoutOriginIsAccepted()
    {
        using var http = app.Http();

        var response = await Origins.NegotiateAsync(http, origin: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
