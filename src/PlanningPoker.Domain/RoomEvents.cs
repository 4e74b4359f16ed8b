namespace PlanningPoker.Domain;

/// <summary>
/// Something that happened to a room. Events describe every change completely: applying them in order to the
/// room as it was gives the room as it is. Hand them to a client only through <see cref="VisibleTo"/>.
/// </summary>
public abstract record RoomEvent
{
    /// <summary>The event as a given participant may see it; the same instance when nothing in it is hidden.</summary>
    public virtual RoomEvent VisibleTo(int viewerId) => this;
}

/// <summary>A participant took a seat (absent until connected).</summary>
public sealed record ParticipantJoined(Participant Participant) : RoomEvent;

/// <summary>A participant left, or was kicked.</summary>
public sealed record ParticipantLeft(int ParticipantId, bool Kicked) : RoomEvent;

/// <summary>A participant changed display name.</summary>
public sealed record ParticipantRenamed(int ParticipantId, string Name) : RoomEvent;

/// <summary>A former participant's name was replaced, their account deleted (see <see cref="Anonymise"/>).</summary>
public sealed record ParticipantAnonymised(int ParticipantId, string Name) : RoomEvent;

/// <summary>A participant's role changed: by a facilitator, or, when <c>Claimed</c>, by the participant presenting the facilitator key.</summary>
public sealed record RoleChanged(int ParticipantId, Role Role, bool Claimed) : RoomEvent;

/// <summary>A participant came online or went away.</summary>
public sealed record PresenceChanged(int ParticipantId, bool IsPresent) : RoomEvent;

/// <summary>The room was renamed.</summary>
public sealed record RoomRenamed(string Name) : RoomEvent;

/// <summary>The room's settings were replaced.</summary>
public sealed record SettingsChanged(RoomSettings Settings) : RoomEvent;

/// <summary>The deck was replaced.</summary>
public sealed record DeckChanged(Deck Deck) : RoomEvent;

/// <summary>The room was locked or unlocked.</summary>
public sealed record RoomLockChanged(bool Locked) : RoomEvent;

/// <summary>Stories were added at the end of the backlog.</summary>
public sealed record StoriesAdded(IReadOnlyList<Story> Stories) : RoomEvent;

/// <summary>A story's text fields changed (the whole story as it is now).</summary>
public sealed record StoryEdited(Story Story) : RoomEvent;

/// <summary>A story and its rounds were removed.</summary>
public sealed record StoryRemoved(int StoryId) : RoomEvent;

/// <summary>A story moved to a new 0-based position.</summary>
public sealed record StoryMoved(int StoryId, int Index) : RoomEvent;

/// <summary>A story's state or final estimate changed.</summary>
public sealed record StoryStateChanged(int StoryId, StoryState State, Estimate? FinalEstimate) : RoomEvent;

/// <summary>Where writing a story's estimate back to its tracker stands changed (Pending: the host queues the write).</summary>
public sealed record WriteBackChanged(int StoryId, WriteBack WriteBack) : RoomEvent;

/// <summary>A round opened for votes.</summary>
public sealed record RoundStarted(int RoundId, int? StoryId, int Number, DateTimeOffset At) : RoomEvent;

/// <summary>A vote was cast or changed. <c>Card</c> is null in the form other participants see before reveal.</summary>
public sealed record VoteCast(int RoundId, int ParticipantId, Card? Card, DateTimeOffset At) : RoomEvent
{
    /// <inheritdoc />
    public override RoomEvent VisibleTo(int viewerId) =>
        viewerId == ParticipantId || Card is null ? this : this with { Card = null };
}

/// <summary>A vote was taken back (by its voter, or because the voter left or stopped voting).</summary>
public sealed record VoteWithdrawn(int RoundId, int ParticipantId) : RoomEvent;

/// <summary>The cards turned over; the result holds every vote.</summary>
public sealed record CardsRevealed(int RoundId, RoundResult Result, RevealTrigger Trigger, DateTimeOffset At) : RoomEvent;

/// <summary>The current round closed without an estimate (cancelled if it was still voting).</summary>
public sealed record RoundClosed(int RoundId) : RoomEvent;

/// <summary>An estimate was accepted on the current round, which closes.</summary>
public sealed record EstimateAccepted(int RoundId, int? StoryId, Estimate Estimate) : RoomEvent;

/// <summary>The countdown started.</summary>
public sealed record TimerStarted(CountdownTimer Timer) : RoomEvent;

/// <summary>The countdown stopped: by a facilitator or a reveal, or because it reached zero (<c>Expired</c>).</summary>
public sealed record TimerStopped(bool Expired) : RoomEvent;

/// <summary>What a command did: the events it caused, or the error that refused it (and then nothing changed).</summary>
public sealed class Outcome
{
    private static readonly Outcome NothingChanged = new([], null);

    private Outcome(IReadOnlyList<RoomEvent> events, RoomError? error)
    {
        Events = events;
        Error = error;
    }

    /// <summary>The events, in order; empty when the command changed nothing (a repeated vote, say) or failed.</summary>
    public IReadOnlyList<RoomEvent> Events { get; }

    /// <summary>Why the command was refused, or null.</summary>
    public RoomError? Error { get; }

    /// <summary>True when the command was accepted.</summary>
    public bool IsSuccess => Error is null;

    internal static Outcome Success(IReadOnlyList<RoomEvent> events) => events.Count == 0 ? NothingChanged : new(events, null);

    internal static Outcome Failure(RoomError error) => new([], error);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"{Events.Count} event(s)" : Error!.ToString();
}
