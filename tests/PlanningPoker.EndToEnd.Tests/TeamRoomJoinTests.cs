using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Issue 12's join of a team room: an organisation, a team and its room set up through the API; a colleague signed in
/// through the company's OpenID Connect provider joins in one click (no name typed), votes, and finds the same seat and card from a second browser signed in as
/// them; a guest joins by name; once the team keeps its rooms for members, a new guest is sent to sign in (no name
/// form) and an outsider who signs in is told why they are refused. axe finds nothing on each join state.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TeamRoomJoinTests(Browser browser) : BrowserTest(browser)
{
    private const string Password = "correct horse battery";

    [Theory]
    [MemberData(nameof(DesktopAndPhone))]
    public async Task AMemberJoinsInOneClick_AndKeepsTheSameSeatFromAnotherBrowser_WhileGuestsFollowTheTeamsSetting(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var failures = new StringBuilder();
        var run = Guid.NewGuid().ToString("N")[..8];
        var colleagueEmail = $"chloe-{run}@example.test";

        // The owner sets up an organisation, an invitation, a team and a team room, as the organisation pages would.
        var owner = await OpenAsync(width, height, scheme, locale);
        await Browser.SendAsync(owner, "POST", "/api/account/sign-up", new { email = $"olivia-{run}@example.test", password = Password, displayName = "Olivia" }, 201);
        var org = (await Browser.SendAsync(owner, "POST", "/api/orgs", new { name = $"Acme {run}" }, 201)).GetProperty("id").GetString();
        var token = (await Browser.SendAsync(owner, "POST", $"/api/orgs/{org}/invitations", new { role = "member", maxUses = 5, validForDays = 7 }, 201)).GetProperty("token").GetString();
        var team = (await Browser.SendAsync(owner, "POST", $"/api/orgs/{org}/teams", new { name = "Payments" }, 201)).GetProperty("id").GetString();
        var roomId = (await Browser.SendAsync(owner, "POST", $"/api/orgs/{org}/teams/{team}/rooms", new { name = "Sprint 12" }, 201)).GetProperty("roomId").GetString();
        var teamLine = T("Payments team room", "Salle de l’équipe Payments");

        // The owner, signed in, opens the room: "Join as Olivia" or another name; one click gives back the seat they opened it with.
        await owner.GotoAsync($"/rooms/{roomId}");
        await Browser.AppRunsAsync(owner);
        await Expect(owner.Locator(".join-team")).ToHaveTextAsync(teamLine);
        var joinAsOlivia = owner.GetByRole(AriaRole.Button, new() { Name = T("Join as Olivia", "Rejoindre avec mon compte (Olivia)") });
        await Expect(joinAsOlivia).ToBeVisibleAsync();
        await Expect(owner.Locator("#join-name")).ToHaveCountAsync(0);
        await Axe.CheckAsync(owner, "join, signed in", failures);
        await Browser.ShotAsync(owner, $"join-signed-in-{shot}");
        await owner.GetByRole(AriaRole.Button, new() { Name = T("Join with another name", "Rejoindre sous un autre nom") }).ClickAsync();
        await Expect(owner.Locator("#join-name")).ToBeFocusedAsync();
        await Axe.CheckAsync(owner, "join, signed in, another name", failures);
        await Browser.ShotAsync(owner, $"join-other-name-{shot}");
        await owner.ReloadAsync();
        await Browser.AppRunsAsync(owner);
        await joinAsOlivia.ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        var quickVote = owner.GetByRole(AriaRole.Button, new() { Name = T("Start a quick vote", "Lancer un vote rapide") });
        await Expect(quickVote).ToBeVisibleAsync(); // the opener's seat: a facilitator's

        // A colleague accepts the invitation, opens the room's link and joins without typing anything.
        var colleague = await OpenAsync(width, height, scheme, locale);
        await Browser.SignInAtTheProviderAsync(colleague, colleagueEmail, "Chloé", "/account"); // the company's identity provider (OpenID Connect)
        await Browser.SendAsync(colleague, "POST", "/api/invitations/accept", new { token }, 200);
        await colleague.GotoAsync($"/rooms/{roomId}");
        await Browser.AppRunsAsync(colleague);
        await Expect(colleague.Locator(".join-team")).ToHaveTextAsync(teamLine);
        await colleague.GetByRole(AriaRole.Button, new() { Name = T("Join as Chloé", "Rejoindre avec mon compte (Chloé)") }).ClickAsync();
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        await Expect(owner.Locator(".table .seat")).ToHaveCountAsync(2);

        // The owner starts a round from the room; the colleague votes.
        await quickVote.ClickAsync();
        await VoteAsync(colleague, "5");
        await Expect(owner.Locator(".table .seat", new() { HasText = "Chloé" }).Locator(".face-down")).ToHaveCountAsync(1);

        // Reloaded, the colleague's tab finds its seat with nothing to click (kept like a guest's).
        await colleague.ReloadAsync();
        await Browser.AppRunsAsync(colleague);
        await Expect(colleague.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true })).ToBeCheckedAsync();

        // Another browser, signed in as the colleague: one click, and it is the same seat with the same card.
        var elsewhere = await OpenAsync(width, height, scheme, locale);
        await Browser.SignInAtTheProviderAsync(elsewhere, colleagueEmail, "Chloé", "/account");
        await elsewhere.GotoAsync($"/rooms/{roomId}");
        await Browser.AppRunsAsync(elsewhere);
        await elsewhere.GetByRole(AriaRole.Button, new() { Name = T("Join as Chloé", "Rejoindre avec mon compte (Chloé)") }).ClickAsync();
        await Expect(elsewhere.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true })).ToBeCheckedAsync();
        var mine = elsewhere.Locator(".table .seat", new() { HasText = "Chloé" });
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine.Locator(".badge").First).ToHaveTextAsync(T("you", "vous"));
        await Expect(owner.Locator(".table .seat")).ToHaveCountAsync(2);
        await Browser.ShotAsync(elsewhere, $"join-same-seat-{shot}");

        // A guest joins by name, as in any room.
        var guest = await PersonAsync(width, height, scheme, locale);
        await guest.GotoAsync($"/rooms/{roomId}");
        await Browser.AppRunsAsync(guest);
        await Expect(guest.Locator(".join-team")).ToHaveTextAsync(teamLine);
        await Expect(guest.Locator("#join-other-name")).ToHaveCountAsync(0);
        await Axe.CheckAsync(guest, "join, guest of a team room", failures);
        await Browser.ShotAsync(guest, $"join-guest-team-{shot}");
        await Browser.AppRunsAsync(guest); // typing before the app runs is FirstVisitTests' subject
        await guest.FillAsync("#join-name", "Gaston");
        await guest.GetByRole(AriaRole.Button, new() { Name = T("Take my seat", "Prendre place") }).ClickAsync();
        await Expect(guest.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        await Expect(owner.Locator(".table .seat")).ToHaveCountAsync(3);

        // The team keeps its rooms for the organisation's members: a new guest is sent to sign in, with no name form.
        var settings = await Browser.SendAsync(owner, "GET", $"/api/orgs/{org}/teams/{team}/settings", null, 200);
        await Browser.SendAsync(owner, "PUT", $"/api/orgs/{org}/teams/{team}/settings", new { deckTemplateId = (string?)null, deck = settings.GetProperty("deck"), room = settings.GetProperty("room"), guestsAllowed = false }, 200);
        var outsider = await PersonAsync(width, height, scheme, locale);
        await outsider.GotoAsync($"/rooms/{roomId}");
        await Browser.AppRunsAsync(outsider);
        await Expect(outsider.Locator(".sign-in-prompt")).ToContainTextAsync(T("for the members of its team’s organization", "réservée aux membres de l’organisation de son équipe"));
        await Expect(outsider.Locator(".sign-in-prompt a")).ToHaveAttributeAsync("href", $"account?returnUrl=%2Frooms%2F{roomId}");
        await Expect(outsider.Locator("#join-name")).ToHaveCountAsync(0);
        await Expect(outsider.Locator("form")).ToHaveCountAsync(0);
        await Axe.CheckAsync(outsider, "join, members only, guest", failures);
        await Browser.ShotAsync(outsider, $"join-members-only-{shot}");

        // Signed in but not a member: one click, and the refusal in words.
        await Browser.SendAsync(outsider, "POST", "/api/account/sign-up", new { email = $"oscar-{run}@example.test", password = Password, displayName = "Oscar" }, 201);
        await outsider.ReloadAsync();
        await Browser.AppRunsAsync(outsider);
        await outsider.GetByRole(AriaRole.Button, new() { Name = T("Join as Oscar", "Rejoindre avec mon compte (Oscar)") }).ClickAsync();
        await Expect(outsider.GetByRole(AriaRole.Alert)).ToContainTextAsync(T("your account (Oscar) is not one of them", "votre compte (Oscar) n’en fait pas partie"));
        await Expect(outsider.Locator("form")).ToHaveCountAsync(0);
        await Axe.CheckAsync(outsider, "join, members only, outsider refused", failures);
        await Browser.ShotAsync(outsider, $"join-not-a-member-{shot}");
        await Expect(owner.Locator(".table .seat")).ToHaveCountAsync(3);

        foreach (var page in new[] { owner, colleague, elsewhere, guest, outsider })
        {
            await page.Context.CloseAsync();
        }

        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal));
        Assert.True(failures.Length == 0, $"axe, {shot}:{Environment.NewLine}{failures}");
    }

    /// <summary>A new person on the home page, with the app running (the API calls below are made from its origin).</summary>
    private async Task<IPage> OpenAsync(int width, int height, ColorScheme scheme, string locale)
    {
        var page = await PersonAsync(width, height, scheme, locale);
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);
        return page;
    }

    private static async Task VoteAsync(IPage page, string card)
    {
        var button = page.GetByRole(AriaRole.Radio, new() { Name = card, Exact = true });
        await button.ClickAsync();
        await Expect(button).ToBeCheckedAsync();
    }
}
