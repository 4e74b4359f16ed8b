namespace PlanningPoker.Contracts;

/// <summary>
/// The methods a client calls on the room hub (<see cref="Path"/>). A connection first calls <see cref="JoinRoom"/>
/// with its token; every later call acts as that participant. A refused call throws a hub error whose message
/// starts with a stable code from <see cref="ErrorCodes"/> ("NotFacilitator: only a facilitator may …").
/// Calls return once their change is committed.
/// </summary>
public interface IRoomHub
{
    /// <summary>Where the hub listens.</summary>
    const string Path = "/hubs/room";

    /// <summary>Takes one's seat (by token) on this connection and returns one's full view.</summary>
    Task<RoomViewDto> JoinRoom(string roomId, string token);

    /// <summary>The full view again (after a missed <see cref="RoomChangedDto.Version"/>).</summary>
    Task<RoomViewDto> GetView();

    /// <summary>A whole story, with the description and link that views and pushes leave out.</summary>
    Task<StoryDetailsDto> GetStory(int storyId);

    /// <summary>Every round of a story, or of quick votes when <paramref name="storyId"/> is null.</summary>
    Task<StoryHistoryDto> GetHistory(int? storyId);

    /// <summary>Play or change a card.</summary>
    Task CastVote(string card);

    /// <summary>Take one's card back.</summary>
    Task WithdrawVote();

    /// <summary>Open a round on a story, or a quick vote (facilitator).</summary>
    Task StartRound(int? storyId);

    /// <summary>Turn the cards over.</summary>
    Task Reveal();

    /// <summary>New round on the same story after a reveal (facilitator).</summary>
    Task Revote();

    /// <summary>Accept an estimate: a regular card's label or a typed number (facilitator).</summary>
    Task Accept(string estimate);

    /// <summary>Close the current round without an estimate (facilitator).</summary>
    Task CancelRound();

    /// <summary>Add stories at the end of the backlog (facilitator).</summary>
    Task AddStories(IReadOnlyList<StoryDraftDto> stories);

    /// <summary>Add one story per non-blank pasted line (facilitator).</summary>
    Task PasteStories(string text);

    /// <summary>Replace a story's text (facilitator).</summary>
    Task EditStory(int storyId, StoryDraftDto story);

    /// <summary>Remove a story (facilitator).</summary>
    Task RemoveStory(int storyId);

    /// <summary>Move a story to a 0-based position (facilitator).</summary>
    Task MoveStory(int storyId, int index);

    /// <summary>Write a story's accepted estimate to its tracker again after the tracker refused it (facilitator).</summary>
    Task RetryWriteBack(int storyId);

    /// <summary>Skip a story (facilitator).</summary>
    Task SkipStory(int storyId);

    /// <summary>Start the countdown, 10 to 3600 seconds (facilitator).</summary>
    Task StartTimer(int seconds);

    /// <summary>Stop the countdown (facilitator).</summary>
    Task StopTimer();

    /// <summary>Replace the settings (facilitator).</summary>
    Task ChangeSettings(RoomSettingsDto settings);

    /// <summary>Replace the deck while no round is open (facilitator).</summary>
    Task ChangeDeck(DeckDto deck);

    /// <summary>Rename the room (facilitator).</summary>
    Task RenameRoom(string name);

    /// <summary>Lock or unlock the room (facilitator).</summary>
    Task LockRoom(bool locked);

    /// <summary>Change a role; one's own estimator/observer switch needs no facilitator.</summary>
    Task ChangeRole(int participantId, Role role);

    /// <summary>Remove a participant (facilitator).</summary>
    Task Kick(int participantId);

    /// <summary>Change one's display name.</summary>
    Task Rename(string displayName);

    /// <summary>Give up one's seat for good.</summary>
    Task Leave();

    /// <summary>The room's facilitator key, to share as a facilitator link (facilitator).</summary>
    Task<string> GetFacilitatorKey();

    /// <summary>Replaces the facilitator key; links with the old one stop working (facilitator). Returns the new key.</summary>
    Task<string> RenewFacilitatorKey();

    /// <summary>Become a facilitator by presenting the room's facilitator key.</summary>
    Task ClaimFacilitator(string key);
}

/// <summary>What the hub pushes to a client.</summary>
public interface IRoomClient
{
    /// <summary>The changes one command made, as this client may see them.</summary>
    Task RoomChanged(RoomChangedDto change);
}
