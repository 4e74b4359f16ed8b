using System.Net;
using System.Text.Json;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;
using static PlanningPoker.Web.Tests.FakeApi;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// The account page's tracker connections: the same panel as a team's (Components/TrackerConnections.razor), on the
/// person's own connections at <c>api/account/trackers</c>, said to be theirs only and usable in any room they facilitate.
/// </summary>
public sealed class AccountTrackersTests : UiTest
{
    private const string Trackers = "/api/account/trackers";
    private static readonly AccountDto Fanny = new(Guid.Parse("7d1b6c39-4f2e-4a55-9d4c-0f5c2a1b3e11"), "fanny@example.com", "Fanny");
    private static readonly Guid GitLabId = Guid.Parse("30000000-0000-0000-0000-000000000003");

    private static readonly TrackerConnectionDto GitLab = new(GitLabId, "GitLab", "Side project", "https://gitlab.com", null, "fanny/side",
        null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true);

    public AccountTrackersTests()
    {
        Server.On(HttpMethod.Get, "/api/account/session", _ => Json(HttpStatusCode.OK, new SessionDto(Fanny)));
        RunsInTheBrowser();
    }

    [Fact]
    public void ASignedInPerson_SeesTheirOwnConnections_AndAddsOne()
    {
        var saved = false;
        Server.On(HttpMethod.Get, Trackers, _ => Json(HttpStatusCode.OK, saved ? [GitLab] : Array.Empty<TrackerConnectionDto>()));
        Server.On(HttpMethod.Post, Trackers, _ =>
        {
            saved = true;
            return Json(HttpStatusCode.Created, GitLab);
        });

        var page = Render<Account>();

        page.WaitForAssertion(() => Assert.Equal("You have no tracker connection of your own yet.", page.Find("#tracker-none").TextContent));
        Assert.Equal(
            "Your own tracker connections: only you see them, and you may use them in any room you facilitate, to import stories and write accepted estimates back.",
            page.Find(".tracker-panel p.muted").TextContent);
        page.Find("#tracker-add").Click();
        page.Find("#tracker-kind").Change("GitLab");
        page.Find("#tracker-name").Change("Side project");
        page.Find("#tracker-base-url").Change("https://gitlab.com");
        page.Find("#tracker-secret").Change("glpat-x");
        page.Find("#tracker-scope").Change("fanny/side");
        page.Find("#tracker-save").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"#tracker-{GitLabId}")));
        var sent = JsonSerializer.Deserialize<SaveTrackerConnectionRequest>(Server.Requests.Single(r => r.Method == HttpMethod.Post).Body!, JsonSerializerOptions.Web)!;
        Assert.Equal(("GitLab", "Side project", "glpat-x", "fanny/side"), (sent.Kind, sent.Name, sent.Secret, sent.Scope));
        Assert.Equal("Connection Side project saved", page.Find("#trackers-said").TextContent);
        Assert.DoesNotContain(Server.Requests, r => r.Path.StartsWith("/api/orgs", StringComparison.Ordinal));
    }

    [Fact]
    public void TheAccountsLimit_IsSaidAsThePersons()
    {
        Server.On(HttpMethod.Get, Trackers, _ => Json(HttpStatusCode.OK, new[] { GitLab }));
        Server.On(HttpMethod.Post, Trackers, _ => Problem(HttpStatusCode.Conflict, ErrorCodes.LimitExceeded));
        var page = Render<Account>();
        page.WaitForElement("#tracker-add").Click();

        page.Find("#tracker-kind").Change("GitLab");
        page.Find("#tracker-name").Change("Another");
        page.Find("#tracker-base-url").Change("https://gitlab.com");
        page.Find("#tracker-secret").Change("glpat-y");
        page.Find("#tracker-scope").Change("fanny/other");
        page.Find("#tracker-save").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "You have as many tracker connections as an account may keep: delete one first.", page.Find("#tracker-form p.error").TextContent));
    }
}
