using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Utilities;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Cluster;
using PlanningPoker.Server.Observability;
using PlanningPoker.Server.Storage;
using Role = PlanningPoker.Domain.Role;

namespace PlanningPoker.Server.Rooms;

/// <summary>
/// The live room (see <see cref="IRoomGrain"/>). Calls interleave only at their awaits, and every Domain command
/// runs synchronously between two awaits, so the Domain needs no locks. Commits are pipelined: a command is
/// applied and queued for commit at once, so that the next one can be applied while it commits (a round's votes
/// share one group commit instead of waiting for each other); each is acknowledged only after its own commit, and
/// reads wait until everything applied has committed. Every change is broadcast after its commit, but one: a vote
/// cast or withdrawn alone (no reveal with it) goes to the others at once, before its commit, since "X has voted"
/// shows no card and is what a person waits for (docs/architecture.md, "A vote is seen before it commits"). If that
/// commit fails, the room reloads and its version jumps past every version it may have pushed, and it pushes the
/// jump at once: everyone sees a gap and takes the whole view again. A room that loads jumps the same way, since the
/// instance before it (on a node that died) may have pushed votes it never committed.
/// The store's version guard keeps the database consistent if a commit fails: every later one then fails too.
/// </summary>
[Reentrant]
public sealed partial class RoomGrain : Grain, IRoomGrain
{
    /// <summary>The most changes pushed ahead of their commit at any time (past that, a vote waits for its commit).</summary>
    internal const int MaxEarly = 32;

    /// <summary>How far a room's version jumps when it loads: past any version an earlier instance pushed early, plus a gap.</summary>
    internal const int VersionJump = MaxEarly + 1;

    /// <summary>How long a room that could not be loaded answers <c>Unavailable</c> before a call tries to load it again.</summary>
    private static readonly TimeSpan ReloadDelay = TimeSpan.FromSeconds(1);

    /// <summary>Wrong passcodes in a row that cost nothing; each one after waits <see cref="PasscodeWait"/>.</summary>
    internal const int FreePasscodeAttempts = 5;

    /// <summary>The longest wait between two passcode attempts.</summary>
    internal static readonly TimeSpan MaxPasscodeWait = TimeSpan.FromMinutes(15);

    /// <summary>How long a room that saw a wrong passcode stays active (keeping its count) after the last one.</summary>
    private static readonly TimeSpan PasscodeMemory = TimeSpan.FromHours(1);

    private readonly IRoomStore _store;
    private readonly TimeProvider _time;
    private readonly RoomOptions _options;
    private readonly ILogger<RoomGrain> _logger;
    private readonly ObserverManager<IRoomObserver> _observers;
    private readonly Dictionary<string, int> _participantByTokenHash = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _tokenHashByParticipant = [];
    private readonly Dictionary<int, Guid> _accountByParticipant = [];
    private readonly Dictionary<int, HashSet<string>> _connections = [];
    private readonly Dictionary<int, DateTimeOffset> _awayAt = [];
    /// <summary>The connections held by a node of the cluster, by connection id: what a node's death takes away.</summary>
    private readonly Dictionary<string, LiveConnection> _onNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<SiloAddress, IRoomObserver> _observerOfNode = [];
    private readonly LocalRooms _localRooms;
    private readonly SiloAddress _silo;
    private readonly IClusterMembershipService _membership;
    private Room? _room;
    private string? _passcodeHash;
    private string? _facilitatorKey;
    private bool _facilitatorKeyStored;
    private string? _accountKey;
    private long _version;

    /// <summary>The highest version known committed.</summary>
    private long _committedVersion;

    /// <summary>The version the stored row will have once every queued change has committed: what the next one follows.</summary>
    private long _queuedVersion;

    /// <summary>
    /// The highest version broadcast before it was stored (a vote pushed early, a jump); a committed change never
    /// goes past the stored version, so only these can.
    /// </summary>
    private long _pushedVersion;

    /// <summary>The next change's version jumps by <see cref="VersionJump"/> (set when the room loads).</summary>
    private bool _jumpNext;
    private IGrainTimer? _alarm;
    private DateTimeOffset? _alarmAt;
    private Task _lastCommit = Task.CompletedTask;
    private Task _reload = Task.CompletedTask;
    private int _generation;
    private bool _broken;
    private DateTimeOffset _reloadAfter;
    private int _wrongPasscodes;
    private Guid? _teamId;
    private DateTimeOffset _nextPasscodeAttempt;

    /// <summary>Created by Orleans.</summary>
    public RoomGrain(
        IRoomStore store, TimeProvider time, IOptions<RoomOptions> options, LocalRooms localRooms, ILocalSiloDetails silo, IClusterMembershipService membership, ILogger<RoomGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(silo);
        _silo = silo.SiloAddress;
        _membership = membership;
        _store = store;
        _localRooms = localRooms;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _observers = new ObserverManager<IRoomObserver>(_options.SubscriptionLease, logger);
    }

    private string RoomId => this.GetPrimaryKeyString();

