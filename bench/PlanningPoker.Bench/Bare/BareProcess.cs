using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PlanningPoker.Bench.Bare;

/// <summary>
/// Launches this executable's <c>serve-bare</c> as a separate process on a free loopback port (server GC, as the
/// product has through the Web SDK), waits for its <c>/health/ready</c>, and kills it when disposed.
/// </summary>
internal sealed class BareProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BareProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    public static async Task<BareProcess> StartAsync(int port, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        port = port == 0 ? FreePort() : port;
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Started as `dotnet PlanningPoker.Bench.dll`: start the child the same way.
            start.ArgumentList.Add(typeof(BareProcess).Assembly.Location);
        }

        start.ArgumentList.Add("serve-bare");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("serve-bare did not start");
        process.OutputDataReceived += (_, e) => Forward(log, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bare = new BareProcess(process, url);
        try
        {
            await bare.WaitReadyAsync(cancellationToken);
            return bare;
        }
        catch
        {
            await bare.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = new Uri(Url, "/health/ready");
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"serve-bare exited with code {_process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(ready, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException("serve-bare did not answer /health/ready within 30 s");
    }

    private static void Forward(TextWriter log, string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            log.WriteLine("   [bare] " + line); // Console.Out is synchronized
        }
    }

    /// <summary>A port nobody listens on now (the OS picks it; a tiny race with other programs is accepted).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
