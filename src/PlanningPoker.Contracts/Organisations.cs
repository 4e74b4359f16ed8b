using System.Text.Json.Serialization;

namespace PlanningPoker.Contracts;

/// <summary>A member's role in an organisation.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<OrganisationRole>))]
public enum OrganisationRole
{
    /// <summary>Takes part in the organisation's teams.</summary>
    Member,

    /// <summary>Also invites and removes members, and makes and runs teams.</summary>
    Admin,

    /// <summary>Also renames, deletes and hands the organisation over; there is exactly one.</summary>
    Owner,
}

/// <summary>Makes an organisation; its maker is its owner.</summary>
/// <param name="Name">Its name.</param>
public sealed record CreateOrganisationRequest(string Name);

/// <summary>Renames an organisation.</summary>
/// <param name="Name">The new name.</param>
public sealed record RenameOrganisationRequest(string Name);

/// <summary>An organisation as one of its members sees it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Role">The caller's role in it.</param>
/// <param name="Members">How many members it has.</param>
public sealed record OrganisationDto(Guid Id, string Name, OrganisationRole Role, int Members);

/// <summary>A member of an organisation.</summary>
/// <param name="AccountId">The member's account.</param>
/// <param name="DisplayName">Their name.</param>
/// <param name="Role">Their role.</param>
/// <param name="JoinedAt">When they joined.</param>
public sealed record MemberDto(Guid AccountId, string DisplayName, OrganisationRole Role, DateTimeOffset JoinedAt);

/// <summary>Changes a member's role (Member or Admin; ownership moves by <see cref="TransferOwnershipRequest"/>).</summary>
/// <param name="Role">The new role.</param>
public sealed record ChangeMemberRoleRequest(OrganisationRole Role);

/// <summary>Hands the organisation to another member; the owner becomes an admin.</summary>
/// <param name="AccountId">The member who becomes the owner.</param>
public sealed record TransferOwnershipRequest(Guid AccountId);

/// <summary>Makes an invitation link.</summary>
/// <param name="Role">The role it gives (Member or Admin).</param>
/// <param name="MaxUses">How many people may use it (1 for a personal link), at most <see cref="Limits.InvitationMaxUses"/>.</param>
/// <param name="ValidForDays">How long it lasts, at most <see cref="Limits.InvitationMaxDays"/> days.</param>
public sealed record CreateInvitationRequest(OrganisationRole Role = OrganisationRole.Member, int MaxUses = 1, int ValidForDays = 7);

/// <summary>An invitation link, as its organisation's admins see it.</summary>
/// <param name="Id">Its id (to revoke it).</param>
/// <param name="Role">The role it gives.</param>
/// <param name="MaxUses">How many people may use it.</param>
/// <param name="Uses">How many have.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="Revoked">Whether it was revoked.</param>
/// <param name="Token">The secret of the link: only in the answer that made it (it is stored hashed).</param>
public sealed record InvitationDto(Guid Id, OrganisationRole Role, int MaxUses, int Uses, DateTimeOffset ExpiresAt, bool Revoked, string? Token = null);

/// <summary>What an invitation link leads to, as its holder sees it before accepting.</summary>
/// <param name="OrganisationName">The organisation's name.</param>
/// <param name="Role">The role it gives.</param>
public sealed record InvitationPreviewDto(string OrganisationName, OrganisationRole Role);

/// <summary>Makes a team in an organisation.</summary>
/// <param name="Name">Its name, unique in the organisation.</param>
public sealed record CreateTeamRequest(string Name);

/// <summary>A team.</summary>
/// <param name="Id">Its id.</param>
/// <param name="OrganisationId">Its organisation.</param>
/// <param name="Name">Its name.</param>
/// <param name="Members">Its members.</param>
public sealed record TeamDto(Guid Id, Guid OrganisationId, string Name, IReadOnlyList<TeamMemberDto> Members);

/// <summary>A member of a team.</summary>
/// <param name="AccountId">The member's account (a member of the organisation).</param>
/// <param name="DisplayName">Their name.</param>
/// <param name="IsFacilitator">Whether they facilitate the team's rooms.</param>
public sealed record TeamMemberDto(Guid AccountId, string DisplayName, bool IsFacilitator);

/// <summary>Adds a member of the organisation to a team, or changes whether they facilitate it.</summary>
/// <param name="AccountId">The member.</param>
/// <param name="IsFacilitator">Whether they facilitate the team's rooms.</param>
public sealed record SetTeamMemberRequest(Guid AccountId, bool IsFacilitator = false);

/// <summary>The secret of an invitation link (the part after <c>#token=</c>), sent in a body so that no log keeps it.</summary>
/// <param name="Token">The token.</param>
public sealed record InvitationTokenRequest(string Token);
