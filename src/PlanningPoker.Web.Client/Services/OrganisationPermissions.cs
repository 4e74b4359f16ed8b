using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>
/// Which actions the organisation pages offer to a member of a given role: the server's rules
/// (PlanningPoker.Server's Teams/OrganisationRules.cs), mirrored so that a page shows only what the server would allow.
/// The server checks every call whatever the page shows; a refusal still gets its readable message.
/// </summary>
public static class OrganisationPermissions
{
    /// <summary>Rename the organisation.</summary>
    public static bool MayRename(OrganisationRole role) => role is OrganisationRole.Owner or OrganisationRole.Admin;

    /// <summary>Delete the organisation, with its teams.</summary>
    public static bool MayDelete(OrganisationRole role) => role == OrganisationRole.Owner;

    /// <summary>Make, list and revoke invitation links.</summary>
    public static bool MayInvite(OrganisationRole role) => role is OrganisationRole.Owner or OrganisationRole.Admin;

    /// <summary>Make teams, set their members, facilitators and defaults; keep the deck template library.</summary>
    public static bool MayManageTeams(OrganisationRole role) => role is OrganisationRole.Owner or OrganisationRole.Admin;

    /// <summary>See every team's estimation side by side (a team's own members see their team's).</summary>
    public static bool MayReadInsights(OrganisationRole role) => role is OrganisationRole.Owner or OrganisationRole.Admin;

    /// <summary>Leave (the owner hands the organisation over first).</summary>
    public static bool MayLeave(OrganisationRole role) => role != OrganisationRole.Owner;

    /// <summary>Make <paramref name="target"/> (now <paramref name="current"/>) an admin or a member: never oneself, never the owner.</summary>
    public static bool MayChangeRole(Guid me, OrganisationRole myRole, Guid target, OrganisationRole current) =>
        me != target && current != OrganisationRole.Owner && myRole is OrganisationRole.Owner or OrganisationRole.Admin;

    /// <summary>Remove someone else: the owner removes anyone, admins remove plain members.</summary>
    public static bool MayRemove(Guid me, OrganisationRole myRole, Guid target, OrganisationRole current) =>
        me != target && (myRole == OrganisationRole.Owner || (myRole == OrganisationRole.Admin && current == OrganisationRole.Member));

    /// <summary>Hand the organisation to <paramref name="target"/> (the owner, to someone else).</summary>
    public static bool MayTransferTo(Guid me, OrganisationRole myRole, Guid target) => myRole == OrganisationRole.Owner && me != target;
}
