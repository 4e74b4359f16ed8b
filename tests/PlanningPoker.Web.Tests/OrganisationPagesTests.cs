using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>A server for the organisation pages: answers by method and path, keeps every request (path and body).</summary>
public sealed class FakeOrganisationServer : HttpMessageHandler
{
    private readonly Dictionary<string, Func<HttpResponseMessage>> _answers = [];

    public List<(string Call, string? Body)> Requests { get; } = [];

    /// <summary>Every request's path with its query, in order.</summary>
    public List<string> Addresses { get; } = [];

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (no leading slash) with a JSON body and status.</summary>
    public FakeOrganisationServer On(string method, string path, object? body = null, HttpStatusCode status = HttpStatusCode.OK)
    {
        _answers[$"{method} {path}"] = () => new HttpResponseMessage(status) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };
        return this;
    }

    /// <summary>Answers with a ProblemDetails of this error code.</summary>
    public FakeOrganisationServer Refuse(string method, string path, string code, HttpStatusCode status) =>
        On(method, path, new Dictionary<string, object> { ["status"] = (int)status, ["code"] = code }, status);

    /// <summary>Who is signed in (null: a guest).</summary>
    public FakeOrganisationServer SignedIn(AccountDto? account) => On("GET", "api/account/session", new SessionDto(account));

    /// <summary>The calls made, as <c>METHOD path</c>.</summary>
    public IEnumerable<string> Calls => Requests.Select(r => r.Call);

    /// <summary>The body of the last call to <paramref name="call"/>, read as <typeparamref name="T"/>.</summary>
    public T BodyOf<T>(string call) =>
        JsonSerializer.Deserialize<T>(Requests.Last(r => r.Call == call).Body!, JsonSerializerOptions.Web)!;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = $"{request.Method} {request.RequestUri!.AbsolutePath.TrimStart('/')}";
        Requests.Add((call, request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken)));
        Addresses.Add(request.RequestUri.PathAndQuery);
        return _answers.TryGetValue(call, out var answer)
            ? answer()
            : new HttpResponseMessage(HttpStatusCode.NoContent); // a change the test did not script: accepted
    }
}

/// <summary>The organisation pages' common setup: a fake server, the real client, this browser's storage.</summary>
public abstract class OrganisationPageTest : UiTest
{
    protected static readonly AccountDto Olivia = new(Guid.Parse("00000000-0000-0000-0000-00000000000a"), "olivia@example.test", "Olivia");
    protected static readonly AccountDto Adam = new(Guid.Parse("00000000-0000-0000-0000-00000000000b"), "adam@example.test", "Adam");
    protected static readonly AccountDto Maya = new(Guid.Parse("00000000-0000-0000-0000-00000000000c"), "maya@example.test", "Maya");
    protected static readonly AccountDto Bruno = new(Guid.Parse("00000000-0000-0000-0000-00000000000d"), "bruno@example.test", "Bruno");
    protected static readonly Guid OrgId = Guid.Parse("10000000-0000-0000-0000-000000000001");
    protected static readonly Guid TeamId = Guid.Parse("20000000-0000-0000-0000-000000000002");

    protected OrganisationPageTest(string culture = "en")
        : base(culture)
    {
        Services.AddSingleton(new OrganisationApi(new HttpClient(Server) { BaseAddress = new Uri("http://localhost/") }));
        Services.AddSingleton<SeatStore>();
    }

    /// <summary>The organisation pages' server (they ask it who is signed in; the account service's is UiTest's).</summary>
    protected new FakeOrganisationServer Server { get; } = new();

