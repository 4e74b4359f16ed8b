namespace PlanningPoker.Domain;

/// <summary>
/// A request to change a room, given to <see cref="Room.Execute"/>. Commands made by a participant carry the
/// participant's id as <c>Actor</c>: the host takes it from the caller's token, never from the caller's words.
/// </summary>
public abstract record RoomCommand;

/// <summary>A command made by a participant of the room.</summary>
/// <param name="Actor">The participant making it.</param>
public abstract record ParticipantCommand(int Actor) : RoomCommand;

/// <summary>
/// Take a new seat, as an estimator or an observer; or, when the host checked that the joiner presented the room's
/// facilitator key (<paramref name="WithFacilitatorKey"/>), as a facilitator too, even into a locked room.
/// </summary>
public sealed record Join(string DisplayName, Role Role, bool WithFacilitatorKey = false) : RoomCommand;

/// <summary>Become a facilitator by presenting the room's facilitator key; the host checks the key and only then issues this.</summary>
public sealed record ClaimFacilitator(int Actor) : ParticipantCommand(Actor);

/// <summary>Give up one's seat for good.</summary>
public sealed record Leave(int Actor) : ParticipantCommand(Actor);

/// <summary>The host saw a connection of this participant come up.</summary>
public sealed record Connect(int Actor) : ParticipantCommand(Actor);

/// <summary>The host saw every connection of this participant gone for longer than its grace period.</summary>
public sealed record Disconnect(int Actor) : ParticipantCommand(Actor);

/// <summary>Change one's own display name.</summary>
public sealed record Rename(int Actor, string DisplayName) : ParticipantCommand(Actor);

/// <summary>Promote, demote, or switch between estimator and observer (one's own switch needs no facilitator).</summary>
public sealed record ChangeRole(int Actor, int Target, Role Role) : ParticipantCommand(Actor);

/// <summary>Remove another participant from the room (facilitator).</summary>
public sealed record Kick(int Actor, int Target) : ParticipantCommand(Actor);

/// <summary>Rename the room (facilitator).</summary>
public sealed record RenameRoom(int Actor, string Name) : ParticipantCommand(Actor);

/// <summary>Replace the room's settings (facilitator).</summary>
public sealed record ChangeSettings(int Actor, RoomSettings Settings) : ParticipantCommand(Actor);

/// <summary>Replace the deck while no round is open (facilitator).</summary>
public sealed record ChangeDeck(int Actor, Deck Deck) : ParticipantCommand(Actor);

/// <summary>Lock or unlock the room: a locked room takes no new participant (facilitator).</summary>
public sealed record LockRoom(int Actor, bool Locked) : ParticipantCommand(Actor);

/// <summary>Add one or many stories at the end of the backlog (facilitator).</summary>
public sealed record AddStories(int Actor, IReadOnlyList<StoryDraft> Stories) : ParticipantCommand(Actor);

/// <summary>
/// Bring stories from a tracker or a file into the backlog (facilitator): a story whose external key is already in the
/// backlog is not added again but refreshed (title, description, link, tracker's estimate) while it is pending or
/// skipped; stories without a key are added. See <see cref="BacklogImport"/>.
/// </summary>
public sealed record ImportStories(int Actor, IReadOnlyList<StoryDraft> Stories) : ParticipantCommand(Actor);

/// <summary>Replace a story's text fields (facilitator).</summary>
public sealed record EditStory(int Actor, int StoryId, StoryDraft Story) : ParticipantCommand(Actor);

/// <summary>Remove a story and its rounds from the backlog (facilitator).</summary>
public sealed record RemoveStory(int Actor, int StoryId) : ParticipantCommand(Actor);

/// <summary>Move a story to another 0-based position of the backlog (facilitator).</summary>
public sealed record MoveStory(int Actor, int StoryId, int Index) : ParticipantCommand(Actor);

/// <summary>Set a story aside (facilitator); a round open on it is closed.</summary>
public sealed record SkipStory(int Actor, int StoryId) : ParticipantCommand(Actor);

/// <summary>Open voting on a story, or a quick vote when <c>StoryId</c> is null (facilitator).</summary>
public sealed record StartRound(int Actor, int? StoryId) : ParticipantCommand(Actor);

/// <summary>Play a card, or change it.</summary>
public sealed record CastVote(int Actor, string Card) : ParticipantCommand(Actor);

/// <summary>Take one's card back before reveal.</summary>
public sealed record WithdrawVote(int Actor) : ParticipantCommand(Actor);

/// <summary>Turn the cards over.</summary>
public sealed record Reveal(int Actor) : ParticipantCommand(Actor);

/// <summary>Open a new round on the same story after a reveal, keeping the revealed one in history (facilitator).</summary>
public sealed record Revote(int Actor) : ParticipantCommand(Actor);

/// <summary>
/// Set the final estimate from a revealed round: a regular card's label or a typed number (facilitator). With
/// <see cref="RoomSettings.AutoAdvance"/> and a story in the round, a round on the next pending story opens too.
/// </summary>
public sealed record Accept(int Actor, string Estimate) : ParticipantCommand(Actor);

/// <summary>Close the current round without an estimate (facilitator).</summary>
public sealed record CancelRound(int Actor) : ParticipantCommand(Actor);

/// <summary>Start (or restart) the countdown (facilitator).</summary>
public sealed record StartTimer(int Actor, TimeSpan Duration) : ParticipantCommand(Actor);

/// <summary>Stop the countdown (facilitator).</summary>
public sealed record StopTimer(int Actor) : ParticipantCommand(Actor);

/// <summary>The host's clock says the countdown reached zero.</summary>
public sealed record TimeUp : RoomCommand;

/// <summary>
/// The person behind a seat deleted their account (the host's own command, never a participant's): the seat, if still
/// taken, is vacated, and the name it had, in the room and in its history, becomes <paramref name="Name"/>, numbered
/// ("Name 2", "Name 3"…) when another current or former participant has it. Their votes stay, under that name.
/// </summary>
public sealed record Anonymise(int ParticipantId, string Name) : RoomCommand;

/// <summary>
/// The host's write-back worker reports on writing <paramref name="Card"/> to the story's tracker (never a participant's
/// command). A report about another estimate than the story's current one changes nothing (the story was re-estimated).
/// </summary>
public sealed record RecordWriteBack(int StoryId, string Card, WriteBackState State, string? Link, string? Reason) : RoomCommand;

/// <summary>Write a story's accepted estimate to its tracker again, after a failure (facilitator).</summary>
public sealed record RetryWriteBack(int Actor, int StoryId) : ParticipantCommand(Actor);
