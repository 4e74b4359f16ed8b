namespace PlanningPoker.Domain.Tests;

/// <summary>
/// A live room forgets the finished rounds only history needs (storage keeps them), so that its memory stays flat over a
/// long workshop: what it keeps, what it tells, and what it still counts.
/// </summary>
public sealed class ForgottenRoundsTests
{
    [Fact]
    public void QuickVotes_AllButTheOpenRoundAreForgotten_AndNumberingGoesOn()
    {
        var w = new Workshop();
        var ann = w.Seat("Ann");
        for (var i = 0; i < 3; i++)
        {
            w.Ok(new StartRound(w.Facilitator, null));
            w.Ok(new CastVote(ann, "5"));
            w.Ok(new Reveal(w.Facilitator));
        }

        Assert.Equal(2, w.Room.ForgetFinishedRounds());
        Assert.Equal([3], w.Room.Rounds.Select(r => r.Id));
        Assert.False(w.Room.HoldsAllRoundsOf(null));
        Assert.Equal([null], w.Room.StoriesWithForgottenRounds);

        var started = w.Ok(new StartRound(w.Facilitator, null)).OfType<RoundStarted>().Single();
        Assert.Equal((4, 4), (started.RoundId, started.Number));
        Assert.Equal(4, w.Room.RoundCount);
        Assert.Equal(1, w.Room.ForgetFinishedRounds()); // round 3, closed by round 4
        Assert.Equal(0, w.Room.ForgetFinishedRounds());
    }

    [Fact]
    public void AStory_ForgetsItsRoundsUpToItsLastAccept_AndKeepsTheRoundsSince()
    {
        var w = new Workshop();
        var ann = w.Seat("Ann");
        var story = w.AddStories("Login").Single();
        w.Ok(new StartRound(w.Facilitator, story)); // round 1: revealed, re-voted
        w.Ok(new CastVote(ann, "3"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Revote(w.Facilitator)); // round 2: accepted
        w.Ok(new CastVote(ann, "5"));
        w.Ok(new Reveal(w.Facilitator));

        Assert.Equal(0, w.Room.ForgetFinishedRounds()); // nothing accepted yet: the discussion needs both
        w.Ok(new Accept(w.Facilitator, "5"));
        Assert.Equal(2, w.Room.ForgetFinishedRounds());
        Assert.Empty(w.Room.Rounds);

        w.Ok(new StartRound(w.Facilitator, story)); // round 3, on the estimated story, cancelled: after the accept, kept
        w.Ok(new CancelRound(w.Facilitator));
        Assert.Equal(StoryState.Estimated, w.Room.FindStory(story)!.State);
        Assert.Equal(0, w.Room.ForgetFinishedRounds());
        Assert.Equal([(3, 3)], w.Room.Rounds.Select(r => (r.Id, r.Number)));

        w.Ok(new StartRound(w.Facilitator, story)); // round 4: accepted, so 3 and 4 go
        w.Ok(new CastVote(ann, "8"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Accept(w.Facilitator, "8"));
        Assert.Equal(2, w.Room.ForgetFinishedRounds());
        Assert.Equal(4, w.Room.RoundCount);
    }

    [Fact]
    public void History_FromTheStoredCopies_IsTheHistoryTheRoomToldBeforeForgetting()
    {
        var w = new Workshop();
        var ann = w.Seat("Ann");
        var ben = w.Seat("Ben");
        var story = w.AddStories("Login").Single();
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(ann, "3"));
        w.Ok(new CastVote(ben, "8"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Revote(w.Facilitator));
        w.Ok(new CastVote(ann, "5"));
        w.Ok(new CastVote(ben, "5"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Accept(w.Facilitator, "5"));
        w.Ok(new StartRound(w.Facilitator, story)); // open again, voting: kept
        w.Ok(new CastVote(ann, "8"));

        var before = Workshop.Serialize(w.Room.HistoryOf(story).GetValueOrThrow());
        var stored = w.Room.ToSnapshot().Rounds; // what storage holds
        w.Room.ForgetFinishedRounds();

        Assert.Equal([3], w.Room.Rounds.Select(r => r.Id));
        Assert.False(w.Room.HoldsAllRoundsOf(story));
        Assert.Equal(before, Workshop.Serialize(w.Room.HistoryOf(story, stored).GetValueOrThrow()));

        // The stored copy of the open round is older than the room's: the room's wins (Ben's vote is there, hidden).
        w.Ok(new CastVote(ben, "8"));
        var history = w.Room.HistoryOf(story, stored).GetValueOrThrow();
        Assert.Equal([2, 2, 2], history.Rounds.Select(r => r.VoteCount));
        Assert.Empty(history.Rounds[^1].Votes);
    }

    [Fact]
    public void TheRoundLimit_CountsForgottenRounds_AndARemovedStoryGivesItsRoundsBack()
    {
        var w = new Workshop();
        var story = w.AddStories("Login").Single();
        for (var i = 0; i < RoomLimits.MaxRounds; i++)
        {
            w.Ok(new StartRound(w.Facilitator, i < 2 ? story : null));
            w.Ok(new CancelRound(w.Facilitator));
            w.Room.ForgetFinishedRounds();
        }

        Assert.True(w.Room.Rounds.Count <= 3);
        Assert.Equal(RoomLimits.MaxRounds, w.Room.RoundCount);
        Assert.Equal(RoomErrorCode.LimitExceeded, w.Run(new StartRound(w.Facilitator, null)).Error?.Code);

        w.Ok(new RemoveStory(w.Facilitator, story)); // its 2 rounds go with it
        Assert.Equal(RoomLimits.MaxRounds - 2, w.Room.RoundCount);
        w.Ok(new StartRound(w.Facilitator, null));
    }

    [Fact]
    public void ARoomThatForgot_HasNoWholeSnapshot_AndOneLoadedFromStorageCountsEveryStoredRound()
    {
        var w = new Workshop();
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CancelRound(w.Facilitator));
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CancelRound(w.Facilitator));
        var whole = w.Room.ToSnapshot();
        w.Room.ForgetFinishedRounds();

        Assert.Throws<InvalidOperationException>(w.Room.ToSnapshot);
        var loaded = Room.FromSnapshot(whole);
        Assert.Equal(2, loaded.RoundCount);
        Assert.True(loaded.HoldsAllRoundsOf(null));
        Assert.Equal(3, loaded.Execute(new StartRound(w.Facilitator, null), w.Now).Events.OfType<RoundStarted>().Single().Number);
    }
}
