using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Tests.Infrastructure;

/// <summary>
/// The real server on a real Kestrel bound to 127.0.0.1 (a free port), with its own SQLite file and its own
/// Orleans silo ports. One instance serves a whole test collection; every test makes its own rooms.
/// </summary>
public sealed class PokerApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("poker-tests-").FullName;

    public PokerApp()
    {
        // 127.0.0.1 rather than localhost: one address family, no resolver in the way.
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Settings a test collection wants on top of the defaults.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Extra logging set-up (a log collector, say), applied after the defaults.</summary>
    public Action<ILoggingBuilder>? ConfigureLogs { get; set; }

    /// <summary>Extra services (a fault-injecting interceptor, say), added after the app's own.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>The server's SQLite file.</summary>
    public string DatabasePath => Path.Combine(_dataDirectory, "poker.db");

    public ValueTask InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
        return ValueTask.CompletedTask;
    }

    public HttpClient Http() => new() { BaseAddress = BaseAddress };

    /// <summary>Creates a room through the API and returns its facilitator's seat.</summary>
    public async Task<CreateRoomResponse> CreateRoomAsync(string name = "Sprint 42", string displayName = "Fanny", RoomSettingsDto? settings = null, DeckDto? deck = null, string? passcode = null)
    {
        using var http = Http();
        var response = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest(name, displayName, deck, settings, passcode), Cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreateRoomResponse>(Cancel))!;
    }

    /// <summary>Joins a room through the API.</summary>
    public async Task<JoinRoomResponse> JoinAsync(string roomId, string displayName, Role role = Role.Estimator, string? passcode = null)
    {
        using var http = Http();
        var response = await http.PostAsJsonAsync($"/api/rooms/{roomId}/participants", new JoinRoomRequest(displayName, role, passcode), Cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JoinRoomResponse>(Cancel))!;
    }

    /// <summary>Connects a SignalR client that records every push; call <see cref="TestClient.JoinAsync"/> next.</summary>
    public async Task<TestClient> ConnectAsync(string name)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, IRoomHub.Path))
            .Build();
        var client = new TestClient(name, connection);
        await connection.StartAsync(Cancel).WaitAsync(TestClient.Timeout, Cancel);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temp folder is cleaned by the system later.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={DatabasePath}",
            ["Node:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Node:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Node:ClusterId"] = "test-" + Guid.NewGuid().ToString("N"),
            ["Rooms:PresenceGracePeriod"] = "00:00:00.300",
            ["Rooms:ClosedConnectionGracePeriod"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Limits:RoomCreationsPerMinute"] = "100000",
            ["Limits:JoinsPerMinute"] = "100000",
            ["Limits:HubCallsPerSecond"] = "10000",
            ["Limits:HubCallBurst"] = "10000",
            ["Limits:ConnectionsPerAddress"] = "100000",
            ["Limits:HubCallsPerAddressPerSecond"] = "1000000",
            ["Limits:HubCallBurstPerAddress"] = "1000000",
            ["Limits:MissedJoinsPerMinute"] = "1000000",
            ["Accounts:SignInsPerMinute"] = "1000000",
            ["Trackers:WriteBack:PollInterval"] = "00:00:00.100",
            ["Trackers:WriteBack:Backoff"] = "00:00:00.050",
            ["Trackers:WriteBack:MaxBackoff"] = "00:00:00.500",

            // The tracker fakes listen on plain http on loopback.
            ["Trackers:AllowHttp"] = "true",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));

        // Program.cs reads a few settings while it registers services (which exporters to build): those reach it only
        // as host settings, which the application's configuration sees from the start.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(l =>
        {
            // Nothing on the console: the servers' warnings would bury the test report (a test that wants logs adds
            // a collector). Other providers stay (OpenTelemetry's, when a test exports logs).
            l.AddFilter<ConsoleLoggerProvider>(_ => false);
            l.SetMinimumLevel(LogLevel.Warning);
            ConfigureLogs?.Invoke(l);
        });
        if (ConfigureServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
