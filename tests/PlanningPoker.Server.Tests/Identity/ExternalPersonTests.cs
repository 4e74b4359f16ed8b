using System.Security.Claims;
using PlanningPoker.Server.Identity;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>The rules of a sign-in through a provider, as tables: what is kept of the ID token, where the person lands, which settings start.</summary>
public sealed class ExternalPersonTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/rooms/abc?tab=backlog#x", "/rooms/abc?tab=backlog#x")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("rooms/abc", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("/rooms\\..\\x", "/")]
    [InlineData("/a\r\nSet-Cookie: x=1", "/")]
    [InlineData("javascript:alert(1)", "/")]
    public void LocalPathOrRoot_KeepsOnlyPathsOfThisSite(string? returnUrl, string expected) =>
        Assert.Equal(expected, ExternalPerson.LocalPathOrRoot(returnUrl));

    [Fact]
    public void LocalPathOrRoot_RefusesAnOverlongPath() =>
        Assert.Equal("/", ExternalPerson.LocalPathOrRoot("/" + new string('a', 2_000)));

    [Theory]
    [InlineData("true", false, "ann@example.test")]
    [InlineData("True", false, "ann@example.test")]
    [InlineData("false", false, null)]
    [InlineData(null, false, null)]
    [InlineData(null, true, "ann@example.test")]
    [InlineData("false", true, "ann@example.test")]
    public void FromIdToken_KeepsTheEmail_OnlyWhenTheProviderVouchesForIt(string? emailVerified, bool trustEmails, string? expected)
    {
        var claims = Token(("sub", "s-1"), ("email", "ann@example.test"), ("email_verified", emailVerified), ("name", "Ann"));

        var person = ExternalPerson.FromIdToken(claims, trustEmails);

        Assert.Equal(new ExternalPerson("s-1", expected, "Ann"), person);
    }

    [Theory]
    [InlineData("Ann Lee", "ann.lee", "ann@example.test", "Ann Lee")]
    [InlineData(null, "ann.lee", "ann@example.test", "ann.lee")]
    [InlineData("  ", null, "ann@example.test", "ann@example.test")]
    [InlineData(null, null, null, ExternalPerson.FallbackName)]
    [InlineData("\u0007\u200B", null, null, ExternalPerson.FallbackName)]
    [InlineData(" Ann \t\n Lee ", null, null, "Ann Lee")]
    [InlineData("Ann\u202Eeel", null, null, "Anneel")]
    public void FromIdToken_NamesThePerson_FromNameThenUserNameThenEmail(string? name, string? userName, string? email, string expected)
    {
        var person = ExternalPerson.FromIdToken(Token(("sub", "s-1"), ("name", name), ("preferred_username", userName), ("email", email)), trustEmails: false);

        Assert.Equal(expected, person!.DisplayName);
    }

    [Fact]
    public void FromIdToken_CutsALongName_AtTheAccountLimit_BetweenCharacters()
    {
        var name = new string('a', 39) + "😀" + "tail";

        var person = ExternalPerson.FromIdToken(Token(("sub", "s-1"), ("name", name)), trustEmails: false);

        Assert.Equal(new string('a', 39), person!.DisplayName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void FromIdToken_WithoutASubject_IsNull(string? subject) =>
        Assert.Null(ExternalPerson.FromIdToken(Token(("sub", subject), ("email", "a@example.test")), trustEmails: true));

    [Fact]
    public void FromIdToken_WithAnOverlongSubject_IsNull() =>
        Assert.Null(ExternalPerson.FromIdToken(Token(("sub", new string('s', ExternalPerson.SubjectLength + 1))), trustEmails: true));

    [Fact]
    public void TheExternalCookie_CarriesThePersonAndNothingElse()
    {
        var person = new ExternalPerson("s-1", "ann@example.test", "Ann");

        var identity = person.ToIdentity("oidc-test");

        Assert.Equal(person, ExternalPerson.FromExternalCookie(new ClaimsPrincipal(identity)));
        Assert.Equal(3, identity.Claims.Count());
    }

    [Theory]
    [InlineData("contoso", "https://login.example/tenant/v2.0", true, null)]
    [InlineData("keycloak-2", "http://127.0.0.1:8080/realms/x", false, null)]
    [InlineData("local", "http://localhost:8080/", false, null)]
    [InlineData("bad name", "https://login.example/", true, "letters, digits and dashes")]
    [InlineData("-dash", "https://login.example/", true, "letters, digits and dashes")]
    [InlineData("plain", "http://login.example/", true, "https is required")]
    [InlineData("plain", "http://login.example/", false, "https is required")]
    [InlineData("plain", "http://127.0.0.1:8080/", true, "https is required")]
    [InlineData("plain", "https://login.example/", false, "only for a loopback authority")]
    [InlineData("plain", "login.example", true, "absolute https address")]
    public void TheProviderSettings_AreCheckedAtStart(string name, string authority, bool requireHttps, string? failure)
    {
        var options = new AccountOptions();
        options.Providers[name] = new ExternalProviderOptions { DisplayName = "Contoso", Authority = authority, ClientId = "app", RequireHttpsMetadata = requireHttps };

        var result = new AccountOptionsValidator().Validate(null, options);

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.True(result.Failed);
            Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheProviderSettings_NeedAClientIdADisplayNameOpenidAndDistinctCallbacks()
    {
        var options = new AccountOptions();
        options.Providers["one"] = new ExternalProviderOptions { Authority = "https://a.example/", Scopes = "profile email", CallbackPath = "/back" };
        options.Providers["two"] = new ExternalProviderOptions { DisplayName = "Two", Authority = "https://b.example/", ClientId = "b", CallbackPath = "/back" };

        var failures = new AccountOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Accounts:Providers:one:ClientId", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Accounts:Providers:one:DisplayName", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Accounts:Providers:one:Scopes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Accounts:Providers:two:CallbackPath", StringComparison.Ordinal));
    }

    private static List<Claim> Token(params (string Type, string? Value)[] claims) =>
        [.. claims.Where(c => c.Value is not null).Select(c => new Claim(c.Type, c.Value!))];
}
