using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>Local accounts end to end on a real Kestrel: sign-up, the sign-in cookie, sign-out, lockout, resets, CSRF.</summary>
[Trait("Category", "Integration")]
public sealed class AccountsTests(PokerApp app)
{
    [Fact]
    public async Task ASignUp_SignsIn_WithAnHttpOnlyCookie_AndSignOutEndsIt()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");

        var me = await ann.Http.GetFromJsonAsync<AccountDto>("/api/account/me", Cancel);
        Assert.Equal(new AccountDto(ann.Id, ann.Email, "Ann"), me);
        Assert.Equal(me, (await ann.Http.GetFromJsonAsync<SessionDto>("/api/account/session", Cancel))!.Account);

        var again = await ann.Http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, Person.Password), Cancel);
        var cookie = Assert.Single(again.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AccountsSetup.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.PostAsync("/api/account/sign-out", null, Cancel)).StatusCode);
        await ProblemAssert.IsAsync(await ann.Http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);

        // A guest's page asks who is signed in without a failed request.
        var session = await ann.Http.GetAsync("/api/account/session", Cancel);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.Null((await session.Content.ReadFromJsonAsync<SessionDto>(Cancel))!.Account);
    }

    [Fact]
    public async Task AWrongPassword_AndAnUnknownEmail_GetTheSameAnswer()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var http = Person.Client(app);

        var wrong = await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, "not the password"), Cancel);
        var unknown = await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest("nobody@example.test", "not the password"), Cancel);

        var a = await ProblemAssert.IsAsync(wrong, HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        var b = await ProblemAssert.IsAsync(unknown, HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        Assert.Equal(a.Detail, b.Detail);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenAgainstTheRightOne()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var http = Person.Client(app);
        for (var i = 0; i < 4; i++)
        {
            await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, "wrong " + i), Cancel), HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        }

        await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, "wrong 5"), Cancel), HttpStatusCode.Forbidden, ErrorCodes.AccountLockedOut);
        var right = await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, Person.Password), Cancel);

        await ProblemAssert.IsAsync(right, HttpStatusCode.Forbidden, ErrorCodes.AccountLockedOut);
        await ProblemAssert.IsAsync(await http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
    }

    [Theory]
    [InlineData("not-an-email", Person.Password, "Ann", ErrorCodes.InvalidEmail)]
    [InlineData("ann@example.test", "short", "Ann", ErrorCodes.InvalidPassword)]
    [InlineData("ann@example.test", Person.Password, "", ErrorCodes.InvalidName)]
    [InlineData("ann@example.test", Person.Password, "A\u0007nn", ErrorCodes.InvalidName)]
    public async Task ABadSignUp_IsRefusedWithItsCode_AndMakesNoAccount(string email, string password, string name, string code)
    {
        using var http = Person.Client(app);
        var unique = email.Replace("ann@", $"ann-{Guid.NewGuid():N}@", StringComparison.Ordinal);

        await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-up", new SignUpRequest(unique, password, name), Cancel), HttpStatusCode.BadRequest, code);

        await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(unique, password), Cancel), HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
    }

    [Fact]
    public async Task ASecondSignUpWithTheSameEmail_IsRefused()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var http = Person.Client(app);

        var again = await http.PostAsJsonAsync("/api/account/sign-up", new SignUpRequest(ann.Email.ToUpperInvariant(), Person.Password, "Other Ann"), Cancel);

        await ProblemAssert.IsAsync(again, HttpStatusCode.Conflict, ErrorCodes.EmailTaken);
    }

    [Fact]
    public async Task AStateChangeWithTheCookieButWithoutTheCsrfHeader_IsRefused_AndChangesNothing()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        ann.Http.DefaultRequestHeaders.Remove(SignInOptionsDto.CsrfHeader);

        var create = await ann.Http.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("Forged"), Cancel);
        var signOut = await ann.Http.PostAsync("/api/account/sign-out", null, Cancel);

        await ProblemAssert.IsAsync(create, HttpStatusCode.Forbidden, ErrorCodes.CsrfCheckFailed);
        await ProblemAssert.IsAsync(signOut, HttpStatusCode.Forbidden, ErrorCodes.CsrfCheckFailed);
        Assert.Empty((await ann.Http.GetFromJsonAsync<OrganisationDto[]>("/api/orgs", Cancel))!);
        Assert.Equal(ann.Id, (await ann.Http.GetFromJsonAsync<AccountDto>("/api/account/me", Cancel))!.Id);
    }

    [Fact]
    public async Task RoomsStillNeedNoAccount_NorTheCsrfHeader()
    {
        using var guest = new HttpClient { BaseAddress = app.BaseAddress };

        var created = await guest.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Guests welcome", "Gus", null, null, null), Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task APasswordReset_WritesTheLinkToTheLog_AndItsTokenSetsANewPassword_AndUnlocks()
    {
        await using var own = new PokerApp { ConfigureLogs = l => l.AddFakeLogging() };
        await own.InitializeAsync();
        using var ann = await Person.SignUpAsync(own, "Ann");
        using var http = Person.Client(own);
        for (var i = 0; i < 5; i++)
        {
            await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, "wrong"), Cancel);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/api/account/password-reset", new PasswordResetRequest(ann.Email), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/api/account/password-reset", new PasswordResetRequest("nobody@example.test"), Cancel)).StatusCode);
        var logged = Assert.Single(own.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 1301);
        var link = new Uri(logged.Message[logged.Message.IndexOf("http", StringComparison.Ordinal)..]);
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);

        await ProblemAssert.IsAsync(
            await http.PostAsJsonAsync("/api/account/password-reset/confirm", new PasswordResetConfirmRequest(ann.Email, query["token"]! + "x", "a brand new passphrase"), Cancel),
            HttpStatusCode.BadRequest,
            ErrorCodes.InvalidResetToken);
        var reset = await http.PostAsJsonAsync("/api/account/password-reset/confirm", new PasswordResetConfirmRequest(query["email"]!, query["token"]!, "a brand new passphrase"), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);

        var signIn = await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, "a brand new passphrase"), Cancel);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, Person.Password), Cancel), HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
    }

    [Fact]
    public async Task WithAMailServer_TheResetLinkIsMailed_OnThePublicAddress_InTheAskersLanguage_AndNeverLogged()
    {
        await using var mail = await MailServer.StartAsync();
        await using var own = new PokerApp { ConfigureLogs = l => l.AddFakeLogging() };
        foreach (var (key, value) in mail.Settings("https://poker.example"))
        {
            own.Settings[key] = value;
        }

        await own.InitializeAsync();
        using var ann = await Person.SignUpAsync(own, "Ann");
        using var http = Person.Client(own);
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-CA,fr;q=0.9,en;q=0.5");

        // Asked first for nobody's email (no mail), then for Ann's with a forged Host header (the link must not use it).
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/api/account/password-reset", new PasswordResetRequest("nobody@example.test"), Cancel)).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/account/password-reset") { Content = JsonContent.Create(new PasswordResetRequest(ann.Email)) };
        forged.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(forged, Cancel)).StatusCode);

        var message = await mail.NextAsync();
        Assert.Equal(ann.Email, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("poker@example.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Choisir un nouveau mot de passe Planning Poker", message.Subject);
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(message.TextBody ?? "", @"https://\S+").Value);
        Assert.Equal(("https", "poker.example", "/account/reset"), (link.Scheme, link.Host, link.AbsolutePath));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var reset = await http.PostAsJsonAsync("/api/account/password-reset/confirm", new PasswordResetConfirmRequest(query["email"]!, query["token"]!, "a brand new passphrase"), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, "a brand new passphrase"), Cancel)).StatusCode);

        // The link opens the account: with a mail server, no log holds it.
        Assert.DoesNotContain(own.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Message.Contains(query["token"]!, StringComparison.Ordinal) || r.Id.Id == 1301);
    }

    [Fact]
    public async Task AMailServerWithoutThePublicAddress_StopsTheStart_WithTheReason()
    {
        await using var own = new PokerApp();
        own.Settings["Accounts:Smtp:Host"] = "127.0.0.1";
        own.Settings["Accounts:Smtp:From"] = "poker@example.test";

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await own.InitializeAsync());

        Assert.Contains("Accounts:Smtp needs Web:PublicBaseUrl", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInsAreRateLimitedPerAddress()
    {
        await using var own = new PokerApp();
        own.Settings["Accounts:SignInsPerMinute"] = "3";
        await own.InitializeAsync();
        using var http = Person.Client(own);

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest("nobody@example.test", "whatever"), Cancel)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public async Task LocalAccountsSwitchedOff_RefuseSignUpAndSignIn()
    {
        await using var own = new PokerApp();
        own.Settings["Accounts:LocalAccounts"] = "false";
        await own.InitializeAsync();
        using var http = Person.Client(own);

        var options = await http.GetFromJsonAsync<SignInOptionsDto>("/api/account/options", Cancel);
        Assert.NotNull(options);
        Assert.Equal((false, false, 10), (options.LocalAccounts, options.OpenSignUp, options.MinimumPasswordLength));
        Assert.Empty(options.Providers);
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-up", new SignUpRequest("a@example.test", Person.Password, "A"), Cancel), HttpStatusCode.NotFound, ErrorCodes.LocalAccountsOff);
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest("a@example.test", Person.Password), Cancel), HttpStatusCode.NotFound, ErrorCodes.LocalAccountsOff);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
