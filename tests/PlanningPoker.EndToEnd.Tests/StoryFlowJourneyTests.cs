using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// One facilitator from the keyboard: focus follows each action, a story moved up twice is the same story, the
/// accepted estimate leads to the next story, and the previous story's rounds leave the screen.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class StoryFlowJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task FocusFollowsTheWorkshop_AndAnAcceptedStoryLeadsToTheNextOne()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();

        // Created: focus is on the room's name, not lost on the page.
        await Browser.CreateRoomAsync(page, "Flow", "Fanny");
        await Expect(page.Locator("#room-title")).ToBeFocusedAsync();

        // Pasted: focus stays with the pasting.
        await page.GetByText("Paste many stories").ClickAsync();
        await page.FillAsync("#paste-lines", "Alpha\nBeta\nGamma");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add these stories" }).ClickAsync();
        await Expect(page.Locator(".story-title")).ToHaveTextAsync(["Alpha", "Beta", "Gamma"]);
        await Expect(page.Locator("#paste-lines")).ToBeFocusedAsync();

        // "Move up" twice from the keyboard, in the story's menu, moves the same story twice.
        var gamma = await page.Locator(".story").Nth(2).GetAttributeAsync("data-story");
        await page.Locator($"#menu-{gamma}").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator($"#menu-edit-{gamma}")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator($"#move-up-{gamma}")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".story-title")).ToHaveTextAsync(["Alpha", "Gamma", "Beta"]);
        await Expect(page.Locator($"#move-up-{gamma}")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".story-title")).ToHaveTextAsync(["Gamma", "Alpha", "Beta"]);
        await Expect(page.Locator($"#move-down-{gamma}")).ToBeFocusedAsync(); // "move up" is disabled at the top
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator($"#menu-{gamma}")).ToBeFocusedAsync();
        await Expect(page.Locator($"#menu-{gamma}")).ToHaveAttributeAsync("aria-expanded", "false");

        // The next story is the primary action; once it starts, the hand has focus.
        var next = page.Locator("#estimate-next");
        await Expect(next).ToHaveTextAsync("Estimate next: Gamma");
        await next.ClickAsync();
        await Expect(page.Locator("#stage-title")).ToContainTextAsync("Estimating: Gamma");
        await Expect(page.Locator("#card-0")).ToBeFocusedAsync();

        // Reveal → Accept has focus; a re-vote shows the story's rounds, titled with it.
        await page.GetByRole(AriaRole.Radio, new() { Name = "8", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal the cards" }).ClickAsync();
        await Expect(page.Locator("#accept-button")).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-vote" }).ClickAsync();
        await Expect(page.Locator("#card-0")).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal the cards" }).ClickAsync();
        await Expect(page.Locator(".history h3")).ToHaveTextAsync("Rounds of “Gamma”");
        await Expect(page.Locator("#accept-card")).ToHaveValueAsync("5");

        // Accept: the stage says what was accepted, and "Estimate next" has focus.
        await page.Locator("#accept-button").PressAsync("Enter");
        await Expect(page.Locator("#stage-title")).ToHaveTextAsync("Accepted: Gamma: 5");
        await Expect(next).ToHaveTextAsync("Estimate next: Alpha");
        await Expect(next).ToBeFocusedAsync();

        // The next story's round: no table of Gamma's rounds to anchor the new votes.
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#stage-title")).ToContainTextAsync("Estimating: Alpha");
        await Expect(page.Locator(".history")).ToHaveCountAsync(0);
        await Expect(page.Locator("#card-0")).ToBeFocusedAsync();

        // Cancelled: Alpha is next again, and has focus.
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel the round" }).ClickAsync();
        await Expect(next).ToHaveTextAsync("Estimate next: Alpha");
        await Expect(next).ToBeFocusedAsync();

        // Every story done: the stage says so, with the total, and the quick vote is the primary action.
        foreach (var title in new[] { "Alpha", "Beta" })
        {
            await page.Locator(".story", new() { HasText = title }).GetByRole(AriaRole.Button, new() { Name = "More actions" }).ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Skip" }).ClickAsync();
        }

        await Expect(page.Locator(".stage .done")).ToHaveTextAsync("No story left to estimate. Total of accepted estimates: 5");
        await Expect(next).ToHaveCountAsync(0);
        await Expect(page.Locator("#quick-vote")).ToHaveClassAsync("primary");
    }
}
