using System.Net;
using System.Text.Json;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;
using static PlanningPoker.Web.Tests.FakeApi;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// Personal API tokens: the list says what each may do and when it was used; a new token's secret is shown once,
/// with a copy button, and is gone once dismissed; revoking asks first.
/// </summary>
public sealed class TokensPageTests : UiTest
{
    private static readonly AccountDto Fanny = new(Guid.NewGuid(), "fanny@example.com", "Fanny");
    private static readonly DateTimeOffset Created = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly ApiTokenDto Nightly = new(Guid.Parse("0b6e0a0e-2c39-4f0a-8f5e-8b1f61c2d001"), "Nightly export", ApiTokenScope.Read, Created, Created.AddDays(90), null);
    private static readonly ApiTokenDto Bot = new(Guid.Parse("0b6e0a0e-2c39-4f0a-8f5e-8b1f61c2d002"), "Slack bot", ApiTokenScope.Write, Created, Created.AddDays(30), Created.AddDays(3));

    public TokensPageTests()
    {
        Server.On(HttpMethod.Get, "/api/account/session", _ => Json(HttpStatusCode.OK, new SessionDto(Fanny)));
        Server.On(HttpMethod.Get, "/api/account/tokens", _ => Json(HttpStatusCode.OK, new[] { Bot, Nightly }));
        RunsInTheBrowser();
    }

    [Fact]
    public void TheListSaysEachTokensNameScopeAndDates()
    {
        var page = Render<AccountTokens>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("li.token").Count));
        var tokens = page.FindAll("li.token");
        Assert.Equal("Slack bot Read and write", tokens[0].QuerySelector(".token-name")!.TextContent.Trim());
        Assert.Equal("Nightly export Read only", tokens[1].QuerySelector(".token-name")!.TextContent.Trim());
        Assert.Contains("Never", tokens[1].QuerySelector("dl")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(Created.AddDays(90).ToLocalTime().ToString("d", System.Globalization.CultureInfo.CurrentCulture), tokens[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Never", tokens[0].QuerySelector("dl")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewTokensSecret_IsShownOnce_WithACopyButton_AndIsGoneOnceDismissed()
    {
        var made = new ApiTokenDto(Guid.NewGuid(), "CI", ApiTokenScope.Write, Created, Created.AddDays(7), null, "pp_s3cret");
        Server.On(HttpMethod.Post, "/api/account/tokens", _ => Json(HttpStatusCode.Created, made));
        var page = Render<AccountTokens>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("li.token").Count));

        page.Find("#token-name").Change("CI");
        page.Find("#scope-write").Change(true);
        page.Find("#token-days").Change("7");
        page.Find("#create-token").Click();

        page.WaitForAssertion(() => Assert.Equal("pp_s3cret", page.Find("#new-token-value").GetAttribute("value")));
        Assert.Equal("Copy it now: you will not see it again. If you lose it, revoke it and create another.", page.Find("#new-token .warning").TextContent);
        var sent = JsonSerializer.Deserialize<CreateApiTokenRequest>(Server.Requests.Single(r => r.Method == HttpMethod.Post).Body!, JsonSerializerOptions.Web)!;
        Assert.Equal(new CreateApiTokenRequest("CI", ApiTokenScope.Write, 7), sent);
        Assert.Equal(3, page.FindAll("li.token").Count); // listed at once, without its secret
        Assert.DoesNotContain("pp_s3cret", page.Find(".token-list").OuterHtml, StringComparison.Ordinal);

        page.Find("#copy-token").Click();
        page.WaitForAssertion(() => Assert.Contains("Copied to the clipboard.", page.Find("#new-token").TextContent, StringComparison.Ordinal));
        page.Find("#token-done").Click();

        Assert.DoesNotContain("pp_s3cret", page.Markup, StringComparison.Ordinal);
        Assert.NotNull(page.Find("#token-name"));
    }

    [Fact]
    public void RevokingAsksFirst_AndCancelKeepsTheToken()
    {
        Server.On(HttpMethod.Delete, $"/api/account/tokens/{Bot.Id}", _ => Empty(HttpStatusCode.NoContent));
        var page = Render<AccountTokens>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("li.token").Count));
        var id = $"token-{Bot.Id:N}";
        Assert.Equal("Revoke “Slack bot”", page.Find($"#{id}-revoke").GetAttribute("aria-label"));

        page.Find($"#{id}-revoke").Click();
        Assert.Equal("Revoke “Slack bot”? Scripts that use it stop working at once.", page.Find($"#{id}-confirm").TextContent);
        page.Find($"#{id}-revoke-no").Click();
        Assert.Empty(page.FindAll($"#{id}-confirm"));
        Assert.DoesNotContain(Server.Requests, r => r.Method == HttpMethod.Delete);

        page.Find($"#{id}-revoke").Click();
        page.Find($"#{id}-revoke-yes").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("li.token")));
        Assert.Equal("Nightly export Read only", page.Find(".token-name").TextContent.Trim());
        Assert.Equal("Token “Slack bot” revoked.", page.Find("#token-list-title + [role=status]").TextContent);
        Assert.Single(Server.Requests, r => r.Method == HttpMethod.Delete && r.Path == $"/api/account/tokens/{Bot.Id}");
    }

    [Fact]
    public void PastTheLimit_TheRefusalSaysWhatToDo()
    {
        Server.On(HttpMethod.Post, "/api/account/tokens", _ => Problem(HttpStatusCode.BadRequest, ErrorCodes.LimitExceeded));
        var page = Render<AccountTokens>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("li.token").Count));

        page.Find("#token-name").Change("One too many");
        page.Find("#create-token").Click();

        page.WaitForAssertion(() => Assert.Equal("You have 20 tokens already: revoke one you no longer use first.", page.Find("#token-error [role=alert]").TextContent));
        Assert.Equal("true", page.Find("#token-name").GetAttribute("aria-invalid"));
    }
}

/// <summary>A guest on the tokens page is told to sign in, and the page asks the server for no list.</summary>
public sealed class TokensPageGuestTests : UiTest
{
    public TokensPageGuestTests() => RunsInTheBrowser();

    [Fact]
    public void AGuest_IsAskedToSignIn_AndComesBackHere()
    {
        var page = Render<AccountTokens>();

        page.WaitForAssertion(() => Assert.Equal("account?returnUrl=%2Faccount%2Ftokens", page.Find("#tokens-sign-in").GetAttribute("href")));
        Assert.DoesNotContain(Server.Requests, r => r.Path.StartsWith("/api/account/tokens", StringComparison.Ordinal));
    }
}
