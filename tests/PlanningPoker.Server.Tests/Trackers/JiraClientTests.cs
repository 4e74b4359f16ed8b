using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Server.Trackers.Jira;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// The Jira clients against a stateful fake of each flavour (Cloud REST v3 with enhanced search and ADF; Data Center
/// REST v2 with offset search and wiki markup), resolved from a real container so the resilience pipeline is in play.
/// </summary>
public sealed class JiraClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Search_PagesThroughAProject_MappingKeysTitlesDescriptionsLinksAndEstimates(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 120);
        jira.Seed("COMP", 3);
        using var services = Services();
        var client = Client(services, cloud);

        var pages = new List<TrackerPage>();
        string? next = null;
        do
        {
            var result = await client.SearchAsync(jira.Connection, "project = TEAM ORDER BY key ASC", next, 50, Ct);
            Assert.True(result.IsSuccess, result.Failure?.Reason);
            pages.Add(result.Value!);
            next = result.Value!.Next;
        }
        while (next is not null && pages.Count < 10);

        Assert.Equal([50, 50, 20], pages.Select(p => p.Issues.Count));
        Assert.Equal(Enumerable.Range(1, 120).Select(i => $"TEAM-{i}"), pages.SelectMany(p => p.Issues).Select(i => i.Key));
        // Cloud's search says no total: its first page carries Jira's approximate count.
        Assert.Equal(cloud ? [120, null, null] : [120, 120, 120], pages.Select(p => p.Total));
        var first = pages[0].Issues[0];
        Assert.Equal(
            new TrackerIssue("TEAM-1", "Story 1", "Description of story 1", new Uri(jira.Host.BaseUrl, "browse/TEAM-1"), "Story", "To Do", "1"),
            first);
        Assert.Null(pages[0].Issues[4].Estimate); // every fifth has none
        Assert.Equal("7", pages[0].Issues[6].Estimate);
    }

    [Fact]
    public async Task CloudSearch_PostsToSearchJql_WithBasicAuth_FieldsAndTheNextPageToken_NeverTheRemovedSearch()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        jira.Seed("TEAM", 7);
        using var services = Services();
        var client = Client(services, cloud: true);

        var first = await client.SearchAsync(jira.Connection, "project = TEAM", null, 5, Ct);
        var second = await client.SearchAsync(jira.Connection, "project = TEAM", first.Value!.Next, 5, Ct);

        Assert.Equal((5, 2), (first.Value!.Issues.Count, second.Value!.Issues.Count));
        Assert.Null(second.Value.Next);
        var searches = jira.Host.Requests.Where(r => r.PathAndQuery.StartsWith("/rest/api/3/search", StringComparison.Ordinal) && !r.PathAndQuery.EndsWith("/approximate-count", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, searches.Count);
        Assert.All(searches, r => Assert.Equal(("POST", "/rest/api/3/search/jql"), (r.Method, r.PathAndQuery)));
        var count = Assert.Single(jira.Host.Requests, r => r.PathAndQuery == "/rest/api/3/search/approximate-count");
        Assert.Equal(("POST", "project = TEAM", 7), (count.Method, (string?)JsonNode.Parse(count.Body)!["jql"], first.Value.Total));
        Assert.All(jira.Host.Requests, r => Assert.Equal(
            "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{FakeJira.Email}:{FakeJira.Token}")), r.Header("Authorization")));
        var body = JsonNode.Parse(searches[0].Body)!.AsObject();
        Assert.Equal("project = TEAM", (string?)body["jql"]);
        Assert.Equal(5, (int?)body["maxResults"]);
        Assert.Null(body["nextPageToken"]);
        Assert.Null(body["startAt"]);
        var fields = body["fields"]!.AsArray().Select(f => (string?)f).ToList();
        Assert.Subset(new HashSet<string?> { "summary", "description", "issuetype", "status", FakeJira.TeamField, FakeJira.CompanyField }, fields.ToHashSet());
        Assert.Equal(first.Value.Next, (string?)JsonNode.Parse(searches[1].Body)!["nextPageToken"]);
    }

    [Fact]
    public async Task CloudSearch_DoesWithoutTheCount_WhenTheSiteDoesNotAnswerIt()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        jira.Seed("TEAM", 7);
        jira.Host.Fail(new FakeFault(404, FakeJira.Errors(["Not found"]), Matches: r => r.PathAndQuery.EndsWith("/approximate-count", StringComparison.Ordinal)));
        using var services = Services();

        var first = await Client(services, cloud: true).SearchAsync(jira.Connection, "project = TEAM", null, 5, Ct);

        Assert.True(first.IsSuccess, first.Failure?.Reason);
        Assert.Equal((5, null), (first.Value!.Issues.Count, first.Value.Total));
    }

    [Fact]
    public async Task DataCenterSearch_PostsToSearch_WithBearerAndStartAt_TheNextPageTokenBeingTheNextStartAt()
    {
        await using var jira = await FakeJira.StartAsync(cloud: false);
        jira.Seed("COMP", 7);
        using var services = Services();
        var client = Client(services, cloud: false);

        var first = await client.SearchAsync(jira.Connection, "project = COMP", null, 5, Ct);
        var second = await client.SearchAsync(jira.Connection, "project = COMP", first.Value!.Next, 5, Ct);

        Assert.Equal("5", first.Value!.Next);
        Assert.Equal((2, null, 7), (second.Value!.Issues.Count, second.Value.Next, second.Value.Total));
        var searches = jira.Host.Requests.Where(r => r.PathAndQuery.Contains("/search", StringComparison.Ordinal)).ToList();
        Assert.All(searches, r => Assert.Equal(("POST", "/rest/api/2/search", "Bearer " + FakeJira.Token), (r.Method, r.PathAndQuery, r.Header("Authorization"))));
        Assert.Equal([0, 5], searches.Select(r => (int)JsonNode.Parse(r.Body)!["startAt"]!));
        Assert.Equal(["1", "2", "3", "4", null], first.Value.Issues.Select(i => i.Estimate)); // COMP's own field
        Assert.Equal(5, (int?)JsonNode.Parse(searches[0].Body)!["maxResults"]);
        Assert.Contains(FakeJira.CompanyField, JsonNode.Parse(searches[0].Body)!["fields"]!.AsArray().Select(f => (string?)f));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnEmptyQuery_FindsTheOpenIssues_WithABoundedDefault(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 2);
        jira.Add("COMP", "Finished", status: "Done");
        using var services = Services();

        var result = await Client(services, cloud).SearchAsync(jira.Connection, "  ", null, 500, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(["TEAM-2", "TEAM-1"], result.Value!.Issues.Select(i => i.Key)); // newest first, Done left out
        var sent = JsonNode.Parse(jira.Host.Requests[^1].Body)!;
        Assert.Contains("statusCategory != Done", (string?)sent["jql"], StringComparison.Ordinal);
        Assert.Equal(100, (int?)sent["maxResults"]); // clamped
    }

    [Theory]
    [InlineData(true, "ORDER BY key", "Unbounded JQL queries are not allowed here")]
    [InlineData(false, "sprintz = 3", "Field 'sprintz' does not exist")]
    [InlineData(true, "sprintz = 3", "Field 'sprintz' does not exist")]
    public async Task AQueryJiraRefuses_IsRefused_WithJirasMessage(bool cloud, string jql, string reason)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        using var services = Services();

        var result = await Client(services, cloud).SearchAsync(jira.Connection, jql, null, 10, Ct);

        Assert.Equal(TrackerFailureKind.Refused, result.Failure?.Kind);
        Assert.Contains(reason, result.Failure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloudDescriptions_InAdf_BecomePlainText_AndFractionsReadInvariantly()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        var adf = JsonNode.Parse(NestedAdf)!;
        jira.AddRaw("TEAM", "Checkout\nflow", adf, 0.5m);
        jira.Add("TEAM", new string('t', 300), new string('d', 12_000));
        using var services = Services();

        var result = await Client(services, cloud: true).SearchAsync(jira.Connection, "project = TEAM", null, 10, Ct);

        var (first, second) = (result.Value!.Issues[0], result.Value.Issues[1]);
        Assert.Equal("Checkout flow", first.Title);
        Assert.Equal(NestedAdfText, first.Description);
        Assert.Equal("0.5", first.Estimate);
        Assert.Equal((200, '…'), (second.Title.Length, second.Title[^1]));
        Assert.Equal((10_000, '…'), (second.Description!.Length, second.Description[^1]));
    }

    [Fact]
    public async Task DataCenterDescriptions_InWikiMarkup_BecomePlainText()
    {
        await using var jira = await FakeJira.StartAsync(cloud: false);
        jira.AddRaw("COMP", "Wiki", JsonValue.Create("h2. Goal\nPay with *one* click, see [the spec|https://wiki.example.com/pay].\n* first\n** nested\n# step\n{code:java}\nvar x = 1;\n{code}\n||a||b||\n|1|2|"));
        using var services = Services();

        var result = await Client(services, cloud: false).SearchAsync(jira.Connection, "project = COMP", null, 10, Ct);

        Assert.Equal(
            "Goal\nPay with one click, see the spec (https://wiki.example.com/pay).\n- first\n  - nested\n1. step\nvar x = 1;\na | b\n1 | 2",
            result.Value!.Issues[0].Description);
    }

    [Fact]
    public void TheAdfWalker_ReadsNestedListsCodeMentionsCardsTables_AndUnknownNodes_AndNeverThrowsOnOddShapes()
    {
        Assert.Equal(NestedAdfText, JiraText.FromAdf(JsonDocument.Parse(NestedAdf).RootElement));
        foreach (var odd in new[] { "null", "42", "[]", "{}", /*lang=json,strict*/ """{"type":"doc","content":{"a":1}}""", /*lang=json,strict*/ """{"type":"doc","content":[1,"x",null,{"type":7}]}""",
            /*lang=json,strict*/ """{"type":"paragraph","content":[{"type":"mention"},{"type":"emoji","attrs":3},{"type":"text","text":5,"marks":"x"}]}""" })
        {
            _ = JiraText.FromAdf(JsonDocument.Parse(odd).RootElement);
        }

        var deep = string.Concat(Enumerable.Repeat("""{"type":"blockquote","content":[""", 500)) + /*lang=json,strict*/ """{"type":"text","text":"x"}""" + string.Concat(Enumerable.Repeat("]}", 500));
        _ = JiraText.FromAdf(JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 2000 }).RootElement);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_SaysWhoTheTokenIs_WhatItMayDo_AndTheFieldFound(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        using var services = Services();
        var client = Client(services, cloud);

        var check = await client.CheckAsync(jira.Connection, Ct);
        jira.CanEdit = false;
        var readOnly = await client.CheckAsync(jira.Connection, Ct);

        Assert.True(check.IsSuccess, check.Failure?.Reason);
        Assert.Equal(("Ada Lovelace (ada@example.com)", true, true, "Story point estimate (customfield_10016)"),
            (check.Value!.Account, check.Value.CanRead, check.Value.CanWrite, check.Value.EstimateField));
        Assert.Contains(check.Value.Notes, n => n.Contains("Story Points (customfield_10026)", StringComparison.Ordinal));
        Assert.False(readOnly.Value!.CanWrite);
        Assert.Contains(jira.Host.Requests, r => r.PathAndQuery == $"/rest/api/{jira.Version}/mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES");
    }

    [Theory]
    [InlineData(true, "TEAM-1", FakeJira.TeamField, "Story point estimate")]
    [InlineData(true, "COMP-1", FakeJira.CompanyField, "Story Points")]
    [InlineData(false, "TEAM-1", FakeJira.TeamField, "Story point estimate")]
    [InlineData(false, "COMP-1", FakeJira.CompanyField, "Story Points")]
    public async Task Write_PutsThePointsInTheFieldTheIssuesScreenHas_AndTwiceLeavesTheSameValue(bool cloud, string key, string fieldId, string fieldName)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 1);
        jira.Seed("COMP", 1);
        using var services = Services();
        var client = Client(services, cloud);

        var once = await client.WriteEstimateAsync(jira.Connection, key, new EstimateToWrite("8", 8), Ct);
        var twice = await client.WriteEstimateAsync(jira.Connection, key, new EstimateToWrite("8", 8), Ct);

        Assert.True(once.IsSuccess, once.Failure?.Reason);
        Assert.Equal(new WriteBackDone(new Uri(jira.Host.BaseUrl, $"browse/{key}"), fieldName), once.Value);
        Assert.Equal(once.Value, twice.Value);
        Assert.Equal((8m, 2), (jira.EstimateOf(key), jira.WritesTo(key)));
        var put = jira.Host.Requests[^1];
        Assert.Equal(("PUT", $"/rest/api/{jira.Version}/issue/{key}"), (put.Method, put.PathAndQuery));
        Assert.Equal("{\"fields\":{\"" + fieldId + "\":8}}", put.Body);
        Assert.StartsWith("application/json", put.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_OfAHalf_WritesTheNumber()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        jira.Seed("TEAM", 1);
        using var services = Services();

        var result = await Client(services, cloud: true).WriteEstimateAsync(jira.Connection, "TEAM-1", new EstimateToWrite("½", 0.5m), Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(0.5m, jira.EstimateOf("TEAM-1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_ToAChosenFieldNotOnTheScreen_IsRefused_WithWhatToChangeInJira(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("COMP", 1);
        using var services = Services();
        var connection = jira.Connection with { EstimateField = FakeJira.TeamField };

        var result = await Client(services, cloud).WriteEstimateAsync(connection, "COMP-1", new EstimateToWrite("3", 3), Ct);

        Assert.Equal(TrackerFailureKind.Refused, result.Failure?.Kind);
        Assert.Contains("Estimation feature", result.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains("is not on the appropriate screen", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(0, jira.WritesTo("COMP-1"));
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, null)]
    [InlineData(true, -1.0)]
    public async Task Write_OfACardWithoutANumber_CannotHold_AndNothingIsSent(bool cloud, double? points)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 1);
        using var services = Services();

        var result = await Client(services, cloud).WriteEstimateAsync(jira.Connection, "TEAM-1", new EstimateToWrite("?", (decimal?)points), Ct);

        Assert.Equal(TrackerFailureKind.CannotHold, result.Failure?.Kind);
        Assert.Empty(jira.Host.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AWrongToken_IsUnauthorized_WithJirasReason_AndNeverTheSecret(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        using var services = Services();
        var connection = jira.Connection with { Secret = "wrong-secret-123" };

        var result = await Client(services, cloud).CheckAsync(connection, Ct);

        Assert.Equal((TrackerFailureKind.Unauthorized, HttpStatusCode.Unauthorized), (result.Failure?.Kind, result.Failure?.Status));
        Assert.Contains("not authenticated", result.Failure!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-123", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Single(jira.Host.Requests); // 401 is not retried
    }

    [Fact]
    public async Task CloudWithoutTheEmail_IsRefusedBeforeCalling()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        using var services = Services();

        var result = await Client(services, cloud: true).CheckAsync(jira.Connection with { User = null }, Ct);

        Assert.Equal(TrackerFailureKind.Unauthorized, result.Failure?.Kind);
        Assert.Contains("email", result.Failure!.Reason, StringComparison.Ordinal);
        Assert.Empty(jira.Host.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_WithoutEditPermission_IsForbidden_AndToAMissingIssue_NotFound(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 1);
        using var services = Services();
        var client = Client(services, cloud);

        var missing = await client.WriteEstimateAsync(jira.Connection, "TEAM-99", new EstimateToWrite("3", 3), Ct);
        jira.CanEdit = false;
        var forbidden = await client.WriteEstimateAsync(jira.Connection, "TEAM-1", new EstimateToWrite("3", 3), Ct);

        Assert.Equal((TrackerFailureKind.NotFound, "Issue does not exist or you do not have permission to see it."), (missing.Failure?.Kind, missing.Failure?.Reason));
        Assert.Equal((TrackerFailureKind.Forbidden, "You do not have permission to edit issues in this project."), (forbidden.Failure?.Kind, forbidden.Failure?.Reason));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AConflictingUpdate_IsAConflict(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 1);
        jira.Host.Fail(new FakeFault(409, FakeJira.Errors(["The issue was updated by someone else."]), Matches: r => r.Method == "PUT"));
        using var services = Services();

        var result = await Client(services, cloud).WriteEstimateAsync(jira.Connection, "TEAM-1", new EstimateToWrite("3", 3), Ct);

        Assert.Equal((TrackerFailureKind.Conflict, "The issue was updated by someone else."), (result.Failure?.Kind, result.Failure?.Reason));
        Assert.True(result.Failure!.IsTransient);
    }

    [Fact]
    public async Task AShortRetryAfter_IsWaitedInline_AndTheSearchSucceeds()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        jira.Seed("TEAM", 3);
        jira.Host.Fail(new FakeFault(429, "", new Dictionary<string, string> { ["Retry-After"] = "1", ["RateLimit-Reason"] = "jira-cost-based" }, IsSearch));
        using var services = Services();

        var result = await Client(services, cloud: true).SearchAsync(jira.Connection, "project = TEAM", null, 10, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(3, result.Value!.Issues.Count);
        Assert.Equal(2, jira.Host.Requests.Count(IsSearch));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ALongRetryAfter_ComesBackRateLimited_WithoutWaiting_AndSaysWhy(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Host.Fail(new FakeFault(429, FakeJira.Errors(["Rate limit exceeded."]), new Dictionary<string, string> { ["Retry-After"] = "120", ["RateLimit-Reason"] = "jira-quota-based" }, IsSearch));
        using var services = Services();
        var started = TimeProvider.System.GetTimestamp();

        var result = await Client(services, cloud).SearchAsync(jira.Connection, "project = TEAM", null, 10, Ct);

        Assert.Equal(TrackerFailureKind.RateLimited, result.Failure?.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), result.Failure!.RetryAfter);
        Assert.Equal("Rate limit exceeded. (Jira" + (cloud ? " Cloud" : "") + " rate limit: jira-quota-based)", result.Failure.Reason);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A429WithOnlyAnIsoResetDate_WaitsUntilThatDate()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        var reset = DateTimeOffset.UtcNow.AddMinutes(10);
        var header = reset.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture); // as documented: yyyy-MM-ddTHH:mmZ
        jira.Host.Fail(new FakeFault(429, "", new Dictionary<string, string> { ["X-RateLimit-Reset"] = header }, IsSearch));
        using var services = Services();

        var result = await Client(services, cloud: true).SearchAsync(jira.Connection, "project = TEAM", null, 10, Ct);

        Assert.Equal(TrackerFailureKind.RateLimited, result.Failure?.Kind);
        Assert.InRange(result.Failure!.RetryAfter!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.1));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Repeated5xx_IsUnavailable_AfterRetries(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        for (var i = 0; i < 4; i++)
        {
            jira.Host.Fail(new FakeFault(503, /*lang=json,strict*/ """{"message":"Service Unavailable"}""", Matches: IsSearch));
        }

        using var services = Services();

        var result = await Client(services, cloud).SearchAsync(jira.Connection, "project = TEAM", null, 10, Ct);

        Assert.Equal((TrackerFailureKind.Unavailable, "Service Unavailable"), (result.Failure?.Kind, result.Failure?.Reason));
        Assert.Equal(4, jira.Host.Requests.Count(IsSearch));
    }

    [Fact]
    public async Task ANonJsonErrorBody_GivesTheStatus()
    {
        await using var jira = await FakeJira.StartAsync(cloud: false);
        jira.Host.Fail(new FakeFault(404, "<html><body>Not here</body></html>", Matches: IsSearch));
        using var services = Services();

        var result = await Client(services, cloud: false).SearchAsync(jira.Connection, "project = TEAM", null, 10, Ct);

        Assert.Equal((TrackerFailureKind.NotFound, "404 Not Found"), (result.Failure?.Kind, result.Failure?.Reason));
    }

    [Fact]
    public async Task AGatewayErrorShape_GivesItsMessage()
    {
        await using var jira = await FakeJira.StartAsync(cloud: true);
        jira.Host.Fail(new FakeFault(403, /*lang=json,strict*/ """{"code":403,"message":"The app is not installed on this instance"}""", Matches: IsSearch));
        using var services = Services();

        var result = await Client(services, cloud: true).SearchAsync(jira.Connection, "project = TEAM", null, 10, Ct);

        Assert.Equal((TrackerFailureKind.Forbidden, "The app is not installed on this instance"), (result.Failure?.Kind, result.Failure?.Reason));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Actuals_SayWhenEachStoryWasResolved_AndTheTimeLogged_AskingOnlyThoseFieldsInOneSearch(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        var done = jira.Add("TEAM", "Done story", status: "Done");
        done.ResolutionDate = new DateTimeOffset(2026, 11, 20, 16, 30, 5, TimeSpan.FromHours(2));
        done.TimeSpent = 9000;
        var open = jira.Add("TEAM", "Open story");
        open.TimeSpent = 0;
        var resolvedWithoutTime = jira.Add("COMP", "Resolved, nothing logged", status: "Done");
        resolvedWithoutTime.ResolutionDate = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
        using var services = Services();

        var result = await Client(services, cloud).ActualsAsync(jira.Connection, ["TEAM-1", "team-2", "COMP-1"], Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(
            [
                new TrackerActual("TEAM-1", done.ResolutionDate, TimeSpan.FromHours(2.5)),
                new TrackerActual("team-2", null, null), // open, 0 s logged: nothing logged
                new TrackerActual("COMP-1", resolvedWithoutTime.ResolutionDate, null),
            ],
            result.Value!);
        Assert.Equal(done.ResolutionDate!.Value.UtcDateTime, result.Value![0].DoneAt!.Value.UtcDateTime);
        var search = Assert.Single(jira.Host.Requests, IsSearch);
        Assert.Equal(("POST", cloud ? "/rest/api/3/search/jql" : "/rest/api/2/search"), (search.Method, search.PathAndQuery));
        var body = JsonNode.Parse(search.Body)!;
        Assert.Equal("key in (\"TEAM-1\", \"TEAM-2\", \"COMP-1\")", (string?)body["jql"]);
        Assert.Equal(["resolutiondate", "timespent"], body["fields"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(3, (int?)body["maxResults"]);
        Assert.DoesNotContain(jira.Host.Requests, r => r.PathAndQuery.EndsWith("/field", StringComparison.Ordinal)); // no field discovery needed
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Actuals_OfDeletedOrUnknownKeys_LeaveThemOut_AndAskAgainForTheOthers(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 3);
        jira.Issue("TEAM-3").ResolutionDate = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        jira.Delete("TEAM-2");
        using var services = Services();

        var result = await Client(services, cloud).ActualsAsync(jira.Connection, ["TEAM-1", "TEAM-2", "NOPE-7", "TEAM-3", "not a key\") OR (project = X"], Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal([new TrackerActual("TEAM-1", null, null), new TrackerActual("TEAM-3", new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), null)], result.Value!);
        var searches = jira.Host.Requests.Where(IsSearch).Select(r => (string?)JsonNode.Parse(r.Body)!["jql"]).ToList();
        Assert.Equal(["key in (\"TEAM-1\", \"TEAM-2\", \"NOPE-7\", \"TEAM-3\")", "key in (\"TEAM-1\", \"TEAM-3\")"], searches);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Actuals_OfOnlyDeletedKeys_AreNone_AndOfNoKeys_AskNothing(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        jira.Seed("TEAM", 1);
        jira.Delete("TEAM-1");
        using var services = Services();
        var client = Client(services, cloud);

        var deleted = await client.ActualsAsync(jira.Connection, ["TEAM-1"], Ct);
        var none = await client.ActualsAsync(jira.Connection, [], Ct);

        Assert.Equal((true, 0), (deleted.IsSuccess, deleted.Value!.Count));
        Assert.Equal((true, 0), (none.IsSuccess, none.Value!.Count));
        Assert.Single(jira.Host.Requests, IsSearch);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Actuals_WithAWrongToken_AreUnauthorized_AndOfMoreThan50Keys_RefusedBeforeCalling(bool cloud)
    {
        await using var jira = await FakeJira.StartAsync(cloud);
        using var services = Services();
        var client = Client(services, cloud);

        var wrong = await client.ActualsAsync(jira.Connection with { Secret = "wrong-secret-123" }, ["TEAM-1"], Ct);
        Assert.Equal((TrackerFailureKind.Unauthorized, HttpStatusCode.Unauthorized), (wrong.Failure?.Kind, wrong.Failure?.Status));
        Assert.Contains("not authenticated", wrong.Failure!.Reason, StringComparison.Ordinal);

        var requests = jira.Host.Requests.Count;
        var tooMany = await client.ActualsAsync(jira.Connection, [.. Enumerable.Range(1, ITrackerClient.MaxActualKeys + 1).Select(i => $"TEAM-{i}")], Ct);
        Assert.Equal(TrackerFailureKind.Refused, tooMany.Failure?.Kind);
        Assert.Equal(requests, jira.Host.Requests.Count);
    }

    [Fact]
    public async Task Actuals_When50KeysWereDeleted_StillAnswerTheOthers()
    {
        await using var jira = await FakeJira.StartAsync(cloud: false);
        jira.Seed("TEAM", 50);
        for (var i = 1; i < 50; i++)
        {
            jira.Delete($"TEAM-{i}");
        }

        using var services = Services();

        var result = await Client(services, cloud: false).ActualsAsync(jira.Connection, [.. Enumerable.Range(1, 50).Select(i => $"TEAM-{i}")], Ct);

        // Jira's reason is kept to 500 characters, so the deleted keys are dropped over a few searches.
        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal("TEAM-50", Assert.Single(result.Value!).Key);
    }

    private static bool IsSearch(FakeRequest r) => r.PathAndQuery.Contains("/search", StringComparison.Ordinal);

    private static ServiceProvider Services() => new ServiceCollection().AddLogging().AddTrackerClients().BuildServiceProvider();

    private static ITrackerClient Client(ServiceProvider services, bool cloud) =>
        services.GetRequiredService<TrackerClients>().For(cloud ? TrackerKind.JiraCloud : TrackerKind.JiraDataCenter);

    private const string NestedAdf = """
        {"type":"doc","version":1,"content":[
          {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Goal"}]},
          {"type":"paragraph","content":[
            {"type":"text","text":"Ask "},{"type":"mention","attrs":{"id":"5b10","text":"@Grace"}},
            {"type":"text","text":" about "},{"type":"text","text":"the spec","marks":[{"type":"link","attrs":{"href":"https://wiki.example.com/spec"}}]},
            {"type":"emoji","attrs":{"shortName":":smile:","text":"😄"}},{"type":"hardBreak"},{"type":"text","text":"second line"}]},
          {"type":"bulletList","content":[
            {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]},
              {"type":"orderedList","content":[
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"first"}]}]},
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"second"}]}]}]}]},
            {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"inlineCard","attrs":{"url":"https://acme.atlassian.net/browse/PAY-1"}}]}]}]},
          {"type":"codeBlock","attrs":{"language":"js"},"content":[{"type":"text","text":"let x = 1;\nlet y = 2;"}]},
          {"type":"table","content":[
            {"type":"tableRow","content":[{"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"a"}]}]},{"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"b"}]}]}]},
            {"type":"tableRow","content":[{"type":"tableCell","content":[{"type":"paragraph","content":[{"type":"text","text":"1"}]}]},{"type":"tableCell","content":[{"type":"paragraph","content":[{"type":"text","text":"2"}]}]}]}]},
          {"type":"fancyNewThing","content":[{"type":"text","text":"still read"}]},
          {"type":"mediaSingle","content":[{"type":"media","attrs":{"id":"x"}}]}
        ]}
        """;

    private const string NestedAdfText = "Goal\nAsk @Grace about the spec (https://wiki.example.com/spec)😄\nsecond line\n- one\n  1. first\n  2. second\n- https://acme.atlassian.net/browse/PAY-1\nlet x = 1;\nlet y = 2;\na | b\n1 | 2\nstill read";
}
