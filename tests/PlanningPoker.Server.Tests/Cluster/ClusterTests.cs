using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Storage;
using PlanningPoker.Testing;

namespace PlanningPoker.Server.Tests.Cluster;

/// <summary>
/// Cluster mode for real: three server processes on one PostgreSQL database form one Orleans cluster (ADO.NET
/// clustering), with nginx in front. One room's participants are spread over the nodes, directly and through nginx;
/// every push reaches everyone; any node (the first started included) is killed mid-round, and the room answers
/// again on the survivors within 10 s, loses nothing acknowledged, takes the dead node's people back into their seats
/// through nginx, and stops counting as present those who do not come back.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterTests(PostgresStoreFixture database) : IClassFixture<PostgresStoreFixture>
{
    /// <summary>The bound issue 11 sets: a dead node's rooms answer again, and its connections stop counting, within it.</summary>
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <see cref="Failover"/> on a machine with CPU to spare; stretched when the machine is overloaded (a load average
    /// over twice its cores), in proportion. Failure detection is a matter of probes answered in time: a node starved
    /// of CPU (CI runs the browser tests at the same time, on 2 cores) takes longer to be declared dead, as in
    /// production. The figures on a machine with spare CPU are measured over ten kills (docs/performance.md, "Cluster
    /// failover"); here the test proves the room comes back and loses nothing, and checks the bound where it applies.
    /// </summary>
    private static TimeSpan Bound
    {
        get
        {
            var load = File.Exists("/proc/loadavg")
                ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
                : 0;
            var overload = load / (2.0 * Environment.ProcessorCount);
            return overload > 1 ? Failover * overload : Failover;
        }
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeNodesBehindNginx_PlayOneRoom_AndTheRoomGoesOnWhenAnyNodeDies()
    {
        Assert.SkipWhen(database.SkipReason is not null, database.SkipReason ?? "");
        Nginx.Require();
        var log = new StringBuilder();
        var cluster = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var nodes = new List<ServerProcess>();
        var clients = new List<TestClient>();
        Nginx? nginx = null;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await StartNodeAsync(cluster, log));
            }

            nginx = await Nginx.StartAsync(nodes.Select(n => n.BaseAddress));
            var front = nginx.BaseAddress;

            // A room created through nginx; its people on every node, directly, and through nginx.
            var room = await CreateRoomAsync(front);
            var seats = new Dictionary<string, (Uri Via, string Token)>(StringComparer.Ordinal) { ["Fanny"] = (front, room.Token) };
            foreach (var (name, via) in new[] { ("Ann", nodes[0].BaseAddress), ("Ben", nodes[1].BaseAddress), ("Cat", nodes[2].BaseAddress), ("Dan", front), ("Eve", front), ("Zed", nodes[0].BaseAddress) })
            {
                seats[name] = (via, (await JoinAsync(front, room.RoomId, name)).Token);
            }

            var people = new Dictionary<string, TestClient>(StringComparer.Ordinal);
            foreach (var (name, (via, token)) in seats)
            {
                people[name] = await ConnectAsync(via, name, room.RoomId, token, clients);
            }

            var ids = people.ToDictionary(p => p.Key, p => p.Value.ParticipantId, StringComparer.Ordinal);
            var fanny = people["Fanny"];

            // Round one across the nodes: every push reaches every participant, wherever each is connected.
            await fanny.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Login"), new("Search"), new("Export") });
            var stories = (await fanny.GetViewAsync()).Stories.Select(s => s.Id).ToArray();
            await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[0]);
            foreach (var name in new[] { "Ann", "Ben", "Cat", "Dan", "Eve", "Zed" })
            {
                await people[name].InvokeAsync(nameof(IRoomHub.CastVote), "5");
            }

            await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
            var version = (await fanny.GetViewAsync()).Version;
            foreach (var client in people.Values)
            {
                await client.WaitForVersionAsync(version);
            }

            // Round two, then kill -9 the first node started, mid-round.
            await fanny.InvokeAsync(nameof(IRoomHub.Accept), "5");
            await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[1]);
            var acknowledged = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, card) in new[] { ("Ann", "8"), ("Ben", "3"), ("Zed", "13") })
            {
                await people[name].InvokeAsync(nameof(IRoomHub.CastVote), card);
                acknowledged[name] = card;
            }

            var killed = Stopwatch.StartNew();
            await nodes[0].KillAsync();

            // Everyone on a surviving node can act again within the bound; the dead node's people (Ann) come back
            // through nginx into their own seats; Zed, who does not come back, stops counting as present.
            // Each tries at the same time, as people do (one after the other, each one's wait added to the next's).
            var tries = new[] { "Fanny", "Ben", "Cat", "Dan", "Eve" }
                .Select(async name => (Name: name, Client: await UntilItAnswersAsync(people[name], seats[name].Token, front, room.RoomId, clients), After: killed.Elapsed))
                .Append(Task.Run(async () => (Name: "Ann", Client: await ReconnectAsync(people["Ann"], front, room.RoomId, seats["Ann"].Token, clients), After: killed.Elapsed)));
            var answered = new List<(string Name, TimeSpan After)>();
            foreach (var (name, client, after) in await Task.WhenAll(tries))
            {
                people[name] = client;
                answered.Add((name, after));
            }

            Assert.Equal(ids["Ann"], people["Ann"].ParticipantId);
            var bound = Bound;
            await WaitUntilAsync(async () => !Participant(await people["Fanny"].GetViewAsync(), ids["Zed"]).IsPresent, bound - killed.Elapsed);
            var zedAway = killed.Elapsed;
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"first node killed: answered again after {string.Join(", ", answered.Select(a => $"{a.Name} {a.After.TotalSeconds:0.0} s"))}; Zed away after {zedAway.TotalSeconds:0.0} s (bound {bound.TotalSeconds:0.0} s)"));
            Assert.All(answered, a => Assert.True(a.After <= bound, $"{a.Name} could act again only after {a.After.TotalSeconds:0.0} s (bound {bound.TotalSeconds:0.0} s)"));

            // Nothing acknowledged is lost: the votes cast before the kill are in the round, and the round goes on.
            var view = await people["Ann"].GetViewAsync();
            Assert.Equal(("8", true), (Participant(view, ids["Ann"]).Card, Participant(view, ids["Ann"]).HasVoted));
            Assert.True(Participant(view, ids["Ben"]).HasVoted);
            Assert.True(Participant(view, ids["Zed"]).HasVoted);
            foreach (var (name, card) in new[] { ("Cat", "5"), ("Dan", "8"), ("Eve", "8") })
            {
                await people[name].InvokeAsync(nameof(IRoomHub.CastVote), card);
                acknowledged[name] = card;
            }

            await people["Fanny"].InvokeAsync(nameof(IRoomHub.Reveal));
            var result = (await people["Ben"].GetViewAsync()).CurrentRound!;
            Assert.Equal(RoundState.Revealed, result.State);
            var revealed = await people["Ben"].GetViewAsync();
            foreach (var (name, card) in acknowledged)
            {
                Assert.Equal(card, Participant(revealed, ids[name]).Card);
            }

            // Every push of the rest of the round reaches everyone connected now.
            version = revealed.Version;
            foreach (var name in new[] { "Fanny", "Ann", "Ben", "Cat", "Dan", "Eve" })
            {
                await WaitUntilAsync(async () => (await people[name].GetViewAsync()).Version >= version, TestClient.Timeout);
            }

            // A second node dies (the one left with Ben on it): the last node carries the room alone.
            await people["Fanny"].InvokeAsync(nameof(IRoomHub.Accept), "8");
            await people["Fanny"].InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[2]);
            await people["Cat"].InvokeAsync(nameof(IRoomHub.CastVote), "2");
            killed.Restart();
            await nodes[1].KillAsync();
            var again = new[] { "Fanny", "Cat", "Dan", "Eve", "Ann" }
                .Select(async name => (Name: name, Client: await UntilItAnswersAsync(people[name], seats[name].Token, front, room.RoomId, clients)))
                .Append(Task.Run(async () => (Name: "Ben", Client: await ReconnectAsync(people["Ben"], front, room.RoomId, seats["Ben"].Token, clients))));
            foreach (var (name, client) in await Task.WhenAll(again))
            {
                people[name] = client;
            }

            var second = killed.Elapsed;
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"second node killed: everyone answered again after {second.TotalSeconds:0.0} s"));
            bound = Bound;
            Assert.True(second <= bound, $"after the second kill, the room answered everyone only after {second.TotalSeconds:0.0} s (bound {bound.TotalSeconds:0.0} s)");
            await people["Ben"].InvokeAsync(nameof(IRoomHub.CastVote), "3");
            var last = await people["Fanny"].GetViewAsync();
            Assert.Equal("2", Participant(await people["Cat"].GetViewAsync(), ids["Cat"]).Card);
            Assert.True(Participant(last, ids["Ben"]).HasVoted);
            Assert.Equal(StoryState.Estimated, last.Stories.Single(s => s.Id == stories[1]).State);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- nodes' output ---{Environment.NewLine}{Tail(log)}", ex);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            if (nginx is not null)
            {
                await nginx.DisposeAsync();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ARollingRestart_UnderAWorkshop_LosesNothingAcknowledged_AndLeavesNoClientStuck()
    {
        Assert.SkipWhen(database.SkipReason is not null, database.SkipReason ?? "");
        Nginx.Require();
        var log = new StringBuilder();
        var cluster = "rolling-" + Guid.NewGuid().ToString("N")[..8];
        var nodes = new List<ServerProcess>();
        var clients = new List<TestClient>();
        Nginx? nginx = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        Task? workshop = null;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await StartNodeAsync(cluster, log));
            }

            nginx = await Nginx.StartAsync(nodes.Select(n => n.BaseAddress));
            var front = nginx.BaseAddress;
            var room = await CreateRoomAsync(front);
            var seats = new Dictionary<string, string>(StringComparer.Ordinal) { ["Fanny"] = room.Token };
            foreach (var name in new[] { "Ann", "Ben", "Cat", "Dan" })
            {
                seats[name] = (await JoinAsync(front, room.RoomId, name)).Token;
            }

            var people = new Dictionary<string, TestClient>(StringComparer.Ordinal);
            foreach (var (name, token) in seats)
            {
                people[name] = await ConnectAsync(front, name, room.RoomId, token, clients);
            }

            var ids = people.ToDictionary(p => p.Key, p => p.Value.ParticipantId, StringComparer.Ordinal);
            await people["Fanny"].InvokeAsync(nameof(IRoomHub.AddStories), Enumerable.Range(1, 60).Select(i => new StoryDraftDto($"Story {i}")).ToList());
            var stories = (await people["Fanny"].GetViewAsync()).Stories.Select(s => s.Id).ToArray();

            // The workshop: rounds one after the other, each person acting through nginx like the browser app (on a
            // lost connection, connect again with the seat's token; on a refused call, look at the room and try
            // again unless it is done). Only what was acknowledged is recorded.
            var accepted = new List<int>();
            async Task<TestClient> Act(string name, Func<RoomViewDto, bool> done, Func<TestClient, Task> action, CancellationToken? token = null)
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(token ?? stop.Token);
                limit.CancelAfter(Bound + Failover);
                while (true)
                {
                    limit.Token.ThrowIfCancellationRequested();
                    try
                    {
                        if (people[name].Connection.State != HubConnectionState.Connected)
                        {
                            people[name] = await ReconnectAsync(people[name], front, room.RoomId, seats[name], clients);
                        }

                        if (done(await people[name].GetViewAsync()))
                        {
                            return people[name];
                        }

                        await action(people[name]);
                        return people[name];
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException && !limit.IsCancellationRequested)
                    {
                        // The node went away under the call (a refusal, a closed socket, a timeout): look again.
                        await Task.Delay(50, limit.Token);
                    }
                }
            }

            workshop = Task.Run(async () =>
            {
                foreach (var story in stories)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    await Act("Fanny", v => v.CurrentRound?.StoryId == story, c => c.InvokeAsync(nameof(IRoomHub.StartRound), (int?)story));
                    foreach (var name in new[] { "Ann", "Ben", "Cat", "Dan" })
                    {
                        await Act(name, v => v.CurrentRound?.StoryId != story || Participant(v, ids[name]).HasVoted, c => c.InvokeAsync(nameof(IRoomHub.CastVote), "5"));
                    }

                    await Act("Fanny", v => v.CurrentRound?.StoryId != story || v.CurrentRound.State != RoundState.Voting, c => c.InvokeAsync(nameof(IRoomHub.Reveal)));
                    await Act("Fanny", v => v.Stories.Single(s => s.Id == story).State == StoryState.Estimated, c => c.InvokeAsync(nameof(IRoomHub.Accept), "5"));
                    lock (accepted)
                    {
                        accepted.Add(story);
                    }
                }
            }, stop.Token);

            // Restart each node in turn (SIGTERM, then start again on the same address), each time once the workshop
            // has moved on by two stories, and again by two stories after it.
            async Task ProgressAsync()
            {
                int Count()
                {
                    lock (accepted)
                    {
                        return accepted.Count;
                    }
                }

                var from = Count();
                await WaitUntilAsync(() => Task.FromResult(Count() >= from + 2 || workshop.IsCompleted), TimeSpan.FromSeconds(60));
                if (workshop.IsFaulted)
                {
                    await workshop;
                }
            }

            for (var i = 0; i < nodes.Count; i++)
            {
                await ProgressAsync();
                var port = nodes[i].BaseAddress.Port;
                await nodes[i].StopAsync();
                await nodes[i].DisposeAsync();
                nodes[i] = await StartNodeAsync(cluster, log, port);
            }

            await ProgressAsync();
            await stop.CancelAsync();
            await workshop.ContinueWith(_ => { }, TaskScheduler.Default);
            if (workshop.IsFaulted && workshop.Exception!.InnerExceptions.Any(e => e is not OperationCanceledException))
            {
                await workshop;
            }

            // Nothing acknowledged is lost: every story whose Accept was acknowledged is estimated.
            var fanny = await Act("Fanny", _ => true, _ => Task.CompletedTask, Cancel);
            var view = await fanny.GetViewAsync();
            int[] done;
            lock (accepted)
            {
                done = [.. accepted];
            }

            Assert.True(done.Length >= 8, $"the workshop estimated only {done.Length} stories across the restarts");
            Assert.All(done, id => Assert.Equal((StoryState.Estimated, "5"), (view.Stories.Single(s => s.Id == id).State, view.Stories.Single(s => s.Id == id).Estimate)));

            // No client is stuck: each one, connected again if its node went away, receives the next change.
            foreach (var name in seats.Keys)
            {
                await Act(name, _ => true, _ => Task.CompletedTask, Cancel);
            }

            await people["Fanny"].InvokeAsync(nameof(IRoomHub.RenameRoom), "After the restarts");
            foreach (var name in seats.Keys)
            {
                await people[name].WaitForAsync<RoomRenamedDto>(r => r.Name == "After the restarts");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !Cancel.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- nodes' output ---{Environment.NewLine}{Tail(log)}", ex);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            if (nginx is not null)
            {
                await nginx.DisposeAsync();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private Task<ServerProcess> StartNodeAsync(string cluster, StringBuilder log, int? port = null) =>
        ServerProcess.StartAsync(Path.GetTempPath(), log, new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = database.ConnectionString,
            ["Node__ClusterId"] = cluster,
            ["Node__AdvertisedAddress"] = "127.0.0.1",
            ["Logging__LogLevel__PlanningPoker"] = "Warning",
        }, port);

    private static ParticipantDto Participant(RoomViewDto view, int id) => view.Participants.Single(p => p.Id == id);

    private static async Task<TestClient> ConnectAsync(Uri via, string name, string roomId, string token, List<TestClient> clients)
    {
        var client = await TestClient.ConnectAsync(via, name, webSocketsOnly: true);
        lock (clients)
        {
            clients.Add(client);
        }

        await client.JoinAsync(roomId, token);
        return client;
    }

    /// <summary>
    /// What the browser app does: while the connection is up, asks for the view until the room answers (its node may
    /// have died); when the connection went down with its node, connects again through nginx into the same seat.
    /// </summary>
    private static async Task<TestClient> UntilItAnswersAsync(TestClient client, string token, Uri front, string roomId, List<TestClient> clients)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(Bound + TimeSpan.FromSeconds(5));
        while (true)
        {
            timeout.Token.ThrowIfCancellationRequested();
            if (client.Connection.State != HubConnectionState.Connected)
            {
                return await ReconnectAsync(client, front, roomId, token, clients);
            }

            try
            {
                await client.GetViewAsync();
                return client;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !timeout.IsCancellationRequested)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }

    /// <summary>Connects again through nginx with the seat's token, until a node takes it.</summary>
    private static async Task<TestClient> ReconnectAsync(TestClient old, Uri front, string roomId, string token, List<TestClient> clients)
    {
        await old.DisposeAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(Bound + TimeSpan.FromSeconds(5));
        while (true)
        {
            try
            {
                return await ConnectAsync(front, old.Name, roomId, token, clients);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !timeout.IsCancellationRequested)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"not so within {within.TotalSeconds:0.0} s");
            }

            await Task.Delay(100, Cancel);
        }
    }

    private static async Task<CreateRoomResponse> CreateRoomAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var response = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Cluster", "Fanny"), Cancel).WaitAsync(TestClient.Timeout, Cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreateRoomResponse>(Cancel).WaitAsync(TestClient.Timeout, Cancel))!;
    }

    private static async Task<JoinRoomResponse> JoinAsync(Uri server, string roomId, string name)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var response = await http.PostAsJsonAsync($"/api/rooms/{roomId}/participants", new JoinRoomRequest(name), Cancel).WaitAsync(TestClient.Timeout, Cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JoinRoomResponse>(Cancel).WaitAsync(TestClient.Timeout, Cancel))!;
    }

    private static string Tail(StringBuilder log)
    {
        string text;
        lock (log)
        {
            text = log.ToString();
        }

        return text.Length <= 30_000 ? text : text[^30_000..];
    }
}
