using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Bench.Measurement;
using PlanningPoker.Bench.Targets;

namespace PlanningPoker.Bench.Load;

/// <summary>One simulated participant: its seat, its connection, and the push sink that forwards to its room.</summary>
internal sealed class Participant : IPushSink
{
    private readonly RoomRun _room;
    private readonly Metrics _metrics;
    private long _lastVersion;
    private long _viewVersion;

    public Participant(RoomRun room, int index, int node, Metrics metrics)
    {
        _room = room;
        Index = index;
        Node = node;
        _metrics = metrics;
    }

    /// <summary>0 is the facilitator (who also votes); 1… are estimators.</summary>
    public int Index { get; }

    /// <summary>The server this participant talks to (REST and hub): an index into the run's URLs.</summary>
    public int Node { get; }

    public Seat? Seat { get; set; }

    public HubConnection? Connection { get; set; }

    public void OnPush(PushKind kind, int bytes) => _metrics.Push(kind, bytes);

    /// <summary>The hub join answered with the room's view at <paramref name="version"/>.</summary>
    public void Joined(long version) => Volatile.Write(ref _viewVersion, version);

    /// <summary>
    /// A connection's pushes come one at a time, in order: a version not above the last push's is a duplicate or
    /// late; one more than a step above the last push's or the joined view's, whichever is higher, skipped changes
    /// (a gap). (A push at or below the view's version may still come after the view: it is no gap.)
    /// </summary>
    public void OnVersion(long version)
    {
        if (version <= _lastVersion)
        {
            _metrics.Error("push", version == _lastVersion ? "Duplicate" : "OutOfOrder");
            return;
        }

        var known = Math.Max(_lastVersion, Volatile.Read(ref _viewVersion));
        if (known != 0 && version > known + 1)
        {
            _metrics.VersionGap();
        }

        _lastVersion = version;
    }

    public void OnRoundStarted(long timestamp) => _room.OnRoundStarted(Index);

    public void OnVoteCast(long timestamp, int voterId) => _room.OnVoteCast(Index, timestamp, voterId);

    public void OnRevealed(long timestamp) => _room.OnRevealed(Index, timestamp);
}

/// <summary>
/// One room under load, and the measurement of its rounds. The facilitator's loop opens a round; each participant
/// votes a think time after it sees the round start; the room's auto-reveal turns the cards; after a pause the
/// next round starts, once every participant has the reveal (a closed loop per room).
/// <para>
/// Handlers only take a timestamp and update preallocated per-round arrays under the room's lock (contention is
/// within one room only). A vote is measured twice: from its sending (the click) to the moment the last other
/// participant has its <c>voteCast</c>, what a person sees; and from its acknowledgement to that moment (0 when every
/// push came before the ack), the push path alone. The reveal's, from the last vote's
/// acknowledgement to the moment the last participant has the reveal (0 likewise).
/// </para>
/// </summary>
internal sealed class RoomRun
{
    private readonly Lock _gate = new();
    private readonly ILoadTarget _target;
    private readonly Metrics _metrics;
    private readonly Random _random;
    private readonly MillisecondRange _think;
    private readonly TimeSpan _pause;
    private readonly TimeSpan _roundTimeout;
    private readonly Participant[] _participants;

    // Per round, reset by BeginRound.
    private readonly long[] _sentAt;
    private readonly long[] _ackAt;
    private readonly long[] _lastSeenAt;
    private readonly int[] _seenBy;
    private readonly bool[] _voteMeasured;
    private readonly bool[] _started;
    private readonly bool[] _revealed;
    private int _acked;
    private int _revealedCount;
    private long _lastAckAt;
    private long _lastRevealAt;
    private bool _open;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int[] _indexById = [];
    private CancellationToken _stopping;
    private CancellationToken _abort;

    public RoomRun(int number, int size, ILoadTarget target, Metrics metrics, LoadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Number = number;
        _target = target;
        _metrics = metrics;
        _random = new Random(HashCode.Combine(settings.Seed, number));
        _think = settings.ThinkMs;
        _pause = TimeSpan.FromMilliseconds(settings.RoundPauseMs);
        _roundTimeout = settings.RoundTimeout;
        _participants = new Participant[size];
        for (var i = 0; i < size; i++)
        {
            _participants[i] = new Participant(this, i, settings.NodeOf(number, i), metrics);
        }

        _sentAt = new long[size];
        _ackAt = new long[size];
        _lastSeenAt = new long[size];
        _seenBy = new int[size];
        _voteMeasured = new bool[size];
        _started = new bool[size];
        _revealed = new bool[size];
    }

    public int Number { get; }

    public IReadOnlyList<Participant> Participants => _participants;

    private int Size => _participants.Length;

    /// <summary>Called once every seat is known: maps the seat ids that pushes carry to participant indexes.</summary>
    public void Seated()
    {
        var max = _participants.Max(p => p.Seat!.ParticipantId);
        var map = new int[max + 1];
        Array.Fill(map, -1);
        foreach (var p in _participants)
        {
            map[p.Seat!.ParticipantId] = p.Index;
        }

        _indexById = map;
    }

