using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>The invitation link is on screen, and a browser without the Clipboard API (plain-http hosting) says so.</summary>
[Trait("Category", "EndToEnd")]
public sealed class InviteLinkTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task WithoutAClipboard_TheLinkIsShownAndSelected_AndTheFailureIsSaid()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740);
        await page.AddInitScriptAsync("Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });");
        await Browser.CreateRoomAsync(page, "No clipboard", "Fanny");
        var link = page.GetByLabel("Invitation link");
        await Expect(link).ToBeHiddenAsync(); // folded under "Invite people", out of the round's way
        await page.Locator(".invite-panel > summary").ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy the invitation link" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "cannot copy" })).ToBeVisibleAsync();
        await Expect(link).ToHaveValueAsync(page.Url);
        await Expect(link).ToBeFocusedAsync();
        Assert.Equal(page.Url.Length, await link.EvaluateAsync<int>("e => e.selectionEnd - e.selectionStart"));
        await Browser.ShotAsync(page, "invite-link-no-clipboard-phone-light");
    }
}
