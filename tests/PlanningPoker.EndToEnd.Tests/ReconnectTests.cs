using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>A network loss in the middle of a round: the participant comes back on their own, same seat, same vote.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class ReconnectTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task AfterTheConnectionDropsTheParticipantIsBackInTheSameSeatWithTheSameVote()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        IWebSocketRoute? socket = null;
        var sockets = 0;
        var reopened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteWebSocketAsync(HubSocket(), route =>
        {
            socket = route;
            if (Interlocked.Increment(ref sockets) > 1)
            {
                reopened.TrySetResult();
            }

            route.ConnectToServer();
        });

        await Browser.CreateRoomAsync(page, "Flaky wifi", "Fanny");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a quick vote" }).ClickAsync();
        var card = page.GetByRole(AriaRole.Radio, new() { Name = "13", Exact = true });
        await card.ClickAsync();
        await Expect(card).ToHaveAttributeAsync("aria-checked", "true");

        // The network drops the hub's WebSocket.
        await socket!.CloseAsync(new() { Code = 4000, Reason = "network lost" });

        // The client reconnects by itself (a new socket), joins again with its token, and finds its seat and vote.
        await reopened.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await Expect(page.Locator(".banner")).ToHaveCountAsync(0);
        await Expect(card).ToHaveAttributeAsync("aria-checked", "true");
        await Expect(page.Locator(".seat", new() { HasText = "Fanny" }).Locator(".badge")).ToHaveTextAsync("you");
        await Expect(page.Locator(".table .face-down")).ToHaveCountAsync(1);
        await Expect(page.Locator(".seat")).ToHaveCountAsync(1);
    }

    [GeneratedRegex("/hubs/room")]
    private static partial Regex HubSocket();
}
