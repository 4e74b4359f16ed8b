using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// The create form (issue 10, item 9): the essentials and the create button on the first screen of a phone and of a
/// desktop; every other setting under "More options", and it reaches the room; an error shows beside its field.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CreateFormTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(360, 740, ColorScheme.Dark, "fr-FR")]
    [InlineData(1280, 800, ColorScheme.Light, "en-US")]
    public async Task TheEssentialsAndTheCreateButtonAreOnTheFirstScreen(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var page = await PersonAsync(width, height, scheme, locale);

        await page.GotoAsync("/");

        await Expect(page.Locator("#room-name")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("#your-name")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("#deck-type")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("#create-button")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("#more-options-toggle")).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Locator("#timer")).ToBeHiddenAsync();
        await Browser.ShotAsync(page, $"home-{ShotName(width, scheme, locale)}");
        await page.Locator("#more-options-toggle").ClickAsync();
        await Expect(page.Locator("#timer")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, $"home-more-options-{ShotName(width, scheme, locale)}");
    }

    [Fact]
    public async Task ARoomCreatedWithMoreOptionsHasThem()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740);
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page); // typing before the app runs is FirstVisitTests' subject
        await page.FillAsync("#room-name", "Options");
        await page.FillAsync("#your-name", "Fanny");

        var more = page.GetByRole(AriaRole.Button, new() { Name = "More options" });
        await more.ClickAsync();
        await Expect(more).ToHaveAttributeAsync("aria-expanded", "true");
        await page.GetByLabel("Estimators may reveal the cards").CheckAsync();
        await page.GetByLabel("Start the next story after an accept").CheckAsync();
        await page.GetByLabel("Statistic shown first").SelectOptionAsync("Mean");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the room" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Options");
        await page.Locator(".more-controls > summary").ClickAsync();
        await Expect(page.Locator(".settings").GetByLabel("Estimators may reveal the cards")).ToBeCheckedAsync();
        await Expect(page.Locator(".settings").GetByLabel("Start the next story after an accept")).ToBeCheckedAsync();
        await Expect(page.Locator(".settings").GetByLabel("Reveal when everyone has voted")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#settings-statistic")).ToHaveValueAsync("Mean");
    }

    [Theory]
    [InlineData(ColorScheme.Light, "en-US")]
    [InlineData(ColorScheme.Dark, "fr-FR")]
    public async Task OnAPhone_EveryDeckChoiceFitsItsSelect_AndTheChosenDecksCardsShowBelow(ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740, scheme, locale);
        await page.GotoAsync("/");
        await Expect(page.Locator("main[data-prerendered]")).ToHaveCountAsync(0);
        var deck = page.Locator("#deck-type");

        // A select shows its option's text on one line, in its box less the padding and the arrow (about 20 px in
        // Chromium): measured with the select's own font, no option's text may be wider than that.
        var cut = await deck.EvaluateAsync<string[]>("""
            select => {
              const style = getComputedStyle(select);
              const text = document.createElement("canvas").getContext("2d");
              text.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
              const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
              return [...select.options].filter(o => text.measureText(o.text).width > room).map(o => o.text);
            }
            """);

        Assert.Empty(cut);
        Assert.True(await deck.EvaluateAsync<bool>("s => s.scrollWidth <= s.clientWidth"));
        await Expect(page.Locator("#deck-type-cards .mini-card")).ToHaveTextAsync(["0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89"]);
        await deck.SelectOptionAsync("Hours");
        await Expect(page.Locator("#deck-type-cards .mini-card").First).ToHaveTextAsync(locale.StartsWith("fr", StringComparison.Ordinal) ? "0,5" : "0.5");
        await deck.SelectOptionAsync("ModifiedFibonacci");
        await Expect(page.Locator("#deck-type-cards .mini-card")).ToHaveCountAsync(11);
        await Browser.ShotAsync(page, $"home-deck-phone-{scheme.ToString().ToLowerInvariant()}-{locale[..2]}");
    }

    [Fact]
    public async Task OnAPhone_AnErrorShowsBesideItsField_WhichTakesFocus()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740);
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page); // typing before the app runs is FirstVisitTests' subject
        await page.FillAsync("#room-name", "   ");
        await page.FillAsync("#your-name", "Fanny");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create the room" }).ClickAsync();

        await Expect(page.Locator("#room-name")).ToBeFocusedAsync();
        await Expect(page.Locator("#room-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#room-name + #create-error [role=alert]")).ToContainTextAsync("Choose a name");
        await Expect(page.Locator("#create-error")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Browser.ShotAsync(page, "home-error-phone-light-en");
    }
}