    /// <summary>
    /// The facilitator's loop, until <paramref name="stopping"/>. Calls already sent are cancelled only by
    /// <paramref name="abort"/>, so that a stop lets them finish. A round that fails to start or stalls past the
    /// round timeout is counted as an error and ends this room's load (its connections stay open).
    /// </summary>
    public async Task DriveAsync(CancellationToken stopping, CancellationToken abort)
    {
        _stopping = stopping;
        _abort = abort;
        var facilitator = _participants[0];
        while (!stopping.IsCancellationRequested)
        {
            var done = BeginRound();
            var sent = Stopwatch.GetTimestamp();
            try
            {
                await _target.StartRoundAsync(facilitator.Connection!, facilitator.Seat!, abort);
                _metrics.StartRoundCall.Record(MicrosBetween(sent, Stopwatch.GetTimestamp()));
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _metrics.Error("StartRound", ErrorCode.Of(ex));
                return;
            }

            try
            {
                await done.WaitAsync(_roundTimeout, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (TimeoutException)
            {
                _metrics.Error("round", "Stalled");
                return;
            }

            if (_pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(_pause, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public void OnRoundStarted(int index)
    {
        int delay;
        string card;
        lock (_gate)
        {
            if (!_open || _started[index])
            {
                return;
            }

            _started[index] = true;
            delay = _think.Next(_random);
            card = _target.Cards[_random.Next(_target.Cards.Count)];
        }

        // Never wait inside a handler: the connection delivers its next message only after this one returns.
        _ = VoteAsync(index, delay, card);
    }

    public void OnVoteCast(int receiver, long timestamp, int voterId)
    {
        var map = _indexById;
        var voter = (uint)voterId < (uint)map.Length ? map[voterId] : -1;
        if (voter < 0 || voter == receiver)
        {
            return; // one's own copy, or someone unknown
        }

        lock (_gate)
        {
            if (!_open)
            {
                return;
            }

            _seenBy[voter]++;
            if (timestamp > _lastSeenAt[voter])
            {
                _lastSeenAt[voter] = timestamp;
            }

            TryMeasureVote(voter);
        }
    }

    public void OnRevealed(int receiver, long timestamp)
    {
        lock (_gate)
        {
            if (!_open || _revealed[receiver])
            {
                return;
            }

            _revealed[receiver] = true;
            _revealedCount++;
            if (timestamp > _lastRevealAt)
            {
                _lastRevealAt = timestamp;
            }

            TryComplete();
        }
    }

    private async Task VoteAsync(int index, int delayMs, string card)
    {
        try
        {
            if (delayMs > 0)
            {
                await Task.Delay(delayMs, _stopping);
            }

            var p = _participants[index];
            var sent = Stopwatch.GetTimestamp();
            await _target.VoteAsync(p.Connection!, p.Seat!, card, _abort);
            var now = Stopwatch.GetTimestamp();
            _metrics.VoteAcknowledged();
            _metrics.VoteCall.Record(MicrosBetween(sent, now));
            lock (_gate)
            {
                if (!_open)
                {
                    return;
                }

                _sentAt[index] = sent; // a vote is measured once acknowledged: both are known then
                _ackAt[index] = now;
                _acked++;
                if (now > _lastAckAt)
                {
                    _lastAckAt = now;
                }

                TryMeasureVote(index);
                TryComplete();
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // The run is over: the vote no longer matters.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _metrics.Error("CastVote", ErrorCode.Of(ex));
        }
    }

    private Task BeginRound()
    {
        lock (_gate)
        {
            Array.Clear(_sentAt);
            Array.Clear(_ackAt);
            Array.Clear(_lastSeenAt);
            Array.Clear(_seenBy);
            Array.Clear(_voteMeasured);
            Array.Clear(_started);
            Array.Clear(_revealed);
            _acked = 0;
            _revealedCount = 0;
            _lastAckAt = 0;
            _lastRevealAt = 0;
            _open = true;
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _done.Task;
        }
    }

    /// <summary>Under the lock: records a vote's latency once it is acknowledged and every other participant saw it.</summary>
    private void TryMeasureVote(int voter)
    {
        if (Size < 2 || _voteMeasured[voter] || _ackAt[voter] == 0 || _seenBy[voter] < Size - 1)
        {
            return;
        }

        _voteMeasured[voter] = true;
        _metrics.VoteSentToAll.Record(MicrosBetween(_sentAt[voter], _lastSeenAt[voter]));
        _metrics.VoteLatency.Record(MicrosBetween(_ackAt[voter], _lastSeenAt[voter]));
    }

    /// <summary>Under the lock: closes the round once every vote is acknowledged and everyone has the reveal.</summary>
    private void TryComplete()
    {
        if (!_open || _acked < Size || _revealedCount < Size)
        {
            return;
        }

        _open = false;
        _metrics.RevealLatency.Record(MicrosBetween(_lastAckAt, _lastRevealAt));
        _metrics.RoundCompleted();
        _done.TrySetResult();
    }

    /// <summary>Microseconds from <paramref name="from"/> to <paramref name="to"/>; 0 when <paramref name="to"/> came first.</summary>
    internal static long MicrosBetween(long from, long to) =>
        to <= from ? 0 : Stopwatch.GetElapsedTime(from, to).Ticks / TimeSpan.TicksPerMicrosecond;
}
