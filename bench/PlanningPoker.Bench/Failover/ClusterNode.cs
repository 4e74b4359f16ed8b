using System.Diagnostics;
using System.Globalization;

namespace PlanningPoker.Bench.Failover;

/// <summary>
/// A node of the cluster under test, as bench/with-cluster.sh describes it: its own address, its process, and the
/// command that starts it again on the same ports. The bench kills it with SIGKILL and starts it again.
/// </summary>
internal sealed class ClusterNode : IDisposable
{
    private Process? _started;

    public ClusterNode(int number, Uri url, int pid, string restartCommand)
    {
        Number = number;
        Url = url;
        Pid = pid;
        RestartCommand = restartCommand;
    }

    /// <summary>1-based, in the order the script started the nodes (node 1 first).</summary>
    public int Number { get; }

    public Uri Url { get; }

    public int Pid { get; private set; }

    public string RestartCommand { get; }

    /// <summary>
    /// The room grains active on the node, from its <c>/metrics</c> (<c>poker_rooms_active</c>, served from loopback
    /// when <c>Telemetry__Prometheus=true</c>); null when it does not answer.
    /// </summary>
    public async Task<int?> RoomsActiveAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var text = await http.GetStringAsync(new Uri(Url, "/metrics"), timeout.Token);
            int? rooms = null;
            foreach (var line in text.Split('\n'))
            {
                if (!line.StartsWith("poker_rooms_active", StringComparison.Ordinal))
                {
                    continue;
                }

                // poker_rooms_active{otel_scope_name="PlanningPoker",…} 7 1733040000000
                var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                {
                    rooms = (rooms ?? 0) + (int)n;
                }
            }

            return rooms;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill(entireProcessTree: false);
        }
        catch (ArgumentException)
        {
            // Gone already.
        }

        if (_started is { } started)
        {
            started.WaitForExit(5000); // ours: reap it
            started.Dispose();
            _started = null;
        }
    }

    /// <summary>Runs the start command again and waits for <c>/health/ready</c>; returns how long that took.</summary>
    public async Task<TimeSpan> RestartAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        _started = Process.Start(new ProcessStartInfo(RestartCommand) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not run {RestartCommand}");
        Pid = _started.Id;
        while (true)
        {
            if (_started.HasExited)
            {
                throw new InvalidOperationException(Text.Invariant($"node {Number} exited during start-up (code {_started.ExitCode}): see its log"));
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync(new Uri(Url, "/health/ready"), attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(start);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException(Text.Invariant($"node {Number} did not answer /health/ready within {Text.Duration(timeout)}"));
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    public void Dispose() => _started?.Dispose();
}
