using System.Diagnostics;

namespace PlanningPoker.Bench.Measurement;

/// <summary>How the cores and memory went over a stretch of time.</summary>
/// <param name="ServerCores">Server CPU seconds per second (null without <c>--server-pid</c>).</param>
/// <param name="ServerRssBytes">Server RSS at the end.</param>
/// <param name="BenchCores">This process's CPU seconds per second.</param>
/// <param name="MachineCores">Whole machine's busy cores (every process: the server, the bench and anyone else).</param>
internal sealed record CoreSplit(double? ServerCores, long? ServerRssBytes, double BenchCores, double? MachineCores)
{
    /// <summary>What neither the server nor the bench used: other processes on the shared machine.</summary>
    public double? OtherCores => MachineCores is { } m ? Math.Max(0, m - (ServerCores ?? 0) - BenchCores) : null;
}

/// <summary>The server's use of CPU and memory over the measured window.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="CpuSeconds">CPU seconds in the window.</param>
/// <param name="IdleRssBytes">RSS before the set-up.</param>
/// <param name="SetupRssBytes">RSS when the set-up was done.</param>
/// <param name="PeakRssBytes">Highest RSS sampled (every second) from the set-up to the end of the window.</param>
/// <param name="HighWaterBytes">The kernel's VmHWM at the end (peak since the process started, earlier runs included).</param>
/// <param name="IdleCores">CPU seconds per second the server used idle, before the set-up (its background timers).</param>
/// <param name="WindowSeconds">Length of the window.</param>
internal sealed record ServerUsage(int Pid, double CpuSeconds, long IdleRssBytes, long SetupRssBytes, long PeakRssBytes, long HighWaterBytes, double? IdleCores, double WindowSeconds)
{
    /// <summary>CPU seconds in the window above what the server would have used idle.</summary>
    public double CpuSecondsAboveIdle => Math.Max(0, CpuSeconds - ((IdleCores ?? 0) * WindowSeconds));
}

/// <summary>
/// Samples <c>/proc</c> for the server (when its pid is known), this process and the machine: an idle sample
/// before the set-up, the peak RSS every second, and deltas for periodic lines and for the measured window.
/// </summary>
internal sealed class ResourceWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _sampler = Task.CompletedTask;
    private long _peakRss;
    private Mark _lastInterval;
    private Mark _windowStart;
    private long _setupRss;

    public ResourceWatch(int? serverPid) => ServerPid = serverPid;

    public int? ServerPid { get; }

    /// <summary>RSS of the server before any load (0 without a pid).</summary>
    public long IdleRssBytes { get; private set; }

    public bool ServerAlive => ServerPid is not { } pid || ProcessProbe.Read(pid) is not null;

    /// <summary>Server CPU seconds per second while idle (null without a pid).</summary>
    public double? IdleCores { get; private set; }

    /// <summary>
    /// Samples the idle server for <paramref name="idle"/> (its CPU and RSS before any load), then starts the
    /// once-a-second peak sampler.
    /// </summary>
    public async Task StartAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        if (ServerPid is not null && idle > TimeSpan.Zero)
        {
            var before = Take();
            await Task.Delay(idle, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            IdleCores = Split(before, Take()).ServerCores;
        }

        var now = Take();
        IdleRssBytes = now.Server?.RssBytes ?? 0;
        _lastInterval = now;
        _windowStart = now;
        Interlocked.Exchange(ref _peakRss, IdleRssBytes);
        if (ServerPid is { } pid)
        {
            _sampler = SampleAsync(pid, _stop.Token);
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

    /// <summary>Marks the start of the measured window (the set-up is done).</summary>
    public void BeginWindow()
    {
        _windowStart = Take();
        _setupRss = _windowStart.Server?.RssBytes ?? 0;
    }

    /// <summary>The split over the measured window, and the server's usage in it.</summary>
    public (CoreSplit Split, ServerUsage? Server) EndWindow()
    {
        var end = Take();
        var split = Split(_windowStart, end);
        ServerUsage? server = null;
        if (ServerPid is { } pid && _windowStart.Server is { } a && end.Server is { } b)
        {
            var peak = Math.Max(Interlocked.Read(ref _peakRss), b.RssBytes);
            server = new ServerUsage(
                pid, b.CpuSeconds - a.CpuSeconds, IdleRssBytes, _setupRss, peak, b.HighWaterBytes, IdleCores, Stopwatch.GetElapsedTime(_windowStart.At, end.At).TotalSeconds);
        }

        return (split, server);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private Mark Take() => new(
        Stopwatch.GetTimestamp(),
        ServerPid is { } pid ? ProcessProbe.Read(pid) : null,
        Environment.CpuUsage.TotalTime.TotalSeconds,
        ProcessProbe.ReadMachine());

    private static CoreSplit Split(Mark from, Mark to)
    {
        var seconds = Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;
        if (seconds <= 0)
        {
            return new CoreSplit(null, to.Server?.RssBytes, 0, null);
        }

        double? server = from.Server is { } a && to.Server is { } b ? (b.CpuSeconds - a.CpuSeconds) / seconds : null;
        double? machine = from.Machine is { } ma && to.Machine is { } mb && mb.Total > ma.Total
            ? (double)(mb.Busy - ma.Busy) / (mb.Total - ma.Total) * Environment.ProcessorCount
            : null;
        return new CoreSplit(server, to.Server?.RssBytes, (to.BenchCpuSeconds - from.BenchCpuSeconds) / seconds, machine);
    }

    private async Task SampleAsync(int pid, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (ProcessProbe.Read(pid) is { } sample)
                {
                    long seen;
                    do
                    {
                        seen = Interlocked.Read(ref _peakRss);
                    }
                    while (sample.RssBytes > seen && Interlocked.CompareExchange(ref _peakRss, sample.RssBytes, seen) != seen);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private readonly record struct Mark(long At, ProcessSample? Server, double BenchCpuSeconds, MachineSample? Machine);
}
