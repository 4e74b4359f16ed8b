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

/// <summary>A deck an organisation saved once for its teams to reuse (its deck template library).</summary>
/// <param name="Id">Template id.</param>
/// <param name="Name">1–60 characters, unique in the organisation.</param>
/// <param name="Deck">The deck (a built-in kind or custom cards).</param>
public sealed record DeckTemplateDto(Guid Id, string Name, DeckDto Deck);

/// <summary>Body of <c>POST /api/orgs/{orgId}/decks</c> and <c>PUT /api/orgs/{orgId}/decks/{deckId}</c>.</summary>
/// <param name="Name">1–60 characters, unique in the organisation.</param>
/// <param name="Deck">The deck, checked like a room's.</param>
public sealed record SaveDeckTemplateRequest(string Name, DeckDto Deck);

/// <summary>A team's defaults for the rooms it opens (<c>GET/PUT /api/orgs/{orgId}/teams/{teamId}/settings</c>).</summary>
/// <param name="DeckTemplateId">The organisation's deck template the deck was taken from, or null for a deck of the team's own.</param>
/// <param name="Deck">The deck new team rooms start with (the template's cards, copied when chosen).</param>
/// <param name="Room">The settings new team rooms start with.</param>
/// <param name="GuestsAllowed">People who are not members of the organisation may join the team's rooms by their link.</param>
/// <param name="SimilarBeforeReveal">The team's rooms show similar stories during a round, before its cards are revealed (off by default: they anchor votes).</param>
public sealed record TeamSettingsDto(Guid? DeckTemplateId, DeckDto Deck, RoomSettingsDto Room, bool GuestsAllowed, bool SimilarBeforeReveal = false);

/// <summary>Body of <c>PUT /api/orgs/{orgId}/teams/{teamId}/settings</c>: a deck template, or a deck of the team's own.</summary>
/// <param name="DeckTemplateId">Take the deck of this template of the organisation (then <paramref name="Deck"/> is ignored).</param>
/// <param name="Deck">A deck of the team's own, when no template is named.</param>
/// <param name="Room">Settings for new rooms.</param>
/// <param name="GuestsAllowed">Whether people outside the organisation may join the team's rooms by link.</param>
/// <param name="SimilarBeforeReveal">Show similar stories before the reveal; null (or absent) keeps the current choice.</param>
public sealed record UpdateTeamSettingsRequest(Guid? DeckTemplateId, DeckDto? Deck, RoomSettingsDto Room, bool GuestsAllowed, bool? SimilarBeforeReveal = null);

/// <summary>Body of <c>POST /api/orgs/{orgId}/teams/{teamId}/rooms</c>: a room opened with the team's defaults.</summary>
/// <param name="Name">The room's name (1–80 characters).</param>
public sealed record CreateTeamRoomRequest(string Name);

/// <summary>One of a team's rooms (<c>GET /api/orgs/{orgId}/teams/{teamId}/rooms</c>): active ones first, then past ones.</summary>
/// <param name="RoomId">Room id.</param>
/// <param name="Name">Room name (untrusted text: render escaped).</param>
/// <param name="CreatedAt">When it was opened.</param>
/// <param name="LastActiveAt">When it last changed.</param>
/// <param name="IsActive">Changed within the last day: a workshop under way or about to be.</param>
/// <param name="Stories">Stories in its backlog.</param>
/// <param name="Estimated">Stories with an accepted estimate.</param>
public sealed record TeamRoomDto(string RoomId, string Name, DateTimeOffset CreatedAt, DateTimeOffset LastActiveAt, bool IsActive, int Stories, int Estimated);

/// <summary>
/// Body of <c>POST /api/orgs/{orgId}/teams/{teamId}/rooms/attach</c>: an ad-hoc room's facilitator gives it to a
/// team they belong to, proving the facilitator seat with its token.
/// </summary>
/// <param name="RoomId">The room.</param>
/// <param name="Token">The caller's seat token in that room (a facilitator's).</param>
public sealed record AttachRoomRequest(string RoomId, string Token);
