using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orleans.Concurrency;
using Orleans.Serialization;
using Orleans.TestingHost;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Cluster;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using RoomCommand = PlanningPoker.Domain.RoomCommand;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>
/// An in-process Orleans cluster running the real <see cref="RoomGrain"/> on the real storage (a temp SQLite file
/// shared by every silo), with the JSON codec for Domain and Contracts types on silos and client as Program.cs has
/// it. The client is a separate host that reaches the silos through their gateways, so every call is serialized.
/// </summary>
public abstract class RoomClusterBase : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("poker-cluster-").FullName;
    private readonly short _silos;
    private readonly TimeProvider _time;
    private readonly List<FakeLogCollector> _logs = [];

    protected RoomClusterBase(short silos, TimeProvider time, TimeSpan presenceGracePeriod)
    {
        _silos = silos;
        _time = time;
        PresenceGracePeriod = presenceGracePeriod;
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>A client outside the silos, like a node of another process.</summary>
    public IClusterClient Client => Cluster.Client;

    public TimeSpan PresenceGracePeriod { get; }

    /// <summary>The grace after a connection closed on purpose: a fifth of <see cref="PresenceGracePeriod"/>.</summary>
    public TimeSpan ClosedConnectionGracePeriod => PresenceGracePeriod / 5;

    /// <summary>The store of the first silo, whose commits a test can make fail.</summary>
    internal FaultyRoomStore Store => Cluster.Silos[0].ServiceProvider.GetRequiredService<FaultyRoomStore>();

    public IRoomGrain Room(string roomId) => Client.GetGrain<IRoomGrain>(roomId);

    /// <summary>The grain factory of one silo, as the web host of that node uses it.</summary>
    public static IGrainFactory GrainFactoryOf(InProcessSiloHandle silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.ServiceProvider.GetRequiredService<IGrainFactory>();
    }

    /// <summary>A fresh room id, unique to the calling test.</summary>
    public static string NewRoomId() => "t-" + Guid.NewGuid().ToString("N");

    /// <summary>Creates a room with Fanny as facilitator and returns its id and her seat.</summary>
    public async Task<(string RoomId, Seat Facilitator)> CreateRoomAsync(RoomSettingsDto? settings = null, string? passcode = null)
    {
        var roomId = NewRoomId();
        var reply = await Room(roomId).Create(new CreateRoomRequest("Sprint 42", "Fanny", null, settings, passcode)).WaitAsync(Timeout, Cancel);
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        return (roomId, reply.Value!);
    }

    /// <summary>Seats someone in the room by name; answers their participant id.</summary>
    public async Task<int> JoinAsync(string roomId, string name)
    {
        var reply = await Room(roomId).Join(new JoinRoomRequest(name)).WaitAsync(Timeout, Cancel);
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        return reply.Value!.ParticipantId;
    }

    /// <summary>Tells the room a participant's connection opened (on no node in particular).</summary>
    public async Task ConnectAsync(string roomId, int participantId, string connectionId)
    {
        var reply = await Room(roomId).Connect(participantId, connectionId, null).WaitAsync(Timeout, Cancel);
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
    }

    /// <summary>Runs a command in the room; answers its reply.</summary>
    public Task<Reply> ExecuteAsync(string roomId, RoomCommand command) =>
        Room(roomId).Execute(new Immutable<RoomCommand>(command)).WaitAsync(Timeout, Cancel);

    /// <summary>Runs a command in the room, and fails the test if the room refuses it.</summary>
    public async Task OkAsync(string roomId, RoomCommand command)
    {
        var reply = await ExecuteAsync(roomId, command);
        Assert.True(reply.IsSuccess, $"{command.GetType().Name}: {reply.ErrorCode} {reply.ErrorMessage}");
    }

    /// <summary>A participant's view of the room.</summary>
    public async Task<RoomViewDto> ViewAsync(string roomId, int participantId)
    {
        var reply = await Room(roomId).GetView(participantId).WaitAsync(Timeout, Cancel);
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        return reply.Value!;
    }

    /// <summary>Forgets the logs so far (a test calls it first: the tests of a collection run one at a time).</summary>
    public void ClearLogs()
    {
        foreach (var log in _logs)
        {
            log.Clear();
        }
    }

    /// <summary>Every silo's log since <see cref="ClearLogs"/>, for a failure message.</summary>
    public IEnumerable<string> Logs => _logs.SelectMany(l => l.GetSnapshot()).Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception?.Message}");

    /// <summary>Fails if a silo logged an Error or worse since <see cref="ClearLogs"/>.</summary>
    public void AssertNoErrorLogs()
    {
        var errors = _logs.SelectMany(l => l.GetSnapshot()).Where(r => r.Level >= LogLevel.Error && !IsExpected(r) && !IsInjected(r)).Select(r => $"{r.Category}: {r.Message} {r.Exception}").ToList();
        Assert.True(errors.Count == 0, "a silo logged errors:\n" + string.Join("\n", errors));
    }

    /// <summary>A failure that a test injected on purpose (<see cref="FaultyRoomStore"/>).</summary>
    private static bool IsInjected(FakeLogRecord record) => record.Exception?.Message.StartsWith("injected:", StringComparison.Ordinal) == true;

    /// <summary>An error entry that this cluster's set-up causes by design.</summary>
    protected virtual bool IsExpected(FakeLogRecord record) => false;

    public async ValueTask InitializeAsync()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "rooms.db") }.ToString();
        var builder = new InProcessTestClusterBuilder(_silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:MaxBatchSize"] = "16",
            });
            host.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddFakeLogging();
            host.Services.Replace(ServiceDescriptor.Singleton(_time));
            host.Services.AddOptions<RoomOptions>().Configure(o =>
            {
                o.PresenceGracePeriod = PresenceGracePeriod;
                o.ClosedConnectionGracePeriod = ClosedConnectionGracePeriod;
            });
            host.Services.AddSingleton(sp => new FaultyRoomStore(sp.GetRequiredService<RoomStore>()));
            host.Services.AddSingleton<IRoomStore>(sp => sp.GetRequiredService<FaultyRoomStore>());
            host.Services.AddRoomStorage();
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.Replace(ServiceDescriptor.Singleton(_time));
            silo.Services.AddSingleton<LocalRooms>();
            silo.Services.AddSerializer(s => s.AddJsonSerializer(DomainJson.IsSupported, DomainJson.Options));
        });
        builder.ConfigureClientHost(host => host.Logging.ClearProviders());
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddJsonSerializer(DomainJson.IsSupported, DomainJson.Options)));
        Cluster = builder.Build();
        await Cluster.DeployAsync(TestContext.Current.CancellationToken);
        foreach (var silo in Cluster.Silos)
        {
            _logs.Add(silo.ServiceProvider.GetFakeLogCollector());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open: the system cleans its temp folder later.
        }

        GC.SuppressFinalize(this);
    }

    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}

