using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Server.Trackers.GitLab;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// The GitLab client against a fake that checks what GitLab checks (PRIVATE-TOKEN, URL-encoded project paths, x-next-page
/// paging, weight kept on Premium only), through the container's client and its resilience pipeline.
/// </summary>
public sealed class GitLabClientTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private FakeGitLab _gitlab = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ITrackerClient Client => _services.GetRequiredService<TrackerClients>().For(TrackerKind.GitLab);

    public async ValueTask InitializeAsync()
    {
        _services = new ServiceCollection().AddLogging().AddTrackerClients().BuildServiceProvider();
        _gitlab = await FakeGitLab.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _gitlab.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Search_PagesWithXNextPage_AndMapsEachIssue()
    {
        _gitlab.Seed(120);
        _gitlab.Add("Done already", state: "closed");

        var keys = new List<string>();
        var pages = new List<string?>();
        string? next = null;
        do
        {
            var result = await Client.SearchAsync(_gitlab.Connection, "", next, 50, Ct);
            Assert.True(result.IsSuccess, result.Failure?.Reason);
            Assert.Equal(120, result.Value!.Total);
            keys.AddRange(result.Value.Issues.Select(i => i.Key));
            next = result.Value.Next;
            pages.Add(next);
        }
        while (next is not null);

        Assert.Equal(["2", "3", null], pages);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => $"acme/web#{i}"), keys);

        var first = (await Client.SearchAsync(_gitlab.Connection, "", null, 5, Ct)).Value!.Issues[0];
        Assert.Equal(("Issue 1", "issue", "opened", "1"), (first.Title, first.Type, first.Status, first.Estimate));
        Assert.Equal("As a user I want **issue 1**.\n\n- first\n- second", first.Description);
        Assert.Equal(new Uri("https://gitlab.example.com/acme/web/-/issues/1"), first.Link);
        Assert.Null((await Client.SearchAsync(_gitlab.Connection, "", null, 5, Ct)).Value!.Issues[4].Estimate);
    }

    [Fact]
    public async Task Search_SendsTheTokenAndTheFilters_WithTheProjectPathEncoded()
    {
        _gitlab.Add("Login page", labels: ["web", "auth"], milestone: "Sprint 3");
        _gitlab.Add("Login API", labels: ["auth"], milestone: "Sprint 3");
        _gitlab.Add("Logout page", labels: ["web", "auth"], milestone: "Sprint 3");

        var result = await Client.SearchAsync(_gitlab.Connection, "login label:web label:auth milestone:\"Sprint 3\"", null, 500, Ct);

        Assert.Equal(["Login page"], result.Value!.Issues.Select(i => i.Title));
        var request = Assert.Single(_gitlab.Host.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(
            "/api/v4/projects/acme%2Fweb/issues?state=opened&order_by=created_at&sort=asc&per_page=100&page=1&labels=web%2Cauth&milestone=Sprint%203&search=login",
            request.PathAndQuery);
        Assert.Equal(_gitlab.Token, request.Header("PRIVATE-TOKEN"));
    }

    [Fact]
    public async Task Search_OfAGroup_ListsTheGroupsIssues()
    {
        _gitlab.Seed(3);

        var result = await Client.SearchAsync(_gitlab.Connection with { Scope = "group:acme" }, "", null, 10, Ct);

        Assert.Equal(3, result.Value!.Issues.Count);
        Assert.StartsWith("/api/v4/groups/acme/issues?", _gitlab.Host.Requests[0].PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SaysWhoTheTokenIs_AndThatADeveloperMayWriteTheWeight()
    {
        _gitlab.Seed(1);

        var check = await Client.CheckAsync(_gitlab.Connection, Ct);

        Assert.True(check.IsSuccess, check.Failure?.Reason);
        Assert.Equal(("Ada Lovelace (@ada)", true, true, "weight"), (check.Value!.Account, check.Value.CanRead, check.Value.CanWrite, check.Value.EstimateField));
        Assert.Empty(check.Value.Notes);
    }

    [Fact]
    public async Task Check_OnTheFreeTier_AsAGuest_SaysTheWeightCannotBeWritten()
    {
        await using var free = await FakeGitLab.StartAsync(premium: false, accessLevel: 10);
        free.Seed(1);

        var check = await Client.CheckAsync(free.Connection, Ct);

        Assert.Equal(false, check.Value!.CanWrite);
        Assert.Contains(check.Value.Notes, n => n.Contains("Premium", StringComparison.Ordinal));
        Assert.Contains(check.Value.Notes, n => n.Contains("Reporter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_PutsTheWeight_Idempotently()
    {
        var iid = _gitlab.Add("Login", weight: 1);

        var first = await Client.WriteEstimateAsync(_gitlab.Connection, $"acme/web#{iid}", new EstimateToWrite("8", 8), Ct);
        var second = await Client.WriteEstimateAsync(_gitlab.Connection, $"acme/web#{iid}", new EstimateToWrite("8", 8), Ct);

        Assert.True(first.IsSuccess, first.Failure?.Reason);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(new WriteBackDone(new Uri($"https://gitlab.example.com/acme/web/-/issues/{iid}"), "weight"), first.Value);
        Assert.Equal(8, _gitlab.Issues[iid].Weight);
        Assert.Equal(2, _gitlab.WritesTo($"acme/web#{iid}"));
        var put = _gitlab.Host.Requests[^1];
        Assert.Equal(("PUT", $"/api/v4/projects/acme%2Fweb/issues/{iid}", /*lang=json,strict*/ """{"weight":8}"""), (put.Method, put.PathAndQuery, put.Body));
        Assert.StartsWith("application/json", put.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("½", 0.5, "whole numbers")]
    [InlineData("?", null, "no number of points")]
    [InlineData("-2", -2.0, "whole numbers of 0 or more")]
    public async Task Write_RefusesWhatTheWeightCannotHold_BeforeCalling(string card, double? points, string reason)
    {
        var result = await Client.WriteEstimateAsync(_gitlab.Connection, "acme/web#1", new EstimateToWrite(card, (decimal?)points), Ct);

        Assert.Equal(TrackerFailureKind.CannotHold, result.Failure!.Kind);
        Assert.Contains(reason, result.Failure.Reason, StringComparison.Ordinal);
        Assert.Empty(_gitlab.Host.Requests);
    }

    [Fact]
    public async Task Write_OnTheFreeTier_IsRefused_SayingWeightNeedsPremium()
    {
        await using var free = await FakeGitLab.StartAsync(premium: false);
        var iid = free.Add("Login");

        var result = await Client.WriteEstimateAsync(free.Connection, $"acme/web#{iid}", new EstimateToWrite("3", 3), Ct);

        Assert.Equal(TrackerFailureKind.Refused, result.Failure!.Kind);
        Assert.Contains("Premium", result.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_ToAMissingProject_IsNotFound_WithGitLabsMessage()
    {
        var result = await Client.WriteEstimateAsync(_gitlab.Connection, "acme/other#3", new EstimateToWrite("3", 3), Ct);

        Assert.Equal((TrackerFailureKind.NotFound, HttpStatusCode.NotFound, "404 Project Not Found"), (result.Failure!.Kind, result.Failure.Status, result.Failure.Reason));
    }

    [Fact]
    public async Task AWrongToken_IsUnauthorized_WithoutTheSecretInTheReason()
    {
        var result = await Client.SearchAsync(_gitlab.Connection with { Secret = "glpat-wrong" }, "", null, 10, Ct);

        Assert.Equal((TrackerFailureKind.Unauthorized, "401 Unauthorized"), (result.Failure!.Kind, result.Failure.Reason));
        Assert.DoesNotContain("glpat", result.Failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(403, /*lang=json,strict*/ """{"message":"403 Forbidden"}""", TrackerFailureKind.Forbidden, "403 Forbidden")]
    [InlineData(409, /*lang=json,strict*/ """{"message":"409 Conflict"}""", TrackerFailureKind.Conflict, "409 Conflict")]
    [InlineData(400, /*lang=json,strict*/ """{"message":{"weight":["must be greater than or equal to 0"]}}""", TrackerFailureKind.Refused, "weight must be greater than or equal to 0")]
    [InlineData(401, /*lang=json,strict*/ """{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}""", TrackerFailureKind.Unauthorized, "Token is expired. You can either do re-authorization or token refresh.")]
    public async Task Failures_CarryGitLabsMessage(int status, string body, TrackerFailureKind kind, string reason)
    {
        _gitlab.Add("Login");
        _gitlab.Host.Fail(new FakeFault(status, body));

        var result = await Client.WriteEstimateAsync(_gitlab.Connection, "acme/web#1", new EstimateToWrite("3", 3), Ct);

        Assert.Equal((kind, reason), (result.Failure!.Kind, result.Failure.Reason));
    }

    [Fact]
    public async Task RateLimited_WithAShortRetryAfter_IsRetriedInline()
    {
        _gitlab.Seed(2);
        _gitlab.Host.Fail(new FakeFault(429, /*lang=json,strict*/ """{"message":"Retry later"}""", new Dictionary<string, string> { ["Retry-After"] = "1", ["RateLimit-Remaining"] = "0" }));

        var result = await Client.SearchAsync(_gitlab.Connection, "", null, 10, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(2, result.Value!.Issues.Count);
    }

    [Fact]
    public async Task RateLimited_WithALongRetryAfter_ComesBackWithoutWaiting()
    {
        _gitlab.Host.Fail(new FakeFault(429, /*lang=json,strict*/ """{"message":"Retry later"}""", new Dictionary<string, string> { ["Retry-After"] = "120" }));

        var result = await Client.SearchAsync(_gitlab.Connection, "", null, 10, Ct);

        Assert.Equal((TrackerFailureKind.RateLimited, "Retry later"), (result.Failure!.Kind, result.Failure.Reason));
        Assert.InRange(result.Failure.RetryAfter!.Value, TimeSpan.FromSeconds(115), TimeSpan.FromSeconds(120));
        Assert.Single(_gitlab.Host.Requests);
    }

    [Fact]
    public async Task Actuals_ReadClosedAtAndTimeSpent_InOneListOfIidsAProject_LeavingOutWhatIsNotThere()
    {
        var iids = _gitlab.Seed(4);
        var closedAt = new DateTimeOffset(2026, 11, 20, 16, 30, 5, 120, TimeSpan.Zero);
        _gitlab.Close(iids[0], closedAt);
        _gitlab.Issues[iids[0]].TimeSpent = 5400;
        _gitlab.Issues[iids[1]].TimeSpent = 0; // open, nothing logged
        _gitlab.Close(iids[2], closedAt);
        _gitlab.Issues[iids[2]].MovedToId = 4242; // moved to another project: not done here
        string[] keys = [$"acme/web#{iids[0]}", $"#{iids[1]}", $"acme/web#{iids[2]}", "acme/web#999", "acme/gone#1", "not an issue"];

        var result = await Client.ActualsAsync(_gitlab.Connection, keys, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal([new TrackerActual($"acme/web#{iids[0]}", closedAt, TimeSpan.FromMinutes(90)), new TrackerActual($"#{iids[1]}", null, null)], result.Value!);
        Assert.Equal(
            [
                $"/api/v4/projects/acme%2Fweb/issues?iids[]={iids[0]}&iids[]={iids[1]}&iids[]={iids[2]}&iids[]=999&per_page=100",
                "/api/v4/projects/acme%2Fgone/issues?iids[]=1&per_page=100",
            ],
            _gitlab.Host.Requests.Select(r => Uri.UnescapeDataString(r.PathAndQuery.Replace("%2F", "%252F", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Actuals_WithAWrongToken_AreUnauthorized_AndOfTooManyKeys_RefusedBeforeCalling()
    {
        var wrong = await Client.ActualsAsync(_gitlab.Connection with { Secret = "glpat-wrong" }, ["acme/web#1"], Ct);
        Assert.Equal((TrackerFailureKind.Unauthorized, "401 Unauthorized"), (wrong.Failure?.Kind, wrong.Failure?.Reason));

        var tooMany = await Client.ActualsAsync(_gitlab.Connection, [.. Enumerable.Range(1, ITrackerClient.MaxActualKeys + 1).Select(i => $"acme/web#{i}")], Ct);
        Assert.Equal(TrackerFailureKind.Refused, tooMany.Failure?.Kind);
        Assert.Single(_gitlab.Host.Requests);
    }

    [Fact]
    public async Task RepeatedServerErrors_AreUnavailable_AndANonJsonBodyGivesTheStatus()
    {
        for (var i = 0; i < 4; i++)
        {
            _gitlab.Host.Fail(new FakeFault(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"));
        }

        var result = await Client.CheckAsync(_gitlab.Connection, Ct);

        Assert.Equal(TrackerFailureKind.Unavailable, result.Failure!.Kind);
        Assert.StartsWith("502", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(4, _gitlab.Host.Requests.Count);
    }

    [Fact]
    public void ParseQuery_SplitsFiltersFromWords()
    {
        var (labels, milestone, words) = GitLabClient.ParseQuery("checkout label:\"needs design\" flow milestone:\"Sprint 3\" label:web");

        Assert.Equal(["needs design", "web"], labels);
        Assert.Equal(("Sprint 3", "checkout flow"), (milestone, words));
    }
}
