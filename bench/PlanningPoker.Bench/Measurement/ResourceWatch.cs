using System.Diagnostics;

namespace PlanningPoker.Bench.Measurement;

/// <summary>How the cores and memory went over a stretch of time.</summary>
/// <param name="ServerCores">Server CPU seconds per second, summed over the nodes (null without <c>--server-pid</c>).</param>
/// <param name="ServerRssBytes">Server RSS at the end, summed over the nodes.</param>
/// <param name="BenchCores">This process's CPU seconds per second.</param>
/// <param name="MachineCores">Whole machine's busy cores (every process: the server, the bench and anyone else).</param>
/// <param name="NodeCores">Each server process's CPU seconds per second, in <c>--server-pid</c> order (null: not readable).</param>
internal sealed record CoreSplit(double? ServerCores, long? ServerRssBytes, double BenchCores, double? MachineCores, IReadOnlyList<double?> NodeCores)
{
    /// <summary>What neither the server nor the bench used: other processes on the shared machine.</summary>
    public double? OtherCores => MachineCores is { } m ? Math.Max(0, m - (ServerCores ?? 0) - BenchCores) : null;
}

/// <summary>The server's use of CPU and memory over the measured window: one process, or the sum over a cluster's nodes.</summary>
/// <param name="Pids">Its process ids (one per node).</param>
/// <param name="CpuSeconds">CPU seconds in the window.</param>
/// <param name="IdleRssBytes">RSS before the set-up.</param>
/// <param name="SetupRssBytes">RSS when the set-up was done.</param>
/// <param name="PeakRssBytes">Highest RSS sampled (every second) from the set-up to the end of the window (of the sum, for several nodes).</param>
/// <param name="HighWaterBytes">The kernel's VmHWM at the end (peak since the process started, earlier runs included).</param>
/// <param name="IdleCores">CPU seconds per second the server used idle, before the set-up (its background timers).</param>
/// <param name="WindowSeconds">Length of the window.</param>
internal sealed record ServerUsage(IReadOnlyList<int> Pids, double CpuSeconds, long IdleRssBytes, long SetupRssBytes, long PeakRssBytes, long HighWaterBytes, double? IdleCores, double WindowSeconds)
{
    /// <summary>CPU seconds in the window above what the server would have used idle.</summary>
    public double CpuSecondsAboveIdle => Math.Max(0, CpuSeconds - ((IdleCores ?? 0) * WindowSeconds));
}

