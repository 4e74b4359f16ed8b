using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Teams;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// A team's tracker connections on a real Kestrel against a fake GitLab (and Jira) on loopback: made, listed without
/// their secret, tested, searched, imported from into a team room, changed and deleted; who may do what; and what a
/// bad request or a tracker's refusal answers. Every test makes its own organisation, team, rooms and fake tracker.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TrackerConnectionsApiTests(PokerApp app)
{
    [Fact]
    public async Task AConnection_IsListedWithoutItsSecret_Checks_Searches_AndImportsIntoATeamRoom_Once()
    {
        await using var gitlab = await FakeGitLab.StartAsync(token: "glpat-" + Guid.NewGuid().ToString("N"));
        gitlab.Seed(30);
        await using var acme = await Acme.MakeAsync(app);
        var http = acme.Owner.Http;

        var made = await Read<TrackerConnectionDto>(await http.PostAsJsonAsync(acme.TrackersPath, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        Assert.Equal(("GitLab", "GitLab – Web", gitlab.ProjectPath, true), (made.Kind, made.Name, made.Scope, made.HasSecret));

        var listed = await http.GetAsync(acme.TrackersPath, Cancel);
        var text = await listed.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.DoesNotContain(gitlab.Token, text, StringComparison.Ordinal);
        var connection = Assert.Single(JsonSerializer.Deserialize<TrackerConnectionDto[]>(text, JsonSerializerOptions.Web)!);
        Assert.Equal((made.Id, gitlab.Host.BaseUrl.ToString(), 3m), (connection.Id, connection.BaseUrl, connection.Points!["M"]));

        var check = await Read<TrackerCheckDto>(await http.PostAsync($"{acme.TrackersPath}/{made.Id}/check", null, Cancel));
        Assert.True(check.CanRead);
        Assert.Contains("ada", check.Account, StringComparison.OrdinalIgnoreCase);

        var page = await Read<TrackerSearchPageDto>(await http.PostAsJsonAsync($"{acme.TrackersPath}/{made.Id}/search", new TrackerSearchRequest(PageSize: 10), Cancel));
        Assert.Equal((10, 30), (page.Issues.Count, page.Total));
        Assert.NotNull(page.Next);
        Assert.All(page.Issues, i => Assert.True(i.Description is null || i.Description.Length <= 300));
        Assert.StartsWith(gitlab.ProjectPath + "#", page.Issues[0].Key, StringComparison.Ordinal);

        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        var first = await ImportAsync(room, new ImportFromTrackerRequest(made.Id, Limit: 30));
        Assert.Equal((30, 0, 0), (first.Added, first.Updated, first.Unchanged));
        var again = await ImportAsync(room, new ImportFromTrackerRequest(made.Id));
        Assert.Equal((0, 0, 30), (again.Added, again.Updated, again.Unchanged));

        // On disk, the secret is encrypted.
        await using (var db = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly"))
        {
            await db.OpenAsync(Cancel);
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT protected_secret FROM tracker_connections WHERE upper(id) = upper($id)";
            command.Parameters.AddWithValue("$id", made.Id.ToString("D"));
            var stored = Assert.IsType<string>(await command.ExecuteScalarAsync(Cancel));
            Assert.NotEmpty(stored);
            Assert.DoesNotContain(gitlab.Token, stored, StringComparison.Ordinal);
        }

        // A change without a secret keeps the stored one, but never sends it to another base URL.
        await ProblemAssert.IsAsync(
            await http.PutAsJsonAsync($"{acme.TrackersPath}/{made.Id}", GitLab(gitlab) with { BaseUrl = "https://attacker.example", Secret = null }, Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var renamed = await Read<TrackerConnectionDto>(await http.PutAsJsonAsync($"{acme.TrackersPath}/{made.Id}", GitLab(gitlab) with { Name = "Web", Secret = null }, Cancel));
        Assert.Equal(("Web", true), (renamed.Name, renamed.HasSecret));
        Assert.True((await Read<TrackerCheckDto>(await http.PostAsync($"{acme.TrackersPath}/{made.Id}/check", null, Cancel))).CanRead);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"{acme.TrackersPath}/{made.Id}", Cancel)).StatusCode);
        Assert.Empty(await http.GetFromJsonAsync<TrackerConnectionDto[]>(acme.TrackersPath, Cancel) ?? []);
        await ProblemAssert.IsAsync(await http.DeleteAsync($"{acme.TrackersPath}/{made.Id}", Cancel), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
        await ProblemAssert.IsAsync(
            await PostImportAsync(room.RoomId, room.Token, new ImportFromTrackerRequest(made.Id)), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
    }

    [Fact]
    public async Task OnlyTheTeamsFacilitatorsAndTheOrganisationsAdmins_ChangeConnections_MembersUseThem_OutsidersSeeNothing()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        gitlab.Seed(3);
        await using var acme = await Acme.MakeAsync(app);
        var made = await Read<TrackerConnectionDto>(await acme.Owner.Http.PostAsJsonAsync(acme.TrackersPath, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        var path = $"{acme.TrackersPath}/{made.Id}";

        // Otto is in no organisation of theirs.
        await ProblemAssert.IsAsync(await acme.Outsider.Http.GetAsync(acme.TrackersPath, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.PostAsJsonAsync($"{path}/search", new TrackerSearchRequest(), Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.PostAsJsonAsync(acme.TrackersPath, GitLab(gitlab), Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);

        // Max is a plain member of the team: he sees and searches, and changes nothing.
        Assert.Single(await acme.Max.Http.GetFromJsonAsync<TrackerConnectionDto[]>(acme.TrackersPath, Cancel) ?? []);
        Assert.Equal(3, (await Read<TrackerSearchPageDto>(await acme.Max.Http.PostAsJsonAsync($"{path}/search", new TrackerSearchRequest(), Cancel))).Issues.Count);
        await ProblemAssert.IsAsync(await acme.Max.Http.PostAsJsonAsync(acme.TrackersPath, GitLab(gitlab), Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Max.Http.PutAsJsonAsync(path, GitLab(gitlab) with { Name = "Mine" }, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Max.Http.DeleteAsync(path, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);

        // Mia is in the organisation but not in the team: she sees, and may not search.
        Assert.Single(await acme.Mia.Http.GetFromJsonAsync<TrackerConnectionDto[]>(acme.TrackersPath, Cancel) ?? []);
        await ProblemAssert.IsAsync(await acme.Mia.Http.PostAsJsonAsync($"{path}/search", new TrackerSearchRequest(), Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);

        // Only a facilitator's seat imports, and only into a room of the connection's team.
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        var maxSeat = await Read<JoinRoomResponse>(await acme.Max.Http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest(null!), Cancel));
        await ProblemAssert.IsAsync(await PostImportAsync(room.RoomId, maxSeat.Token, new ImportFromTrackerRequest(made.Id)), HttpStatusCode.Forbidden, ErrorCodes.NotFacilitator);
        await ProblemAssert.IsAsync(await PostImportAsync(room.RoomId, "not-a-seat", new ImportFromTrackerRequest(made.Id)), HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);

        var other = await Read<TeamDto>(await acme.Owner.Http.PostAsJsonAsync($"{acme.Path}/teams", new CreateTeamRequest("Web"), Cancel));
        var otherRoom = await Read<CreateRoomResponse>(await acme.Owner.Http.PostAsJsonAsync($"{acme.Path}/teams/{other.Id}/rooms", new CreateTeamRoomRequest("Elsewhere"), Cancel), HttpStatusCode.Created);
        await ProblemAssert.IsAsync(await PostImportAsync(otherRoom.RoomId, otherRoom.Token, new ImportFromTrackerRequest(made.Id)), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
        var adHoc = await app.CreateRoomAsync();
        await ProblemAssert.IsAsync(await PostImportAsync(adHoc.RoomId, adHoc.Token, new ImportFromTrackerRequest(made.Id)), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
        Assert.DoesNotContain(gitlab.Host.Requests, r => r.PathAndQuery.Contains("per_page=100", StringComparison.Ordinal)); // refused before asking GitLab

        // Another team's path does not reach it either.
        await ProblemAssert.IsAsync(await acme.Owner.Http.PostAsync($"{acme.Path}/teams/{other.Id}/trackers/{made.Id}/check", null, Cancel), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
    }

    [Fact]
    public async Task BadConnections_AreRefused_AndTheTrackersRefusal_IsAnsweredWithoutTheSecret()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        await using var jira = await FakeJira.StartAsync(cloud: true);
        await using var acme = await Acme.MakeAsync(app);
        var http = acme.Owner.Http;
        var good = GitLab(gitlab);

        foreach (var bad in new[]
        {
            good with { BaseUrl = "not a url" },
            good with { BaseUrl = "ftp://gitlab.example.com" },
            good with { BaseUrl = "https://ada:secret@gitlab.example.com" },
            good with { BaseUrl = "https://gitlab.example.com/" + new string('a', 500) },
            good with { Scope = null },
            good with { Scope = "  " },
            good with { Secret = null },
            good with { Name = "" },
            good with { Name = "two\nlines" },
            good with { Kind = "Trello" },
            good with { Points = new Dictionary<string, decimal> { ["M"] = -1 } },
            new SaveTrackerConnectionRequest("JiraCloud", "Jira", jira.Host.BaseUrl.ToString(), "token"),
        })
        {
            await ProblemAssert.IsAsync(await http.PostAsJsonAsync(acme.TrackersPath, bad, Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        }

        Assert.Empty(await http.GetFromJsonAsync<TrackerConnectionDto[]>(acme.TrackersPath, Cancel) ?? []);

        // A Jira Cloud connection needs its account's email; given it, it checks.
        var jiraConnection = await Read<TrackerConnectionDto>(
            await http.PostAsJsonAsync(acme.TrackersPath, new SaveTrackerConnectionRequest("jiracloud", "Jira", jira.Host.BaseUrl.ToString(), FakeJira.Token, FakeJira.Email), Cancel), HttpStatusCode.Created);
        Assert.Equal(("JiraCloud", FakeJira.Email), (jiraConnection.Kind, jiraConnection.User));
        Assert.True((await Read<TrackerCheckDto>(await http.PostAsync($"{acme.TrackersPath}/{jiraConnection.Id}/check", null, Cancel))).CanRead);

        // A token GitLab does not know: 401 there, TrackerFailed here, with GitLab's reason and never the token.
        const string Wrong = "glpat-wr0ngT0kenThatMustNotLeak";
        var wrong = await Read<TrackerConnectionDto>(await http.PostAsJsonAsync(acme.TrackersPath, good with { Secret = Wrong }, Cancel), HttpStatusCode.Created);
        foreach (var response in new[]
        {
            await http.PostAsync($"{acme.TrackersPath}/{wrong.Id}/check", null, Cancel),
            await http.PostAsJsonAsync($"{acme.TrackersPath}/{wrong.Id}/search", new TrackerSearchRequest(), Cancel),
        })
        {
            var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadGateway, ErrorCodes.TrackerFailed);
            Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
            Assert.DoesNotContain(Wrong, problem.Detail, StringComparison.Ordinal);
            Assert.Equal("Unauthorized", ((JsonElement)problem.Extensions["failure"]!).GetString());
            Assert.Equal(401, ((JsonElement)problem.Extensions["trackerStatus"]!).GetInt32());
        }

        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        await ProblemAssert.IsAsync(await PostImportAsync(room.RoomId, room.Token, new ImportFromTrackerRequest(wrong.Id)), HttpStatusCode.BadGateway, ErrorCodes.TrackerFailed);
        await ProblemAssert.IsAsync(
            await PostImportAsync(room.RoomId, room.Token, new ImportFromTrackerRequest(wrong.Id, Limit: 501)), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task WithoutAllowHttp_ABaseUrlMustBeHttps()
    {
        await using var acme = await Acme.MakeAsync(app);
        var strict = ActivatorUtilities.CreateInstance<TrackerConnectionService>(app.Services, Options.Create(new TrackerOptions { AllowHttp = false }));
        var request = new SaveTrackerConnectionRequest("GitLab", "GitLab", "http://gitlab.example.com", "glpat-x", Scope: "acme/web");

        var refused = await strict.CreateAsync(acme.Owner.Id, new TrackerOwner.Team(acme.Id, acme.Team), request);

        Assert.Equal((ErrorCodes.ValidationFailed, "the base URL must use https"), (refused.ErrorCode, refused.ErrorMessage));
        Assert.True((await strict.CreateAsync(acme.Owner.Id, new TrackerOwner.Team(acme.Id, acme.Team), request with { BaseUrl = "https://gitlab.example.com" })).IsSuccess);
    }

    [Fact]
    public async Task ATrackerFailingMidway_ImportsNothing()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        gitlab.Seed(120);
        await using var acme = await Acme.MakeAsync(app);
        var made = await Read<TrackerConnectionDto>(await acme.Owner.Http.PostAsJsonAsync(acme.TrackersPath, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        gitlab.Host.Fail(new FakeFault(403, new JsonObject { ["message"] = "403 Forbidden" }.ToJsonString(), Matches: r => r.PathAndQuery.Contains("&page=2", StringComparison.Ordinal)));

        var failed = await ProblemAssert.IsAsync(await PostImportAsync(room.RoomId, room.Token, new ImportFromTrackerRequest(made.Id)), HttpStatusCode.BadGateway, ErrorCodes.TrackerFailed);
        Assert.Contains("403", failed.Detail, StringComparison.Ordinal);

        var report = await ImportAsync(room, new ImportFromTrackerRequest(made.Id));
        Assert.Equal((120, 0, 0), (report.Added, report.Updated, report.Unchanged));
    }

    [Fact]
    public async Task ARoomsFacilitator_SeesTheTeamsConnections_PreviewsASearch_AndImportsInSteps_GoingOnAfterAFailure()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        gitlab.Seed(120);
        await using var acme = await Acme.MakeAsync(app);
        var made = await Read<TrackerConnectionDto>(await acme.Owner.Http.PostAsJsonAsync(acme.TrackersPath, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");

        // The room's facilitator sees the team's connections by name, without where they point or their secret.
        using var listed = await SendAsync(HttpMethod.Get, $"/api/rooms/{room.RoomId}/trackers", room.Token);
        var text = await listed.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal([new RoomTrackerDto(made.Id, "GitLab", "GitLab – Web", gitlab.ProjectPath)], JsonSerializer.Deserialize<RoomTrackerDto[]>(text, JsonSerializerOptions.Web)!);
        Assert.DoesNotContain(gitlab.Host.BaseUrl.Host + ":" + gitlab.Host.BaseUrl.Port, text, StringComparison.Ordinal);

        var preview = await Read<TrackerSearchPageDto>(await SendAsync(HttpMethod.Post, $"/api/rooms/{room.RoomId}/trackers/{made.Id}/search", room.Token, new TrackerSearchRequest(PageSize: 5)));
        Assert.Equal((5, 120), (preview.Issues.Count, preview.Total));

        // Steps of 50: each says where to go on and how many there are; the tracker failing in the second step imports
        // nothing of it, and the same step again goes on from where it was.
        var first = await ImportAsync(room, new ImportFromTrackerRequest(made.Id, Limit: 50));
        Assert.Equal((50, 0, 0, 120), (first.Added, first.Updated, first.Unchanged, first.Total));
        Assert.NotNull(first.Next);
        gitlab.Host.Fail(new FakeFault(403, new JsonObject { ["message"] = "403 Forbidden" }.ToJsonString()));
        await ProblemAssert.IsAsync(await PostImportAsync(room.RoomId, room.Token, new ImportFromTrackerRequest(made.Id, Limit: 50, Page: first.Next)), HttpStatusCode.BadGateway, ErrorCodes.TrackerFailed);
        var second = await ImportAsync(room, new ImportFromTrackerRequest(made.Id, Limit: 50, Page: first.Next));
        Assert.Equal((50, 0, 0), (second.Added, second.Updated, second.Unchanged));
        var third = await ImportAsync(room, new ImportFromTrackerRequest(made.Id, Limit: 50, Page: second.Next));
        Assert.Equal((20, 0, 0, null), (third.Added, third.Updated, third.Unchanged, third.Next));
        var summary = await Read<RoomSummaryDto>(await SendAsync(HttpMethod.Get, $"/api/rooms/{room.RoomId}/summary", room.Token));
        Assert.Equal(120, summary.Stories.Select(s => s.ExternalKey).Distinct().Count());

        // A voter's seat sees nothing; an ad-hoc room's facilitator sees no connection and cannot reach this one.
        var maxSeat = await Read<JoinRoomResponse>(await acme.Max.Http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest(null!), Cancel));
        await ProblemAssert.IsAsync(await SendAsync(HttpMethod.Get, $"/api/rooms/{room.RoomId}/trackers", maxSeat.Token), HttpStatusCode.Forbidden, ErrorCodes.NotFacilitator);
        await ProblemAssert.IsAsync(
            await SendAsync(HttpMethod.Post, $"/api/rooms/{room.RoomId}/trackers/{made.Id}/search", maxSeat.Token, new TrackerSearchRequest()), HttpStatusCode.Forbidden, ErrorCodes.NotFacilitator);
        var adHoc = await app.CreateRoomAsync();
        Assert.Empty(await Read<RoomTrackerDto[]>(await SendAsync(HttpMethod.Get, $"/api/rooms/{adHoc.RoomId}/trackers", adHoc.Token)));
        await ProblemAssert.IsAsync(
            await SendAsync(HttpMethod.Post, $"/api/rooms/{adHoc.RoomId}/trackers/{made.Id}/search", adHoc.Token, new TrackerSearchRequest()), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
    }

    private static SaveTrackerConnectionRequest GitLab(FakeGitLab gitlab) => new(
        "GitLab", "GitLab – Web", gitlab.Host.BaseUrl.ToString(), gitlab.Token, Scope: gitlab.ProjectPath, Points: new Dictionary<string, decimal> { ["M"] = 3, ["L"] = 5 });

    private Task<HttpResponseMessage> PostImportAsync(string roomId, string token, ImportFromTrackerRequest request) =>
        SendAsync(HttpMethod.Post, $"/api/rooms/{roomId}/stories/import", token, request);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var http = app.Http();
        using var message = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(message, Cancel);
        await response.Content.LoadIntoBufferAsync(Cancel);
        return response;
    }

    private async Task<ImportReportDto> ImportAsync(CreateRoomResponse room, ImportFromTrackerRequest request) =>
        await Read<ImportReportDto>(await PostImportAsync(room.RoomId, room.Token, request));

    private static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode? status = null)
    {
        Assert.True(status is null ? response.IsSuccessStatusCode : response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