    /// <summary>The clock, to the microsecond: what PostgreSQL keeps, so that a reloaded room equals the live one.</summary>
    private DateTimeOffset Now
    {
        get
        {
            var now = _time.GetUtcNow();
            return now.AddTicks(-(now.Ticks % 10));
        }
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _localRooms.Add(RoomId);
        StoredRoom? stored;
        try
        {
            stored = await _store.LoadAsync(RoomId, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            // Not a fault of ours, and the store has logged the outage once: calls answer Unavailable, and a call
            // after ReloadDelay tries to load again (EnsureRoomAsync).
            Log.LoadUnavailable(_logger, RoomId);
            _broken = true;
            _reloadAfter = Now + ReloadDelay;
            return;
        }

        if (stored is null)
        {
            return;
        }

        Adopt(stored);

        // A room that comes back (after a deactivation, on another node) asks every node which of its connections are
        // live, and subscribes those nodes at once: connected people stay present, and the first change reaches them.
        // When other nodes live (Orleans' membership says so), the cluster lives on and the room has moved (its node
        // died or left, seconds ago: the time it took to declare it dead): the people no node holds a connection of
        // were on that node, and are away until they reconnect to another (they are shown back then). At once when
        // every live node answered; when some did not (the node directory died with the node and is filling again, a
        // node is slow), after Rooms:NodeAnswerTimeout, long enough for a surviving node to subscribe again with its
        // connections. Alone, the node may be restarting: the whole grace to come back.
        var answered = await LearnLiveConnectionsAsync();
        var others = _membership.CurrentSnapshot.Members
            .Where(m => m.Value.Status == SiloStatus.Active && !m.Key.Equals(_silo))
            .Select(m => m.Key)
            .ToList();
        var grace = GraceOnLoad(others, answered, _options);
        Log.RoomLoaded(_logger, RoomId, _version);
        if (_connections.Count > 0)
        {
            await PushJumpAsync(); // people still connected may have seen votes the room's last instance never committed
        }

        await SettlePresenceAsync(grace);
        ScheduleAlarm();
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _localRooms.Remove(RoomId);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Reply<Seat>> Create(CreateRoomRequest request) => CreateAs(request, null);

    /// <inheritdoc />
    public async Task<Reply<Seat>> CreateAs(CreateRoomRequest request, SeatHolder? holder)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_room is not null)
        {
            return Reply<Seat>.Fail(ErrorCodes.InternalError, "a room with that id exists already");
        }

        if (_broken)
        {
            return NotFound<Seat>();
        }

        if (request.Passcode is { } passcode && (passcode.Length < Limits.PasscodeMinLength || passcode.Length > Limits.PasscodeMaxLength))
        {
            return Reply<Seat>.Fail(ErrorCodes.ValidationFailed, "a passcode has 4 to 64 characters");
        }

        var deck = request.Deck.ToDomain();
        if (!deck.IsSuccess)
        {
            return Reply<Seat>.Fail(deck.Error!);
        }

        var created = Room.Create(RoomId, request.Name, deck.Value!, request.Settings.ToDomain(), request.DisplayName, Now);
        if (!created.IsSuccess)
        {
            return Reply<Seat>.Fail(created.Error!);
        }

        var room = created.Value!;
        var facilitator = room.Participants[0].Id;
        var accountKey = holder is null ? null : Secrets.NewToken();
        var token = holder is null ? Secrets.NewToken() : Secrets.AccountToken(accountKey!, holder.AccountId, facilitator);
        var passcodeHash = request.Passcode is null ? null : Secrets.HashPasscode(request.Passcode);
        var tokenHash = Secrets.HashToken(token);
        var facilitatorKey = Secrets.NewToken();
        Dictionary<int, Guid> accounts = holder is null ? [] : new() { [facilitator] = holder.AccountId };
        try
        {
            var secrets = new RoomSecrets(passcodeHash, new Dictionary<int, string> { [facilitator] = tokenHash }, facilitatorKey, accountKey, accounts);
            await _store.CreateAsync(new StoredRoom(room.ToSnapshot(), secrets, 0));
        }
        catch (StorageUnavailableException ex)
        {
            // Nobody has the token: a room stored all the same is never entered.
            Log.CommitUnavailable(_logger, RoomId, ex.OutcomeUnknown);
            return Reply<Seat>.Fail(ErrorCodes.Unavailable, "the room could not be saved; try again");
        }

        _room = room;
        _passcodeHash = passcodeHash;
        _facilitatorKey = facilitatorKey;
        _facilitatorKeyStored = true;
        _accountKey = accountKey;
        RememberToken(facilitator, tokenHash);
        if (holder is not null)
        {
            _accountByParticipant[facilitator] = holder.AccountId;
        }

        Log.RoomCreated(_logger, RoomId);
        return new Seat(RoomId, facilitator, token);
    }

    /// <inheritdoc />
    public async Task<Reply<RoomInfoDto>> GetInfo()
    {
        await WhenCommittedAsync();
        return !await EnsureRoomAsync()
            ? NotFound<RoomInfoDto>()
            : new RoomInfoDto(RoomId, _room!.Name, _room.Deck.ToDto(), _passcodeHash is not null, _room.IsLocked);
    }

    /// <inheritdoc />
    public Task<Reply<Seat>> Join(JoinRoomRequest request) => JoinAs(request, null);

