using PlanningPoker.Contracts;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Tests.Teams;

/// <summary>
/// The organisation's rules against a table written here, by hand, from the product's description: every role ×
/// every action, every (actor, target, new role) of a role change, every removal.
/// </summary>
public sealed class OrganisationRulesTests
{
    private static readonly Guid Me = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid Other = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private const string N = ErrorCodes.OrganisationNotFound;

    // Rows: outsider, member, admin, owner. "-" allowed, else the refusal's code.
    private static readonly Dictionary<OrganisationAction, string[]> Expected = new()
    {
        [OrganisationAction.View] = [ErrorCodes.OrganisationNotFound, "-", "-", "-"],
        [OrganisationAction.Rename] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, "-", "-"],
        [OrganisationAction.Delete] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, "-"],
        [OrganisationAction.Invite] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, "-", "-"],
        [OrganisationAction.CreateTeam] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, "-", "-"],
        [OrganisationAction.ManageTeams] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, "-", "-"],
        [OrganisationAction.TransferOwnership] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, "-"],
        [OrganisationAction.Leave] = [ErrorCodes.OrganisationNotFound, "-", "-", ErrorCodes.LastOwner],
        [OrganisationAction.ManageDecks] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, "-", "-"],
        [OrganisationAction.ReadInsights] = [ErrorCodes.OrganisationNotFound, ErrorCodes.NotAllowed, "-", "-"],
    };

    // Team actions. Rows: (organisation role, team role); columns: view, change settings, open a room, read history
    // and KPIs, mark reference stories, read reference stories. "-" allowed.
    private static readonly Dictionary<(OrganisationRole?, TeamRole), string[]> TeamExpected = new()
    {
        [(null, TeamRole.None)] = [N, N, N, N, N, N],
        [(OrganisationRole.Member, TeamRole.None)] = ["-", ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed],
        [(OrganisationRole.Member, TeamRole.Member)] = ["-", ErrorCodes.NotAllowed, "-", "-", ErrorCodes.NotAllowed, "-"],
        [(OrganisationRole.Member, TeamRole.Facilitator)] = ["-", "-", "-", "-", "-", "-"],
        [(OrganisationRole.Admin, TeamRole.None)] = ["-", "-", "-", "-", "-", "-"],
        [(OrganisationRole.Admin, TeamRole.Member)] = ["-", "-", "-", "-", "-", "-"],
        [(OrganisationRole.Owner, TeamRole.None)] = ["-", "-", "-", "-", "-", "-"],
        [(OrganisationRole.Owner, TeamRole.Facilitator)] = ["-", "-", "-", "-", "-", "-"],
    };

    // A team room's seat: (organisation role, team role, guests allowed) → refusal or "facilitator"/"seat".
    private static readonly Dictionary<(OrganisationRole?, TeamRole, bool), string> SeatExpected = new()
    {
        [(null, TeamRole.None, true)] = "seat",
        [(null, TeamRole.None, false)] = ErrorCodes.MembersOnly,
        [(OrganisationRole.Member, TeamRole.None, false)] = "seat",
        [(OrganisationRole.Member, TeamRole.Member, false)] = "seat",
        [(OrganisationRole.Member, TeamRole.Facilitator, false)] = "facilitator",
        [(OrganisationRole.Member, TeamRole.Facilitator, true)] = "facilitator",
        [(OrganisationRole.Admin, TeamRole.None, false)] = "seat",
        [(OrganisationRole.Owner, TeamRole.Member, true)] = "seat",
        [(OrganisationRole.Owner, TeamRole.Facilitator, false)] = "facilitator",
    };

    public static TheoryData<OrganisationRole?, TeamRole, TeamAction> EveryTeamCase()
    {
        var data = new TheoryData<OrganisationRole?, TeamRole, TeamAction>();
        foreach (var (role, teamRole) in TeamExpected.Keys)
        {
            foreach (var action in Enum.GetValues<TeamAction>())
            {
                data.Add(role, teamRole, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTeamCase))]
    public void MayInTeam_FollowsTheTable(OrganisationRole? role, TeamRole teamRole, TeamAction action)
    {
        var expected = TeamExpected[(role, teamRole)][(int)action];

        Assert.Equal(expected == "-" ? null : expected, OrganisationRules.MayInTeam(role, teamRole, action));
    }

    [Fact]
    public void TheTeamTableHasAColumnForEveryAction() => Assert.All(TeamExpected.Values, row => Assert.Equal(Enum.GetValues<TeamAction>().Length, row.Length));

    public static TheoryData<OrganisationRole?, TeamRole, bool> EverySeatCase()
    {
        var data = new TheoryData<OrganisationRole?, TeamRole, bool>();
        foreach (var (role, teamRole, guests) in SeatExpected.Keys)
        {
            data.Add(role, teamRole, guests);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EverySeatCase))]
    public void TeamRoomSeat_FollowsTheTable(OrganisationRole? role, TeamRole teamRole, bool guestsAllowed)
    {
        var (refusal, facilitates) = OrganisationRules.TeamRoomSeat(role, teamRole, guestsAllowed);

        Assert.Equal(SeatExpected[(role, teamRole, guestsAllowed)], refusal ?? (facilitates ? "facilitator" : "seat"));
    }

    private static readonly OrganisationRole?[] Roles = [null, OrganisationRole.Member, OrganisationRole.Admin, OrganisationRole.Owner];

    public static TheoryData<OrganisationRole?, OrganisationAction> EveryRoleAndAction()
    {
        var data = new TheoryData<OrganisationRole?, OrganisationAction>();
        foreach (var role in Roles)
        {
            foreach (var action in Enum.GetValues<OrganisationAction>())
            {
                data.Add(role, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRoleAndAction))]
    public void May_FollowsTheTable(OrganisationRole? role, OrganisationAction action)
    {
        var expected = Expected[action][Array.IndexOf(Roles, role)];

        Assert.Equal(expected == "-" ? null : expected, OrganisationRules.May(role, action));
    }

    [Fact]
    public void TheTableCoversEveryAction() => Assert.Equal(Enum.GetValues<OrganisationAction>().Order(), Expected.Keys.Order());

    public static TheoryData<OrganisationRole?, OrganisationRole?, OrganisationRole> EveryRoleChange()
    {
        var data = new TheoryData<OrganisationRole?, OrganisationRole?, OrganisationRole>();
        foreach (var actor in Roles)
        {
            foreach (var target in Roles)
            {
                foreach (var role in Enum.GetValues<OrganisationRole>())
                {
                    data.Add(actor, target, role);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRoleChange))]
    public void ChangingAnotherMembersRole_OnlyAdminsAndTheOwner_NeverToOrFromOwner(OrganisationRole? actor, OrganisationRole? target, OrganisationRole role)
    {
        var expected =
            actor is null ? ErrorCodes.OrganisationNotFound
            : target is null ? ErrorCodes.MemberNotFound
            : actor == OrganisationRole.Member ? ErrorCodes.NotAllowed
            : role == OrganisationRole.Owner || target == OrganisationRole.Owner ? ErrorCodes.NotAllowed
            : null;

        Assert.Equal(expected, OrganisationRules.MayChangeRole(Me, actor, Other, target, role));
    }

    [Theory]
    [InlineData(OrganisationRole.Owner, OrganisationRole.Admin, ErrorCodes.LastOwner)]
    [InlineData(OrganisationRole.Admin, OrganisationRole.Member, ErrorCodes.NotAllowed)]
    [InlineData(OrganisationRole.Member, OrganisationRole.Admin, ErrorCodes.NotAllowed)]
    public void NobodyChangesTheirOwnRole(OrganisationRole role, OrganisationRole to, string expected) =>
        Assert.Equal(expected, OrganisationRules.MayChangeRole(Me, role, Me, role, to));

    public static TheoryData<OrganisationRole?, OrganisationRole?> EveryRemoval()
    {
        var data = new TheoryData<OrganisationRole?, OrganisationRole?>();
        foreach (var actor in Roles)
        {
            foreach (var target in Roles)
            {
                data.Add(actor, target);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRemoval))]
    public void RemovingAnother_TheOwnerAnyone_AdminsMembersOnly(OrganisationRole? actor, OrganisationRole? target)
    {
        var expected =
            actor is null ? ErrorCodes.OrganisationNotFound
            : target is null ? ErrorCodes.MemberNotFound
            : actor == OrganisationRole.Owner ? null
            : actor == OrganisationRole.Admin && target == OrganisationRole.Member ? null
            : ErrorCodes.NotAllowed;

        Assert.Equal(expected, OrganisationRules.MayRemove(Me, actor, Other, target));
    }

    [Theory]
    [InlineData(OrganisationRole.Member, null)]
    [InlineData(OrganisationRole.Admin, null)]
    [InlineData(OrganisationRole.Owner, ErrorCodes.LastOwner)]
    public void RemovingOneself_IsLeaving(OrganisationRole role, string? expected) =>
        Assert.Equal(expected, OrganisationRules.MayRemove(Me, role, Me, role));

    [Theory]
    [InlineData(null, OrganisationRole.Member, ErrorCodes.OrganisationNotFound)]
    [InlineData(OrganisationRole.Member, OrganisationRole.Member, ErrorCodes.NotAllowed)]
    [InlineData(OrganisationRole.Admin, OrganisationRole.Member, null)]
    [InlineData(OrganisationRole.Admin, OrganisationRole.Admin, null)]
    [InlineData(OrganisationRole.Admin, OrganisationRole.Owner, ErrorCodes.NotAllowed)]
    [InlineData(OrganisationRole.Owner, OrganisationRole.Owner, ErrorCodes.NotAllowed)]
    public void AnInvitation_NeverGivesOwnership(OrganisationRole? actor, OrganisationRole role, string? expected) =>
        Assert.Equal(expected, OrganisationRules.MayInvite(actor, role));
}
