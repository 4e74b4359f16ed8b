using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Testing;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>
/// Sign-in through OpenID Connect end to end on a real Kestrel: the app, an OpenIddict provider on loopback, and an
/// HTTP client that follows every redirect by hand, as a browser does (cookie jar, no CSRF header: navigations).
/// </summary>
[Trait("Category", "Integration")]
public sealed class OidcSignInTests(OidcSignInTests.Site site) : IClassFixture<OidcSignInTests.Site>
{
    /// <summary>The provider, and an app with two providers on it: "test" (confidential client) and "public-id" (public client, PKCE alone).</summary>
    public sealed class Site : IAsyncLifetime
    {
        public OidcProvider Provider { get; private set; } = null!;

        public PokerApp App { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Provider = await OidcProvider.StartAsync();
            App = new PokerApp();
            foreach (var (key, value) in Provider.Settings("test", "Test ID").Concat(Provider.Settings("public-id", "Public ID", publicClient: true)))
            {
                App.Settings[key] = value;
            }

            await App.InitializeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }

    private PokerApp App => site.App;

    private OidcProvider Provider => site.Provider;

    [Fact]
    public async Task TheOptionsListTheProviders_ByName()
    {
        using var http = Browser();

        var options = await http.GetFromJsonAsync<SignInOptionsDto>("/api/account/options", Cancel);

        Assert.Equal([new SignInProviderDto("public-id", "Public ID"), new SignInProviderDto("test", "Test ID")], options!.Providers);
    }

    [Fact]
    public async Task AFirstSignIn_RunsTheCodeFlowWithPkce_MakesTheAccount_AndComesBackSignedIn()
    {
        using var http = Browser();
        var email = Unique("zoe");

        var request = await StartAsync(http, "test", "/rooms/abc?tab=backlog");
        var landing = await FinishAsync(http, "test", request, email, "  Zoé\tProvider  ");

        Assert.Equal("/rooms/abc?tab=backlog", landing);
        var state = QueryHelpers.ParseQuery(request.Query)["state"].ToString();
        var authorize = Assert.Single(Provider.AuthorizeRequests, q => q.TryGetValue("state", out var s) && s == state);
        Assert.Equal("code", authorize["response_type"]);
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(authorize["code_challenge"]));
        Assert.Equal(["email", "openid", "profile"], authorize["scope"]!.Split(' ').Order());
        var account = (await http.GetFromJsonAsync<SessionDto>("/api/account/session", Cancel))!.Account;
        Assert.NotNull(account);
        Assert.Equal((email, "Zoé Provider"), (account.Email, account.DisplayName));
        Assert.Equal(account, await http.GetFromJsonAsync<AccountDto>("/api/account/me", Cancel));
    }

