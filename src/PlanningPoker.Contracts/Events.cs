using System.Text.Json.Serialization;

namespace PlanningPoker.Contracts;

/// <summary>
/// One change of a room, as the receiving participant may see it. The JSON carries a <c>type</c> discriminator
/// ("voteCast", "cardsRevealed"…). Applying a batch's events in order to the previous view gives the new view.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ParticipantJoinedDto), "participantJoined")]
[JsonDerivedType(typeof(ParticipantLeftDto), "participantLeft")]
[JsonDerivedType(typeof(ParticipantRenamedDto), "participantRenamed")]
[JsonDerivedType(typeof(ParticipantAnonymisedDto), "participantAnonymised")]
[JsonDerivedType(typeof(RoleChangedDto), "roleChanged")]
[JsonDerivedType(typeof(PresenceChangedDto), "presenceChanged")]
[JsonDerivedType(typeof(RoomRenamedDto), "roomRenamed")]
[JsonDerivedType(typeof(SettingsChangedDto), "settingsChanged")]
[JsonDerivedType(typeof(DeckChangedDto), "deckChanged")]
[JsonDerivedType(typeof(RoomLockChangedDto), "roomLockChanged")]
[JsonDerivedType(typeof(StoriesAddedDto), "storiesAdded")]
[JsonDerivedType(typeof(StoryEditedDto), "storyEdited")]
[JsonDerivedType(typeof(StoryRemovedDto), "storyRemoved")]
[JsonDerivedType(typeof(StoryMovedDto), "storyMoved")]
[JsonDerivedType(typeof(StoryStateChangedDto), "storyStateChanged")]
[JsonDerivedType(typeof(RoundStartedDto), "roundStarted")]
[JsonDerivedType(typeof(VoteCastDto), "voteCast")]
[JsonDerivedType(typeof(VoteWithdrawnDto), "voteWithdrawn")]
[JsonDerivedType(typeof(CardsRevealedDto), "cardsRevealed")]
[JsonDerivedType(typeof(RoundClosedDto), "roundClosed")]
[JsonDerivedType(typeof(EstimateAcceptedDto), "estimateAccepted")]
[JsonDerivedType(typeof(TimerStartedDto), "timerStarted")]
[JsonDerivedType(typeof(TimerStoppedDto), "timerStopped")]
public abstract record RoomEventDto;

/// <summary>Someone took a seat.</summary>
/// <param name="Participant">The new seat.</param>
public sealed record ParticipantJoinedDto(ParticipantDto Participant) : RoomEventDto;

/// <summary>Someone left or was kicked (if it is you, you are out of the room).</summary>
/// <param name="ParticipantId">Who.</param>
/// <param name="Kicked">Removed by a facilitator.</param>
public sealed record ParticipantLeftDto(int ParticipantId, bool Kicked) : RoomEventDto;

/// <summary>A new display name.</summary>
/// <param name="ParticipantId">Who.</param>
/// <param name="Name">New name.</param>
public sealed record ParticipantRenamedDto(int ParticipantId, string Name) : RoomEventDto;

/// <summary>
/// A former participant deleted their account: their votes stay in the room's history under this name ("Former member").
/// The live view holds no former participant, so it does not change; history and summaries read now show the new name.
/// </summary>
/// <param name="ParticipantId">The former seat.</param>
/// <param name="Name">The name it goes by now.</param>
public sealed record ParticipantAnonymisedDto(int ParticipantId, string Name) : RoomEventDto;

/// <summary>A new role, given by a facilitator or (<c>Claimed</c>) taken with the facilitator link.</summary>
/// <param name="ParticipantId">Who.</param>
/// <param name="Role">New role.</param>
/// <param name="IsVoter">Whether they now vote.</param>
/// <param name="Claimed">Taken by presenting the room's facilitator key, not given by a facilitator.</param>
public sealed record RoleChangedDto(int ParticipantId, Role Role, bool IsVoter, bool Claimed) : RoomEventDto;

/// <summary>Online or away.</summary>
/// <param name="ParticipantId">Who.</param>
/// <param name="IsPresent">Online.</param>
public sealed record PresenceChangedDto(int ParticipantId, bool IsPresent) : RoomEventDto;

/// <summary>New room name.</summary>
/// <param name="Name">Name.</param>
public sealed record RoomRenamedDto(string Name) : RoomEventDto;

/// <summary>New settings; <c>Voters</c> lists who votes now.</summary>
/// <param name="Settings">Settings.</param>
/// <param name="Voters">Seat ids of the voters under the new settings.</param>
public sealed record SettingsChangedDto(RoomSettingsDto Settings, IReadOnlyList<int> Voters) : RoomEventDto;

