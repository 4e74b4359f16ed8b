using System.Net;
using System.Text.Json;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;
using PlanningPoker.Web.Client.Services;
using static PlanningPoker.Web.Tests.FakeApi;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// Passkeys on the account page, the browser's half played by bUnit's module fake: offered only when the server has
/// them and the browser can; a cancelled prompt said as news, not as an error; the signed-in list, and a refused
/// removal said in words.
/// </summary>
public sealed class PasskeyPageTests : UiTest
{
    private static readonly AccountDto Pia = new(Guid.Parse("0b6b7d1e-3c1f-4a8e-9a39-8e3f1d2c4b5a"), "pia@example.com", "Pia");

    private readonly BunitJSModuleInterop _module;

    public PasskeyPageTests()
    {
        RunsInTheBrowser();
        Server.On(HttpMethod.Get, "/api/account/options", _ => Json(HttpStatusCode.OK, new SignInOptionsDto(true, true, 10, [], Passkeys: true)));
        _module = JSInterop.SetupModule("./js/passkeys.js");
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void ThePasskeyButtons_ShowWhenTheServerOffersThem_AndTheBrowserCan(bool offered, bool browserCan, bool shown)
    {
        Server.On(HttpMethod.Get, "/api/account/options", _ => Json(HttpStatusCode.OK, new SignInOptionsDto(true, true, 10, [], Passkeys: offered)));
        _module.Setup<bool>("supported").SetResult(browserCan);

        var page = Render<Account>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#sign-in-email")));
        page.WaitForAssertion(() => Assert.Equal(shown ? 1 : 0, page.FindAll("#passkey-sign-in").Count));
        Assert.Equal(shown ? 1 : 0, page.FindAll("#passkey-sign-up").Count);
    }

    [Fact]
    public void ACancelledPrompt_IsSaidInWords_AsNews_AndSignsNobodyIn()
    {
        _module.Setup<bool>("supported").SetResult(true);
        _module.Setup<PasskeyBrowser.PasskeyOutcome>("get", _ => true).SetResult(new(null, "cancelled"));
        Server.On(HttpMethod.Post, "/api/account/passkeys/sign-in/options", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(/*lang=json,strict*/ """{ "challenge": "AAAA" }""") });
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#passkey-sign-in")));

        page.Find("#passkey-sign-in").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "The passkey step was cancelled, or its time ran out. Nothing changed: try again when you are ready.", page.Find("#passkey-sign-in-error [role=status]").TextContent));
        Assert.Empty(page.FindAll("#passkey-sign-in-error [role=alert]"));
        Assert.DoesNotContain(Server.Requests, r => r.Path == "/api/account/passkeys/sign-in");
        Assert.Equal("Sign in", page.Find("h1").TextContent);
    }

    [Fact]
    public void ASignUpWithAPasskey_SendsTheNameAndEmail_AndThePasskeyTheBrowserMade()
    {
        _module.Setup<bool>("supported").SetResult(true);
        _module.Setup<PasskeyBrowser.PasskeyOutcome>("create", _ => true).SetResult(new(/*lang=json,strict*/ """{ "id": "cred", "type": "public-key" }""", null));
        Server.On(HttpMethod.Post, "/api/account/passkeys/sign-up/options", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(/*lang=json,strict*/ """{ "challenge": "AAAA" }""") });
        Server.On(HttpMethod.Post, "/api/account/passkeys/sign-up", _ => Json(HttpStatusCode.Created, Pia));
        Server.On(HttpMethod.Get, "/api/account/passkeys", _ => Json(HttpStatusCode.OK, new[] { new PasskeyDto("cred", "Passkey 1", DateTimeOffset.UnixEpoch, Synced: false) }));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#passkey-sign-up")));

        page.Find("#sign-up-name").Change(" Pia ");
        page.Find("#sign-up-email").Change("pia@example.com");
        page.Find("#passkey-sign-up").Click();

        page.WaitForAssertion(() => Assert.Equal("Your account", page.Find("h1").TextContent));
        page.WaitForAssertion(() => Assert.Equal("Passkey 1", page.Find("#passkey-cred .passkey-name").TextContent));
        var options = JsonSerializer.Deserialize<PasskeySignUpOptionsRequest>(Server.Requests.Single(r => r.Path.EndsWith("/sign-up/options", StringComparison.Ordinal)).Body!, JsonSerializerOptions.Web);
        Assert.Equal(new PasskeySignUpOptionsRequest("pia@example.com", "Pia"), options);
        var made = JsonDocument.Parse(Server.Requests.Single(r => r.Path == "/api/account/passkeys/sign-up").Body!).RootElement;
        Assert.Equal(("cred", "Passkey 1"), (made.GetProperty("credential").GetProperty("id").GetString(), made.GetProperty("name").GetString()));
    }

    [Fact]
    public void TheSignedInPage_ListsThePasskeys_AndSaysWhyTheLastOneStays()
    {
        _module.Setup<bool>("supported").SetResult(true);
        Server.On(HttpMethod.Get, "/api/account/session", _ => Json(HttpStatusCode.OK, new SessionDto(Pia)));
        Server.On(HttpMethod.Get, "/api/account/passkeys", _ => Json(HttpStatusCode.OK, new[] { new PasskeyDto("abc_-1", "Phone", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), Synced: true) }));
        Server.On(HttpMethod.Delete, "/api/account/passkeys/abc_-1", _ => Problem(HttpStatusCode.Conflict, ErrorCodes.LastSignInMethod));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.Equal("Phone", page.Find("#passkey-abc_-1 .passkey-name").TextContent));
        Assert.Contains("synced", page.Find("#passkey-abc_-1 .badge").TextContent, StringComparison.Ordinal);
        Assert.Equal("Passkey 2", page.Find("#passkey-name").GetAttribute("placeholder"));

        page.Find("#passkey-abc_-1-remove").Click();
        page.Find("#passkey-abc_-1-remove-yes").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "This passkey is your only way to sign in: add another passkey first.", page.Find("#remove-passkey-error [role=alert]").TextContent));
        Assert.Single(page.FindAll("li.passkey"));
    }

    [Fact]
    public void APasskeyIsRenamedInPlace_AndABlankNameIsSaidBeforeAnyRequest()
    {
        _module.Setup<bool>("supported").SetResult(true);
        Server.On(HttpMethod.Get, "/api/account/session", _ => Json(HttpStatusCode.OK, new SessionDto(Pia)));
        Server.On(HttpMethod.Get, "/api/account/passkeys", _ => Json(HttpStatusCode.OK, new[] { new PasskeyDto("k1", "Passkey 1", DateTimeOffset.UnixEpoch, Synced: false) }));
        Server.On(HttpMethod.Put, "/api/account/passkeys/k1", _ => Empty(HttpStatusCode.NoContent));
        var page = Render<Account>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#passkey-k1-rename")));

        page.Find("#passkey-k1-rename").Click();
        page.Find("#passkey-k1-new-name").Change("  ");
        page.Find(".passkey-rename").Submit();
        page.WaitForAssertion(() => Assert.Equal("Give the passkey a name of 1 to 60 characters.", page.Find("#rename-passkey-error [role=alert]").TextContent));
        Assert.DoesNotContain(Server.Requests, r => r.Method == HttpMethod.Put);
        page.Find("#passkey-k1-new-name").Change(" Work laptop ");
        page.Find(".passkey-rename").Submit();

        page.WaitForAssertion(() => Assert.Equal("Work laptop", page.Find("#passkey-k1 .passkey-name").TextContent));
        Assert.Equal("Passkey renamed “Work laptop”.", page.Find("#passkeys-said").TextContent);
        Assert.Equal(new RenamePasskeyRequest("Work laptop"), JsonSerializer.Deserialize<RenamePasskeyRequest>(Server.Requests.Single(r => r.Method == HttpMethod.Put).Body!, JsonSerializerOptions.Web));
    }
}