/// <summary>
/// Samples <c>/proc</c> for the server's processes (one per node, when their pids are known), this process and the
/// machine: an idle sample before the set-up, the peak RSS every second, and deltas for periodic lines and for the
/// measured window.
/// </summary>
internal sealed class ResourceWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _pids;
    private readonly long[] _peakRss;
    private readonly long[] _idleRss;
    private readonly double?[] _idleCores;
    private Task _sampler = Task.CompletedTask;
    private long _peakTotalRss;
    private Mark _lastInterval;
    private Mark _windowStart;

    public ResourceWatch(IReadOnlyList<int> serverPids)
    {
        ArgumentNullException.ThrowIfNull(serverPids);
        _pids = [.. serverPids];
        _peakRss = new long[_pids.Length];
        _idleRss = new long[_pids.Length];
        _idleCores = new double?[_pids.Length];
    }

    public IReadOnlyList<int> ServerPids => _pids;

    /// <summary>RSS of the server (summed over its nodes) before any load (0 without a pid).</summary>
    public long IdleRssBytes => _idleRss.Sum();

    /// <summary>Server pids no longer readable in <c>/proc</c> (gone, or not ours to read).</summary>
    public IReadOnlyList<int> GonePids => [.. _pids.Where(pid => ProcessProbe.Read(pid) is null)];

    /// <summary>Server CPU seconds per second while idle, summed over its nodes (null without a pid, or if one was unreadable).</summary>
    public double? IdleCores => _pids.Length > 0 && _idleCores.All(c => c is not null) ? _idleCores.Sum() : null;

    /// <summary>
    /// Samples the idle server for <paramref name="idle"/> (its CPU and RSS before any load), then starts the
    /// once-a-second peak sampler.
    /// </summary>
    public async Task StartAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        if (_pids.Length > 0 && idle > TimeSpan.Zero)
        {
            var before = Take();
            await Task.Delay(idle, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var idleSplit = Split(before, Take());
            for (var i = 0; i < _pids.Length; i++)
            {
                _idleCores[i] = idleSplit.NodeCores[i];
            }
        }

        var now = Take();
        for (var i = 0; i < _pids.Length; i++)
        {
            _idleRss[i] = now.Servers[i]?.RssBytes ?? 0;
            Interlocked.Exchange(ref _peakRss[i], _idleRss[i]);
        }

        Interlocked.Exchange(ref _peakTotalRss, IdleRssBytes);
        _lastInterval = now;
        _windowStart = now;
        if (_pids.Length > 0)
        {
            _sampler = SampleAsync(_stop.Token);
        }
    }

    /// <summary>The split since the previous call (for the periodic line).</summary>
    public CoreSplit Interval()
    {
        var now = Take();
        var split = Split(_lastInterval, now);
        _lastInterval = now;
        return split;
    }

    /// <summary>The server's CPU seconds so far (summed over the nodes); null unless every pid is readable.</summary>
    public double? ServerCpuSeconds()
    {
        var samples = _pids.Select(ProcessProbe.Read).ToArray();
        return samples.Length > 0 && samples.All(s => s is not null) ? samples.Sum(s => s!.Value.CpuSeconds) : null;
    }

    /// <summary>Marks the start of the measured window (the set-up is done).</summary>
    public void BeginWindow() => _windowStart = Take();

    /// <summary>
    /// The split over the measured window, and the server's usage in it: the whole (summed over the nodes; null
    /// unless every pid was readable at both ends) and, with several pids, each node's.
    /// </summary>
    public (CoreSplit Split, ServerUsage? Server, IReadOnlyList<ServerUsage> Nodes) EndWindow()
    {
        var end = Take();
        var split = Split(_windowStart, end);
        var seconds = Stopwatch.GetElapsedTime(_windowStart.At, end.At).TotalSeconds;
        var nodes = new List<ServerUsage>(_pids.Length);
        for (var i = 0; i < _pids.Length; i++)
        {
            if (_windowStart.Servers[i] is { } a && end.Servers[i] is { } b)
            {
                var peak = Math.Max(Interlocked.Read(ref _peakRss[i]), b.RssBytes);
                nodes.Add(new ServerUsage([_pids[i]], b.CpuSeconds - a.CpuSeconds, _idleRss[i], a.RssBytes, peak, b.HighWaterBytes, _idleCores[i], seconds));
            }
        }

        if (nodes.Count != _pids.Length || nodes.Count == 0)
        {
            return (split, null, _pids.Length > 1 ? nodes : []);
        }

        if (nodes.Count == 1)
        {
            return (split, nodes[0], []);
        }

        var total = new ServerUsage(
            _pids,
            nodes.Sum(n => n.CpuSeconds),
            nodes.Sum(n => n.IdleRssBytes),
            nodes.Sum(n => n.SetupRssBytes),
            Math.Max(Interlocked.Read(ref _peakTotalRss), end.Servers.Sum(s => s?.RssBytes ?? 0)),
            nodes.Sum(n => n.HighWaterBytes),
            IdleCores,
            seconds);
        return (split, total, nodes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private Mark Take() => new(
        Stopwatch.GetTimestamp(),
        [.. _pids.Select(ProcessProbe.Read)],
        Environment.CpuUsage.TotalTime.TotalSeconds,
        ProcessProbe.ReadMachine());

    private static CoreSplit Split(Mark from, Mark to)
    {
        var seconds = Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;
        var rss = to.Servers.Any(s => s is not null) ? to.Servers.Sum(s => s?.RssBytes ?? 0) : (long?)null;
        if (seconds <= 0)
        {
            return new CoreSplit(null, rss, 0, null, new double?[to.Servers.Length]);
        }

        var nodes = from.Servers.Zip(to.Servers, (a, b) => a is { } x && b is { } y ? (y.CpuSeconds - x.CpuSeconds) / seconds : (double?)null).ToArray();
        var server = nodes.Any(n => n is not null) ? nodes.Sum() : null;
        double? machine = from.Machine is { } ma && to.Machine is { } mb && mb.Total > ma.Total
            ? (double)(mb.Busy - ma.Busy) / (mb.Total - ma.Total) * Environment.ProcessorCount
            : null;
        return new CoreSplit(server, rss, (to.BenchCpuSeconds - from.BenchCpuSeconds) / seconds, machine, nodes);
    }

    /// <summary>Every second: each process's RSS, and the sum's (the nodes' peaks need not coincide).</summary>
    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                long total = 0;
                for (var i = 0; i < _pids.Length; i++)
                {
                    if (ProcessProbe.Read(_pids[i]) is { } sample)
                    {
                        Raise(ref _peakRss[i], sample.RssBytes);
                        total += sample.RssBytes;
                    }
                }

                Raise(ref _peakTotalRss, total);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private static void Raise(ref long peak, long value)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref peak);
        }
        while (value > seen && Interlocked.CompareExchange(ref peak, value, seen) != seen);
    }

    private readonly record struct Mark(long At, ProcessSample?[] Servers, double BenchCpuSeconds, MachineSample? Machine);
}
