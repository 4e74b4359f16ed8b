using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// A room's join form (issue 12): a guest types a name as before; a signed-in person joins as their account in one
/// click or with another name; a team room says its team; a members-only room sends a guest to sign in, with no
/// name form, and tells a signed-in outsider why they were refused.
/// </summary>
public sealed class JoinFormTests : UiTest
{
    private static readonly AccountDto Maya = new(Guid.Parse("00000000-0000-0000-0000-00000000000c"), "maya@example.test", "Maya");
    private readonly List<JoinRoomRequest> _sent = [];
    private string? _answer;

    private static RoomInfoDto Info(string? team = null, bool membersOnly = false, bool passcode = false, bool locked = false) =>
        new("r1", "Sprint 42", new DeckDto(DeckType.Fibonacci), passcode, locked, team, membersOnly);

    private IRenderedComponent<JoinForm> Form(RoomInfoDto info, AccountDto? account = null, bool withKey = false) =>
        Render<JoinForm>(p => p
            .Add(f => f.Info, info)
            .Add(f => f.Account, account)
            .Add(f => f.WithFacilitatorKey, withKey)
            .Add(f => f.Join, request =>
            {
                _sent.Add(request);
                return Task.FromResult(_answer);
            }));

    [Fact]
    public void AGuest_TypesANameAndPicksARole_AsBefore()
    {
        var form = Form(Info());

        Assert.Empty(form.FindAll("#join-other-name"));
        Assert.Equal("Take my seat", form.Find("button[type=submit]").TextContent.Trim());
        form.Find("#join-name").Change("  Ada ");
        form.FindAll("input[name=role]")[1].Change(true);
        form.Find("form").Submit();

        Assert.Equal(new JoinRoomRequest("Ada", Role.Observer, null), Assert.Single(_sent));
    }

    [Fact]
    public void ASignedInPerson_JoinsAsTheirAccount_InOneClick_WithNoNameTyped()
    {
        var form = Form(Info(), Maya);

        Assert.Empty(form.FindAll("#join-name"));
        var join = form.Find("button[type=submit]");
        Assert.Equal("Join as Maya", join.TextContent.Trim());
        Assert.Equal(2, form.FindAll("input[name=role]").Count); // observing is still a choice
        join.Click();

        Assert.Equal(new JoinRoomRequest("", Role.Estimator, null), Assert.Single(_sent));
    }

