using PlanningPoker.Domain;

namespace PlanningPoker.Server.Storage;

// The relational shape of a room: one class per table, mapped by PokerDbContext. Reads go through EF Core
// (RoomStore.LoadAsync); writes are hand-written SQL (RoomChange) against the same names, so a rename here needs a
// migration and a matching change in RoomChange.Sql.

/// <summary>The <c>rooms</c> table: one row per room, with its deck, settings, counters, timer and version.</summary>
internal sealed class RoomRow
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public DeckType DeckType { get; set; }

    /// <summary>JSON array of the deck's regular cards (<c>[{"label":"1","value":1}, …]</c>).</summary>
    public required string DeckCards { get; set; }

    /// <summary>The <see cref="SpecialCards"/> flags.</summary>
    public int DeckSpecials { get; set; }

    public bool AutoReveal { get; set; }

    public bool FacilitatorsVote { get; set; }

    public RevealPolicy WhoMayReveal { get; set; }

    public Statistic Statistic { get; set; }

    public double? RoundTimerSeconds { get; set; }

    public bool AllowVoteChange { get; set; }

    public bool RevealWhenTimerEnds { get; set; }

    /// <summary>Accepting a story's estimate starts the next pending story (added later: false for older rooms).</summary>
    public bool AutoAdvance { get; set; }

    public bool IsLocked { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int NextParticipantId { get; set; }

    public int NextStoryId { get; set; }

    public int NextRoundId { get; set; }

    public int? CurrentRoundId { get; set; }

    public DateTimeOffset? TimerStartedAt { get; set; }

    public double? TimerDurationSeconds { get; set; }

    public string? PasscodeHash { get; set; }

    /// <summary>The facilitator key, kept as it is: facilitators are shown it to share it.</summary>
    public string? FacilitatorKey { get; set; }

    /// <summary>The key that derives the seat tokens of signed-in people (see <c>Secrets.AccountToken</c>); null until a room first needs it.</summary>
    public string? AccountKey { get; set; }

    /// <summary>How many changes were committed since creation: the optimistic concurrency check.</summary>
    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The <c>participants</c> table: seats, present and former (<see cref="LeftAt"/> set).</summary>
internal sealed class ParticipantRow
{
    public required string RoomId { get; set; }

    public int Id { get; set; }

    public required string Name { get; set; }

    public Role Role { get; set; }

    public bool IsPresent { get; set; }

    public DateTimeOffset JoinedAt { get; set; }

    /// <summary>When the participant left or was kicked; null while seated.</summary>
    public DateTimeOffset? LeftAt { get; set; }

    /// <summary>
    /// The participant's index in the room's former participants: their leaving order, which <see cref="LeftAt"/>
    /// alone cannot give when two leave within the same clock tick.
    /// </summary>
    public int? LeftOrder { get; set; }

    /// <summary>Hash of the participant's token; null only for a former participant stored without one.</summary>
    public string? TokenHash { get; set; }

    /// <summary>The account holding the seat, when a signed-in person took it: the same seat from any browser.</summary>
    public Guid? AccountId { get; set; }
}

/// <summary>The <c>stories</c> table: the backlog, ordered by <see cref="Position"/>.</summary>
internal sealed class StoryRow
{
    public required string RoomId { get; set; }

    public int Id { get; set; }

    /// <summary>0-based place in the backlog.</summary>
    public int Position { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public string? ExternalKey { get; set; }

    public string? Url { get; set; }

    public StoryState State { get; set; }

    public string? FinalLabel { get; set; }

    public decimal? FinalValue { get; set; }

    /// <summary>The estimate the story had in its tracker when imported, shown beside it (added later: null for older rows).</summary>
    public string? TrackerEstimate { get; set; }

    /// <summary>The tracker connection the story was imported from (<c>tracker_connections.id</c> as text), which its estimate is written back to.</summary>
    public string? Source { get; set; }

    /// <summary>Where writing its accepted estimate back stands (<see cref="WriteBack"/>), null before any.</summary>
    public WriteBackState? WriteBackState { get; set; }

    public string? WriteBackCard { get; set; }

    public string? WriteBackLink { get; set; }

    public string? WriteBackReason { get; set; }
}

/// <summary>
/// The write-back outbox (<c>tracker_writebacks</c>): one row per story whose accepted estimate goes to its tracker,
/// written in the same transaction as the accept, delivered by <c>Trackers/WriteBackWorker</c> (docs/architecture.md,
/// "Writing estimates back").
/// </summary>
internal sealed class WriteBackRow
{
    public required string RoomId { get; set; }

    public int StoryId { get; set; }

    /// <summary>The tracker connection (null when the story's source is not one: then it fails at delivery).</summary>
    public Guid? ConnectionId { get; set; }

    public required string IssueKey { get; set; }

    /// <summary>The accepted card's label.</summary>
    public required string Card { get; set; }

    /// <summary>The accepted card's value, when numeric.</summary>
    public decimal? CardValue { get; set; }

    public WriteBackState State { get; set; }

    /// <summary>Deliveries tried since it was (re)queued.</summary>
    public int Attempts { get; set; }

    /// <summary>When it may be tried (next), in Unix milliseconds (compared in SQL on both providers).</summary>
    public long DueAt { get; set; }

    /// <summary>While a node delivers it: until when (Unix milliseconds) the others leave it alone.</summary>
    public long? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }

    /// <summary>The tracker's last reason (failed, or the last transient failure).</summary>
    public string? LastError { get; set; }

    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DoneAt { get; set; }
}

/// <summary>The <c>rounds</c> table: every round of the room, stories' and quick votes.</summary>
internal sealed class RoundRow
{
    public required string RoomId { get; set; }

    public int Id { get; set; }

    public int? StoryId { get; set; }

    public int Number { get; set; }

    public RoundState State { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? RevealedAt { get; set; }

    public RevealTrigger? RevealedBy { get; set; }

    /// <summary>The <see cref="RoundResult"/> computed at reveal, as JSON (snake_case names, enums as text).</summary>
    public string? ResultJson { get; set; }

    public string? EstimateLabel { get; set; }

    public decimal? EstimateValue { get; set; }
}

/// <summary>
/// The <c>story_facts</c> table: what an estimated story says about how its team estimates (<see cref="StoryFacts"/>),
/// written in the accept's transaction, removed when the story goes back to be estimated again. Estimation history and
/// KPIs are queries over it (docs/kpis.md), never rooms loaded into memory.
/// </summary>
internal sealed class StoryFactsRow
{
    public required string RoomId { get; set; }

    public int StoryId { get; set; }

    /// <summary>When it was accepted, in Unix milliseconds (so that both providers compare and sort it in SQL).</summary>
    public long AcceptedAt { get; set; }

    public string? ExternalKey { get; set; }

    public required string Title { get; set; }

    public int RevealedRounds { get; set; }

    public bool FirstRoundConsensus { get; set; }

    public bool Converged { get; set; }

    public int? FirstSpread { get; set; }

    public double? SecondsToAccept { get; set; }

    public int Votes { get; set; }

    public int MissedVotes { get; set; }

    public int Unsure { get; set; }

    public int Breaks { get; set; }

    public required string FinalLabel { get; set; }

    public decimal? FinalValue { get; set; }

    /// <summary>When its tracker says it was done, in Unix milliseconds; null while not done or not known (estimate vs actual, docs/kpis.md).</summary>
    public long? DoneAt { get; set; }

    /// <summary>The time logged on it in its tracker, in seconds; null where none was or the tracker keeps none.</summary>
    public long? LoggedSeconds { get; set; }

    /// <summary>When its tracker was last asked about it, in Unix milliseconds; null when never (<c>ActualsWorker</c>).</summary>
    public long? ActualsCheckedAt { get; set; }
}

/// <summary>The <c>votes</c> table: one row per participant per round.</summary>
internal sealed class VoteRow
{
    public required string RoomId { get; set; }

    public int RoundId { get; set; }

    public int ParticipantId { get; set; }

    /// <summary>0-based place among the round's votes, in the order they were first cast.</summary>
    public int Position { get; set; }

    public required string CardLabel { get; set; }

    public decimal? CardValue { get; set; }

    public CardKind CardKind { get; set; }

    public DateTimeOffset CastAt { get; set; }
}