/// <summary>Two silos on the machine's clock, with a short presence grace period.</summary>
public sealed class RoomCluster() : RoomClusterBase(2, TimeProvider.System, TimeSpan.FromMilliseconds(200));

/// <summary>One silo whose clock (and so every grain timer) moves only when a test advances it.</summary>
public sealed class FakeClockRoomCluster : RoomClusterBase
{
    public FakeClockRoomCluster()
        : this(new ArmedClock(TimeProvider.System.GetUtcNow()))
    {
    }

    private FakeClockRoomCluster(ArmedClock time)
        : base(1, time, GracePeriod)
    {
        Time = time;
    }

    /// <summary>A length no periodic loop of the silo shares, so that a timer armed for its end is the room's.</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromMilliseconds(7_345);

    public ArmedClock Time { get; }

    /// <summary>
    /// Orleans' own health monitor reads the silo's clock too: when a test moves it by seconds at once, the monitor
    /// reports a thread-pool stall that did not happen.
    /// </summary>
    protected override bool IsExpected(FakeLogRecord record) =>
        record is { Category: "Orleans.Runtime.MembershipService.LocalSiloHealthMonitor" } && record.Message.Contains("stalled", StringComparison.Ordinal);
}

[CollectionDefinition(nameof(RoomCluster))]
public sealed class RoomClusterDefinition : ICollectionFixture<RoomCluster>;

[CollectionDefinition(nameof(FakeClockRoomCluster))]
public sealed class FakeClockRoomClusterDefinition : ICollectionFixture<FakeClockRoomCluster>;
