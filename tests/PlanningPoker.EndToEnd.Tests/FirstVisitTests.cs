using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// The first visit of a room's link: the server renders the join form, so that a newcomer types their name at once,
/// before the WebAssembly app has started; what they typed (and a click on "Take my seat") carries over when the app
/// takes the page over. Each test holds the app's start script back to see the page as the server sent it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class FirstVisitTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task TheJoinFormOfARoomLink_IsInTheServersFirstResponse()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        var roomId = await CreateRoomAsync(page, "Sprint 45");

        var response = await page.APIRequest.GetAsync($"/rooms/{roomId}", new() { Headers = new Dictionary<string, string> { ["Accept"] = "text/html" } });
        var html = await response.TextAsync();

        Assert.Equal(200, response.Status);
        Assert.Contains("<input id=\"join-name\"", html, StringComparison.Ordinal);
        Assert.Contains("Join &#x201C;Sprint 45&#x201D;", html, StringComparison.Ordinal);
        Assert.Contains("Take my seat", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANameTypedBeforeTheAppStarts_IsKept_AndTheEarlyClickJoins()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740);
        var roomId = await CreateRoomAsync(page, "Sprint 46");
        var release = await HoldTheAppBackAsync(page);

        await page.GotoAsync($"/rooms/{roomId}", Early);
        await page.FillAsync("#join-name", "Newcomer");
        await page.GetByLabel("Observer").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
        Assert.Equal(1, await page.Locator("main[data-prerendered]").CountAsync()); // the app has not started yet
        release();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 46");
        await Expect(page.GetByText("You are observing")).ToBeVisibleAsync();
        await Expect(page.Locator("ul.table")).ToContainTextAsync("Newcomer");
    }

    [Fact]
    public async Task ANameTypedBeforeTheAppStarts_IsStillInTheFieldOnceItRuns()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        var roomId = await CreateRoomAsync(page, "Sprint 47");
        var release = await HoldTheAppBackAsync(page);
        await page.GotoAsync($"/rooms/{roomId}", Early);
        await page.Locator("#join-name").PressSequentiallyAsync("Ada");

        release();

        await Expect(page.Locator("main[data-prerendered]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#join-name")).ToHaveValueAsync("Ada");
        await Expect(page.Locator("#join-name")).ToBeFocusedAsync();
        await page.Locator("#join-name").PressSequentiallyAsync(" L.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
        await Expect(page.Locator("ul.table .seat", new() { HasText = "Ada L." }).Locator(".badge")).ToHaveTextAsync("you"); // seated (no round open: no hand yet)
    }

    [Fact]
    public async Task TheJoinForm_StaysInPlace_WhileTheAppTakesThePageOver()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        var roomId = await CreateRoomAsync(page, "Sprint 50");
        // Counts the moments the name field is missing from the page after it was first there (a "Loading" in its
        // place would swallow what is typed, or an Enter, at that moment).
        await page.AddInitScriptAsync("""
            window.joinFieldGone = 0;
            let seen = false;
            new MutationObserver(() => {
              if (document.getElementById("join-name")) seen = true; else if (seen) window.joinFieldGone++;
            }).observe(document, { childList: true, subtree: true });
            """);
        var release = await HoldTheAppBackAsync(page);
        await page.GotoAsync($"/rooms/{roomId}", Early);
        await Expect(page.Locator("#join-name")).ToBeEditableAsync();

        release();

        await Expect(page.Locator("main[data-prerendered]")).ToHaveCountAsync(0);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(0, await page.EvaluateAsync<int>("window.joinFieldGone"));
        await page.FillAsync("#join-name", "Grace");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("ul.table .seat", new() { HasText = "Grace" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ASubmitTheMomentTheAppTakesOver_CreatesTheRoomWithWhatWasTyped()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        // A person who presses Enter the very moment the app replaces the server's page: a click on Create in the
        // same turn as the app's first render (an observer made after the page's own, so it runs after it).
        await page.AddInitScriptAsync("""
            document.addEventListener("DOMContentLoaded", () => {
              let done = false;
              new MutationObserver(() => {
                const button = document.getElementById("create-button");
                if (done || document.querySelector("main[data-prerendered]") || !button) return;
                done = true;
                button.click();
              }).observe(document.documentElement, { childList: true, subtree: true });
            });
            """);
        var release = await HoldTheAppBackAsync(page);
        await page.GotoAsync("/", Early);
        await page.FillAsync("#room-name", "Right on time");
        await page.FillAsync("#your-name", "Fanny");

        release();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Right on time");
    }

    [Fact]
    public async Task KeysPressedWhileTheAppStarts_GoToTheFieldThePersonIsIn()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740, ColorScheme.Dark, "fr-FR");
        // The app's start is a long task: keys pressed meanwhile wait, and are delivered when it ends, to what has the
        // focus then. The app focuses its page's heading as it starts; the field the person is in must have the focus
        // back by the end of that task (an observer made after the page's own sees the focus as a waiting key would),
        // else what they typed is lost (seen on a slow phone: the room's name kept, "Votre nom" empty).
        await page.AddInitScriptAsync("""
            document.addEventListener("DOMContentLoaded", () => {
              new MutationObserver((_, observer) => {
                if (document.querySelector("main[data-prerendered]") || !document.getElementById("your-name")) return;
                observer.disconnect();
                window.focusWhenTheAppTookOver = document.activeElement?.id || document.activeElement?.tagName;
              }).observe(document.documentElement, { childList: true, subtree: true });
            });
            """);
        var release = await HoldTheAppBackAsync(page);
        await page.GotoAsync("/", Early);
        await page.FillAsync("#room-name", "Touche par touche");
        await page.FocusAsync("#your-name");

        release();

        await Browser.AppRunsAsync(page);
        Assert.Equal("your-name", await page.EvaluateAsync<string>("() => window.focusWhenTheAppTookOver"));
        await page.Keyboard.TypeAsync("Fanny");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Touche par touche");
        await Expect(page.Locator("ul.table")).ToContainTextAsync("Fanny");
    }

    [Fact]
    public async Task ABrowserHoldingASeat_IsNotShownTheJoinFormBeforeTheRoom()
    {
        Browser.RequireChromium();
        var fanny = await PersonAsync();
        await Browser.CreateRoomAsync(fanny, "Sprint 48", "Fanny");
        var link = fanny.Url;
        var release = await HoldTheAppBackAsync(fanny);

        await fanny.GotoAsync(link, Early);
        await Expect(fanny.Locator("#join-name")).ToBeHiddenAsync();
        release();

        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 48");
        await Expect(fanny.Locator("#join-name")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheCreateForm_UsedBeforeTheAppStarts_OpensItsOptionsAtOnce_AndCreatesTheRoomAsFilledIn()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740);
        var release = await HoldTheAppBackAsync(page);
        await page.GotoAsync("/", Early);

        await page.FillAsync("#room-name", "Early bird");
        await page.FillAsync("#your-name", "Fanny");
        await page.SelectOptionAsync("#deck-type", "TShirt");
        var more = page.GetByRole(AriaRole.Button, new() { Name = "More options" });
        await more.ClickAsync();
        await Expect(more).ToHaveAttributeAsync("aria-expanded", "true"); // at once, before the app
        await Expect(page.Locator("#passcode")).ToBeVisibleAsync();
        await page.FillAsync("#passcode", "s3cret-pass");
        await page.GetByLabel("Reveal when everyone has voted").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the room" }).ClickAsync();
        Assert.Equal(1, await page.Locator("main[data-prerendered]").CountAsync()); // the app has not started yet
        await Expect(page.Locator("#create-button")).ToHaveAttributeAsync("aria-busy", "true");

        release();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/rooms/[a-z0-9]+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Early bird");
        var roomId = page.Url.Split('/')[^1];
        var info = await page.APIRequest.GetAsync($"/api/rooms/{roomId}");
        using var body = JsonDocument.Parse(await info.TextAsync());
        Assert.True(body.RootElement.GetProperty("passcodeRequired").GetBoolean());
        Assert.Equal("tshirt", body.RootElement.GetProperty("deck").GetProperty("type").GetString(), ignoreCase: true);
        await page.GetByText("Timer and settings").ClickAsync();
        await Expect(page.Locator(".more-controls").GetByLabel("Reveal when everyone has voted")).ToBeCheckedAsync();
    }

    [Fact]
    public async Task TheLanguageChosenBeforeTheAppStarts_ReloadsThePageInIt()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        var release = await HoldTheAppBackAsync(page);
        await page.GotoAsync("/", Early);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Create a room" })).ToBeVisibleAsync();

        release();
        await page.SelectOptionAsync("#language", "fr");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Créer une salle" })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
    }

    [Theory]
    [InlineData(360, 740)]
    [InlineData(1280, 800)]
    public async Task TheHomeAndJoinPages_AsTheServerSendsThem_AndOnceTheAppRuns(int width, int height)
    {
        Browser.RequireChromium();
        var page = await PersonAsync(width, height);
        var roomId = await CreateRoomAsync(page, "Sprint 49");
        foreach (var (name, path, ready) in new[] { ("home", "/", "#room-name"), ("join", $"/rooms/{roomId}", "#join-name") })
        {
            var release = await HoldTheAppBackAsync(page);
            await page.GotoAsync(path, Early);
            await Expect(page.Locator(ready)).ToBeEditableAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"first-visit-{name}-{width}x{height}-server.png") });

            release();

            await Expect(page.Locator("main[data-prerendered]")).ToHaveCountAsync(0);
            await Expect(page.Locator(ready)).ToBeEditableAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"first-visit-{name}-{width}x{height}-app.png") });
        }
    }

    // Blazor's script is held back, so the page never finishes loading: act as soon as the server's answer is there.
    private static readonly PageGotoOptions Early = new() { WaitUntil = WaitUntilState.Commit };

    private static async Task<string> CreateRoomAsync(IPage page, string name)
    {
        var created = await page.APIRequest.PostAsync("/api/rooms", new()
        {
            DataObject = new { name, displayName = "Fanny", settings = new { } },
        });
        Assert.Equal(201, created.Status);
        using var body = JsonDocument.Parse(await created.TextAsync());
        return body.RootElement.GetProperty("roomId").GetString()!;
    }

    /// <summary>Holds Blazor's start script back until the returned action runs: the page stays as the server sent it.</summary>
    private static async Task<Action> HoldTheAppBackAsync(IPage page)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/_framework/blazor.web*.js", async route =>
        {
            await gate.Task;
            await route.ContinueAsync();
        });
        return () =>
        {
            gate.TrySetResult();
            _ = page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.IgnoreErrors });
        };
    }
}
