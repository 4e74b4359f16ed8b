using System.Diagnostics;

namespace PlanningPoker.Domain;

/// <summary>Where a room stands.</summary>
public enum RoomState
{
    /// <summary>No round is open.</summary>
    Lobby,

    /// <summary>A round is open for votes.</summary>
    Voting,

    /// <summary>The current round's cards are turned over.</summary>
    Revealed,
}

/// <summary>
/// The room aggregate: participants, backlog, rounds, votes, settings and countdown, with every rule of the
/// workshop. Pure: no I/O, no clock, no randomness. Every change goes through <see cref="Execute"/>, which
/// validates the command fully before changing anything and returns the events it caused or a typed error.
/// Not thread-safe: its owner (the room grain) runs one command at a time.
/// </summary>
public sealed partial class Room
{
    // The key of quick votes among story ids, which start at 1.
    private const int QuickVotes = 0;

    private readonly List<Participant> _participants = [];
    private readonly List<FormerParticipant> _formerParticipants = [];
    private readonly List<Story> _stories = [];
    private readonly List<Round> _rounds = [];

    // Story id (0 for quick votes) → how many rounds it had, those forgotten included: round numbers and the limit.
    private readonly Dictionary<int, int> _roundsPerStory = [];

    // Stories (null for quick votes) some of whose finished rounds are in storage only (ForgetFinishedRounds).
    private readonly HashSet<int?> _forgotten = [];
    private List<RoomEvent>? _raised;
    private int _nextParticipantId = 1;
    private int _nextStoryId = 1;
    private int _nextRoundId = 1;
    private int? _currentRoundId;

    private Room(string id, string name, Deck deck, RoomSettings settings, DateTimeOffset createdAt)
    {
        Id = id;
        Name = name;
        Deck = deck;
        Settings = settings;
        CreatedAt = createdAt;
    }

    /// <summary>The room's id, given by the host.</summary>
    public string Id { get; }

    /// <summary>The room's name.</summary>
    public string Name { get; private set; }

    /// <summary>The deck players pick from.</summary>
    public Deck Deck { get; private set; }

    /// <summary>How the room plays.</summary>
    public RoomSettings Settings { get; private set; }

    /// <summary>True when nobody new may join.</summary>
    public bool IsLocked { get; private set; }

    /// <summary>When the room was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The running countdown, if any.</summary>
    public CountdownTimer? Timer { get; private set; }

    /// <summary>The seats, in joining order.</summary>
    public IReadOnlyList<Participant> Participants => _participants;

    /// <summary>Participants who left, kept for history.</summary>
    public IReadOnlyList<FormerParticipant> FormerParticipants => _formerParticipants;

    /// <summary>The backlog, in order.</summary>
    public IReadOnlyList<Story> Stories => _stories;

    /// <summary>
    /// The rounds held in memory, oldest first: every round until <see cref="ForgetFinishedRounds"/> drops those only
    /// history needs (then <see cref="StoriesWithForgottenRounds"/> says whose).
    /// </summary>
    public IReadOnlyList<Round> Rounds => _rounds;

    /// <summary>How many rounds the room has had (the forgotten ones included): <see cref="RoomLimits.MaxRounds"/> bounds it.</summary>
    public int RoundCount { get; private set; }

    /// <summary>The open round (voting or revealed), if any. It is always the newest round.</summary>
    public Round? CurrentRound => _currentRoundId is null ? null : _rounds[^1];

    /// <summary>Where the room stands, derived from the current round.</summary>
    public RoomState State => CurrentRound?.State switch
    {
        RoundState.Voting => RoomState.Voting,
        RoundState.Revealed => RoomState.Revealed,
        _ => RoomState.Lobby,
    };

    /// <summary>The sum of the numeric final estimates of the backlog.</summary>
    public decimal EstimatedTotal => _stories.Where(s => s.State == StoryState.Estimated).Sum(s => s.FinalEstimate?.Value ?? 0m);

    /// <summary>
    /// Creates a room whose first participant (id 1) is its facilitator, absent until connected.
    /// </summary>
    /// <param name="id">The room's id, chosen by the host.</param>
    /// <param name="name">1 to 80 characters on one line.</param>
    /// <param name="deck">The deck.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="facilitatorName">The creator's display name, 1 to 40 characters.</param>
    /// <param name="now">The current time.</param>
    public static Result<Room> Create(string id, string name, Deck deck, RoomSettings settings, string facilitatorName, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(deck);
        ArgumentNullException.ThrowIfNull(settings);

        var roomName = Text.Clean(name);
        if (!Text.IsValidLine(roomName, RoomLimits.RoomNameLength))
        {
            return new RoomError(RoomErrorCode.InvalidName, $"a room name has 1 to {RoomLimits.RoomNameLength} characters on one line");
        }

        if (settings.Validate() is { } invalid)
        {
            return invalid;
        }

        var displayName = Text.Clean(facilitatorName);
        if (CheckDisplayName(displayName) is { } badName)
        {
            return badName;
        }

        var room = new Room(id, roomName!, deck, settings, now);
        room.Apply(new ParticipantJoined(new Participant(room._nextParticipantId, displayName!, Role.Facilitator, false, now)));
        return room;
    }

