using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// The Azure DevOps client against a fake that checks what the service checks (Basic with an empty user, api-version,
/// JSON Patch's content type, 200 ids a batch), through the container's client and its resilience pipeline.
/// </summary>
public sealed class AzureDevOpsClientTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private FakeAzureDevOps _ado = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ITrackerClient Client => _services.GetRequiredService<TrackerClients>().For(TrackerKind.AzureDevOps);

    public async ValueTask InitializeAsync()
    {
        _services = new ServiceCollection().AddLogging().AddTrackerClients().BuildServiceProvider();
        _ado = await FakeAzureDevOps.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _ado.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Search_PagesThroughTheWiqlIds_AndMapsEachWorkItem()
    {
        var ids = _ado.Seed(120);
        _ado.Add("Closed one", state: "Closed");

        var keys = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var result = await Client.SearchAsync(_ado.Connection, "", next, 50, Ct);
            Assert.True(result.IsSuccess, result.Failure?.Reason);
            Assert.Equal(120, result.Value!.Total);
            keys.AddRange(result.Value.Issues.Select(i => i.Key));
            next = result.Value.Next;
            pages++;
        }
        while (next is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)), keys);

        var first = (await Client.SearchAsync(_ado.Connection, "", null, 5, Ct)).Value!.Issues[0];
        Assert.Equal(("Story 1", "User Story", "New", "1"), (first.Title, first.Type, first.Status, first.Estimate));
        Assert.Equal("As a user, I want story 1 & more.\n• first\n• second", first.Description);
        Assert.Equal(new Uri(_ado.BaseUrl + $"/Fabrikam%20Fiber/_workitems/edit/{ids[0]}"), first.Link);

        var batches = _ado.Host.Requests.Where(r => r.PathAndQuery.Contains("/_apis/wit/workitemsbatch", StringComparison.Ordinal)).ToList();
        Assert.All(batches, r => Assert.True(JsonNode.Parse(r.Body)!["ids"]!.AsArray().Count <= 50));
        Assert.Contains("\"errorPolicy\":\"Omit\"", batches[0].Body, StringComparison.Ordinal);
        Assert.Contains("Microsoft.VSTS.Scheduling.StoryPoints", batches[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_SendsAWiqlOfTheWords_WithQuotesDoubled_BasicAuthAndTheApiVersion()
    {
        _ado.Add("Pay with O'Brien's card");
        _ado.Add("Pay by cash");

        var result = await Client.SearchAsync(_ado.Connection, "  O'Brien's   card ", null, 10, Ct);

        Assert.Equal(["Pay with O'Brien's card"], result.Value!.Issues.Select(i => i.Title));
        var wiql = _ado.Host.Requests.First(r => r.PathAndQuery.Contains("/_apis/wit/wiql", StringComparison.Ordinal));
        Assert.Equal("POST", wiql.Method);
        Assert.Equal("/acme/Fabrikam%20Fiber/_apis/wit/wiql?api-version=7.1&$top=20000", wiql.PathAndQuery);
        Assert.Equal(_ado.ExpectedAuthorization, wiql.Header("Authorization"));
        var query = JsonNode.Parse(wiql.Body)!["query"]!.GetValue<string>();
        Assert.Contains("[System.Title] CONTAINS 'O''Brien''s' AND [System.Title] CONTAINS 'card'", query, StringComparison.Ordinal);
        Assert.Contains("[System.State] NOT IN ('Closed', 'Removed', 'Done')", query, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY [Microsoft.VSTS.Common.StackRank] ASC, [System.Id] ASC", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_PassesAWiqlQueryAsTyped()
    {
        _ado.Add("Closed", state: "Closed");
        const string Typed = "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project";

        var result = await Client.SearchAsync(_ado.Connection, Typed, null, 10, Ct);

        Assert.Equal(["Closed"], result.Value!.Issues.Select(i => i.Title));
        Assert.Equal(Typed, JsonNode.Parse(_ado.Host.Requests.First(r => r.Method == "POST").Body)!["query"]!.GetValue<string>());
    }

    [Fact]
    public async Task Check_SaysWhoTheTokenIs_AndDiscoversTheProcessesEstimateField()
    {
        var check = await Client.CheckAsync(_ado.Connection, Ct);

        Assert.True(check.IsSuccess, check.Failure?.Reason);
        Assert.Equal(("Ada Lovelace", true), (check.Value!.Account, check.Value.CanRead));
        Assert.Null(check.Value.CanWrite);
        Assert.Equal("Story Points (Microsoft.VSTS.Scheduling.StoryPoints) on User Story", check.Value.EstimateField);
    }

    [Fact]
    public async Task Check_OfAScrumProject_FindsEffortOnTheProductBacklogItem()
    {
        await using var scrum = await FakeAzureDevOps.StartAsync(process: "Scrum");

        var check = await Client.CheckAsync(scrum.Connection, Ct);

        Assert.Equal("Effort (Microsoft.VSTS.Scheduling.Effort) on Product Backlog Item", check.Value!.EstimateField);
        Assert.Contains(scrum.Host.Requests, r => r.PathAndQuery.StartsWith("/acme/Fabrikam%20Fiber/_apis/wit/workitemtypes/User%20Story/fields?api-version=7.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_OfAMissingProject_CannotRead()
    {
        var check = await Client.CheckAsync(_ado.Connection with { Scope = "Nope" }, Ct);

        Assert.False(check.Value!.CanRead);
        Assert.Contains(check.Value.Notes, n => n.Contains("TF200016", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_PatchesTheTypesField_AsJsonPatch_Idempotently()
    {
        var id = _ado.Add("Login", estimate: 2);
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var first = await Client.WriteEstimateAsync(_ado.Connection, key, new EstimateToWrite("5", 5), Ct);
        var second = await Client.WriteEstimateAsync(_ado.Connection, key, new EstimateToWrite("5", 5), Ct);

        Assert.True(first.IsSuccess, first.Failure?.Reason);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal("Story Points", first.Value!.Field);
        Assert.Equal(new Uri(_ado.BaseUrl + $"/Fabrikam%20Fiber/_workitems/edit/{id}"), first.Value.Link);
        Assert.Equal(5, _ado.Number(id, "Microsoft.VSTS.Scheduling.StoryPoints"));
        Assert.Equal(2, _ado.WritesTo(key));
        var patch = _ado.Host.Requests.Last(r => r.Method == "PATCH");
        Assert.Equal($"/acme/Fabrikam%20Fiber/_apis/wit/workitems/{id}?api-version=7.1", patch.PathAndQuery);
        Assert.Equal("application/json-patch+json", patch.Header("Content-Type"));
        Assert.Equal(/*lang=json,strict*/ """[{"op":"add","path":"/fields/Microsoft.VSTS.Scheduling.StoryPoints","value":5}]""", patch.Body);
        Assert.Single(_ado.Host.Requests, r => r.PathAndQuery.Contains("/workitemtypes/", StringComparison.Ordinal)); // the type's field is found once
    }

    [Fact]
    public async Task Write_ToTheChosenField_WritesHalves()
    {
        var id = _ado.Add("Login");

        var done = await Client.WriteEstimateAsync(_ado.Connection with { EstimateField = "Microsoft.VSTS.Scheduling.StoryPoints" }, $"{id}", new EstimateToWrite("½", 0.5m), Ct);

        Assert.True(done.IsSuccess, done.Failure?.Reason);
        Assert.Equal(0.5, _ado.Number(id, "Microsoft.VSTS.Scheduling.StoryPoints"));
        Assert.DoesNotContain(_ado.Host.Requests, r => r.Method == "GET");
    }

    [Theory]
    [InlineData("?", null, "no number of points")]
    [InlineData("-1", -1, "less than 0")]
    public async Task Write_RefusesWhatAFieldCannotHold_BeforeCalling(string card, int? points, string reason)
    {
        var id = _ado.Add("Login");

        var result = await Client.WriteEstimateAsync(_ado.Connection, $"{id}", new EstimateToWrite(card, points), Ct);

        Assert.Equal(TrackerFailureKind.CannotHold, result.Failure!.Kind);
        Assert.Contains(reason, result.Failure.Reason, StringComparison.Ordinal);
        Assert.Empty(_ado.Host.Requests);
    }

    [Fact]
    public async Task Write_ToATypeWithoutAnEstimateField_CannotHold()
    {
        var id = _ado.Add("Do it", type: "Task");

        var result = await Client.WriteEstimateAsync(_ado.Connection, $"{id}", new EstimateToWrite("3", 3), Ct);

        Assert.Equal(TrackerFailureKind.CannotHold, result.Failure!.Kind);
        Assert.Contains("Task", result.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_ado.Host.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Write_ToAMissingWorkItem_IsNotFound_WithTheServicesMessage()
    {
        var result = await Client.WriteEstimateAsync(_ado.Connection, "4711", new EstimateToWrite("3", 3), Ct);

        Assert.Equal((TrackerFailureKind.NotFound, HttpStatusCode.NotFound), (result.Failure!.Kind, result.Failure.Status));
        Assert.StartsWith("TF401232: Work item 4711 does not exist", result.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPat_IsUnauthorized_WithoutTheSecretInTheReason()
    {
        var result = await Client.SearchAsync(_ado.Connection with { Secret = "wrong-pat-value" }, "", null, 10, Ct);

        Assert.Equal(TrackerFailureKind.Unauthorized, result.Failure!.Kind);
        Assert.Contains("TF400813", result.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pat-value", result.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_ado.Pat, result.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignInPageIn203_IsUnauthorized()
    {
        _ado.SignInPageForWrongToken = true;

        var result = await Client.CheckAsync(_ado.Connection with { Secret = "expired" }, Ct);

        Assert.Equal((TrackerFailureKind.Unauthorized, HttpStatusCode.NonAuthoritativeInformation), (result.Failure!.Kind, result.Failure.Status));
        Assert.Contains("sign-in page", result.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DelayedMode_200WithRetryAfter_IsASuccess()
    {
        _ado.Seed(3);
        _ado.DelayedModeRetryAfter = 30;

        var result = await Client.SearchAsync(_ado.Connection, "", null, 10, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(3, result.Value!.Issues.Count);
    }

    [Theory]
    [InlineData(403, TrackerFailureKind.Forbidden, "TF401027: You need the Git 'GenericRead' permission to perform this action.")]
    [InlineData(409, TrackerFailureKind.Conflict, "TF26071: This work item has been changed by someone else since you opened it.")]
    [InlineData(400, TrackerFailureKind.Refused, "VS402337: The number of work items returned exceeds the size limit of 20000.")]
    public async Task Failures_CarryTheServicesMessage(int status, TrackerFailureKind kind, string message)
    {
        _ado.Host.Fail(new FakeFault(status, FakeAzureDevOps.Error(message)));

        var result = await Client.SearchAsync(_ado.Connection, "", null, 10, Ct);

        Assert.Equal((kind, message), (result.Failure!.Kind, result.Failure.Reason));
    }

    [Fact]
    public async Task Blocked_WithAShortRetryAfter_IsRetriedInline()
    {
        _ado.Seed(2);
        _ado.Host.Fail(new FakeFault(429, FakeAzureDevOps.Error("TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'WorkItemTracking'."), new Dictionary<string, string> { ["Retry-After"] = "1" }));

        var result = await Client.SearchAsync(_ado.Connection, "", null, 10, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(2, result.Value!.Issues.Count);
    }

    [Fact]
    public async Task Blocked_WithALongRetryAfter_IsRateLimited_WithoutWaiting()
    {
        _ado.Host.Fail(new FakeFault(429, FakeAzureDevOps.Error("TF400733: The request has been canceled: Request was blocked."), new Dictionary<string, string> { ["Retry-After"] = "120" }));

        var result = await Client.WriteEstimateAsync(_ado.Connection with { EstimateField = "Microsoft.VSTS.Scheduling.StoryPoints" }, "101", new EstimateToWrite("3", 3), Ct);

        Assert.Equal(TrackerFailureKind.RateLimited, result.Failure!.Kind);
        Assert.InRange(result.Failure.RetryAfter!.Value, TimeSpan.FromSeconds(115), TimeSpan.FromSeconds(120));
        Assert.StartsWith("TF400733", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Single(_ado.Host.Requests);
    }

    [Fact]
    public async Task Actuals_ReadClosedDateAndCompletedWork_InOneBatch_LeavingOutWhatIsNotThere()
    {
        var ids = _ado.Seed(4);
        var closedAt = new DateTimeOffset(2026, 11, 20, 16, 30, 5, 120, TimeSpan.Zero);
        _ado.Close(ids[0], closedAt);
        _ado.LogWork(ids[0], 2.5);
        _ado.LogWork(ids[1], 0); // open, nothing logged
        _ado.Close(ids[2], closedAt.AddDays(1), state: "Done"); // closed, no time logged
        _ado.Delete(ids[3]);
        string[] keys = [$"{ids[0]}", $" {ids[1]} ", $"{ids[2]}", $"{ids[3]}", "PAY-12", "999999"];

        var result = await Client.ActualsAsync(_ado.Connection, keys, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(
            [
                new TrackerActual($"{ids[0]}", closedAt, TimeSpan.FromHours(2.5)),
                new TrackerActual($"{ids[1]}", null, null),
                new TrackerActual($"{ids[2]}", closedAt.AddDays(1), null),
            ],
            result.Value!);
        var batch = Assert.Single(_ado.Host.Requests);
        Assert.Equal(("POST", "/acme/Fabrikam%20Fiber/_apis/wit/workitemsbatch?api-version=7.1"), (batch.Method, batch.PathAndQuery));
        var body = JsonNode.Parse(batch.Body)!;
        Assert.Equal([ids[0], ids[1], ids[2], ids[3], 999999], body["ids"]!.AsArray().Select(n => (int)n!));
        Assert.Equal(["Microsoft.VSTS.Common.ClosedDate", "Microsoft.VSTS.Scheduling.CompletedWork"], body["fields"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("Omit", (string?)body["errorPolicy"]);
    }

    [Fact]
    public async Task Actuals_WithAWrongPat_AreUnauthorized_AndOfNoIdsOrTooManyKeys_CallNothing()
    {
        var wrong = await Client.ActualsAsync(_ado.Connection with { Secret = "wrong-pat-value" }, ["1"], Ct);
        Assert.Equal(TrackerFailureKind.Unauthorized, wrong.Failure?.Kind);
        Assert.DoesNotContain("wrong-pat-value", wrong.Failure!.Reason, StringComparison.Ordinal);
        var sent = _ado.Host.Requests.Count;

        var none = await Client.ActualsAsync(_ado.Connection, ["PAY-1", "0"], Ct);
        var tooMany = await Client.ActualsAsync(_ado.Connection, [.. Enumerable.Range(1, ITrackerClient.MaxActualKeys + 1).Select(i => $"{i}")], Ct);

        Assert.Equal((true, 0), (none.IsSuccess, none.Value!.Count));
        Assert.Equal(TrackerFailureKind.Refused, tooMany.Failure?.Kind);
        Assert.Equal(sent, _ado.Host.Requests.Count);
    }

    [Fact]
    public async Task RepeatedServerErrors_AreUnavailable_AndANonJsonBodyGivesTheStatus()
    {
        for (var i = 0; i < 4; i++)
        {
            _ado.Host.Fail(new FakeFault(503, "<html><body>Service Unavailable</body></html>"));
        }

        var result = await Client.SearchAsync(_ado.Connection, "", null, 10, Ct);

        Assert.Equal(TrackerFailureKind.Unavailable, result.Failure!.Kind);
        Assert.StartsWith("503", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(4, _ado.Host.Requests.Count);
    }
}