    protected RecordingBrowserStore Store => (RecordingBrowserStore)Services.GetRequiredService<BrowserStore>();

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    protected static IReadOnlyList<MemberDto> Members { get; } =
    [
        new(Olivia.Id, "Olivia", OrganisationRole.Owner, DateTimeOffset.UnixEpoch),
        new(Adam.Id, "Adam", OrganisationRole.Admin, DateTimeOffset.UnixEpoch),
        new(Maya.Id, "Maya", OrganisationRole.Member, DateTimeOffset.UnixEpoch),
        new(Bruno.Id, "<b>Bruno</b>", OrganisationRole.Member, DateTimeOffset.UnixEpoch),
    ];

    /// <summary>The organisation as <paramref name="me"/> (of role <paramref name="role"/>) sees it.</summary>
    protected void Organisation(AccountDto me, OrganisationRole role, IReadOnlyList<TeamDto>? teams = null, IReadOnlyList<DeckTemplateDto>? decks = null) =>
        Server.SignedIn(me)
            .On("GET", $"api/orgs/{OrgId}", new OrganisationDto(OrgId, "Acme", role, Members.Count))
            .On("GET", $"api/orgs/{OrgId}/members", Members)
            .On("GET", $"api/orgs/{OrgId}/teams", teams ?? [])
            .On("GET", $"api/orgs/{OrgId}/decks", decks ?? [])
            .On("GET", $"api/orgs/{OrgId}/invitations", Array.Empty<InvitationDto>());
}

/// <summary>/orgs: a guest is sent to sign in and back; a member sees their organisations and creates one.</summary>
public sealed class OrganisationsPageTests : OrganisationPageTest
{
    [Fact]
    public void AGuest_IsOfferedTheSignInPage_WithTheWayBack()
    {
        Server.SignedIn(null);
        Navigation.NavigateTo("orgs");

        var page = Render<Organisations>();

        page.WaitForAssertion(() => Assert.Equal("account?returnUrl=%2Forgs", page.Find(".sign-in-prompt a").GetAttribute("href")));
        Assert.DoesNotContain("GET api/orgs", Server.Calls);
    }

