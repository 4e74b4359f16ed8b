using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// The Linear client against a fake Linear GraphQL endpoint, through the trackers' real <see cref="HttpClient"/> and its
/// resilience pipeline: the team's open issues paged by cursor, queries as GraphQL variables, the check with the team's
/// scale, the estimate written with <c>issueUpdate</c> when the scale holds it, and Linear's failures.
/// </summary>
public sealed class LinearClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_PagesThroughTheTeamsOpenIssues_ByCursor_WithKeysLinksAndEstimates()
    {
        await using var fake = await FakeLinear.StartAsync();
        fake.Seed(120);
        fake.Add("Shipped", stateType: "completed");
        fake.Add("Dropped", stateType: "canceled");
        fake.Add("Other team's", team: "OPS");
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
        Assert.All(pages, p => Assert.Null(p.Total));
        var all = pages.SelectMany(p => p.Issues).ToList();
        Assert.Equal(Enumerable.Range(1, 120).Select(n => $"ENG-{n}"), all.Select(i => i.Key));
        var story = all[2];
        Assert.Equal(("Story 3", "Description of **story 3**", new Uri("https://linear.app/acme/issue/ENG-3/story-3"), "Todo", "2", null),
            (story.Title, story.Description, story.Link, story.Status, story.Estimate, story.Type));
        Assert.Null(all[1].Estimate);

        var requests = fake.Host.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(("POST", "/graphql", FakeLinear.ApiKey), (r.Method, r.PathAndQuery, r.Header("Authorization"))));
        Assert.StartsWith("application/json", requests[0].Header("Content-Type"), StringComparison.Ordinal);
        var first = Variables(requests[0]);
        Assert.Equal(50, first.GetProperty("first").GetInt32());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("after").ValueKind);
        Assert.Equal(/*lang=json,strict*/ """{"team":{"key":{"eq":"ENG"}},"state":{"type":{"nin":["completed","canceled"]}}}""", first.GetProperty("filter").GetRawText());
        Assert.Equal(fake.Issue("ENG-50").Id, Variables(requests[1]).GetProperty("after").GetString());
    }

    [Theory]
    [InlineData("cycle:current login", /*lang=json,strict*/ """{"cycle":{"isActive":{"eq":true}},"and":[{"title":{"containsIgnoreCase":"login"}}]}""")]
    [InlineData("cycle:4", /*lang=json,strict*/ """{"cycle":{"number":{"eq":4}}}""")]
    [InlineData("\"}) { viewer { id } } refund", /*lang=json,strict*/ """{"and":[{"title":{"containsIgnoreCase":"\"})"}},{"title":{"containsIgnoreCase":"{"}},{"title":{"containsIgnoreCase":"viewer"}},{"title":{"containsIgnoreCase":"{"}},{"title":{"containsIgnoreCase":"id"}},{"title":{"containsIgnoreCase":"}"}},{"title":{"containsIgnoreCase":"}"}},{"title":{"containsIgnoreCase":"refund"}}]}""")]
    public async Task Search_TranslatesTheQuery_IntoFilterVariables_NeverIntoTheQueryText(string query, string expectedExtra)
    {
        await using var fake = await FakeLinear.StartAsync();
        await using var provider = Provider();

        var result = await Client(provider).SearchAsync(fake.Connection, query, null, 0, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        var request = fake.Host.Requests.Single();
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.DoesNotContain("login", body.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("refund", body.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, body.GetProperty("variables").GetProperty("first").GetInt32());
        var filter = JsonDocument.Parse(body.GetProperty("variables").GetProperty("filter").GetRawText()).RootElement;
        var extra = filter.EnumerateObject().Where(p => p.Name is not ("team" or "state")).ToDictionary(p => p.Name, p => JsonSerializer.Serialize(p.Value));
        var expected = JsonDocument.Parse(expectedExtra).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => JsonSerializer.Serialize(p.Value));
        Assert.Equal(expected, extra);
    }

    [Fact]
    public async Task Search_FindsTheActiveCyclesIssuesWithTheWords()
    {
        await using var fake = await FakeLinear.StartAsync();
        fake.Add("Login page", cycle: FakeLinear.ActiveCycle);
        fake.Add("Login API", cycle: 6);
        fake.Add("Refunds", cycle: FakeLinear.ActiveCycle);
        await using var provider = Provider();

        var result = await Client(provider).SearchAsync(fake.Connection, "cycle:current LOGIN", null, 50, Ct);

        Assert.Equal(["ENG-1"], result.Value!.Issues.Select(i => i.Key));
        Assert.Null(result.Value.Next);
    }

    [Fact]
    public async Task Check_SaysWhoTheKeyIs_AndTheTeamsScale()
    {
        await using var fake = await FakeLinear.StartAsync("fibonacci", allowZero: true);
        await using var provider = Provider();

        var result = await Client(provider).CheckAsync(fake.Connection, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        var check = result.Value!;
        Assert.Equal(("lin@acme.test", true, null, "estimate (fibonacci)"), (check.Account, check.CanRead, check.CanWrite, check.EstimateField));
        Assert.Contains("team ENG estimates on the fibonacci scale: 0, 1, 2, 3, 5, 8", check.Notes);
        Assert.Equal("ENG", Variables(fake.Host.Requests.Single()).GetProperty("team").GetString());
    }

    [Fact]
    public async Task Check_ATeamThatDoesNotEstimate_OrAnUnknownTeam_IsSaid()
    {
        await using var fake = await FakeLinear.StartAsync("notUsed");
        await using var provider = Provider();

        var notUsed = (await Client(provider).CheckAsync(fake.Connection, Ct)).Value!;
        var unknown = (await Client(provider).CheckAsync(fake.Connection with { Scope = "XYZ" }, Ct)).Value!;

        Assert.Equal((true, false, null), (notUsed.CanRead, notUsed.CanWrite, notUsed.EstimateField));
        Assert.Contains(notUsed.Notes, n => n.Contains("does not use estimates", StringComparison.Ordinal));
        Assert.False(unknown.CanRead);
        Assert.Contains("no team with the key XYZ is visible to this key", unknown.Notes);
    }

    [Fact]
    public async Task Write_SetsTheEstimate_AndTwiceLeavesTheSameValue()
    {
        await using var fake = await FakeLinear.StartAsync();
        fake.Seed(3);
        await using var provider = Provider();
        var client = Client(provider);

        var first = await client.WriteEstimateAsync(fake.Connection, "ENG-2", new EstimateToWrite("5", 5m), Ct);
        var second = await client.WriteEstimateAsync(fake.Connection, "ENG-2", new EstimateToWrite("5", 5m), Ct);

        Assert.True(first.IsSuccess, first.Failure?.Reason);
        Assert.Equal(new WriteBackDone(new Uri("https://linear.app/acme/issue/ENG-2/story-2"), "estimate"), first.Value);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(5d, fake.Issue("ENG-2").Estimate);
        Assert.Equal(2, fake.WritesTo("ENG-2"));
        var update = JsonDocument.Parse(fake.Host.Requests[^1].Body).RootElement;
        Assert.Contains("issueUpdate(", update.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Equal((fake.Issue("ENG-2").Id, 5), (update.GetProperty("variables").GetProperty("id").GetString(), update.GetProperty("variables").GetProperty("estimate").GetInt32()));
    }

    [Theory]
    [InlineData("exponential", false, false, 16, true)]
    [InlineData("exponential", false, false, 3, false)]
    [InlineData("exponential", false, true, 64, true)]
    [InlineData("fibonacci", false, false, 13, false)]
    [InlineData("fibonacci", false, true, 21, true)]
    [InlineData("fibonacci", false, false, 0, false)]
    [InlineData("fibonacci", true, false, 0, true)]
    [InlineData("linear", false, false, 5, true)]
    [InlineData("linear", false, false, 6, false)]
    [InlineData("linear", false, true, 7, true)]
    [InlineData("tShirt", false, false, 8, true)]
    [InlineData("tShirt", false, false, 4, false)]
    [InlineData("notUsed", true, true, 1, false)]
    public async Task Write_FollowsTheTeamsScale_RefusingOffScaleValuesBeforeWriting(string type, bool allowZero, bool extended, int points, bool holds)
    {
        await using var fake = await FakeLinear.StartAsync(type, allowZero, extended);
        fake.Add("Login");
        await using var provider = Provider();

        var result = await Client(provider).WriteEstimateAsync(fake.Connection, "ENG-1", new EstimateToWrite(points.ToString(CultureInfo.InvariantCulture), points), Ct);

        Assert.Equal(holds, result.IsSuccess);
        Assert.Equal(holds ? 1 : 0, fake.WritesTo("ENG-1"));
        if (!holds)
        {
            Assert.Equal(TrackerFailureKind.CannotHold, result.Failure!.Kind);
            Assert.Contains(type == "notUsed" ? "does not use estimates" : $"{type} scale holds", result.Failure.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(fake.Host.Requests, r => r.Body.Contains("issueUpdate", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Write_RefusesCardsWithoutPoints_AndFractions_BeforeCalling()
    {
        await using var fake = await FakeLinear.StartAsync();
        fake.Add("Login");
        await using var provider = Provider();
        var client = Client(provider);

        var none = await client.WriteEstimateAsync(fake.Connection, "ENG-1", new EstimateToWrite("☕", null), Ct);
        var half = await client.WriteEstimateAsync(fake.Connection, "ENG-1", new EstimateToWrite("½", 0.5m), Ct);

        Assert.Equal(TrackerFailureKind.CannotHold, none.Failure!.Kind);
        Assert.Equal((TrackerFailureKind.CannotHold, "Linear's estimate is a whole number of points: 0.5 cannot be written"), (half.Failure!.Kind, half.Failure.Reason));
        Assert.Empty(fake.Host.Requests);
    }

    [Fact]
    public async Task Failures_AWrongKey_IsUnauthorized_WithLinearsMessage_AndNeverTheKey()
    {
        await using var fake = await FakeLinear.StartAsync();
        await using var provider = Provider();
        var wrong = fake.Connection with { Secret = "lin_api_WrongSecretValue987654321" };

        var search = await Client(provider).SearchAsync(wrong, "", null, 10, Ct);
        fake.Host.Fail(new FakeFault(401, /*lang=json,strict*/ """{"message":"Unauthorized"}"""));
        var plain401 = await Client(provider).CheckAsync(fake.Connection, Ct);

        Assert.Equal((TrackerFailureKind.Unauthorized, "You need to authenticate to access this operation."), (search.Failure!.Kind, search.Failure.Reason));
        Assert.DoesNotContain("WrongSecret", search.Failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(TrackerFailureKind.Unauthorized, plain401.Failure!.Kind);
    }

    [Fact]
    public async Task Failures_GraphQLErrors_AreMappedByTheirCode()
    {
        await using var fake = await FakeLinear.StartAsync();
        fake.Add("Login");
        fake.Host.Fail(new FakeFault(200, /*lang=json,strict*/ """{"data":null,"errors":[{"message":"Forbidden","extensions":{"code":"FORBIDDEN","userPresentableMessage":"You don't have access to this team."}}]}"""));
        fake.Host.Fail(new FakeFault(400, /*lang=json,strict*/ """{"errors":[{"message":"Argument Validation Error","extensions":{"code":"INVALID_INPUT","userPresentableMessage":"Estimate is not valid for this team."}}]}"""));
        await using var provider = Provider();
        var client = Client(provider);

        var forbidden = await client.SearchAsync(fake.Connection, "", null, 10, Ct);
        var invalid = await client.WriteEstimateAsync(fake.Connection, "ENG-1", new EstimateToWrite("5", 5m), Ct);
        var missing = await client.WriteEstimateAsync(fake.Connection, "ENG-999", new EstimateToWrite("5", 5m), Ct);

        Assert.Equal((TrackerFailureKind.Forbidden, "You don't have access to this team."), (forbidden.Failure!.Kind, forbidden.Failure.Reason));
        Assert.Equal((TrackerFailureKind.Refused, "Estimate is not valid for this team.", HttpStatusCode.BadRequest), (invalid.Failure!.Kind, invalid.Failure.Reason, invalid.Failure.Status));
        Assert.Equal((TrackerFailureKind.NotFound, "Could not find referenced Issue."), (missing.Failure!.Kind, missing.Failure.Reason));
        Assert.Equal(0, fake.WritesTo("ENG-1"));
    }

    [Fact]
    public async Task Failures_RateLimited_ComesBackWithTheResetOfTheRequestBudget()
    {
        await using var fake = await FakeLinear.StartAsync();
        var reset = DateTimeOffset.UtcNow.AddSeconds(120).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        fake.Host.Fail(new FakeFault(400, /*lang=json,strict*/ """{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED","userPresentableMessage":"Too many requests. Please try again later."}}]}""",
            new Dictionary<string, string> { ["X-RateLimit-Requests-Remaining"] = "0", ["X-RateLimit-Requests-Reset"] = reset }));
        await using var provider = Provider();

        var result = await Client(provider).SearchAsync(fake.Connection, "", null, 10, Ct);

        Assert.Equal((TrackerFailureKind.RateLimited, "Too many requests. Please try again later."), (result.Failure!.Kind, result.Failure.Reason));
        Assert.InRange(result.Failure.RetryAfter!.Value.TotalSeconds, 100, 121);
        Assert.Single(fake.Host.Requests);
    }

    [Fact]
    public async Task Failures_AShortRetryAfter_IsWaitedInline_ALongOneComesBack()
    {
        await using var fake = await FakeLinear.StartAsync();
        fake.Seed(2);
        const string limited = /*lang=json,strict*/ """{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED"}}]}""";
        fake.Host.Fail(new FakeFault(429, limited, new Dictionary<string, string> { ["Retry-After"] = "1" }));
        await using var provider = Provider();
        var client = Client(provider);

        var retried = await client.SearchAsync(fake.Connection, "", null, 10, Ct);
        fake.Host.Fail(new FakeFault(429, limited, new Dictionary<string, string> { ["Retry-After"] = "120" }));
        var waiting = await client.SearchAsync(fake.Connection, "", null, 10, Ct);

        Assert.Equal(2, retried.Value!.Issues.Count);
        Assert.Equal((TrackerFailureKind.RateLimited, "Rate limit exceeded", TimeSpan.FromSeconds(120)), (waiting.Failure!.Kind, waiting.Failure.Reason, waiting.Failure.RetryAfter));
        Assert.Equal(3, fake.Host.Requests.Count);
    }

    [Fact]
    public async Task Failures_ServerErrorsAndHtml_AreUnavailable()
    {
        await using var fake = await FakeLinear.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            fake.Host.Fail(new FakeFault(500, /*lang=json,strict*/ """{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"""));
        }

        for (var i = 0; i < 4; i++)
        {
            fake.Host.Fail(new FakeFault(502, "<html><body>Bad gateway</body></html>"));
        }

        await using var provider = Provider();
        var client = Client(provider);

        var down = await client.SearchAsync(fake.Connection, "", null, 10, Ct);
        var html = await client.CheckAsync(fake.Connection, Ct);

        Assert.Equal((TrackerFailureKind.Unavailable, "Internal server error"), (down.Failure!.Kind, down.Failure.Reason));
        Assert.Equal((TrackerFailureKind.Unavailable, "502 Bad Gateway"), (html.Failure!.Kind, html.Failure.Reason));
        Assert.Equal(8, fake.Host.Requests.Count);
    }

    [Fact]
    public async Task Actuals_SayWhenAnIssueWasCompleted_NeverWhenCanceled_InOneQueryByTeamAndNumber_ArchivedIncluded()
    {
        await using var fake = await FakeLinear.StartAsync();
        var completedAt = new DateTimeOffset(2026, 11, 20, 16, 30, 5, 120, TimeSpan.Zero);
        var done = fake.Add("Shipped", stateType: "completed");
        done.CompletedAt = completedAt;
        done.Archived = true; // Linear archives done issues after a while
        var open = fake.Add("Open");
        var dropped = fake.Add("Dropped", stateType: "canceled");
        dropped.CanceledAt = completedAt;
        var gone = fake.Add("Deleted");
        gone.Deleted = true;
        var ops = fake.Add("Other team's", stateType: "completed", team: "OPS");
        ops.CompletedAt = completedAt.AddDays(1);
        await using var provider = Provider();
        string[] keys = [done.Identifier, "eng-2", dropped.Identifier, gone.Identifier, "ENG-99", ops.Identifier, "not a key", "ENG-x"];

        var result = await Client(provider).ActualsAsync(fake.Connection, keys, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(
            [
                new TrackerActual("ENG-1", completedAt, null),
                new TrackerActual("eng-2", null, null),
                new TrackerActual("ENG-3", null, null), // canceled: not done
                new TrackerActual("OPS-1", completedAt.AddDays(1), null),
            ],
            result.Value!);
        var request = Assert.Single(fake.Host.Requests);
        Assert.Contains("includeArchived: true", JsonDocument.Parse(request.Body).RootElement.GetProperty("query").GetString(), StringComparison.Ordinal);
        var variables = Variables(request);
        Assert.Equal(6, variables.GetProperty("first").GetInt32());
        Assert.Equal(
            /*lang=json,strict*/ """{"or":[{"team":{"key":{"eq":"ENG"}},"number":{"in":[1,2,3,4,99]}},{"team":{"key":{"eq":"OPS"}},"number":{"in":[1]}}]}""",
            variables.GetProperty("filter").GetRawText());
    }

    [Fact]
    public async Task Actuals_WithAWrongKey_AreUnauthorized_AndOfTooManyKeys_RefusedBeforeCalling()
    {
        await using var fake = await FakeLinear.StartAsync();
        await using var provider = Provider();
        var client = Client(provider);

        var wrong = await client.ActualsAsync(fake.Connection with { Secret = "lin_api_WrongSecretValue987654321" }, ["ENG-1"], Ct);
        var tooMany = await client.ActualsAsync(fake.Connection, [.. Enumerable.Range(1, ITrackerClient.MaxActualKeys + 1).Select(i => $"ENG-{i}")], Ct);

        Assert.Equal(TrackerFailureKind.Unauthorized, wrong.Failure?.Kind);
        Assert.Equal(TrackerFailureKind.Refused, tooMany.Failure?.Kind);
        Assert.Single(fake.Host.Requests);
    }

    private static JsonElement Variables(FakeRequest request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("variables");

    private static ServiceProvider Provider() => new ServiceCollection().AddLogging().AddTrackerClients().BuildServiceProvider();

    private static ITrackerClient Client(ServiceProvider provider) => provider.GetRequiredService<TrackerClients>().For(TrackerKind.Linear);
}