    [Fact]
    public void ASignedInPerson_MayJoinWithAnotherName_ThatTheyType()
    {
        var form = Form(Info(), Maya);

        form.Find("#join-other-name").Click();
        form.Find("#join-name").Change("Maya (phone)");
        Assert.Equal("Take my seat", form.Find("button[type=submit]").TextContent.Trim());
        Assert.Empty(form.FindAll("#join-other-name"));
        form.Find("form").Submit();

        Assert.Equal("Maya (phone)", Assert.Single(_sent).DisplayName);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "poker.focus" && Equals(i.Arguments[0], "join-name"));
    }

    [Fact]
    public void ARefusal_IsShownInWords_AndTheFormStays()
    {
        _answer = ErrorCodes.NameTaken;
        var form = Form(Info());

        form.Find("#join-name").Change("Ada");
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Contains("already has this name", form.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(form.Find("#join-name"));
    }

    [Fact]
    public void ATeamRoom_SaysItsTeam_AndAnAdHocRoomSaysNone()
    {
        var team = Form(Info(team: "Payments"));
        Assert.Equal("Payments team room", team.Find(".join-team").TextContent.Trim());

        var adHoc = Form(Info());
        Assert.Empty(adHoc.FindAll(".join-team"));
    }

    [Fact]
    public void AGuest_AtAMembersOnlyRoom_IsOfferedSignIn_AndBack_WithNoNameForm()
    {
        var form = Form(Info(team: "Payments", membersOnly: true));

        Assert.Empty(form.FindAll("form"));
        Assert.Empty(form.FindAll("input"));
        Assert.Contains("members of its team’s organization", form.Find(".sign-in-prompt").TextContent, StringComparison.Ordinal);
        Assert.Equal("account?returnUrl=%2Frooms%2Fr1", form.Find(".sign-in-prompt a").GetAttribute("href"));
        Assert.Equal("Payments team room", form.Find(".join-team").TextContent.Trim());
    }

    [Fact]
    public void AMember_AtAMembersOnlyRoom_JoinsAsTheirAccount()
    {
        var form = Form(Info(team: "Payments", membersOnly: true), Maya);

        form.Find("button[type=submit]").Click();

        Assert.Equal("", Assert.Single(_sent).DisplayName);
        Assert.Empty(form.FindAll(".sign-in-prompt"));
    }

    [Fact]
    public void ASignedInOutsider_RefusedAtAMembersOnlyRoom_ReadsWhy_AndIsOfferedNoForm()
    {
        _answer = ErrorCodes.MembersOnly;
        var form = Form(Info(team: "Payments", membersOnly: true), Maya);

        form.Find("button[type=submit]").Click();

        form.WaitForAssertion(() => Assert.Contains("your account (Maya) is not one of them", form.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(form.FindAll("form"));
    }

    [Fact]
    public void ALockedRoom_OffersAGuestNothing_ButASignedInPersonTheirSeat()
    {
        var guest = Form(Info(locked: true));
        Assert.Empty(guest.FindAll("form"));
        Assert.Contains("locked", guest.Find("[role=alert]").TextContent, StringComparison.Ordinal);

        var member = Form(Info(locked: true), Maya);
        Assert.Contains("locked", member.Find(".note").TextContent, StringComparison.Ordinal);
        Assert.Empty(member.FindAll("#join-other-name"));
        member.Find("button[type=submit]").Click();
        Assert.Equal("", Assert.Single(_sent).DisplayName);
    }

    [Fact]
    public void APasscode_IsAskedOfEveryone_ButRequiredOnlyOfGuests()
    {
        var guest = Form(Info(passcode: true));
        Assert.True(guest.Find("#join-passcode").HasAttribute("required"));

        var member = Form(Info(passcode: true), Maya);
        Assert.False(member.Find("#join-passcode").HasAttribute("required")); // the seat the account holds opens without
        member.Find("#join-passcode").Change("1234");
        member.Find("form").Submit();
        Assert.Equal("1234", Assert.Single(_sent).Passcode);
    }

    [Fact]
    public void AFacilitatorLink_AsksForNoRoleNorPasscode()
    {
        var form = Form(Info(passcode: true), Maya, withKey: true);

        Assert.Empty(form.FindAll("input[name=role]"));
        Assert.Empty(form.FindAll("#join-passcode"));
        Assert.Contains("facilitator link", form.Find(".note").TextContent, StringComparison.Ordinal);
    }
}

/// <summary>The join form's new states in French.</summary>
public sealed class JoinFormFrenchTests() : UiTest("fr")
{
    private static readonly AccountDto Maya = new(Guid.NewGuid(), "maya@example.test", "Maya");

    [Fact]
    public void TheTeamAndTheOneClickJoin_ReadInFrench()
    {
        var form = Render<JoinForm>(p => p
            .Add(f => f.Info, new RoomInfoDto("r1", "Sprint 42", new DeckDto(DeckType.Fibonacci), false, false, "Paiements"))
            .Add(f => f.Account, Maya)
            .Add(f => f.Join, _ => Task.FromResult<string?>(null)));

        Assert.Equal("Salle de l’équipe Paiements", form.Find(".join-team").TextContent.Trim());
        Assert.Equal("Rejoindre avec mon compte (Maya)", form.Find("button[type=submit]").TextContent.Trim());
        Assert.Equal("Rejoindre sous un autre nom", form.Find("#join-other-name").TextContent.Trim());
    }
}
