using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// An account from the header's link to a personal API token: sign up, the name in the header (on the server's first
/// paint too), sign out, a wrong password said in words, sign in again, a token shown once and working, then revoked;
/// axe finds nothing on the account pages. A guest's home page fails no request. A reset link from the server's log
/// sets a new password.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AccountJourneyTests(Browser browser) : BrowserTest(browser)
{
    private const string Password = "correct horse battery staple";

    [Theory]
    [InlineData(1280, 800, ColorScheme.Light, "en-US")]
    [InlineData(360, 740, ColorScheme.Dark, "fr-FR")]
    public async Task SignUp_SignOut_SignInAfterAWrongPassword_AndAPersonalTokenShownOnceThenRevoked(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var axe = new StringBuilder();
        var email = $"fanny-{Guid.NewGuid():N}@example.com";
        var page = await PersonAsync(width, height, scheme, locale);
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);

        // Sign up from the header's link: back home, the name in the header and in the create form.
        var accountLink = page.Locator("#account-link");
        await Expect(accountLink).ToHaveTextAsync(T("Sign in", "Se connecter"));
        await accountLink.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T("Sign in", "Connexion"));
        await Expect(page.Locator("#sign-up-name")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, $"account-signed-out-{shot}");
        await Axe.CheckAsync(page, "sign in", axe);
        await page.FillAsync("#sign-up-name", "Fanny");
        await page.FillAsync("#sign-up-email", email);
        await page.FillAsync("#sign-up-password", Password);
        await page.Locator("#sign-up-button").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(accountLink).ToContainTextAsync("Fanny");
        await Expect(page.Locator("#your-name")).ToHaveValueAsync("Fanny");
        await Expect(page.Locator("#your-teams")).ToBeVisibleAsync();
        await Expect(page.Locator("#account-rooms")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, $"home-signed-in-{shot}");
        await Axe.CheckAsync(page, "home, signed in", axe);

        // The server's first paint already says who: the header does not flash "Sign in".
        var first = await (await page.APIRequest.GetAsync("/", new() { Headers = new Dictionary<string, string> { ["Accept"] = "text/html" } })).TextAsync();
        Assert.Matches("id=\"account-link\"[^>]*href=\"account\"><span class=\"visually-hidden\">[^<]*</span><span class=\"account-name\">Fanny</span>", first);

        // The account page, then signing out.
        await accountLink.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T("Your account", "Votre compte"));
        await Expect(page.Locator("#account-email")).ToHaveTextAsync(email);
        await Browser.ShotAsync(page, $"account-signed-in-{shot}");
        await Axe.CheckAsync(page, "account", axe);
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T("Sign in", "Connexion"));
        await Expect(accountLink).ToHaveTextAsync(T("Sign in", "Se connecter"));

        // A wrong password, said in words beside the form; then the right one.
        await page.FillAsync("#sign-in-email", email);
        await page.FillAsync("#sign-in-password", "not my password");
        await page.Locator("#sign-in-button").ClickAsync();
        await Expect(page.Locator("#sign-in-error").GetByRole(AriaRole.Alert))
            .ToHaveTextAsync(T("The email or the password is wrong.", "L’adresse e-mail ou le mot de passe est incorrect."));
        await Expect(page.Locator("#sign-in-password")).ToHaveAttributeAsync("aria-invalid", "true");
        await Browser.ShotAsync(page, $"account-wrong-password-{shot}");
        await Axe.CheckAsync(page, "wrong password", axe);
        await page.FillAsync("#sign-in-password", Password);
        await page.Locator("#sign-in-button").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T("Your account", "Votre compte"));
        await Expect(accountLink).ToContainTextAsync("Fanny");

        // A personal token: shown once, it works; revoked, it no longer does.
        await page.GetByRole(AriaRole.Link, new() { Name = T("Personal API tokens", "Jetons d’API personnels") }).ClickAsync();
        await Expect(page.Locator("#no-tokens")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, $"tokens-empty-{shot}");
        await Axe.CheckAsync(page, "tokens, none", axe);
        await page.FillAsync("#token-name", "Nightly export");
        await page.GetByLabel(T("Read and write", "Lecture et écriture")).CheckAsync();
        await page.FillAsync("#token-days", "30");
        await page.Locator("#create-token").ClickAsync();
        var secretField = page.Locator("#new-token-value");
        await Expect(secretField).ToHaveValueAsync(new Regex("^pp_"));
        await Expect(page.Locator("#new-token")).ToContainTextAsync(T("you will not see it again", "vous ne le reverrez plus"));
        await Expect(page.Locator("li.token")).ToHaveCountAsync(1);
        await Browser.ShotAsync(page, $"tokens-made-{shot}");
        await Axe.CheckAsync(page, "tokens, one made", axe);
        var secret = await secretField.InputValueAsync();
        using var script = new HttpClient { BaseAddress = Browser.BaseAddress };
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/account/me", TestContext.Current.CancellationToken)).StatusCode);

        await page.Locator("#token-done").ClickAsync();
        await Expect(secretField).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("li.token .token-name")).ToContainTextAsync("Nightly export");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal); // never shown again

        await page.Locator("li.token").GetByRole(AriaRole.Button, new() { Name = T("Revoke “Nightly export”", "Révoquer « Nightly export »") }).ClickAsync();
        await Expect(page.Locator("li.token .confirm")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, $"tokens-revoke-confirm-{shot}");
        await Axe.CheckAsync(page, "tokens, revoking", axe);
        await page.GetByRole(AriaRole.Button, new() { Name = T("Yes, revoke it", "Oui, le révoquer") }).ClickAsync();
        await Expect(page.Locator("#no-tokens")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/account/me", TestContext.Current.CancellationToken)).StatusCode);

        // Deleting the account: what happens is said, asked once more, then done; the password opens nothing after.
        await accountLink.ClickAsync();
        await page.Locator("#delete-account").ClickAsync();
        await Expect(page.Locator("#confirm-delete-account-question")).ToHaveTextAsync(
            T("Delete your account for good? This cannot be undone.", "Supprimer votre compte pour de bon ? C’est irréversible."));
        await Expect(page.Locator("#confirm-delete-account-no")).ToBeFocusedAsync();
        await Browser.ShotAsync(page, $"account-delete-confirm-{shot}");
        await Axe.CheckAsync(page, "account, deleting", axe);
        await page.Locator("#confirm-delete-account-yes").ClickAsync();
        await Expect(page.Locator("#account-deleted")).ToHaveTextAsync(T("Your account is deleted.", "Votre compte est supprimé."));
        await Expect(accountLink).ToHaveTextAsync(T("Sign in", "Se connecter"));
        await Browser.ShotAsync(page, $"account-deleted-{shot}");
        await page.FillAsync("#sign-in-email", email);
        await page.FillAsync("#sign-in-password", Password);
        await page.Locator("#sign-in-button").ClickAsync();
        await Expect(page.Locator("#sign-in-error").GetByRole(AriaRole.Alert))
            .ToHaveTextAsync(T("The email or the password is wrong.", "L’adresse e-mail ou le mot de passe est incorrect."));

        await page.Context.CloseAsync();
        Assert.True(axe.Length == 0, $"axe, {scheme} {locale}:{Environment.NewLine}{axe}");
    }

    /// <summary>
    /// The account's screens in the combinations the journey leaves out, for people to look at and for axe; and on
    /// every screen, the header on one line and nothing wider than the window (a phone's header holds the account link).
    /// </summary>
    [Theory]
    [InlineData(360, 740, ColorScheme.Light, "en-US")]
    [InlineData(1280, 800, ColorScheme.Dark, "fr-FR")]
    public async Task TheAccountScreens_FitTheWindow_AndPassAxe(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var axe = new StringBuilder();
        var page = await PersonAsync(width, height, scheme, locale);

        async Task LookAsync(string name)
        {
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{name}: wider than the window");
            Assert.True(await page.Locator("header.top").EvaluateAsync<double>("e => e.getBoundingClientRect().height") < 64, $"{name}: the header takes more than one line");
            await Browser.ShotAsync(page, $"{name}-{shot}");
            await Axe.CheckAsync(page, name, axe);
        }

        await page.GotoAsync("/account");
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#sign-up-name")).ToBeVisibleAsync();
        await LookAsync("account-signed-out");

        var signUp = await page.APIRequest.PostAsync("/api/account/sign-up", new()
        {
            DataObject = new { email = $"chloe-{Guid.NewGuid():N}@example.com", password = Password, displayName = "Chloé Lefèvre-Dupont" },
            Headers = new Dictionary<string, string> { ["X-Planning-Poker"] = "1" },
        });
        Assert.Equal(201, signUp.Status);

        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#no-organisation")).ToBeVisibleAsync();
        await Expect(page.Locator("#account-link")).ToContainTextAsync("Chloé");
        await LookAsync("home-signed-in");

        await page.GotoAsync("/account");
        await Expect(page.Locator("#account-name")).ToHaveTextAsync("Chloé Lefèvre-Dupont");
        await LookAsync("account-signed-in");

        await page.GotoAsync("/account/tokens");
        await Browser.AppRunsAsync(page);
        await page.FillAsync("#token-name", "Export");
        await page.Locator("#create-token").ClickAsync();
        await Expect(page.Locator("#new-token-value")).ToHaveValueAsync(new Regex("^pp_"));
        await LookAsync("tokens-made");

        // A room's header, signed in.
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);
        await page.FillAsync("#room-name", "Sprint 7");
        await page.GetByRole(AriaRole.Button, new() { Name = T("Create the room", "Créer la salle") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 7");
        await Expect(page.Locator(".table .seat")).ToContainTextAsync("Chloé Lefèvre-Dupont"); // the account's name, prefilled
        await LookAsync("room-signed-in");

        await page.Context.CloseAsync();
        Assert.True(axe.Length == 0, $"axe, {scheme} {locale}:{Environment.NewLine}{axe}");
    }

    [Fact]
    public async Task AGuestsHomePage_CallsNoApi_FailsNoRequest_AndLogsNoError()
    {
        Browser.RequireChromium();
        var page = await PersonAsync(360, 740, ColorScheme.Dark, "fr-FR");
        var failed = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failed.Add($"{response.Status} {response.Url}");
            }
        };
        page.RequestFailed += (_, request) => failed.Add($"failed {request.Url}: {request.Failure}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                failed.Add($"console {message.Type}: {message.Text}");
            }
        };

        var calls = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/", StringComparison.Ordinal))
            {
                calls.Add(request.Url);
            }
        };

        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#account-link")).ToHaveTextAsync("Se connecter");
        await Expect(page.Locator("#create-button")).ToBeEnabledAsync();
        Assert.Empty(calls); // the app took the server's word for the session: not even a question
        await page.GotoAsync("/account");
        await Expect(page.Locator("#sign-in-email")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#create-button")).ToBeVisibleAsync();

        await Expect(page.Locator("#your-teams")).ToHaveCountAsync(0);
        Assert.Empty(failed);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AResetLinkFromTheServersLog_SetsANewPassword()
    {
        Browser.RequireChromium();
        var email = $"reset-{Guid.NewGuid():N}@example.com";
        var page = await PersonAsync();
        await page.GotoAsync("/account");
        await Browser.AppRunsAsync(page);
        await page.FillAsync("#sign-up-name", "Rémi");
        await page.FillAsync("#sign-up-email", email);
        await page.FillAsync("#sign-up-password", Password);
        await page.Locator("#sign-up-button").ClickAsync();
        await Expect(page.Locator("#account-email")).ToHaveTextAsync(email);
        await page.Locator("#sign-out").ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Forgot your password?" }).ClickAsync();
        await page.FillAsync("#reset-email", email);
        await page.Locator("#reset-button").ClickAsync();
        await Expect(page.Locator("#reset-sent")).ToContainTextAsync(email);
        await Browser.ShotAsync(page, "account-reset-asked-desktop-light-en");
        var link = await ResetLinkAsync(email);

        await page.GotoAsync(link);
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#reset-for")).ToContainTextAsync(email);
        await page.FillAsync("#new-password", "short");
        await page.Locator("#reset-confirm").ClickAsync();
        await Expect(page.Locator("#reset-error").GetByRole(AriaRole.Alert)).ToHaveTextAsync("The password is too short or too long.");
        await Browser.ShotAsync(page, "account-reset-desktop-light-en");
        var axe = new StringBuilder();
        await Axe.CheckAsync(page, "reset", axe);
        await page.FillAsync("#new-password", "a brand new passphrase");
        await page.Locator("#reset-confirm").ClickAsync();
        await Expect(page.Locator("#reset-done")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).Last.ClickAsync();
        await page.FillAsync("#sign-in-email", email);
        await page.FillAsync("#sign-in-password", "a brand new passphrase");
        await page.Locator("#sign-in-button").ClickAsync();
        await Expect(page.Locator("#account-email")).ToHaveTextAsync(email);
        await page.Context.CloseAsync();
        Assert.True(axe.Length == 0, axe.ToString());
    }

    /// <summary>The reset link the server wrote to its log for the account (event 1301).</summary>
    private Task<string> ResetLinkAsync(string email) =>
        Browser.LogMatchAsync(new Regex(@"http://\S+/account/reset\?email=" + Regex.Escape(Uri.EscapeDataString(email)) + @"&token=[A-Za-z0-9_\-]+"));
}
