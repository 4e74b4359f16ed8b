using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>
/// Passkeys end to end on a real Kestrel, with a software authenticator (<see cref="SoftPasskey"/>) in place of the
/// browser's: the ceremonies' options, sign-up without a password, sign-out and sign-in with the passkey, the list,
/// and every refusal (no ceremony, a malformed or forged answer, a taken email, local accounts off, a token, the last
/// way to sign in, someone else's passkey).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PasskeysTests(PokerApp app)
{
    private const string SignUpOptions = "/api/account/passkeys/sign-up/options";
    private const string SignUp = "/api/account/passkeys/sign-up";
    private const string SignInOptions = "/api/account/passkeys/sign-in/options";
    private const string SignIn = "/api/account/passkeys/sign-in";
    private const string AddOptions = "/api/account/passkeys/options";
    private const string Passkeys = "/api/account/passkeys";

    [Fact]
    public async Task SignUpOptions_CarryAChallenge_ThisSiteAsRelyingParty_AndANewAccountsEntity()
    {
        using var http = Person.Client(app);
        var email = Unique("ann");

        var response = await http.PostAsJsonAsync(SignUpOptions, new PasskeySignUpOptionsRequest(email, " Ann "), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var options = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(32, Base64Url.DecodeFromChars((string)options["challenge"]!).Length);
        Assert.Equal(app.BaseAddress.Host, (string)options["rp"]!["id"]!);
        Assert.Equal((email, "Ann"), ((string)options["user"]!["name"]!, (string)options["user"]!["displayName"]!));
        Assert.True(Guid.TryParse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars((string)options["user"]!["id"]!)), out _));
        Assert.Equal(("required", "required"), ((string)options["authenticatorSelection"]!["residentKey"]!, (string)options["authenticatorSelection"]!["userVerification"]!));
        Assert.Contains(options["pubKeyCredParams"]!.AsArray(), p => (int)p!["alg"]! == -7);
    }

    [Fact]
    public async Task SignInOptions_AskForADiscoverablePasskey_WithAFreshChallengeEachTime()
    {
        using var http = Person.Client(app);

        var first = JsonNode.Parse(await (await http.PostAsync(SignInOptions, null, Cancel)).Content.ReadAsStringAsync(Cancel))!;
        var second = JsonNode.Parse(await (await http.PostAsync(SignInOptions, null, Cancel)).Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(app.BaseAddress.Host, (string)first["rpId"]!);
        Assert.Empty(first["allowCredentials"]?.AsArray() ?? []);
        Assert.Equal("required", (string)first["userVerification"]!);
        Assert.NotEqual((string)first["challenge"]!, (string)second["challenge"]!);
    }

    [Fact]
    public async Task APasskeySignUp_MakesAnAccountWithoutPassword_SignedIn_AndThePasskeySignsInAgainAfterSignOut()
    {
        using var http = Person.Client(app);
        using var key = new SoftPasskey(app.BaseAddress);
        var email = Unique("pat");

        var options = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(email, "Pat"));
        var made = await http.PostAsJsonAsync(SignUp, new { credential = key.Create(options), name = "Laptop" }, Cancel);

        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var account = (await made.Content.ReadFromJsonAsync<AccountDto>(Cancel))!;
        Assert.Equal((email, "Pat"), (account.Email, account.DisplayName));
        Assert.Equal(account.Id.ToString(), Encoding.UTF8.GetString(key.UserHandle!));
        Assert.Equal(account, await http.GetFromJsonAsync<AccountDto>("/api/account/me", Cancel));
        var listed = Assert.Single((await http.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel))!);
        Assert.Equal((key.Id, "Laptop", false), (listed.Id, listed.Name, listed.Synced));

        // No password was set: signing in with one fails, whatever is typed.
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(email, Person.Password), Cancel), HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/api/account/sign-out", null, Cancel)).StatusCode);
        await ProblemAssert.IsAsync(await http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);

        using var elsewhere = Person.Client(app);
        var stamp = await SecurityStampAsync(account.Id);
        var signedIn = await http.PostAsJsonAsync(SignIn, new { credential = key.Get(await OptionsAsync(http, SignInOptions)) }, Cancel);
        var alsoThere = await elsewhere.PostAsJsonAsync(SignIn, new { credential = key.Get(await OptionsAsync(elsewhere, SignInOptions)) }, Cancel);

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(account, await signedIn.Content.ReadFromJsonAsync<AccountDto>(Cancel));
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("planning-poker.session=", StringComparison.Ordinal));
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase); // persistent, as a password sign-in
        Assert.Equal(account, await http.GetFromJsonAsync<AccountDto>("/api/account/me", Cancel));
        Assert.Equal(HttpStatusCode.OK, alsoThere.StatusCode);
        Assert.Equal(stamp, await SecurityStampAsync(account.Id)); // a passkey sign-in (its counter saved) signs no other browser out
    }

    private async Task<string> SecurityStampAsync(Guid account)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly");
        await db.OpenAsync(Cancel);
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT security_stamp FROM accounts WHERE upper(id) = upper($id)";
        command.Parameters.AddWithValue("$id", account.ToString());
        return (string)(await command.ExecuteScalarAsync(Cancel))!;
    }

    [Fact]
    public async Task AnAnswerWithNoCeremonyUnderWay_OrOneUsedAlready_IsRefused_AndSignsNobodyIn()
    {
        using var http = Person.Client(app);
        using var key = new SoftPasskey(app.BaseAddress);
        var account = await SignUpWithPasskeyAsync(http, key, "Nic");
        using var fresh = Person.Client(app);
        var options = await OptionsAsync(fresh, SignInOptions);
        var answer = key.Get(options);

        var none = await Person.Client(app).PostAsJsonAsync(SignIn, new { credential = answer }, Cancel);
        var first = await fresh.PostAsJsonAsync(SignIn, new { credential = answer }, Cancel);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fresh.PostAsync("/api/account/sign-out", null, Cancel)).StatusCode);
        var replayed = await fresh.PostAsJsonAsync(SignIn, new { credential = answer }, Cancel);

        await ProblemAssert.IsAsync(none, HttpStatusCode.BadRequest, ErrorCodes.NoPasskeyCeremony);
        await ProblemAssert.IsAsync(replayed, HttpStatusCode.BadRequest, ErrorCodes.NoPasskeyCeremony);
        await ProblemAssert.IsAsync(await fresh.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
        await ProblemAssert.IsAsync(await fresh.PostAsJsonAsync(SignUp, new { credential = answer }, Cancel), HttpStatusCode.BadRequest, ErrorCodes.NoPasskeyCeremony);
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync(Passkeys, new { credential = answer }, Cancel), HttpStatusCode.BadRequest, ErrorCodes.NoPasskeyCeremony);
        Assert.Single((await http.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel))!);
        Assert.Equal(account.Id, (await http.GetFromJsonAsync<AccountDto>("/api/account/me", Cancel))!.Id);
    }

    [Fact]
    public async Task ASignInOptionsCeremony_DoesNotFinishASignUp_NorTheOtherWayRound()
    {
        using var http = Person.Client(app);
        using var key = new SoftPasskey(app.BaseAddress);
        var signUpOptions = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(Unique("mix"), "Mix"));
        var created = key.Create(signUpOptions);
        await OptionsAsync(http, SignInOptions); // the browser's one ceremony is now a sign-in

        var signUp = await http.PostAsJsonAsync(SignUp, new { credential = created }, Cancel);

        await ProblemAssert.IsAsync(signUp, HttpStatusCode.BadRequest, ErrorCodes.NoPasskeyCeremony);
        await ProblemAssert.IsAsync(await http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
    }

    public static TheoryData<string> Malformed =>
    [
        "\"a string\"",
        "[1, 2, 3]",
        "{}",
        /*lang=json,strict*/ """{ "id": "AAAA", "type": "public-key", "response": { "clientDataJSON": "not base64url!" } }""",
        /*lang=json,strict*/ """{ "id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": { "clientDataJSON": "e30", "attestationObject": "oA", "authenticatorData": "AA", "signature": "AA" } }""",
        "null",
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedCredential_IsATypedRefusal_AndChangesNothing(string credential)
    {
        using var http = Person.Client(app);
        var email = Unique("mal");
        await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(email, "Mal"));

        var signUp = await PostJsonAsync(http, SignUp, $"{{\"credential\": {credential}}}");
        await OptionsAsync(http, SignInOptions);
        var signIn = await PostJsonAsync(http, SignIn, $"{{\"credential\": {credential}}}");

        await ProblemAssert.IsAsync(signUp, HttpStatusCode.BadRequest, ErrorCodes.PasskeyRefused);
        await ProblemAssert.IsAsync(signIn, HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        await ProblemAssert.IsAsync(await http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync(SignUpOptions, new PasskeySignUpOptionsRequest(email, "Mal"), Cancel)).StatusCode); // no account took the email
    }

    [Fact]
    public async Task ABodyThatIsNotJson_OrIsHuge_IsRefusedWithoutAServerError()
    {
        using var http = Person.Client(app);
        await OptionsAsync(http, SignInOptions);

        var notJson = await PostJsonAsync(http, SignIn, "{\"credential\": ");
        var huge = await PostJsonAsync(http, SignIn, $"{{\"credential\": {{\"id\": \"{new string('A', 200_000)}\"}}}}");
        var longButUnderTheBodyLimit = await PostJsonAsync(http, SignIn, $"{{\"credential\": {{\"id\": \"{new string('A', Limits.PasskeyCredentialLength)}\"}}}}");

        await ProblemAssert.IsAsync(notJson, HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        await ProblemAssert.IsAsync(longButUnderTheBodyLimit, HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
    }

    [Fact]
    public async Task APasskeyMadeOnAnotherSitesPage_IsRefused()
    {
        using var http = Person.Client(app);
        using var key = new SoftPasskey(new Uri("https://evil.example")); // a phishing page relaying our options
        var options = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(Unique("eve"), "Eve"));

        var made = await http.PostAsJsonAsync(SignUp, new { credential = key.Create(options) }, Cancel);

        await ProblemAssert.IsAsync(made, HttpStatusCode.BadRequest, ErrorCodes.PasskeyRefused);
        await ProblemAssert.IsAsync(await http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
    }

    [Fact]
    public async Task AnUnknownPasskey_AndAForgedSignature_GetTheSameAnswer()
    {
        using var http = Person.Client(app);
        using var known = new SoftPasskey(app.BaseAddress);
        await SignUpWithPasskeyAsync(http, known, "Kim");
        using var stranger = new SoftPasskey(app.BaseAddress);
        stranger.Create(await OptionsAsync(Person.Client(app), SignUpOptions, new PasskeySignUpOptionsRequest(Unique("nobody"), "Nobody"))); // never sent
        using var guest = Person.Client(app);

        var unknown = await guest.PostAsJsonAsync(SignIn, new { credential = stranger.Get(await OptionsAsync(guest, SignInOptions)) }, Cancel);
        var forged = known.Get(await OptionsAsync(guest, SignInOptions));
        var signature = Base64Url.DecodeFromChars((string)forged["response"]!["signature"]!);
        signature[^1] ^= 0x01;
        forged["response"]!["signature"] = Base64Url.EncodeToString(signature);
        var wrong = await guest.PostAsJsonAsync(SignIn, new { credential = forged }, Cancel);

        var a = await ProblemAssert.IsAsync(unknown, HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        var b = await ProblemAssert.IsAsync(wrong, HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        Assert.Equal(a.Detail, b.Detail);
        await ProblemAssert.IsAsync(await guest.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
    }

    [Theory]
    [InlineData("not-an-email", "Ann", ErrorCodes.InvalidEmail, HttpStatusCode.BadRequest)]
    [InlineData("ann@example.test", "", ErrorCodes.InvalidName, HttpStatusCode.BadRequest)]
    [InlineData("ann@example.test", "A\u0007nn", ErrorCodes.InvalidName, HttpStatusCode.BadRequest)]
    public async Task BadSignUpOptions_AreRefusedWithTheirCode_BeforeAnyPasskeyIsMade(string email, string name, string code, HttpStatusCode status)
    {
        using var http = Person.Client(app);

        var response = await http.PostAsJsonAsync(SignUpOptions, new PasskeySignUpOptionsRequest(email.Replace("ann@", $"ann-{Guid.NewGuid():N}@", StringComparison.Ordinal), name), Cancel);

        await ProblemAssert.IsAsync(response, status, code);
    }

    [Fact]
    public async Task ATakenEmail_IsSaidBeforeThePasskeyIsMade_AndAgainIfTakenMeanwhile()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var http = Person.Client(app);
        using var key = new SoftPasskey(app.BaseAddress);
        var email = Unique("race");

        var taken = await http.PostAsJsonAsync(SignUpOptions, new PasskeySignUpOptionsRequest(ann.Email.ToUpperInvariant(), "Other Ann"), Cancel);
        var options = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(email, "Racer"));
        Assert.Equal(HttpStatusCode.Created, (await Person.Client(app).PostAsJsonAsync("/api/account/sign-up", new SignUpRequest(email, Person.Password, "Quicker"), Cancel)).StatusCode);
        var late = await http.PostAsJsonAsync(SignUp, new { credential = key.Create(options) }, Cancel);

        await ProblemAssert.IsAsync(taken, HttpStatusCode.Conflict, ErrorCodes.EmailTaken);
        await ProblemAssert.IsAsync(late, HttpStatusCode.Conflict, ErrorCodes.EmailTaken);
        await ProblemAssert.IsAsync(await http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
    }

    [Fact]
    public async Task APasswordAccount_AddsPasskeys_SignsInWithThem_AndMayRemoveThemAll()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var phone = new SoftPasskey(app.BaseAddress);
        using var laptop = new SoftPasskey(app.BaseAddress);

        var first = await AddAsync(ann.Http, phone, name: null);
        var second = await AddAsync(ann.Http, laptop, name: "  Work laptop  ");
        var again = JsonNode.Parse(await OptionsAsync(ann.Http, AddOptions))!;

        Assert.Equal((phone.Id, "Passkey 1"), (first.Id, first.Name));
        Assert.Equal((laptop.Id, "Work laptop"), (second.Id, second.Name));
        Assert.Equal(ann.Id.ToString(), Encoding.UTF8.GetString(phone.UserHandle!));
        Assert.Equal(new[] { phone.Id, laptop.Id }.Order(), again["excludeCredentials"]!.AsArray().Select(c => (string)c!["id"]!).Order());

        using var elsewhere = Person.Client(app);
        var signedIn = await elsewhere.PostAsJsonAsync(SignIn, new { credential = laptop.Get(await OptionsAsync(elsewhere, SignInOptions)) }, Cancel);
        Assert.Equal(ann.Id, (await signedIn.Content.ReadFromJsonAsync<AccountDto>(Cancel))!.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"{Passkeys}/{phone.Id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"{Passkeys}/{laptop.Id}", Cancel)).StatusCode);
        Assert.Empty((await ann.Http.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel))!);
        Assert.Equal(ann.Id, (await ann.Http.GetFromJsonAsync<AccountDto>("/api/account/me", Cancel))!.Id);

        using var later = Person.Client(app);
        await ProblemAssert.IsAsync(
            await later.PostAsJsonAsync(SignIn, new { credential = laptop.Get(await OptionsAsync(later, SignInOptions)) }, Cancel), HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
    }

    [Fact]
    public async Task AnAccountHoldsAtMost20Passkeys_EachNamedWithinTheLimit()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var tooLongNamed = new SoftPasskey(app.BaseAddress);
        var options = await OptionsAsync(ann.Http, AddOptions);
        var tooLong = await ann.Http.PostAsJsonAsync(Passkeys, new { credential = tooLongNamed.Create(options), name = new string('x', Limits.PasskeyNameLength + 1) }, Cancel);
        await ProblemAssert.IsAsync(tooLong, HttpStatusCode.BadRequest, ErrorCodes.InvalidName);

        for (var i = 0; i < Limits.PasskeysPerAccount; i++)
        {
            using var key = new SoftPasskey(app.BaseAddress);
            await AddAsync(ann.Http, key, name: null);
        }

        var more = await ann.Http.PostAsync(AddOptions, null, Cancel);

        await ProblemAssert.IsAsync(more, (HttpStatusCode)422, ErrorCodes.LimitExceeded);
        var listed = (await ann.Http.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel))!;
        Assert.Equal(Limits.PasskeysPerAccount, listed.Length);
        Assert.Contains(listed, p => p.Name == $"Passkey {Limits.PasskeysPerAccount}"); // numbered on from the count
    }

    [Fact]
    public async Task ThePasskeyOnlyAccountsLastPasskey_CannotBeRemoved_UntilAnotherIsAdded()
    {
        using var http = Person.Client(app);
        using var first = new SoftPasskey(app.BaseAddress);
        using var second = new SoftPasskey(app.BaseAddress);
        await SignUpWithPasskeyAsync(http, first, "Lou");

        var refused = await http.DeleteAsync($"{Passkeys}/{first.Id}", Cancel);
        await AddAsync(http, second, "Spare key");
        var removed = await http.DeleteAsync($"{Passkeys}/{first.Id}", Cancel);
        var lastAgain = await http.DeleteAsync($"{Passkeys}/{second.Id}", Cancel);

        await ProblemAssert.IsAsync(refused, HttpStatusCode.Conflict, ErrorCodes.LastSignInMethod);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await ProblemAssert.IsAsync(lastAgain, HttpStatusCode.Conflict, ErrorCodes.LastSignInMethod);
        Assert.Equal(second.Id, Assert.Single((await http.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel))!).Id);
    }

    [Fact]
    public async Task APasskeyIsRenamed_WithinTheNameLimit()
    {
        using var http = Person.Client(app);
        using var key = new SoftPasskey(app.BaseAddress);
        await SignUpWithPasskeyAsync(http, key, "Ren");

        var renamed = await http.PutAsJsonAsync($"{Passkeys}/{key.Id}", new RenamePasskeyRequest(" Phone "), Cancel);
        var tooLong = await http.PutAsJsonAsync($"{Passkeys}/{key.Id}", new RenamePasskeyRequest(new string('x', Limits.PasskeyNameLength + 1)), Cancel);
        var blank = await http.PutAsJsonAsync($"{Passkeys}/{key.Id}", new RenamePasskeyRequest("  "), Cancel);
        var unknown = await http.PutAsJsonAsync($"{Passkeys}/not-base64url!", new RenamePasskeyRequest("Phone"), Cancel);

        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        await ProblemAssert.IsAsync(tooLong, HttpStatusCode.BadRequest, ErrorCodes.InvalidName);
        await ProblemAssert.IsAsync(blank, HttpStatusCode.BadRequest, ErrorCodes.InvalidName);
        await ProblemAssert.IsAsync(unknown, HttpStatusCode.NotFound, ErrorCodes.PasskeyNotFound);
        Assert.Equal("Phone", Assert.Single((await http.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel))!).Name);
    }

    [Fact]
    public async Task AnotherAccount_NeitherSeesNorRenamesNorRemovesMyPasskey()
    {
        using var mine = Person.Client(app);
        using var key = new SoftPasskey(app.BaseAddress);
        await SignUpWithPasskeyAsync(mine, key, "Me");
        using var other = await Person.SignUpAsync(app, "Other");

        var seen = await other.Http.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel);
        var rename = await other.Http.PutAsJsonAsync($"{Passkeys}/{key.Id}", new RenamePasskeyRequest("Mine now"), Cancel);
        var remove = await other.Http.DeleteAsync($"{Passkeys}/{key.Id}", Cancel);
        var guest = await Person.Client(app).DeleteAsync($"{Passkeys}/{key.Id}", Cancel);

        Assert.Empty(seen!);
        await ProblemAssert.IsAsync(rename, HttpStatusCode.NotFound, ErrorCodes.PasskeyNotFound);
        await ProblemAssert.IsAsync(remove, HttpStatusCode.NotFound, ErrorCodes.PasskeyNotFound);
        await ProblemAssert.IsAsync(guest, HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
        var listed = Assert.Single((await mine.GetFromJsonAsync<PasskeyDto[]>(Passkeys, Cancel))!);
        Assert.Equal((key.Id, "Passkey 1"), (listed.Id, listed.Name));
    }

    [Fact]
    public async Task AnApiToken_ManagesNoPasskeys()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        var made = await ann.Http.PostAsJsonAsync("/api/account/tokens", new { name = "script", scope = "write" }, Cancel);
        var token = (string)JsonNode.Parse(await made.Content.ReadAsStringAsync(Cancel))!["token"]!;
        using var script = new HttpClient { BaseAddress = app.BaseAddress };
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        await ProblemAssert.IsAsync(await script.GetAsync(Passkeys, Cancel), HttpStatusCode.Forbidden, ErrorCodes.SignInRequired);
        await ProblemAssert.IsAsync(await script.PostAsync(AddOptions, null, Cancel), HttpStatusCode.Forbidden, ErrorCodes.SignInRequired);
        await ProblemAssert.IsAsync(await script.DeleteAsync($"{Passkeys}/AAAA", Cancel), HttpStatusCode.Forbidden, ErrorCodes.SignInRequired);
    }

    [Fact]
    public async Task ALockedOutAccount_IsNotOpenedByItsPasskeyEither()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var key = new SoftPasskey(app.BaseAddress);
        await AddAsync(ann.Http, key, "Phone");
        using var http = Person.Client(app);
        for (var i = 0; i < 5; i++)
        {
            await http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(ann.Email, "wrong " + i), Cancel);
        }

        var signIn = await http.PostAsJsonAsync(SignIn, new { credential = key.Get(await OptionsAsync(http, SignInOptions)) }, Cancel);

        await ProblemAssert.IsAsync(signIn, HttpStatusCode.Forbidden, ErrorCodes.AccountLockedOut);
        await ProblemAssert.IsAsync(await http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
    }

    [Fact]
    public async Task APasskeyOnlyAccount_WhoseEveryPasskeyIsLost_GetsAPasswordByAReset()
    {
        await using var own = new PokerApp { ConfigureLogs = l => l.AddFakeLogging() };
        await own.InitializeAsync();
        using var http = Person.Client(own);
        using var lost = new SoftPasskey(own.BaseAddress);
        var email = Unique("lost");
        var options = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(email, "Lost"));
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync(SignUp, new { credential = lost.Create(options) }, Cancel)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/api/account/password-reset", new PasswordResetRequest(email), Cancel)).StatusCode);
        var logged = Assert.Single(own.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 1301);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(logged.Message[logged.Message.IndexOf("http", StringComparison.Ordinal)..]).Query);
        var reset = await http.PostAsJsonAsync("/api/account/password-reset/confirm", new PasswordResetConfirmRequest(email, query["token"]!, "a brand new passphrase"), Cancel);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var elsewhere = Person.Client(own);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(email, "a brand new passphrase"), Cancel)).StatusCode);

        // With a password, the last passkey may go.
        Assert.Equal(HttpStatusCode.NoContent, (await elsewhere.DeleteAsync($"{Passkeys}/{lost.Id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task BehindAProxy_ThePublicAddressIsTheRelyingParty_AndItsOriginTheOnlyOneAccepted()
    {
        await using var own = new PokerApp();
        own.Settings["Web:PublicBaseUrl"] = "https://poker.example";
        await own.InitializeAsync();
        using var http = Person.Client(own);
        using var internalPage = new SoftPasskey(own.BaseAddress); // the address the proxy forwards to
        using var publicPage = new SoftPasskey(new Uri("https://poker.example"));

        var options = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(Unique("proxy"), "Proxy"));
        var refused = await http.PostAsJsonAsync(SignUp, new { credential = internalPage.Create(options) }, Cancel);
        options = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(Unique("proxy"), "Proxy"));
        var made = await http.PostAsJsonAsync(SignUp, new { credential = publicPage.Create(options) }, Cancel);

        Assert.Equal("poker.example", (string)JsonNode.Parse(options)!["rp"]!["id"]!);
        await ProblemAssert.IsAsync(refused, HttpStatusCode.BadRequest, ErrorCodes.PasskeyRefused);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
    }

    [Fact]
    public async Task LocalAccountsSwitchedOff_SwitchPasskeysOff()
    {
        await using var own = new PokerApp();
        own.Settings["Accounts:LocalAccounts"] = "false";
        await own.InitializeAsync();
        using var http = Person.Client(own);

        var options = await http.GetFromJsonAsync<SignInOptionsDto>("/api/account/options", Cancel);

        Assert.False(options!.Passkeys);
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync(SignUpOptions, new PasskeySignUpOptionsRequest("a@example.test", "A"), Cancel), HttpStatusCode.NotFound, ErrorCodes.LocalAccountsOff);
        await ProblemAssert.IsAsync(await http.PostAsync(SignInOptions, null, Cancel), HttpStatusCode.NotFound, ErrorCodes.LocalAccountsOff);
        await ProblemAssert.IsAsync(await PostJsonAsync(http, SignIn, /*lang=json,strict*/ """{ "credential": {} }"""), HttpStatusCode.NotFound, ErrorCodes.LocalAccountsOff);
    }

    [Fact]
    public async Task WithSignUpClosed_NoAccountIsMadeWithAPasskey()
    {
        await using var own = new PokerApp();
        own.Settings["Accounts:OpenSignUp"] = "false";
        await own.InitializeAsync();
        using var http = Person.Client(own);

        var options = await http.GetFromJsonAsync<SignInOptionsDto>("/api/account/options", Cancel);

        Assert.True(options!.Passkeys);
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync(SignUpOptions, new PasskeySignUpOptionsRequest(Unique("x"), "X"), Cancel), HttpStatusCode.Forbidden, ErrorCodes.SignUpClosed);
        await ProblemAssert.IsAsync(await PostJsonAsync(http, SignUp, /*lang=json,strict*/ """{ "credential": {} }"""), HttpStatusCode.Forbidden, ErrorCodes.SignUpClosed);
    }

    /// <summary>Signs up with the passkey on this client; returns the account.</summary>
    private static async Task<AccountDto> SignUpWithPasskeyAsync(HttpClient http, SoftPasskey key, string name)
    {
        var options = await OptionsAsync(http, SignUpOptions, new PasskeySignUpOptionsRequest(Unique(name), name));
        var made = await http.PostAsJsonAsync(SignUp, new { credential = key.Create(options) }, Cancel);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        return (await made.Content.ReadFromJsonAsync<AccountDto>(Cancel))!;
    }

    /// <summary>Adds the passkey to the account signed in on this client.</summary>
    private static async Task<PasskeyDto> AddAsync(HttpClient http, SoftPasskey key, string? name)
    {
        var options = await OptionsAsync(http, AddOptions);
        var added = await http.PostAsJsonAsync(Passkeys, new { credential = key.Create(options), name }, Cancel);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var passkey = (await added.Content.ReadFromJsonAsync<PasskeyDto>(Cancel))!;
        Assert.Equal($"/api/account/passkeys/{passkey.Id}", added.Headers.Location?.OriginalString);
        return passkey;
    }

    private static async Task<string> OptionsAsync(HttpClient http, string path, object? body = null)
    {
        var response = body is null ? await http.PostAsync(path, null, Cancel) : await http.PostAsJsonAsync(path, body, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Cancel);
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

    private static string Unique(string name) => $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
