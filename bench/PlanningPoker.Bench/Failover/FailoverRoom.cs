using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Bench.Targets;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Failover;

/// <summary>What a room's round across a kill showed once revealed.</summary>
/// <param name="VotesAckedBeforeKill">Votes of the round acknowledged before the kill.</param>
/// <param name="Checked">Acknowledged votes and names compared with the revealed room.</param>
/// <param name="Lost">Of those, missing or different in the room.</param>
internal sealed record HeldRound(int VotesAckedBeforeKill, int Checked, int Lost);

/// <summary>How a room came through a kill.</summary>
/// <param name="RecoveredAfter">For each participant who kept acting (all but the one who stayed away): kill → first acknowledged command sent after it.</param>
/// <param name="Reconnected">Participants who had to connect again.</param>
/// <param name="AwayAfter">Kill → the participant who stayed away shown away to another; null if no one stayed away or no one saw it.</param>
/// <param name="StayedAway">Whether one of the room's participants lost its connection and stayed away.</param>
internal sealed record RoomRecovery(IReadOnlyList<TimeSpan> RecoveredAfter, int Reconnected, TimeSpan? AwayAfter, bool StayedAway);

/// <summary>
/// One room of the failover bench: its facilitator opens a round (a quick vote, no auto-reveal), everyone votes after
/// a think time, the facilitator reveals, and the revealed room is checked against every acknowledged vote; then a
/// pause, and again. For a kill, the runner asks each room to hold its next round open; at the kill, every participant
/// also renames itself (a command anyone may send at any time) until acknowledged: the time from the kill to that
/// acknowledgement is when the participant could act again. One participant whose connection went down with the node
/// stays away until another participant is shown that it is away (a presence push, or a view), then comes back.
/// </summary>
internal sealed class FailoverRoom
{
    private static readonly RoomSettingsDto Settings = new(AutoReveal: false, FacilitatorsVote: true);

    private static readonly DeckDto Deck = new(DeckType.Fibonacci, Unsure: false, Break: false);

    private static readonly string[] Cards = ["0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89"];

    private readonly Lock _gate = new();
    private readonly FailoverRunner _run;
    private readonly Random _random;
    private readonly FailoverClient[] _clients;
    private int[] _indexById = [];

    private TaskCompletionSource _heldOpen = Signal();
    private TaskCompletionSource<Task[]> _failover = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<HeldRound> _heldDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _holdNext;

    // The kill under way (0: none), reset when the held round is revealed and checked.
    private long _killAt;
    private int _absentee = -1;
    private bool _absenteeBack;
    private TaskCompletionSource _absenteeAway = Signal();
    private readonly long[] _awayAt;
    private readonly long[] _recoveredAt;
    private int _ackedBeforeKill;

    public FailoverRoom(int number, int size, FailoverRunner run)
    {
        Number = number;
        _run = run;
        _random = new Random(HashCode.Combine(run.Seed, number));
        _clients = new FailoverClient[size];
        for (var i = 0; i < size; i++)
        {
            _clients[i] = new FailoverClient(this, run, i, run.EntryOf(number, i));
        }

        _awayAt = new long[size];
        _recoveredAt = new long[size];
    }

    public int Number { get; }

    public IReadOnlyList<FailoverClient> Clients => _clients;

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the room (its facilitator) and seats every participant over REST, then connects them all.</summary>
    public async Task SetUpAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var facilitator = _clients[0];
        facilitator.Seat = await RestSeats.CreateAsync(
            http, _run.Entries[facilitator.Home], new CreateRoomRequest(Text.Invariant($"failover room {Number}"), "p0", Deck, Settings), cancellationToken);
        facilitator.NameAcknowledged("p0");
        await Task.WhenAll(_clients.Skip(1).Select(async c =>
        {
            var name = Text.Invariant($"p{c.Index}");
            c.Seat = await RestSeats.JoinAsync(http, _run.Entries[c.Home], facilitator.Seat.RoomId, new JoinRoomRequest(name), cancellationToken);
            c.NameAcknowledged(name);
        }));
        var map = new int[_clients.Max(c => c.Seat!.ParticipantId) + 1];
        Array.Fill(map, -1);
        foreach (var c in _clients)
        {
            map[c.Seat!.ParticipantId] = c.Index;
        }

