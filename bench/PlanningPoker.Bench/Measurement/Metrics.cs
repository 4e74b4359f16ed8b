using System.Collections.Concurrent;

namespace PlanningPoker.Bench.Measurement;

/// <summary>What a push carried, for byte accounting (a push with a vote and the reveal counts as a reveal).</summary>
internal enum PushKind
{
    /// <summary>Anything else: joins, presence, the setup's changes.</summary>
    Other,

    /// <summary>A round opened.</summary>
    RoundStarted,

    /// <summary>Someone voted.</summary>
    VoteCast,

    /// <summary>The cards turned over.</summary>
    Revealed,
}

/// <summary>
/// Every counter of one run, shared by all connections: interlocked adds into fields and preallocated arrays, and
/// a dictionary touched only on errors. Reports subtract two <see cref="MetricsSnapshot"/>s.
/// </summary>
internal sealed class Metrics
{
    private const int Kinds = 4;

    private readonly long[] _pushCount = new long[Kinds];
    private readonly long[] _pushBytes = new long[Kinds];
    private readonly ConcurrentDictionary<string, long> _errorsByKind = new(StringComparer.Ordinal);
    private long _rounds;
    private long _votes;
    private long _errors;
    private long _versionGaps;
    private long _connecting;
    private long _connected;
    private long _disconnected;
    private long _faulted;
    private long _unexpected;
    private long _clientsReady;

    /// <summary>
    /// Vote sent (the click) → every other participant has its <c>voteCast</c>: what a person sees, the commit
    /// included.
    /// </summary>
    public Histogram VoteSentToAll { get; } = new();

    /// <summary>Vote acknowledged to its sender → every other participant has its <c>voteCast</c>.</summary>
    public Histogram VoteLatency { get; } = new();

    /// <summary>Last vote of a round acknowledged → every participant has the reveal.</summary>
    public Histogram RevealLatency { get; } = new();

    /// <summary>A vote's call: sent → acknowledged (the server's whole command path, commit included).</summary>
    public Histogram VoteCall { get; } = new();

    /// <summary>The facilitator's StartRound call: sent → acknowledged.</summary>
    public Histogram StartRoundCall { get; } = new();

    /// <summary>REST: create the room (facilitator) or join it.</summary>
    public Histogram SetupRest { get; } = new();

    /// <summary>Opening the SignalR connection.</summary>
    public Histogram SetupConnect { get; } = new();

    /// <summary>The hub's join call.</summary>
    public Histogram SetupJoin { get; } = new();

    /// <summary>The three above, end to end, per participant.</summary>
    public Histogram SetupTotal { get; } = new();

    public void RoundCompleted() => Interlocked.Increment(ref _rounds);

    public void VoteAcknowledged() => Interlocked.Increment(ref _votes);

    public void ClientReady() => Interlocked.Increment(ref _clientsReady);

    public void Push(PushKind kind, int bytes)
    {
        Interlocked.Increment(ref _pushCount[(int)kind]);
        Interlocked.Add(ref _pushBytes[(int)kind], bytes);
    }

    /// <summary>Counts an error under "stage: code" (rare: a string key is fine here).</summary>
    public void Error(string stage, string code)
    {
        Interlocked.Increment(ref _errors);
        _errorsByKind.AddOrUpdate(stage + ": " + code, 1, static (_, n) => n + 1);
    }

    /// <summary>
    /// A connection's push skipped versions (above its last push, or the view its join returned): the changes in
    /// between never reached it (the product's relay lets a change go without the late ones before it after a wait,
    /// or drops one that comes after a later one; the app then fetches the whole view). Counted, not an error.
    /// </summary>
    public void VersionGap() => Interlocked.Increment(ref _versionGaps);

    public void Connecting() => Interlocked.Increment(ref _connecting);

    public void Connected()
    {
        Interlocked.Decrement(ref _connecting);
        Interlocked.Increment(ref _connected);
    }

    public void ConnectFailed()
    {
        Interlocked.Decrement(ref _connecting);
        Interlocked.Increment(ref _faulted);
    }

    /// <summary>A connection closed: with an error it is faulted; when we did not close it, it is unexpected too.</summary>
    public void Closed(bool faulted, bool expected)
    {
        Interlocked.Decrement(ref _connected);
        Interlocked.Increment(ref faulted ? ref _faulted : ref _disconnected);
        if (!expected)
        {
            Interlocked.Increment(ref _unexpected);
        }
    }

