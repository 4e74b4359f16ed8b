namespace PlanningPoker.Domain.Tests;

/// <summary>
/// <see cref="RoomSettings.AutoAdvance"/>: accepting a story's estimate opens a round on the next pending story in the
/// same command; nothing else does.
/// </summary>
public sealed class AutoAdvanceTests
{
    private static readonly RoomSettings AutoAdvance = RoomSettings.Default with { AutoAdvance = true };

    [Fact]
    public void Default_AutoAdvance_IsOff()
    {
        Assert.False(RoomSettings.Default.AutoAdvance);
    }

    [Fact]
    public void Accept_WithAutoAdvance_StartsARoundOnTheFirstPendingStoryInBacklogOrder()
    {
        var w = new Workshop(AutoAdvance);
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout", "Search", "Export");
        w.Ok(new SkipStory(w.Facilitator, stories[1]));
        w.Ok(new MoveStory(w.Facilitator, stories[3], 2));
        RevealOn(w, stories[0], alice);

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        var accepted = w.Room.Rounds[^2];
        var started = w.Room.CurrentRound!;
        Assert.Equal(
            [
                new EstimateAccepted(accepted.Id, stories[0], new Estimate("5", 5m)),
                new StoryStateChanged(stories[0], StoryState.Estimated, new Estimate("5", 5m)),
                new RoundStarted(started.Id, stories[3], 1, w.Now),
                new StoryStateChanged(stories[3], StoryState.Estimating, null),
            ],
            events);
        Assert.Equal(RoomState.Voting, w.Room.State);
        Assert.Empty(started.Votes);
        Assert.Equal(StoryState.Pending, w.Room.FindStory(stories[2])!.State);
    }

