using System.Net;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// The team page's tracker connections: every member sees them, the team's facilitators and the organisation's owner
/// and admins add, change, test and delete them, and a secret is never shown nor sent again unless typed.
/// </summary>
public sealed class TrackerConnectionsTests : OrganisationPageTest
{
    private static readonly Guid JiraId = Guid.Parse("40000000-0000-0000-0000-000000000004");
    private static readonly Guid GitHubId = Guid.Parse("50000000-0000-0000-0000-000000000005");

    private static readonly TrackerConnectionDto Jira = new(JiraId, "JiraCloud", "<b>Payments</b>", "https://acme.atlassian.net", "ada@acme.test", null,
        "customfield_10016", new Dictionary<string, decimal> { ["XS"] = 1, ["S"] = 2 }, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true);

    private static readonly TrackerConnectionDto GitHub = new(GitHubId, "GitHub", "Web issues", "https://api.github.com", null, "acme/web",
        null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true);

    private static readonly string Trackers = $"api/orgs/{OrgId}/teams/{TeamId}/trackers";

    /// <summary>The team Platform: Maya facilitates it, Bruno is a plain member; its connections are <paramref name="connections"/>.</summary>
    private void Team(AccountDto me, OrganisationRole role, params TrackerConnectionDto[] connections)
    {
        var team = new TeamDto(TeamId, OrgId, "Platform", [new TeamMemberDto(Maya.Id, "Maya", true), new TeamMemberDto(Bruno.Id, "Bruno", false)]);
        Organisation(me, role, teams: [team]);
        Server.On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/settings", new TeamSettingsDto(null, new DeckDto(DeckType.Fibonacci), new RoomSettingsDto(), false))
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/rooms", Array.Empty<TeamRoomDto>())
            .On("GET", Trackers, connections);
    }

