using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Utilities;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Storage;
using Role = PlanningPoker.Domain.Role;

namespace PlanningPoker.Server.Rooms;

/// <summary>
/// The live room (see <see cref="IRoomGrain"/>). Calls interleave only at their awaits, and every Domain command
/// runs synchronously between two awaits, so the Domain needs no locks. Commits are pipelined: a command is
/// applied and queued for commit at once, so that the next one can be applied while it commits (a round's votes
/// share one group commit instead of waiting for each other); each is acknowledged and broadcast only after its
/// own commit, and reads wait until everything applied has committed, so nobody ever sees an uncommitted change.
/// The store's version guard keeps the database consistent if a commit fails: every later one then fails too.
/// </summary>
[Reentrant]
public sealed partial class RoomGrain : Grain, IRoomGrain
{
    /// <summary>How long an activation whose room could not be loaded answers <c>Unavailable</c> before the next call loads again.</summary>
    private static readonly TimeSpan ReloadDelay = TimeSpan.FromSeconds(1);

    private readonly IRoomStore _store;
    private readonly TimeProvider _time;
    private readonly RoomOptions _options;
    private readonly ILogger<RoomGrain> _logger;
    private readonly ObserverManager<IRoomObserver> _observers;
    private readonly Dictionary<string, int> _participantByTokenHash = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _tokenHashByParticipant = [];
    private readonly Dictionary<int, HashSet<string>> _connections = [];
    private readonly Dictionary<int, DateTimeOffset> _awaySince = [];
    private Room? _room;
    private string? _passcodeHash;
    private long _version;
    private IGrainTimer? _alarm;
    private DateTimeOffset? _alarmAt;
    private Task _lastCommit = Task.CompletedTask;
    private bool _broken;

    /// <summary>Created by Orleans.</summary>
    public RoomGrain(IRoomStore store, TimeProvider time, IOptions<RoomOptions> options, ILogger<RoomGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
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
        StoredRoom? stored;
        try
        {
            stored = await _store.LoadAsync(RoomId, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            // Not a fault of ours, and the store has logged the outage once: every call answers Unavailable (the room
            // is null and _broken), and a while later the activation goes so that the next call loads again.
            Log.LoadUnavailable(_logger, RoomId);
            _broken = true;
            this.RegisterGrainTimer(
                _ =>
                {
                    DeactivateOnIdle();
                    return Task.CompletedTask;
                },
                new GrainTimerCreationOptions { DueTime = ReloadDelay, Period = Timeout.InfiniteTimeSpan });
            return;
        }

        if (stored is null)
        {
            return;
        }

        _room = Room.FromSnapshot(stored.Snapshot);
        _version = stored.Version;
        _passcodeHash = stored.Secrets.PasscodeHash;
        foreach (var (participantId, hash) in stored.Secrets.TokenHashes)
        {
            RememberToken(participantId, hash);
        }

        // After a restart nobody is connected: whoever the store says is present must come back within the grace period.
        foreach (var p in _room.Participants.Where(p => p.IsPresent))
        {
            _awaySince[p.Id] = Now;
        }

        Log.RoomLoaded(_logger, RoomId, _version);
        ScheduleAlarm();
    }

    /// <inheritdoc />
    public async Task<Reply<Seat>> Create(CreateRoomRequest request)
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

        if (request.Passcode is { } passcode && (passcode.Length < 4 || passcode.Length > 64))
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
        var token = Secrets.NewToken();
        var passcodeHash = request.Passcode is null ? null : Secrets.HashPasscode(request.Passcode);
        var tokenHash = Secrets.HashToken(token);
        try
        {
            await _store.CreateAsync(new StoredRoom(room.ToSnapshot(), new RoomSecrets(passcodeHash, new Dictionary<int, string> { [facilitator] = tokenHash }), 0));
        }
        catch (StorageUnavailableException ex)
        {
            // Nobody has the token: a room stored all the same is never entered.
            Log.CommitUnavailable(_logger, RoomId, ex.OutcomeUnknown);
            return Reply<Seat>.Fail(ErrorCodes.Unavailable, "the room could not be saved; try again");
        }

        _room = room;
        _passcodeHash = passcodeHash;
        RememberToken(facilitator, tokenHash);
        Log.RoomCreated(_logger, RoomId);
        return new Seat(RoomId, facilitator, token);
    }

    /// <inheritdoc />
    public async Task<Reply<RoomInfoDto>> GetInfo()
    {
        await WhenCommittedAsync();
        return _room is null
            ? NotFound<RoomInfoDto>()
            : new RoomInfoDto(RoomId, _room.Name, _room.Deck.ToDto(), _passcodeHash is not null, _room.IsLocked);
    }

