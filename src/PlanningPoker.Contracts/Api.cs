namespace PlanningPoker.Contracts;

/// <summary>Body of <c>POST /api/rooms</c>.</summary>
/// <param name="Name">Room name, 1–80 characters.</param>
/// <param name="DisplayName">The creator's display name (the first facilitator), 1–40 characters.</param>
/// <param name="Deck">The deck; Fibonacci with <c>?</c> and <c>☕</c> when absent.</param>
/// <param name="Settings">The settings; defaults when absent.</param>
/// <param name="Passcode">An optional passcode (4–64 characters) that joiners must give.</param>
public sealed record CreateRoomRequest(string Name, string DisplayName, DeckDto? Deck = null, RoomSettingsDto? Settings = null, string? Passcode = null);

/// <summary>Answer of <c>POST /api/rooms</c>.</summary>
/// <param name="RoomId">The room's unguessable id.</param>
/// <param name="ParticipantId">The creator's seat.</param>
/// <param name="Token">The creator's secret token: keep it, present it to the hub; it is shown once.</param>
/// <param name="JoinUrl">The link to share.</param>
public sealed record CreateRoomResponse(string RoomId, int ParticipantId, string Token, string JoinUrl);

/// <summary>Answer of <c>GET /api/rooms/{roomId}</c>: what a visitor sees before joining.</summary>
/// <param name="RoomId">Room id.</param>
/// <param name="Name">Room name.</param>
/// <param name="Deck">Deck.</param>
/// <param name="PasscodeRequired">Joining needs the passcode.</param>
/// <param name="IsLocked">Nobody new may join.</param>
/// <param name="TeamName">The team the room belongs to, or null for an ad-hoc room.</param>
/// <param name="MembersOnly">Only signed-in members of the team's organisation may join (the team allows no guests).</param>
public sealed record RoomInfoDto(string RoomId, string Name, DeckDto Deck, bool PasscodeRequired, bool IsLocked, string? TeamName = null, bool MembersOnly = false);

/// <summary>Body of <c>POST /api/rooms/{roomId}/participants</c>.</summary>
/// <param name="DisplayName">
/// 1–40 characters, unique in the room. A signed-in person may leave it empty: their account's name is taken, and
/// joining again (from any browser) gives back the seat the account already has.
/// </param>
/// <param name="Role">Estimator or observer.</param>
/// <param name="Passcode">The room's passcode, if it has one.</param>
/// <param name="FacilitatorKey">
/// The room's facilitator key, from a facilitator link: the seat is then a facilitator's, and neither the passcode nor
/// the lock applies.
/// </param>
public sealed record JoinRoomRequest(string DisplayName, Role Role = Role.Estimator, string? Passcode = null, string? FacilitatorKey = null);

/// <summary>Answer of a join.</summary>
/// <param name="RoomId">Room id.</param>
/// <param name="ParticipantId">The new seat.</param>
/// <param name="Token">The secret token of the seat: keep it; it is shown once.</param>
public sealed record JoinRoomResponse(string RoomId, int ParticipantId, string Token);

/// <summary>One story in a room summary.</summary>
/// <param name="Id">Story id.</param>
/// <param name="Title">Title.</param>
/// <param name="ExternalKey">Tracker key.</param>
/// <param name="Url">Tracker link.</param>
/// <param name="State">State.</param>
/// <param name="FinalEstimate">Accepted estimate.</param>
/// <param name="Rounds">Every round with its revealed votes.</param>
/// <param name="WriteBack">Where writing its estimate to its tracker is, for a story imported from one; else null.</param>
public sealed record StorySummaryDto(
    int Id, string Title, string? ExternalKey, string? Url, StoryState State, EstimateDto? FinalEstimate, IReadOnlyList<RoundRecordDto> Rounds, WriteBackDto? WriteBack = null);

/// <summary>Answer of <c>GET /api/rooms/{roomId}/summary</c> (facilitators).</summary>
/// <param name="RoomId">Room id.</param>
/// <param name="Name">Room name.</param>
/// <param name="Deck">Deck.</param>
/// <param name="Stories">The backlog in order, with rounds.</param>
/// <param name="QuickVotes">Rounds without a story.</param>
/// <param name="EstimatedTotal">Sum of numeric final estimates.</param>
public sealed record RoomSummaryDto(string RoomId, string Name, DeckDto Deck, IReadOnlyList<StorySummaryDto> Stories, IReadOnlyList<RoundRecordDto> QuickVotes, decimal EstimatedTotal);
