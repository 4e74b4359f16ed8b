using System.Globalization;
using System.Net;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// Calibration in the room: reference stories by card during a round, similar stories after the reveal, earlier
/// estimates of a story coming back. Each asks with the seat's token and shows nothing when there is nothing (or the
/// server refuses), and story text stays text.
/// </summary>
public sealed class CalibrationTests : UiTest
{
    private static readonly SavedSeat Alice = new("r1", "Sprint 43", 2, "tok", "Alice", DateTimeOffset.UnixEpoch);
    private static readonly DateTimeOffset Nov12 = new(2026, 11, 12, 10, 0, 0, TimeSpan.Zero);

    private static EstimatedStoryDto Story(string title, string estimate, string room = "Sprint 42", string? key = null) =>
        new("r0", room, 1, title, key, estimate, Nov12);

    [Fact]
    public void ReferenceStories_AreListedByCard_UnderAClosedDisclosure()
    {
        Server.On(HttpMethod.Get, "/api/rooms/r1/references", _ => FakeApi.Json(HttpStatusCode.OK, new RoomReferencesDto(
        [
            new("3", [Story("Export invoices to PDF", "3"), Story("<b>Import</b> customers", "3")]),
            new("8", [Story("Single sign-on", "8")]),
        ])));

        var references = Render<RoomReferences>(p => p.Add(c => c.Seat, Alice).Add(c => c.RoundId, 4));

        references.WaitForAssertion(() => Assert.Equal(["3", "8"], references.FindAll(".reference-card dt").Select(d => d.TextContent)));
        Assert.Null(references.Find("details.references").GetAttribute("open"));
        Assert.Equal("Reference stories", references.Find("details.references summary").TextContent);
        Assert.Equal(["Export invoices to PDF", "<b>Import</b> customers", "Single sign-on"], references.FindAll(".reference-card .story-title").Select(s => s.TextContent));
        Assert.Contains("Sprint 42, 12 Nov 2026", references.Find(".reference-card dd").TextContent);
    }

    [Fact]
    public void NoReferences_RenderNothing()
    {
        Server.On(HttpMethod.Get, "/api/rooms/r1/references", _ => FakeApi.Json(HttpStatusCode.OK, new RoomReferencesDto([])));

        var references = Render<RoomReferences>(p => p.Add(c => c.Seat, Alice).Add(c => c.RoundId, 4));

        references.WaitForAssertion(() => Assert.Single(Server.Requests));
        Assert.Equal("", references.Markup.Trim());
    }

    [Fact]
    public void SimilarStories_RefusedBeforeTheReveal_ShowNothing_ThenAppearOnceRevealed()
    {
        var revealed = false;
        Server.On(HttpMethod.Get, "/api/rooms/r1/stories/7/similar", _ => revealed
            ? FakeApi.Json(HttpStatusCode.OK, new SimilarStoriesDto([new(Story("Export invoices to PDF", "3", key: "PAY-1"), 0.667), new(Story("Import customers", "8"), 0.333)]))
            : FakeApi.Problem(HttpStatusCode.Conflict, ErrorCodes.NotRevealedYet));

        var similar = Render<SimilarStories>(p => p.Add(c => c.Seat, Alice).Add(c => c.StoryId, 7).Add(c => c.Moment, "4:Voting"));
        similar.WaitForAssertion(() => Assert.Single(Server.Requests));
        Assert.Empty(similar.FindAll("section"));

        revealed = true;
        similar.Render(p => p.Add(c => c.Moment, "4:Revealed"));

        similar.WaitForAssertion(() => Assert.Equal(2, similar.FindAll("li").Count));
        Assert.Equal("Similar stories this team estimated", similar.Find("h3").TextContent);
        Assert.Equal(similar.Find("h3").Id, similar.Find("section").GetAttribute("aria-labelledby"));
        Assert.Equal("Estimate: 3", similar.Find("li .card-chip").TextContent);
        Assert.Equal("PAY-1 · Export invoices to PDF", similar.Find("li .story-title").TextContent);
    }

    [Fact]
    public void EarlierEstimates_SayWhereAndWhen_InFrench()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        Server.On(HttpMethod.Get, "/api/rooms/r1/stories/7/earlier", _ => FakeApi.Json(HttpStatusCode.OK, new EarlierEstimatesDto(
            [Story("Export", "5", "Sprint 42"), Story("Export", "2.5", "Sprint 41")])));

        var earlier = Render<EarlierEstimates>(p => p.Add(c => c.Seat, Alice).Add(c => c.Story, new StoryDto(7, "Export", "PAY-7", StoryState.Estimating)));

        earlier.WaitForAssertion(() => Assert.Equal(
            "Déjà estimée : 5 dans Sprint 42 le 12 nov. 2026 ; 2,5 dans Sprint 41 le 12 nov. 2026",
            string.Join(' ', earlier.Find("p.earlier").TextContent.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
    }

    [Fact]
    public void AStoryWithoutATrackerKey_AsksForNoEarlierEstimates()
    {
        var earlier = Render<EarlierEstimates>(p => p.Add(c => c.Seat, Alice).Add(c => c.Story, new StoryDto(7, "Export", null, StoryState.Estimating)));

        Assert.Empty(Server.Requests);
        Assert.Equal("", earlier.Markup.Trim());
    }
}
