using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Security;

/// <summary>
/// The limits per client address (open hub connections, hub calls, missed joins) and how the address is found
/// behind a proxy. Each test runs its own server with tight limits (the shared server lifts them); the test
/// client on 127.0.0.1 plays a trusted proxy, so <c>X-Forwarded-For</c> stands for other clients.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AddressLimitTests
{
    private const string Office = "203.0.113.7";
    private const string Elsewhere = "198.51.100.9";
    private const string Loopback = "127.0.0.1";

    [Fact]
    public async Task TheConnectionPastTheCapFromOneAddressIsRefusedWhileAnotherAddressConnects()
    {
        await using var app = await StartAsync(("Limits:ConnectionsPerAddress", "3"), ("Web:KnownProxies:0", Loopback));
        await using var open = new Connections();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await ConnectFromAsync(app, Office));
        }

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectFromAsync(app, Office));
        open.Add(await ConnectFromAsync(app, Elsewhere));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task TheRefusedNegotiateIsARateLimitedProblemWithRetryAfter()
    {
        await using var app = await StartAsync(("Limits:ConnectionsPerAddress", "1"), ("Web:KnownProxies:0", Loopback));
        await using var open = new Connections { await ConnectFromAsync(app, Office) };
        using var http = app.Http();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, IRoomHub.Path + "/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("X-Forwarded-For", Office);

        var response = await http.SendAsync(negotiate, Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(response, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task ConnectionsOpenedAtOnceFromOneAddressStopAtTheCap()
    {
        await using var app = await StartAsync(("Limits:ConnectionsPerAddress", "3"));
        await using var open = new Connections();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                return await ConnectFromAsync(app, forwardedFor: null, counted: false);
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return null;
            }
        }));
        foreach (var connection in attempts.OfType<HubConnection>())
        {
            open.Add(connection);
        }

        // A connection refused after its handshake is closed by the server: its call fails without an answer.
        var alive = 0;
        foreach (var connection in open)
        {
            try
            {
                await connection.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView), Rest.Cancel).Timed();
            }
            catch (HubException ex) when (ProblemAssert.CodeOf(ex) == ErrorCodes.NotJoined)
            {
                alive++;
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or HubException)
            {
            }
        }

        Assert.Equal(3, alive);
    }

    [Fact]
    public async Task AConnectionThatPassedNegotiateBeforeTheCapWasReachedIsClosedWithRateLimited()
    {
        await using var app = await StartAsync(("Limits:ConnectionsPerAddress", "1"));
        using var http = app.Http();
        var negotiated = await http.PostAsync(IRoomHub.Path + "/negotiate?negotiateVersion=1", content: null, Rest.Cancel).Timed();
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>(Rest.Cancel).Timed()).GetProperty("connectionToken").GetString();
        await using var open = new Connections { await ConnectFromAsync(app, forwardedFor: null) };

        // The late one goes on by long polling: its handshake, then polls until the server's close message.
        var poll = $"{IRoomHub.Path}?id={token}";
        var handshake = await http.PostAsync(poll, new StringContent("{\"protocol\":\"json\",\"version\":1}\u001e"), Rest.Cancel).Timed();
        var received = new StringBuilder();
        for (var i = 0; i < 5 && !received.ToString().Contains("\"type\":7", StringComparison.Ordinal); i++)
        {
            var response = await http.GetAsync(poll, Rest.Cancel).Timed();
            received.Append(await response.Content.ReadAsStringAsync(Rest.Cancel).Timed());
        }

        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.Contains("\"type\":7", received.ToString(), StringComparison.Ordinal);
        Assert.Contains("HubException: RateLimited: at most 1 connections from one address", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClosedConnectionGivesItsPlaceBack()
    {
        await using var app = await StartAsync(("Limits:ConnectionsPerAddress", "1"));
        var first = await ConnectFromAsync(app, forwardedFor: null);

        await first.DisposeAsync();
        await using var open = new Connections { await ConnectEventuallyAsync(app) };

        Assert.Single(open);
    }

    [Fact]
    public async Task AForwardedAddressFromAnUntrustedPeerIsIgnored()
    {
        await using var app = await StartAsync(("Limits:ConnectionsPerAddress", "2"), ("Web:KnownProxies:0", "10.1.2.3"));
        await using var open = new Connections
        {
            await ConnectFromAsync(app, "203.0.113.1"),
            await ConnectFromAsync(app, "203.0.113.2"),
        };

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectFromAsync(app, "203.0.113.3"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task AddressesInOneIpv6SlashSixtyFourShareOneCap()
    {
        await using var app = await StartAsync(("Limits:ConnectionsPerAddress", "1"), ("Web:KnownProxies:0", Loopback));
        await using var open = new Connections { await ConnectFromAsync(app, "2001:db8:1:2::1") };

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectFromAsync(app, "2001:db8:1:2:ffff::9"));
        open.Add(await ConnectFromAsync(app, "2001:db8:1:3::1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task CallsFromManyConnectionsOfOneAddressShareOneBudget()
    {
        await using var app = await StartAsync(("Limits:HubCallsPerAddressPerSecond", "1"), ("Limits:HubCallBurstPerAddress", "4"));
        await using var open = new Connections();
        for (var i = 0; i < 5; i++)
        {
            // Not counted by a call: that would spend the budget under test.
            open.Add(await ConnectFromAsync(app, forwardedFor: null, counted: false));
        }

        var codes = await Task.WhenAll(open.SelectMany(c => new[] { CodeOfGetViewAsync(c), CodeOfGetViewAsync(c) }));

        // Each connection alone is far under its own limit (the shared server's); together they pass the address's.
        Assert.InRange(codes.Count(c => c == ErrorCodes.RateLimited), 10 - 4 - 1, 10);
        Assert.All(codes, c => Assert.Contains(c, new[] { ErrorCodes.RateLimited, ErrorCodes.NotJoined }));
    }

    [Fact]
    public async Task RestLimitsCountEachForwardedClientOfATrustedProxy()
    {
        await using var app = await StartAsync(("Limits:JoinsPerMinute", "1"), ("Web:KnownProxies:0", Loopback));
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var office = await GetFromAsync(http, $"/api/rooms/{room.RoomId}", Office);
        var elsewhere = await GetFromAsync(http, $"/api/rooms/{room.RoomId}", Elsewhere);
        var officeAgain = await GetFromAsync(http, $"/api/rooms/{room.RoomId}", Office);

        Assert.Equal(HttpStatusCode.OK, office.StatusCode);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        await ProblemAssert.IsAsync(officeAgain, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
    }

    [Fact]
    public async Task JoinsOfMissingRoomsPastTheBudgetAreRefusedWithoutLoadingARoom()
    {
        var loads = new LoadCounter();
        await using var app = await StartAsync(loads, ("Limits:MissedJoinsPerMinute", "3"));
        await using var client = await app.ConnectAsync("Mallory").Timed();
        var misses = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            misses.Add(await CodeOfJoinAsync(client, Secrets.NewRoomId()));
        }

        var loadsWithinBudget = loads.Total;
        var refusals = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            refusals.Add(await CodeOfJoinAsync(client, Secrets.NewRoomId()));
        }

        Assert.All(misses, code => Assert.Equal(ErrorCodes.RoomNotFound, code));
        Assert.All(refusals, code => Assert.Equal(ErrorCodes.RateLimited, code));
        Assert.Equal(3, loadsWithinBudget);
        Assert.Equal(loadsWithinBudget, loads.Total);
    }

    [Fact]
    public async Task WrongTokensSpendTheSameBudgetAsMissingRooms()
    {
        await using var app = await StartAsync(("Limits:MissedJoinsPerMinute", "2"));
        var room = await app.CreateRoomAsync().Timed();
        await using var client = await app.ConnectAsync("Mallory").Timed();

        var first = await CodeOfJoinAsync(client, room.RoomId, "not-a-token");
        var second = await CodeOfJoinAsync(client, Secrets.NewRoomId());
        var third = await CodeOfJoinAsync(client, room.RoomId, room.Token);

        Assert.Equal(ErrorCodes.InvalidToken, first);
        Assert.Equal(ErrorCodes.RoomNotFound, second);
        Assert.Equal(ErrorCodes.RateLimited, third);
    }

    [Fact]
    public async Task RestReadsOfMissingRoomsSpendTheSameBudget()
    {
        var loads = new LoadCounter();
        await using var app = await StartAsync(loads, ("Limits:MissedJoinsPerMinute", "2"));
        using var http = app.Http();
        await using var client = await app.ConnectAsync("Mallory").Timed();

        var hub = await CodeOfJoinAsync(client, Secrets.NewRoomId());
        var read = await http.GetAsync($"/api/rooms/{Secrets.NewRoomId()}", authorization: null);
        var loadsWithinBudget = loads.Total;
        var join = await http.PostAsync($"/api/rooms/{Secrets.NewRoomId()}/participants", JsonContent.Create(new JoinRoomRequest("Mallory")), Rest.Cancel).Timed();
        var again = await http.GetAsync($"/api/rooms/{Secrets.NewRoomId()}", authorization: null);

        Assert.Equal(ErrorCodes.RoomNotFound, hub);
        await ProblemAssert.IsAsync(read, HttpStatusCode.NotFound, ErrorCodes.RoomNotFound);
        await ProblemAssert.IsAsync(join, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        await ProblemAssert.IsAsync(again, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.Equal(loadsWithinBudget, loads.Total);
    }

    [Fact]
    public async Task AMissingRoomIsNotKeptActivated()
    {
        var loads = new LoadCounter();
        await using var app = await StartAsync(loads);
        var room = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRoomGrain>(Secrets.NewRoomId());

        var first = await room.GetInfo().Timed();
        var second = await room.GetInfo().Timed();

        Assert.Equal(ErrorCodes.RoomNotFound, first.ErrorCode);
        Assert.Equal(ErrorCodes.RoomNotFound, second.ErrorCode);
        Assert.Equal(2, loads.Total);
    }

    [Fact]
    public async Task ARepeatedMissOfOneRoomIdLoadsItOnce()
    {
        var loads = new LoadCounter();
        await using var app = await StartAsync(loads, ("Limits:MissedJoinsPerMinute", "10"));
        await using var client = await app.ConnectAsync("Mallory").Timed();
        var roomId = Secrets.NewRoomId();

        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add(await CodeOfJoinAsync(client, roomId));
        }

        Assert.All(codes, code => Assert.Equal(ErrorCodes.RoomNotFound, code));
        Assert.Equal(1, loads.Total);
    }

    private static async Task<string> CodeOfJoinAsync(TestClient client, string roomId, string token = "some-token")
    {
        var error = await Assert.ThrowsAsync<HubException>(() => client.JoinAsync(roomId, token));
        return ProblemAssert.CodeOf(error) ?? error.Message;
    }

    private static async Task<string> CodeOfGetViewAsync(HubConnection connection)
    {
        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView), Rest.Cancel).Timed());
        return ProblemAssert.CodeOf(error) ?? error.Message;
    }

    private static async Task<HttpResponseMessage> GetFromAsync(HttpClient http, string path, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request, Rest.Cancel).Timed();
    }

    /// <summary>A hub connection whose requests (negotiate and WebSocket) say they were forwarded for this client.</summary>
    /// <summary>
    /// Connects from an address and, unless told not to, waits until the server has counted the connection: SignalR
    /// answers the handshake before the hub's OnConnectedAsync runs, so a started client is not yet counted, but a
    /// call's answer comes after it (here NotJoined: the connection holds no seat).
    /// </summary>
    private static async Task<HubConnection> ConnectFromAsync(PokerApp app, string? forwardedFor, bool counted = true)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, IRoomHub.Path), o =>
            {
                if (forwardedFor is not null)
                {
                    o.Headers["X-Forwarded-For"] = forwardedFor;
                }
            })
            .Build();
        try
        {
            await connection.StartAsync(Rest.Cancel).Timed();
            if (counted)
            {
                var notJoined = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView), Rest.Cancel).Timed());
                Assert.Equal(ErrorCodes.NotJoined, ProblemAssert.CodeOf(notJoined));
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects once the server has counted the closing of an earlier connection (it does so after the client is told).</summary>
    private static async Task<HubConnection> ConnectEventuallyAsync(PokerApp app)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Rest.Cancel);
        timeout.CancelAfter(TestClient.Timeout);
        while (true)
        {
            try
            {
                return await ConnectFromAsync(app, forwardedFor: null);
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests && !timeout.IsCancellationRequested)
            {
                await Task.Yield();
            }
        }
    }

    private static Task<PokerApp> StartAsync(params (string Key, string Value)[] settings) => StartAsync(loads: null, settings);

    private static async Task<PokerApp> StartAsync(LoadCounter? loads, params (string Key, string Value)[] settings)
    {
        var app = new PokerApp();
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }

        if (loads is not null)
        {
            app.ConfigureServices = services => services.AddSingleton<IRoomStore>(sp => new CountingRoomStore(sp.GetRequiredService<RoomStore>(), loads));
        }

        try
        {
            await app.InitializeAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Open hub connections, closed together at the end of a test.</summary>
    private sealed class Connections : List<HubConnection>, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var connection in this)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>How many times rooms were read from the database: once per activation of a room grain.</summary>
    private sealed class LoadCounter
    {
        private readonly ConcurrentDictionary<string, int> _loads = new(StringComparer.Ordinal);

        public int Total => _loads.Values.Sum();

        public void Count(string roomId) => _loads.AddOrUpdate(roomId, 1, (_, n) => n + 1);
    }

    private sealed class CountingRoomStore(RoomStore inner, LoadCounter loads) : IRoomStore
    {
        public Task<StoredRoom?> LoadAsync(string roomId, CancellationToken cancellationToken = default)
        {
            loads.Count(roomId);
            return inner.LoadAsync(roomId, cancellationToken);
        }

        public Task<IReadOnlyList<RoundSnapshot>> LoadRoundsAsync(string roomId, IReadOnlyCollection<int?> stories, CancellationToken cancellationToken = default) =>
            inner.LoadRoundsAsync(roomId, stories, cancellationToken);

        public Task CreateAsync(StoredRoom room, CancellationToken cancellationToken = default) => inner.CreateAsync(room, cancellationToken);

        public Task SaveAsync(Room room, IReadOnlyList<RoomEvent> events, RoomSecrets secrets, long version, long? after = null, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(room, events, secrets, version, after, cancellationToken);
    }
}
