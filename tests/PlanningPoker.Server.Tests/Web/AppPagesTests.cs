using System.Net;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Web;

/// <summary>A mistyped link shows the app's own "page not found" to a person; API clients still get a 404 problem.</summary>
[Trait("Category", "Integration")]
public sealed class AppPagesTests(PokerApp app)
{
    [Theory]
    [InlineData("/room/4f7k0c2m9x1qa8zt")]
    [InlineData("/rooms-list")]
    [InlineData("/guide/extra/deep")]
    public async Task AnUnknownPageAskedForByABrowser_IsTheAppWithA404(string path)
    {
        using var http = app.Http();

        var response = await SendAsync(http, path, "text/html,application/xhtml+xml,*/*;q=0.8");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("_framework/blazor.web", await response.Content.ReadAsStringAsync(Rest.Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/room/4f7k0c2m9x1qa8zt", "application/json")]
    [InlineData("/api/nowhere", "text/html")]
    [InlineData("/hubs/nowhere", "text/html")]
    public async Task AnUnknownPathForAnApiClient_OrUnderTheServersOwnPrefixes_StaysAProblem(string path, string accept)
    {
        using var http = app.Http();

        var response = await SendAsync(http, path, accept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("_framework", await response.Content.ReadAsStringAsync(Rest.Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/guide")]
    [InlineData("/rooms/4f7k0c2m9x1qa8zt")]
    public async Task TheAppsOwnPages_AreTheAppWithA200(string path)
    {
        using var http = app.Http();

        var response = await SendAsync(http, path, "text/html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await http.SendAsync(request, Rest.Cancel).Timed();
    }
}
