using Orleans.Concurrency;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;

namespace PlanningPoker.Server.Rooms;

/// <summary>
/// One room, live: the single owner of its state. It serialises every command, applies it through the Domain,
/// commits the change, then tells every node's <see cref="IRoomObserver"/> what each participant may see.
/// Called by the hub and the REST endpoints; keyed by room id.
/// </summary>
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>Creates the room with its first facilitator; fails with <c>InternalError</c> if it exists (ids are random: it does not happen).</summary>
    Task<Reply<Seat>> Create(CreateRoomRequest request);

    /// <summary>Creates the room with its first facilitator's seat held by a signed-in person (<see cref="SeatHolder"/>).</summary>
    Task<Reply<Seat>> CreateAs(CreateRoomRequest request, SeatHolder holder);

    /// <summary>What a visitor may see before joining, or <c>RoomNotFound</c>.</summary>
    Task<Reply<RoomInfoDto>> GetInfo();

    /// <summary>Takes a new seat and issues its token.</summary>
    Task<Reply<Seat>> Join(JoinRoomRequest request);

    /// <summary>
    /// A signed-in person's seat: the one their account already holds in the room (from any browser: its token is
    /// derived from the room's account key, the account and the seat), else a new one as <see cref="Join"/> takes,
    /// a facilitator's when <see cref="SeatHolder.Facilitates"/> (past the passcode and the lock, as with the facilitator link).
    /// </summary>
    Task<Reply<Seat>> JoinAs(JoinRoomRequest request, SeatHolder holder);

    /// <summary>The participant a token identifies, or <c>InvalidToken</c>.</summary>
    Task<Reply<int>> Authenticate(string token);

    /// <summary>
    /// Records a connection of the participant (marking them present) and returns their full view. <paramref name="node"/>
    /// is the node that holds the connection: if that node dies, the connection ends with it (<see cref="NodeLost"/>).
    /// </summary>
    Task<Reply<RoomViewDto>> Connect(int participantId, string connectionId, SiloAddress? node);

    /// <summary>
    /// Records that a connection closed; once the participant has none left for the grace period, they are away. The
    /// grace is short (<see cref="RoomOptions.ClosedConnectionGracePeriod"/>) when the client closed it on purpose.
    /// </summary>
    [OneWay]
    Task ConnectionClosed(int participantId, string connectionId, bool closedCleanly);

    /// <summary>Runs a participant's command; completes once its change is committed.</summary>
    Task<Reply> Execute(Immutable<RoomCommand> command);

    /// <summary>The write-back worker's report on a story's estimate (<see cref="RecordWriteBack"/>: the server's own command).</summary>
    Task<Reply> ReportWriteBack(Immutable<RecordWriteBack> report);

    /// <summary>Runs an import (<see cref="ImportStories"/>) and says what it did.</summary>
    Task<Reply<ImportReportDto>> Import(Immutable<ImportStories> command);

    /// <summary>The participant's full view.</summary>
    Task<Reply<RoomViewDto>> GetView(int participantId);

    /// <summary>The facilitator key (facilitators only).</summary>
    Task<Reply<string>> GetFacilitatorKey(int participantId);

    /// <summary>Replaces the facilitator key (facilitators only) and returns the new one.</summary>
    Task<Reply<string>> RenewFacilitatorKey(int participantId);

    /// <summary>Makes the participant a facilitator if the key is the room's, or fails with <c>WrongFacilitatorKey</c>.</summary>
    Task<Reply> ClaimFacilitator(int participantId, string key);

    /// <summary>A whole story, with the description and link that views leave out, or <c>StoryNotFound</c>.</summary>
    Task<Reply<StoryDetailsDto>> GetStory(int participantId, int storyId);

    /// <summary>A story's rounds (quick votes when <paramref name="storyId"/> is null).</summary>
    Task<Reply<StoryHistoryDto>> GetHistory(int participantId, int? storyId);

    /// <summary>Stories, estimates and every round's revealed votes: facilitators only.</summary>
    Task<Reply<RoomSummaryDto>> GetSummary(int participantId);

    /// <summary>
    /// An account was deleted: its seat in this room, if any, is vacated, and every seat it held (<paramref name="formerSeats"/>,
    /// read from the store, and the seat held now) goes by <paramref name="name"/> in the room and its history. Answers how many
    /// seats changed; seats the room does not know are passed over.
    /// </summary>
    Task<Reply<int>> ForgetAccount(Guid account, IReadOnlyList<int> formerSeats, string name);

    /// <summary>
    /// The team the room belongs to, or null for an ad-hoc room (or none at all): read with the room, kept by its
    /// grain, so that a join asks no database which team it is. A team deleted since may still be named.
    /// </summary>
    Task<Guid?> GetTeam();

    /// <summary>The account that holds the seat (a signed-in person's), or null for a guest's seat or no such seat.</summary>
    Task<Guid?> GetSeatAccount(int participantId);

    /// <summary>The room was given to <paramref name="teamId"/> (its <c>team_rooms</c> row is committed).</summary>
    Task SetTeam(Guid teamId);

    /// <summary>
    /// Subscribes (or renews) a node's observer for this room's changes, with the connections it holds in the room (a
    /// room that has just moved to another node learns them so, and its people stay present).
    /// </summary>
    Task Subscribe(IRoomObserver observer, SiloAddress? node, IReadOnlyList<LiveConnection> connections);

    /// <summary>
    /// A node of the cluster died: its connections end (their owners are away after the short grace, unless they
    /// reconnect elsewhere) and its subscription with them.
    /// </summary>
    [OneWay]
    Task NodeLost(SiloAddress node);

    /// <summary>Ends a node's subscription.</summary>
    Task Unsubscribe(IRoomObserver observer);
}