    [Fact]
    public async Task TheCookiesLeftAreTheSessionOnly_NoProviderTokenNorExternalCookie()
    {
        var jar = new CookieContainer();
        using var http = Browser(jar);

        await SignInAsync(http, "test", "/", Unique("yan"), "Yan");

        var cookies = jar.GetCookies(App.BaseAddress).Select(c => c.Name).ToList();
        Assert.Equal(["planning-poker.session"], cookies.Where(c => !c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ASecondSignIn_LandsOnTheSameAccount_FromAnotherBrowser()
    {
        var email = Unique("ada");
        using var first = Browser();
        using var second = Browser();

        await SignInAsync(first, "test", "/", email, "Ada");
        await SignInAsync(second, "test", "/", email, "Ada Renamed");

        var one = await AccountOfAsync(first);
        var two = await AccountOfAsync(second);
        Assert.Equal(one.Id, two.Id);
        Assert.Equal("Ada", two.DisplayName); // the account's name is the person's to change, not the provider's
    }

    [Fact]
    public async Task APublicClient_SignsInWithPkceAlone()
    {
        using var http = Browser();
        var email = Unique("pia");

        var landing = await SignInAsync(http, "public-id", "/", email, "Pia");

        Assert.Equal("/", landing);
        Assert.Equal(email, (await AccountOfAsync(http)).Email);
    }

    [Fact]
    public async Task AnEmailTheProviderVerified_SignsInTheLocalAccountThatHasIt_AndLinksIt()
    {
        using var local = await Person.SignUpAsync(App, "Lou");
        using var http = Browser();
        using var later = Browser();

        await SignInAsync(http, "test", "/", local.Email, "Lou at work");
        await SignInAsync(later, "test", "/", "changed-" + local.Email, "Lou at work", subject: OidcProvider.SubjectOf(local.Email));

        Assert.Equal(local.Id, (await AccountOfAsync(http)).Id);
        Assert.Equal(local.Id, (await AccountOfAsync(later)).Id); // linked: found by the login now, whatever the email says
        Assert.Equal(HttpStatusCode.OK, (await local.Http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(local.Email, Person.Password), Cancel)).StatusCode);
    }

    [Fact]
    public async Task AnEmailTheProviderDidNotVerify_NeitherSignsInTheLocalAccount_NorIsKept()
    {
        using var local = await Person.SignUpAsync(App, "Val");
        using var http = Browser();

        var landing = await SignInAsync(http, "test", "/", local.Email, "Not Val", emailVerified: false);

        Assert.Equal("/", landing);
        var account = await AccountOfAsync(http);
        Assert.NotEqual(local.Id, account.Id);
        Assert.Equal((null, "Not Val"), (account.Email, account.DisplayName));
        Assert.Equal(local.Id, (await AccountOfAsync(local.Http)).Id);
    }

    [Fact]
    public async Task ALockedOutAccount_StaysLockedOut_ThroughTheProvider()
    {
        using var local = await Person.SignUpAsync(App, "Lee");
        for (var i = 0; i < 5; i++)
        {
            await local.Http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(local.Email, "wrong " + i), Cancel);
        }

        using var http = Browser();

        var landing = await SignInAsync(http, "test", "/", local.Email, "Lee");

        Assert.Equal("/account?signInError=" + ErrorCodes.AccountLockedOut, landing);
        Assert.Null((await http.GetFromJsonAsync<SessionDto>("/api/account/session", Cancel))!.Account);
    }

    [Fact]
    public async Task AnUnknownProvider_IsA404Problem()
    {
        using var http = Browser();

        var response = await http.GetAsync("/api/account/providers/nobody/sign-in?returnUrl=/", Cancel);

        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, ErrorCodes.ProviderNotFound);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("evil")]
    [InlineData("")]
    public async Task AReturnUrlOutsideTheSite_IsIgnored(string returnUrl)
    {
        using var http = Browser();

        var landing = await SignInAsync(http, "test", returnUrl, Unique("ret"), "Ret");

        Assert.Equal("/", landing);
    }

    [Fact]
    public async Task ACancelAtTheProvider_EndsOnTheAccountPage_WithItsCode_AndSignsNobodyIn()
    {
        using var http = Browser();
        var authorize = await StartAsync(http, "test", "/");

        var callback = await Provider.DenyAsync(authorize, Cancel);
        var back = await http.GetAsync(callback, Cancel);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/account?signInError=" + ErrorCodes.ExternalSignInCancelled, back.Headers.Location!.OriginalString);
        Assert.Null((await http.GetFromJsonAsync<SessionDto>("/api/account/session", Cancel))!.Account);
    }

    [Fact]
    public async Task AForgedCallback_EndsOnTheAccountPage_WithItsCode()
    {
        using var http = Browser();
        await StartAsync(http, "test", "/");

        var back = await http.GetAsync("/signin-oidc-test?code=stolen&state=forged", Cancel);
        var done = await http.GetAsync("/api/account/providers/test/done?returnUrl=/", Cancel);

        Assert.Equal("/account?signInError=" + ErrorCodes.ExternalSignInFailed, back.Headers.Location!.OriginalString);
        Assert.Equal("/account?signInError=" + ErrorCodes.ExternalSignInFailed, done.Headers.Location!.OriginalString);
        Assert.Null((await http.GetFromJsonAsync<SessionDto>("/api/account/session", Cancel))!.Account);
    }