    /// <summary>Validates and applies a command.</summary>
    /// <returns>The events caused, or the error that refused the command; on error the room is unchanged.</returns>
    public Outcome Execute(RoomCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_raised is not null)
        {
            throw new InvalidOperationException("Room.Execute is not reentrant.");
        }

        _raised = new List<RoomEvent>(2);
        try
        {
            var error = Handle(command, now);
            if (error is not null)
            {
                // Handlers validate before they raise: an error after a change would leave the room half-changed.
                Debug.Assert(_raised.Count == 0, $"{command.GetType().Name} raised events and then failed");
                return Outcome.Failure(error);
            }

            return Outcome.Success(_raised);
        }
        finally
        {
            _raised = null;
        }
    }

    /// <summary>Finds a participant by id.</summary>
    public Participant? FindParticipant(int id)
    {
        foreach (var p in _participants)
        {
            if (p.Id == id)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Finds a story by id.</summary>
    public Story? FindStory(int id) => _stories.Find(s => s.Id == id);

    /// <summary>True when the participant votes under the room's settings.</summary>
    public bool IsVoter(Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return participant.Role == Role.Estimator || (participant.Role == Role.Facilitator && Settings.FacilitatorsVote);
    }

    private RoomError? Handle(RoomCommand command, DateTimeOffset now) => command switch
    {
        Join c => HandleJoin(c, now),
        Leave c => HandleLeave(c, now),
        Connect c => HandleConnect(c),
        Disconnect c => HandleDisconnect(c, now),
        Rename c => HandleRename(c),
        ChangeRole c => HandleChangeRole(c, now),
        ClaimFacilitator c => HandleClaimFacilitator(c, now),
        Kick c => HandleKick(c, now),
        RenameRoom c => HandleRenameRoom(c),
        ChangeSettings c => HandleChangeSettings(c, now),
        ChangeDeck c => HandleChangeDeck(c),
        LockRoom c => HandleLockRoom(c),
        AddStories c => HandleAddStories(c),
        ImportStories c => HandleImportStories(c),
        EditStory c => HandleEditStory(c),
        RemoveStory c => HandleRemoveStory(c),
        MoveStory c => HandleMoveStory(c),
        SkipStory c => HandleSkipStory(c),
        StartRound c => HandleStartRound(c, now),
        CastVote c => HandleCastVote(c, now),
        WithdrawVote c => HandleWithdrawVote(c),
        Reveal c => HandleReveal(c, now),
        Revote c => HandleRevote(c, now),
        Accept c => HandleAccept(c, now),
        CancelRound c => HandleCancelRound(c),
        StartTimer c => HandleStartTimer(c, now),
        StopTimer c => HandleStopTimer(c),
        TimeUp => HandleTimeUp(now),
        Anonymise c => HandleAnonymise(c, now),
        RecordWriteBack c => HandleRecordWriteBack(c),
        RetryWriteBack c => HandleRetryWriteBack(c),
        _ => throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command)),
    };

    private void Raise(RoomEvent e)
    {
        Apply(e);
        _raised!.Add(e);
    }

    private RoomError? RequireParticipant(int id, out Participant participant)
    {
        participant = FindParticipant(id)!;
        return participant is null ? RoomError.ParticipantNotFound(id) : null;
    }

    private RoomError? RequireFacilitator(ParticipantCommand command, string what, out Participant actor)
    {
        if (RequireParticipant(command.Actor, out actor) is { } missing)
        {
            return missing;
        }

        return actor.Role == Role.Facilitator ? null : RoomError.NotFacilitator(what);
    }

    /// <summary>Null for a display name (already <see cref="Text.Clean"/>ed) one may take, else why not.</summary>
    private static RoomError? CheckDisplayName(string? name)
    {
        if (name is not null && Text.HasInvisibleCharacter(name))
        {
            return new(RoomErrorCode.InvalidName, "a display name may not hold invisible characters (zero-width joiners or spaces, direction marks, fillers), which would let it pass for another; a zero-width joiner only joins emoji");
        }

        return Text.IsValidLine(name, RoomLimits.DisplayNameLength)
            ? null
            : new(RoomErrorCode.InvalidName, $"a display name has 1 to {RoomLimits.DisplayNameLength} characters on one line");
    }
}