    [Fact]
    public void MyOrganisations_ShowTheirNameMyRoleAndTheirSize()
    {
        Server.SignedIn(Olivia).On("GET", "api/orgs", new[] { new OrganisationDto(OrgId, "Acme", OrganisationRole.Admin, 3), new OrganisationDto(Guid.NewGuid(), "Solo", OrganisationRole.Owner, 1) });

        var page = Render<Organisations>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".org-list li").Count));
        var first = page.FindAll(".org-list li")[0];
        Assert.Equal($"orgs/{OrgId}", first.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("admin", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("3 members", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 member", page.FindAll(".org-list li")[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatingAnOrganisation_OpensIt()
    {
        var id = Guid.NewGuid();
        Server.SignedIn(Olivia).On("GET", "api/orgs", Array.Empty<OrganisationDto>())
            .On("POST", "api/orgs", new OrganisationDto(id, "Acme", OrganisationRole.Owner, 1), HttpStatusCode.Created);
        var page = Render<Organisations>();
        page.WaitForElement("#org-name");

        page.Find("#org-name").Change("  Acme ");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.EndsWith($"/orgs/{id}", Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal("Acme", Server.BodyOf<CreateOrganisationRequest>("POST api/orgs").Name);
    }

    [Fact]
    public void ARefusedName_IsSaidBesideTheField()
    {
        Server.SignedIn(Olivia).On("GET", "api/orgs", Array.Empty<OrganisationDto>())
            .Refuse("POST", "api/orgs", ErrorCodes.LimitExceeded, HttpStatusCode.Conflict);
        var page = Render<Organisations>();
        page.WaitForElement("#org-name");

        page.Find("#org-name").Change("One too many");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("You belong to as many organizations as an account may.", page.Find("#org-create-error .error").TextContent));
        Assert.Equal("true", page.Find("#org-name").GetAttribute("aria-invalid"));
    }
}

/// <summary>/orgs/{id}: each role is offered what OrganisationRules lets it do, and nothing else.</summary>
public sealed class OrganisationPageTests : OrganisationPageTest
{
    [Fact]
    public void TheOwner_ChangesRolesOfOthers_TransfersAndRemovesAnyone_ButCannotLeave()
    {
        Organisation(Olivia, OrganisationRole.Owner);

        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForElement(".member-list");
        Assert.Empty(page.FindAll($"#role-{Olivia.Id}"));
        Assert.Single(page.FindAll($"#role-{Adam.Id}"));
        Assert.Single(page.FindAll($"#role-{Maya.Id}"));
        Assert.Equal(3, page.FindAll("[id^=transfer-]").Count);
        Assert.Equal(3, page.FindAll("[id^=remove-]").Count);
        Assert.Empty(page.FindAll("#leave-org"));
        Assert.Single(page.FindAll("#org-delete"));
        Assert.Single(page.FindAll("#org-rename"));
        Assert.Single(page.FindAll("#invite-create"));
        Assert.Single(page.FindAll("#team-name"));
        Assert.Single(page.FindAll("#deck-new"));
    }

    [Fact]
    public void AnAdmin_ManagesMembersButNotTheOwnerNorOtherAdmins_AndMayLeave()
    {
        Organisation(Adam, OrganisationRole.Admin);

        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForElement(".member-list");
        Assert.Empty(page.FindAll($"#role-{Olivia.Id}"));
        Assert.Empty(page.FindAll($"#role-{Adam.Id}"));
        Assert.Single(page.FindAll($"#role-{Maya.Id}"));
        Assert.Empty(page.FindAll("[id^=transfer-]"));
        Assert.Equal([$"remove-{Maya.Id}", $"remove-{Bruno.Id}"], page.FindAll("[id^=remove-]").Select(b => b.Id!));
        Assert.Single(page.FindAll("#leave-org"));
        Assert.Empty(page.FindAll("#org-delete"));
        Assert.Single(page.FindAll("#org-rename"));
        Assert.Single(page.FindAll("#invite-create"));
        Assert.Equal($"orgs/{OrgId}/insights", page.Find("#org-insights").GetAttribute("href"));
    }

    [Fact]
    public void AMember_SeesTheOrganisation_AndMayOnlyLeave()
    {
        Organisation(Maya, OrganisationRole.Member);

        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForElement(".member-list");
        Assert.Empty(page.FindAll(".role-select"));
        Assert.Empty(page.FindAll("[id^=remove-], [id^=transfer-]"));
        Assert.Single(page.FindAll("#leave-org"));
        Assert.Empty(page.FindAll("#invite-create, #org-rename, #org-delete, #team-name, #deck-new, #org-insights"));
        Assert.DoesNotContain($"GET api/orgs/{OrgId}/invitations", Server.Calls); // not asked: it would be refused
        Assert.Equal(4, page.FindAll(".member-list li").Count);
    }

    [Fact]
    public void AName_IsShownAsText_NeverAsMarkup()
    {
        Organisation(Maya, OrganisationRole.Member);

        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForElement(".member-list");
        Assert.Empty(page.FindAll(".member-list b"));
        Assert.Contains("<b>Bruno</b>", page.FindAll(".member-list .name")[3].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SomeoneWhoIsNotAMember_ReadsWhy_InsteadOfABlankPage()
    {
        Server.SignedIn(Maya).Refuse("GET", $"api/orgs/{OrgId}", ErrorCodes.OrganisationNotFound, HttpStatusCode.NotFound);

        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForAssertion(() => Assert.Equal("There is no such organization, or you are not a member.", page.Find("p.error").TextContent));
        Assert.Equal("orgs", page.Find("main a, a").GetAttribute("href"));
    }

    [Fact]
    public void HandingOver_AsksFirst_ThenSendsTheNewOwner()
    {
        Organisation(Olivia, OrganisationRole.Owner);
        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement(".member-list");

        page.Find($"#transfer-{Maya.Id}").Click();

        Assert.Contains("Make Maya the owner of Acme?", page.Find("#confirm-transfer-question").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain($"POST api/orgs/{OrgId}/transfer", Server.Calls);
        page.Find("#confirm-transfer-yes").Click();
        page.WaitForAssertion(() => Assert.Equal(Maya.Id, Server.BodyOf<TransferOwnershipRequest>($"POST api/orgs/{OrgId}/transfer").AccountId));
    }

    [Fact]
    public void Cancelling_ChangesNothing()
    {
        Organisation(Olivia, OrganisationRole.Owner);
        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement(".member-list");

        page.Find($"#remove-{Maya.Id}").Click();
        page.Find("#confirm-remove-no").Click();

        Assert.Empty(page.FindAll(".confirm-panel"));
        Assert.DoesNotContain(Server.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public void ChangingARole_SendsIt()
    {
        Organisation(Olivia, OrganisationRole.Owner);
        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement(".member-list");

        page.Find($"#role-{Maya.Id}").Change(nameof(OrganisationRole.Admin));

        page.WaitForAssertion(() => Assert.Equal(OrganisationRole.Admin, Server.BodyOf<ChangeMemberRoleRequest>($"PUT api/orgs/{OrgId}/members/{Maya.Id}/role").Role));
    }

    [Fact]
    public void DeletingTheOrganisation_SaysWhatGoesWithIt()
    {
        Organisation(Olivia, OrganisationRole.Owner, teams: [new TeamDto(TeamId, OrgId, "Platform", [])]);
        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement("#org-delete");

        page.Find("#org-delete").Click();

        var question = page.Find("#confirm-delete-org-question").TextContent;
        Assert.Contains("Delete Acme for good? Its 1 teams", question, StringComparison.Ordinal);
        Assert.Contains("4 members", question, StringComparison.Ordinal);
        Assert.Contains("cannot be undone", question, StringComparison.Ordinal);
        page.Find("#confirm-delete-org-yes").Click();
        page.WaitForAssertion(() => Assert.EndsWith("/orgs", Navigation.Uri, StringComparison.Ordinal));
        Assert.Contains($"DELETE api/orgs/{OrgId}", Server.Calls);
    }

    [Fact]
    public void ANewInvitation_ShowsItsLinkOnce_WithTheTokenInTheFragment()
    {
        Organisation(Adam, OrganisationRole.Admin);
        Server.On("POST", $"api/orgs/{OrgId}/invitations", new InvitationDto(Guid.NewGuid(), OrganisationRole.Admin, 5, 0, Clock.GetUtcNow().AddDays(3), false, "s3cr3t-token"), HttpStatusCode.Created);
        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement("#invite-create");

        page.Find("#inv-role").Change(nameof(OrganisationRole.Admin));
        page.Find("#inv-uses").Change("5");
        page.Find("#inv-days").Change("3");
        page.Find(".invite-form").Submit();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/invite#token=s3cr3t-token", page.Find("#invite-link").GetAttribute("value")));
        Assert.Equal(new CreateInvitationRequest(OrganisationRole.Admin, 5, 3), Server.BodyOf<CreateInvitationRequest>($"POST api/orgs/{OrgId}/invitations"));
        page.Find("#invite-copy").Click();
        Assert.Contains("Link copied", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Invitations_SayWhetherTheyStillWork()
    {
        Organisation(Olivia, OrganisationRole.Owner);
        var now = Clock.GetUtcNow();
        Server.On("GET", $"api/orgs/{OrgId}/invitations", new[]
        {
            new InvitationDto(Guid.NewGuid(), OrganisationRole.Member, 10, 2, now.AddDays(1), false),
            new InvitationDto(Guid.NewGuid(), OrganisationRole.Member, 1, 1, now.AddDays(1), false),
            new InvitationDto(Guid.NewGuid(), OrganisationRole.Member, 1, 0, now.AddDays(-1), false),
            new InvitationDto(Guid.NewGuid(), OrganisationRole.Admin, 1, 0, now.AddDays(1), true),
        });

        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".invitation-list li").Count));
        Assert.Equal(["valid", "used up", "expired", "revoked"], page.FindAll(".invitation-list .badge").Select(b => b.TextContent));
        Assert.Single(page.FindAll("[id^=revoke-]")); // only a working link can be revoked
        Assert.Contains("used 2 of 10 times", page.FindAll(".invitation-list li")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeckTemplate_IsSavedFromTheRoomsDeckEditor()
    {
        Organisation(Olivia, OrganisationRole.Owner);
        Server.On("POST", $"api/orgs/{OrgId}/decks", new DeckTemplateDto(Guid.NewGuid(), "T-shirts", new DeckDto(DeckType.TShirt)), HttpStatusCode.Created);
        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement("#deck-new");

        page.Find("#deck-new").Click();
        page.Find("#deck-name").Change("Sizes");
        page.Find("#deck-type").Change(nameof(DeckType.Custom));
        page.Find("#deck-cards").Input("S, M, L");
        page.Find(".deck-form").Submit();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".deck-form")));
        var sent = Server.BodyOf<SaveDeckTemplateRequest>($"POST api/orgs/{OrgId}/decks");
        Assert.Equal("Sizes", sent.Name);
        Assert.Equal(["S", "M", "L"], sent.Deck.Cards!.Select(c => c.Label));
    }

    [Fact]
    public void ADeckTemplateOfTheSameName_IsRefusedInWords()
    {
        Organisation(Olivia, OrganisationRole.Owner, decks: [new DeckTemplateDto(Guid.NewGuid(), "Sizes", new DeckDto(DeckType.TShirt))]);
        Server.Refuse("POST", $"api/orgs/{OrgId}/decks", ErrorCodes.NameTaken, HttpStatusCode.Conflict);
        var page = Render<Organisation>(p => p.Add(o => o.OrgId, OrgId));
        page.WaitForElement("#deck-new");

        page.Find("#deck-new").Click();
        page.Find("#deck-name").Change("Sizes");
        page.Find(".deck-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("already has a deck template of that name", page.Find(".deck-form .error").TextContent, StringComparison.Ordinal));
    }
}

/// <summary>/invite: the token comes from the fragment, travels only in a body, and waits in the tab while its holder signs in.</summary>
public sealed class InvitePageTests : OrganisationPageTest
{
    [Fact]
    public void AGuest_SeesWhatTheLinkLeadsTo_AndSignsInWithoutTheTokenInTheWayBack()
    {
        Server.SignedIn(null).On("POST", "api/invitations/preview", new InvitationPreviewDto("Acme", OrganisationRole.Member));
        Navigation.NavigateTo("invite#token=abc123");

        var page = Render<Invite>();

        page.WaitForAssertion(() => Assert.Equal("Join Acme as a member", page.Find("h2").TextContent));
        Assert.Equal("abc123", Server.BodyOf<InvitationTokenRequest>("POST api/invitations/preview").Token);
        Assert.DoesNotContain(Server.Calls, c => c.Contains("abc123", StringComparison.Ordinal));
        Assert.Equal("account?returnUrl=%2Finvite", page.Find("#invite-sign-in").GetAttribute("href"));
        Assert.Equal("abc123", Store.TabItems[Invite.TokenKey]);
    }

    [Fact]
    public void BackFromSigningIn_TheTabsTokenIsAccepted_AndTheOrganisationOpens()
    {
        Store.TabItems[Invite.TokenKey] = "abc123";
        Server.SignedIn(Maya).On("POST", "api/invitations/preview", new InvitationPreviewDto("Acme", OrganisationRole.Admin))
            .On("POST", "api/invitations/accept", new OrganisationDto(OrgId, "Acme", OrganisationRole.Admin, 3));
        Navigation.NavigateTo("invite");
        var page = Render<Invite>();
        page.WaitForElement("#invite-accept");

        page.Find("#invite-accept").Click();

        page.WaitForAssertion(() => Assert.EndsWith($"/orgs/{OrgId}", Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal("abc123", Server.BodyOf<InvitationTokenRequest>("POST api/invitations/accept").Token);
        Assert.False(Store.TabItems.ContainsKey(Invite.TokenKey));
    }

    [Theory]
    [InlineData(ErrorCodes.InvitationExpired, "This invitation has expired: ask for a new one.")]
    [InlineData(ErrorCodes.InvitationRevoked, "This invitation was revoked: ask for a new one.")]
    [InlineData(ErrorCodes.InvitationUsedUp, "This invitation has been used up: ask for a new one.")]
    [InlineData(ErrorCodes.InvitationNotFound, "This invitation does not exist.")]
    public void ALinkThatNoLongerWorks_SaysWhyInWords(string code, string text)
    {
        Server.SignedIn(Maya).Refuse("POST", "api/invitations/preview", code, code == ErrorCodes.InvitationNotFound ? HttpStatusCode.NotFound : HttpStatusCode.Gone);
        Navigation.NavigateTo("invite#token=old");

        var page = Render<Invite>();

        page.WaitForAssertion(() => Assert.Equal(text, page.Find("p.error").TextContent));
        Assert.Empty(page.FindAll("#invite-accept"));
        Assert.False(Store.TabItems.ContainsKey(Invite.TokenKey));
    }

    [Fact]
    public void AlreadyAMember_IsToldSo()
    {
        Server.SignedIn(Maya).On("POST", "api/invitations/preview", new InvitationPreviewDto("Acme", OrganisationRole.Member))
            .Refuse("POST", "api/invitations/accept", ErrorCodes.AlreadyMember, HttpStatusCode.Conflict);
        Navigation.NavigateTo("invite#token=abc");
        var page = Render<Invite>();
        page.WaitForElement("#invite-accept");

        page.Find("#invite-accept").Click();

        page.WaitForAssertion(() => Assert.Equal("You are already a member of this organization.", page.Find("p.error").TextContent));
    }

    [Fact]
    public void ALinkWithoutItsToken_SaysSo()
    {
        Server.SignedIn(Maya);
        Navigation.NavigateTo("invite");

        var page = Render<Invite>();

        page.WaitForAssertion(() => Assert.Contains("incomplete", page.Find("p.error").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(Server.Calls, c => c.Contains("invitations", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://localhost/invite#token=abc", "abc")]
    [InlineData("http://localhost/invite#x=1&token=a%2Bb", "a+b")]
    [InlineData("http://localhost/invite#token=", null)]
    [InlineData("http://localhost/invite?token=abc", null)]
    public void TheTokenIsReadFromTheFragmentOnly(string uri, string? token) => Assert.Equal(token, Invite.TokenOf(uri));
}

/// <summary>/orgs/{id}/teams/{id}: members and facilitators, settings, team rooms.</summary>
public sealed class TeamPageTests : OrganisationPageTest
{
    private static readonly DeckTemplateDto Sizes = new(Guid.Parse("30000000-0000-0000-0000-000000000003"), "Sizes", new DeckDto(DeckType.TShirt));

    private void Team(AccountDto me, OrganisationRole role, bool guests = false)
    {
        var team = new TeamDto(TeamId, OrgId, "Platform", [new TeamMemberDto(Maya.Id, "Maya", true)]);
        Organisation(me, role, teams: [team], decks: [Sizes]);
        Server.On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/settings", new TeamSettingsDto(null, new DeckDto(DeckType.Fibonacci), new RoomSettingsDto(), guests))
            .On("GET", $"api/orgs/{OrgId}/teams/{TeamId}/rooms", new[]
            {
                new TeamRoomDto("room1", "Sprint 43", Clock.GetUtcNow(), Clock.GetUtcNow(), true, 5, 2),
                new TeamRoomDto("room0", "Sprint 42", Clock.GetUtcNow().AddDays(-14), Clock.GetUtcNow().AddDays(-13), false, 8, 8),
            });
    }

    private IRenderedComponent<Team> RenderTeam() => Render<Team>(p => p.Add(t => t.OrgId, OrgId).Add(t => t.TeamId, TeamId));

    [Fact]
    public void AnAdmin_AddsAnOrganisationMemberWhoIsNotInTheTeamYet()
    {
        Team(Adam, OrganisationRole.Admin);
        var page = RenderTeam();
        page.WaitForElement("#team-add");

        var offered = page.FindAll("#team-add option").Skip(1).Select(o => o.TextContent).ToList();
        page.Find("#team-add").Change(Adam.Id.ToString());
        page.Find("#team-add-facilitator").Change(true);
        page.Find("#team-add").Closest("form")!.Submit();

        Assert.Equal(["Olivia", "Adam", "<b>Bruno</b>"], offered);
        page.WaitForAssertion(() => Assert.Equal(new SetTeamMemberRequest(Adam.Id, true), Server.BodyOf<SetTeamMemberRequest>($"PUT api/orgs/{OrgId}/teams/{TeamId}/members")));
    }

    [Fact]
    public void AnAdmin_TogglesAFacilitator_AndRemovesAMember()
    {
        Team(Olivia, OrganisationRole.Owner);
        var page = RenderTeam();
        page.WaitForElement($"#facilitator-{Maya.Id}");

        page.Find($"#facilitator-{Maya.Id}").Change(false);
        page.WaitForAssertion(() => Assert.False(Server.BodyOf<SetTeamMemberRequest>($"PUT api/orgs/{OrgId}/teams/{TeamId}/members").IsFacilitator));
        page.Find($"#team-remove-{Maya.Id}").Click();

        page.WaitForAssertion(() => Assert.Contains($"DELETE api/orgs/{OrgId}/teams/{TeamId}/members/{Maya.Id}", Server.Calls));
    }

    [Fact]
    public void AMember_SeesTheTeamAndItsSettings_ButChangesNothing()
    {
        Team(Maya, OrganisationRole.Member);

        var page = RenderTeam();

        page.WaitForElement(".team-settings");
        Assert.Empty(page.FindAll("#team-add, [id^=team-remove-], [id^=facilitator-], #team-settings-save, #team-delete"));
        Assert.All(page.FindAll(".team-settings > fieldset"), f => Assert.True(f.HasAttribute("disabled")));
        Assert.Equal("You facilitate this team", page.Find(".org-head .badge").TextContent);
        Assert.DoesNotContain($"GET api/orgs/{OrgId}/members", Server.Calls);
    }

    [Fact]
    public void Rooms_AreListedActiveThenPast_WithTheirProgress()
    {
        Team(Maya, OrganisationRole.Member);

        var page = RenderTeam();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".room-list li").Count));
        var lists = page.FindAll(".room-list");
        Assert.Equal("rooms/room1", lists[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("2 of 5 stories estimated", lists[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("rooms/room0", lists[1].QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task OpeningATeamRoom_KeepsTheSeat_AndOpensTheRoom()
    {
        Team(Maya, OrganisationRole.Member);
        Server.On("POST", $"api/orgs/{OrgId}/teams/{TeamId}/rooms", new CreateRoomResponse("newroom", 1, "seat-token", "http://localhost/rooms/newroom"), HttpStatusCode.Created);
        var page = RenderTeam();
        page.WaitForElement("#team-room-name");

        page.Find("#team-room-name").Change("Sprint 44");
        page.Find("#team-room-name").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.EndsWith("/rooms/newroom", Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal("Sprint 44", Server.BodyOf<CreateTeamRoomRequest>($"POST api/orgs/{OrgId}/teams/{TeamId}/rooms").Name);
        var seat = Assert.Single(await Services.GetRequiredService<SeatStore>().AllAsync());
        Assert.Equal(("newroom", 1, "seat-token", "Maya", "Sprint 44"), (seat.RoomId, seat.ParticipantId, seat.Token, seat.DisplayName, seat.RoomName));
    }

    [Fact]
    public void Settings_TakeADeckTemplate_AndSayWhetherGuestsMayJoin()
    {
        Team(Adam, OrganisationRole.Admin, guests: true);
        var page = RenderTeam();
        page.WaitForElement("#deck-source-template");

        page.Find("#deck-source-template").Change(true);
        page.Find("#team-guests").Change(false);
        page.Find(".team-settings").Submit();

        page.WaitForAssertion(() => Assert.Contains($"PUT api/orgs/{OrgId}/teams/{TeamId}/settings", Server.Calls));
        var sent = Server.BodyOf<UpdateTeamSettingsRequest>($"PUT api/orgs/{OrgId}/teams/{TeamId}/settings");
        Assert.Equal(Sizes.Id, sent.DeckTemplateId);
        Assert.Null(sent.Deck);
        Assert.False(sent.GuestsAllowed);
    }

    [Fact]
    public void ATeamOfAnotherOrganisation_SaysThereIsNoSuchTeam()
    {
        Organisation(Maya, OrganisationRole.Member, teams: []);

        var page = RenderTeam();

        page.WaitForAssertion(() => Assert.Equal("There is no such team.", page.Find("p.error").TextContent));
    }
}

/// <summary>The actions the pages offer, by role: OrganisationRules' table (PlanningPoker.Server/Teams), mirrored.</summary>
public sealed class OrganisationPermissionsTests
{
    private static readonly Guid Me = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    [Theory]
    [InlineData(OrganisationRole.Owner, true, true, true, false)]
    [InlineData(OrganisationRole.Admin, true, false, true, true)]
    [InlineData(OrganisationRole.Member, false, false, false, true)]
    public void WhatEachRoleMayDo(OrganisationRole role, bool rename, bool delete, bool invite, bool leave)
    {
        Assert.Equal(rename, OrganisationPermissions.MayRename(role));
        Assert.Equal(delete, OrganisationPermissions.MayDelete(role));
        Assert.Equal(invite, OrganisationPermissions.MayInvite(role));
        Assert.Equal(invite, OrganisationPermissions.MayManageTeams(role));
        Assert.Equal(leave, OrganisationPermissions.MayLeave(role));
        Assert.Equal(delete, OrganisationPermissions.MayTransferTo(Me, role, Other));
        Assert.False(OrganisationPermissions.MayTransferTo(Me, role, Me));
    }

    [Theory]
    [InlineData(OrganisationRole.Owner, OrganisationRole.Admin, true, true)]
    [InlineData(OrganisationRole.Owner, OrganisationRole.Member, true, true)]
    [InlineData(OrganisationRole.Admin, OrganisationRole.Owner, false, false)]
    [InlineData(OrganisationRole.Admin, OrganisationRole.Admin, true, false)]
    [InlineData(OrganisationRole.Admin, OrganisationRole.Member, true, true)]
    [InlineData(OrganisationRole.Member, OrganisationRole.Member, false, false)]
    [InlineData(OrganisationRole.Member, OrganisationRole.Admin, false, false)]
    public void WhoChangesAndRemovesWhom(OrganisationRole actor, OrganisationRole target, bool changeRole, bool remove)
    {
        Assert.Equal(changeRole, OrganisationPermissions.MayChangeRole(Me, actor, Other, target));
        Assert.Equal(remove, OrganisationPermissions.MayRemove(Me, actor, Other, target));
        Assert.False(OrganisationPermissions.MayChangeRole(Me, actor, Me, actor));
        Assert.False(OrganisationPermissions.MayRemove(Me, actor, Me, actor));
    }
}
