using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;
using PlanningPoker.Bench.Load;
using static PlanningPoker.Bench.Text;

namespace PlanningPoker.Bench.Failover;

/// <summary>Which node each kill takes.</summary>
internal enum KillPick
{
    /// <summary>Node 1, 2, …, N, 1, …: the first started is killed too.</summary>
    RoundRobin,

    /// <summary>The next node in that order that hosts rooms (from its <c>/metrics</c>); round-robin if none says so.</summary>
    Hosting,
}

/// <summary>Everything the failover command needs, parsed from the command line.</summary>
internal sealed record FailoverSettings
{
    /// <summary>Where participants connect: each node's address, or one balancer in front of them.</summary>
    public required IReadOnlyList<Uri> Entries { get; init; }

    /// <summary>Each node's own address (health, metrics), in the order of <see cref="Pids"/>.</summary>
    public required IReadOnlyList<Uri> NodeUrls { get; init; }

    public required IReadOnlyList<int> Pids { get; init; }

    public required IReadOnlyList<string> RestartCommands { get; init; }

    public int Rooms { get; init; } = 20;

    public int ClientsPerRoom { get; init; } = 5;

    public int Kills { get; init; } = 10;

    public KillPick Pick { get; init; } = KillPick.RoundRobin;

    public MillisecondRange ThinkMs { get; init; } = new(0, 2000);

    public int RoundPauseMs { get; init; } = 1000;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After the killed node is ready again and its people are back on it, before the next kill.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A participant not acting again by then is a failure, and the run stops.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The bound issue 11 sets, for the report.</summary>
    public TimeSpan Bound { get; init; } = TimeSpan.FromSeconds(10);

    public HttpTransportType Transport { get; init; } = HttpTransportType.WebSockets;

    public int SetupConcurrency { get; init; } = 8;

    public int Seed { get; init; } = 1;

    public string Describe() => Invariant(
        $"{Rooms} rooms x {ClientsPerRoom} clients, {Kills} kills ({(Pick == KillPick.RoundRobin ? "round-robin" : "the next node hosting rooms")}), think {ThinkMs} ms, pause {RoundPauseMs} ms, settle {Duration(Settle)}, ")
        + Invariant($"{NodeUrls.Count} nodes, ") + (Entries.Count == 1 ? Invariant($"clients through {Entries[0]}") : "clients spread over the nodes (participant i of room r on node (r + i) mod N)");
}

/// <summary>
/// The failover bench: R rooms × P participants (with several entry addresses, each room's people on every node)
/// play paced rounds; K times, a node is killed with SIGKILL mid-round and the bench measures (a) the time until every
/// participant has a command acknowledged again, (b) the time until a participant who was on the dead node and does
/// not come back is shown away to the others, (c) acknowledged votes and names missing once the round is revealed,
/// and errors by code; then it starts the node again, waits for it to be ready, moves the participants who had to
/// leave it back (or through the balancer again), lets the cluster settle, and goes on. Reports each kill and
/// p50 / p95 / max over the kills.
/// </summary>
internal sealed class FailoverRunner : IAsyncDisposable
{
    private readonly FailoverSettings _settings;
    private readonly TextWriter _out;
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly List<FailoverRoom> _rooms = [];
    private readonly List<ClusterNode> _nodes;
    private readonly List<Task> _drivers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TimeSpan> _awayByRoom = [];
    private long _lostOutsideKills;

    private FailoverRunner(FailoverSettings settings, TextWriter output)
    {
        _settings = settings;
        _out = output;
        _nodes = [.. settings.NodeUrls.Select((url, i) => new ClusterNode(i + 1, url, settings.Pids[i], settings.RestartCommands[i]))];
    }

    public IReadOnlyList<Uri> Entries => _settings.Entries;

    public HttpTransportType Transport => _settings.Transport;

    public int Seed => _settings.Seed;

    public MillisecondRange ThinkMs => _settings.ThinkMs;

    public TimeSpan RoundPause => TimeSpan.FromMilliseconds(_settings.RoundPauseMs);

    public TimeSpan RecoveryTimeout => _settings.RecoveryTimeout;

    /// <summary>The run; returns the exit code: 0, or 1 if anything acknowledged was lost or someone never acted again.</summary>
    public static async Task<int> RunAsync(FailoverSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var runner = new FailoverRunner(settings, output);
        return await runner.RunCoreAsync(cancellationToken);
    }