    [Fact]
    public void Accept_WithAutoAdvanceOff_StaysInTheLobby()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout");
        RevealOn(w, stories[0], alice);

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        Assert.Equal(RoomState.Lobby, w.Room.State);
        Assert.DoesNotContain(events, e => e is RoundStarted);
        Assert.Equal(StoryState.Pending, w.Room.FindStory(stories[1])!.State);
    }

    [Fact]
    public void Accept_WithAutoAdvance_WhenNoStoryIsPending_StaysInTheLobby()
    {
        var w = new Workshop(AutoAdvance);
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout");
        w.Ok(new SkipStory(w.Facilitator, stories[1]));
        RevealOn(w, stories[0], alice);

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        Assert.Equal(RoomState.Lobby, w.Room.State);
        Assert.DoesNotContain(events, e => e is RoundStarted);
        Assert.Equal(StoryState.Estimated, w.Room.FindStory(stories[0])!.State);
    }

    [Fact]
    public void Accept_OfAQuickVoteWithAutoAdvance_StaysInTheLobby()
    {
        var w = new Workshop(AutoAdvance);
        var alice = w.Seat("Alice");
        w.AddStories("Login");
        RevealOn(w, null, alice);

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        Assert.Equal(RoomState.Lobby, w.Room.State);
        Assert.DoesNotContain(events, e => e is RoundStarted);
    }

    [Fact]
    public void Accept_WithAutoAdvance_OfAStoryEstimatedBefore_StartsTheNextPendingStoryAtItsNextRoundNumber()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout");
        RevealOn(w, stories[1], alice);
        w.Ok(new CancelRound(w.Facilitator));
        RevealOn(w, stories[0], alice);
        w.Ok(new Accept(w.Facilitator, "3"));
        w.Ok(new ChangeSettings(w.Facilitator, AutoAdvance));
        RevealOn(w, stories[0], alice);

        w.Ok(new Accept(w.Facilitator, "8"));

        Assert.Equal(stories[1], w.Room.CurrentRound!.StoryId);
        Assert.Equal(2, w.Room.CurrentRound.Number);
        Assert.Equal(new Estimate("8", 8m), w.Room.FindStory(stories[0])!.FinalEstimate);
    }

    [Fact]
    public void Accept_WithAutoAdvanceAndARoundTimer_StartsTheNewRoundsCountdownAtTheAccept()
    {
        var w = new Workshop(AutoAdvance with { RoundTimer = TimeSpan.FromSeconds(30) });
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout");
        RevealOn(w, stories[0], alice);
        w.Advance(TimeSpan.FromMinutes(3));

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        Assert.Equal(new TimerStarted(new CountdownTimer(w.Now, TimeSpan.FromSeconds(30))), events[^1]);
        Assert.Equal(w.Now + TimeSpan.FromSeconds(30), w.Room.Timer!.EndsAt);
    }

    [Fact]
    public void Accept_WithAutoAdvance_StopsAManualCountdown_AndStartsNoneWithoutARoundTimer()
    {
        var w = new Workshop(AutoAdvance);
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout");
        RevealOn(w, stories[0], alice);
        w.Ok(new StartTimer(w.Facilitator, TimeSpan.FromMinutes(2)));

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        Assert.IsType<TimerStopped>(events[0]);
        Assert.DoesNotContain(events, e => e is TimerStarted);
        Assert.Null(w.Room.Timer);
        Assert.Equal(RoomState.Voting, w.Room.State);
    }

    [Fact]
    public void Accept_WithAutoAdvanceAndAutoReveal_LeavesTheNewRoundOpen()
    {
        var w = new Workshop(AutoAdvance with { AutoReveal = true, FacilitatorsVote = false });
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout");
        w.Ok(new StartRound(w.Facilitator, stories[0]));
        w.Ok(new CastVote(alice, "5"));
        Assert.Equal(RoomState.Revealed, w.Room.State);

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        Assert.DoesNotContain(events, e => e is CardsRevealed);
        Assert.Equal(RoomState.Voting, w.Room.State);
        Assert.Equal(stories[1], w.Room.CurrentRound!.StoryId);
    }

    [Fact]
    public void ChangeSettings_TurningAutoAdvanceOnInTheLobby_StartsNoRound()
    {
        var w = new Workshop();
        w.AddStories("Login");

        var events = w.Ok(new ChangeSettings(w.Facilitator, AutoAdvance));

        Assert.Equal([new SettingsChanged(AutoAdvance)], events);
        Assert.Equal(RoomState.Lobby, w.Room.State);
    }

    public static TheoryData<string> RoundEndsWithoutAnEstimate => ["SkipStory", "CancelRound", "StartRoundOnAnotherStory"];

    [Theory]
    [MemberData(nameof(RoundEndsWithoutAnEstimate))]
    public void EndingARevealedRoundWithoutAnAccept_WithAutoAdvance_OpensNoRoundOfItsOwn(string how)
    {
        var w = new Workshop(AutoAdvance);
        var alice = w.Seat("Alice");
        var stories = w.AddStories("Login", "Logout", "Search");
        RevealOn(w, stories[0], alice);

        var events = w.Ok(how switch
        {
            "SkipStory" => new SkipStory(w.Facilitator, stories[0]),
            "CancelRound" => new CancelRound(w.Facilitator),
            _ => new StartRound(w.Facilitator, stories[2]),
        });

        int?[] expected = how == "StartRoundOnAnotherStory" ? [stories[2]] : [];
        Assert.Equal(expected, events.OfType<RoundStarted>().Select(r => r.StoryId));
        Assert.Equal(StoryState.Pending, w.Room.FindStory(stories[1])!.State);
    }

    [Fact]
    public void Accept_WithAutoAdvance_WhenTheRoomHoldsItsLastRound_StaysInTheLobby()
    {
        var w = new Workshop(AutoAdvance);
        var stories = w.AddStories("Login", "Logout");
        for (var i = 1; i < RoomLimits.MaxRounds; i++)
        {
            w.Ok(new StartRound(w.Facilitator, null));
            w.Ok(new CancelRound(w.Facilitator));
        }

        w.Ok(new StartRound(w.Facilitator, stories[0]));
        w.Ok(new Reveal(w.Facilitator));
        Assert.Equal(RoomLimits.MaxRounds, w.Room.Rounds.Count);

        var events = w.Ok(new Accept(w.Facilitator, "5"));

        Assert.Equal(RoomState.Lobby, w.Room.State);
        Assert.DoesNotContain(events, e => e is RoundStarted);
        Assert.Equal(StoryState.Estimated, w.Room.FindStory(stories[0])!.State);
    }

    private static void RevealOn(Workshop w, int? story, int voter)
    {
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(voter, "5"));
        w.Ok(new Reveal(w.Facilitator));
    }
}
