using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Realtime;
using PlanningPoker.Server.Tests.Storage;

namespace PlanningPoker.Server.Tests.Durability;

/// <summary>
/// When the database cannot serve (locked by another process, unable to open, its COMMIT reply lost), callers get the documented answer
/// fast: <c>Unavailable</c>, or success when the change was stored after all; the outage is logged once, without stacks.
/// Each test runs its own server on its own SQLite file, with <c>Storage:BusyTimeout</c> at 1 s.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StorageTroubleTests
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Room for a slow, shared machine: the bound is about the setting, far under the 30 s grain call timeout.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(4);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VoteWhileAnotherProcessHoldsTheWriteLock_FailsFastWithUnavailable_AndTheRoomWorksOnceItIsReleased()
    {
        await using var app = await StartAsync();
        var room = await app.CreateRoomAsync();
        await using var fanny = await app.ConnectAsync("Fanny");
        await fanny.JoinAsync(room.RoomId, room.Token);
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);

        TimeSpan waited;
        await using (await HoldWriteLockAsync(app.DatabasePath))
        {
            var clock = Stopwatch.StartNew();
            await HubAssert.RefusedAsync(ErrorCodes.Unavailable, () => fanny.InvokeAsync(nameof(IRoomHub.CastVote), "5"));
            waited = clock.Elapsed;
        }

        var reloaded = await fanny.GetViewAsync();
        await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "8");
        var view = await fanny.GetViewAsync();

        TestContext.Current.TestOutputHelper?.WriteLine($"Unavailable after {waited.TotalMilliseconds:F0} ms with Storage:BusyTimeout {BusyTimeout}");
        Assert.True(waited < BusyTimeout + Margin, $"the refusal took {waited}");
        Assert.Equal(0, reloaded.CurrentRound!.VoteCount);
        Assert.Equal(1, view.CurrentRound!.VoteCount);
        Assert.Equal("8", view.Participants.Single(p => p.Id == fanny.ParticipantId).Card);
        AssertOutageLoggedOnce(app);
    }

    [Fact]
    public async Task RoomThatCannotLoad_AnswersUnavailableOnRestAndHub_AndTheOutageIsLoggedOnce()
    {
        var database = new DatabaseDown();
        await using var app = await StartAsync(s => s.AddSingleton<IInterceptor>(database));
        var room = await app.CreateRoomAsync();
        using var http = app.Http();

        // The room's activation goes, so that the next call must load it from the database.
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, Cancel).WaitAsync(TestClient.Timeout, Cancel);
        database.IsDown = true;
        var clock = Stopwatch.StartNew();
        using var info = await http.GetAsync($"/api/rooms/{room.RoomId}", Cancel);
        var waited = clock.Elapsed;
        using var created = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Sprint 43", "Fanny", null, null, null), Cancel);
        await using var fanny = await app.ConnectAsync("Fanny");
        await HubAssert.RefusedAsync(ErrorCodes.Unavailable, () => fanny.JoinAsync(room.RoomId, room.Token));
        database.IsDown = false;

        await ProblemAssert.IsAsync(info, HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        await ProblemAssert.IsAsync(created, HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        Assert.True(waited < BusyTimeout + Margin, $"the refusal took {waited}");
        AssertOutageLoggedOnce(app);
        Assert.Equal(HttpStatusCode.OK, await EventuallyOkAsync(http, $"/api/rooms/{room.RoomId}"));
    }

    [Fact]
    public async Task HistoryTheRoomNoLongerHolds_WhileTheDatabaseIsDown_IsUnavailable_AndTheLiveRoomPlaysOn()
    {
        var database = new DatabaseDown();
        await using var app = await StartAsync(s => s.AddSingleton<IInterceptor>(database));
        var room = await app.CreateRoomAsync();
        using var http = app.Http();
        await using var fanny = await app.ConnectAsync("Fanny");
        await fanny.JoinAsync(room.RoomId, room.Token);
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), [new StoryDraftDto[] { new("Login") }]);
        var story = (await fanny.GetViewAsync()).Stories.Single().Id;
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)story);
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        await fanny.InvokeAsync(nameof(IRoomHub.Accept), "5"); // its round is history now: storage holds it, the room does not

        database.IsDown = true;
        await HubAssert.RefusedAsync(ErrorCodes.Unavailable, () => fanny.InvokeAsync<StoryHistoryDto>(nameof(IRoomHub.GetHistory), (int?)story));
        using var summary = await http.GetAsBearerAsync($"/api/rooms/{room.RoomId}/summary", room.Token);
        var live = await fanny.GetViewAsync();
        database.IsDown = false;
        var history = await fanny.InvokeAsync<StoryHistoryDto>(nameof(IRoomHub.GetHistory), (int?)story);

        await ProblemAssert.IsAsync(summary, HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        Assert.Equal(StoryState.Estimated, live.Stories.Single().State);
        Assert.Equal([(1, RoundState.Accepted)], history.Rounds.Select(r => (r.Number, r.State)));
    }

    [Fact]
    public async Task AddStoriesWhoseCommitReplyIsLost_Succeeds_AndTheStoriesExistOnce()
    {
        var faults = new CommitFaults();
        await using var app = await StartAsync(s => s.AddSingleton<IInterceptor>(faults));
        var room = await app.CreateRoomAsync();
        await using var fanny = await app.ConnectAsync("Fanny");
        await fanny.JoinAsync(room.RoomId, room.Token);

        StoryDraftDto[] drafts = [new("Login"), new("Logout")];

        faults.LoseNextReply();
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), [drafts]);
        var view = await fanny.GetViewAsync();

        Assert.Equal(1, faults.RepliesLost);
        Assert.Equal(["Login", "Logout"], view.Stories.Select(s => s.Title));
    }

    private static async Task<PokerApp> StartAsync(Action<IServiceCollection>? services = null)
    {
        var app = new PokerApp { ConfigureLogs = l => l.AddFakeLogging(), ConfigureServices = services };
        app.Settings["Storage:BusyTimeout"] = BusyTimeout.ToString();
        await app.InitializeAsync();
        return app;
    }

    /// <summary>
    /// Another process's write lock on the server's SQLite file (BEGIN EXCLUSIVE), held until disposed. Readers still
    /// read: the file is in WAL mode.
    /// </summary>
    private static async Task<SqliteConnection> HoldWriteLockAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE;";
        await command.ExecuteNonQueryAsync(Cancel);
        return connection;
    }

    /// <summary>No error entries (no stack trace per call), and one warning for the whole outage.</summary>
    private static void AssertOutageLoggedOnce(PokerApp app)
    {
        var records = app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        var errors = records.Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Category}: {r.Message} {r.Exception}").ToList();
        Assert.True(errors.Count == 0, "errors were logged:\n" + string.Join("\n", errors));
        Assert.Single(records, r => r.Id.Id == 1215);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Warning && r.Exception is not null);
    }

    /// <summary>
    /// The activation that could not load answers Unavailable for a second before it goes and the next call loads again:
    /// ask until it answers (a recovery, not a push, so there is nothing to wait on but the answer).
    /// </summary>
    private static async Task<HttpStatusCode> EventuallyOkAsync(HttpClient http, string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(path, Cancel);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || clock.Elapsed > TestClient.Timeout)
            {
                return response.StatusCode;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), Cancel);
        }
    }
}
