using System.Net;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;
using static PlanningPoker.Web.Tests.TeamInsightsPageTests;

namespace PlanningPoker.Web.Tests;

/// <summary>The organisation's teams side by side: what compares whatever the deck, the teams to look at, a table to sort.</summary>
public sealed class OrganisationInsightsPageTests() : OrganisationPageTest("fr")
{
    private static readonly Guid Alpha = Guid.Parse("30000000-0000-0000-0000-000000000001");
    private static readonly Guid Beta = Guid.Parse("30000000-0000-0000-0000-000000000002");
    private static readonly Guid Gamma = Guid.Parse("30000000-0000-0000-0000-000000000003");

    [Fact]
    public void TheTeams_AreComparedOnWhatDoesNotDependOnTheirDeck_AndTheOnesToLookAtArePointedOut()
    {
        Server.SignedIn(Olivia).On("GET", $"api/orgs/{OrgId}/insights", Insights());

        var page = Render<OrganisationInsights>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForAssertion(() => Assert.Equal("Comment les équipes de Acme estiment", page.Find("h1").TextContent));
        Assert.Equal("14", page.Find("#orgkpi-stories .kpi-value").TextContent);
        Assert.Equal("2 sur 3", page.Find("#orgkpi-teams .kpi-value").TextContent);
        Assert.Equal("1,5", page.Find("#orgkpi-spread .kpi-value").TextContent);
        Assert.Empty(page.FindAll("#orgkpi-total")); // totals are in each deck's units: not added up across teams

        // The teams to look at, each a link to where to look.
        var dropping = page.Find("#orginsights-hint-consensus li");
        Assert.Equal("Alpha (−15 points)", dropping.TextContent);
        Assert.Equal($"orgs/{OrgId}/teams/{Alpha}/insights", dropping.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Alpha (2 user stories)", page.Find("#orginsights-hint-revotes li").TextContent);
        Assert.Contains("Gamma", page.Find("#orginsights-hint-quiet").TextContent, StringComparison.Ordinal);
        Assert.Equal("Alpha (ρ 0,12)", page.Find("#orginsights-hint-drift li").TextContent);

        // A bar per team that estimated, names escaped in the SVG; consensus bars on a 0–100 % scale.
        Assert.Equal(2, page.FindAll("#orginsights-consensus rect.chart-bar").Count);
        Assert.Empty(page.FindAll("#orginsights-consensus b"));
        Assert.Contains("Beta &lt;b&gt;web&lt;/b&gt;", page.Find("#orginsights-consensus").InnerHtml, StringComparison.Ordinal);
        var widths = page.FindAll("#orginsights-consensus rect.chart-bar").Select(r => double.Parse(r.GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0.6 / 0.25, widths[0] / widths[1], 1);

        // The table holds every team, the charts' numbers with them.
        var rows = Rows(page);
        Assert.Equal(["Alpha", "Beta <b>web</b>", "Gamma"], rows.Select(r => r[0]));
        Assert.Equal(["Alpha", "10", "3", French(0.6), "−15 points"], rows[0][..5]);
        Assert.Equal("2,5", rows[1][7]);
        Assert.Equal(["0,12", "—", "—"], rows.Select(r => r[^1]));
        Assert.Equal(["0", "0", "—", "—"], rows[2][1..5]);
        Assert.Empty(page.FindAll("#orginsights-teams b"));
        Assert.Equal($"api/orgs/{OrgId}/insights/export?from=2026-09-02&to=2026-11-30", page.Find("#orginsights-csv").GetAttribute("href"));
    }

    [Fact]
    public void TheTable_SortsByAColumn_HighestFirst_ThenTheOtherWayRound_TeamsWithoutAFigureLast()
    {
        Server.SignedIn(Adam).On("GET", $"api/orgs/{OrgId}/insights", Insights());
        var page = Render<OrganisationInsights>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement("#orginsights-teams");
        Assert.Equal("ascending", page.Find("#sort-name").ParentElement!.GetAttribute("aria-sort"));

        page.Find("#sort-consensus").Click();

        Assert.Equal(["Alpha", "Beta <b>web</b>", "Gamma"], Rows(page).Select(r => r[0]));
        Assert.Equal("descending", page.Find("#sort-consensus").ParentElement!.GetAttribute("aria-sort"));
        Assert.Equal("none", page.Find("#sort-name").ParentElement!.GetAttribute("aria-sort"));
        Assert.Equal("Trié par Consensus au premier tour, ordre décroissant.", page.Find("[role=status]").TextContent);

        page.Find("#sort-consensus").Click();

        Assert.Equal(["Beta <b>web</b>", "Alpha", "Gamma"], Rows(page).Select(r => r[0]));
        Assert.Equal("ascending", page.Find("#sort-consensus").ParentElement!.GetAttribute("aria-sort"));
    }

    [Fact]
    public void AMember_IsToldThatOnlyOwnersAndAdminsSeeEveryTeam()
    {
        Server.SignedIn(Maya).Refuse("GET", $"api/orgs/{OrgId}/insights", ErrorCodes.NotAllowed, HttpStatusCode.Forbidden);

        var page = Render<OrganisationInsights>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForAssertion(() => Assert.NotEmpty(page.Find("[role=alert], .error").TextContent));
        Assert.Empty(page.FindAll(".kpi-tiles, #orginsights-teams"));
        Assert.Equal($"orgs/{OrgId}", page.Find("main a, a").GetAttribute("href"));
    }

    private static OrganisationInsightsDto Insights() => new(
        OrgId, "Acme", new DateOnly(2026, 9, 2), new DateOnly(2026, 11, 30),
        Kpis(14, 60m, 0.5, [new(0, 7), new(2, 7)], [new("5", 14)], reVotedThreeTimes: 2, medianSpread: 1.5),
        [
            new(Alpha, "Alpha", Kpis(10, 50m, 0.6, [new(0, 6), new(2, 4)], [new("5", 10)], reVotedThreeTimes: 2, medianSpread: 1), 3, -0.15, true, 10, 0.12, true),
            new(Beta, "Beta <b>web</b>", Kpis(4, 10m, 0.25, [new(0, 1), new(3, 3)], [new("M", 4)], medianSpread: 2.5), 1, 0.05, false),
            new(Gamma, "Gamma", Kpis(0, 0m, null, [], []), 0, null, false),
        ]);

    private static string[][] Rows(IRenderedComponent<OrganisationInsights> page) =>
        [.. page.FindAll("#orginsights-teams tbody tr").Select(r => r.Children.Select(c => c.TextContent).ToArray())];

    private static string French(double share) => share.ToString("P0", System.Globalization.CultureInfo.GetCultureInfo("fr"));
}