    [Fact]
    public async Task ExternalAccountsSwitchedOff_OfferNoProvider_AndRefuseTheSignIn()
    {
        await using var own = new PokerApp();
        foreach (var (key, value) in Provider.Settings("test"))
        {
            own.Settings[key] = value;
        }

        own.Settings["Accounts:ExternalAccounts"] = "false";
        await own.InitializeAsync();
        using var http = Person.Client(own, csrfHeader: false);

        var options = await http.GetFromJsonAsync<SignInOptionsDto>("/api/account/options", Cancel);
        var start = await http.GetAsync("/api/account/providers/test/sign-in?returnUrl=/", Cancel);

        Assert.Empty(options!.Providers);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("/account?signInError=" + ErrorCodes.ExternalAccountsOff, start.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task BehindAProxy_TheProviderSendsPeopleBackToThePublicAddress()
    {
        await using var own = new PokerApp();
        foreach (var (key, value) in Provider.Settings("test"))
        {
            own.Settings[key] = value;
        }

        own.Settings["Web:PublicBaseUrl"] = "https://poker.example";
        await own.InitializeAsync();
        using var http = Person.Client(own, csrfHeader: false);

        var start = await http.GetAsync("/api/account/providers/test/sign-in?returnUrl=/", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("https://poker.example/signin-oidc-test", QueryHelpers.ParseQuery(start.Headers.Location!.Query)["redirect_uri"].ToString());
    }

    [Fact]
    public async Task AProviderSetUpWrong_StopsTheServerAtStart_NamingTheSetting()
    {
        await using var own = new PokerApp();
        foreach (var (key, value) in Provider.Settings("test"))
        {
            own.Settings[key] = value;
        }

        own.Settings["Accounts:Providers:test:Authority"] = "http://login.example/";

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await own.InitializeAsync());

        Assert.Contains("Accounts:Providers:test:Authority", failure.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A browser: a cookie jar, no automatic redirects, no CSRF header (a navigation sends none).</summary>
    private HttpClient Browser(CookieContainer? jar = null) =>
        new(new HttpClientHandler { CookieContainer = jar ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };

    /// <summary>The app's sign-in navigation: returns the provider's authorize address it redirects to.</summary>
    private async Task<Uri> StartAsync(HttpClient http, string provider, string returnUrl)
    {
        var start = await http.GetAsync($"/api/account/providers/{provider}/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(Provider.Authority.ToString(), authorize.ToString(), StringComparison.Ordinal);
        Assert.Equal(new Uri(App.BaseAddress, "/signin-oidc-" + provider), new Uri(QueryHelpers.ParseQuery(authorize.Query)["redirect_uri"].ToString()));
        return authorize;
    }

    /// <summary>The whole navigation: the app, the provider's form, the app's callback, the app's completion; returns where it lands.</summary>
    private async Task<string> SignInAsync(HttpClient http, string provider, string returnUrl, string email, string name, bool emailVerified = true, string? subject = null) =>
        await FinishAsync(http, provider, await StartAsync(http, provider, returnUrl), email, name, emailVerified, subject);

    /// <summary>From the provider's authorize address on: its form, the app's callback, the app's completion.</summary>
    private async Task<string> FinishAsync(HttpClient http, string provider, Uri authorize, string email, string name, bool emailVerified = true, string? subject = null)
    {
        var callback = await Provider.SignInAsync(authorize, email, name, emailVerified, subject, Cancel);

        var back = await http.GetAsync(callback, Cancel);
        Assert.True(back.StatusCode == HttpStatusCode.Redirect, $"the callback answered {(int)back.StatusCode}: {await back.Content.ReadAsStringAsync(Cancel)}");
        Assert.StartsWith($"/api/account/providers/{provider}/done?", back.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var done = await http.GetAsync(back.Headers.Location, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        return done.Headers.Location!.OriginalString;
    }

    private static async Task<AccountDto> AccountOfAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<SessionDto>("/api/account/session", Cancel))!.Account ?? throw new InvalidOperationException("not signed in");

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@example.test";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