        _indexById = map;
        await Task.WhenAll(_clients.Select(c => c.ConnectAsync(cancellationToken)));
    }

    /// <summary>Asks the room to hold its next round open until the kill; completes once that round is open.</summary>
    public Task RequestHold()
    {
        lock (_gate)
        {
            _heldOpen = Signal();
            _failover = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _heldDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _holdNext = true;
            return _heldOpen.Task;
        }
    }

    /// <summary>The held round, once revealed and checked after the kill.</summary>
    public Task<HeldRound> HeldDone
    {
        get
        {
            lock (_gate)
            {
                return _heldDone.Task;
            }
        }
    }

    /// <summary>
    /// Called just before the kill at <paramref name="killAt"/>: from now on, the first participant whose connection
    /// dies stays away, and presence pushes count.
    /// </summary>
    public void Arm(long killAt)
    {
        lock (_gate)
        {
            _killAt = killAt;
            _absentee = -1;
            _absenteeBack = false;
            _absenteeAway = Signal();
            Array.Clear(_awayAt);
            Array.Clear(_recoveredAt);
            _ackedBeforeKill = _clients.Count(c => c.AckedCardAt is > 0 and var at && at < killAt);
            foreach (var c in _clients)
            {
                c.Moved = false;
            }
        }
    }

    /// <summary>
    /// After the kill: every participant renames itself until acknowledged. Returns the room's recovery once every
    /// participant (the one who stayed away included, after it was shown away) has been acknowledged.
    /// </summary>
    public async Task<RoomRecovery> RecoverAsync(int kill, CancellationToken cancellationToken)
    {
        long killAt;
        lock (_gate)
        {
            killAt = _killAt;
        }

        Task[] probes = [.. _clients.Select(c => ActAgainAsync(c, kill, cancellationToken))];
        _failover.TrySetResult(probes);

        await Task.WhenAll(probes);
        lock (_gate)
        {
            var recovered = _clients
                .Where(c => c.Index != _absentee)
                .Select(c => Stopwatch.GetElapsedTime(killAt, _recoveredAt[c.Index]))
                .ToList();
            TimeSpan? away = _absentee >= 0 && _awayAt[_absentee] != 0 ? Stopwatch.GetElapsedTime(killAt, _awayAt[_absentee]) : null;
            return new RoomRecovery(recovered, _clients.Count(c => c.Moved), away, _absentee >= 0);
        }
    }

    /// <summary>The facilitator's loop, until <paramref name="stopping"/>.</summary>
    public async Task DriveAsync(CancellationToken stopping)
    {
        var facilitator = _clients[0];
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                bool hold;
                lock (_gate)
                {
                    hold = _holdNext;
                    _holdNext = false;
                }

                await facilitator.CallAsync("StartRound", (c, t) => c.InvokeCoreAsync(nameof(IRoomHub.StartRound), [null], t), ErrorCodes.RoundInProgress, stopping);
                var work = new List<Task>(_clients.Length * 2);
                foreach (var c in _clients)
                {
                    c.NewRound();
                    work.Add(ThinkAndVoteAsync(c, stopping));
                }

                if (hold)
                {
                    Task<Task[]> failover;
                    lock (_gate)
                    {
                        _heldOpen.TrySetResult();
                        failover = _failover.Task;
                    }

                    work.AddRange(await failover.WaitAsync(stopping));
                }

                await Task.WhenAll(work);
                await facilitator.CallAsync("Reveal", (c, t) => c.InvokeAsync(nameof(IRoomHub.Reveal), t), ErrorCodes.RoundNotOpen, stopping);
                var (checkedCount, lost) = await CheckAsync(stopping);
                if (hold)
                {
                    lock (_gate)
                    {
                        _killAt = 0;
                        _heldDone.TrySetResult(new HeldRound(_ackedBeforeKill, checkedCount, lost));
                    }
                }
                else if (lost > 0)
                {
                    _run.Lost(lost);
                }

                await Task.Delay(_run.RoundPause, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    /// <summary>
    /// Called by a participant whose connection is gone, before it connects again: during a kill, the first one of the
    /// room (the facilitator aside) stays away until another participant is shown that it is away, or the recovery
    /// timeout passes.
    /// </summary>
    public async Task WaitIfStayingAwayAsync(FailoverClient client, CancellationToken cancellationToken)
    {
        Task away;
        lock (_gate)
        {
            if (!ClaimAbsence(client))
            {
                return;
            }

            away = _absenteeAway.Task;
        }

        try
        {
            await away.WaitAsync(_run.RecoveryTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Never shown away: reported as such.
        }

        lock (_gate)
        {
            _absenteeBack = true;
        }
    }

    /// <summary>A connection of this room closed (not by the bench): during a kill, its participant may be the one who stays away.</summary>
    public void OnClosed(FailoverClient client)
    {
        lock (_gate)
        {
            ClaimAbsence(client);
        }
    }

    /// <summary>Someone saw participant <paramref name="participantId"/> shown away.</summary>
    public void OnAway(int participantId, long timestamp)
    {
        var map = _indexById;
        var index = (uint)participantId < (uint)map.Length ? map[participantId] : -1;
        if (index < 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_killAt == 0 || timestamp < _killAt || _awayAt[index] != 0)
            {
                return;
            }

            _awayAt[index] = timestamp;
            if (index == _absentee)
            {
                _absenteeAway.TrySetResult();
            }
        }
    }

    /// <summary>A view someone received (on joining): whoever it shows away counts as shown away.</summary>
    public void OnView(JsonElement view, long timestamp)
    {
        if (view.ValueKind != JsonValueKind.Object || !view.TryGetProperty("participants"u8, out var participants) || participants.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var p in participants.EnumerateArray())
        {
            if (p.TryGetProperty("isPresent"u8, out var present) && present.ValueKind == JsonValueKind.False
                && p.TryGetProperty("id"u8, out var id) && id.TryGetInt32(out var participantId))
            {
                OnAway(participantId, timestamp);
            }
        }
    }

    /// <summary>Under the lock: makes <paramref name="client"/> the one who stays away if none is yet; true if it is.</summary>
    private bool ClaimAbsence(FailoverClient client)
    {
        if (_killAt == 0 || _absenteeBack || client.Index == 0 || (_absentee >= 0 && _absentee != client.Index))
        {
            return false;
        }

        _absentee = client.Index;
        if (_awayAt[client.Index] != 0)
        {
            _absenteeAway.TrySetResult();
        }

        return true;
    }

    private async Task ActAgainAsync(FailoverClient client, int kill, CancellationToken cancellationToken)
    {
        var name = Text.Invariant($"p{client.Index} k{kill}");
        var at = await client.CallAsync("Rename", (c, t) => c.InvokeAsync(nameof(IRoomHub.Rename), name, t), refusalMeansDone: null, cancellationToken);
        client.NameAcknowledged(name);
        lock (_gate)
        {
            _recoveredAt[client.Index] = at;
        }
    }

    private async Task ThinkAndVoteAsync(FailoverClient client, CancellationToken cancellationToken)
    {
        int delay;
        string card;
        lock (_gate)
        {
            delay = _run.ThinkMs.Next(_random);
            card = Cards[_random.Next(Cards.Length)];
        }

        if (delay > 0)
        {
            await Task.Delay(delay, cancellationToken);
        }

        await client.VoteAsync(card, cancellationToken);
    }

    /// <summary>
    /// The revealed room against what was acknowledged: each participant's last acknowledged card and name. Returns how
    /// many were compared, and how many differed.
    /// </summary>
    private async Task<(int Checked, int Lost)> CheckAsync(CancellationToken cancellationToken)
    {
        var view = await _clients[0].GetViewAsync(cancellationToken);
        var cards = new Dictionary<int, (string? Card, string? Name)>();
        if (view.ValueKind == JsonValueKind.Object && view.TryGetProperty("participants"u8, out var participants) && participants.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in participants.EnumerateArray())
            {
                if (p.TryGetProperty("id"u8, out var id) && id.TryGetInt32(out var participantId))
                {
                    cards[participantId] = (
                        p.TryGetProperty("card"u8, out var card) && card.ValueKind == JsonValueKind.String ? card.GetString() : null,
                        p.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);
                }
            }
        }

        var compared = 0;
        var lost = 0;
        foreach (var c in _clients)
        {
            cards.TryGetValue(c.Seat!.ParticipantId, out var seen);
            if (c.AckedCard is { } acked)
            {
                compared++;
                if (seen.Card != acked)
                {
                    lost++;
                    _run.Report(Text.Invariant($"   LOST: room {Number} participant p{c.Index}: vote {acked} acknowledged, the revealed room shows {seen.Card ?? "no card"}"));
                }
            }

            compared++;
            if (seen.Name != c.Name)
            {
                lost++;
                _run.Report(Text.Invariant($"   LOST: room {Number} participant p{c.Index}: name '{c.Name}' acknowledged, the room shows '{seen.Name}'"));
            }
        }

        return (compared, lost);
    }
}
