using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>From one story to the next: what comes next, the facilitator's buttons, where focus goes, whose rounds are shown.</summary>
public sealed class StoryFlowTests : UiTest
{
    private static readonly StoryDto[] Stories =
    [
        new(1, "Login", "PP-101", StoryState.Estimated, "5"),
        new(2, "Export", null, StoryState.Skipped),
        new(3, "Logout", "PP-103", StoryState.Pending),
        new(4, "Dark mode", null, StoryState.Pending),
    ];

    [Fact]
    public void TheNextStoryIsTheFirstPendingOneInBacklogOrder()
    {
        Assert.Equal(3, StoryFlow.NextPending(Stories)?.Id);
        Assert.Null(StoryFlow.NextPending([Stories[0], Stories[1]]));
        Assert.Equal("PP-101", StoryFlow.ShortName(Stories[0]));
        Assert.Equal("Dark mode", StoryFlow.ShortName(Stories[3]));
    }

    [Fact]
    public void TheBacklogIsDoneOnceNoStoryIsPendingOrOnTheTable()
    {
        Assert.False(StoryFlow.BacklogDone(Stories));
        Assert.False(StoryFlow.BacklogDone([]));
        Assert.False(StoryFlow.BacklogDone([Stories[0], Stories[2] with { State = StoryState.Estimating }]));
        Assert.True(StoryFlow.BacklogDone([Stories[0], Stories[1]]));
    }

    [Fact]
    public void AfterAnEstimate_TheFacilitatorsPrimaryButtonEstimatesTheNextStory_AndTheQuickVoteIsSecondary()
    {
        var bar = RenderBar(Room(RoomState.Lobby, [Person(1, "Fanny", role: Role.Facilitator)], stories: Stories));

        var next = bar.Find("#estimate-next");
        Assert.Equal("Estimate next: Logout", next.TextContent);
        Assert.Contains("primary", next.ClassList);
        Assert.DoesNotContain("primary", bar.Find("#quick-vote").ClassList);
    }

    [Fact]
    public void WithNothingLeftToEstimate_TheQuickVoteIsThePrimaryButton()
    {
        var bar = RenderBar(Room(RoomState.Lobby, [Person(1, "Fanny", role: Role.Facilitator)], stories: [Stories[0]]));

        Assert.Empty(bar.FindAll("#estimate-next"));
        Assert.Contains("primary", bar.Find("#quick-vote").ClassList);
    }

    [Fact]
    public void FocusGoesToTheNextControlOfEachState()
    {
        var fanny = Person(1, "Fanny", role: Role.Facilitator);
        var observer = Person(1, "Fanny", role: Role.Facilitator) with { IsVoter = false };
        var round = new RoundDto(9, 3, 1, RoundState.Voting, Clock.GetUtcNow(), 0, null);

        Assert.Equal("estimate-next", StoryFlow.FocusTarget(Room(RoomState.Lobby, [fanny], stories: Stories), fanny));
        Assert.Equal("quick-vote", StoryFlow.FocusTarget(Room(RoomState.Lobby, [fanny], stories: [Stories[0]]), fanny));
        Assert.Equal("card-0", StoryFlow.FocusTarget(Room(RoomState.Voting, [fanny], round, stories: Stories), fanny));
        Assert.Equal("card-3", StoryFlow.FocusTarget(Room(RoomState.Voting, [fanny], round, stories: Stories), fanny with { Card = "5" }));
        Assert.Equal("reveal-button", StoryFlow.FocusTarget(Room(RoomState.Voting, [observer], round, stories: Stories), observer));
        Assert.Equal("accept-button", StoryFlow.FocusTarget(Room(RoomState.Revealed, [fanny], round, stories: Stories), fanny));
        Assert.Equal("room-title", StoryFlow.FocusTarget(Room(RoomState.Lobby, [Person(2, "Alice")], viewer: 2), Person(2, "Alice")));
    }