    /// <summary>The entry address of participant <paramref name="participant"/> of room <paramref name="room"/>.</summary>
    public int EntryOf(int room, int participant) => Entries.Count == 1 ? 0 : (room + participant) % Entries.Count;

    public void Error(string stage, string code) => _errors.AddOrUpdate(stage + " " + code, 1, (_, n) => n + 1);

    public void Lost(int count) => Interlocked.Add(ref _lostOutsideKills, count);

    public void Report(string line) => _out.WriteLine(line);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_drivers).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Parallel.ForEachAsync(_rooms.SelectMany(r => r.Clients), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, _) => await c.DisposeAsync())
            .WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task<int> RunCoreAsync(CancellationToken cancellationToken)
    {
        await _out.WriteLineAsync("== failover: " + _settings.Describe());
        await _out.WriteLineAsync("   nodes: " + string.Join(", ", _nodes.Select(n => Invariant($"{n.Number} {n.Url.Authority} pid {n.Pid}"))));
        await _out.WriteLineAsync("   note: " + SharedCores(Invariant($"load average {LoadAverage()} at the start")));

        var setupStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < _settings.Rooms; i++)
        {
            _rooms.Add(new FailoverRoom(i, _settings.ClientsPerRoom, this));
        }

        await Parallel.ForEachAsync(_rooms, new ParallelOptions { MaxDegreeOfParallelism = _settings.SetupConcurrency, CancellationToken = cancellationToken }, async (room, token) =>
            await room.SetUpAsync(_http, token));
        await _out.WriteLineAsync(Invariant($"   set-up: {_rooms.Count * _settings.ClientsPerRoom} participants seated in {Stopwatch.GetElapsedTime(setupStart).TotalSeconds:0.0} s; rooms per node {await RoomsPerNodeAsync(cancellationToken)}"));
        foreach (var room in _rooms)
        {
            _drivers.Add(room.DriveAsync(_stopping.Token));
        }

        await Task.Delay(_settings.Warmup, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var kills = new List<KillResult>();
        var failed = false;
        for (var k = 1; k <= _settings.Kills && !cancellationToken.IsCancellationRequested; k++)
        {
            var result = await KillOnceAsync(k, kills.Count > 0 ? kills[^1].Node : 0, cancellationToken);
            if (result is null)
            {
                failed = true;
                break;
            }

            kills.Add(result);
        }

        await _out.WriteAsync(Summary(kills));
        var lost = kills.Sum(k => k.Lost) + Interlocked.Read(ref _lostOutsideKills);
        var code = lost > 0 || failed ? 1 : 0;
        await _out.WriteLineAsync(lost > 0 ? Invariant($"FAILED: {lost} acknowledged commands lost")
            : failed ? "FAILED: the run stopped (see above)"
            : "nothing acknowledged was lost");
        return code;
    }

    private async Task<KillResult?> KillOnceAsync(int k, int previous, CancellationToken cancellationToken)
    {
        // Every room opens a round and keeps it open; the kill comes once the last one is open (votes in flight).
        var open = _rooms.Select(r => r.RequestHold()).ToList();
        try
        {
            await Task.WhenAll(open).WaitAsync(RecoveryTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            await _out.WriteLineAsync(Invariant($"kill {k}: {open.Count(t => !t.IsCompleted)} rooms did not open a round within {Duration(RecoveryTimeout)}; stopping"));
            return null;
        }

        var hosted = await Task.WhenAll(_nodes.Select(n => n.RoomsActiveAsync(_http, cancellationToken)));
        var node = Pick(k, previous, hosted);
        var errorsBefore = new Dictionary<string, long>(_errors, StringComparer.Ordinal);
        var load = LoadAverage();

        var killAt = Stopwatch.GetTimestamp();
        foreach (var room in _rooms)
        {
            room.Arm(killAt);
        }

        node.Kill();
        var recovering = _rooms.Select(r => r.RecoverAsync(k, _stopping.Token)).ToList();
        RoomRecovery[] recoveries;
        try
        {
            recoveries = await Task.WhenAll(recovering).WaitAsync(RecoveryTimeout * 2, cancellationToken);
        }
        catch (TimeoutException)
        {
            await _out.WriteLineAsync(Invariant($"kill {k} (node {node.Number}): {recovering.Count(t => !t.IsCompleted)} rooms not back within {Duration(RecoveryTimeout * 2)}; stopping"));
            return null;
        }

        HeldRound[] held;
        try
        {
            held = await Task.WhenAll(_rooms.Select(r => r.HeldDone)).WaitAsync(RecoveryTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            await _out.WriteLineAsync(Invariant($"kill {k} (node {node.Number}): rounds not revealed within {Duration(RecoveryTimeout)}; stopping"));
            return null;
        }

        var errors = _errors
            .Select(e => (e.Key, Count: e.Value - errorsBefore.GetValueOrDefault(e.Key)))
            .Where(e => e.Count > 0)
            .OrderByDescending(e => e.Count)
            .ToList();

        // Start the node again, bring its people back (to its address, or through the balancer), let it settle.
        TimeSpan ready;
        try
        {
            ready = await node.RestartAsync(_http, TimeSpan.FromSeconds(120), cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            await _out.WriteLineAsync(Invariant($"kill {k}: {ex.Message}; stopping"));
            return null;
        }

        var moved = _rooms.SelectMany(r => r.Clients).Where(c => c.Moved).ToList();
        await Parallel.ForEachAsync(moved, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (c, token) =>
            await c.MoveToAsync(c.Home, token));

        var recovered = recoveries.SelectMany(r => r.RecoveredAfter).Order().ToList();
        var away = recoveries.Where(r => r.AwayAfter is not null).Select(r => r.AwayAfter!.Value).Order().ToList();
        _awayByRoom.AddRange(away);
        var result = new KillResult(
            k,
            node.Number,
            hosted[node.Number - 1],
            recovered.Count > 0 ? recovered[^1] : TimeSpan.Zero,
            recovered.Count > 0 ? recovered[recovered.Count / 2] : TimeSpan.Zero,
            recovered.Count,
            recoveries.Sum(r => r.Reconnected),
            away.Count > 0 ? away[^1] : null,
            away.Count > 0 ? away[away.Count / 2] : null,
            away.Count,
            away.Count(a => a > _settings.Bound),
            recoveries.Count(r => r.StayedAway),
            held.Sum(h => h.VotesAckedBeforeKill),
            held.Sum(h => h.Checked),
            held.Sum(h => h.Lost),
            errors,
            ready,
            load);
        await _out.WriteLineAsync(result.Describe(_rooms.Count, _settings.Bound));
        await Task.Delay(_settings.Settle, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return result;
    }

    private ClusterNode Pick(int k, int previous, int?[] hosted)
    {
        if (_settings.Pick == KillPick.Hosting)
        {
            for (var step = 1; step <= _nodes.Count; step++)
            {
                var candidate = _nodes[(previous - 1 + step + _nodes.Count) % _nodes.Count];
                if (hosted[candidate.Number - 1] is > 0)
                {
                    return candidate;
                }
            }
        }

        return _nodes[(k - 1) % _nodes.Count];
    }

    private async Task<string> RoomsPerNodeAsync(CancellationToken cancellationToken)
    {
        var hosted = await Task.WhenAll(_nodes.Select(n => n.RoomsActiveAsync(_http, cancellationToken)));
        return string.Join(", ", hosted.Select(h => h?.ToString(CultureInfo.InvariantCulture) ?? "?"));
    }

    private string Summary(List<KillResult> kills)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine();
        text.AppendLine(Invariant($"== failover summary: {kills.Count} kills, {_settings.Describe()}"));
        if (kills.Count > 0)
        {
            text.AppendLine(Invariant($"   nodes killed: {string.Join(", ", kills.Select(k => Invariant($"{k.Node}{(k.HostedRooms is { } h ? Invariant($" ({h} rooms)") : "")}")))}"));
            text.AppendLine("   over the kills (nearest rank; with 10 kills p95 is the largest):");
            text.AppendLine(Invariant($"   everyone acting again (slowest participant): {Percentiles(kills.Select(k => k.AllRecovered))}"));
            text.AppendLine(Invariant($"   median participant acting again:            {Percentiles(kills.Select(k => k.MedianRecovered))}"));
            var away = kills.Where(k => k.SlowestAway is not null).Select(k => k.SlowestAway!.Value).ToList();
            text.AppendLine(Invariant($"   stayed-away participant shown away (slowest room): {(away.Count > 0 ? Percentiles(away) : "never seen")}"));
            text.AppendLine(Invariant($"   the same, every room of every kill ({_awayByRoom.Count}): {Percentiles(_awayByRoom)}; over {Duration(_settings.Bound)}: {_awayByRoom.Count(a => a > _settings.Bound)}"));
            var hostedKills = kills.Where(k => k.HostedRooms is > 0).ToList();
            var emptyKills = kills.Where(k => k.HostedRooms is 0).ToList();
            if (hostedKills.Count > 0 && emptyKills.Count > 0)
            {
                text.AppendLine(Invariant($"   kills of a node hosting rooms ({hostedKills.Count}): everyone acting again {Percentiles(hostedKills.Select(k => k.AllRecovered))}"));
                text.AppendLine(Invariant($"   kills of a node hosting none ({emptyKills.Count}): everyone acting again {Percentiles(emptyKills.Select(k => k.AllRecovered))}"));
            }

            var within = kills.Count(k => k.AllRecovered <= _settings.Bound && (k.SlowestAway ?? TimeSpan.Zero) <= _settings.Bound);
            text.AppendLine(Invariant($"   within {Duration(_settings.Bound)} (everyone acting and the away shown): {within} of {kills.Count} kills"));
            text.AppendLine(Invariant($"   acknowledged votes before the kills: {kills.Sum(k => k.AckedBeforeKill)}; acknowledged votes and names checked after the kills: {kills.Sum(k => k.Checked)}, lost: {kills.Sum(k => k.Lost)}"));
        }

        text.AppendLine(Invariant($"   lost outside the kills' rounds: {Interlocked.Read(ref _lostOutsideKills)}"));
        text.AppendLine("   errors by stage and code (all retried): " + (_errors.IsEmpty ? "none" : string.Join(", ", _errors.OrderByDescending(e => e.Value).Select(e => Invariant($"{e.Key} {e.Value}")))));
        text.AppendLine("   note: " + SharedCores(Invariant($"load average {LoadAverage()} at the end")));
        return text.ToString();
    }

    private static string Percentiles(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return "-";
        }

        TimeSpan At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return Invariant($"p50 {Seconds(At(0.50))}, p95 {Seconds(At(0.95))}, max {Seconds(sorted[^1])}");
    }

    internal static string Seconds(TimeSpan span) => Invariant($"{span.TotalSeconds:0.00} s");

    /// <summary>The 1-, 5- and 15-minute load averages (Linux).</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}

/// <summary>One kill's figures.</summary>
internal sealed record KillResult(
    int Kill,
    int Node,
    int? HostedRooms,
    TimeSpan AllRecovered,
    TimeSpan MedianRecovered,
    int Participants,
    int Reconnected,
    TimeSpan? SlowestAway,
    TimeSpan? MedianAway,
    int AwaySeen,
    int AwayOverBound,
    int StayedAway,
    int AckedBeforeKill,
    int Checked,
    int Lost,
    IReadOnlyList<(string Key, long Count)> Errors,
    TimeSpan Ready,
    string LoadAverage)
{
    public string Describe(int rooms, TimeSpan bound) => Text.Invariant(
        $"kill {Kill}: node {Node} ({(HostedRooms is { } h ? Text.Invariant($"hosted {h} of {rooms} rooms") : "rooms hosted unknown")}), load {LoadAverage}: ")
        + Text.Invariant($"everyone ({Participants}) acting again after {FailoverRunner.Seconds(AllRecovered)} (median {FailoverRunner.Seconds(MedianRecovered)}, {Reconnected} reconnected); ")
        + (SlowestAway is { } away
            ? Text.Invariant($"stayed-away shown away after {FailoverRunner.Seconds(away)} (slowest of {AwaySeen} rooms; median {FailoverRunner.Seconds(MedianAway!.Value)})")
            : Text.Invariant($"no stayed-away participant shown away ({StayedAway} rooms had one)"))
        + (AwayOverBound > 0 ? Text.Invariant($", {AwayOverBound} rooms over {Text.Duration(bound)}") : "")
        + (AwaySeen < StayedAway ? Text.Invariant($", {StayedAway - AwaySeen} never shown away") : "")
        + Text.Invariant($"; {(AllRecovered <= bound && (SlowestAway ?? TimeSpan.Zero) <= bound ? "within" : "OVER")} {Text.Duration(bound)}; ")
        + Text.Invariant($"votes acknowledged before the kill {AckedBeforeKill}, checked {Checked}, lost {Lost}; ")
        + "errors " + (Errors.Count == 0 ? "none" : string.Join(", ", Errors.Select(e => Text.Invariant($"{e.Key} {e.Count}"))))
        + Text.Invariant($"; restarted, ready after {FailoverRunner.Seconds(Ready)}");
}
