using System.Net.Http.Json;
using System.Text;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Testing;

namespace PlanningPoker.Server.Tests.Durability;

/// <summary>What a command acknowledged survives a kill -9 of the server: the promise of "returns once committed".</summary>
[Trait("Category", "Slow")]
public sealed class KillRestartTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverythingAcknowledgedSurvivesAKillNine_AndTheRoundCarriesOnAfterTheRestart()
    {
        var data = Directory.CreateTempSubdirectory("poker-kill-").FullName;
        var log = new StringBuilder();
        var clients = new List<TestClient>();
        ServerProcess? server = null;
        try
        {
            // Before: a room with two stories, the first estimated, a round open on the second with two cards down.
            server = await ServerProcess.StartAsync(data, log);
            var room = await CreateRoomAsync(server.BaseAddress);
            var tokens = new Dictionary<string, string>(StringComparer.Ordinal) { ["Fanny"] = room.Token };
            foreach (var name in new[] { "Alice", "Bob", "Carol" })
            {
                tokens[name] = (await JoinAsync(server.BaseAddress, room.RoomId, name)).Token;
            }

            var before = await ConnectAllAsync(server.BaseAddress, room.RoomId, tokens, clients);
            var fanny = before["Fanny"];
            await fanny.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Login page", ExternalKey: "PROJ-1"), new("Search") });
            var stories = (await fanny.GetViewAsync()).Stories.Select(s => s.Id).ToArray();
            await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[0]);
            foreach (var name in new[] { "Alice", "Bob", "Carol" })
            {
                await before[name].InvokeAsync(nameof(IRoomHub.CastVote), "5");
            }

            await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
            await fanny.InvokeAsync(nameof(IRoomHub.Accept), "5");
            await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[1]);
            await before["Alice"].InvokeAsync(nameof(IRoomHub.CastVote), "8");
            await before["Bob"].InvokeAsync(nameof(IRoomHub.CastVote), "13");
            var ids = before.ToDictionary(c => c.Key, c => c.Value.ParticipantId, StringComparer.Ordinal);

            // Kill -9, then start again on the same data.
            await server.KillAsync();
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            clients.Clear();
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(data, log);
            var after = await ConnectAllAsync(server.BaseAddress, room.RoomId, tokens, clients);

            // Every seat is the same participant, every acknowledged vote, story and estimate is there.
            Assert.All(after, c => Assert.Equal(ids[c.Key], c.Value.ParticipantId));
            var alice = after["Alice"].JoinedView!;
            Assert.Equal(RoomState.Voting, alice.State);
            Assert.Equal((stories[1], 1, 2), (alice.CurrentRound!.StoryId!.Value, alice.CurrentRound.Number, alice.CurrentRound.VoteCount));
            Assert.Equal(
                [(StoryState.Estimated, "5", "PROJ-1"), (StoryState.Estimating, null, null)],
                alice.Stories.Select(s => (s.State, s.Estimate, s.ExternalKey)));
            Assert.Equal(5m, alice.EstimatedTotal);
            Assert.Equal(("8", true), CardOf(alice, ids["Alice"]));
            Assert.Equal((null, true), CardOf(alice, ids["Bob"]));
            Assert.Equal((null, false), CardOf(alice, ids["Carol"]));
            Assert.Equal(("13", true), CardOf(after["Bob"].JoinedView!, ids["Bob"]));
            Assert.Equal((null, true), CardOf(after["Fanny"].JoinedView!, ids["Alice"]));
            var firstStory = await after["Fanny"].InvokeAsync<StoryHistoryDto>(nameof(IRoomHub.GetHistory), (int?)stories[0]);
            var accepted = Assert.Single(firstStory.Rounds);
            Assert.Equal((RoundState.Accepted, "5", 3), (accepted.State, accepted.Estimate?.Label, accepted.Votes.Count));

            // The round carries on.
            await after["Carol"].InvokeAsync(nameof(IRoomHub.CastVote), "8");
            await after["Fanny"].InvokeAsync(nameof(IRoomHub.Reveal));
            var result = (await after["Bob"].WaitForAsync<CardsRevealedDto>()).Result;
            Assert.Equal(3, result.VoterCount);
            Assert.Equal(
                [$"8 by {ids["Alice"]},{ids["Carol"]}", $"13 by {ids["Bob"]}"],
                result.Distribution.Select(t => $"{t.Card} by {string.Join(',', t.Voters)}"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- server output ---{Environment.NewLine}{Tail(log)}", ex);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }

            TestContext.Current.TestOutputHelper?.WriteLine(Tail(log));
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Cleaned by the system later.
            }
        }
    }

    private static (string? Card, bool HasVoted) CardOf(RoomViewDto view, int participantId)
    {
        var p = Assert.Single(view.Participants, p => p.Id == participantId);
        return (p.Card, p.HasVoted);
    }

    private static async Task<Dictionary<string, TestClient>> ConnectAllAsync(Uri server, string roomId, Dictionary<string, string> tokens, List<TestClient> clients)
    {
        var connected = new Dictionary<string, TestClient>(StringComparer.Ordinal);
        foreach (var (name, token) in tokens)
        {
            var client = await TestClient.ConnectAsync(server, name);
            clients.Add(client);
            await client.JoinAsync(roomId, token);
            connected[name] = client;
        }

        return connected;
    }

    private static async Task<CreateRoomResponse> CreateRoomAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var response = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Durable", "Fanny"), Cancel).WaitAsync(TestClient.Timeout, Cancel);
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

        return text.Length <= 20_000 ? text : text[^20_000..];
    }
}
