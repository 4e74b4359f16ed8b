namespace PlanningPoker.Domain;

/// <summary>
/// The stable codes of every rule a command can break. Clients key on these names (hub errors, ProblemDetails
/// <c>type</c>), so a code is never renamed or reused.
/// </summary>
public enum RoomErrorCode
{
    /// <summary>The command needs a facilitator.</summary>
    NotFacilitator,

    /// <summary>The room's settings do not let this participant reveal.</summary>
    NotAllowedToReveal,

    /// <summary>The participant does not vote (an observer, or a facilitator when facilitators do not vote).</summary>
    NotAVoter,

    /// <summary>No participant with that id is in the room.</summary>
    ParticipantNotFound,

    /// <summary>Another participant already uses that display name.</summary>
    NameTaken,

    /// <summary>A name (display name, room name) is empty, too long or spans lines.</summary>
    InvalidName,

    /// <summary>The role cannot be taken that way (joining as facilitator, for example).</summary>
    InvalidRole,

    /// <summary>The last present facilitator cannot step down.</summary>
    LastFacilitator,

    /// <summary>A facilitator kicks others; leaving is how one removes oneself.</summary>
    CannotKickSelf,

    /// <summary>The room is locked: nobody new may join.</summary>
    RoomLocked,

    /// <summary>The command needs a round open for votes.</summary>
    RoundNotOpen,

    /// <summary>The command needs a revealed round.</summary>
    RoundNotRevealed,

    /// <summary>A round is already open for votes (or, for a deck change, open at all).</summary>
    RoundInProgress,

    /// <summary>The command needs a current round (voting or revealed).</summary>
    NoCurrentRound,

    /// <summary>The card is not in the room's deck.</summary>
    CardNotInDeck,

    /// <summary>The room's settings do not let a vote change once cast.</summary>
    VoteChangeNotAllowed,

    /// <summary>The participant has no vote to withdraw.</summary>
    NoVote,

    /// <summary>No story with that id is in the backlog.</summary>
    StoryNotFound,

    /// <summary>The story is being estimated: close its round first.</summary>
    StoryInRound,

    /// <summary>A story field is missing, too long or malformed.</summary>
    InvalidStory,

    /// <summary>The estimate is neither a regular card of the deck nor a number in range.</summary>
    InvalidEstimate,

    /// <summary>The deck is malformed, or cannot change now.</summary>
    InvalidDeck,

    /// <summary>A setting is out of range.</summary>
    InvalidSettings,

    /// <summary>A countdown lasts from 10 seconds to 60 minutes.</summary>
    InvalidTimer,

    /// <summary>No countdown is running.</summary>
    TimerNotRunning,

    /// <summary>The countdown has not reached zero yet.</summary>
    TimerNotExpired,

    /// <summary>A count or size limit of the room would be passed.</summary>
    LimitExceeded,
}

/// <summary>A broken rule: a stable <see cref="Code"/> for programs and a <see cref="Message"/> for people.</summary>
/// <param name="Code">The stable code.</param>
/// <param name="Message">A sentence naming what was asked and why it was refused; never holds a hidden vote.</param>
public sealed record RoomError(RoomErrorCode Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";

    internal static RoomError NotFacilitator(string command) => new(RoomErrorCode.NotFacilitator, $"only a facilitator may {command}");

    internal static RoomError ParticipantNotFound(int id) => new(RoomErrorCode.ParticipantNotFound, $"participant {id} is not in the room");

    internal static RoomError StoryNotFound(int id) => new(RoomErrorCode.StoryNotFound, $"story {id} is not in the backlog");

    internal static RoomError WrongState(RoomErrorCode code, string command, RoomState state) =>
        new(code, $"cannot {command} while {state}");

    internal static RoomError InvalidDeck(string why) => new(RoomErrorCode.InvalidDeck, why);

    internal static RoomError InvalidStory(string why) => new(RoomErrorCode.InvalidStory, why);

    internal static RoomError Limit(string why) => new(RoomErrorCode.LimitExceeded, why);
}

/// <summary>Either a value or the <see cref="RoomError"/> that prevented it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct Result<T>
{
    private Result(T? value, RoomError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value, when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The error, when not <see cref="IsSuccess"/>.</summary>
    public RoomError? Error { get; }

    /// <summary>True when there is a value.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>Wraps a value.</summary>
    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>Wraps an error.</summary>
    public static implicit operator Result<T>(RoomError error) => new(default, error);

    /// <summary>The value, or an exception naming the error (for tests and programmer errors).</summary>
    public T GetValueOrThrow() => IsSuccess ? Value! : throw new InvalidOperationException(Error!.ToString());
}