/// <summary>New deck.</summary>
/// <param name="Deck">Deck.</param>
public sealed record DeckChangedDto(DeckDto Deck) : RoomEventDto;

/// <summary>Locked or unlocked.</summary>
/// <param name="IsLocked">Locked.</param>
public sealed record RoomLockChangedDto(bool IsLocked) : RoomEventDto;

/// <summary>Stories added at the end of the backlog.</summary>
/// <param name="Stories">The new stories, without their descriptions and links (see <see cref="StoryDto"/>).</param>
public sealed record StoriesAddedDto(IReadOnlyList<StoryDto> Stories) : RoomEventDto;

/// <summary>A story's text changed: a client that holds its <see cref="StoryDetailsDto"/> asks again.</summary>
/// <param name="Story">The story as the view carries it.</param>
public sealed record StoryEditedDto(StoryDto Story) : RoomEventDto;

/// <summary>A story was removed.</summary>
/// <param name="StoryId">Which.</param>
/// <param name="EstimatedTotal">The room's sum of numeric final estimates after the change.</param>
public sealed record StoryRemovedDto(int StoryId, decimal EstimatedTotal) : RoomEventDto;

/// <summary>A story moved.</summary>
/// <param name="StoryId">Which.</param>
/// <param name="Index">New 0-based position.</param>
public sealed record StoryMovedDto(int StoryId, int Index) : RoomEventDto;

/// <summary>A story's state or final estimate changed.</summary>
/// <param name="StoryId">Which.</param>
/// <param name="State">New state.</param>
/// <param name="FinalEstimate">Its estimate.</param>
/// <param name="EstimatedTotal">The room's sum of numeric final estimates after the change (views carry estimates' labels only).</param>
public sealed record StoryStateChangedDto(int StoryId, StoryState State, EstimateDto? FinalEstimate, decimal EstimatedTotal) : RoomEventDto;

/// <summary>A round opened; every card is face down.</summary>
/// <param name="RoundId">Round id.</param>
/// <param name="StoryId">Story, or null for a quick vote.</param>
/// <param name="Number">Its number on the story.</param>
/// <param name="At">When.</param>
public sealed record RoundStartedDto(int RoundId, int? StoryId, int Number, DateTimeOffset At) : RoomEventDto;

/// <summary>Someone put a card down or changed it. <c>Card</c> is present only in the voter's own copy.</summary>
/// <param name="RoundId">Round.</param>
/// <param name="ParticipantId">Voter.</param>
/// <param name="Card">The card, for the voter only.</param>
public sealed record VoteCastDto(
    int RoundId, int ParticipantId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Card) : RoomEventDto;

/// <summary>A card was taken back.</summary>
/// <param name="RoundId">Round.</param>
/// <param name="ParticipantId">Voter.</param>
public sealed record VoteWithdrawnDto(int RoundId, int ParticipantId) : RoomEventDto;

/// <summary>The cards turned over.</summary>
/// <param name="RoundId">Round.</param>
/// <param name="Result">The result, with every vote in its distribution.</param>
/// <param name="Trigger">What turned them.</param>
/// <param name="At">When.</param>
public sealed record CardsRevealedDto(int RoundId, RoundResultDto Result, RevealTrigger Trigger, DateTimeOffset At) : RoomEventDto;

/// <summary>The current round closed without an estimate.</summary>
/// <param name="RoundId">Round.</param>
public sealed record RoundClosedDto(int RoundId) : RoomEventDto;

/// <summary>An estimate was accepted and the round closed.</summary>
/// <param name="RoundId">Round.</param>
/// <param name="StoryId">Story, or null for a quick vote.</param>
/// <param name="Estimate">Estimate.</param>
public sealed record EstimateAcceptedDto(int RoundId, int? StoryId, EstimateDto Estimate) : RoomEventDto;

/// <summary>The countdown started.</summary>
/// <param name="Timer">The countdown.</param>
public sealed record TimerStartedDto(TimerDto Timer) : RoomEventDto;

/// <summary>The countdown stopped (<c>Expired</c> at zero).</summary>
/// <param name="Expired">Reached zero.</param>
public sealed record TimerStoppedDto(bool Expired) : RoomEventDto;

/// <summary>
/// A push: the changes one command made, as the receiving participant may see them. <c>Version</c> is the room's
/// change counter after the batch; a client whose view is not at <c>Version - 1</c> asks for a full view.
/// </summary>
/// <param name="Version">Counter after this batch.</param>
/// <param name="Events">The changes, in order.</param>
public sealed record RoomChangedDto(long Version, IReadOnlyList<RoomEventDto> Events);
