using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>The empty room's guide (issue 10, item 9): invite, add stories; each step leaves once done; hidden for good.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RoomGuideTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(360, 740, ColorScheme.Light, "en-US")]
    [InlineData(1280, 800, ColorScheme.Dark, "fr-FR")]
    public async Task TheGuideLeavesStepByStep_AsPeopleJoinAndStoriesArrive(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var fr = locale.StartsWith("fr", StringComparison.Ordinal);
        var fanny = await PersonAsync(width, height, scheme, locale);
        await fanny.GotoAsync("/");
        await Browser.AppRunsAsync(fanny); // typing before the app runs is FirstVisitTests' subject
        await fanny.FillAsync("#room-name", "Guided");
        await fanny.FillAsync("#your-name", "Fanny");
        await fanny.Locator("#create-button").ClickAsync();
        var guide = fanny.Locator(".room-guide");

        await Expect(guide.Locator("li")).ToHaveCountAsync(2);
        await Expect(fanny.Locator("#guide-invite-link")).ToHaveValueAsync(fanny.Url);
        await Browser.ShotAsync(fanny, $"room-guide-{ShotName(width, scheme, locale)}");

        var luc = await PersonAsync(scheme: scheme, locale: locale);
        await luc.GotoAsync(fanny.Url);
        await Browser.AppRunsAsync(luc); // typing before the app runs is FirstVisitTests' subject
        await luc.FillAsync("#join-name", "Luc");
        await luc.Locator("#join-name").PressAsync("Enter");
        await Expect(guide.Locator("li")).ToHaveCountAsync(1);
        await Expect(guide.Locator("li")).ToHaveClassAsync("guide-stories");
        await Expect(luc.Locator(".room-guide")).ToHaveCountAsync(0); // estimators are not guided

        await guide.GetByRole(AriaRole.Button, new() { Name = fr ? "Ajouter des user stories" : "Add stories" }).ClickAsync();
        await Expect(fanny.Locator("#new-story")).ToBeFocusedAsync();
        await fanny.Keyboard.TypeAsync("Login");
        await fanny.Keyboard.PressAsync("Enter");
        await Expect(fanny.Locator(".story")).ToHaveCountAsync(1);
        await Expect(guide).ToHaveCountAsync(0);
        await luc.Context.CloseAsync();
        await fanny.Context.CloseAsync();
    }

    [Fact]
    public async Task AHiddenGuideStaysHiddenInThatRoom()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740);
        await Browser.CreateRoomAsync(page, "Unguided", "Fanny");

        await page.GetByRole(AriaRole.Button, new() { Name = "Hide this guide" }).ClickAsync();
        await Expect(page.Locator(".room-guide")).ToHaveCountAsync(0);
        await Expect(page.Locator("#room-title")).ToBeFocusedAsync();
        await page.ReloadAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Unguided");
        await Expect(page.Locator(".table .seat")).ToHaveCountAsync(1);
        await Expect(page.Locator(".room-guide")).ToHaveCountAsync(0);
    }
}
