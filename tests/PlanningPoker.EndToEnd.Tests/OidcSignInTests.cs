using System.Text.Json;
using Microsoft.Playwright;
using PlanningPoker.Contracts;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>Sign-in through an OpenID Connect provider in a real browser: the provider's form, then back on the app, signed in.</summary>
[Trait("Category", "EndToEnd")]
public sealed class OidcSignInTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task APersonSignsInAtTheProvider_AndComesBackToTheAppSignedIn()
    {
        Browser.RequireChromium();
        var page = await PersonAsync();
        var email = $"oda-{Guid.NewGuid():N}@example.test";

        // The sign-in page's provider button leads here; the page itself is another helper's.
        await page.GotoAsync($"/api/account/providers/{Browser.ProviderName}/sign-in?returnUrl=%2F");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Oda Browser");
        await Browser.ShotAsync(page, "oidc-provider-form-desktop-light");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Browser.ArrivesAsync(page, "/");
        var session = JsonSerializer.Deserialize<SessionDto>(
            await page.EvaluateAsync<string>("async () => (await fetch('/api/account/session')).text()"), JsonSerializerOptions.Web);
        Assert.NotNull(session?.Account);
        Assert.Equal((email, "Oda Browser"), (session.Account.Email, session.Account.DisplayName));

        // The session cookie only (HttpOnly): no provider token, no leftover of the flow's own cookies.
        var cookies = (await page.Context.CookiesAsync([Browser.BaseAddress.ToString()]))
            .Where(c => !c.Name.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).ToList();
        Assert.Equal(["planning-poker.session"], cookies.Select(c => c.Name));
        Assert.True(cookies[0].HttpOnly);
        await Browser.ShotAsync(page, "oidc-signed-in-home-desktop-light");
    }
}
