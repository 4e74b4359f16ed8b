using System.Net;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;

namespace PlanningPoker.Web.Tests;

/// <summary>The team's estimation insights: the key figures, a chart per question with the same numbers as a table, a period to choose.</summary>
public sealed class TeamInsightsPageTests() : OrganisationPageTest("fr")
{
    private static readonly EstimationKpisDto Sprint1 = Kpis(2, 8m, 0.5, [new(0, 1), new(3, 1)], [new("3", 1), new("5", 1)]);
    private static readonly EstimationKpisDto Sprint2 = Kpis(1, 13m, 0.0, [new(0, 1)], [new("13", 1)]);

    [Fact]
    public void TheKeyFigures_TheTrendAndTheDistributions_AreShown_WithTablesThatHoldTheChartsNumbers()
    {
        Server.SignedIn(Maya).On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/insights", Team(
            Kpis(3, 21m, 1.0 / 3, [new(0, 2), new(3, 1)], [new("13", 1), new("3", 1), new("<b>5</b>", 1)], reVotedThreeTimes: 1),
            [Workshop("r1", "Sprint 1", 1, Sprint1), Workshop("r2", "<i>Sprint 2</i>", 2, Sprint2)]) with
        { ConsensusChange = -0.25, ConsensusDropping = true, UnusedCards = ["1", "0.5", "<u>40</u>"] })
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/insights/actuals", new TeamActualsDto(TeamId, new DateOnly(2026, 9, 2), new DateOnly(2026, 11, 30), [], 0, 0, null, false, null));

        var page = Render<TeamInsights>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));

        page.WaitForAssertion(() => Assert.Equal("Comment Payments estime", page.Find("h1").TextContent));
        Assert.Equal("3", page.Find("#kpi-stories .kpi-value").TextContent);
        Assert.Equal("21", page.Find("#kpi-total .kpi-value").TextContent);
        Assert.Equal(French(0.33), page.Find("#kpi-consensus .kpi-value").TextContent);
        Assert.Equal("1,3", page.Find("#kpi-rounds .kpi-value").TextContent);
        Assert.Equal($"api/orgs/{OrgId}/teams/{TeamId}/insights/export?from=2026-09-02&to=2026-11-30", page.Find("#insights-csv").GetAttribute("href"));

        // One bar and one point per workshop; the table gives each workshop's numbers, names escaped.
        Assert.Equal(2, page.FindAll("#trend-chart rect.chart-bar").Count);
        Assert.Equal(2, page.FindAll("#trend-chart circle.chart-dot").Count);
        var rows = page.FindAll("#workshops-table tbody tr").Select(r => r.Children.Select(c => c.TextContent).ToArray()).ToArray();
        Assert.Equal(["Sprint 1", "2", "8", French(0.5)], [rows[0][0], rows[0][2], rows[0][3], rows[0][4]]);
        Assert.Equal("<i>Sprint 2</i>", rows[1][0]);
        Assert.Empty(page.FindAll("#workshops-table i"));

        // The estimates: as many bars as rows of the table, labels escaped in the SVG too.
        Assert.Equal(3, page.FindAll("#estimates-chart rect.chart-bar").Count);
        Assert.Equal(["13", "3", "<b>5</b>"], page.FindAll("#estimates-chart-table tbody th").Select(c => c.TextContent));
        Assert.Empty(page.FindAll("#estimates-chart b"));
        Assert.Contains("&lt;b&gt;5&lt;/b&gt;", page.Find("#estimates-chart").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("1 user story a demandé trois nouveaux votes ou plus", page.Find("#insights-hint-revotes").TextContent, StringComparison.Ordinal);

        // The hints: a consensus down 25 points, the cards no story got (French decimals, escaped).
        Assert.StartsWith("Le consensus au premier tour a baissé de 25 points", page.Find("#insights-hint-consensus").TextContent, StringComparison.Ordinal);
        Assert.Contains("n’a reçues sur la période : 1, 0,5, <u>40</u>.", page.Find("#insights-hint-cards").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".hints u"));

        // Estimate vs actual: none of these stories came from a tracker.
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#actuals-none")));
    }

    [Fact]
    public void AnotherPeriod_IsAskedFor_AndAPeriodWithoutEstimates_SaysSo()
    {
        Server.SignedIn(Maya).On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/insights", Team(Kpis(0, 0m, null, [], []), []));
        var page = Render<TeamInsights>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#insights-none")));

        page.Find("#insights-from").Change("2026-01-01");
        page.Find("#insights-to").Change("2026-03-31");
        page.Find("form.insights-period").Submit();

        page.WaitForAssertion(() => Assert.Contains(Server.Addresses, a => a.EndsWith("/insights?from=2026-01-01&to=2026-03-31", StringComparison.Ordinal)));
        Assert.Empty(page.FindAll(".kpi-tiles"));
    }

    [Fact]
    public void SomeoneOutsideTheTeam_IsToldWhy()
    {
        Server.SignedIn(Bruno).Refuse("GET", $"api/orgs/{OrgId}/teams/{TeamId}/insights", ErrorCodes.NotAllowed, HttpStatusCode.Forbidden);

        var page = Render<TeamInsights>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));

        page.WaitForAssertion(() => Assert.NotEmpty(page.Find("[role=alert], .error").TextContent));
        Assert.Empty(page.FindAll(".kpi-tiles"));
    }

    /// <summary>A share as French writes a percentage (the runtime's spaces around "%").</summary>
    private static string French(double share) => share.ToString("P0", System.Globalization.CultureInfo.GetCultureInfo("fr"));

    private static TeamInsightsDto Team(EstimationKpisDto kpis, IReadOnlyList<WorkshopInsightsDto> workshops) =>
        new(TeamId, "Payments", new DateOnly(2026, 9, 2), new DateOnly(2026, 11, 30), kpis, workshops, null, [], false);

    private static WorkshopInsightsDto Workshop(string id, string name, int day, EstimationKpisDto kpis) =>
        new(id, name, new DateTimeOffset(2026, 11, day, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, day, 11, 0, 0, TimeSpan.Zero), kpis);

    /// <summary>KPIs with the figures a test looks at; the others plausible.</summary>
    internal static EstimationKpisDto Kpis(
        int stories, decimal total, double? consensus, CountDto<int>[] spreads, CountDto<string>[] estimates, int reVotedThreeTimes = 0, double? medianSpread = null, double? participation = 1) =>
        new(stories, total, consensus, stories == 0 ? null : 4.0 / 3, stories == 0 ? null : 6, stories == 0 ? null : participation, stories == 0 ? null : 0.125, 0, spreads, estimates, 1, 0, reVotedThreeTimes, medianSpread);
}
