using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) finds nothing on every screen and state: home, the join form, a
/// room empty with its guide, in its lobby with a story's menu open, voting, revealed and accepted, its summary and the guide; light and dark, English and French.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AccessibilityTests(Browser browser) : BrowserTest(browser)
{
    public static TheoryData<ColorScheme, string> Combinations { get; } = new()
    {
        { ColorScheme.Light, "en-US" },
        { ColorScheme.Dark, "fr-FR" },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task EveryScreenPassesAxe(ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var failures = new StringBuilder();
        var fanny = await PersonAsync(scheme: scheme, locale: locale);

        // Home.
        await fanny.GotoAsync("/");
        await Expect(fanny.Locator("#room-name")).ToBeVisibleAsync();
        await Axe.CheckAsync(fanny, "home", failures);

        // The room's lobby, with a backlog: one story skipped, the paste box open.
        await Browser.AppRunsAsync(fanny); // typing before the app runs is FirstVisitTests' subject
        await fanny.FillAsync("#room-name", "Axe");
        await fanny.FillAsync("#your-name", "Fanny");
        await fanny.GetByRole(AriaRole.Button, new() { Name = T("Create the room", "Créer la salle") }).ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Axe");
        await Expect(fanny.Locator(".room-guide")).ToBeVisibleAsync();
        await Axe.CheckAsync(fanny, "empty room, with its guide", failures);
        await fanny.GetByText(T("Paste many stories", "Coller plusieurs user stories")).ClickAsync();
        await fanny.FillAsync("#paste-lines", "Login with SSO\nExport the backlog\nDark mode");
        await fanny.GetByRole(AriaRole.Button, new() { Name = T("Add these stories", "Ajouter ces user stories") }).ClickAsync();
        await Expect(fanny.Locator(".story")).ToHaveCountAsync(3);
        await fanny.Locator(".story").Nth(2).GetByRole(AriaRole.Button, new() { Name = T("More actions", "Plus d’actions") }).ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Menu)).ToBeVisibleAsync();
        await Axe.CheckAsync(fanny, "a story's menu open", failures);
        await fanny.GetByRole(AriaRole.Menuitem, new() { Name = T("Skip", "Passer"), Exact = true }).ClickAsync();
        await Expect(fanny.Locator(".story").Nth(2).Locator(".state")).ToHaveTextAsync(T("Skipped", "Passée"));

        // The join form, in a second browser; Bob takes his seat and, later, goes away.
        var bob = await PersonAsync(scheme: scheme, locale: locale);
        await bob.GotoAsync(fanny.Url);
        await Expect(bob.Locator("#join-name")).ToBeVisibleAsync();
        await Axe.CheckAsync(bob, "join", failures);
        await Browser.AppRunsAsync(bob); // typing before the app runs is FirstVisitTests' subject
        await bob.FillAsync("#join-name", "Bob");
        await bob.GetByRole(AriaRole.Button, new() { Name = T("Take my seat", "Prendre place") }).ClickAsync();
        await Expect(fanny.Locator(".table .seat")).ToHaveCountAsync(2);
        // The seat arrives with the join, presence with Bob's connection a moment later: said once, as joining.
        await Expect(fanny.Locator(".table .seat.online")).ToHaveCountAsync(2);
        await Expect(fanny.Locator("#announcer")).ToContainTextAsync(T("Bob joined", "Bob a rejoint"));
        await Axe.CheckAsync(fanny, "lobby", failures);

        // Voting: the announcer says which story; Fanny's card is down, Bob has not voted yet.
        await fanny.Locator(".story").First.GetByRole(AriaRole.Button, new() { Name = T("Estimate", "Estimer"), Exact = true }).ClickAsync();
        await Expect(fanny.Locator("#announcer")).ToContainTextAsync(T("Voting on Login with SSO", "Vote sur Login with SSO"));
        await fanny.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true }).ClickAsync();
        await Expect(fanny.Locator(".table .face-down")).ToHaveCountAsync(1);
        await Expect(fanny.Locator(".table .waiting")).ToHaveCountAsync(1);
        await Axe.CheckAsync(fanny, "voting", failures);

        // Revealed, with Bob away.
        await bob.Context.CloseAsync();
        await Expect(fanny.Locator(".table .seat.away")).ToHaveCountAsync(1);
        await fanny.GetByRole(AriaRole.Button, new() { Name = T("Reveal the cards", "Retourner les cartes") }).ClickAsync();
        await Expect(fanny.Locator(".table .face-up")).ToHaveCountAsync(1);
        await Axe.CheckAsync(fanny, "revealed", failures);

        // Accepted.
        await fanny.GetByRole(AriaRole.Button, new() { Name = T("Accept", "Valider l’estimation"), Exact = true }).ClickAsync();
        await Expect(fanny.Locator(".story").First.Locator(".estimate")).ToHaveTextAsync("5");
        await Expect(fanny.Locator("#announcer")).ToContainTextAsync(T("Login with SSO: 5 accepted", "Login with SSO\u202f: 5 validé"));
        await Axe.CheckAsync(fanny, "accepted", failures);

        // The summary, and the guide.
        await fanny.GetByRole(AriaRole.Link, new() { Name = T("Summary and exports", "Récapitulatif et exports") }).ClickAsync();
        await Expect(fanny.Locator("table.summary tbody tr")).ToHaveCountAsync(3);
        await Axe.CheckAsync(fanny, "summary", failures);
        await fanny.GetByRole(AriaRole.Link, new() { Name = T("Facilitator guide", "Guide de l’animation") }).ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Expect(fanny).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/guide$"));
        await Axe.CheckAsync(fanny, "guide", failures);
        await fanny.Context.CloseAsync();

        Assert.True(failures.Length == 0, $"axe, {scheme} {locale}:{Environment.NewLine}{failures}");
    }
}
