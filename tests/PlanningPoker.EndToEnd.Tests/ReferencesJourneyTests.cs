using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Issue 14's calibration in a real browser: a team estimates two stories in one room, marks one as a reference (the
/// API the team's history page calls), sees it on the team page, then in a second room of the team sees the reference
/// under its card during the round and the similar story with its estimate after the reveal; axe finds nothing, in
/// both languages and themes, on a phone and a desktop.
/// </summary>
public sealed class ReferencesJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(DesktopAndPhone))]
    public async Task AReferenceMarkedInOneRoom_CalibratesTheNextRoom_AndItsSimilarStoryShowsAfterTheReveal(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var failures = new StringBuilder();

        var (olivia, org, team) = await TeamOwnerAsync(width, height, scheme, locale);

        // Sprint 41: two stories, Olivia votes alone: 3 and 5.
        var first = await OpenRoomAsync(olivia, org, team, "Sprint 41", "Export invoices to PDF\nLogin page");
        foreach (var card in new[] { "3", "5" })
        {
            await olivia.Locator("#estimate-next").ClickAsync();
            await olivia.GetByRole(AriaRole.Radio, new() { Name = card, Exact = true }).ClickAsync();
            await olivia.Locator("#reveal-button").ClickAsync();
            await olivia.Locator("#accept-card").SelectOptionAsync(card);
            await olivia.Locator("#accept-button").ClickAsync();
        }

        await Expect(olivia.Locator(".backlog .story .estimate")).ToHaveCountAsync(2);

        // The export story becomes the team's reference for a 3, from the team's history; the team page lists it under its card.
        await olivia.GotoAsync($"/orgs/{org}/teams/{team}/history");
        await Browser.AppRunsAsync(olivia);
        var mark = olivia.Locator($"#history-reference-{first}-1");
        await Expect(mark).ToHaveAttributeAsync("aria-pressed", "false");
        await mark.ClickAsync();
        await Expect(mark).ToHaveAttributeAsync("aria-pressed", "true");
        await Axe.CheckAsync(olivia, "history with a reference", failures);
        await olivia.GotoAsync($"/orgs/{org}/teams/{team}");
        await Browser.AppRunsAsync(olivia);
        await Expect(olivia.Locator("#team-references-title")).ToContainTextAsync(T("Reference stories", "User stories de référence"));
        await Expect(olivia.Locator(".reference-list li .story-title")).ToHaveTextAsync("Export invoices to PDF");
        await Expect(olivia.Locator("#team-similar-before")).Not.ToBeCheckedAsync();
        await Axe.CheckAsync(olivia, "team page with references", failures);
        await olivia.Locator("#team-references-title").ScrollIntoViewIfNeededAsync();
        await Browser.ShotAsync(olivia, $"references-team-{shot}");

        // Sprint 42: during the round the reference is there, folded, under its card; no similar stories yet.
        await OpenRoomAsync(olivia, org, team, "Sprint 42", "Export invoices to CSV");
        await olivia.Locator("#estimate-next").ClickAsync();
        var references = olivia.Locator("details.references");
        await Expect(references).ToBeVisibleAsync();
        await references.Locator("summary").ClickAsync();
        await Expect(references.Locator(".reference-card dt")).ToHaveTextAsync("3");
        await Expect(references.Locator(".reference-card .story-title")).ToHaveTextAsync("Export invoices to PDF");
        await Expect(olivia.Locator("section.similar")).ToHaveCountAsync(0);
        await Axe.CheckAsync(olivia, "room during a round, references open", failures);
        await Browser.ShotAsync(olivia, $"references-round-{shot}");

        // After the reveal: the similar story with its estimate and workshop.
        await olivia.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true }).ClickAsync();
        await olivia.Locator("#reveal-button").ClickAsync();
        var similar = olivia.Locator("section.similar");
        await Expect(similar.Locator("h3")).ToHaveTextAsync(T("Similar stories this team estimated", "User stories similaires déjà estimées par l’équipe"));
        await Expect(similar.Locator("li").First).ToContainTextAsync("Export invoices to PDF");
        await Expect(similar.Locator("li").First.Locator(".card-chip")).ToContainTextAsync("3");
        await Expect(similar.Locator("li").First).ToContainTextAsync("Sprint 41");
        Assert.True(await olivia.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the room is wider than the screen");
        await Axe.CheckAsync(olivia, "room after the reveal, similar stories", failures);
        await Browser.ShotAsync(olivia, $"references-similar-{shot}");

        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal));
        Assert.True(failures.Length == 0, $"axe, {shot}:{Environment.NewLine}{failures}");
    }

    /// <summary>Opens a team room from the team page with a pasted backlog; answers the room's id.</summary>
    private static async Task<string> OpenRoomAsync(IPage page, Guid org, Guid team, string name, string backlog)
    {
        await page.GotoAsync($"/orgs/{org}/teams/{team}");
        await Browser.AppRunsAsync(page);
        await page.Locator("#team-room-name").FillAsync(name);
        await page.Locator("#team-room-open").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        await page.Locator("details.paste summary").ClickAsync();
        await page.Locator("#paste-lines").FillAsync(backlog);
        await page.Locator("details.paste button").ClickAsync();
        await Expect(page.Locator(".backlog .story")).ToHaveCountAsync(backlog.Split('\n').Length);
        return new Uri(page.Url).AbsolutePath.Split('/').Last();
    }
}
