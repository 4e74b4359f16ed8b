using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;
using WriteBackState = PlanningPoker.Contracts.WriteBackState;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// Accepted estimates reach the tracker (a GitLab fake on loopback): the outbox row is committed with the accept, the
/// worker writes the weight once and the room shows it written with the issue's link; refusals are shown with the
/// tracker's reason and a facilitator's retry; a tracker that fails for a while is tried again until it takes it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WriteBackTests(PokerApp app)
{
    [Fact]
    public async Task AnAcceptedEstimate_IsWrittenToTheTrackerOnce_AndTheRoomShowsItWritten()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        var iid = gitlab.Add("Checkout");
        await using var room = await TrackerRoom.OpenAsync(app, gitlab, [iid]);

        // The row is in the database with the accept: before any delivery could have happened it is there, pending or done.
        await room.EstimateAsync(0, "8");
        Assert.NotNull(await room.OutboxRowAsync(0));

        var written = await room.WaitForWriteBackAsync(0, WriteBackState.Written);
        Assert.Equal("8", written.Card); // the issue's page as GitLab gives it (web_url)
        Assert.EndsWith($"/-/issues/{iid}", written.Link, StringComparison.Ordinal);
        Assert.Equal(8, gitlab.Issues[iid].Weight);
        Assert.Equal(1, gitlab.WritesTo($"acme/web#{iid}"));

        // The summary says it too.
        var summary = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRoomGrain>(room.RoomId).GetSummary(1);
        Assert.Equal(written, summary.Value!.Stories.Single().WriteBack);
    }

    [Fact]
    public async Task ARefusal_IsShownWithTheTrackersReason_AndAFacilitatorsRetryWritesIt()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        var iid = gitlab.Add("Refunds");
        gitlab.Host.Fail(new FakeFault(403, /*lang=json,strict*/ """{"message":"403 Forbidden - You are not allowed to edit this issue"}""", Matches: r => r.Method == "PUT"));
        await using var room = await TrackerRoom.OpenAsync(app, gitlab, [iid]);

        await room.EstimateAsync(0, "5");

        var failed = await room.WaitForWriteBackAsync(0, WriteBackState.Failed);
        Assert.Contains("not allowed to edit this issue", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(gitlab.Token, failed.Reason, StringComparison.Ordinal);
        Assert.Null(gitlab.Issues[iid].Weight);

        var estimator = await Assert.ThrowsAsync<HubException>(() => room.Voter.InvokeAsync(nameof(IRoomHub.RetryWriteBack), room.StoryIds[0]));
        Assert.Equal(ErrorCodes.NotFacilitator, ProblemAssert.CodeOf(estimator));
        await room.Facilitator.InvokeAsync(nameof(IRoomHub.RetryWriteBack), room.StoryIds[0]);

        await room.WaitForWriteBackAsync(0, WriteBackState.Written);
        Assert.Equal(5, gitlab.Issues[iid].Weight);
    }

    [Fact]
    public async Task ATrackerThatIsDownForAWhile_GetsTheEstimateOnceItIsBack_AndOneThatCannotHoldItIsRefusedWithoutACall()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        var (down, half) = (gitlab.Add("Search"), gitlab.Add("Export"));
        for (var i = 0; i < 6; i++)
        {
            gitlab.Host.Fail(new FakeFault(503, /*lang=json,strict*/ """{"message":"503 Service Unavailable"}""", Matches: r => r.Method == "PUT"));
        }

        await using var room = await TrackerRoom.OpenAsync(app, gitlab, [down, half]);
        await room.EstimateAsync(0, "13");
        await room.EstimateAsync(1, "2.5"); // GitLab's weight holds whole numbers only

        await room.WaitForWriteBackAsync(0, WriteBackState.Written);
        Assert.Equal(13, gitlab.Issues[down].Weight);
        var refused = await room.WaitForWriteBackAsync(1, WriteBackState.Failed);
        Assert.Contains("whole numbers", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(0, gitlab.WritesTo($"acme/web#{half}"));
        Assert.True((await room.OutboxRowAsync(0))!.Attempts >= 2, "the worker tried again after the tracker failed");
    }

    /// <summary>A team with a GitLab connection, a room whose backlog was imported from it, a facilitator and a voter connected.</summary>
    private sealed class TrackerRoom : IAsyncDisposable
    {
        private readonly PokerApp _app;

        private TrackerRoom(PokerApp app, string roomId, TestClient facilitator, TestClient voter, int[] storyIds)
        {
            _app = app;
            RoomId = roomId;
            Facilitator = facilitator;
            Voter = voter;
            StoryIds = storyIds;
        }

        public string RoomId { get; }

        public TestClient Facilitator { get; }

        public TestClient Voter { get; }

        public int[] StoryIds { get; }

        public static async Task<TrackerRoom> OpenAsync(PokerApp app, FakeGitLab gitlab, int[] iids)
        {
            var connection = await AddConnectionAsync(app, gitlab);
            var created = await app.CreateRoomAsync(settings: new RoomSettingsDto(FacilitatorsVote: false)).Timed();
            var joined = await app.JoinAsync(created.RoomId, "Alice").Timed();
            var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRoomGrain>(created.RoomId);
            var imported = await grain.Import(new Immutable<ImportStories>(new ImportStories(1,
                [.. iids.Select(i => new StoryDraft(gitlab.Issues[i].Title, ExternalKey: $"acme/web#{i}", Source: connection.ToString("D")))])));
            Assert.True(imported.IsSuccess, imported.ErrorMessage);

            var facilitator = await app.ConnectAsync("Fanny").Timed();
            var voter = await app.ConnectAsync("Alice").Timed();
            var view = await facilitator.JoinAsync(created.RoomId, created.Token).Timed();
            await voter.JoinAsync(created.RoomId, joined.Token).Timed();
            return new TrackerRoom(app, created.RoomId, facilitator, voter, [.. view.Stories.Select(s => s.Id)]);
        }

        public async Task EstimateAsync(int story, string card)
        {
            await Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)StoryIds[story]);
            await Voter.InvokeAsync(nameof(IRoomHub.CastVote), card == "2.5" ? "3" : card);
            await Facilitator.InvokeAsync(nameof(IRoomHub.Reveal));
            await Facilitator.InvokeAsync(nameof(IRoomHub.Accept), card);
        }

        public async Task<WriteBackDto> WaitForWriteBackAsync(int story, WriteBackState state)
        {
            var id = StoryIds[story];
            await Facilitator.WaitUntilAsync(_ => Facilitator.ViewFromPushes().Stories.Single(s => s.Id == id).WriteBack?.State == state);
            var fresh = (await Facilitator.GetViewAsync()).Stories.Single(s => s.Id == id).WriteBack;
            Assert.NotNull(fresh);
            Assert.Equal(state, fresh.State);
            return fresh;
        }

        public async Task<WriteBackRow?> OutboxRowAsync(int story)
        {
            await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>().CreateDbContextAsync(Rest.Cancel);
            var id = StoryIds[story];
            return await db.Set<WriteBackRow>().AsNoTracking().SingleOrDefaultAsync(w => w.RoomId == RoomId && w.StoryId == id, Rest.Cancel);
        }

        public async ValueTask DisposeAsync()
        {
            await Facilitator.DisposeAsync();
            await Voter.DisposeAsync();
        }

        private static async Task<Guid> AddConnectionAsync(PokerApp app, FakeGitLab gitlab)
        {
            var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(TrackerConnectionService.SecretPurpose);
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>().CreateDbContextAsync(Rest.Cancel);
            var now = DateTimeOffset.UtcNow;
            var organisation = new OrganisationRow { Id = Guid.NewGuid(), Name = "Acme", CreatedAt = now };
            var team = new TeamRow { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Name = "Web", CreatedAt = now };
            var connection = new TrackerConnectionRow
            {
                Id = Guid.NewGuid(),
                TeamId = team.Id,
                Kind = TrackerKind.GitLab,
                Name = "GitLab",
                BaseUrl = gitlab.Host.BaseUrl.ToString(),
                Scope = gitlab.ProjectPath,
                ProtectedSecret = protector.Protect(gitlab.Token),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.AddRange(organisation, team, connection);
            await db.SaveChangesAsync(Rest.Cancel);
            return connection.Id;
        }
    }
}
