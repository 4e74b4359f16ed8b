using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PlanningPoker.Contracts;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Issue 12's whole journey, through the pages: an owner signs up, creates an organisation and an invitation link; a
/// colleague opens the link as a guest (the token stays out of every URL a server sees), signs in through the
/// company's OpenID Connect provider from there, comes back and accepts; the owner creates a team, adds the colleague,
/// saves a T-shirt deck template, gives it to the team and opens a team room; the colleague joins it without typing a
/// name and votes, and a second browser signed in as them finds the same seat and card; a guest joins by the room's
/// link; an outsider is refused the organisation's page, its API and, once the team keeps its rooms for members, the
/// room. axe finds nothing on each page; screenshots of each.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class OrganisationJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [MemberData(nameof(DesktopAndPhone))]
    public async Task AnOwnerInvitesAColleague_WhoSignsInThroughTheCompany_AndVotesInTheTeamsRoom_WhileAnOutsiderIsRefused(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var failures = new StringBuilder();
        var run = Guid.NewGuid().ToString("N")[..8];
        var organisation = $"Acme {run}";

        // A guest at /orgs is offered the sign-in page, with the way back.
        var owner = await PersonAsync(width, height, scheme, locale);
        await owner.GotoAsync("/orgs");
        await Browser.AppRunsAsync(owner);
        var signIn = owner.GetByRole(AriaRole.Link, new() { Name = T("Sign in or create an account", "Se connecter ou créer un compte") });
        await Expect(signIn).ToHaveAttributeAsync("href", "account?returnUrl=%2Forgs");
        await Axe.CheckAsync(owner, "orgs as a guest", failures);
        await Browser.ShotAsync(owner, $"orgs-guest-{shot}");

        // The owner signs up and creates an organisation.
        await SignUpAsync(owner, $"owner-{run}@example.test", "Olivia");
        await owner.GotoAsync("/orgs");
        await Browser.AppRunsAsync(owner);
        await Expect(owner.Locator("#org-name")).ToBeVisibleAsync();
        await Axe.CheckAsync(owner, "orgs, none yet", failures);
        await Browser.ShotAsync(owner, $"orgs-empty-{shot}");
        await owner.FillAsync("#org-name", organisation);
        await owner.GetByRole(AriaRole.Button, new() { Name = T("Create the organization", "Créer l’organisation") }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(organisation);
        await Expect(owner).ToHaveURLAsync(OrganisationUrl());
        var orgPath = new Uri(owner.Url).AbsolutePath;

        // An invitation link, shown once.
        await owner.GetByRole(AriaRole.Button, new() { Name = T("Create a link", "Créer un lien") }).ClickAsync();
        var linkBox = owner.Locator("#invite-link");
        await Expect(linkBox).ToHaveValueAsync(new Regex("/invite#token=.+"));
        var link = await linkBox.InputValueAsync();
        await Expect(owner.Locator(".invitation-list li")).ToHaveCountAsync(1);
        await Axe.CheckAsync(owner, "organization, with a new link", failures);
        await Browser.ShotAsync(owner, $"org-owner-{shot}");

        // The colleague opens it as a guest: what it leads to, and a way to sign in that does not carry the token.
        var colleague = await PersonAsync(width, height, scheme, locale);
        await colleague.GotoAsync(link);
        await Browser.AppRunsAsync(colleague);
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 2 }))
            .ToHaveTextAsync(T($"Join {organisation} as a member", $"Rejoindre {organisation} en tant que membre"));
        await Expect(colleague.Locator("#invite-sign-in")).ToHaveAttributeAsync("href", "account?returnUrl=%2Finvite");
        await Expect(colleague).ToHaveURLAsync(new Regex("/invite$")); // the fragment is out of the address bar
        await Axe.CheckAsync(colleague, "invitation, as a guest", failures);
        await Browser.ShotAsync(colleague, $"invite-guest-{shot}");

        // Signed in through the company's provider, from the invitation's own link, and back at /invite with no fragment:
        // the tab kept the token.
        var colleagueEmail = $"colleague-{run}@example.test";
        await colleague.Locator("#invite-sign-in").ClickAsync();
        await colleague.GetByRole(AriaRole.Link, new() { Name = T($"Sign in with {Browser.ProviderDisplayName}", $"Se connecter avec {Browser.ProviderDisplayName}") }).ClickAsync();
        await Browser.AnswerTheProviderAsync(colleague, colleagueEmail, "Chloé", "/invite");
        var accept = colleague.GetByRole(AriaRole.Button, new() { Name = T("Accept the invitation", "Accepter l’invitation") });
        await Expect(accept).ToBeVisibleAsync();
        await Axe.CheckAsync(colleague, "invitation, signed in", failures);
        await Browser.ShotAsync(colleague, $"invite-signed-in-{shot}");
        await accept.ClickAsync();
        await Expect(colleague).ToHaveURLAsync(new Regex(Regex.Escape(orgPath) + "$"));
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(organisation);
        await Expect(colleague.Locator(".org-head .badge")).ToHaveTextAsync(T("Your role: member", "Votre rôle\u202f: membre"));
        // A plain member is offered no invitation, no role change, no removal.
        await Expect(colleague.Locator("#invite-create")).ToHaveCountAsync(0);
        await Expect(colleague.Locator(".role-select")).ToHaveCountAsync(0);
        await Expect(colleague.Locator("#leave-org")).ToBeVisibleAsync();
        await Axe.CheckAsync(colleague, "organization, as a member", failures);
        await Browser.ShotAsync(colleague, $"org-member-{shot}");

        // The link was single-use: the owner sees it used up, and the colleague among the members.
        await owner.ReloadAsync();
        await Browser.AppRunsAsync(owner);
        await Expect(owner.Locator(".member-list li")).ToHaveCountAsync(2);
        await Expect(owner.Locator(".invitation-list li .badge")).ToHaveTextAsync(T("used up", "épuisé"));

        // A team, and the colleague in it.
        await owner.FillAsync("#team-name", "Platform");
        await owner.GetByRole(AriaRole.Button, new() { Name = T("Create the team", "Créer l’équipe") }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Platform");
        await Expect(owner).ToHaveURLAsync(new Regex(Regex.Escape(orgPath) + "/teams/[0-9a-f-]{36}$"));
        await owner.Locator("#team-add").SelectOptionAsync(new SelectOptionValue { Label = "Chloé" });
        await owner.GetByRole(AriaRole.Button, new() { Name = T("Add", "Ajouter"), Exact = true }).ClickAsync();
        await Expect(owner.Locator(".member-list li")).ToHaveCountAsync(1);
        await Expect(owner.Locator(".member-list li .name")).ToHaveTextAsync("Chloé");
        await Axe.CheckAsync(owner, "team", failures);
        await Browser.ShotAsync(owner, $"team-owner-{shot}");

        // The colleague sees the team, as a member.
        await colleague.ReloadAsync();
        await Browser.AppRunsAsync(colleague);
        await colleague.GetByRole(AriaRole.Link, new() { Name = "Platform" }).ClickAsync();
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Platform");
        await Expect(colleague.Locator("#team-add")).ToHaveCountAsync(0);
        await Axe.CheckAsync(colleague, "team, as a member", failures);
        await Browser.ShotAsync(colleague, $"team-member-{shot}");

        // The owner saves a T-shirt deck template for every team, gives it to the team, and opens a team room from the
        // team page: the room has the template's cards and the team's name, and the team page lists it as active.
        await owner.Locator(".crumbs a").ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(organisation);
        await owner.Locator("#deck-new").ClickAsync();
        await owner.FillAsync("#deck-name", "T-shirts");
        await owner.Locator("#deck-type").SelectOptionAsync("TShirt");
        await owner.Locator("#deck-save").ClickAsync();
        await Expect(owner.Locator(".deck-list li .name")).ToHaveTextAsync("T-shirts");
        await Axe.CheckAsync(owner, "organization, with a deck template", failures);
        await owner.GetByRole(AriaRole.Link, new() { Name = "Platform" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Platform");
        await owner.Locator("#deck-source-template").CheckAsync();
        await owner.Locator("#deck-template").SelectOptionAsync(new SelectOptionValue { Label = "T-shirts" });
        await owner.Locator("#team-settings-save").ClickAsync();
        await Expect(owner.Locator(".org-head + [role=status]")).ToHaveTextAsync(T("Team settings saved", "Réglages de l’équipe enregistrés"));
        await owner.FillAsync("#team-room-name", "Sprint 12");
        await owner.Locator("#team-room-open").ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        var roomId = new Uri(owner.Url).Segments[^1];
        var info = System.Text.Json.JsonSerializer.Deserialize<RoomInfoDto>(await Browser.SendAsync(owner, "GET", $"/api/rooms/{roomId}", null, 200), System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal((DeckType.TShirt, "Platform"), (info.Deck.Type, info.TeamName));
        var roomUrl = owner.Url;
        await owner.GoBackAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Platform");
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Sprint 12" })).ToBeVisibleAsync();
        await Axe.CheckAsync(owner, "team, with an active room", failures);
        await Browser.ShotAsync(owner, $"team-rooms-{shot}");
        var teamPage = owner.Url;

        // Back in the room, the owner has the seat they opened it with; the colleague joins from the room's link without
        // typing a name, and votes.
        await owner.GotoAsync(roomUrl);
        await Browser.AppRunsAsync(owner);
        var quickVote = owner.GetByRole(AriaRole.Button, new() { Name = T("Start a quick vote", "Lancer un vote rapide") });
        await Expect(quickVote).ToBeVisibleAsync();
        await colleague.GotoAsync(roomUrl);
        await Browser.AppRunsAsync(colleague);
        await Expect(colleague.Locator("#join-name")).ToHaveCountAsync(0);
        await colleague.GetByRole(AriaRole.Button, new() { Name = T("Join as Chloé", "Rejoindre avec mon compte (Chloé)") }).ClickAsync();
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        await Expect(owner.Locator(".table .seat")).ToHaveCountAsync(2);
        await quickVote.ClickAsync();
        var medium = colleague.GetByRole(AriaRole.Radio, new() { Name = "M", Exact = true }); // the team's T-shirt deck
        await medium.ClickAsync();
        await Expect(medium).ToBeCheckedAsync();
        await Expect(owner.Locator(".table .seat", new() { HasText = "Chloé" }).Locator(".face-down")).ToHaveCountAsync(1);

        // A second browser, signed in as the colleague through the provider: one click, the same seat, the same card.
        var elsewhere = await PersonAsync(width, height, scheme, locale);
        await Browser.SignInAtTheProviderAsync(elsewhere, colleagueEmail, "Chloé", new Uri(roomUrl).AbsolutePath);
        await elsewhere.GetByRole(AriaRole.Button, new() { Name = T("Join as Chloé", "Rejoindre avec mon compte (Chloé)") }).ClickAsync();
        await Expect(elsewhere.GetByRole(AriaRole.Radio, new() { Name = "M", Exact = true })).ToBeCheckedAsync();
        await Expect(elsewhere.Locator(".table .seat", new() { HasText = "Chloé" })).ToHaveCountAsync(1);
        await Expect(owner.Locator(".table .seat")).ToHaveCountAsync(2);
        await Browser.ShotAsync(elsewhere, $"team-room-same-seat-{shot}");

        // A guest joins by the room's link, with a name, as in any room.
        var guest = await PersonAsync(width, height, scheme, locale);
        await guest.GotoAsync(roomUrl);
        await Browser.AppRunsAsync(guest);
        await guest.FillAsync("#join-name", "Gaston");
        await guest.GetByRole(AriaRole.Button, new() { Name = T("Take my seat", "Prendre place") }).ClickAsync();
        await Expect(guest.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        await Expect(owner.Locator(".table .seat")).ToHaveCountAsync(3);

        // An outsider, signed in, is refused everywhere: the organisation's page, its API, and the room once the team
        // keeps its rooms for the organisation's members (the owner's choice on the team page).
        var outsider = await PersonAsync(width, height, scheme, locale);
        await outsider.GotoAsync("/");
        await Browser.AppRunsAsync(outsider);
        await SignUpAsync(outsider, $"outsider-{run}@example.test", "Oscar");
        await outsider.GotoAsync(teamPage);
        await Browser.AppRunsAsync(outsider);
        await Expect(outsider.GetByRole(AriaRole.Alert)).ToHaveTextAsync(T(
            "There is no such organization, or you are not a member.", "Cette organisation n’existe pas, ou vous n’en êtes pas membre."));
        await Expect(outsider.GetByText("Platform")).ToHaveCountAsync(0);
        await Axe.CheckAsync(outsider, "team page, outsider", failures);
        await Browser.ShotAsync(outsider, $"team-outsider-{shot}");
        var orgId = orgPath.Split('/')[^1];
        await Browser.SendAsync(outsider, "GET", $"/api/orgs/{orgId}/teams", null, 404);
        await Browser.SendAsync(outsider, "POST", $"/api/orgs/{orgId}/invitations", new { role = "admin" }, 404);
        await Browser.SendAsync(outsider, "DELETE", $"/api/orgs/{orgId}", null, 404);
        await owner.GotoAsync(teamPage);
        await Browser.AppRunsAsync(owner);
        await owner.Locator("#team-guests").UncheckAsync();
        await owner.Locator("#team-settings-save").ClickAsync();
        await Expect(owner.Locator(".org-head + [role=status]")).ToHaveTextAsync(T("Team settings saved", "Réglages de l’équipe enregistrés"));
        await outsider.GotoAsync(roomUrl);
        await Browser.AppRunsAsync(outsider);
        await outsider.GetByRole(AriaRole.Button, new() { Name = T("Join as Oscar", "Rejoindre avec mon compte (Oscar)") }).ClickAsync();
        await Expect(outsider.GetByRole(AriaRole.Alert)).ToContainTextAsync(T("your account (Oscar) is not one of them", "votre compte (Oscar) n’en fait pas partie"));
        await Axe.CheckAsync(outsider, "team room, outsider refused", failures);
        var seats = System.Text.Json.JsonSerializer.Deserialize<RoomInfoDto>(await Browser.SendAsync(owner, "GET", $"/api/rooms/{roomId}", null, 200), System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.True(seats.MembersOnly);

        Assert.DoesNotContain(Browser.Errors, e => e.Contains("uncaught", StringComparison.Ordinal) || e.Contains("Unhandled", StringComparison.Ordinal));
        Assert.True(failures.Length == 0, $"axe, {shot}:{Environment.NewLine}{failures}");
    }

    /// <summary>Signs up from the page, as the account pages would (the same call, with the CSRF header).</summary>
    private static async Task SignUpAsync(IPage page, string email, string name) =>
        await Browser.SendAsync(page, "POST", "/api/account/sign-up", new { email, password = "correct horse battery", displayName = name }, 201);

    [GeneratedRegex("/orgs/[0-9a-f-]{36}$")]
    private static partial Regex OrganisationUrl();
}
