using System.Text;
using Microsoft.Playwright;
using PlanningPoker.Tests.Trackers;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Issue 13's journey in a real browser against a fake Jira Cloud on loopback (it checks what Jira checks: Basic
/// email:token, the search/jql paging, the story-points field): a team's facilitator connects the team's Jira from the
/// team page and tests the connection, opens a team room, imports 30 stories with a JQL query, estimates two, and sees
/// both written back, in the room and in the summary, while Jira holds the two estimates.
/// </summary>
public sealed class TrackerJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(DesktopAndPhone))]
    public async Task AFacilitatorConnectsJira_ImportsThirtyStories_EstimatesTwo_AndSeesThemWrittenBack(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var failures = new StringBuilder();
        await using var jira = await FakeJira.StartAsync(cloud: true);
        jira.Seed("TEAM", 30);
        jira.Seed("OPS", 5); // not asked for

        // Olivia has an account, an organisation and a team (the organisation journey shows those pages).
        var (page, org, team) = await TeamOwnerAsync(width, height, scheme, locale);

        // She connects the team's Jira from the team page, then tests the connection.
        await page.GotoAsync($"/orgs/{org}/teams/{team}");
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#tracker-none")).ToBeVisibleAsync();
        await page.Locator("#tracker-add").ClickAsync();
        await page.Locator("#tracker-kind").SelectOptionAsync("JiraCloud");
        await page.Locator("#tracker-name").FillAsync("Jira");
        await page.Locator("#tracker-base-url").FillAsync(jira.Host.BaseUrl.ToString());
        await page.Locator("#tracker-user").FillAsync(FakeJira.Email);
        await page.Locator("#tracker-secret").FillAsync(FakeJira.Token);
        await Axe.CheckAsync(page, "team page, adding a tracker connection", failures);
        await Browser.ShotAsync(page, $"tracker-form-{shot}");
        await page.Locator("#tracker-save").ClickAsync();
        var connection = page.Locator(".tracker-list li");
        await Expect(connection).ToHaveCountAsync(1);
        await Expect(connection.Locator(".name")).ToHaveTextAsync("Jira");
        Assert.DoesNotContain(FakeJira.Token, await page.ContentAsync(), StringComparison.Ordinal);
        await connection.GetByRole(AriaRole.Button, new() { Name = T("Test connection", "Tester la connexion") }).ClickAsync();
        await Expect(connection.Locator(".tracker-account")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Ada Lovelace"));
        await Axe.CheckAsync(page, "team page, a tested connection", failures);
        Assert.True(await FitsAsync(page), "the team page is wider than the screen");
        await Browser.ShotAsync(page, $"tracker-checked-{shot}");

        // A team room, and its backlog imported from Jira with a JQL query: a preview first, then the import.
        await page.Locator("#team-room-name").FillAsync("Sprint 12");
        await page.Locator("#team-room-open").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        var roomPath = new Uri(page.Url).AbsolutePath;
        await page.GetByText(T("Import from a tracker", "Importer depuis un outil de suivi")).ClickAsync();
        await page.Locator("#tracker-import-query").FillAsync("project = TEAM ORDER BY key ASC");
        await page.Locator("#tracker-import-preview").ClickAsync();
        await Expect(page.Locator(".import-tracker .import-preview tbody tr")).ToHaveCountAsync(8);
        Assert.True(await FitsAsync(page), "the import's preview is wider than the screen");
        await Expect(page.Locator(".import-tracker .import-found")).ToHaveTextAsync(T("30 stories found", "30 user stories trouvées")); // Jira's approximate count
        await Expect(page.Locator("#tracker-import-go")).ToHaveTextAsync(T("Import 30 stories", "Importer 30 user stories"));
        await Axe.CheckAsync(page, "room, tracker import preview", failures);
        await Browser.ShotAsync(page, $"tracker-preview-{shot}");
        await page.Locator("#tracker-import-go").ClickAsync();
        await Expect(page.Locator(".import-tracker .import-done")).ToHaveTextAsync(T(
            "Imported. Added: 30 · updated: 0 · unchanged: 0.", "Import terminé. Ajoutées : 30 · mises à jour : 0 · inchangées : 0."));
        await Expect(page.Locator(".backlog .story")).ToHaveCountAsync(30);

        // Two stories estimated: each written back once accepted.
        foreach (var card in new[] { "5", "8" })
        {
            await page.Locator("#estimate-next").ClickAsync();
            await page.GetByRole(AriaRole.Radio, new() { Name = card, Exact = true }).ClickAsync();
            await page.Locator("#reveal-button").ClickAsync();
            await page.Locator("#accept-button").ClickAsync();
        }

        var written = page.Locator(".backlog .write-back.written a");
        await Expect(written).ToHaveCountAsync(2);
        await Expect(written.First).ToHaveTextAsync(T("In the tracker", "Dans l’outil de suivi"));
        await Expect(written.First).ToHaveAttributeAsync("href", new Uri(jira.Host.BaseUrl, "browse/TEAM-1").ToString());
        Assert.Equal((5m, 8m, 1, 1), (jira.EstimateOf("TEAM-1"), jira.EstimateOf("TEAM-2"), jira.WritesTo("TEAM-1"), jira.WritesTo("TEAM-2")));
        Assert.Equal(0, jira.WritesTo("TEAM-3"));
        await Axe.CheckAsync(page, "room, estimates written back", failures);
        await Browser.ShotAsync(page, $"tracker-written-{shot}");

        // The summary says it too.
        await page.GotoAsync(roomPath + "/summary");
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("table.summary .write-back.written")).ToHaveCountAsync(2);
        Assert.True(await FitsAsync(page), "the summary is wider than the screen");
        await Axe.CheckAsync(page, "summary with write-backs", failures);
        await Browser.ShotAsync(page, $"tracker-summary-{shot}");

        // Estimate vs actual: TEAM-1 (the 5) is resolved in Jira three days on, with 6 hours logged; the team's
        // insights ask Jira when Olivia refreshes them, and show it as a bar and in the table with the same numbers.
        var resolved = jira.Issue("TEAM-1");
        (resolved.ResolutionDate, resolved.TimeSpent) = (DateTimeOffset.UtcNow.AddDays(3), 6 * 3600);
        await page.GotoAsync($"/orgs/{org}/teams/{team}/insights");
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#actuals-done")).ToHaveTextAsync(T("0 of 2 stories are done in the tracker.", "0 user story sur 2 est terminée dans l’outil de suivi."));
        await page.Locator("#actuals-refresh").ClickAsync();
        await Expect(page.Locator("#actuals-done")).ToHaveTextAsync(T("1 of 2 stories is done in the tracker.", "1 user story sur 2 est terminée dans l’outil de suivi."));
        var five = page.Locator("#actuals-table tbody tr").Filter(new() { Has = page.Locator("th", new() { HasTextString = "5" }) });
        await Expect(five.Locator("td").Nth(1)).ToHaveTextAsync("1");
        Assert.Equal([await five.Locator("td").Nth(2).TextContentAsync() ?? ""], await page.Locator("#actuals-chart rect.chart-bar + text.chart-value").AllTextContentsAsync());
        Assert.True(await FitsAsync(page), "the insights are wider than the screen");
        await Axe.CheckAsync(page, "insights, estimate vs actual", failures);
        await page.Locator("#actuals").ScrollIntoViewIfNeededAsync();
        await Browser.ShotAsync(page, $"tracker-actuals-{shot}");

        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal));
        Assert.DoesNotContain(FakeJira.Token, Browser.ServerLog, StringComparison.Ordinal);
        Assert.True(failures.Length == 0, $"axe, {shot}:{Environment.NewLine}{failures}");
    }

    /// <summary>Whether the page fits the screen's width (no sideways scrolling of the whole page).</summary>
    private static Task<bool> FitsAsync(IPage page) => page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
}
