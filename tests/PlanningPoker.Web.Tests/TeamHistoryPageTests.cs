using System.Net;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;

namespace PlanningPoker.Web.Tests;

/// <summary>The team's estimation history: the stories newest first, a search, a story's rounds on demand, the exports, pages.</summary>
public sealed class TeamHistoryPageTests() : OrganisationPageTest("fr")
{
    private static readonly HistoryStoryDto Revoted = Story(2, "Importer les <b>relevés</b>", StoryState.Estimated, "5", rounds: 2, consensus: false, minutes: 4.5, key: "PAY-2", url: "javascript:alert(1)");
    private static readonly HistoryStoryDto Pending = Story(3, "Rembourser", StoryState.Pending, null, rounds: 0, consensus: null, minutes: null);

    [Fact]
    public void TheStories_AreListedWithHowTheirEstimationWent_TextEscaped_UnsafeLinksDropped()
    {
        Server.SignedIn(Maya).On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/history", Page(2, [Revoted, Pending]));

        var page = Render<TeamHistory>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));

        page.WaitForAssertion(() => Assert.Equal("Historique des estimations de Payments", page.Find("h1").TextContent));
        Assert.Equal("2 user stories correspondent.", page.Find("#history-count").TextContent);
        var rows = page.FindAll("#history-table tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray()).ToArray();
        Assert.StartsWith("Importer les <b>relevés</b>", rows[0][1], StringComparison.Ordinal);
        Assert.Equal(["Sprint 1", "5", "2", "Non", "4,5"], rows[0][2..]);
        Assert.Equal(["Sprint 1", "À estimer", "0", "—", "—"], rows[1][2..]);
        Assert.Empty(page.FindAll("#history-table b"));
        Assert.Empty(page.FindAll("#history-table a[href^='javascript']"));
        Assert.Equal("PAY-2", page.Find("#history-table .story-key").TextContent);

        // The exports carry the period shown.
        Assert.Equal($"api/orgs/{OrgId}/teams/{TeamId}/history/export?format=csv&from=2026-09-02&to=2026-11-30", page.Find("#history-csv").GetAttribute("href"));
        Assert.Equal($"api/orgs/{OrgId}/teams/{TeamId}/history/export?format=json&from=2026-09-02&to=2026-11-30", page.Find("#history-json").GetAttribute("href"));
    }

    [Fact]
    public void AStorysRounds_OpenOnDemand_WithTheVotesOnceRevealed()
    {
        Server.SignedIn(Maya)
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/history", Page(1, [Revoted]))
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/history/r1/2", new HistoryStoryDetailDto(Revoted, "Depuis la <i>banque</i>", ["Alice", "Olga"],
            [
                new(3, RoundState.Revealed, At(10), At(11), [new("Olga", "2"), new("Alice", "8")], null),
                new(4, RoundState.Accepted, At(12), At(13), [new("Olga", "5"), new("Alice", "5")], "5"),
                new(5, RoundState.Cancelled, At(14), null, [], null),
            ]));
        var page = Render<TeamHistory>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#history-details-r1-2")));
        Assert.Equal("false", page.Find("#history-details-r1-2").GetAttribute("aria-expanded"));

        page.Find("#history-details-r1-2").Click();

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("#history-details-r1-2").GetAttribute("aria-expanded")));
        var detail = page.Find("#history-detail-r1-2");
        Assert.Equal("Depuis la <i>banque</i>", detail.QuerySelector(".history-description")!.TextContent);
        Assert.Contains("Ont voté : Alice, Olga", detail.TextContent, StringComparison.Ordinal);
        var rounds = detail.QuerySelectorAll(".history-rounds li").Select(li => string.Join(' ', li.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToArray();
        Assert.Equal(
            ["Tour 3 cartes révélées — Olga 2 · Alice 8", "Tour 4 cartes révélées, estimation validée — Olga 5 · Alice 5 — validée : 5", "Tour 5 annulé avant la révélation"],
            rounds);

        page.Find("#history-details-r1-2").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#history-detail-r1-2")));
    }

    [Fact]
    public void ASearch_AsksForTheFiltersChosen_AndPagesGoOn()
    {
        Server.SignedIn(Maya).On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/history", Page(120, [Revoted]));
        var page = Render<TeamHistory>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 sur 3", page.Find("#history-page").TextContent));

        page.Find("#history-q").Change("relevés bancaires");
        page.Find("#history-room").Change("r1");
        page.Find("#history-state").Change("Estimated");
        page.Find("form.history-filters").Submit();

        page.WaitForAssertion(() => Assert.EndsWith(
            "/history?from=2026-09-02&to=2026-11-30&q=relev%C3%A9s%20bancaires&room=r1&state=estimated&page=1&pageSize=50", Server.Addresses[^1], StringComparison.Ordinal));

        page.Find("#history-next").Click();
        page.WaitForAssertion(() => Assert.EndsWith("&state=estimated&page=2&pageSize=50", Server.Addresses[^1], StringComparison.Ordinal));
    }

    [Fact]
    public void AFacilitator_MakesAnEstimatedStoryAReference_AndStopsIt_AMemberSeesTheBadge()
    {
        var estimated = Story(4, "Exporter en PDF", StoryState.Estimated, "3", rounds: 1, consensus: true, minutes: 2);
        Server.SignedIn(Maya)
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/history", Page(3, [estimated, Revoted, Pending]))
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/references", new TeamReferencesDto(true, [new(new("r1", "Sprint 1", 2, Revoted.Title, "PAY-2", "5", At(15)), At(16), "Maya")]));
        var page = Render<TeamHistory>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("#history-reference-r1-2").GetAttribute("aria-pressed")));

        // Only estimated stories can be references; the button names its story for a screen reader.
        Assert.Equal("false", page.Find("#history-reference-r1-4").GetAttribute("aria-pressed"));
        Assert.Empty(page.FindAll("#history-reference-r1-3"));
        Assert.Equal("☆ Référence : Exporter en PDF", page.Find("#history-reference-r1-4").TextContent);

        page.Find("#history-reference-r1-4").Click();
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("#history-reference-r1-4").GetAttribute("aria-pressed")));
        Assert.Contains($"PUT api/orgs/{OrgId}/teams/{TeamId}/references/r1/4", Server.Calls);
        Assert.Equal("« Exporter en PDF » sert désormais de référence pour 3.", page.Find("p.visually-hidden[role=status]").TextContent);

        page.Find("#history-reference-r1-2").Click();
        page.WaitForAssertion(() => Assert.Equal("false", page.Find("#history-reference-r1-2").GetAttribute("aria-pressed")));
        Assert.Contains($"DELETE api/orgs/{OrgId}/teams/{TeamId}/references/r1/2", Server.Calls);
    }

    [Fact]
    public void AMember_SeesWhichStoriesAreReferences_WithoutTheButton()
    {
        Server.SignedIn(Maya)
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/history", Page(2, [Revoted, Pending]))
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/references", new TeamReferencesDto(false, [new(new("r1", "Sprint 1", 2, Revoted.Title, "PAY-2", "5", At(15)), At(16), null)]));
        var page = Render<TeamHistory>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));

        page.WaitForAssertion(() => Assert.Equal("Référence", page.Find("#history-table .badge").TextContent));
        Assert.Empty(page.FindAll(".history-reference"));
    }

    [Fact]
    public void SomeoneOutsideTheTeam_IsToldWhy()
    {
        Server.SignedIn(Bruno).Refuse("GET", $"api/orgs/{OrgId}/teams/{TeamId}/history", ErrorCodes.NotAllowed, HttpStatusCode.Forbidden);

        var page = Render<TeamHistory>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));

        page.WaitForAssertion(() => Assert.NotEmpty(page.Find("[role=alert], .error").TextContent));
        Assert.Empty(page.FindAll("#history-table"));
    }

    private static DateTimeOffset At(int hour) => new(2026, 11, 20, hour, 0, 0, TimeSpan.Zero);

    private static HistoryPageDto Page(int total, HistoryStoryDto[] stories) =>
        new(TeamId, "Payments", new DateOnly(2026, 9, 2), new DateOnly(2026, 11, 30), total, 1, 50, [new("r1", "Sprint 1", At(9))], stories);

    private static HistoryStoryDto Story(int id, string title, StoryState state, string? estimate, int rounds, bool? consensus, double? minutes, string? key = null, string? url = null) =>
        new("r1", "Sprint 1", id, title, key, url, state, estimate, At(15), rounds, consensus, minutes, rounds * 2);
}
