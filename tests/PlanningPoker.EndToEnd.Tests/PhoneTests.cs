using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>The voting journey on a 360 px phone and on a desktop, in the system's light and dark themes, with no sideways scrolling.</summary>
[Trait("Category", "EndToEnd")]
public sealed class PhoneTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(360, ColorScheme.Light)]
    [InlineData(1280, ColorScheme.Dark)]
    public async Task TheVotingJourneyFitsTheScreen(int width, ColorScheme scheme)
    {
        Browser.RequireChromium();
        var theme = (width < 600 ? "phone-" : "desktop-") + scheme.ToString().ToLowerInvariant();
        var phone = await PersonAsync(width: width, height: width < 600 ? 740 : 900, scheme: scheme);

        await phone.GotoAsync("/");
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await FitsAsync(phone);
        await Browser.ShotAsync(phone, $"home-{theme}");

        await Browser.CreateRoomAsync(phone, "Team sprint", "Fanny");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Start a quick vote" }).ClickAsync();
        var card = phone.GetByRole(AriaRole.Radio, new() { Name = "8", Exact = true });
        await card.ClickAsync();
        await Expect(card).ToHaveAttributeAsync("aria-checked", "true");
        await Expect(phone.Locator("#announcer")).ToHaveTextAsync("1 of 1 have voted");
        await Browser.ShotAsync(phone, $"room-before-reveal-{theme}");
        await FitsAsync(phone);

        await phone.GetByRole(AriaRole.Button, new() { Name = "Reveal the cards" }).ClickAsync();
        await Expect(phone.Locator(".table .face-up")).ToHaveTextAsync(["8"]);
        // One vote is no consensus (issue 9): the suggestion is the card itself.
        await Expect(phone.Locator(".result .suggested")).ToHaveTextAsync("8");
        await Expect(phone.Locator(".badge.success")).ToHaveCountAsync(0);
        await FitsAsync(phone);
        await Browser.ShotAsync(phone, $"room-after-reveal-{theme}");

        await phone.GetByRole(AriaRole.Link, new() { Name = "Summary and exports" }).ClickAsync();
        await Expect(phone.Locator("table.summary")).ToBeVisibleAsync();
        await Browser.ShotAsync(phone, $"summary-{theme}");

        await phone.GetByRole(AriaRole.Link, new() { Name = "Facilitator guide" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await FitsAsync(phone);
        await Browser.ShotAsync(phone, $"guide-{theme}");
    }

    [Fact]
    public async Task TheHandIsPlayableWithTheKeyboardAlone()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);
        await page.FillAsync("#room-name", "Keyboard sprint");
        await page.FillAsync("#your-name", "Kim");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a quick vote" }).ClickAsync();

        var first = page.GetByRole(AriaRole.Radio, new() { Name = "0", Exact = true });
        await Expect(first).ToBeEnabledAsync(); // the round is open once its push arrived
        await first.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "1", Exact = true })).ToHaveAttributeAsync("aria-checked", "true");
        // Typing a card's label plays it (two-digit labels typed within a second are covered by bUnit, on a fake clock).
        await page.Keyboard.PressAsync("5");
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true })).ToHaveAttributeAsync("aria-checked", "true");
    }

    private static async Task FitsAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var culprits = await page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
            ".slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px: {culprits}.");
    }

}