    [Fact]
    public void AMovedStoryKeepsFocusOnItsOwnMoveButton_InItsMenu_WhichStaysOpen()
    {
        Services.AddScoped<RoomSession>();
        IReadOnlyList<StoryDto> stories = Stories;
        var moves = new List<(int StoryId, int Index)>();
        var backlog = Render<Backlog>(p => p
            .Add(b => b.Stories, stories)
            .Add(b => b.IsFacilitator, true)
            .Add(b => b.OnMove, m => moves.Add(m)));

        backlog.Find("#menu-4").Click();
        backlog.Find("#move-up-4").Click();
        Assert.Equal([(4, 2)], moves);
        Assert.Equal(["menu-edit-4"], JSInterop.Invocations.Where(i => i.Identifier == "poker.focus").Select(i => i.Arguments[0])); // not moved yet

        backlog.Render(p => p.Add(b => b.Stories, [Stories[0], Stories[1], Stories[3], Stories[2]]));
        Assert.Equal(["menu-edit-4", "move-up-4"], JSInterop.Invocations.Where(i => i.Identifier == "poker.focus").Select(i => i.Arguments[0]));

        backlog.Find("#move-up-4").Click();
        Assert.Equal([(4, 2), (4, 1)], moves);

        backlog.Render(p => p.Add(b => b.Stories, [Stories[0], Stories[3], Stories[1], Stories[2]]));

        // At the top, "move up" is disabled: focus goes to the same story's "move down".
        backlog.Find("#move-up-4").Click();
        Assert.Equal([(4, 2), (4, 1), (4, 0)], moves);
        backlog.Render(p => p.Add(b => b.Stories, [Stories[3], Stories[0], Stories[1], Stories[2]]));
        Assert.Equal(["menu-edit-4", "move-up-4", "move-up-4", "move-down-4"], JSInterop.Invocations.Where(i => i.Identifier == "poker.focus").Select(i => i.Arguments[0]));
        Assert.Equal(["4", "1", "2", "3"], backlog.FindAll(".story").Select(s => s.GetAttribute("data-story")));
    }

    [Fact]
    public void TheRoundsShownSayWhichStoryTheyBelongTo()
    {
        var history = new StoryHistoryDto(1, [], []);

        var rounds = Render<RoundHistory>(p => p.Add(h => h.History, history).Add(h => h.StoryTitle, "Login"));

        Assert.Equal("Rounds of “Login”", rounds.Find("h3").TextContent);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSettingsHoldAnAutoAdvanceCheckbox_CheckedAsTheRoomIs(bool on)
    {
        var view = Room(RoomState.Lobby, [Person(1, "Fanny", role: Role.Facilitator)], stories: Stories);

        var bar = RenderBar(view with { Settings = view.Settings with { AutoAdvance = on } });

        var label = bar.FindAll("fieldset.settings label.check").Single(l => l.TextContent.Trim() == "Start the next story after an accept");
        Assert.Equal(on, label.QuerySelector("input[type=checkbox]")!.HasAttribute("checked"));
    }

    [Theory]
    [InlineData(false, 3, RoomState.Lobby)]
    [InlineData(true, 3, RoomState.Voting)]
    [InlineData(true, null, RoomState.Lobby)]
    public void AnAccept_AwaitsTheRoundOnTheNextStory_OnlyWhenAutoAdvanceHasOneToStart(bool autoAdvance, int? storyInRound, RoomState awaited)
    {
        var round = new RoundDto(9, storyInRound, 1, RoundState.Revealed, Clock.GetUtcNow(), 1, null);
        var view = Room(RoomState.Revealed, [Person(1, "Fanny", role: Role.Facilitator)], round, stories: [Stories[0], Stories[2] with { State = StoryState.Estimating }, Stories[3]]);
        var states = new List<RoomState>();
        var bar = RenderBar(view with { Settings = view.Settings with { AutoAdvance = autoAdvance } }, states.Add);

        bar.Find("form.accept").Submit();

        Assert.Equal([awaited], states);
    }

    [Fact]
    public void AnAcceptWithAutoAdvance_AwaitsTheLobby_WhenNoStoryIsPending()
    {
        var round = new RoundDto(9, 3, 1, RoundState.Revealed, Clock.GetUtcNow(), 1, null);
        var view = Room(RoomState.Revealed, [Person(1, "Fanny", role: Role.Facilitator)], round, stories: [Stories[0], Stories[2] with { State = StoryState.Estimating }]);
        var states = new List<RoomState>();
        var bar = RenderBar(view with { Settings = view.Settings with { AutoAdvance = true } }, states.Add);

        bar.Find("form.accept").Submit();

        Assert.Equal([RoomState.Lobby], states);
    }

    private IRenderedComponent<FacilitatorBar> RenderBar(RoomViewDto view, Action<RoomState>? onAwaitState = null) =>
        Render<FacilitatorBar>(p => p
            .Add(b => b.View, view)
            .Add(b => b.Session, new RoomSession(Services.GetRequiredService<NavigationManager>()))
            .Add(b => b.OnAwaitState, onAwaitState ?? (_ => { })));
}
