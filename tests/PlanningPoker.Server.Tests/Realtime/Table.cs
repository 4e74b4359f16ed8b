using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>
/// One test's room and everyone connected to it: the facilitator who created it and the seats taken since,
/// each on its own SignalR connection. Disposing it closes every connection.
/// </summary>
public sealed class Table : IAsyncDisposable
{
    private readonly PokerApp _app;
    private readonly List<TestClient> _clients = [];
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    private Table(PokerApp app, CreateRoomResponse room)
    {
        _app = app;
        Room = room;
    }

    public CreateRoomResponse Room { get; }

    public string RoomId => Room.RoomId;

    public TestClient Facilitator { get; private set; } = null!;

    /// <summary>Every client of the table, the facilitator first.</summary>
    public IReadOnlyList<TestClient> Clients => _clients;

    public static async Task<Table> OpenAsync(PokerApp app, RoomSettingsDto? settings = null, DeckDto? deck = null, string facilitator = "Fanny")
    {
        var room = await app.CreateRoomAsync(displayName: facilitator, settings: settings, deck: deck).WaitAsync(TestClient.Timeout, Cancel);
        var table = new Table(app, room);
        table._tokens[facilitator] = room.Token;
        table.Facilitator = await table.ConnectAsync(facilitator, room.Token);
        return table;
    }

    /// <summary>Takes a seat through the REST API and joins the hub with it.</summary>
    public async Task<TestClient> SeatAsync(string name, Role role = Role.Estimator)
    {
        var seat = await _app.JoinAsync(RoomId, name, role).WaitAsync(TestClient.Timeout, Cancel);
        _tokens[name] = seat.Token;
        return await ConnectAsync(name, seat.Token);
    }

    /// <summary>A new connection for a seat taken earlier (by name), joined with its token.</summary>
    public async Task<TestClient> ConnectAsync(string name, string? token = null)
    {
        var client = await _app.ConnectAsync(name);
        _clients.Add(client);
        await client.JoinAsync(RoomId, token ?? _tokens[name]);
        return client;
    }

    /// <summary>A connection that has not joined any room.</summary>
    public async Task<TestClient> ConnectUnjoinedAsync(string name)
    {
        var client = await _app.ConnectAsync(name);
        _clients.Add(client);
        return client;
    }

    public string TokenOf(string name) => _tokens[name];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
