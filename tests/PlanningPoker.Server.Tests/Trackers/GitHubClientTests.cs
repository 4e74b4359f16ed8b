using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Server.Trackers.GitHub;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// The GitHub client against a fake GitHub speaking REST v3 and GraphQL as documented, through the trackers' real
/// <see cref="HttpClient"/> and its resilience pipeline: the search scoped to the repository and paged by page number,
/// the check, the estimate as a label or a Projects number field, refusals before calling, and GitHub's failures.
/// </summary>
public sealed class GitHubClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_PagesThroughTheRepositorysOpenIssues_ByPageNumber_WithKeysLinksAndLabelEstimates()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Seed(120);
        fake.Add("A pull request", pullRequest: true);
        fake.Add("A closed one", state: "closed");
        await using var provider = Provider();
        var client = Client(provider);

        var pages = new List<TrackerPage>();
        string? next = null;
        do
        {
            var result = await client.SearchAsync(fake.Connection, "", next, 50, Ct);
            Assert.True(result.IsSuccess, result.Failure?.Reason);
            pages.Add(result.Value!);
            next = result.Value!.Next;
        }
        while (next is not null && pages.Count < 10);

        Assert.Equal([50, 50, 20], pages.Select(p => p.Issues.Count));
        Assert.Equal(["2", "3", null], pages.Select(p => p.Next));
        Assert.All(pages, p => Assert.Equal(120, p.Total));
        var all = pages.SelectMany(p => p.Issues).ToList();
        Assert.Equal(Enumerable.Range(1, 120).Select(n => $"acme/shop#{n}").Order(), all.Select(i => i.Key).Order());
        var story = all.Single(i => i.Key == "acme/shop#9");
        Assert.Equal(("Story 9", "Body of story **9**", new Uri("https://github.com/acme/shop/issues/9"), "open", "1"), (story.Title, story.Description, story.Link, story.Status, story.Estimate));
        Assert.Null(all.Single(i => i.Key == "acme/shop#10").Estimate);

        var requests = fake.Host.Requests;
        Assert.Equal(3, requests.Count);
        var first = requests[0];
        Assert.Equal("GET", first.Method);
        Assert.Equal("/search/issues?q=repo%3Aacme%2Fshop%20is%3Aissue%20is%3Aopen&per_page=50&page=1", first.PathAndQuery);
        Assert.Equal($"Bearer {FakeGitHub.Token}", first.Header("Authorization"));
        Assert.Equal("application/vnd.github+json", first.Header("Accept"));
        Assert.Equal("2022-11-28", first.Header("X-GitHub-Api-Version"));
        Assert.EndsWith("&per_page=50&page=3", requests[2].PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("login label:bug", "login label:bug repo:acme/shop is:issue is:open")]
    [InlineData("  is:closed refund ", "is:closed refund repo:acme/shop is:issue")]
    [InlineData("milestone:\"Sprint 4\"", "milestone:\"Sprint 4\" repo:acme/shop is:issue is:open")]
    public async Task Search_SendsThePersonsQuery_WithTheRepositoryIssuesOnly_AndOpenUnlessAStateIsSaid(string query, string expected)
    {
        await using var fake = await FakeGitHub.StartAsync();
        await using var provider = Provider();

        var result = await Client(provider).SearchAsync(fake.Connection, query, null, 500, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        var sent = Uri.UnescapeDataString(fake.Host.Requests.Single().PathAndQuery);
        Assert.Equal($"/search/issues?q={expected}&per_page=100&page=1", sent);
    }

    [Fact]
    public async Task Search_FindsWords_AndGivesMarkdownAsReadableText_CutToTheRoomsLimits()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Add("Refund flow " + new string('x', 300), "<!-- template: bug -->\r\n## Steps\r\nSee [the docs](https://docs.test/refunds) &amp; <b>retry</b>\r\n\r\n\r\n\r\nDone");
        fake.Add("Login page", "Nothing");
        await using var provider = Provider();

        var result = await Client(provider).SearchAsync(fake.Connection, "refund", null, 10, Ct);

        var issue = Assert.Single(result.Value!.Issues);
        Assert.Equal(200, issue.Title.Length);
        Assert.EndsWith("…", issue.Title, StringComparison.Ordinal);
        Assert.Equal("Steps\nSee the docs (https://docs.test/refunds) & retry\n\nDone", issue.Description);
        Assert.Null(result.Value.Next);
    }

    [Fact]
    public async Task Search_LeavesPullRequestsOut_WhenGitHubReturnsThem()
    {
        await using var fake = await FakeGitHub.StartAsync();
        var body = /*lang=json,strict*/ """
            {"total_count":2,"incomplete_results":false,"items":[
              {"number":1,"title":"An issue","body":null,"state":"open","html_url":"https://github.com/acme/shop/issues/1","labels":[{"name":"estimate: 8"}],"type":{"name":"Bug"}},
              {"number":2,"title":"A PR","state":"open","html_url":"https://github.com/acme/shop/pull/2","labels":[],"pull_request":{"url":"x"}}]}
            """;
        fake.Host.Fail(new FakeFault(200, body));
        await using var provider = Provider();

        var result = await Client(provider).SearchAsync(fake.Connection, "", null, 2, Ct);

        var issue = Assert.Single(result.Value!.Issues);
        Assert.Equal(("acme/shop#1", "Bug", "8", null), (issue.Key, issue.Type, issue.Estimate, issue.Description));
    }

    [Fact]
    public async Task Search_StopsAtGitHubsThousandResults()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Host.Fail(new FakeFault(200, """{"total_count":5000,"incomplete_results":false,"items":[""" + string.Join(',', Enumerable.Range(1, 100).Select(n => $$"""{"number":{{n}},"title":"T{{n}}","state":"open","labels":[]}""")) + "]}"));
        await using var provider = Provider();

        var last = await Client(provider).SearchAsync(fake.Connection, "", "10", 100, Ct);
        var beyond = await Client(provider).SearchAsync(fake.Connection, "", "11", 100, Ct);

        Assert.Null(last.Value!.Next);
        Assert.Empty(beyond.Value!.Issues);
        Assert.Single(fake.Host.Requests);
    }

    [Fact]
    public async Task Check_SaysWhoTheTokenIs_WhatItMayDo_AndThatEstimatesGoToALabel()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.CanPush = false;
        await using var provider = Provider();

        var result = await Client(provider).CheckAsync(fake.Connection, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        var check = result.Value!;
        Assert.Equal(("octo-dev", true, false, "label estimate: <card>"), (check.Account, check.CanRead, check.CanWrite, check.EstimateField));
        Assert.Contains("token scopes: repo, project", check.Notes);
        Assert.Equal(["/user", "/repos/acme/shop"], fake.Host.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Check_DiscoversTheProjectsNumberField()
    {
        await using var fake = await FakeGitHub.StartAsync("3/Estimate");
        await using var provider = Provider();

        var check = (await Client(provider).CheckAsync(fake.Connection, Ct)).Value!;

        Assert.Equal((true, true, "Projects field Estimate (project 3 \"Roadmap\")"), (check.CanRead, check.CanWrite, check.EstimateField));
        var graphql = fake.Host.Requests[^1];
        Assert.Equal(("POST", "/graphql"), (graphql.Method, graphql.PathAndQuery));
        var variables = JsonDocument.Parse(graphql.Body).RootElement.GetProperty("variables");
        Assert.Equal(("acme", "shop", 3, "Estimate"), (variables.GetProperty("owner").GetString(), variables.GetProperty("name").GetString(), variables.GetProperty("project").GetInt32(), variables.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Check_ReportsAMissingFieldOrRepository_InWords()
    {
        await using var fake = await FakeGitHub.StartAsync("3/Size");
        await using var provider = Provider();

        var noField = (await Client(provider).CheckAsync(fake.Connection, Ct)).Value!;
        var noRepo = (await Client(provider).CheckAsync(fake.Connection with { Scope = "acme/other" }, Ct)).Value!;
        var noProject = (await Client(provider).CheckAsync(fake.Connection with { EstimateField = "9/Estimate" }, Ct)).Value!;

        Assert.Equal((null, false), (noField.EstimateField, noField.CanWrite));
        Assert.Contains("project 3 has no field named \"Size\"", noField.Notes);
        Assert.False(noRepo.CanRead);
        Assert.Contains("acme/other does not exist or is not visible to this token", noRepo.Notes);
        Assert.Equal((true, false, null), (noProject.CanRead, noProject.CanWrite, noProject.EstimateField));
        Assert.Contains("project 9 of acme was not found (Could not resolve to a ProjectV2 with the number 9.)", noProject.Notes);
    }

    [Fact]
    public async Task WriteLabel_ReplacesTheOtherEstimateLabel_AndTwiceIsOnce()
    {
        await using var fake = await FakeGitHub.StartAsync();
        var issue = fake.Add("Login", labels: ["bug", "estimate: 3"]);
        await using var provider = Provider();
        var client = Client(provider);
        var key = $"acme/shop#{issue.Number}";

        var first = await client.WriteEstimateAsync(fake.Connection, key, new EstimateToWrite("5", 5m), Ct);
        var second = await client.WriteEstimateAsync(fake.Connection, key, new EstimateToWrite("5", 5m), Ct);

        Assert.True(first.IsSuccess, first.Failure?.Reason);
        Assert.Equal(new WriteBackDone(new Uri($"https://github.com/acme/shop/issues/{issue.Number}"), "label estimate: 5"), first.Value);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(["bug", "estimate: 5"], fake.Issue(issue.Number).Labels.Order());
        Assert.Contains("estimate: 5", fake.RepoLabels);
        Assert.Equal(1, fake.WritesTo(key));
        Assert.Contains(fake.Host.Requests, r => r.Method == "DELETE" && Uri.UnescapeDataString(r.PathAndQuery) == $"/repos/acme/shop/issues/{issue.Number}/labels/estimate: 3");
        var add = fake.Host.Requests.Single(r => r.Method == "POST" && r.PathAndQuery == $"/repos/acme/shop/issues/{issue.Number}/labels");
        Assert.Equal(/*lang=json,strict*/ """{"labels":["estimate: 5"]}""", add.Body);
    }

    [Fact]
    public async Task WriteLabel_ToleratesALabelTheRepositoryAlreadyHas_AndWritesCardsWithoutPoints()
    {
        await using var fake = await FakeGitHub.StartAsync();
        var other = fake.Add("Other", labels: ["estimate: XL"]);
        var issue = fake.Add("Login");
        await using var provider = Provider();
        var client = Client(provider);
        await client.WriteEstimateAsync(fake.Connection, $"acme/shop#{other.Number}", new EstimateToWrite("XL", null), Ct);

        var result = await client.WriteEstimateAsync(fake.Connection, $"#{issue.Number}", new EstimateToWrite("XL", null), Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(["estimate: XL"], fake.Issue(issue.Number).Labels);
    }

    [Fact]
    public async Task WriteField_AddsTheIssueToTheProject_SetsTheNumber_AndTwiceLeavesTheSameValue()
    {
        await using var fake = await FakeGitHub.StartAsync("3/Estimate");
        var issue = fake.Add("Login");
        await using var provider = Provider();
        var client = Client(provider);
        var key = $"acme/shop#{issue.Number}";

        var first = await client.WriteEstimateAsync(fake.Connection, key, new EstimateToWrite("½", 0.5m), Ct);
        var second = await client.WriteEstimateAsync(fake.Connection, key, new EstimateToWrite("½", 0.5m), Ct);

        Assert.True(first.IsSuccess, first.Failure?.Reason);
        Assert.Equal(new WriteBackDone(new Uri($"https://github.com/acme/shop/issues/{issue.Number}"), "Projects field Estimate"), first.Value);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(0.5m, fake.Issue(issue.Number).FieldValue);
        Assert.Equal(2, fake.WritesTo(key));
        var bodies = fake.Host.Requests.Select(r => r.Body).ToList();
        Assert.Single(bodies, b => b.Contains("addProjectV2ItemById", StringComparison.Ordinal));
        var update = JsonDocument.Parse(bodies.Last()).RootElement;
        Assert.Contains("updateProjectV2ItemFieldValue", update.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Equal((FakeGitHub.ProjectId, "PVTF_estimate", 0.5m), (update.GetProperty("variables").GetProperty("project").GetString(),
            update.GetProperty("variables").GetProperty("field").GetString(), update.GetProperty("variables").GetProperty("value").GetDecimal()));
    }

    [Fact]
    public async Task WriteField_ToAnIssueAlreadyInTheProject_OnlyUpdates()
    {
        await using var fake = await FakeGitHub.StartAsync("3/Estimate");
        var issue = fake.Add("Login");
        fake.AddToProject(issue.Number);
        await using var provider = Provider();

        var result = await Client(provider).WriteEstimateAsync(fake.Connection, $"acme/shop#{issue.Number}", new EstimateToWrite("8", 8m), Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(8m, fake.Issue(issue.Number).FieldValue);
        Assert.Equal(2, fake.Host.Requests.Count);
    }

    [Fact]
    public async Task Write_RefusesWhatTheTargetCannotHold_BeforeCalling()
    {
        await using var fake = await FakeGitHub.StartAsync("3/Estimate");
        var issue = fake.Add("Login");
        await using var provider = Provider();
        var client = Client(provider);

        var noPoints = await client.WriteEstimateAsync(fake.Connection, $"acme/shop#{issue.Number}", new EstimateToWrite("?", null), Ct);
        var comma = await client.WriteEstimateAsync(fake.Connection with { EstimateField = null }, $"acme/shop#{issue.Number}", new EstimateToWrite("1,5", 1.5m), Ct);
        var badKey = await client.WriteEstimateAsync(fake.Connection, "acme/shop", new EstimateToWrite("5", 5m), Ct);

        Assert.Equal(TrackerFailureKind.CannotHold, noPoints.Failure!.Kind);
        Assert.Contains("\"?\" has no value in points", noPoints.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(TrackerFailureKind.CannotHold, comma.Failure!.Kind);
        Assert.Equal(TrackerFailureKind.Refused, badKey.Failure!.Kind);
        Assert.Empty(fake.Host.Requests);
    }

    [Fact]
    public async Task WriteField_RefusesATextField_WithoutWriting()
    {
        await using var fake = await FakeGitHub.StartAsync("3/Estimate");
        fake.EstimateDataType = "TEXT";
        var issue = fake.Add("Login");
        await using var provider = Provider();

        var result = await Client(provider).WriteEstimateAsync(fake.Connection, $"acme/shop#{issue.Number}", new EstimateToWrite("5", 5m), Ct);

        Assert.Equal(TrackerFailureKind.CannotHold, result.Failure!.Kind);
        Assert.Contains("TEXT field", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(0, fake.WritesTo($"acme/shop#{issue.Number}"));
        Assert.Single(fake.Host.Requests);
    }

    [Fact]
    public async Task Failures_AWrongToken_IsUnauthorized_WithGitHubsMessage_AndNeverTheToken()
    {
        await using var fake = await FakeGitHub.StartAsync();
        await using var provider = Provider();
        var wrong = fake.Connection with { Secret = "ghp_WrongSecretValue987654321" };

        var search = await Client(provider).SearchAsync(wrong, "", null, 10, Ct);
        var check = await Client(provider).CheckAsync(wrong, Ct);

        Assert.Equal((TrackerFailureKind.Unauthorized, "Bad credentials", HttpStatusCode.Unauthorized), (search.Failure!.Kind, search.Failure.Reason, search.Failure.Status));
        Assert.Equal(TrackerFailureKind.Unauthorized, check.Failure!.Kind);
        Assert.DoesNotContain("WrongSecret", search.Failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_Forbidden_NotFound_AndValidation_CarryGitHubsMessage()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Host.Fail(new FakeFault(403, /*lang=json,strict*/ """{"message":"Resource not accessible by personal access token","documentation_url":"https://docs.github.com/rest","status":"403"}"""));
        fake.Host.Fail(new FakeFault(422, /*lang=json,strict*/ """{"message":"Validation Failed","errors":[{"message":"The listed users and repositories cannot be searched","resource":"Search","field":"q","code":"invalid"}],"status":"422"}"""));
        await using var provider = Provider();
        var client = Client(provider);

        var forbidden = await client.SearchAsync(fake.Connection, "", null, 10, Ct);
        var invalid = await client.SearchAsync(fake.Connection, "", null, 10, Ct);
        var missing = await client.WriteEstimateAsync(fake.Connection, "acme/shop#999", new EstimateToWrite("5", 5m), Ct);

        Assert.Equal((TrackerFailureKind.Forbidden, "Resource not accessible by personal access token"), (forbidden.Failure!.Kind, forbidden.Failure.Reason));
        Assert.Equal((TrackerFailureKind.Refused, "Validation Failed: The listed users and repositories cannot be searched"), (invalid.Failure!.Kind, invalid.Failure.Reason));
        Assert.Equal((TrackerFailureKind.NotFound, "Not Found"), (missing.Failure!.Kind, missing.Failure.Reason));
    }

    [Fact]
    public async Task Failures_ThePrimaryRateLimit_403WithNoneRemaining_IsRateLimitedUntilTheReset()
    {
        await using var fake = await FakeGitHub.StartAsync();
        var reset = DateTimeOffset.UtcNow.AddSeconds(120).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        fake.Host.Fail(new FakeFault(403, /*lang=json,strict*/ """{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""",
            new Dictionary<string, string> { ["x-ratelimit-limit"] = "5000", ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset }));
        await using var provider = Provider();

        var result = await Client(provider).SearchAsync(fake.Connection, "", null, 10, Ct);

        Assert.Equal(TrackerFailureKind.RateLimited, result.Failure!.Kind);
        Assert.InRange(result.Failure.RetryAfter!.Value.TotalSeconds, 100, 121);
        Assert.Single(fake.Host.Requests);
    }

    [Fact]
    public async Task Failures_AShortRetryAfter_IsWaitedInline_ALongOneComesBack()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Seed(3);
        fake.Host.Fail(new FakeFault(429, /*lang=json,strict*/ """{"message":"You have exceeded a secondary rate limit."}""", new Dictionary<string, string> { ["Retry-After"] = "1" }));
        await using var provider = Provider();
        var client = Client(provider);

        var retried = await client.SearchAsync(fake.Connection, "", null, 10, Ct);
        fake.Host.Fail(new FakeFault(429, /*lang=json,strict*/ """{"message":"You have exceeded a secondary rate limit."}""", new Dictionary<string, string> { ["Retry-After"] = "120" }));
        var limited = await client.SearchAsync(fake.Connection, "", null, 10, Ct);

        Assert.Equal(3, retried.Value!.Issues.Count);
        Assert.Equal((TrackerFailureKind.RateLimited, "You have exceeded a secondary rate limit.", TimeSpan.FromSeconds(120)), (limited.Failure!.Kind, limited.Failure.Reason, limited.Failure.RetryAfter));
        Assert.Equal(3, fake.Host.Requests.Count);
    }

    [Fact]
    public async Task Failures_GraphQLErrorsInA200_AreMappedByTheirType()
    {
        await using var fake = await FakeGitHub.StartAsync("3/Estimate");
        var issue = fake.Add("Login");
        var reset = DateTimeOffset.UtcNow.AddSeconds(600).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        fake.Host.Fail(new FakeFault(200, /*lang=json,strict*/ """{"data":null,"errors":[{"type":"RATE_LIMITED","message":"API rate limit already exceeded for user ID 1."}]}""",
            new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset }));
        fake.Host.Fail(new FakeFault(200, /*lang=json,strict*/ """{"data":null,"errors":[{"type":"FORBIDDEN","message":"Resource not accessible by integration"}]}"""));
        await using var provider = Provider();
        var client = Client(provider);
        var key = $"acme/shop#{issue.Number}";

        var limited = await client.WriteEstimateAsync(fake.Connection, key, new EstimateToWrite("5", 5m), Ct);
        var forbidden = await client.WriteEstimateAsync(fake.Connection, key, new EstimateToWrite("5", 5m), Ct);
        var missing = await client.WriteEstimateAsync(fake.Connection, "acme/shop#999", new EstimateToWrite("5", 5m), Ct);
        var noProject = await client.WriteEstimateAsync(fake.Connection with { EstimateField = "9/Estimate" }, key, new EstimateToWrite("5", 5m), Ct);

        Assert.Equal((TrackerFailureKind.RateLimited, "API rate limit already exceeded for user ID 1."), (limited.Failure!.Kind, limited.Failure.Reason));
        Assert.InRange(limited.Failure.RetryAfter!.Value.TotalSeconds, 580, 601);
        Assert.Equal((TrackerFailureKind.Forbidden, "Resource not accessible by integration"), (forbidden.Failure!.Kind, forbidden.Failure.Reason));
        Assert.Equal((TrackerFailureKind.NotFound, "Could not resolve to an issue or pull request with the number of 999."), (missing.Failure!.Kind, missing.Failure.Reason));
        Assert.Equal(TrackerFailureKind.NotFound, noProject.Failure!.Kind);
        Assert.Equal(0, fake.WritesTo(key));
    }

    [Fact]
    public async Task Failures_ServerErrorsAndHtml_AreUnavailable()
    {
        await using var fake = await FakeGitHub.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            fake.Host.Fail(new FakeFault(503, /*lang=json,strict*/ """{"message":"Service Unavailable"}"""));
        }

        fake.Host.Fail(new FakeFault(502, "<html><body>Bad gateway</body></html>"));
        for (var i = 0; i < 3; i++)
        {
            fake.Host.Fail(new FakeFault(502, "<html><body>Bad gateway</body></html>"));
        }

        await using var provider = Provider();
        var client = Client(provider);

        var down = await client.SearchAsync(fake.Connection, "", null, 10, Ct);
        var html = await client.SearchAsync(fake.Connection, "", null, 10, Ct);

        Assert.Equal((TrackerFailureKind.Unavailable, "Service Unavailable"), (down.Failure!.Kind, down.Failure.Reason));
        Assert.Equal((TrackerFailureKind.Unavailable, "502 Bad Gateway"), (html.Failure!.Kind, html.Failure.Reason));
        Assert.Equal(8, fake.Host.Requests.Count);
    }

    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/graphql")]
    [InlineData("https://github.acme.com/api/v3/", "https://github.acme.com/api/graphql")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/graphql")]
    public void GraphQLUrl_IsFoundFromTheRestBase(string baseUrl, string expected) =>
        Assert.Equal(new Uri(expected), GitHubClient.GraphQLUrl(new Uri(baseUrl)));

    [Fact]
    public async Task Actuals_SayWhenAnIssueWasClosedAsCompleted_NeverWhenNotPlanned_AndLeaveOutWhatIsNotThere()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Seed(6);
        var closedAt = new DateTimeOffset(2026, 11, 20, 16, 30, 5, TimeSpan.Zero);
        fake.Close(1, closedAt);
        fake.Close(3, closedAt, reason: "not_planned");
        fake.Close(4, closedAt, reason: null); // closed before GitHub kept a reason
        fake.Close(5, closedAt, reason: "duplicate");
        fake.Issue(6).Deleted = true;
        await using var provider = Provider();
        string[] keys = ["acme/shop#1", "#2", "acme/shop#3", "acme/shop#4", "acme/shop#5", "acme/shop#6", "acme/shop#99", "acme/other#1", "PAY-12"];

        var result = await Client(provider).ActualsAsync(fake.Connection, keys, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(
            [
                new TrackerActual("acme/shop#1", closedAt, null),
                new TrackerActual("#2", null, null), // open
                new TrackerActual("acme/shop#3", null, null), // closed as not planned: not done
                new TrackerActual("acme/shop#4", closedAt, null),
                new TrackerActual("acme/shop#5", null, null),
            ],
            result.Value!);
        Assert.Equal(
            ["/repos/acme/shop/issues/1", "/repos/acme/shop/issues/2", "/repos/acme/shop/issues/3", "/repos/acme/shop/issues/4", "/repos/acme/shop/issues/5",
             "/repos/acme/shop/issues/6", "/repos/acme/shop/issues/99", "/repos/acme/other/issues/1"],
            fake.Host.Requests.Select(r => r.PathAndQuery));
        Assert.All(fake.Host.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Actuals_WithAWrongToken_AreUnauthorized_AndOfTooManyKeys_RefusedBeforeCalling()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Seed(2);
        await using var provider = Provider();
        var client = Client(provider);

        var wrong = await client.ActualsAsync(fake.Connection with { Secret = "ghp_WrongSecretValue987654321" }, ["acme/shop#1", "acme/shop#2"], Ct);
        var tooMany = await client.ActualsAsync(fake.Connection, [.. Enumerable.Range(1, ITrackerClient.MaxActualKeys + 1).Select(i => $"acme/shop#{i}")], Ct);

        Assert.Equal((TrackerFailureKind.Unauthorized, "Bad credentials"), (wrong.Failure?.Kind, wrong.Failure?.Reason));
        Assert.Equal(TrackerFailureKind.Refused, tooMany.Failure?.Kind);
        Assert.Single(fake.Host.Requests); // the first 401 ends the call
    }

    private static ServiceProvider Provider() => new ServiceCollection().AddLogging().AddTrackerClients().BuildServiceProvider();

    private static ITrackerClient Client(ServiceProvider provider) => provider.GetRequiredService<TrackerClients>().For(TrackerKind.GitHub);
}
