using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// Passkeys in Chromium, with its virtual authenticator (DevTools' WebAuthn domain) standing for a phone or a laptop's
/// fingerprint reader: sign up with a passkey and no password, sign out, sign in with it, the name in the header and
/// the passkey on the account page; a second device's passkey added, the first renamed and removed; a cancelled prompt said in
/// words. WebAuthn refuses an IP address as relying party, so these pages are on <c>localhost</c>, not 127.0.0.1.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PasskeyJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(1280, 800, ColorScheme.Light, "en-US")]
    [InlineData(360, 740, ColorScheme.Dark, "fr-FR")]
    public async Task SignUpWithAPasskey_SignOut_SignInWithIt_AddAnotherDevicesPasskey_AndRemoveTheFirst(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var T = Words(locale);
        var shot = ShotName(width, scheme, locale);
        var axe = new StringBuilder();
        var page = await PersonAsync(width, height, scheme, locale);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var laptop = await AddAuthenticatorAsync(cdp);
        var accountLink = page.Locator("#account-link");
        var title = page.GetByRole(AriaRole.Heading, new() { Level = 1 });

        // Sign up with a passkey: a name and an email, no password.
        await page.GotoAsync(Localhost("account"));
        await Browser.AppRunsAsync(page);
        await Expect(page.Locator("#passkey-sign-in")).ToHaveTextAsync(T("Sign in with a passkey", "Se connecter avec une clé d’accès"));
        await Browser.ShotAsync(page, $"passkey-signed-out-{shot}");
        await Axe.CheckAsync(page, "sign in, passkeys offered", axe);
        await page.FillAsync("#sign-up-name", "Pia");
        await page.FillAsync("#sign-up-email", $"pia-{Guid.NewGuid():N}@example.com");
        await page.Locator("#passkey-sign-up").ClickAsync();
        await Expect(title).ToHaveTextAsync(T("Your account", "Votre compte"));
        await Expect(page.Locator("#account-name")).ToHaveTextAsync("Pia");
        await Expect(accountLink).ToContainTextAsync("Pia");
        await Expect(page.Locator("li.passkey .passkey-name")).ToHaveTextAsync([T("Passkey 1", "Clé d’accès 1")]);

        // Signed out, the passkey signs in again: no email typed.
        await page.Locator("#sign-out").ClickAsync();
        await Expect(accountLink).ToHaveTextAsync(T("Sign in", "Se connecter"));
        await page.Locator("#passkey-sign-in").ClickAsync();
        await Expect(title).ToHaveTextAsync(T("Your account", "Votre compte"));
        await Expect(accountLink).ToContainTextAsync("Pia");
        await Expect(page.Locator("li.passkey")).ToHaveCountAsync(1);

        // The same device cannot hold two of the account's passkeys: said in words.
        await page.Locator("#add-passkey").ClickAsync();
        await Expect(page.Locator("#add-passkey-error")).ToHaveTextAsync(T("This device already holds a passkey for your account.", "Cet appareil a déjà une clé d’accès pour votre compte."));

        // Another device: its passkey, named, joins the list.
        await cdp.SendAsync("WebAuthn.removeVirtualAuthenticator", new Dictionary<string, object> { ["authenticatorId"] = laptop });
        var phone = await AddAuthenticatorAsync(cdp);
        await page.FillAsync("#passkey-name", T("Phone", "Téléphone"));
        await page.Locator("#add-passkey").ClickAsync();
        await Expect(page.Locator("#passkeys-said")).ToHaveTextAsync(T("Passkey “Phone” added.", "Clé d’accès « Téléphone » ajoutée."));
        await Expect(page.Locator("li.passkey .passkey-name")).ToHaveTextAsync([T("Passkey 1", "Clé d’accès 1"), T("Phone", "Téléphone")]);
        await Expect(page.Locator("#add-passkey-error")).ToHaveCountAsync(0);
        await Browser.ShotAsync(page, $"passkey-account-{shot}");
        await Axe.CheckAsync(page, "account with passkeys", axe);

        // Renamed in place.
        await page.GetByRole(AriaRole.Button, new() { Name = T("Rename the passkey Passkey 1", "Renommer la clé d’accès Clé d’accès 1") }).ClickAsync();
        await page.FillAsync(".passkey-rename input", T("Old laptop", "Ancien portable"));
        await page.Locator(".passkey-rename button.primary").ClickAsync();
        await Expect(page.Locator("li.passkey .passkey-name")).ToHaveTextAsync([T("Old laptop", "Ancien portable"), T("Phone", "Téléphone")]);

        // The first removed, after saying yes.
        await page.GetByRole(AriaRole.Button, new() { Name = T("Remove the passkey Old laptop", "Supprimer la clé d’accès Ancien portable") }).ClickAsync();
        await Expect(page.Locator(".confirm-panel")).ToContainTextAsync(T("It will no longer sign you in here.", "Elle ne vous connectera plus ici."));
        await Browser.ShotAsync(page, $"passkey-removing-{shot}");
        await Axe.CheckAsync(page, "removing a passkey", axe);
        await page.Locator(".confirm-panel button.danger").ClickAsync();
        await Expect(page.Locator("li.passkey .passkey-name")).ToHaveTextAsync([T("Phone", "Téléphone")]);
        await Expect(page.Locator("#passkeys-said")).ToHaveTextAsync(T("Passkey “Old laptop” removed.", "Clé d’accès « Ancien portable » supprimée."));

        // A prompt that fails (here: the fingerprint is not recognised) is said as cancelled, and changes nothing.
        await page.Locator("#sign-out").ClickAsync();
        await cdp.SendAsync("WebAuthn.setUserVerified", new Dictionary<string, object> { ["authenticatorId"] = phone, ["isUserVerified"] = false });
        await page.Locator("#passkey-sign-in").ClickAsync();
        await Expect(page.Locator("#passkey-sign-in-error [role=status]")).ToContainTextAsync(T("The passkey step was cancelled", "L’étape de la clé d’accès a été annulée"));
        await Expect(accountLink).ToHaveTextAsync(T("Sign in", "Se connecter"));
        await Browser.ShotAsync(page, $"passkey-cancelled-{shot}");
        await Axe.CheckAsync(page, "passkey cancelled", axe);

        // The phone's passkey signs in.
        await cdp.SendAsync("WebAuthn.setUserVerified", new Dictionary<string, object> { ["authenticatorId"] = phone, ["isUserVerified"] = true });
        await page.Locator("#passkey-sign-in").ClickAsync();
        await Expect(accountLink).ToContainTextAsync("Pia");
        await Expect(page.Locator("li.passkey")).ToHaveCountAsync(1);

        Assert.True(axe.Length == 0, $"axe, {scheme} {locale}:{Environment.NewLine}{axe}");
    }

    /// <summary>A platform authenticator with user verification (a fingerprint reader) that says yes by itself.</summary>
    private static async Task<string> AddAuthenticatorAsync(ICDPSession cdp)
    {
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return added!.Value.GetProperty("authenticatorId").GetString()!;
    }

    /// <summary>An address of the app on <c>localhost</c>: a relying party WebAuthn accepts (an IP address it refuses).</summary>
    private string Localhost(string path) => new UriBuilder(Browser.BaseAddress) { Host = "localhost", Path = path }.Uri.ToString();
}
