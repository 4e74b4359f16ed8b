using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Teams;

/// <summary>What may be done in an organisation (docs/architecture.md, "Organisations and teams").</summary>
public enum OrganisationAction
{
    /// <summary>See the organisation, its members and its teams.</summary>
    View,

    /// <summary>Rename it.</summary>
    Rename,

    /// <summary>Delete it, with its teams.</summary>
    Delete,

    /// <summary>Make, list and revoke invitation links.</summary>
    Invite,

    /// <summary>Make a team.</summary>
    CreateTeam,

    /// <summary>Rename or delete a team, set its members and facilitators.</summary>
    ManageTeams,

    /// <summary>Hand the organisation to another member.</summary>
    TransferOwnership,

    /// <summary>Leave it.</summary>
    Leave,

    /// <summary>Save, change and delete the organisation's deck templates.</summary>
    ManageDecks,

    /// <summary>Read every team's estimation history and KPIs, side by side.</summary>
    ReadInsights,
}

/// <summary>Someone's place in one team.</summary>
public enum TeamRole
{
    /// <summary>Not in the team (perhaps in its organisation).</summary>
    None,

    /// <summary>A member of the team.</summary>
    Member,

    /// <summary>A facilitator of the team: a facilitator in every room of the team.</summary>
    Facilitator,
}

/// <summary>What may be done with a team's rooms and defaults.</summary>
public enum TeamAction
{
    /// <summary>See the team's settings and its rooms.</summary>
    View,

    /// <summary>Change the team's defaults (deck, room settings, guests).</summary>
    ChangeSettings,

    /// <summary>Open a room with the team's defaults, or give the team an ad-hoc room one facilitates.</summary>
    OpenRoom,

    /// <summary>Read the team's estimation history and KPIs.</summary>
    ReadInsights,

    /// <summary>Mark and unmark the team's reference stories.</summary>
    ManageReferences,

    /// <summary>Read the team's reference stories.</summary>
    ReadReferences,
}

/// <summary>
/// Who may do what in an organisation: pure rules, checked by every endpoint on the server against the caller's own
/// membership (never a role the client claims). Someone who is not a member (null role) may do nothing, and is told
/// the organisation does not exist (<see cref="ErrorCodes.OrganisationNotFound"/>) rather than that it is closed.
/// </summary>
public static class OrganisationRules
{
    /// <summary>Whether <paramref name="role"/> may do <paramref name="action"/>; null when allowed, else the refusal's code.</summary>
    public static string? May(OrganisationRole? role, OrganisationAction action) => role switch
    {
        null => ErrorCodes.OrganisationNotFound,
        OrganisationRole.Owner => action == OrganisationAction.Leave ? ErrorCodes.LastOwner : null,
        OrganisationRole.Admin => action is OrganisationAction.Delete or OrganisationAction.TransferOwnership ? ErrorCodes.NotAllowed : null,
        _ => action is OrganisationAction.View or OrganisationAction.Leave ? null : ErrorCodes.NotAllowed,
    };

    /// <summary>
    /// Whether <paramref name="actor"/> may give <paramref name="target"/> (now <paramref name="current"/>) the role
    /// <paramref name="role"/>: owners set admins and members; admins set members and admins but never touch the
    /// owner; nobody makes an owner this way (<see cref="OrganisationAction.TransferOwnership"/> does); nobody changes
    /// their own role.
    /// </summary>
    public static string? MayChangeRole(Guid actor, OrganisationRole? actorRole, Guid target, OrganisationRole? current, OrganisationRole role)
    {
        if (May(actorRole, OrganisationAction.View) is { } notMember)
        {
            return notMember;
        }

        if (current is null)
        {
            return ErrorCodes.MemberNotFound;
        }

        if (actor == target)
        {
            return actorRole == OrganisationRole.Owner ? ErrorCodes.LastOwner : ErrorCodes.NotAllowed;
        }

        if (role == OrganisationRole.Owner || current == OrganisationRole.Owner)
        {
            return ErrorCodes.NotAllowed;
        }

        return actorRole is OrganisationRole.Owner or OrganisationRole.Admin ? null : ErrorCodes.NotAllowed;
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may remove <paramref name="target"/> (role <paramref name="current"/>): owners
    /// remove anyone but themselves, admins remove members only; one leaves by <see cref="OrganisationAction.Leave"/>.
    /// </summary>
    public static string? MayRemove(Guid actor, OrganisationRole? actorRole, Guid target, OrganisationRole? current)
    {
        if (May(actorRole, OrganisationAction.View) is { } notMember)
        {
            return notMember;
        }

        if (current is null)
        {
            return ErrorCodes.MemberNotFound;
        }

        if (actor == target)
        {
            return May(actorRole, OrganisationAction.Leave);
        }

        return (actorRole, current) switch
        {
            (OrganisationRole.Owner, _) => null,
            (OrganisationRole.Admin, OrganisationRole.Member) => null,
            _ => ErrorCodes.NotAllowed,
        };
    }

    /// <summary>
    /// Whether someone with <paramref name="role"/> in the organisation and <paramref name="teamRole"/> in one of its
    /// teams may do <paramref name="action"/>: every member sees a team; owners, admins and the team's facilitators
    /// change its defaults and mark its reference stories; owners, admins and the team's members open its rooms and
    /// read its history, KPIs and reference stories.
    /// </summary>
    public static string? MayInTeam(OrganisationRole? role, TeamRole teamRole, TeamAction action) => (role, action) switch
    {
        (null, _) => ErrorCodes.OrganisationNotFound,
        (_, TeamAction.View) or (OrganisationRole.Owner or OrganisationRole.Admin, _) => null,
        (_, TeamAction.ChangeSettings or TeamAction.ManageReferences) => teamRole == TeamRole.Facilitator ? null : ErrorCodes.NotAllowed,
        _ => teamRole == TeamRole.None ? ErrorCodes.NotAllowed : null,
    };

    /// <summary>
    /// The seat someone may take in a team's room: refused (<see cref="ErrorCodes.MembersOnly"/>) for a person outside
    /// the organisation (or not signed in) when the team allows no guests; a facilitator's seat for the team's
    /// facilitators; an ordinary seat for everyone else.
    /// </summary>
    public static (string? Refusal, bool Facilitates) TeamRoomSeat(OrganisationRole? role, TeamRole teamRole, bool guestsAllowed) =>
        role is null && !guestsAllowed ? (ErrorCodes.MembersOnly, false)
        : (null, role is not null && teamRole == TeamRole.Facilitator);

    /// <summary>Whether <paramref name="actorRole"/> may make an invitation that gives <paramref name="role"/> (never Owner).</summary>
    public static string? MayInvite(OrganisationRole? actorRole, OrganisationRole role) =>
        May(actorRole, OrganisationAction.Invite) ?? (role == OrganisationRole.Owner ? ErrorCodes.NotAllowed : null);
}
