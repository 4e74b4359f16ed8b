using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Pages;
using PlanningPoker.Web.Client.Services;
using static PlanningPoker.Web.Tests.FakeApi;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// The account page: signed out, the ways to sign in that the server offers, each refusal said in words beside its
/// form; signed in, who, and signing out. And the header's link to it.
/// </summary>
public sealed class AccountPageTests : UiTest
{
    private static readonly AccountDto Fanny = new(Guid.Parse("7d1b6c39-4f2e-4a55-9d4c-0f5c2a1b3e11"), "fanny@example.com", "Fanny");

    public AccountPageTests() => RunsInTheBrowser();

    [Fact]
    public void AGuest_SeesSignInAndSignUp_WithThePasswordRuleOfTheServer()
    {
        Server.On(HttpMethod.Get, "/api/account/options", _ => Json(HttpStatusCode.OK, new SignInOptionsDto(true, true, 12, [])));

        var page = Render<Account>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-in-email")));
        Assert.Equal("Sign in", page.Find("h1").TextContent);
        Assert.NotNull(page.Find("#sign-in-password"));
        Assert.Equal("At least 12 characters. A phrase of a few words is easy to remember.", page.Find("#password-hint").TextContent);
        Assert.Contains("password-hint", page.Find("#sign-up-password").GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".providers"));
    }

    [Theory]
    [InlineData(true, "We mail you a link to choose a new password.")]
    [InlineData(false, "We make a link to choose a new password. This server sends no email: its operator finds the link in the server’s log and passes it on to you.")]
    public void TheResetForm_SaysHowTheLinkComes_AsTheServerSendsIt(bool byMail, string hint)
    {
        Server.On(HttpMethod.Get, "/api/account/options", _ => Json(HttpStatusCode.OK, new SignInOptionsDto(true, true, 10, [], byMail)));

        var page = Render<Account>();

        page.WaitForAssertion(() => Assert.Equal(hint, page.Find("#reset-hint").TextContent));
        Assert.Equal("reset-hint", page.Find("#reset-email").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void AWrongPassword_IsSaidInWords_BesideTheSignInForm()
    {
        Server.On(HttpMethod.Post, "/api/account/sign-in", _ => Problem(HttpStatusCode.BadRequest, ErrorCodes.SignInFailed));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-in-email")));

        page.Find("#sign-in-email").Change("fanny@example.com");
        page.Find("#sign-in-password").Change("not her password");
        page.Find("#sign-in-button").Click();

        page.WaitForAssertion(() => Assert.Equal("The email or the password is wrong.", page.Find("#sign-in-error [role=alert]").TextContent));
        Assert.Equal("true", page.Find("#sign-in-password").GetAttribute("aria-invalid"));
        Assert.Equal("sign-in-error", page.Find("#sign-in-password").GetAttribute("aria-describedby"));
        var sent = JsonSerializer.Deserialize<SignInRequest>(Server.Requests.Single(r => r.Method == HttpMethod.Post).Body!, JsonSerializerOptions.Web)!;
        Assert.Equal(new SignInRequest("fanny@example.com", "not her password"), sent);
        Assert.Null(Services.GetRequiredService<AccountState>().Account);
    }

    [Fact]
    public void SigningIn_GoesBackToThePageThePersonCameFrom_AndTheHeaderSaysWho()
    {
        Server.On(HttpMethod.Post, "/api/account/sign-in", _ => Json(HttpStatusCode.OK, Fanny));
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/account?returnUrl=%2Frooms%2Fr1");
        var header = Render<AccountMenu>(p => p.Add(m => m.ReturnUrl, "/rooms/r1"));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-in-email")));
        Assert.Equal("Sign in", header.Find("#account-link").TextContent);

        page.Find("#sign-in-email").Change("fanny@example.com");
        page.Find("#sign-in-password").Change("correct horse battery");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/rooms/r1", navigation.Uri));
        header.WaitForAssertion(() => Assert.Equal("Your account: Fanny", header.Find("#account-link").TextContent));
        Assert.Equal("account", header.Find("#account-link").GetAttribute("href"));
        Assert.Equal("orgs", header.Find("#orgs-link").GetAttribute("href"));
    }

    [Fact]
    public void ASignUpRefusal_ShowsBesideTheFieldItIsAbout()
    {
        Server.On(HttpMethod.Post, "/api/account/sign-up", _ => Problem(HttpStatusCode.Conflict, ErrorCodes.EmailTaken));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-up-name")));

        page.Find("#sign-up-name").Change("Fanny");
        page.Find("#sign-up-email").Change("fanny@example.com");
        page.Find("#sign-up-password").Change("correct horse battery");
        page.Find("#sign-up-button").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "An account with this email exists: sign in, or reset its password.", page.Find("#sign-up-error [role=alert]").TextContent));
        Assert.Equal("true", page.Find("#sign-up-email").GetAttribute("aria-invalid"));
        Assert.Null(page.Find("#sign-up-password").GetAttribute("aria-invalid"));
        Assert.Equal("password-hint", page.Find("#sign-up-password").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void SigningUp_SignsIn_AndShowsTheAccount_WhenThePersonCameStraightHere()
    {
        Server.On(HttpMethod.Post, "/api/account/sign-up", _ => Json(HttpStatusCode.Created, Fanny));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-up-name")));

        page.Find("#sign-up-name").Change(" Fanny ");
        page.Find("#sign-up-email").Change("fanny@example.com");
        page.Find("#sign-up-password").Change("correct horse battery");
        page.Find("#sign-up-button").Click();

        page.WaitForAssertion(() => Assert.Equal("Your account", page.Find("h1").TextContent));
        Assert.Equal("Fanny", page.Find("#account-name").TextContent);
        Assert.Equal("fanny@example.com", page.Find("#account-email").TextContent);
        var sent = JsonSerializer.Deserialize<SignUpRequest>(Server.Requests.Single(r => r.Method == HttpMethod.Post).Body!, JsonSerializerOptions.Web)!;
        Assert.Equal(new SignUpRequest("fanny@example.com", "correct horse battery", "Fanny"), sent);
        Assert.Equal("http://localhost/", Services.GetRequiredService<NavigationManager>().Uri); // stayed
    }

    [Fact]
    public void ASignedInPerson_SeesWhoTheyAre_AndSignsOut()
    {
        SignedIn();
        Server.On(HttpMethod.Post, "/api/account/sign-out", _ => Empty(HttpStatusCode.NoContent));
        var header = Render<AccountMenu>();
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.Equal("Your account", page.Find("h1").TextContent));
        Assert.Equal("account/tokens", page.Find("a[href='account/tokens']").GetAttribute("href"));
        Assert.NotNull(page.Find("a[href='orgs']"));

        page.Find("#sign-out").Click();

        page.WaitForAssertion(() => Assert.Equal("Sign in", page.Find("h1").TextContent));
        Assert.Equal("You are signed out.", page.Find("[role=status]").TextContent);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-in-email")));
        header.WaitForAssertion(() => Assert.Equal("Sign in", header.Find("#account-link").TextContent));
        Assert.Contains(Server.Requests, r => r.Method == HttpMethod.Post && r.Path == "/api/account/sign-out");
    }

    [Fact]
    public void DeletingTheAccount_IsAskedOnceMore_ThenSaid_AndTheHeaderSignsOut()
    {
        SignedIn();
        Server.On(HttpMethod.Post, "/api/account/delete", _ => Empty(HttpStatusCode.NoContent));
        var header = Render<AccountMenu>();
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#delete-account")));
        Assert.Contains("your votes stay, under the name “Former member”", page.Find("[aria-labelledby=delete-account-title]").TextContent, StringComparison.Ordinal);

        page.Find("#delete-account").Click();
        Assert.DoesNotContain(Server.Requests, r => r.Path == "/api/account/delete");
        Assert.Equal("Delete your account for good? This cannot be undone.", page.Find("#confirm-delete-account-question").TextContent);
        page.Find("#confirm-delete-account-yes").Click();

        page.WaitForAssertion(() => Assert.Equal("Your account is deleted.", page.Find("#account-deleted").TextContent));
        Assert.Equal("Sign in", page.Find("h1").TextContent);
        header.WaitForAssertion(() => Assert.Equal("Sign in", header.Find("#account-link").TextContent));
        Assert.Single(Server.Requests, r => r.Method == HttpMethod.Post && r.Path == "/api/account/delete");
    }

    [Fact]
    public void AnOwner_IsToldToHandTheirOrganisationOver_AndKeepsTheirAccount()
    {
        SignedIn();
        Server.On(HttpMethod.Post, "/api/account/delete", _ => Problem(HttpStatusCode.Conflict, ErrorCodes.LastOwner));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#delete-account")));
        page.Find("#delete-account").Click();
        page.Find("#confirm-delete-account-yes").Click();

        page.WaitForAssertion(() => Assert.StartsWith("You own an organization", page.Find("#delete-account-owner").TextContent, StringComparison.Ordinal));
        Assert.Equal("orgs", page.Find("#delete-account-owner a").GetAttribute("href"));
        Assert.Equal("Your account", page.Find("h1").TextContent);
        Assert.NotNull(Services.GetRequiredService<AccountState>().Account);
    }

    [Fact]
    public void EachProvider_HasAButton_ThatComesBackToTheLocalPageThePersonCameFrom_Only()
    {
        Server.On(HttpMethod.Get, "/api/account/options", _ => Json(HttpStatusCode.OK,
            new SignInOptionsDto(false, false, 10, [new SignInProviderDto("contoso", "Contoso Entra ID"), new SignInProviderDto("keycloak", "Keycloak")])));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/account?returnUrl=%2Frooms%2Fr1");

        var page = Render<Account>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".providers a").Count));
        var buttons = page.FindAll(".providers a");
        Assert.Equal("Sign in with Contoso Entra ID", buttons[0].TextContent);
        Assert.Equal("api/account/providers/contoso/sign-in?returnUrl=%2Frooms%2Fr1", buttons[0].GetAttribute("href"));
        Assert.Equal("api/account/providers/keycloak/sign-in?returnUrl=%2Frooms%2Fr1", buttons[1].GetAttribute("href"));
        Assert.Empty(page.FindAll("#sign-in-email")); // local accounts off
    }

    [Theory]
    [InlineData("/rooms/r1", "/rooms/r1")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/x", null)]
    [InlineData("/\\evil.example", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("rooms/r1", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void OnlyAPathOfThisSite_IsAPlaceToComeBackTo(string? returnUrl, string? expected) =>
        Assert.Equal(expected, Account.LocalPath(returnUrl));

    [Theory]
    [InlineData("rooms/r1#key=secret", "/rooms/r1")]
    [InlineData("rooms/r1/summary?x=1", "/rooms/r1/summary?x=1")]
    [InlineData("", "/")]
    [InlineData("account", null)]
    [InlineData("account/tokens", null)]
    public void TheHeadersSignInLink_ComesBackToThePage_WithoutItsFragment(string relative, string? expected) =>
        Assert.Equal(expected, AccountMenu.ReturnUrlOf(relative));

    [Theory]
    [InlineData(ErrorCodes.AccountLockedOut, "Too many wrong passwords: this account is locked for a few minutes. Reset the password to open it now.")]
    [InlineData("ProviderRefused", "Signing in with your organization did not work. Try again, or sign in another way.")]
    [InlineData("Call <b>555</b> now", "Signing in with your organization did not work. Try again, or sign in another way.")]
    public void AProvidersFailure_IsSaidInWords_NeverInTheLinksOwn(string code, string expected)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/account?signInError={Uri.EscapeDataString(code)}");

        var page = Render<Account>();

        page.WaitForAssertion(() => Assert.Equal(expected, page.Find("#sign-in-error-external").TextContent));
    }

    [Fact]
    public void AskingForAReset_SaysWhereTheLinkGoes_WhetherOrNotTheAccountExists()
    {
        Server.On(HttpMethod.Post, "/api/account/password-reset", _ => Empty(HttpStatusCode.Accepted));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-in-email")));
        page.Find("#sign-in-email").Change("fanny@example.com");
        Assert.True(page.Find("#forgot").HasAttribute("hidden"));

        page.Find("#forgot-toggle").Click();
        Assert.False(page.Find("#forgot").HasAttribute("hidden"));
        Assert.Equal("fanny@example.com", page.Find("#reset-email").GetAttribute("value"));
        page.Find("#reset-button").Click();

        page.WaitForAssertion(() => Assert.Equal("If an account uses fanny@example.com, a reset link is on its way.", page.Find("#reset-sent").TextContent));
        Assert.Contains(Server.Requests, r => r.Path == "/api/account/password-reset" && r.Body!.Contains("fanny@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public void NoWayToSignIn_IsSaid()
    {
        Server.On(HttpMethod.Get, "/api/account/options", _ => Json(HttpStatusCode.OK, new SignInOptionsDto(false, false, 10, [])));

        var page = Render<Account>();

        page.WaitForAssertion(() => Assert.Contains("Signing in is switched off on this server", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("form"));
    }

    private void SignedIn() =>
        Server.On(HttpMethod.Get, "/api/account/session", _ => Json(HttpStatusCode.OK, new SessionDto(Fanny)));
}

/// <summary>The account page in French: the same states, in French.</summary>
public sealed class AccountPageFrenchTests : UiTest
{
    public AccountPageFrenchTests()
        : base("fr") => RunsInTheBrowser();

    [Fact]
    public void TheFormsAndTheirRefusals_SpeakFrench()
    {
        Server.On(HttpMethod.Post, "/api/account/sign-in", _ => Problem(HttpStatusCode.BadRequest, ErrorCodes.SignInFailed));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-in-email")));
        Assert.Equal("Connexion", page.Find("h1").TextContent);
        Assert.Equal("Au moins 10 caractères. Une phrase de quelques mots se retient facilement.", page.Find("#password-hint").TextContent);

        page.Find("#sign-in-email").Change("fanny@example.com");
        page.Find("#sign-in-password").Change("faux");
        page.Find("#sign-in-button").Click();

        page.WaitForAssertion(() => Assert.Equal("L’adresse e-mail ou le mot de passe est incorrect.", page.Find("#sign-in-error [role=alert]").TextContent));
    }
}
