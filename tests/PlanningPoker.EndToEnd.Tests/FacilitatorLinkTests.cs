using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// The facilitator link: the creator takes the room back from another device, and an estimator who is handed the link
/// becomes a facilitator; the key leaves the address bar once read.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class FacilitatorLinkTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task TheFacilitatorLinkOpensAFacilitatorsSeatOnAnotherDevice_AndPromotesAnEstimatorWhoOpensIt()
    {
        Browser.RequireChromium();
        var fanny = await PersonAsync();
        await Browser.CreateRoomAsync(fanny, "Hand-over", "Fanny");
        var invitation = fanny.Url;
        var alice = await PersonAsync(360, 740);
        await alice.GotoAsync(invitation);
        await Browser.AppRunsAsync(alice); // typing before the app runs is FirstVisitTests' subject
        await alice.FillAsync("#join-name", "Alice");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
        await Expect(alice.Locator(".seat", new() { HasText = "Alice" }).Locator(".badge")).ToHaveTextAsync("you");
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Start a quick vote" })).ToHaveCountAsync(0);

        await fanny.GetByText("Invite people", new() { Exact = true }).ClickAsync();
        await fanny.GetByText("Facilitator link", new() { Exact = true }).ClickAsync();
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Show the facilitator link" }).ClickAsync();
        var link = await fanny.GetByLabel("Facilitator link (secret)").InputValueAsync();
        await Browser.ShotAsync(fanny, "facilitator-link-desktop-light");

        // Fanny on her phone: a new device, no seat yet.
        var phone = await PersonAsync(360, 740, ColorScheme.Dark);
        await phone.GotoAsync(link);
        await Expect(phone.GetByText("You opened a facilitator link")).ToBeVisibleAsync();
        await Expect(phone.GetByRole(AriaRole.Radio, new() { Name = "Observer" })).ToHaveCountAsync(0);
        await Browser.ShotAsync(phone, "facilitator-link-join-phone-dark");
        await Browser.AppRunsAsync(phone); // typing before the app runs is FirstVisitTests' subject
        await phone.FillAsync("#join-name", "Fanny (phone)");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Start a quick vote" })).ToBeVisibleAsync();
        await Expect(phone).ToHaveURLAsync(NoFragment());

        // Alice is handed the link: her own seat becomes a facilitator's.
        await alice.GotoAsync(link);
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Start a quick vote" })).ToBeVisibleAsync();
        await Expect(alice.Locator(".seat", new() { HasText = "Alice" }).Locator(".role")).ToHaveTextAsync("Facilitator");
        await Expect(alice).ToHaveURLAsync(NoFragment());
        await Expect(fanny.Locator(".seat")).ToHaveCountAsync(3);
        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal));
    }

    [GeneratedRegex("/rooms/[0-9a-z]+$")]
    private static partial Regex NoFragment();
}