    /// <inheritdoc />
    public async Task<Reply<Seat>> JoinAs(JoinRoomRequest request, SeatHolder? holder)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await EnsureRoomAsync())
        {
            return NotFound<Seat>();
        }

        if (holder is not null && _accountKey is not null)
        {
            foreach (var (seat, account) in _accountByParticipant)
            {
                if (account == holder.AccountId && _room!.FindParticipant(seat) is { } seated)
                {
                    // Already seated: the same seat, from this browser too, under the name they chose if they chose one.
                    if (holder.NameChosen && await ExecuteAndCommitAsync(new Rename(seated.Id, request.DisplayName)) is { IsSuccess: false } renameRefused)
                    {
                        return Reply<Seat>.From(renameRefused);
                    }

                    return new Seat(RoomId, seat, Secrets.AccountToken(_accountKey, account, seat));
                }
            }
        }

        // The facilitator link opens a facilitator's seat, past the passcode and the lock; a wrong key opens nothing.
        // So does being a facilitator of the room's team.
        if (request.FacilitatorKey is not null && !Secrets.KeyMatches(request.FacilitatorKey, _facilitatorKey))
        {
            return WrongFacilitatorKey<Seat>();
        }

        var withKey = request.FacilitatorKey is not null || holder?.Facilitates == true;
        if (!withKey && _room!.IsLocked)
        {
            // Before the passcode, and not a guess: a locked room answers a right and a wrong passcode alike.
            return Reply<Seat>.Fail(ErrorCodes.RoomLocked, "the room is locked: ask a facilitator to unlock it");
        }

        if (!withKey && _passcodeHash is not null && CheckPasscode(request.Passcode) is { } refused)
        {
            return refused;
        }

        var role = withKey ? Role.Facilitator : (Role)request.Role;
        var outcome = _room!.Execute(new Join(request.DisplayName, role, withKey), Now);

        // A signed-in person did not type their name: when it is taken, the next free "Name 2", "Name 3"… is theirs.
        for (var n = 2; holder is { NameChosen: false } && outcome.Error?.Code == RoomErrorCode.NameTaken && n <= 9; n++)
        {
            outcome = _room.Execute(new Join(Numbered(request.DisplayName, n), role, withKey), Now);
        }

        if (!outcome.IsSuccess)
        {
            return Reply<Seat>.Fail(outcome.Error!);
        }

        var participantId = outcome.Events.OfType<ParticipantJoined>().Single().Participant.Id;
        string token;
        if (holder is null)
        {
            token = Secrets.NewToken();
        }
        else
        {
            _accountKey ??= Secrets.NewToken(); // stored by this join's commit, with the seat
            _accountByParticipant[participantId] = holder.AccountId;
            token = Secrets.AccountToken(_accountKey, holder.AccountId, participantId);
        }

        RememberToken(participantId, Secrets.HashToken(token));
        var committed = await CommitAsync(outcome.Events);
        return committed.IsSuccess ? new Seat(RoomId, participantId, token) : Reply<Seat>.From(committed);
    }

    private static string Numbered(string? name, int n)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        var stem = trimmed.Length > Limits.DisplayNameLength - 2 ? trimmed[..(Limits.DisplayNameLength - 2)] : trimmed;
        return string.Create(CultureInfo.InvariantCulture, $"{stem} {n}");
    }

    /// <summary>
    /// Null for the right passcode (which forgets earlier wrong ones), else the refusal. Wrong passcodes are counted per
    /// room: after <see cref="FreePasscodeAttempts"/> in a row, the next attempt must wait 1 s, then 2 s, 4 s… up to
    /// <see cref="MaxPasscodeWait"/>, and one made sooner is refused unchecked (and not counted).
    /// </summary>
    private Reply<Seat>? CheckPasscode(string? passcode)
    {
        var now = _time.GetUtcNow();
        if (now < _nextPasscodeAttempt)
        {
            var wait = _nextPasscodeAttempt - now;
            return new Reply<Seat>(default, ErrorCodes.TooManyPasscodeAttempts, $"too many wrong passcodes for this room: try again in {Describe(wait)}") { RetryAfter = wait };
        }

        if (Secrets.VerifyPasscode(passcode, _passcodeHash!))
        {
            _wrongPasscodes = 0;
            return null;
        }

        _wrongPasscodes++;
        DelayDeactivation(PasscodeMemory);
        var next = PasscodeWait(_wrongPasscodes);
        if (next == TimeSpan.Zero)
        {
            return Reply<Seat>.Fail(ErrorCodes.WrongPasscode, "the passcode is wrong");
        }

        _nextPasscodeAttempt = now + next;
        Log.PasscodeBackOff(_logger, RoomId, _wrongPasscodes, next);
        return Reply<Seat>.Fail(ErrorCodes.WrongPasscode, $"the passcode is wrong; after {_wrongPasscodes} wrong passcodes in a row, the next try waits {Describe(next)}");
    }

    /// <summary>The wait after <paramref name="wrong"/> wrong passcodes in a row: none for the free ones, then 1 s doubling up to the cap.</summary>
    internal static TimeSpan PasscodeWait(int wrong) =>
        wrong < FreePasscodeAttempts ? TimeSpan.Zero
        : wrong - FreePasscodeAttempts >= 10 ? MaxPasscodeWait
        : TimeSpan.FromSeconds(Math.Min(1 << (wrong - FreePasscodeAttempts), MaxPasscodeWait.TotalSeconds));

    private static string Describe(TimeSpan wait) =>
        wait < TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(wait.TotalSeconds):0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(wait.TotalMinutes):0} min");

    /// <inheritdoc />
    public async Task<Reply<int>> Authenticate(string token)
    {
        if (!await EnsureRoomAsync())
        {
            return NotFound<int>();
        }

        return token is { Length: > 0 and <= 256 } && _participantByTokenHash.TryGetValue(Secrets.HashToken(token), out var id) && _room!.FindParticipant(id) is not null
            ? id
            : Reply<int>.Fail(ErrorCodes.InvalidToken, "this token opens no seat in the room");
    }

    /// <inheritdoc />
    public async Task<Reply<RoomViewDto>> Connect(int participantId, string connectionId, SiloAddress? node)
    {
        if (!await EnsureRoomAsync())
        {
            return NotFound<RoomViewDto>();
        }

        if (_room!.FindParticipant(participantId) is not { } participant)
        {
            return Reply<RoomViewDto>.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
        }

        AddConnection(new LiveConnection(participantId, connectionId, node));
        _awayAt.Remove(participantId);
        if (!participant.IsPresent)
        {
            var committed = await ExecuteAndCommitAsync(new Connect(participantId));
            if (!committed.IsSuccess)
            {
                return Reply<RoomViewDto>.From(committed);
            }
        }

        ScheduleAlarm();
        await WhenCommittedAsync();
        return _room is null ? NotFound<RoomViewDto>() : ViewOf(participantId);
    }

    /// <inheritdoc />
    public Task ConnectionClosed(int participantId, string connectionId, bool closedCleanly)
    {
        // A tab closed on purpose shows its owner away soon; a dropped connection gets the whole grace to come back.
        EndConnection(participantId, connectionId, closedCleanly ? _options.ClosedConnectionGracePeriod : _options.PresenceGracePeriod);
        return Task.CompletedTask;
    }

    private void EndConnection(int participantId, string connectionId, TimeSpan grace)
    {
        _onNodes.Remove(connectionId);
        if (_connections.TryGetValue(participantId, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
        {
            _connections.Remove(participantId);
            _awayAt[participantId] = Now + grace;
            ScheduleAlarm();
        }
    }

    /// <inheritdoc />
    public Task<Reply> Execute(Immutable<RoomCommand> command) => Execute(command.Value, null);

    private async Task<Reply> Execute(RoomCommand command, Action<IReadOnlyList<RoomEvent>>? applied)
    {
        if (!await EnsureRoomAsync())
        {
            return PokerMetrics.Executed(command, NotFound<bool>(), null);
        }

        if (command is Domain.Join or Domain.Connect or Disconnect or TimeUp or Domain.ClaimFacilitator or Anonymise or RecordWriteBack)
        {
            // Seats come with tokens (Join), presence from connections, time from the clock, the facilitator role from
            // a facilitator or the key (ClaimFacilitator below): never from a caller's say-so.
            return PokerMetrics.Executed(command, Reply.Fail(ErrorCodes.ValidationFailed, "this command is the server's own"), null);
        }

        if (command is ParticipantCommand { Actor: var actor } && _room!.FindParticipant(actor) is null)
        {
            // The caller's own seat is gone (kicked, or left on another connection): its token opens nothing now.
            return PokerMetrics.Executed(command, Reply.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room"), null);
        }

        var reply = await ExecuteAndCommitAsync(command, applied);
        ScheduleAlarm();
        return reply;
    }

    /// <inheritdoc />
    public async Task<Reply> ReportWriteBack(Immutable<RecordWriteBack> report)
    {
        if (!await EnsureRoomAsync())
        {
            return NotFound<bool>();
        }

        var reply = await ExecuteAndCommitAsync(report.Value);
        ScheduleAlarm();
        return reply;
    }

    /// <inheritdoc />
    public async Task<Reply<ImportReportDto>> Import(Immutable<ImportStories> command)
    {
        IReadOnlyList<RoomEvent> events = [];
        var reply = await Execute(command.Value, e => events = e);
        if (!reply.IsSuccess)
        {
            return Reply<ImportReportDto>.From(reply);
        }

        var added = events.OfType<StoriesAdded>().Sum(a => a.Stories.Count);
        var updated = events.OfType<StoryEdited>().Count();
        return new ImportReportDto(added, updated, command.Value.Stories.Count - added - updated);
    }

    /// <inheritdoc />
    public async Task<Reply<RoomViewDto>> GetView(int participantId)
    {
        await WhenCommittedAsync();
        return !await EnsureRoomAsync() ? NotFound<RoomViewDto>() : ViewOf(participantId);
    }

    /// <inheritdoc />
    public async Task<Reply<string>> GetFacilitatorKey(int participantId)
    {
        await WhenCommittedAsync();
        if (!await EnsureRoomAsync())
        {
            return NotFound<string>();
        }

        if (_room!.FindParticipant(participantId)?.Role != Role.Facilitator)
        {
            return Reply<string>.Fail(ErrorCodes.NotFacilitator, "only a facilitator may see the facilitator link");
        }

        if (!_facilitatorKeyStored)
        {
            // A room stored before keys existed got one in memory: store it before anyone shares it.
            var saved = await CommitAsync([]);
            if (!saved.IsSuccess)
            {
                return Reply<string>.From(saved);
            }
        }

        return _facilitatorKey!;
    }

    /// <inheritdoc />
    public async Task<Reply<string>> RenewFacilitatorKey(int participantId)
    {
        if (!await EnsureRoomAsync())
        {
            return NotFound<string>();
        }

        if (_room!.FindParticipant(participantId)?.Role != Role.Facilitator)
        {
            return Reply<string>.Fail(ErrorCodes.NotFacilitator, "only a facilitator may renew the facilitator link");
        }

        var key = Secrets.NewToken();
        _facilitatorKey = key;
        var saved = await CommitAsync([]);
        return saved.IsSuccess ? key : Reply<string>.From(saved);
    }

    /// <inheritdoc />
    public async Task<Reply> ClaimFacilitator(int participantId, string key)
    {
        if (!await EnsureRoomAsync())
        {
            return NotFound<bool>();
        }

        if (_room!.FindParticipant(participantId) is null)
        {
            return Reply.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
        }

        if (!Secrets.KeyMatches(key, _facilitatorKey))
        {
            return WrongFacilitatorKey<bool>();
        }

        return await ExecuteAndCommitAsync(new ClaimFacilitator(participantId));
    }

    /// <inheritdoc />
    public async Task<Reply<StoryDetailsDto>> GetStory(int participantId, int storyId)
    {
        await WhenCommittedAsync();
        if (!await EnsureRoomAsync())
        {
            return NotFound<StoryDetailsDto>();
        }

        if (_room!.FindParticipant(participantId) is null)
        {
            return Reply<StoryDetailsDto>.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
        }

        return _room.FindStory(storyId) is { } story ? story.ToDetailsDto() : Reply<StoryDetailsDto>.Fail(ErrorCodes.StoryNotFound, $"story {storyId} is not in the backlog");
    }

    /// <inheritdoc />
    public async Task<Reply<StoryHistoryDto>> GetHistory(int participantId, int? storyId)
    {
        await WhenCommittedAsync();
        if (!await EnsureRoomAsync())
        {
            return NotFound<StoryHistoryDto>();
        }

        if (_room!.FindParticipant(participantId) is null)
        {
            return Reply<StoryHistoryDto>.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
        }

        var (stored, failure) = await StoredRoundsAsync(_room.HoldsAllRoundsOf(storyId) ? [] : [storyId]);
        if (failure is not null)
        {
            return Reply<StoryHistoryDto>.From(failure);
        }

        var history = _room!.HistoryOf(storyId, stored);
        return history.IsSuccess ? history.Value!.ToDto() : Reply<StoryHistoryDto>.Fail(history.Error!);
    }

    /// <inheritdoc />
    public async Task<Guid?> GetTeam() => await EnsureRoomAsync() ? _teamId : null;

    /// <inheritdoc />
    public async Task<Guid?> GetSeatAccount(int participantId) =>
        await EnsureRoomAsync() && _accountByParticipant.TryGetValue(participantId, out var account) ? account : null;

    /// <inheritdoc />
    public Task SetTeam(Guid teamId)
    {
        _teamId = teamId;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<Reply<int>> ForgetAccount(Guid account, IReadOnlyList<int> formerSeats, string name)
    {
        ArgumentNullException.ThrowIfNull(formerSeats);
        if (!await EnsureRoomAsync())
        {
            return NotFound<int>();
        }

        var seats = _accountByParticipant.Where(s => s.Value == account).Select(s => s.Key).Concat(formerSeats).Distinct().ToList();
        var events = new List<RoomEvent>();
        foreach (var seat in seats)
        {
            _accountByParticipant.Remove(seat);
            if (_room!.Execute(new Anonymise(seat, name), Now) is { IsSuccess: true } outcome)
            {
                events.AddRange(outcome.Events);
            }
        }

        if (events.Count == 0)
        {
            return 0;
        }

        var committed = await CommitAsync(events);
        return committed.IsSuccess ? events.OfType<ParticipantAnonymised>().Count() : Reply<int>.From(committed);
    }

    /// <inheritdoc />
    public async Task<Reply<RoomSummaryDto>> GetSummary(int participantId)
    {
        await WhenCommittedAsync();
        if (!await EnsureRoomAsync())
        {
            return NotFound<RoomSummaryDto>();
        }

        if (_room!.FindParticipant(participantId)?.Role != Role.Facilitator)
        {
            return Reply<RoomSummaryDto>.Fail(ErrorCodes.NotFacilitator, "only a facilitator may read the summary");
        }

        var (stored, failure) = await StoredRoundsAsync(_room.StoriesWithForgottenRounds);
        if (failure is not null)
        {
            return Reply<RoomSummaryDto>.From(failure);
        }

        var room = _room!;
        var stories = room.Stories.Select(s => new StorySummaryDto(
            s.Id, s.Title, s.ExternalKey, s.Url, (Contracts.StoryState)s.State, s.FinalEstimate.ToDto(),
            [.. room.HistoryOf(s.Id, stored).Value!.Rounds.Select(Wire.ToDto)], s.WriteBack.ToDto())).ToArray();
        var quick = room.HistoryOf(null, stored).Value!.Rounds.Select(Wire.ToDto).ToArray();
        return new RoomSummaryDto(RoomId, room.Name, room.Deck.ToDto(), stories, quick, room.EstimatedTotal);
    }

    /// <inheritdoc />
    public async Task Subscribe(IRoomObserver observer, SiloAddress? node, IReadOnlyList<LiveConnection> connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        _observers.Subscribe(observer, observer);
        if (node is not null)
        {
            _observerOfNode[node] = observer;
        }

        if (connections.Count == 0 || !await EnsureRoomAsync())
        {
            return;
        }

        // Connections this room did not know (it has just moved here): their owners are present.
        var arrived = new List<int>();
        foreach (var c in connections)
        {
            if (_room!.FindParticipant(c.ParticipantId) is not { } participant)
            {
                continue;
            }

            AddConnection(c);
            if (_awayAt.Remove(c.ParticipantId) || !participant.IsPresent)
            {
                arrived.Add(c.ParticipantId);
            }
        }

        foreach (var id in arrived.Distinct())
        {
            if (_room?.FindParticipant(id) is { IsPresent: false })
            {
                await ExecuteAndCommitAsync(new Connect(id));
            }
        }

        ScheduleAlarm();
    }

    /// <inheritdoc />
    public Task NodeLost(SiloAddress node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_observerOfNode.Remove(node, out var observer))
        {
            _observers.Unsubscribe(observer);
        }

        var lost = _onNodes.Values.Where(c => node.Equals(c.Node)).ToList();
        if (lost.Count > 0)
        {
            Log.NodeLost(_logger, RoomId, node.ToString(), lost.Count);
        }

        foreach (var c in lost)
        {
            // Gone with its node, seconds ago (the time it took to declare it dead): a client still alive has
            // reconnected to another node by now. Whoever has no other connection is away at once.
            EndConnection(c.ParticipantId, c.ConnectionId, TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    private void AddConnection(LiveConnection c)
    {
        if (!_connections.TryGetValue(c.ParticipantId, out var set))
        {
            _connections[c.ParticipantId] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(c.ConnectionId);
        if (c.Node is not null)
        {
            _onNodes[c.ConnectionId] = c;
        }
    }

    /// <inheritdoc />
    public Task Unsubscribe(IRoomObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private async Task<Reply> ExecuteAndCommitAsync(RoomCommand command, Action<IReadOnlyList<RoomEvent>>? applied = null)
    {
        using var activity = PokerTracing.StartCommand(command); // null unless traces are exported
        if (_room is null)
        {
            return PokerMetrics.Executed(command, NotFound<bool>(), activity);
        }

        var outcome = _room.Execute(command, Now);
        if (!outcome.IsSuccess)
        {
            Log.CommandRefused(_logger, RoomId, command.GetType().Name, (command as ParticipantCommand)?.Actor, outcome.Error!.Code, _version, _room.CurrentRound?.Id, _room.State);
            return PokerMetrics.Executed(command, Reply.Fail(outcome.Error!), activity);
        }

        applied?.Invoke(outcome.Events);
        return PokerMetrics.Executed(command, outcome.Events.Count == 0 ? Reply.Ok : await CommitAsync(outcome.Events), activity);
    }

    /// <summary>
    /// Queues a change for commit, then, once it has committed, broadcasts it. Nothing awaits between the Domain
    /// applying the change and the store reading it, so the rows written are the change's own.
    /// </summary>
    private async Task<Reply> CommitAsync(IReadOnlyList<RoomEvent> events)
    {
        foreach (var left in events.OfType<ParticipantLeft>())
        {
            ForgetParticipant(left.ParticipantId);
        }

        var after = _queuedVersion;
        var jumped = _jumpNext;
        if (jumped)
        {
            _jumpNext = false;
            _version += VersionJump;
        }

        var version = ++_version;
        _queuedVersion = version;
        var generation = _generation;

        // Shaped now: by the time this change has committed, later ones may have changed the room.
        var broadcast = events.ToBroadcast(_room!, version);
        if (jumped)
        {
            broadcast = broadcast with { Jump = true };
        }

        Task save;
        var started = Stopwatch.GetTimestamp();
        try
        {
            save = _store.SaveAsync(_room!, events, CurrentSecrets(), version, after: after);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            save = Task.FromException(ex);
        }

        _lastCommit = save;
        if (events.Any(e => e is RoundStarted or RoundClosed or EstimateAccepted))
        {
            _room!.ForgetFinishedRounds(); // storage has read them: a finished round's detail lives there, not in memory
        }

        var early = IsEarly(events) && version - _committedVersion <= MaxEarly;
        if (early)
        {
            _pushedVersion = version;
            await _observers.Notify(o => o.OnRoomChanged(broadcast)); // one-way calls: no wait for the nodes
        }

        try
        {
            await save;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            PokerMetrics.Committed(started, succeeded: false);

            // The Domain already applied the change in memory but it is not durable: reload the room from the store,
            // in this activation, so that it keeps its live connections and its nodes' subscriptions. Changes applied
            // after this one fail too (the store's version guard) and wait for the same reload.
            var unknown = ex is StorageUnavailableException { OutcomeUnknown: true };
            if (generation == _generation)
            {
                if (ex is StorageUnavailableException)
                {
                    Log.CommitUnavailable(_logger, RoomId, unknown); // the database's trouble, logged once by the store
                }
                else
                {
                    Log.CommitFailed(_logger, ex, RoomId);
                }

                _generation++;
                _room = null;
                _broken = true;
                _reload = ReloadAsync();
            }

            await _reload.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            return Reply.Fail(
                ErrorCodes.Unavailable,
                unknown ? "the change may or may not have been saved; reload the room before trying again" : "the change could not be saved; try again");
        }

        PokerMetrics.Committed(started, succeeded: true);
        _committedVersion = Math.Max(_committedVersion, version);
        _facilitatorKeyStored = true; // every commit writes the room's row, key included
        if (!early)
        {
            await _observers.Notify(o => o.OnRoomChanged(broadcast)); // one-way calls: no wait for the nodes
        }

        return Reply.Ok;
    }

    /// <summary>
    /// Whether a change may be pushed before its commit: votes alone, cast or withdrawn, whose public copy shows who
    /// voted and no card. A change that reveals (the last vote with auto-reveal) or does anything else waits.
    /// </summary>
    internal static bool IsEarly(IReadOnlyList<RoomEvent> events) =>
        events.Count > 0 && events.All(e => e is VoteCast or VoteWithdrawn);

    /// <summary>
    /// Makes the version jump of a room that has just loaded now, and pushes it, with no change in it, to the nodes that
    /// hold its connections: they may have seen versions an earlier instance pushed and never committed (after a failed
    /// commit, or from a node that died), and the gap makes every client take the whole view again, which is the stored
    /// room. Nothing is written: the next change follows the stored version (<see cref="_queuedVersion"/>), so this works
    /// while the database is down too.
    /// </summary>
    private async Task PushJumpAsync()
    {
        if (!_jumpNext || _room is null)
        {
            return;
        }

        _jumpNext = false;
        _version += VersionJump;
        _pushedVersion = _version;
        var jump = new RoomBroadcast(RoomId, new RoomChangedDto(_version, []), [], Jump: true);
        await _observers.Notify(o => o.OnRoomChanged(jump));
    }

    /// <summary>
    /// The stored rounds of stories whose finished rounds the room forgot (none asked: none read), or why there are none:
    /// the database could not answer, or the room failed a commit meanwhile and is reloading.
    /// </summary>
    private async Task<(IReadOnlyList<RoundSnapshot>? Rounds, Reply? Failure)> StoredRoundsAsync(IReadOnlyCollection<int?> stories)
    {
        if (stories.Count == 0)
        {
            return (null, null);
        }

        IReadOnlyList<RoundSnapshot> rounds;
        try
        {
            rounds = await _store.LoadRoundsAsync(RoomId, stories);
        }
        catch (StorageUnavailableException)
        {
            return (null, Reply.Fail(ErrorCodes.Unavailable, "the room's history could not be read; try again"));
        }

        return _room is null ? (null, NotFound<bool>()) : (rounds, null);
    }

    /// <summary>Waits until every change applied so far has committed (or failed), so that a read shows only durable state.</summary>
    private async Task WhenCommittedAsync()
    {
        while (!_lastCommit.IsCompleted)
        {
            // Stay on the grain's scheduler; a failed commit was already answered to its caller.
            await _lastCommit.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    private Reply<RoomViewDto> ViewOf(int participantId)
    {
        var view = _room!.ViewFor(participantId);
        return view.IsSuccess
            ? view.Value!.ToDto(_passcodeHash is not null, _version)
            : Reply<RoomViewDto>.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
    }

    /// <summary>Takes the room as stored; keeps what the store does not know (connections, subscriptions, away timers).</summary>
    private void Adopt(StoredRoom stored)
    {
        _teamId = stored.TeamId;
        _room = Room.FromSnapshot(stored.Snapshot);
        _room.ForgetFinishedRounds();
        _version = stored.Version;
        _committedVersion = stored.Version;
        _queuedVersion = stored.Version;
        _jumpNext = true;
        _passcodeHash = stored.Secrets.PasscodeHash;
        _facilitatorKey = stored.Secrets.FacilitatorKey ?? Secrets.NewToken();
        _facilitatorKeyStored = stored.Secrets.FacilitatorKey is not null;
        _participantByTokenHash.Clear();
        _tokenHashByParticipant.Clear();
        foreach (var (participantId, hash) in stored.Secrets.TokenHashes)
        {
            RememberToken(participantId, hash);
        }

        _accountKey = stored.Secrets.AccountKey;
        _accountByParticipant.Clear();
        foreach (var (participantId, account) in stored.Secrets.Accounts ?? new Dictionary<int, Guid>())
        {
            _accountByParticipant[participantId] = account;
        }

        foreach (var id in _connections.Keys.Concat(_awayAt.Keys).Where(id => _room.FindParticipant(id) is null).ToArray())
        {
            _connections.Remove(id);
            _awayAt.Remove(id);
        }

        _broken = false;
    }

    /// <summary>
    /// Makes stored presence agree with the live connections: someone connected is present; someone present with no
    /// connection gets the grace period to come back.
    /// </summary>
    private async Task SettlePresenceAsync(TimeSpan grace)
    {
        var now = Now;
        var arrived = new List<int>();
        foreach (var p in _room!.Participants)
        {
            if (_connections.ContainsKey(p.Id))
            {
                _awayAt.Remove(p.Id);
                if (!p.IsPresent)
                {
                    arrived.Add(p.Id);
                }
            }
            else if (p.IsPresent && !_awayAt.ContainsKey(p.Id))
            {
                _awayAt[p.Id] = now + grace;
            }
        }

        foreach (var id in arrived)
        {
            await ExecuteAndCommitAsync(new Connect(id));
        }
    }

    /// <summary>
    /// How long the people of a room that has just loaded, whose connection no node told of, still count as present:
    /// the whole <see cref="RoomOptions.PresenceGracePeriod"/> when this node is alone (it may be restarting, and they
    /// reconnecting); none when other nodes live and each of them answered (the room moved, and they were on the node
    /// that died); <see cref="RoomOptions.NodeAnswerTimeout"/> when some live node did not answer yet (the node
    /// directory may be filling again after a death), so that its connections can still be told.
    /// </summary>
    /// <param name="liveOthers">The other nodes Orleans' membership says are active.</param>
    /// <param name="answered">The other nodes that said which connections they hold.</param>
    /// <param name="options">The room options.</param>
    internal static TimeSpan GraceOnLoad(IReadOnlyCollection<SiloAddress> liveOthers, IReadOnlySet<SiloAddress> answered, RoomOptions options) =>
        liveOthers.Count == 0 && answered.Count == 0 ? options.PresenceGracePeriod
        : liveOthers.All(answered.Contains) ? TimeSpan.Zero
        : options.NodeAnswerTimeout;

    /// <summary>
    /// Asks every node which connections it holds in this room, and subscribes the nodes that hold some. Returns the
    /// nodes other than this one that answered.
    /// </summary>
    private async Task<HashSet<SiloAddress>> LearnLiveConnectionsAsync()
    {
        IReadOnlyList<NodeEntry> nodes;
        try
        {
            nodes = await GrainFactory.GetGrain<INodeDirectoryGrain>(NodeDirectoryGrain.Key).GetNodes();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.NodesUnknown(_logger, ex, RoomId);
            return [];
        }

        var answers = await Task.WhenAll(nodes.Select(AskAsync));
        foreach (var (entry, connections, _) in answers)
        {
            if (connections.Count == 0)
            {
                continue;
            }

            _observers.Subscribe(entry.Observer, entry.Observer);
            if (entry.Node is not null)
            {
                _observerOfNode[entry.Node] = entry.Observer;
            }

            foreach (var c in connections)
            {
                AddConnection(c);
            }
        }

        return [.. answers.Where(a => a.Answered && a.Entry.Node is not null && !a.Entry.Node.Equals(_silo)).Select(a => a.Entry.Node!)];

        async Task<(NodeEntry Entry, IReadOnlyList<LiveConnection> Connections, bool Answered)> AskAsync(NodeEntry entry)
        {
            try
            {
                // A node that died without leaving the directory must not hold the room up for long.
                return (entry, await entry.Observer.ConnectionsIn(RoomId).WaitAsync(_options.NodeAnswerTimeout), true);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.NodeDidNotAnswer(_logger, ex, RoomId);
                return (entry, [], false);
            }
        }
    }

    /// <summary>Loads the room again after a failed commit; on failure it stays unloaded and the next call tries again.</summary>
    private async Task ReloadAsync()
    {
        try
        {
            var stored = await _store.LoadAsync(RoomId);
            if (stored is null)
            {
                return;
            }

            var pushed = _pushedVersion;
            Adopt(stored);
            Log.RoomReloaded(_logger, RoomId, _version);
            if (pushed > _version)
            {
                await PushJumpAsync(); // a vote everyone saw did not commit: they take the view again now
            }

            await SettlePresenceAsync(_options.PresenceGracePeriod);
            ScheduleAlarm();
        }
        catch (StorageUnavailableException)
        {
            Log.LoadUnavailable(_logger, RoomId);
            _reloadAfter = Now + ReloadDelay;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ReloadFailed(_logger, ex, RoomId);
            _reloadAfter = Now + ReloadDelay;
        }
    }

    /// <summary>True when the room is loaded; after a failed commit or load, first tries to load it again.</summary>
    private async Task<bool> EnsureRoomAsync()
    {
        if (_room is null && _broken)
        {
            if (_reload.IsCompleted)
            {
                if (Now < _reloadAfter)
                {
                    return false; // the database was unavailable a moment ago: answer Unavailable without asking it again
                }

                _reload = ReloadAsync();
            }

            await _reload.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        return _room is not null;
    }

    private RoomSecrets CurrentSecrets() => new(_passcodeHash, _tokenHashByParticipant, _facilitatorKey, _accountKey, _accountByParticipant);

    private static Reply<T> WrongFacilitatorKey<T>() =>
        Reply<T>.Fail(ErrorCodes.WrongFacilitatorKey, "this facilitator link is not the room's (it may have been renewed)");

    private void RememberToken(int participantId, string hash)
    {
        _participantByTokenHash[hash] = participantId;
        _tokenHashByParticipant[participantId] = hash;
    }

    private void ForgetParticipant(int participantId)
    {
        if (_tokenHashByParticipant.Remove(participantId, out var hash))
        {
            _participantByTokenHash.Remove(hash);
        }

        _accountByParticipant.Remove(participantId);

        _connections.Remove(participantId);
        _awayAt.Remove(participantId);
    }

    /// <summary>One grain timer serves the countdown and the presence grace periods: it fires at the earliest of them.</summary>
    private void ScheduleAlarm()
    {
        var due = _room?.Timer?.EndsAt;
        foreach (var end in _awayAt.Values)
        {
            if (due is null || end < due)
            {
                due = end;
            }
        }

        if (due == _alarmAt)
        {
            return;
        }

        _alarm?.Dispose();
        _alarm = null;
        _alarmAt = due;
        if (due is { } at)
        {
            var delay = at - Now;
            _alarm = this.RegisterGrainTimer(OnAlarmAsync, new GrainTimerCreationOptions
            {
                DueTime = delay < TimeSpan.Zero ? TimeSpan.Zero : delay,
                Period = Timeout.InfiniteTimeSpan,
                KeepAlive = true,
            });
        }
    }

    private async Task OnAlarmAsync(CancellationToken cancellationToken)
    {
        _alarmAt = null;
        _alarm?.Dispose();
        _alarm = null;
        if (_room is null)
        {
            return;
        }

        var now = Now;
        if (_room.Timer is { } timer && timer.EndsAt <= now)
        {
            await ExecuteAndCommitAsync(new TimeUp());
        }

        foreach (var (participantId, at) in _awayAt.ToArray())
        {
            if (_room is not null && at <= now)
            {
                _awayAt.Remove(participantId);
                if (_room.FindParticipant(participantId) is { IsPresent: true })
                {
                    await ExecuteAndCommitAsync(new Disconnect(participantId));
                }
            }
        }

        ScheduleAlarm();
    }

    private Reply<T> NotFound<T>()
    {
        if (_broken)
        {
            return Reply<T>.Fail(ErrorCodes.Unavailable, "the room is reloading; try again");
        }

        // No such room: keep no activation for it, so that lookups of random ids hold no memory (the edges remember
        // recent misses, RoomMisses). Not in OnActivateAsync: a room being created starts from no stored room too.
        DeactivateOnIdle();
        return Reply<T>.Fail(ErrorCodes.RoomNotFound, "there is no such room");
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "Room {RoomId} created")]
        public static partial void RoomCreated(ILogger logger, string roomId);

        [LoggerMessage(1101, LogLevel.Debug, "Room {RoomId} loaded at version {Version}")]
        public static partial void RoomLoaded(ILogger logger, string roomId, long version);

        [LoggerMessage(1102, LogLevel.Debug, "Room {RoomId} refused {Command} of {Actor}: {Code} (version {Version}, round {RoundId}, {State})")]
        public static partial void CommandRefused(ILogger logger, string roomId, string command, int? actor, RoomErrorCode code, long version, int? roundId, Domain.RoomState state);

        [LoggerMessage(1103, LogLevel.Error, "Room {RoomId} could not commit a change; it reloads from the store")]
        public static partial void CommitFailed(ILogger logger, Exception exception, string roomId);

        [LoggerMessage(1104, LogLevel.Debug, "Room {RoomId} could not be loaded: the database is unavailable; calls answer Unavailable")]
        public static partial void LoadUnavailable(ILogger logger, string roomId);

        [LoggerMessage(1105, LogLevel.Debug, "Room {RoomId} could not commit a change: the database is unavailable (outcome unknown: {OutcomeUnknown}); it reloads")]
        public static partial void CommitUnavailable(ILogger logger, string roomId, bool outcomeUnknown);

        [LoggerMessage(1106, LogLevel.Information, "Room {RoomId} reloaded at version {Version}")]
        public static partial void RoomReloaded(ILogger logger, string roomId, long version);

        [LoggerMessage(1107, LogLevel.Error, "Room {RoomId} could not be reloaded; the next call tries again")]
        public static partial void ReloadFailed(ILogger logger, Exception exception, string roomId);

        [LoggerMessage(1108, LogLevel.Warning, "Room {RoomId} could not read the node directory; nodes subscribe again on their next renewal")]
        public static partial void NodesUnknown(ILogger logger, Exception exception, string roomId);

        [LoggerMessage(1109, LogLevel.Warning, "Room {RoomId}: a node did not say which connections it holds")]
        public static partial void NodeDidNotAnswer(ILogger logger, Exception exception, string roomId);

        [LoggerMessage(1115, LogLevel.Warning, "Room {RoomId}: node {Node} died with {Connections} of its connections")]
        public static partial void NodeLost(ILogger logger, string roomId, string node, int connections);

        [LoggerMessage(1110, LogLevel.Warning, "Room {RoomId} saw {WrongPasscodes} wrong passcodes in a row: the next attempt waits {Wait}")]
        public static partial void PasscodeBackOff(ILogger logger, string roomId, int wrongPasscodes, TimeSpan wait);
    }
}
