using System.Text;
using Microsoft.Playwright;
using PlanningPoker.Contracts;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Issue 14's dashboard in a real browser: a team plays a workshop (its facilitator and a guest vote on three stories,
/// one re-voted), then the team's member opens "Estimation insights" from the team page and reads the key figures and
/// charts (every chart's numbers are in its table), then the history: the stories newest first, a search, a story's
/// rounds and votes, the CSV of what is shown; then every team side by side from the organisation's page; every page
/// passes axe, in both languages and themes.
/// </summary>
public sealed class InsightsJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(DesktopAndPhone))]
    public async Task AWorkshopPlayed_ShowsOnTheTeamsDashboardAndHistory_WithTablesThatHoldTheChartsNumbers(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var failures = new StringBuilder();

        var (olivia, org, team) = await TeamOwnerAsync(width, height, scheme, locale);

        // The workshop: Olivia opens it from the team page; a guest joins by its link.
        await olivia.GotoAsync($"/orgs/{org}/teams/{team}");
        await Browser.AppRunsAsync(olivia);
        await olivia.Locator("#team-room-name").FillAsync("Sprint 12");
        await olivia.Locator("#team-room-open").ClickAsync();
        await Expect(olivia.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        var room = new Uri(olivia.Url).AbsolutePath;
        await olivia.Locator("details.paste summary").ClickAsync();
        await olivia.Locator("#paste-lines").FillAsync("Login\nLogout\nSearch");
        await olivia.Locator("details.paste button").ClickAsync();
        await Expect(olivia.Locator(".backlog .story")).ToHaveCountAsync(3);

        var guest = await PersonAsync(width, height, scheme, locale);
        await guest.GotoAsync(room);
        await Browser.AppRunsAsync(guest);
        await guest.FillAsync("#join-name", "Gabriel");
        await guest.GetByRole(AriaRole.Button, new() { Name = T("Take my seat", "Prendre place") }).ClickAsync();
        await Expect(olivia.Locator(".table .seat")).ToHaveCountAsync(2);

        // Login: 3 and 3. Logout: 2 and 8, then 5 and 5. Search: 5 and 8, accepted at 8.
        (string Olivia, string Guest)[][] stories = [[("3", "3")], [("2", "8"), ("5", "5")], [("5", "8")]];
        string[] accepted = ["3", "5", "8"];
        for (var story = 0; story < stories.Length; story++)
        {
            await olivia.Locator("#estimate-next").ClickAsync();
            var rounds = stories[story];
            for (var i = 0; i < rounds.Length; i++)
            {
                if (i > 0)
                {
                    await olivia.GetByRole(AriaRole.Button, new() { Name = T("Re-vote", "Revoter") }).ClickAsync();
                }

                await olivia.GetByRole(AriaRole.Radio, new() { Name = rounds[i].Olivia, Exact = true }).ClickAsync();
                await guest.GetByRole(AriaRole.Radio, new() { Name = rounds[i].Guest, Exact = true }).ClickAsync();
                await olivia.Locator("#reveal-button").ClickAsync();
            }

            await olivia.Locator("#accept-card").SelectOptionAsync(accepted[story]);
            await olivia.Locator("#accept-button").ClickAsync();
        }

        await Expect(olivia.Locator(".backlog .story .estimate")).ToHaveCountAsync(3);

        // The dashboard, from the team page.
        await olivia.GotoAsync($"/orgs/{org}/teams/{team}");
        await Browser.AppRunsAsync(olivia);
        await olivia.Locator("#team-insights").ClickAsync();
        await Expect(olivia.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T("How Payments estimates", "Comment Payments estime"));
        await Expect(olivia.Locator("#kpi-stories .kpi-value")).ToHaveTextAsync("3");
        await Expect(olivia.Locator("#kpi-total .kpi-value")).ToHaveTextAsync("16");
        await Expect(olivia.Locator("#workshops-table tbody tr")).ToHaveCountAsync(1);
        await Expect(olivia.Locator("#trend-chart rect.chart-bar")).ToHaveCountAsync(1);

        // Every bar of the estimates chart says the number its table row holds.
        var labels = await olivia.Locator("#estimates-chart text.chart-label").AllTextContentsAsync();
        var values = await olivia.Locator("#estimates-chart text.chart-value").AllTextContentsAsync();
        var rows = await olivia.Locator("#estimates-chart-table tbody tr").AllAsync();
        var table = new List<(string, string)>();
        foreach (var row in rows)
        {
            table.Add((await row.Locator("th").TextContentAsync() ?? "", await row.Locator("td").TextContentAsync() ?? ""));
        }

        Assert.Equal(labels.Zip(values).ToList(), table);
        Assert.Equal([("3", "1"), ("5", "1"), ("8", "1")], table);
        Assert.True(await olivia.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the dashboard is wider than the screen");
        await Axe.CheckAsync(olivia, "estimation insights", failures);
        await Browser.ShotAsync(olivia, $"insights-{shot}");
        var dashboard = await olivia.RunAndWaitForDownloadAsync(() => olivia.Locator("#insights-csv").ClickAsync());
        var dashboardCsv = await File.ReadAllLinesAsync(await dashboard.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal(3, dashboardCsv.Length); // headers, the team, its workshop
        Assert.StartsWith($"team,Payments,{team},,1,3,16,", dashboardCsv[1], StringComparison.Ordinal);

        // The history, from the dashboard: the three stories newest first; a search; a story's rounds; the CSV of what is shown.
        await olivia.Locator("#insights-history").ClickAsync();
        await Expect(olivia.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T("Estimation history of Payments", "Historique des estimations de Payments"));
        await Expect(olivia.Locator("#history-table tbody tr")).ToHaveCountAsync(3);
        Assert.Equal(["Search", "Logout", "Login"], await olivia.Locator("#history-table .history-title").AllTextContentsAsync());
        await olivia.Locator("#history-q").FillAsync("LOG");
        await olivia.Locator("#history-show").ClickAsync();
        await Expect(olivia.Locator("#history-count")).ToHaveTextAsync(T("2 stories match.", "2 user stories correspondent."));
        await olivia.GetByRole(AriaRole.Button, new() { Name = T("Details of Logout", "Détails de Logout") }).ClickAsync();
        await Expect(olivia.Locator(".history-detail .history-rounds li")).ToHaveCountAsync(2);
        await Expect(olivia.Locator(".history-detail .history-votes").First).ToHaveTextAsync("Olivia 2 · Gabriel 8");
        var download = await olivia.RunAndWaitForDownloadAsync(() => olivia.Locator("#history-csv").ClickAsync());
        var csv = await File.ReadAllLinesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal(3, csv.Length);
        Assert.Contains(csv, line => line.Contains("Logout", StringComparison.Ordinal) && line.Contains("Olivia: 2; Gabriel: 8 | Olivia: 5; Gabriel: 5", StringComparison.Ordinal));
        Assert.True(await olivia.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the history is wider than the screen");
        await Axe.CheckAsync(olivia, "estimation history", failures);
        await Browser.ShotAsync(olivia, $"history-{shot}");

        // Every team side by side, from the organisation's page: Payments estimated, Web (a second team) did not.
        await Browser.SendAsync(olivia, "POST", $"/api/orgs/{org}/teams", new CreateTeamRequest("Web"), 201);
        await olivia.GotoAsync($"/orgs/{org}");
        await Browser.AppRunsAsync(olivia);
        await olivia.Locator("#org-insights").ClickAsync();
        await Expect(olivia.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(T("How Acme", "Comment les équipes de Acme"));
        await Expect(olivia.Locator("#orginsights-teams tbody tr")).ToHaveCountAsync(2);
        await Expect(olivia.Locator("#orginsights-hint-quiet")).ToContainTextAsync("Web");
        await olivia.Locator("#sort-stories").ClickAsync();
        Assert.Equal(["Payments", "Web"], await olivia.Locator("#orginsights-teams tbody th").AllTextContentsAsync());
        var consensus = await olivia.Locator("#orginsights-consensus text.chart-value").AllTextContentsAsync();
        Assert.Equal([await olivia.Locator("#orginsights-teams tbody tr").First.Locator("td").Nth(2).TextContentAsync() ?? ""], consensus);
        Assert.True(await olivia.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the teams' page is wider than the screen");
        await Axe.CheckAsync(olivia, "estimation across teams", failures);
        await Browser.ShotAsync(olivia, $"org-insights-{shot}");

        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal));
        Assert.True(failures.Length == 0, $"axe, {shot}:{Environment.NewLine}{failures}");
    }
}