    private IRenderedComponent<Team> RenderTeam() => Render<Team>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));

    [Fact]
    public void AMember_SeesTheConnections_AsText_ButNoWayToChangeThem()
    {
        Team(Bruno, OrganisationRole.Member, GitHub, Jira);

        var page = RenderTeam();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".tracker-list > li").Count));
        var jira = page.Find($"#tracker-{JiraId}");
        Assert.Equal("<b>Payments</b>", jira.QuerySelector(".name")!.TextContent);
        Assert.Empty(jira.QuerySelectorAll("b"));
        Assert.Equal("Jira Cloud", jira.QuerySelector(".badge")!.TextContent);
        Assert.Contains("secret stored", jira.TextContent, StringComparison.Ordinal);
        Assert.Contains("XS → 1 · S → 2", jira.TextContent, StringComparison.Ordinal);
        var github = page.Find($"#tracker-{GitHubId}");
        Assert.Contains("Repository (owner/repo)", github.TextContent, StringComparison.Ordinal);
        Assert.Contains("acme/web", github.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#tracker-add, #tracker-form, [id^=tracker-check-], [id^=tracker-edit-], [id^=tracker-delete-]"));
    }

    [Fact]
    public void AFacilitator_AddsAJiraCloudConnection_WithPointsForItsCards()
    {
        Team(Maya, OrganisationRole.Member);
        Server.On("POST", Trackers, Jira with { Name = "Payments" }, HttpStatusCode.Created);
        var page = RenderTeam();
        page.WaitForElement("#tracker-add").Click();

        page.Find("#tracker-kind").Change("JiraCloud");
        page.Find("#tracker-name").Change(" Payments ");
        page.Find("#tracker-base-url").Change("https://acme.atlassian.net");
        page.Find("#tracker-secret").Change("atl-token");
        page.Find("#tracker-user").Change("ada@acme.test");
        page.Find("#tracker-field").Change("customfield_10016");
        page.Find("#tracker-point-add").Click();
        page.Find("#tracker-point-add").Click();
        page.Find("#tracker-point-add").Click();
        page.Find("#tracker-point-label-0").Change("XS");
        page.Find("#tracker-point-value-0").Change("1");
        page.Find("#tracker-point-label-1").Change("S");
        page.Find("#tracker-point-value-1").Change("2.5");
        page.Find("#tracker-point-remove-2").Click();
        page.Find("#tracker-save").Click();

        page.WaitForAssertion(() => Assert.Contains($"POST {Trackers}", Server.Calls));
        var sent = Server.BodyOf<SaveTrackerConnectionRequest>($"POST {Trackers}");
        Assert.Equal(("JiraCloud", "Payments", "https://acme.atlassian.net", "atl-token", "ada@acme.test", null, "customfield_10016"),
            (sent.Kind, sent.Name, sent.BaseUrl, sent.Secret, sent.User, sent.Scope, sent.EstimateField));
        Assert.Equal(new Dictionary<string, decimal> { ["XS"] = 1m, ["S"] = 2.5m }, sent.Points);
        page.WaitForAssertion(() => Assert.Equal("Connection Payments saved", page.Find("p.visually-hidden[role=status]").TextContent));
        Assert.Empty(page.FindAll("#tracker-form"));
        Assert.Equal(2, Server.Calls.Count(c => c == $"GET {Trackers}"));
    }

    [Fact]
    public void AConnectionMissingWhatItsKindNeeds_IsNotSent()
    {
        Team(Maya, OrganisationRole.Member);
        var page = RenderTeam();
        page.WaitForElement("#tracker-add").Click();

        page.Find("#tracker-name").Change("Payments");
        page.Find("#tracker-base-url").Change("https://acme.atlassian.net");
        page.Find("#tracker-secret").Change("atl-token");
        page.Find("#tracker-save").Click();

        Assert.Equal("Jira Cloud needs the email of the account the token belongs to.", page.Find("#tracker-form p.error").TextContent);
        Assert.DoesNotContain($"POST {Trackers}", Server.Calls);
    }

    [Theory]
    [InlineData("JiraCloud", true, null, true, "https://your-site.atlassian.net")]
    [InlineData("JiraDataCenter", false, null, true, "https://jira.example.com")]
    [InlineData("AzureDevOps", false, "Project", true, "https://dev.azure.com/your-org")]
    [InlineData("GitHub", false, "Repository (owner/repo)", true, "https://api.github.com")]
    [InlineData("GitLab", false, "Project path", false, "https://gitlab.com")]
    [InlineData("Linear", false, "Team key", false, "https://api.linear.app")]
    public void TheFormAsksForWhatEachKindNeeds(string kind, bool user, string? scope, bool field, string placeholder)
    {
        Team(Adam, OrganisationRole.Admin);
        var page = RenderTeam();
        page.WaitForElement("#tracker-add").Click();

        page.Find("#tracker-kind").Change(kind);

        Assert.Equal(user, page.FindAll("#tracker-user").Count == 1);
        Assert.Equal(scope, page.FindAll("label[for=tracker-scope]").SingleOrDefault()?.TextContent);
        Assert.Equal(scope is not null, page.FindAll("#tracker-scope").Count == 1);
        Assert.Equal(field, page.FindAll("#tracker-field").Count == 1);
        Assert.Equal(placeholder, page.Find("#tracker-base-url").GetAttribute("placeholder"));
        var secret = page.Find("#tracker-secret");
        Assert.Equal(("password", "off"), (secret.GetAttribute("type"), secret.GetAttribute("autocomplete")));
        Assert.All(page.FindAll("#tracker-form input"), i => Assert.NotNull(page.Find($"label[for='{i.Id}']")));
    }

    [Fact]
    public void EditingWithAnEmptySecret_KeepsTheStoredOne()
    {
        Team(Adam, OrganisationRole.Admin, Jira);
        Server.On("PUT", $"{Trackers}/{JiraId}", Jira with { Name = "Payments board" });
        var page = RenderTeam();
        page.WaitForElement($"#tracker-edit-{JiraId}").Click();

        Assert.Equal("", page.Find("#tracker-secret").GetAttribute("value") ?? "");
        Assert.Contains("Leave it empty to keep the stored one.", page.Find("#tracker-secret-help").TextContent, StringComparison.Ordinal);
        Assert.Equal("S", page.Find("#tracker-point-label-1").GetAttribute("value"));
        page.Find("#tracker-name").Change("Payments board");
        page.Find("#tracker-save").Click();

        page.WaitForAssertion(() => Assert.Contains($"PUT {Trackers}/{JiraId}", Server.Calls));
        var sent = Server.BodyOf<SaveTrackerConnectionRequest>($"PUT {Trackers}/{JiraId}");
        Assert.True(string.IsNullOrEmpty(sent.Secret));
        Assert.Equal(("Payments board", "https://acme.atlassian.net", "ada@acme.test"), (sent.Name, sent.BaseUrl, sent.User));
        Assert.Equal(Jira.Points, sent.Points);
    }

    [Fact]
    public void MovingAConnectionToAnotherAddress_AsksForItsSecretAgain()
    {
        Team(Adam, OrganisationRole.Admin, Jira);
        var page = RenderTeam();
        page.WaitForElement($"#tracker-edit-{JiraId}").Click();

        page.Find("#tracker-base-url").Change("https://elsewhere.atlassian.net");
        page.Find("#tracker-save").Click();

        Assert.Equal("Enter the token or API key.", page.Find("#tracker-form p.error").TextContent);
        Assert.Contains("enter the secret again", page.Find("#tracker-secret-help").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain($"PUT {Trackers}/{JiraId}", Server.Calls);
    }

    [Fact]
    public void TestingAConnection_ShowsWhoItActsAsAndWhatItMayDo()
    {
        Team(Maya, OrganisationRole.Member, Jira);
        Server.On("POST", $"{Trackers}/{JiraId}/check", new TrackerCheckDto("Ada Lovelace (ada@acme.test)", true, null, "Story Points", ["Estimates go to customfield_10016."]));
        var page = RenderTeam();
        page.WaitForElement($"#tracker-check-{JiraId}").Click();

        page.WaitForElement($"#tracker-check-result-{JiraId} .tracker-account");
        var result = page.Find($"#tracker-check-result-{JiraId}");
        Assert.Equal("Ada Lovelace (ada@acme.test)", result.QuerySelector(".tracker-account")!.TextContent);
        var answers = result.QuerySelectorAll("dd").Select(d => d.TextContent).ToList();
        Assert.Equal(["Ada Lovelace (ada@acme.test)", "yes", "unknown until an estimate is written", "Story Points"], answers);
        Assert.Equal("Estimates go to customfield_10016.", result.QuerySelector(".tracker-notes li")!.TextContent);
        Assert.Equal("<b>Payments</b> works, as Ada Lovelace (ada@acme.test)", page.Find("p.visually-hidden[role=status]").TextContent);
    }

    [Fact]
    public void ATrackerThatRefuses_SaysItsReason()
    {
        Team(Maya, OrganisationRole.Member, Jira);
        Server.On("POST", $"{Trackers}/{JiraId}/check", new Dictionary<string, object>
        {
            ["status"] = 502,
            ["code"] = ErrorCodes.TrackerFailed,
            ["detail"] = "Jira refused the API token (401): check the email and the token",
            ["failure"] = "Unauthorized",
        }, HttpStatusCode.BadGateway);
        var page = RenderTeam();
        page.WaitForElement($"#tracker-check-{JiraId}").Click();

        page.WaitForElement($"#tracker-check-result-{JiraId} .tracker-reason");
        var result = page.Find($"#tracker-check-result-{JiraId}");
        Assert.Equal("The tracker refused or did not answer.", result.QuerySelector("p.error")!.TextContent);
        Assert.Equal("The tracker’s reason: Jira refused the API token (401): check the email and the token", result.QuerySelector(".tracker-reason")!.TextContent);
        Assert.Null(result.QuerySelector(".tracker-account"));
    }

    [Fact]
    public void Deleting_AsksFirst_ThenDeletes()
    {
        Team(Olivia, OrganisationRole.Owner, Jira);
        var page = RenderTeam();
        page.WaitForElement($"#tracker-delete-{JiraId}").Click();

        Assert.Contains("Delete the connection <b>Payments</b>?", page.Find($"#tracker-confirm-delete-{JiraId}-question").TextContent, StringComparison.Ordinal);
        page.Find($"#tracker-confirm-delete-{JiraId}-no").Click();
        Assert.Empty(page.FindAll(".confirm-panel"));
        Assert.DoesNotContain($"DELETE {Trackers}/{JiraId}", Server.Calls);

        page.Find($"#tracker-delete-{JiraId}").Click();
        page.Find($"#tracker-confirm-delete-{JiraId}-yes").Click();

        page.WaitForAssertion(() => Assert.Contains($"DELETE {Trackers}/{JiraId}", Server.Calls));
        page.WaitForAssertion(() => Assert.Equal("Connection <b>Payments</b> deleted", page.Find("p.visually-hidden[role=status]").TextContent));
    }

    [Fact]
    public void ARefusedConnection_IsSaidInWords()
    {
        Team(Maya, OrganisationRole.Member, Jira);
        Server.Refuse("POST", Trackers, ErrorCodes.LimitExceeded, HttpStatusCode.Conflict);
        var page = RenderTeam();
        page.WaitForElement("#tracker-add").Click();
        page.Find("#tracker-kind").Change("Linear");
        page.Find("#tracker-name").Change("Linear");
        page.Find("#tracker-base-url").Change("https://api.linear.app");
        page.Find("#tracker-secret").Change("lin_api_x");
        page.Find("#tracker-scope").Change("ENG");
        page.Find("#tracker-save").Click();

        page.WaitForAssertion(() => Assert.Equal("The team has as many tracker connections as it may: delete one first.", page.Find("#tracker-form p.error").TextContent));
        var sent = Server.BodyOf<SaveTrackerConnectionRequest>($"POST {Trackers}");
        Assert.Equal(("Linear", "ENG", null, null, null), (sent.Kind, sent.Scope, sent.User, sent.EstimateField, sent.Points));
    }
}
