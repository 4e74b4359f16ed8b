using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// The backlog's "More actions" menu (issue 10, item 5): one action in sight per story, the rest in a menu run from the
/// keyboard; a removed pending story comes back in its place with Undo; removing a skipped one is confirmed first.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BacklogMenuTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(360, 740, ColorScheme.Dark, "fr-FR")]
    [InlineData(1280, 800, ColorScheme.Light, "en-US")]
    public async Task ARemovedStoryComesBackInItsPlaceWithUndo(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var page = await PersonAsync(width, height, scheme, locale);
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page); // typing before the app runs is FirstVisitTests' subject
        await page.FillAsync("#room-name", "Menus");
        await page.FillAsync("#your-name", "Fanny");
        await page.Locator("#create-button").ClickAsync();
        await page.Locator("details.paste summary").ClickAsync();
        await page.FillAsync("#paste-lines", "Login\tAs a user I sign in\nExport\nLogout");
        await page.Locator(".paste button").ClickAsync();
        await Expect(page.Locator(".story-title")).ToHaveTextAsync(["Login", "Export", "Logout"]);
        var login = page.Locator(".story", new() { HasText = "Login" });

        await login.GetByRole(AriaRole.Button, new() { Name = T("More actions", "Plus d’actions") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menu)).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Menu)).ToBeInViewportAsync(new() { Ratio = 1 });
        await page.GetByRole(AriaRole.Menu).ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"backlog-menu-{ShotName(width, scheme, locale)}.png") });
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator(".story-title")).ToHaveTextAsync(["Export", "Logout"]);
        await Expect(page.Locator("#undo-remove")).ToBeFocusedAsync();
        await Expect(page.Locator(".removed-status")).ToContainTextAsync(T("“Login” removed", "«\u202fLogin\u202f» supprimée"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".story-title")).ToHaveTextAsync(["Login", "Export", "Logout"]);
        await Expect(page.Locator(".removed-status")).ToHaveTextAsync("");

        // Its description came back too: it shows once a round opens on it.
        await login.GetByRole(AriaRole.Button, new() { Name = T("Estimate", "Estimer"), Exact = true }).ClickAsync();
        await Expect(page.Locator(".story-details .description")).ToHaveTextAsync("As a user I sign in");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RemovingASkippedStoryIsConfirmedFirst()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740);
        await Browser.CreateRoomAsync(page, "Confirm", "Fanny");
        await page.FillAsync("#new-story", "Export");
        await page.Keyboard.PressAsync("Enter");
        var export = page.Locator(".story", new() { HasText = "Export" });
        await export.GetByRole(AriaRole.Button, new() { Name = "More actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Skip" }).ClickAsync();
        await Expect(export.Locator(".state")).ToHaveTextAsync("Skipped");

        await export.GetByRole(AriaRole.Button, new() { Name = "More actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Remove" }).ClickAsync();
        await Expect(export.Locator(".confirm-remove")).ToContainTextAsync("Remove “Export”?");
        await Browser.ShotAsync(page, "backlog-confirm-remove-phone-light-en");
        await page.Keyboard.PressAsync("Enter"); // focus is on Cancel
        await Expect(export.Locator(".confirm-remove")).ToHaveCountAsync(0);
        await Expect(page.Locator(".story")).ToHaveCountAsync(1);

        await export.GetByRole(AriaRole.Button, new() { Name = "More actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Remove" }).ClickAsync();
        await export.Locator(".confirm-remove").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator(".story")).ToHaveCountAsync(0);
        await Expect(page.Locator("#undo-remove")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheMenusArrowKeysMoveBetweenItsItems_WithoutScrollingThePage()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(1280, 800);
        await Browser.CreateRoomAsync(page, "Scroll", "Fanny");
        await page.Locator("details.paste summary").ClickAsync();
        await page.FillAsync("#paste-lines", string.Join('\n', Enumerable.Range(1, 40).Select(i => $"Story {i}")));
        await page.Locator(".paste button").ClickAsync();
        await Expect(page.Locator(".story")).ToHaveCountAsync(40);
        var story = page.Locator(".story").Nth(15);
        await story.EvaluateAsync("s => s.scrollIntoView({ block: 'center' })");
        await story.GetByRole(AriaRole.Button, new() { Name = "More actions" }).ClickAsync();
        var items = page.GetByRole(AriaRole.Menuitem);
        await Expect(items.First).ToBeFocusedAsync();
        var scrolled = await page.EvaluateAsync<double>("() => window.scrollY");
        Assert.True(scrolled > 0, "the page is scrolled");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollHeight - window.innerHeight - window.scrollY > 200"), "the page can scroll further down");

        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(items.Nth(1)).ToBeFocusedAsync();
        Assert.Equal(scrolled, await page.EvaluateAsync<double>("() => window.scrollY"));
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(items.Nth(2)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(items.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(items.Last).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Home");
        await Expect(items.First).ToBeFocusedAsync();
        Assert.Equal(scrolled, await page.EvaluateAsync<double>("() => window.scrollY"));

        // Elsewhere the keys do what they always do: the menu closed, a story's title is typed and edited as usual.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await page.Locator("#new-story").FocusAsync();
        await page.Keyboard.TypeAsync("Logn");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.PressAsync("Home");
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.TypeAsync("i");
        await Expect(page.Locator("#new-story")).ToHaveValueAsync("Login");
        await page.Context.CloseAsync();
    }
}
