using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
namespace PlanningPoker.Testing;

/// <summary>
/// The real server in a process of its own (<c>dotnet PlanningPoker.Server.dll</c>, the build the tests were built
/// with, or its published form), on free loopback ports and a given data folder, so that a test can kill it like a power cut would.
/// Its console output is kept for failure messages. Disposing kills it if it still runs. Shared by the server's
/// tests (kill -9) and the end-to-end tests (real browsers against the real process).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, StringBuilder output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Raised for each line the server writes (standard output or error), after it is in the logs.</summary>
    public event Action<string>? LineWritten;

    /// <summary>Everything the process wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server on <paramref name="dataDirectory"/> and waits until it is ready.</summary>
    /// <param name="dataDirectory">Where the SQLite file lives; reuse it to restart on the same data.</param>
    /// <param name="log">Where the output of earlier runs goes too, for the failure message.</param>
    /// <param name="settings">Settings (environment variables) that replace or add to the defaults: another storage, a cluster.</param>
    /// <param name="port">The HTTP port (a restart on the same address); a free one when null.</param>
    /// <param name="assembly">The server to run: <see cref="ServerAssembly"/> when null, or <see cref="PublishedServerAssembly"/>.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, StringBuilder log, IReadOnlyDictionary<string, string>? settings = null, int? port = null, string? assembly = null)
    {
        port ??= FreePort();
        assembly ??= ServerAssembly();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(DotnetHost(), [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = baseAddress.ToString().TrimEnd('/'),
            ["Storage__Provider"] = "Sqlite",
            ["Storage__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "poker.db")}",
            ["Node__SiloPort"] = Invariant(FreePort()),
            ["Node__GatewayPort"] = Invariant(FreePort()),
            ["Node__ClusterId"] = "kill-" + Guid.NewGuid().ToString("N"),
            ["Limits__RoomCreationsPerMinute"] = "100000",
            ["Limits__JoinsPerMinute"] = "100000",
            ["Limits__HubCallsPerSecond"] = "10000",
            ["Limits__HubCallBurst"] = "10000",
            ["Limits__ConnectionsPerAddress"] = "100000",
            ["Limits__HubCallsPerAddressPerSecond"] = "1000000",
            ["Limits__HubCallBurstPerAddress"] = "1000000",
            ["Limits__MissedJoinsPerMinute"] = "1000000",
            ["Accounts__SignInsPerMinute"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, output, baseAddress);
        void Capture(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            lock (log)
            {
                log.AppendLine(line);
            }

            if (line.Contains("Application started", StringComparison.Ordinal))
            {
                server._started.TrySetResult();
            }

            server.LineWritten?.Invoke(line);
        }

        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Exited += (_, _) => server._started.TrySetException(new InvalidOperationException("The server exited before it started."));
        lock (log)
        {
            log.AppendLine(CultureInfo.InvariantCulture, $"--- dotnet {assembly} on {baseAddress} ---");
        }

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server._started.Task.WaitAsync(StartTimeout, TestContext.Current.CancellationToken);
            using var http = new HttpClient { BaseAddress = baseAddress };
            using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken)
                .WaitAsync(Timeout, TestContext.Current.CancellationToken);
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"/health/ready answered {(int)ready.StatusCode}.");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>SIGTERM, as a service manager stops a process, and waits until it has exited (a graceful shutdown).</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("kill did not start");
            await signal.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(Timeout, CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>
    /// The server assembly of the same configuration as this test assembly: artifacts/bin/PlanningPoker.Server/&lt;pivot&gt;/,
    /// where the pivot ("debug", "release") is the name of the folder the tests run from.
    /// </summary>
    public static string ServerAssembly() => Artifact("bin", "Build the server first (the test project references it).");

    /// <summary>
    /// The server as people should get it, published (its app trimmed and precompressed), of the same configuration:
    /// artifacts/publish/PlanningPoker.Server/&lt;pivot&gt;/. A test project that runs it publishes it when it builds.
    /// </summary>
    public static string PublishedServerAssembly() => Artifact("publish", "Build the test project first: it publishes the server when it builds.");

    private static string Artifact(string kind, string hint)
    {
        var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = testFolder;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PlanningPoker.slnx")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No PlanningPoker.slnx above {testFolder.FullName}.");
        }

        var path = Path.Combine(root.FullName, "artifacts", kind, "PlanningPoker.Server", testFolder.Name, "PlanningPoker.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException(hint, path);
    }

    /// <summary>The dotnet host: the one that runs this build if the SDK says so, else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A port free on the loopback interface now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
