using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>A mistyped link shows the app's own page, in the reader's language, not the server's raw JSON.</summary>
[Trait("Category", "EndToEnd")]
public sealed class NotFoundPageTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData("en-US", "This page does not exist")]
    [InlineData("fr-FR", "Cette page n’existe pas")]
    public async Task AMistypedLinkShowsTheAppsNotFoundPage(string locale, string title)
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740, locale: locale);

        var response = await page.GotoAsync("/room/4f7k0c2m9x1qa8zt");

        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Browser.ShotAsync(page, $"not-found-phone-{locale}");
    }

    [Fact]
    public async Task TheSummaryOfAMissingRoom_AndOfARoomWithoutASeat_SayDifferentThings()
    {
        Browser.RequireChromium();
        var fanny = await PersonAsync();
        await Browser.CreateRoomAsync(fanny, "Sprint 44", "Fanny");
        var roomPath = new Uri(fanny.Url).AbsolutePath;
        var stranger = await PersonAsync();

        await stranger.GotoAsync("/rooms/zzzzzzzzzzzzzzzz/summary");
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This room does not exist");
        await stranger.GotoAsync(roomPath + "/summary");

        await Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("this browser has no seat");
        await Expect(stranger.GetByRole(AriaRole.Link, new() { Name = "Join the room" })).ToHaveAttributeAsync("href", roomPath.TrimStart('/'));
    }
}