    public MetricsSnapshot Snapshot() => new(
        Interlocked.Read(ref _rounds),
        Interlocked.Read(ref _votes),
        Interlocked.Read(ref _errors),
        Interlocked.Read(ref _versionGaps),
        new ConnectionCounts(
            Interlocked.Read(ref _connecting),
            Interlocked.Read(ref _connected),
            Interlocked.Read(ref _disconnected),
            Interlocked.Read(ref _faulted),
            Interlocked.Read(ref _unexpected)),
        Interlocked.Read(ref _clientsReady),
        Read(_pushCount),
        Read(_pushBytes),
        VoteSentToAll.Snapshot(),
        VoteLatency.Snapshot(),
        RevealLatency.Snapshot(),
        VoteCall.Snapshot(),
        StartRoundCall.Snapshot(),
        SetupRest.Snapshot(),
        SetupConnect.Snapshot(),
        SetupJoin.Snapshot(),
        SetupTotal.Snapshot(),
        new SortedDictionary<string, long>(_errorsByKind, StringComparer.Ordinal));

    private static long[] Read(long[] counters)
    {
        var copy = new long[counters.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Interlocked.Read(ref counters[i]);
        }

        return copy;
    }
}

/// <summary>Crankier's connection states: in progress, open, closed cleanly, failed; plus closes we did not ask for.</summary>
/// <param name="Connecting">Opening now.</param>
/// <param name="Connected">Open now.</param>
/// <param name="Disconnected">Closed without an error (so far).</param>
/// <param name="Faulted">Failed to open, or closed with an error (so far).</param>
/// <param name="Unexpected">Closed while the run still needed them (so far).</param>
internal sealed record ConnectionCounts(long Connecting, long Connected, long Disconnected, long Faulted, long Unexpected);

/// <summary>The counters at one moment. Counts grow monotonically, so an interval is a difference.</summary>
internal sealed record MetricsSnapshot(
    long Rounds,
    long Votes,
    long Errors,
    long VersionGaps,
    ConnectionCounts Connections,
    long ClientsReady,
    long[] PushCount,
    long[] PushBytes,
    HistogramSnapshot VoteSentToAll,
    HistogramSnapshot VoteLatency,
    HistogramSnapshot RevealLatency,
    HistogramSnapshot VoteCall,
    HistogramSnapshot StartRoundCall,
    HistogramSnapshot SetupRest,
    HistogramSnapshot SetupConnect,
    HistogramSnapshot SetupJoin,
    HistogramSnapshot SetupTotal,
    IReadOnlyDictionary<string, long> ErrorsByKind)
{
    /// <summary>What happened between <paramref name="earlier"/> and this one (connection gauges stay as they are now).</summary>
    public MetricsSnapshot Minus(MetricsSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, n) in ErrorsByKind)
        {
            var before = earlier.ErrorsByKind.TryGetValue(kind, out var b) ? b : 0;
            if (n > before)
            {
                errors[kind] = n - before;
            }
        }

        return new MetricsSnapshot(
            Rounds - earlier.Rounds,
            Votes - earlier.Votes,
            Errors - earlier.Errors,
            VersionGaps - earlier.VersionGaps,
            Connections with
            {
                Disconnected = Connections.Disconnected - earlier.Connections.Disconnected,
                Faulted = Connections.Faulted - earlier.Connections.Faulted,
                Unexpected = Connections.Unexpected - earlier.Connections.Unexpected,
            },
            ClientsReady - earlier.ClientsReady,
            [.. PushCount.Zip(earlier.PushCount, static (a, b) => a - b)],
            [.. PushBytes.Zip(earlier.PushBytes, static (a, b) => a - b)],
            VoteSentToAll.Minus(earlier.VoteSentToAll),
            VoteLatency.Minus(earlier.VoteLatency),
            RevealLatency.Minus(earlier.RevealLatency),
            VoteCall.Minus(earlier.VoteCall),
            StartRoundCall.Minus(earlier.StartRoundCall),
            SetupRest.Minus(earlier.SetupRest),
            SetupConnect.Minus(earlier.SetupConnect),
            SetupJoin.Minus(earlier.SetupJoin),
            SetupTotal.Minus(earlier.SetupTotal),
            errors);
    }

    /// <summary>Pushes of every kind.</summary>
    public long Pushes => PushCount.Sum();

    /// <summary>Bytes of every kind of push.</summary>
    public long Bytes => PushBytes.Sum();

    /// <summary>Count of one kind of push.</summary>
    public long PushesOf(PushKind kind) => PushCount[(int)kind];

    /// <summary>Bytes of one kind of push.</summary>
    public long BytesOf(PushKind kind) => PushBytes[(int)kind];
}
