using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>A facilitator and two estimators, each in their own browser, through a whole workshop.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class WorkshopJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task AFacilitatorAndTwoEstimatorsRunAWorkshopInTheBrowser()
    {
        Browser.RequireChromium();

        // The facilitator creates the room.
        var fanny = await PersonAsync();
        var home = await fanny.GotoAsync("/");
        Assert.Contains("script-src 'self' 'wasm-unsafe-eval'", await home!.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Estimate together, in real time");
        await Browser.ShotAsync(fanny, "home-desktop-light");
        await Browser.AppRunsAsync(fanny); // what is typed before the app runs is FirstVisitTests' subject
        await fanny.FillAsync("#room-name", "Sprint 42");
        await fanny.FillAsync("#your-name", "Fanny");
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Create the room" }).ClickAsync();
        await Expect(fanny).ToHaveURLAsync(RoomUrl());
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 42");
        var link = fanny.Url;

        // Two estimators join by the link; each records every WebSocket frame it receives.
        var alice = await JoinAsync(link, "Alice");
        var bob = await JoinAsync(link, "Bob");
        await Expect(fanny.Locator(".table .seat")).ToHaveCountAsync(3);

        // Three stories pasted at once.
        await fanny.GetByText("Paste many stories").ClickAsync();
        await fanny.FillAsync("#paste-lines", "- Login with SSO\tAs a user I sign in with my company account\n- Export the backlog\n- <b>Dark mode</b>");
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Add these stories" }).ClickAsync();
        foreach (var page in new[] { fanny, alice.Page, bob.Page })
        {
            await Expect(page.Locator(".story")).ToHaveCountAsync(3);
        }

        await Expect(bob.Page.Locator(".story-title").Nth(2)).ToHaveTextAsync("<b>Dark mode</b>"); // escaped, not bold

        // A round on the first story; everyone votes a different card.
        await fanny.Locator(".story").First.GetByRole(AriaRole.Button, new() { Name = "Estimate" }).ClickAsync();
        // Views leave descriptions out: each page asks for the current story's when the round opens.
        foreach (var page in new[] { fanny, alice.Page, bob.Page })
        {
            await Expect(page.Locator(".story-details .description")).ToHaveTextAsync("As a user I sign in with my company account");
        }

        await Vote(fanny, "5");
        await Vote(alice.Page, "8");
        await Vote(bob.Page, "3");
        await Expect(fanny.Locator(".progress")).ToHaveTextAsync("3 of 3 have voted");
        await Browser.ShotAsync(fanny, "room-before-reveal-desktop-light");

        // Before the reveal, nobody's page or network traffic holds another's card.
        await Expect(bob.Page.Locator(".table .face-down")).ToHaveCountAsync(3);
        await Expect(bob.Page.Locator(".table .face-up")).ToHaveCountAsync(0);
        Assert.DoesNotMatch("[58]", await bob.Page.Locator(".table").InnerTextAsync());
        Assert.DoesNotContain(bob.Frames, f => f.Contains("\"card\":\"8\"", StringComparison.Ordinal) || f.Contains("\"card\":\"5\"", StringComparison.Ordinal));
        Assert.DoesNotContain(alice.Frames, f => f.Contains("\"card\":\"3\"", StringComparison.Ordinal) || f.Contains("\"card\":\"5\"", StringComparison.Ordinal));
        Assert.Contains(bob.Frames, f => f.Contains("\"type\":\"voteCast\"", StringComparison.Ordinal));

        // A reload finds the same seat and the same vote, without typing anything.
        await alice.Page.ReloadAsync();
        await Expect(alice.Page.Locator(".seat", new() { HasText = "Alice" }).Locator(".badge")).ToHaveTextAsync("you");
        await Expect(alice.Page.GetByRole(AriaRole.Radio, new() { Name = "8", Exact = true })).ToHaveAttributeAsync("aria-checked", "true");
        await Expect(alice.Page.Locator(".story")).ToHaveCountAsync(3);
        await Expect(alice.Page.Locator(".story-details .description")).ToHaveTextAsync("As a user I sign in with my company account");

        // The reveal: every page shows the three cards and the result.
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Reveal the cards" }).ClickAsync();
        foreach (var page in new[] { fanny, alice.Page, bob.Page })
        {
            await Expect(page.Locator(".table .face-up")).ToHaveTextAsync(["5", "8", "3"]);
            await Expect(page.Locator(".result .suggested")).ToBeVisibleAsync();
        }

        await Expect(bob.Page.Locator(".explain")).ToContainTextAsync("Lowest: Bob. Highest: Alice.");
        await Browser.ShotAsync(fanny, "room-after-reveal-desktop-light");

        // Re-vote: the team converges on 5.
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Re-vote" }).ClickAsync();
        await Expect(alice.Page.Locator(".table .face-down")).ToHaveCountAsync(0);
        await Vote(fanny, "5");
        await Vote(alice.Page, "5");
        await Vote(bob.Page, "5");
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Reveal the cards" }).ClickAsync();
        await Expect(bob.Page.Locator(".badge.success")).ToHaveTextAsync("Consensus");

        // The story's rounds side by side: Alice (8 → 5) and Bob (3 → 5) moved, Fanny stayed on 5.
        await Expect(fanny.Locator(".history thead th")).ToHaveTextAsync(["Voter", "Round 1", "Round 2"]);
        await Expect(fanny.Locator(".history td.moved")).ToHaveCountAsync(2);
        await Expect(fanny.Locator(".history tbody tr", new() { HasText = "Fanny" }).Locator("td.moved")).ToHaveCountAsync(0);

        // Accept: the suggested estimate is preselected.
        await Expect(fanny.Locator("#accept-card")).ToHaveValueAsync("5");
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(bob.Page.Locator(".story").First.Locator(".estimate")).ToHaveTextAsync("5");
        await Expect(bob.Page.Locator(".total")).ToContainTextAsync("5");

        // The summary, and its CSV.
        await fanny.GetByRole(AriaRole.Link, new() { Name = "Summary and exports" }).ClickAsync();
        await Expect(fanny.Locator("table.summary tbody tr")).ToHaveCountAsync(3);
        await Browser.ShotAsync(fanny, "summary-desktop-light");
        var download = await fanny.RunAndWaitForDownloadAsync(() => fanny.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        Assert.StartsWith("story_id,external_key,title", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("Login with SSO", csv, StringComparison.Ordinal);
        Assert.Matches(new Regex("Login with SSO,estimated,5,2,accepted,Alice,5", RegexOptions.IgnoreCase), csv);

        // French: the switch is remembered and the room speaks French.
        await bob.Page.SelectOptionAsync("#language", "fr");
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Quitter la salle" })).ToBeVisibleAsync();
        await Expect(bob.Page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Expect(bob.Page.Locator(".story").First.Locator(".state")).ToHaveTextAsync("Estimée");
        await bob.Page.ReloadAsync();
        await Expect(bob.Page.Locator(".total")).ToContainTextAsync("Total des estimations validées");

        // The guide, from any screen.
        await fanny.GetByRole(AriaRole.Link, new() { Name = "Facilitator guide" }).ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("How to run a planning poker workshop");
        await Browser.ShotAsync(fanny, "guide-desktop-light");

        // No page crashed along the way, the Content-Security-Policy refused nothing the app does, and the browser
        // understood every security header.
        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal) || e.Contains("ManagedError", StringComparison.Ordinal));
        var refused = Browser.Errors.Where(e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || e.Contains("Permissions-Policy", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
    }

    private static Regex RoomUrl() => RoomPath();

    [GeneratedRegex("/rooms/[0-9a-z]{16}$")]
    private static partial Regex RoomPath();

    private static async Task Vote(IPage page, string card)
    {
        var button = page.GetByRole(AriaRole.Radio, new() { Name = card, Exact = true });
        await button.ClickAsync();
        await Expect(button).ToHaveAttributeAsync("aria-checked", "true");
    }


    private async Task<Person> JoinAsync(string link, string name)
    {
        var page = await PersonAsync();
        var person = new Person(page);
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => person.Frames.Add(frame.Text ?? "");
        await page.GotoAsync(link);
        await Browser.AppRunsAsync(page); // typing before the app runs is FirstVisitTests' subject
        await page.FillAsync("#join-name", name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
        await Expect(page.Locator(".seat", new() { HasText = name }).Locator(".badge")).ToHaveTextAsync("you");
        return person;
    }

    private sealed record Person(IPage Page)
    {
        public ConcurrentBag<string> Frames { get; } = [];
    }
}