/// <summary>Receives a room's changes on one node, to forward them to that node's connections.</summary>
public interface IRoomObserver : IGrainObserver
{
    /// <summary>A committed change, already shaped for each recipient.</summary>
    [OneWay]
    Task OnRoomChanged(RoomBroadcast broadcast);

    /// <summary>The connections this node holds in a room: asked by a room grain that has just (re)loaded.</summary>
    Task<IReadOnlyList<LiveConnection>> ConnectionsIn(string roomId);
}

/// <summary>A participant's connection that a node holds open.</summary>
/// <param name="ParticipantId">The seat.</param>
/// <param name="ConnectionId">The SignalR connection.</param>
/// <param name="Node">The node that holds it (null in tests of one grain).</param>
[GenerateSerializer, Immutable]
public sealed record LiveConnection([property: Id(0)] int ParticipantId, [property: Id(1)] string ConnectionId, [property: Id(2)] SiloAddress? Node = null);

/// <summary>A seat and its secret token (shown once, to its owner).</summary>
/// <param name="RoomId">The room.</param>
/// <param name="ParticipantId">The seat.</param>
/// <param name="Token">The token.</param>
[GenerateSerializer, Immutable]
public sealed record Seat([property: Id(0)] string RoomId, [property: Id(1)] int ParticipantId, [property: Id(2)] string Token);

/// <summary>The signed-in person taking a seat, as the server found them (never as a client claims).</summary>
/// <param name="AccountId">Their account.</param>
/// <param name="Facilitates">A new seat is a facilitator's: they facilitate the room's team.</param>
/// <param name="NameChosen">
/// They typed the name ("join with another name"): a seat they already hold takes it, and a name already taken is
/// refused. Otherwise the name is their account's, and a taken one becomes the next free "Name 2".
/// </param>
[GenerateSerializer, Immutable]
public sealed record SeatHolder([property: Id(0)] Guid AccountId, [property: Id(1)] bool Facilitates, [property: Id(2)] bool NameChosen = false);

/// <summary>
/// One committed change for every node: <see cref="Public"/> for everyone, and for each participant with
/// something only they may see (their own card), their own copy in <see cref="Private"/>.
/// </summary>
/// <param name="RoomId">The room.</param>
/// <param name="Public">What everyone else sees.</param>
/// <param name="Private">Per-participant copies.</param>
/// <param name="Jump">
/// The room's version jumped to this one on purpose (the room loaded, or took back a vote it pushed and did not
/// commit): the versions before it that have not come will never come, and the relay forwards it at once.
/// </param>
[GenerateSerializer, Immutable]
public sealed record RoomBroadcast(
    [property: Id(0)] string RoomId,
    [property: Id(1)] RoomChangedDto Public,
    [property: Id(2)] IReadOnlyList<PrivateChange> Private,
    [property: Id(3)] bool Jump = false);

/// <summary>The copy of a change that only one participant may see.</summary>
/// <param name="ParticipantId">Who.</param>
/// <param name="Change">Their copy.</param>
[GenerateSerializer, Immutable]
public sealed record PrivateChange([property: Id(0)] int ParticipantId, [property: Id(1)] RoomChangedDto Change);

/// <summary>A grain call's outcome: success, or a stable error code with a message fit for the caller.</summary>
/// <param name="ErrorCode">A code from <see cref="ErrorCodes"/>, or null on success.</param>
/// <param name="ErrorMessage">A sentence for people.</param>
[GenerateSerializer, Immutable]
public record Reply([property: Id(0)] string? ErrorCode, [property: Id(1)] string? ErrorMessage)
{
    /// <summary>Success.</summary>
    public static Reply Ok { get; } = new(null, null);

    /// <summary>True on success.</summary>
    public bool IsSuccess => ErrorCode is null;

    /// <summary>On a failure that a later try may not meet: how long to wait (REST's <c>Retry-After</c>).</summary>
    [Id(2)]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A failure.</summary>
    public static Reply Fail(string code, string message) => new(code, message);

    /// <summary>A failure from a broken rule.</summary>
    public static Reply Fail(RoomError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Code.ToString(), error.Message);
    }
}

/// <summary>A grain call's outcome with a value.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value on success.</param>
/// <param name="ErrorCode">A code, or null on success.</param>
/// <param name="ErrorMessage">A sentence for people.</param>
[GenerateSerializer, Immutable]
public sealed record Reply<T>([property: Id(0)] T? Value, string? ErrorCode, string? ErrorMessage) : Reply(ErrorCode, ErrorMessage)
{
    /// <summary>Wraps a value.</summary>
    public static implicit operator Reply<T>(T value) => new(value, null, null);

    /// <summary>Wraps a value (where the implicit conversion cannot: a value of an interface type).</summary>
    public static Reply<T> Of(T value) => new(value, null, null);

    /// <summary>A failure with the same code as another reply.</summary>
    public static Reply<T> From(Reply failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(default, failure.ErrorCode, failure.ErrorMessage) { RetryAfter = failure.RetryAfter };
    }

    /// <summary>A failure.</summary>
    public static new Reply<T> Fail(string code, string message) => new(default, code, message);

    /// <summary>A failure from a broken rule.</summary>
    public static new Reply<T> Fail(RoomError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(default, error.Code.ToString(), error.Message);
    }
}
