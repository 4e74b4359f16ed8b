using System.Net.Http.Headers;
using System.Text;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Api;

/// <summary>Small helpers for REST tests: every network wait is bounded and cancelled with the test.</summary>
internal static class Rest
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Bounds a wait by <see cref="TestClient.Timeout"/> and the test's cancellation.</summary>
    public static Task<T> Timed<T>(this Task<T> task) => task.WaitAsync(TestClient.Timeout, Cancel);

    /// <inheritdoc cref="Timed{T}(Task{T})"/>
    public static Task Timed(this Task task) => task.WaitAsync(TestClient.Timeout, Cancel);

    /// <summary>Posts a JSON text exactly as given (to send what a typed client could not).</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Cancel).Timed();

    /// <summary>A GET with an optional raw <c>Authorization</c> header.</summary>
    public static async Task<HttpResponseMessage> GetAsync(this HttpClient http, string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await http.SendAsync(request, Cancel).Timed();
    }

    /// <summary>A GET as the holder of a token.</summary>
    public static async Task<HttpResponseMessage> GetAsBearerAsync(this HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, Cancel).Timed();
    }

    /// <summary>The three facilitator-only reads of a room.</summary>
    public static readonly TheoryData<string> FacilitatorReads = ["summary", "export.json", "export.csv"];
}

/// <summary>
/// A room where Fanny (facilitator), Alice and Bob estimated one story through the hub: two stories added, a round
/// on the first (Fanny 5, Alice 5, Bob 8), revealed and accepted at 5; the second story untouched. The three stay
/// connected until disposal, so that nobody goes away (and nobody is promoted) while the test runs.
/// </summary>
internal sealed class PlayedRoom : IAsyncDisposable
{
    private readonly List<TestClient> _clients = [];

    private PlayedRoom(CreateRoomResponse room, JoinRoomResponse alice, JoinRoomResponse bob)
    {
        Room = room;
        Alice = alice;
        Bob = bob;
    }

    public CreateRoomResponse Room { get; }

    public JoinRoomResponse Alice { get; }

    public JoinRoomResponse Bob { get; }

    public string RoomId => Room.RoomId;

    public TestClient Fanny => _clients[0];

    public int EstimatedStoryId { get; private set; }

    public int PendingStoryId { get; private set; }

    public static async Task<PlayedRoom> PlayAsync(PokerApp app, string storyTitle = "Login page", string bobName = "Bob")
    {
        var room = await app.CreateRoomAsync().Timed();
        var played = new PlayedRoom(room, await app.JoinAsync(room.RoomId, "Alice").Timed(), await app.JoinAsync(room.RoomId, bobName).Timed());
        try
        {
            await played.PlayOneStoryAsync(app, storyTitle, bobName);
            return played;
        }
        catch
        {
            await played.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private async Task PlayOneStoryAsync(PokerApp app, string storyTitle, string bobName)
    {
        var fanny = await Connect(app, "Fanny", Room.Token);
        var alice = await Connect(app, "Alice", Alice.Token);
        var bob = await Connect(app, bobName, Bob.Token);

        List<StoryDraftDto> stories = [new StoryDraftDto(storyTitle, null, "PP-1"), new StoryDraftDto("Logout")];
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), stories);
        var view = await fanny.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView));
        EstimatedStoryId = view.Stories[0].Id;
        PendingStoryId = view.Stories[1].Id;
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)EstimatedStoryId);
        await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        await bob.InvokeAsync(nameof(IRoomHub.CastVote), "8");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        await fanny.InvokeAsync(nameof(IRoomHub.Accept), "5");
    }

    private async Task<TestClient> Connect(PokerApp app, string name, string token)
    {
        var client = await app.ConnectAsync(name).Timed();
        _clients.Add(client);
        await client.JoinAsync(RoomId, token).Timed();
        return client;
    }
}
