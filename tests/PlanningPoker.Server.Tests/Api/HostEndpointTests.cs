using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Api;

[Trait("Category", "Integration")]
public sealed class HostEndpointTests(PokerApp app)
{
    [Fact]
    public async Task TheOpenApiDocumentListsEveryRoomsPath()
    {
        using var http = app.Http();

        var response = await http.GetAsync("/openapi/v1.json", authorization: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Rest.Cancel).Timed());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/api/rooms",
            "/api/rooms/{roomId}",
            "/api/rooms/{roomId}/participants",
            "/api/rooms/{roomId}/summary",
            "/api/rooms/{roomId}/export.json",
            "/api/rooms/{roomId}/export.csv",
            "/api/rooms/{roomId}/stories/import",
            "/api/orgs/{orgId}/teams/{teamId}/trackers",
            "/api/orgs/{orgId}/teams/{teamId}/trackers/{trackerId}",
            "/api/orgs/{orgId}/teams/{teamId}/trackers/{trackerId}/check",
            "/api/orgs/{orgId}/teams/{teamId}/trackers/{trackerId}/search",
        ];
        Assert.All(expected, path => Assert.Contains(path, paths));
        Assert.True(document.RootElement.GetProperty("paths").GetProperty("/api/rooms").TryGetProperty("post", out _));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswerHealthy(string path)
    {
        using var http = app.Http();

        var response = await http.GetAsync(path, authorization: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Rest.Cancel).Timed());
    }

    [Fact]
    public void TheTestServersSiloUsesItsOwnPortsAndCluster()
    {
        var endpoint = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;

        Assert.NotEqual(11_111, endpoint.SiloPort);
        Assert.NotEqual(30_000, endpoint.GatewayPort);
        Assert.StartsWith("test-", cluster.ClusterId, StringComparison.Ordinal);
    }
}
