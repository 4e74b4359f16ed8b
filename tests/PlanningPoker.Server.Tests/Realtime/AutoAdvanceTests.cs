using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>The auto-advance setting end to end: hub on Kestrel, SignalR .NET clients, the room grain and SQLite.</summary>
[Trait("Category", "Integration")]
public sealed class AutoAdvanceTests(PokerApp app)
{
    [Fact]
    public async Task AcceptWithAutoAdvance_SendsTheAcceptedStoryAndTheNextStorysRoundInOnePush_AsAStartRoundWouldOpenIt()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(FacilitatorsVote: false, RoundTimerSeconds: 600, AutoAdvance: true));
        var fanny = table.Facilitator;
        var alice = await table.SeatAsync("Alice");
        var oscar = await table.SeatAsync("Oscar", Role.Observer);
        await fanny.InvokeAsync(nameof(IRoomHub.PasteStories), "Login\nSearch\nExport");
        var stories = (await fanny.GetViewAsync()).Stories.Select(s => s.Id).ToArray();
        await fanny.InvokeAsync(nameof(IRoomHub.SkipStory), stories[1]);
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[0]);
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));

        await fanny.InvokeAsync(nameof(IRoomHub.Accept), "5");

        await oscar.WaitUntilAsync(received => received.Any(c => c.Events.Any(e => e is EstimateAcceptedDto)));
        var started = oscar.Received.Single(c => c.Events.Any(e => e is RoundStartedDto { StoryId: var s } && s == stories[0]));
        var accepted = oscar.Received.Single(c => c.Events.Any(e => e is EstimateAcceptedDto));
        Assert.Equal(
            [typeof(EstimateAcceptedDto), typeof(StoryStateChangedDto), .. started.Events.Select(e => e.GetType())],
            accepted.Events.Select(e => e.GetType()));
        Assert.Equal([typeof(RoundStartedDto), typeof(StoryStateChangedDto), typeof(TimerStartedDto)], started.Events.Select(e => e.GetType()));
        Assert.Equal(new EstimateAcceptedDto(((EstimateAcceptedDto)accepted.Events[0]).RoundId, stories[0], new EstimateDto("5", 5m)), accepted.Events[0]);
        Assert.Equal(new StoryStateChangedDto(stories[0], StoryState.Estimated, new EstimateDto("5", 5m), 5m), accepted.Events[1]);
        var round = Assert.IsType<RoundStartedDto>(accepted.Events[2]);
        Assert.Equal((stories[2], 1), (round.StoryId, round.Number));
        Assert.Equal(new StoryStateChangedDto(stories[2], StoryState.Estimating, null, 5m), accepted.Events[3]);
        Assert.Equal(TimeSpan.FromSeconds(600), ((TimerStartedDto)accepted.Events[4]).Timer.EndsAt - round.At);

        // The new round is open: a vote lands in it, and every client's pushed view is its fresh view.
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "8");
        await oscar.WaitForAsync<VoteCastDto>(v => v.RoundId == round.RoundId);
        foreach (var client in table.Clients)
        {
            var fresh = await client.GetViewAsync();
            await client.WaitForVersionAsync(fresh.Version);
            Assert.Equal(RoomState.Voting, fresh.State);
            Assert.Equal(stories[2], fresh.CurrentRound?.StoryId);
            Assert.Equal(HubAssert.Json(fresh), HubAssert.Json(client.ViewFromPushes()));
        }
    }

    [Fact]
    public async Task AcceptWithAutoAdvance_WhenNoStoryIsPending_LeavesTheRoomInTheLobby()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(AutoAdvance: true));
        var fanny = table.Facilitator;
        await fanny.InvokeAsync(nameof(IRoomHub.PasteStories), "Login");
        var story = (await fanny.GetViewAsync()).Stories.Single().Id;
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)story);
        await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "3");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));

        await fanny.InvokeAsync(nameof(IRoomHub.Accept), "3");

        var view = await fanny.GetViewAsync();
        Assert.Equal(RoomState.Lobby, view.State);
        Assert.Null(view.CurrentRound);
        Assert.Equal(StoryState.Estimated, view.Stories.Single().State);
    }

    [Fact]
    public async Task SettingsFromAnOlderClientWithoutTheField_TurnAutoAdvanceOff()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(AutoAdvance: true));
        var fanny = table.Facilitator;
        Assert.True(fanny.JoinedView!.Settings.AutoAdvance);

        // What a client built before the setting existed sends: every other field, and no autoAdvance.
        await fanny.InvokeAsync(nameof(IRoomHub.ChangeSettings), new
        {
            autoReveal = true,
            facilitatorsVote = true,
            whoMayReveal = "facilitators",
            statistic = "median",
            roundTimerSeconds = (int?)null,
            allowVoteChange = true,
            revealWhenTimerEnds = true,
        });

        var settings = (await fanny.GetViewAsync()).Settings;
        Assert.True(settings.AutoReveal);
        Assert.False(settings.AutoAdvance);
    }
}
