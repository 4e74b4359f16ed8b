using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

/// <summary>Estimate vs actual on the team insights page, in French: the chart and its table hold the same numbers, card labels are escaped, the drift hint, and the refresh for managers only.</summary>
public sealed class EstimateActualsTests() : OrganisationPageTest("fr")
{
    private static readonly DateOnly From = new(2026, 9, 2);
    private static readonly DateOnly To = new(2026, 11, 30);

    private static string Path => $"api/orgs/{OrgId}/teams/{TeamId}/insights/actuals";

    [Fact]
    public void TheChartAndTheTable_HoldTheSameMedians_InFrench_WithTheDriftHint_AndNoRefreshForAMember()
    {
        Server.On("GET", Path, Actuals(
            [new("3", 3m, 3, 2, 3, 4), new("<b>5</b>", null, 1, 1, 10.5, null), new("8", 8m, 1, 0, null, null)], linked: 5, done: 3, correlation: 0.12, drifting: true));

        var section = Render<EstimateActuals>(p => p.Add(c => c.OrgId, OrgId).Add(c => c.TeamId, TeamId).Add(c => c.From, From).Add(c => c.To, To));

        section.WaitForAssertion(() => Assert.Equal("3 user stories sur 5 sont terminées dans l’outil de suivi.", section.Find("#actuals-done").TextContent));
        Assert.EndsWith("/insights/actuals?from=2026-09-02&to=2026-11-30", Server.Addresses[^1], StringComparison.Ordinal);
        Assert.Equal("Estimation et réalité", section.Find("h2").TextContent);
        Assert.Contains("corrélation de rangs 0,12", section.Find("#actuals-hint-drift").TextContent, StringComparison.Ordinal);

        // The table: every card with its numbers in French; the chart: a bar per card with a done story, its value the table's.
        var rows = section.FindAll("#actuals-table tbody tr").Select(r => r.Children.Select(c => c.TextContent).ToArray()).ToArray();
        Assert.Equal(["3", "3", "2", "3 j", "4 h"], rows[0]);
        Assert.Equal(["<b>5</b>", "1", "1", "10,5 j", "—"], rows[1]);
        Assert.Equal(["8", "1", "0", "—", "—"], rows[2]);
        Assert.Equal(["3", "10.5"], section.FindAll("#actuals-chart rect.chart-bar").Select(r => r.GetAttribute("data-value")));
        Assert.Equal(rows.Select(r => r[3]), section.FindAll("#actuals-chart text.chart-value").Select(t => t.TextContent));
        Assert.Equal(rows.Select(r => $"{r[0]}: {r[3]}"), section.FindAll("#actuals-chart g > title").Select(t => t.TextContent)); // a long label is shortened on the bar, whole in its title
        Assert.Equal("img", section.Find("#actuals-chart").GetAttribute("role"));

        // A card's label is the team's text: escaped in the SVG and the table.
        Assert.Empty(section.FindAll("#actuals b"));
        Assert.Contains("&lt;b&gt;5&lt;/b&gt;", section.Find("#actuals-chart").InnerHtml, StringComparison.Ordinal);

        Assert.Empty(section.FindAll("#actuals-refresh"));
    }

    [Fact]
    public void AManager_RefreshesFromTheTrackers_AndHearsWhatItFound()
    {
        Server.On("GET", Path, Actuals([new("3", 3m, 2, 0, null, null)], linked: 2, done: 0, mayRefresh: true))
            .On("POST", $"{Path}/refresh", new ActualsRefreshDto(4, 2, 1));

        var section = Render<EstimateActuals>(p => p.Add(c => c.OrgId, OrgId).Add(c => c.TeamId, TeamId).Add(c => c.From, From).Add(c => c.To, To));
        section.WaitForAssertion(() => Assert.Equal("Actualiser depuis les outils de suivi", section.Find("#actuals-refresh").TextContent));
        Assert.Empty(section.FindAll("#actuals-hint-drift"));
        Assert.Empty(section.FindAll("#actuals-chart")); // nothing done yet: no bars to draw, the table says it
        Assert.Equal("0 user story sur 2 est terminée dans l’outil de suivi.", section.Find("#actuals-done").TextContent);

        section.Find("#actuals-refresh").Click();

        section.WaitForAssertion(() => Assert.Equal(
            "4 user stories vérifiées dans les outils de suivi (terminées : 2). 1 outil de suivi n’a pas répondu : il sera interrogé à nouveau plus tard.",
            section.Find("#actuals-status").TextContent));
        Assert.Equal("status", section.Find("#actuals-status").GetAttribute("role"));
        Assert.Contains($"POST {Path}/refresh", Server.Calls);
        Assert.Equal(2, Server.Calls.Count(c => c == $"GET {Path}")); // read again after the refresh
    }

    [Fact]
    public void APeriodWithoutStoriesFromATracker_SaysWhatItNeeds()
    {
        Server.On("GET", Path, Actuals([], linked: 0, done: 0));

        var section = Render<EstimateActuals>(p => p.Add(c => c.OrgId, OrgId).Add(c => c.TeamId, TeamId).Add(c => c.From, From).Add(c => c.To, To));

        section.WaitForAssertion(() => Assert.StartsWith("Comparer estimations et réalité demande des user stories importées", section.Find("#actuals-none").TextContent, StringComparison.Ordinal));
        Assert.Empty(section.FindAll("#actuals-chart"));
        Assert.Empty(section.FindAll("#actuals-table"));
    }

    private static TeamActualsDto Actuals(ActualsBucketDto[] buckets, int linked, int done, double? correlation = null, bool drifting = false, bool mayRefresh = false) =>
        new(TeamId, From, To, buckets, linked, done, correlation, drifting, null, mayRefresh);
}
