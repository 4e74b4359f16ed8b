using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Auto-advance: an accept opens the next story's round at once, and everyone still sees what was just accepted,
/// above the new round, until the next accept.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AutoAdvanceTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(1280, 800, ColorScheme.Dark, "fr-FR")]
    [InlineData(360, 740, ColorScheme.Light, "en-US")]
    public async Task AfterAnAccept_EveryoneSeesWhatWasAcceptedAboveTheNextStorysRound(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var device = ShotName(width, scheme, locale);
        var fanny = await PersonAsync(width, height, scheme, locale);
        await fanny.GotoAsync("/");
        await Browser.AppRunsAsync(fanny); // typing before the app runs is FirstVisitTests' subject
        await fanny.FillAsync("#room-name", "Advance");
        await fanny.FillAsync("#your-name", "Fanny");
        await fanny.Locator("#create-button").ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Advance");
        await fanny.Locator(".more-controls > summary").ClickAsync();
        await fanny.Locator(".settings").GetByLabel(T("Start the next story after an accept", "Lancer la user story suivante après validation")).CheckAsync();
        await fanny.Locator(".more-controls > summary").ClickAsync();
        await fanny.Locator("details.paste summary").ClickAsync();
        await fanny.FillAsync("#paste-lines", "Login\nSearch\nExport");
        await fanny.Locator(".paste button").ClickAsync();
        await Expect(fanny.Locator(".story-title")).ToHaveTextAsync(["Login", "Search", "Export"]);

        var bob = await PersonAsync(width, height, scheme, locale);
        await bob.GotoAsync(fanny.Url);
        await Browser.AppRunsAsync(bob); // typing before the app runs is FirstVisitTests' subject
        await bob.FillAsync("#join-name", "Bob");
        await bob.Locator("form.card-panel button[type=submit]").ClickAsync();
        await Expect(fanny.Locator(".table .seat.online")).ToHaveCountAsync(2);

        // Login: both vote 5, Fanny reveals and accepts; the room goes straight to Search's round.
        await fanny.Locator("#estimate-next").ClickAsync();
        await VoteAsync(fanny, "5");
        await VoteAsync(bob, "5");
        await fanny.Locator("#reveal-button").ClickAsync();
        await Expect(fanny.Locator("#accept-card")).ToHaveValueAsync("5");
        await fanny.Locator("#accept-button").ClickAsync();

        foreach (var page in new[] { fanny, bob })
        {
            await Expect(page.Locator(".story.current .story-title")).ToHaveTextAsync("Search");
            await Expect(page.Locator("#stage-title")).ToContainTextAsync("Search");
            await Expect(page.Locator("#last-accepted")).ToHaveTextAsync(T("Accepted: Login · 5", "Estimation validée\u202f: Login · 5"));
            await Expect(page.Locator("#last-accepted")).ToBeInViewportAsync();
        }

        await Expect(fanny.Locator("#card-0")).ToBeFocusedAsync(); // the hand, as after any round's start
        await fanny.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"auto-advance-facilitator-screen-{device}.png") });
        await Browser.ShotAsync(fanny, $"auto-advance-facilitator-{device}");
        await Browser.ShotAsync(bob, $"auto-advance-estimator-{device}");

        // Search: the next accept replaces the line.
        await VoteAsync(fanny, "8");
        await VoteAsync(bob, "8");
        await fanny.Locator("#reveal-button").ClickAsync();
        await Expect(fanny.Locator("#accept-card")).ToHaveValueAsync("8");
        await fanny.Locator("#accept-button").ClickAsync();
        foreach (var page in new[] { fanny, bob })
        {
            await Expect(page.Locator(".story.current .story-title")).ToHaveTextAsync("Export");
            await Expect(page.Locator("#last-accepted")).ToHaveTextAsync(T("Accepted: Search · 8", "Estimation validée\u202f: Search · 8"));
        }

        await fanny.Context.CloseAsync();
        await bob.Context.CloseAsync();
    }

    private static async Task VoteAsync(IPage page, string card)
    {
        await page.GetByRole(AriaRole.Radio, new() { Name = card, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = card, Exact = true })).ToBeCheckedAsync();
    }
}
