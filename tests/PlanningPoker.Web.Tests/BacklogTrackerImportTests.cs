using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// Importing from one of the room's team's trackers: shown only where the room has a connection, a query previewed
/// with its count, then imported step by step with the progress said, going on from where a tracker's failure stopped it.
/// </summary>
public sealed class BacklogTrackerImportTests : UiTest
{
    private static readonly SavedSeat Fanny = new("r1", "Sprint 42", 1, "tok", "Fanny", DateTimeOffset.UnixEpoch);
    private static readonly Guid GitLab = Guid.Parse("30000000-0000-0000-0000-000000000003");

    public BacklogTrackerImportTests() : base("fr")
    {
    }

    [Fact]
    public void ARoomWithoutConnections_OffersNoTrackerImport()
    {
        Server.On(HttpMethod.Get, "/api/rooms/r1/trackers", _ => FakeApi.Json(HttpStatusCode.OK, Array.Empty<RoomTrackerDto>()));

        var import = Render<BacklogTrackerImport>(p => p.Add(c => c.Seat, Fanny));

        import.WaitForAssertion(() => Assert.Single(Server.Requests));
        Assert.Empty(import.FindAll(".import-tracker"));
    }

    [Fact]
    public void TheFacilitatorsOwnConnection_IsMarkedAsTheirs()
    {
        var mine = Guid.Parse("60000000-0000-0000-0000-000000000006");
        Server.On(HttpMethod.Get, "/api/rooms/r1/trackers", _ => FakeApi.Json(HttpStatusCode.OK, new[]
        {
            new RoomTrackerDto(GitLab, "GitLab", "Web", "acme/web"),
            new RoomTrackerDto(mine, "GitHub", "Side project", "fanny/side", Personal: true),
        }));

        var import = Render<BacklogTrackerImport>(p => p.Add(c => c.Seat, Fanny));

        import.WaitForAssertion(() => Assert.Equal(
            ["Web · acme/web", "Side project · fanny/side (la vôtre)"], import.FindAll("#tracker-import-source option").Select(o => o.TextContent)));
    }

    [Fact]
    public void AQuery_IsPreviewed_ThenImportedInSteps_AndAFailedStep_GoesOnFromWhereItStopped()
    {
        Server.On(HttpMethod.Get, "/api/rooms/r1/trackers", _ => FakeApi.Json(HttpStatusCode.OK, new[] { new RoomTrackerDto(GitLab, "GitLab", "Web", "acme/web") }));
        Server.On(HttpMethod.Post, $"/api/rooms/r1/trackers/{GitLab}/search", _ => FakeApi.Json(HttpStatusCode.OK, new TrackerSearchPageDto(
            [new("acme/web#1", "<b>Login</b>", null, null, "Issue", "opened", "3"), new("acme/web#2", "Logout", null, null, "Issue", "opened", null)], "2", 250)));
        var steps = new Queue<HttpResponseMessage>(
        [
            FakeApi.Json(HttpStatusCode.OK, new ImportReportDto(100, 0, 0, Next: "2", Total: 250)),
            new HttpResponseMessage(HttpStatusCode.BadGateway)
            {
                Content = JsonContent.Create(new { code = ErrorCodes.TrackerFailed, status = 502, detail = "403 Forbidden: you may not read acme/web" }),
            },
            FakeApi.Json(HttpStatusCode.OK, new ImportReportDto(90, 10, 0, Next: "3", Total: 250)),
            FakeApi.Json(HttpStatusCode.OK, new ImportReportDto(50, 0, 0, Total: 250)),
        ]);
        Server.On(HttpMethod.Post, "/api/rooms/r1/stories/import", _ => steps.Dequeue());
        var import = Render<BacklogTrackerImport>(p => p.Add(c => c.Seat, Fanny));

        import.WaitForAssertion(() => Assert.Equal("Web · acme/web", import.Find("#tracker-import-source option").TextContent));
        Assert.Contains("Vide\u202f: les user stories ouvertes", import.Find("#tracker-import-help").TextContent, StringComparison.Ordinal);
        import.Find("#tracker-import-query").Change("label:ready");
        import.Find("form.import-tracker-form").Submit();

        import.WaitForAssertion(() => Assert.Equal("250 user stories trouvées", import.Find(".import-found").TextContent));
        Assert.Equal(["acme/web#1", "<b>Login</b>", "opened", "3", "acme/web#2", "Logout", "opened", ""], import.FindAll(".import-preview td").Select(c => c.TextContent));
        Assert.Empty(import.FindAll(".import-preview b"));
        Assert.Equal(new TrackerSearchRequest("label:ready", PageSize: 8), Body<TrackerSearchRequest>(1));
        Assert.Equal("Importer 250 user stories", import.Find("#tracker-import-go").TextContent);

        import.Find("#tracker-import-go").Click();

        // The second step fails: what was imported stays, the tracker's reason is shown, and it goes on from page 2.
        import.WaitForAssertion(() => Assert.Contains("403 Forbidden: you may not read acme/web", import.Find(".tracker-reason").TextContent, StringComparison.Ordinal));
        Assert.Equal("Import en cours\u202f: 100 sur 250 user stories…", import.Find(".import-progress label").TextContent);
        Assert.Equal("100", import.Find("progress").GetAttribute("value"));
        Assert.Equal([new ImportFromTrackerRequest(GitLab, "label:ready", 100), new ImportFromTrackerRequest(GitLab, "label:ready", 100, "2")], [Body<ImportFromTrackerRequest>(2), Body<ImportFromTrackerRequest>(3)]);

        import.Find("#tracker-import-resume").Click();

        import.WaitForAssertion(() => Assert.Equal("Import terminé. Ajoutées : 240 · mises à jour : 10 · inchangées : 0.", import.Find(".import-done").TextContent));
        Assert.Equal([new ImportFromTrackerRequest(GitLab, "label:ready", 100, "2"), new ImportFromTrackerRequest(GitLab, "label:ready", 100, "3")], [Body<ImportFromTrackerRequest>(4), Body<ImportFromTrackerRequest>(5)]);
        Assert.Empty(import.FindAll(".import-progress"));
        Assert.Empty(import.FindAll("[role=alert]"));
    }

    [Fact]
    public void AQueryThatFindsNothing_AndATrackerThatRefuses_AreSaidInWords()
    {
        Server.On(HttpMethod.Get, "/api/rooms/r1/trackers", _ => FakeApi.Json(HttpStatusCode.OK, new[] { new RoomTrackerDto(GitLab, "GitLab", "Web", null) }));
        Server.On(HttpMethod.Post, $"/api/rooms/r1/trackers/{GitLab}/search", _ => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = JsonContent.Create(new { code = ErrorCodes.TrackerFailed, status = 502, detail = "401 Unauthorized" }),
        });
        var import = Render<BacklogTrackerImport>(p => p.Add(c => c.Seat, Fanny));
        import.WaitForAssertion(() => Assert.Equal("Web", import.Find("#tracker-import-source option").TextContent));

        import.Find("form.import-tracker-form").Submit();

        import.WaitForAssertion(() => Assert.Contains("L’outil de suivi", import.Find("[role=alert]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("401 Unauthorized", import.Find(".tracker-reason").TextContent);
        Assert.Empty(import.FindAll("#tracker-import-resume"));
    }

    private T Body<T>(int request) => JsonSerializer.Deserialize<T>(Server.Requests[request].Body!, JsonSerializerOptions.Web)!;
}