    /// <inheritdoc />
    public async Task<Reply<Seat>> Join(JoinRoomRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_room is null)
        {
            return NotFound<Seat>();
        }

        if (_passcodeHash is not null && !Secrets.VerifyPasscode(request.Passcode, _passcodeHash))
        {
            return Reply<Seat>.Fail(ErrorCodes.WrongPasscode, "the passcode is wrong");
        }

        var outcome = _room.Execute(new Join(request.DisplayName, (Role)request.Role), Now);
        if (!outcome.IsSuccess)
        {
            return Reply<Seat>.Fail(outcome.Error!);
        }

        var participantId = outcome.Events.OfType<ParticipantJoined>().Single().Participant.Id;
        var token = Secrets.NewToken();
        RememberToken(participantId, Secrets.HashToken(token));
        var committed = await CommitAsync(outcome.Events);
        return committed.IsSuccess ? new Seat(RoomId, participantId, token) : Reply<Seat>.From(committed);
    }

    /// <inheritdoc />
    public Task<Reply<int>> Authenticate(string token)
    {
        if (_room is null)
        {
            return Task.FromResult(NotFound<int>());
        }

        return Task.FromResult(
            token is { Length: > 0 and <= 256 } && _participantByTokenHash.TryGetValue(Secrets.HashToken(token), out var id) && _room.FindParticipant(id) is not null
                ? id
                : Reply<int>.Fail(ErrorCodes.InvalidToken, "this token opens no seat in the room"));
    }

    /// <inheritdoc />
    public async Task<Reply<RoomViewDto>> Connect(int participantId, string connectionId)
    {
        if (_room is null)
        {
            return NotFound<RoomViewDto>();
        }

        if (_room.FindParticipant(participantId) is not { } participant)
        {
            return Reply<RoomViewDto>.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
        }

        if (!_connections.TryGetValue(participantId, out var connections))
        {
            _connections[participantId] = connections = new HashSet<string>(StringComparer.Ordinal);
        }

        connections.Add(connectionId);
        _awaySince.Remove(participantId);
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
    public Task ConnectionClosed(int participantId, string connectionId)
    {
        if (_connections.TryGetValue(participantId, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
        {
            _connections.Remove(participantId);
            _awaySince[participantId] = Now;
            ScheduleAlarm();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<Reply> Execute(Immutable<RoomCommand> command)
    {
        if (_room is null)
        {
            return NotFound<bool>();
        }

        if (command.Value is Domain.Join or Domain.Connect or Disconnect or TimeUp)
        {
            // Seats come with tokens (Join), presence from connections, time from the clock: never from a caller.
            return Reply.Fail(ErrorCodes.ValidationFailed, "this command is the server's own");
        }

        if (command.Value is ParticipantCommand { Actor: var actor } && _room.FindParticipant(actor) is null)
        {
            // The caller's own seat is gone (kicked, or left on another connection): its token opens nothing now.
            return Reply.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
        }

        var reply = await ExecuteAndCommitAsync(command.Value);
        ScheduleAlarm();
        return reply;
    }

    /// <inheritdoc />
    public async Task<Reply<RoomViewDto>> GetView(int participantId)
    {
        await WhenCommittedAsync();
        return _room is null ? NotFound<RoomViewDto>() : ViewOf(participantId);
    }

    /// <inheritdoc />
    public async Task<Reply<StoryHistoryDto>> GetHistory(int participantId, int? storyId)
    {
        await WhenCommittedAsync();
        if (_room is null)
        {
            return NotFound<StoryHistoryDto>();
        }

        if (_room.FindParticipant(participantId) is null)
        {
            return Reply<StoryHistoryDto>.Fail(ErrorCodes.InvalidToken, "this seat is no longer in the room");
        }

        var history = _room.HistoryOf(storyId);
        return history.IsSuccess ? history.Value!.ToDto() : Reply<StoryHistoryDto>.Fail(history.Error!);
    }

    /// <inheritdoc />
    public async Task<Reply<RoomSummaryDto>> GetSummary(int participantId)
    {
        await WhenCommittedAsync();
        if (_room is null)
        {
            return NotFound<RoomSummaryDto>();
        }

        if (_room.FindParticipant(participantId)?.Role != Role.Facilitator)
        {
            return Reply<RoomSummaryDto>.Fail(ErrorCodes.NotFacilitator, "only a facilitator may read the summary");
        }

        var stories = _room.Stories.Select(s => new StorySummaryDto(
            s.Id, s.Title, s.ExternalKey, s.Url, (Contracts.StoryState)s.State, s.FinalEstimate.ToDto(),
            [.. _room.HistoryOf(s.Id).Value!.Rounds.Select(Wire.ToDto)])).ToArray();
        var quick = _room.HistoryOf(null).Value!.Rounds.Select(Wire.ToDto).ToArray();
        return new RoomSummaryDto(RoomId, _room.Name, _room.Deck.ToDto(), stories, quick, _room.EstimatedTotal);
    }

    /// <inheritdoc />
    public Task Subscribe(IRoomObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Unsubscribe(IRoomObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private async Task<Reply> ExecuteAndCommitAsync(RoomCommand command)
    {
        if (_room is null)
        {
            return NotFound<bool>();
        }

        var outcome = _room.Execute(command, Now);
        if (!outcome.IsSuccess)
        {
            Log.CommandRefused(_logger, RoomId, command.GetType().Name, (command as ParticipantCommand)?.Actor, outcome.Error!.Code, _version, _room.CurrentRound?.Id, _room.State);
            return Reply.Fail(outcome.Error!);
        }

        return outcome.Events.Count == 0 ? Reply.Ok : await CommitAsync(outcome.Events);
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

        var version = ++_version;

        // Shaped now: by the time this change has committed, later ones may have changed the room.
        var broadcast = events.ToBroadcast(_room!, version);
        Task save;
        try
        {
            save = _store.SaveAsync(_room!, events, new RoomSecrets(_passcodeHash, _tokenHashByParticipant), version);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            save = Task.FromException(ex);
        }

        _lastCommit = save;
        try
        {
            await save;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The Domain already applied the change in memory but it is not durable: forget everything and reload.
            var unknown = false;
            if (ex is StorageUnavailableException unavailable)
            {
                // The database's trouble, logged once by the store: no stack trace per call.
                unknown = unavailable.OutcomeUnknown;
                Log.CommitUnavailable(_logger, RoomId, unknown);
            }
            else
            {
                Log.CommitFailed(_logger, ex, RoomId);
            }

            _broken = true;
            _room = null;
            DeactivateOnIdle();
            return Reply.Fail(
                ErrorCodes.Unavailable,
                unknown ? "the change may or may not have been saved; reload the room before trying again" : "the change could not be saved; try again");
        }

        if (!_broken)
        {
            await _observers.Notify(o => o.OnRoomChanged(broadcast)); // one-way calls: no wait for the nodes
        }

        return Reply.Ok;
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

        _connections.Remove(participantId);
        _awaySince.Remove(participantId);
    }

    /// <summary>One grain timer serves the countdown and the presence grace periods: it fires at the earliest of them.</summary>
    private void ScheduleAlarm()
    {
        var due = _room?.Timer?.EndsAt;
        foreach (var since in _awaySince.Values)
        {
            var end = since + _options.PresenceGracePeriod;
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

        foreach (var (participantId, since) in _awaySince.ToArray())
        {
            if (_room is not null && since + _options.PresenceGracePeriod <= now)
            {
                _awaySince.Remove(participantId);
                if (_room.FindParticipant(participantId) is { IsPresent: true })
                {
                    await ExecuteAndCommitAsync(new Disconnect(participantId));
                }
            }
        }

        ScheduleAlarm();
    }

    private Reply<T> NotFound<T>() => _broken
        ? Reply<T>.Fail(ErrorCodes.Unavailable, "the room is reloading; try again")
        : Reply<T>.Fail(ErrorCodes.RoomNotFound, "there is no such room");

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "Room {RoomId} created")]
        public static partial void RoomCreated(ILogger logger, string roomId);

        [LoggerMessage(1101, LogLevel.Debug, "Room {RoomId} loaded at version {Version}")]
        public static partial void RoomLoaded(ILogger logger, string roomId, long version);

        [LoggerMessage(1102, LogLevel.Debug, "Room {RoomId} refused {Command} of {Actor}: {Code} (version {Version}, round {RoundId}, {State})")]
        public static partial void CommandRefused(ILogger logger, string roomId, string command, int? actor, RoomErrorCode code, long version, int? roundId, Domain.RoomState state);

        [LoggerMessage(1103, LogLevel.Error, "Room {RoomId} could not commit a change; the activation reloads")]
        public static partial void CommitFailed(ILogger logger, Exception exception, string roomId);

        [LoggerMessage(1104, LogLevel.Debug, "Room {RoomId} could not be loaded: the database is unavailable; calls answer Unavailable")]
        public static partial void LoadUnavailable(ILogger logger, string roomId);

        [LoggerMessage(1105, LogLevel.Debug, "Room {RoomId} could not commit a change: the database is unavailable (outcome unknown: {OutcomeUnknown}); the activation reloads")]
        public static partial void CommitUnavailable(ILogger logger, string roomId, bool outcomeUnknown);
    }
}
