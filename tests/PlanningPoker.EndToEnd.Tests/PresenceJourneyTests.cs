using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Someone who closes their tab is shown away, in words, within seconds, and keeps their role; a reveal with a missing
/// vote says who did not vote.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PresenceJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(1280, 900, ColorScheme.Light, "en-US", "desktop-light-en")]
    [InlineData(360, 740, ColorScheme.Dark, "fr-FR", "phone-dark-fr")]
    public async Task AClosedTabShowsItsOwnerAway_AndTheRevealNamesWhoDidNotVote(int width, int height, ColorScheme scheme, string locale, string shot)
    {
        Browser.RequireChromium();
        var french = locale.StartsWith("fr", StringComparison.Ordinal);
        var fanny = await PersonAsync(width, height, scheme, locale);
        await fanny.GotoAsync("/");
        await Browser.AppRunsAsync(fanny); // typing before the app runs is FirstVisitTests' subject
        await fanny.FillAsync("#room-name", "Sprint 43");
        await fanny.FillAsync("#your-name", "Fanny");
        await fanny.GetByRole(AriaRole.Button, new() { Name = french ? "Créer la salle" : "Create the room" }).ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 43");
        var link = fanny.Url;
        var alice = await JoinAsync(link, "Alice");
        var bob = await JoinAsync(link, "Bob");
        var carol = await JoinAsync(link, "Carol");

        await fanny.GetByRole(AriaRole.Button, new() { Name = french ? "Lancer un vote rapide" : "Start a quick vote" }).ClickAsync();
        var five = alice.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true });
        await five.ClickAsync();
        await Expect(five).ToHaveAttributeAsync("aria-checked", "true");
        await carol.Context.CloseAsync();

        var carolSeat = fanny.Locator(".seat", new() { HasText = "Carol" });
        await Expect(carolSeat.Locator(".badge.away")).ToHaveTextAsync(french ? "absent" : "away");
        await Expect(carolSeat.Locator(".role")).ToHaveCountAsync(0); // still an estimator (the default role goes unsaid), not promoted
        await Browser.ShotAsync(fanny, $"room-away-{shot}");
        await fanny.GetByRole(AriaRole.Button, new() { Name = french ? "Retourner les cartes" : "Reveal the cards" }).ClickAsync();

        var missing = fanny.Locator(".result .missing");
        await Expect(missing).ToContainTextAsync(french ? "1 sur 3 ont voté" : "1 of 3 voted");
        await Expect(missing).ToContainTextAsync("Fanny, Bob");
        await Expect(fanny.Locator("#announcer")).ToContainTextAsync(french ? "1 sur 3 ont voté" : "1 of 3 voted"); // screen readers hear it too
        await Browser.ShotAsync(fanny, $"room-missing-vote-{shot}");
        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal));
        await bob.Context.CloseAsync();
    }

    private async Task<IPage> JoinAsync(string link, string name)
    {
        var page = await PersonAsync();
        await page.GotoAsync(link);
        await Browser.AppRunsAsync(page); // typing before the app runs is FirstVisitTests' subject
        await page.FillAsync("#join-name", name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
        await Expect(page.Locator(".seat", new() { HasText = name }).Locator(".badge").First).ToHaveTextAsync("you");
        return page;
    }
}
