namespace PlanningPoker.Domain.Tests;

/// <summary>Whole workshops, command after command, as a team plays them.</summary>
public sealed class FlowTests
{
    [Fact]
    public void Flow_Lobby_Voting_Revealed_Voting_Accepted()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        var story = w.AddStories("Login page", "Password reset")[0];

        w.Ok(new StartRound(w.Facilitator, story));
        Assert.Equal(RoomState.Voting, w.Room.State);
        Assert.Equal(StoryState.Estimating, w.Room.FindStory(story)!.State);

        w.Ok(new CastVote(alice, "3"));
        w.Ok(new CastVote(bob, "13"));
        w.Ok(new CastVote(w.Facilitator, "5"));
        w.Ok(new Reveal(w.Facilitator));
        Assert.Equal(RoomState.Revealed, w.Room.State);
        var first = w.Room.CurrentRound!.Result!;
        Assert.Equal([alice], first.LowestVoters);
        Assert.Equal([bob], first.HighestVoters);

        w.Ok(new Revote(w.Facilitator));
        Assert.Equal(RoomState.Voting, w.Room.State);
        Assert.Equal(2, w.Room.CurrentRound!.Number);
        Assert.Empty(w.Room.CurrentRound.Votes);

        w.Ok(new CastVote(alice, "5"));
        w.Ok(new CastVote(bob, "8"));
        w.Ok(new CastVote(w.Facilitator, "5"));
        w.Ok(new Reveal(w.Facilitator));
        var second = w.Room.CurrentRound!.Result!;
        Assert.Equal("5", second.Suggested!.Label);
        Assert.True(second.NearConsensus);

        w.Ok(new Accept(w.Facilitator, second.Suggested.Label));

        Assert.Equal(RoomState.Lobby, w.Room.State);
        var estimated = w.Room.FindStory(story)!;
        Assert.Equal(StoryState.Estimated, estimated.State);
        Assert.Equal(new Estimate("5", 5m), estimated.FinalEstimate);
        Assert.Equal(5m, w.Room.EstimatedTotal);
        var history = w.Room.HistoryOf(story).GetValueOrThrow();
        Assert.Equal([RoundState.Revealed, RoundState.Accepted], history.Rounds.Select(r => r.State));
        var bobMoved = history.Movements.Single(m => m.ParticipantId == bob);
        Assert.Equal(["13", "8"], bobMoved.Cards.Select(c => c!.Label));
    }

    [Fact]
    public void Flow_AutoReveal_WhenLastPresentVoterVotes_RevealsWithTrigger()
    {
        var w = new Workshop(RoomSettings.Default with { AutoReveal = true, FacilitatorsVote = false });
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        w.Seat("Olivia", Role.Observer);
        w.Ok(new StartRound(w.Facilitator, null));

        w.Ok(new CastVote(alice, "8"));
        Assert.Equal(RoomState.Voting, w.Room.State);
        var events = w.Ok(new CastVote(bob, "8"));

        var revealed = Assert.Single(events.OfType<CardsRevealed>());
        Assert.Equal(RevealTrigger.AllVoted, revealed.Trigger);
        Assert.True(revealed.Result.Consensus);
    }

    [Fact]
    public void Flow_AutoReveal_WhenTheOnlyMissingVoterGoesAway_Reveals()
    {
        var w = new Workshop(RoomSettings.Default with { AutoReveal = true, FacilitatorsVote = false });
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "3"));

        w.Ok(new Disconnect(bob));

        Assert.Equal(RoomState.Revealed, w.Room.State);
        Assert.Equal(1, w.Room.CurrentRound!.Result!.VoterCount);
    }

    [Fact]
    public void Flow_RoundTimer_StartsWithRound_AndRevealsAtZero()
    {
        var w = new Workshop(RoomSettings.Default with { RoundTimer = TimeSpan.FromSeconds(30) });
        var alice = w.Seat("Alice");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "2"));
        Assert.Equal(w.Now + TimeSpan.FromSeconds(30), w.Room.Timer!.EndsAt);

        w.Advance(TimeSpan.FromSeconds(29));
        w.Fails(new TimeUp(), RoomErrorCode.TimerNotExpired);
        w.Advance(TimeSpan.FromSeconds(1));
        var events = w.Ok(new TimeUp());

        Assert.Contains(events, e => e is TimerStopped { Expired: true });
        Assert.Equal(RevealTrigger.Timer, events.OfType<CardsRevealed>().Single().Trigger);
        Assert.Null(w.Room.Timer);
    }

    [Fact]
    public void Flow_ManualReveal_StopsTheRunningCountdown()
    {
        var w = new Workshop();
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new StartTimer(w.Facilitator, TimeSpan.FromMinutes(2)));

        w.Ok(new Reveal(w.Facilitator));

        Assert.Null(w.Room.Timer);
        w.Fails(new TimeUp(), RoomErrorCode.TimerNotRunning);
    }

    [Fact]
    public void Flow_StartingAnotherStoryAfterReveal_ClosesTheRevealedRound_AndRestoresItsStory()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var stories = w.AddStories("A", "B");
        w.Ok(new StartRound(w.Facilitator, stories[0]));
        w.Ok(new CastVote(alice, "3"));
        w.Ok(new Reveal(w.Facilitator));

        w.Ok(new StartRound(w.Facilitator, stories[1]));

        Assert.Equal(StoryState.Pending, w.Room.FindStory(stories[0])!.State);
        Assert.Equal(StoryState.Estimating, w.Room.FindStory(stories[1])!.State);
        Assert.Equal(RoundState.Revealed, w.Room.HistoryOf(stories[0]).GetValueOrThrow().Rounds.Single().State);
    }

    [Fact]
    public void Flow_CancelledRound_NeverShowsItsVotesInHistory()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var story = w.AddStories("A")[0];
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(alice, "21"));

        w.Ok(new CancelRound(w.Facilitator));

        var round = w.Room.HistoryOf(story).GetValueOrThrow().Rounds.Single();
        Assert.Equal(RoundState.Cancelled, round.State);
        Assert.Equal(1, round.VoteCount);
        Assert.Empty(round.Votes);
        Assert.Null(round.Result);
        Assert.Equal(StoryState.Pending, w.Room.FindStory(story)!.State);
    }

    [Fact]
    public void Flow_SkipStoryInRound_ClosesTheRound_AndSkipsTheStory()
    {
        var w = new Workshop();
        var story = w.AddStories("A")[0];
        w.Ok(new StartRound(w.Facilitator, story));

        w.Ok(new SkipStory(w.Facilitator, story));

        Assert.Equal(RoomState.Lobby, w.Room.State);
        Assert.Equal(StoryState.Skipped, w.Room.FindStory(story)!.State);
    }

    [Fact]
    public void Flow_ReEstimatingAnEstimatedStory_KeepsItsEstimateUntilANewOneIsAccepted()
    {
        var w = new Workshop();
        var story = w.AddStories("A")[0];
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(w.Facilitator, "8"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Accept(w.Facilitator, "8"));

        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CancelRound(w.Facilitator));

        var kept = w.Room.FindStory(story)!;
        Assert.Equal(StoryState.Estimated, kept.State);
        Assert.Equal("8", kept.FinalEstimate!.Label);
    }

    [Theory]
    [InlineData("13", "13", 13)]
    [InlineData("2.5", "2.5", 2.5)]
    [InlineData("2,5", "2.5", 2.5)]
    [InlineData(" 08 ", "8", 8)]
    public void Accept_CardOrTypedNumber_SetsTheFinalEstimate(string typed, string label, decimal value)
    {
        var w = new Workshop();
        var story = w.AddStories("A")[0];
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new Reveal(w.Facilitator));

        w.Ok(new Accept(w.Facilitator, typed));

        Assert.Equal(new Estimate(label, value), w.Room.FindStory(story)!.FinalEstimate);
    }

    [Theory]
    [InlineData("?")]
    [InlineData("☕")]
    [InlineData("-3")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("123456789")]
    public void Accept_SpecialCardOrGarbage_ReturnsInvalidEstimate(string typed)
    {
        var w = new Workshop();
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new Reveal(w.Facilitator));

        w.Fails(new Accept(w.Facilitator, typed), RoomErrorCode.InvalidEstimate);
    }

    [Fact]
    public void CastVote_WhenChangesAreNotAllowed_RefusesTheSecondCard()
    {
        var w = new Workshop(RoomSettings.Default with { AllowVoteChange = false });
        var alice = w.Seat("Alice");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "3"));

        w.Fails(new CastVote(alice, "5"), RoomErrorCode.VoteChangeNotAllowed);
        w.Fails(new WithdrawVote(alice), RoomErrorCode.VoteChangeNotAllowed);
        Assert.Empty(w.Ok(new CastVote(alice, "3")));
    }

    [Fact]
    public void CastVote_ByObserverOrNonVotingFacilitator_ReturnsNotAVoter()
    {
        var w = new Workshop(RoomSettings.Default with { FacilitatorsVote = false });
        var olivia = w.Seat("Olivia", Role.Observer);
        w.Ok(new StartRound(w.Facilitator, null));

        w.Fails(new CastVote(olivia, "3"), RoomErrorCode.NotAVoter);
        w.Fails(new CastVote(w.Facilitator, "3"), RoomErrorCode.NotAVoter);
    }

    [Fact]
    public void ChangeSettings_FacilitatorsStopVoting_WithdrawsTheirCards()
    {
        var w = new Workshop();
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(w.Facilitator, "3"));

        var events = w.Ok(new ChangeSettings(w.Facilitator, RoomSettings.Default with { FacilitatorsVote = false }));

        Assert.Contains(new VoteWithdrawn(w.Room.CurrentRound!.Id, w.Facilitator), events);
        Assert.Empty(w.Room.CurrentRound.Votes);
    }

    [Fact]
    public void Reveal_ByVoter_WhenPolicyAllowsVoters_Succeeds()
    {
        var w = new Workshop(RoomSettings.Default with { WhoMayReveal = RevealPolicy.Voters });
        var alice = w.Seat("Alice");
        var olivia = w.Seat("Olivia", Role.Observer);
        w.Ok(new StartRound(w.Facilitator, null));

        w.Fails(new Reveal(olivia), RoomErrorCode.NotAllowedToReveal);
        w.Ok(new Reveal(alice));

        Assert.Equal(RoomState.Revealed, w.Room.State);
    }

    [Fact]
    public void Join_WhenLocked_ReturnsRoomLocked()
    {
        var w = new Workshop();
        w.Ok(new LockRoom(w.Facilitator, true));

        w.Fails(new Join("Zoé", Role.Estimator), RoomErrorCode.RoomLocked);
        w.Ok(new LockRoom(w.Facilitator, false));
        w.Seat("Zoé");
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("  ALICE ")]
    public void Join_WithATakenNameInAnyCase_ReturnsNameTaken(string name)
    {
        var w = new Workshop();
        w.Seat("Alice");

        w.Fails(new Join(name, Role.Estimator), RoomErrorCode.NameTaken);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two\nlines")]
    [InlineData("a name that is much too long for anybody to read")]
    public void Join_WithABadName_ReturnsInvalidName(string name)
    {
        var w = new Workshop();

        w.Fails(new Join(name, Role.Estimator), RoomErrorCode.InvalidName);
    }

    [Fact]
    public void Join_AsFacilitator_ReturnsInvalidRole()
    {
        var w = new Workshop();

        w.Fails(new Join("Mallory", Role.Facilitator), RoomErrorCode.InvalidRole);
    }

    [Fact]
    public void Join_PastTheParticipantLimit_ReturnsLimitExceeded()
    {
        var w = new Workshop();
        for (var i = 1; i < RoomLimits.MaxParticipants; i++)
        {
            w.Ok(new Join($"P{i}", Role.Estimator));
        }

        w.Fails(new Join("One too many", Role.Estimator), RoomErrorCode.LimitExceeded);
    }

    [Fact]
    public void AddStories_PastTheBacklogLimit_ReturnsLimitExceeded()
    {
        var w = new Workshop();
        w.AddStories([.. Enumerable.Range(1, RoomLimits.MaxStories - 1).Select(i => $"Story {i}")]);

        w.Fails(new AddStories(w.Facilitator, [new StoryDraft("last"), new StoryDraft("one too many")]), RoomErrorCode.LimitExceeded);
        w.AddStories("last");
    }

    [Fact]
    public void AddStories_WithOneBadStory_AddsNone_AndNamesIt()
    {
        var w = new Workshop();

        var error = w.Fails(new AddStories(w.Facilitator, [new StoryDraft("ok"), new StoryDraft(" ")]), RoomErrorCode.InvalidStory);

        Assert.StartsWith("story 2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoveStory_ToAnotherPosition_ReordersTheBacklog()
    {
        var w = new Workshop();
        var ids = w.AddStories("A", "B", "C");

        w.Ok(new MoveStory(w.Facilitator, ids[2], 0));

        Assert.Equal(["C", "A", "B"], w.Room.Stories.Select(s => s.Title));
        w.Fails(new MoveStory(w.Facilitator, ids[0], 3), RoomErrorCode.InvalidStory);
    }

    [Fact]
    public void ChangeRole_DemotingTheLastFacilitator_ReturnsLastFacilitator()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");

        w.Fails(new ChangeRole(w.Facilitator, w.Facilitator, Role.Estimator), RoomErrorCode.LastFacilitator);
        w.Ok(new ChangeRole(w.Facilitator, alice, Role.Facilitator));
        w.Ok(new ChangeRole(w.Facilitator, w.Facilitator, Role.Estimator));

        Assert.Equal(Role.Estimator, w.Room.FindParticipant(w.Facilitator)!.Role);
    }

    [Fact]
    public void ChangeRole_EstimatorSwitchingThemselvesToObserver_NeedsNoFacilitator_AndWithdrawsTheirVote()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "5"));

        w.Ok(new ChangeRole(alice, alice, Role.Observer));

        Assert.Null(w.Room.CurrentRound!.VoteOf(alice));
        w.Fails(new ChangeRole(alice, alice, Role.Facilitator), RoomErrorCode.NotFacilitator);
    }

    [Fact]
    public void Kick_RemovesTheSeatAndItsVote_ButHistoryKeepsTheName()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var story = w.AddStories("A")[0];
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(alice, "5"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Revote(w.Facilitator));
        w.Ok(new CastVote(alice, "8"));

        w.Ok(new Kick(w.Facilitator, alice));

        Assert.Null(w.Room.FindParticipant(alice));
        Assert.Empty(w.Room.CurrentRound!.Votes);
        var first = w.Room.HistoryOf(story).GetValueOrThrow().Rounds[0];
        Assert.Equal("Alice", first.Votes.Single().Name);
        w.Fails(new Kick(w.Facilitator, w.Facilitator), RoomErrorCode.CannotKickSelf);
        w.Seat("Alice");
    }

    [Fact]
    public void ViewFor_BeforeReveal_ShowsOwnCardOnly_AndAfterRevealShowsAll()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "3"));
        w.Ok(new CastVote(bob, "8"));

        var aliceView = w.View(alice);
        var bobSeenByAlice = aliceView.Participants.Single(p => p.Id == bob);

        Assert.True(bobSeenByAlice.HasVoted);
        Assert.Null(bobSeenByAlice.Card);
        Assert.Equal("3", aliceView.Participants.Single(p => p.Id == alice).Card!.Label);
        Assert.Null(aliceView.CurrentRound!.Result);
        Assert.DoesNotContain("\"8\"", Workshop.Serialize(aliceView with { Deck = Deck.Standard(DeckType.TShirt) }), StringComparison.Ordinal);

        w.Ok(new Reveal(w.Facilitator));

        Assert.Equal("8", w.View(alice).Participants.Single(p => p.Id == bob).Card!.Label);
    }

    [Fact]
    public void VoteCast_VisibleToOthers_HidesTheCard_ButNotToTheVoter()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        w.Ok(new StartRound(w.Facilitator, null));

        var cast = w.Ok(new CastVote(alice, "13")).OfType<VoteCast>().Single();

        Assert.Null(((VoteCast)cast.VisibleTo(w.Facilitator)).Card);
        Assert.Equal("13", ((VoteCast)cast.VisibleTo(alice)).Card!.Label);
    }

    [Fact]
    public void Snapshot_RoundTrip_RebuildsTheSameRoom()
    {
        var w = new Workshop(RoomSettings.Default with { RoundTimer = TimeSpan.FromMinutes(1) });
        var alice = w.Seat("Alice");
        var story = w.AddStories("A", "B")[1];
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(alice, "3"));

        var copy = Room.FromSnapshot(w.Room.ToSnapshot());

        Assert.Equal(Workshop.Snapshot(w.Room), Workshop.Snapshot(copy));
        Assert.Equal(RoomState.Voting, copy.State);
        Assert.True(copy.Execute(new Reveal(w.Facilitator), w.Now).IsSuccess);
    }

    [Fact]
    public void Create_WithBadNames_ReturnsInvalidName()
    {
        Assert.Equal(RoomErrorCode.InvalidName, Room.Create("r", " ", Deck.Default, RoomSettings.Default, "Fanny", Workshop.Start).Error!.Code);
        Assert.Equal(RoomErrorCode.InvalidName, Room.Create("r", "Room", Deck.Default, RoomSettings.Default, new string('x', 41), Workshop.Start).Error!.Code);
        Assert.Equal(RoomErrorCode.InvalidSettings, Room.Create("r", "Room", Deck.Default, RoomSettings.Default with { RoundTimer = TimeSpan.FromSeconds(5) }, "Fanny", Workshop.Start).Error!.Code);
    }

    [Fact]
    public void StartRound_OnTheSameStoryAfterReveal_KeepsTheStoryEstimating()
    {
        var w = new Workshop();
        var story = w.AddStories("A")[0];
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new Reveal(w.Facilitator));

        w.Ok(new StartRound(w.Facilitator, story));

        Assert.Equal(StoryState.Estimating, w.Room.FindStory(story)!.State);
        Assert.Equal(2, w.Room.CurrentRound!.Number);
    }

    [Theory]
    [InlineData("E\u0301va")]
    [InlineData("Éva\u200B")]
    [InlineData("\u202EavÉ")]
    public void Join_WithANameThatOnlyLooksDifferent_IsRefused(string name)
    {
        var w = new Workshop();
        w.Seat("Éva");

        var outcome = w.Run(new Join(name, Role.Estimator));

        Assert.Contains(outcome.Error!.Code, new[] { RoomErrorCode.NameTaken, RoomErrorCode.InvalidName });
    }

    [Fact]
    public void Join_WithAnEmojiSequence_IsAccepted()
    {
        var w = new Workshop();

        var id = w.Seat("👩‍💻 Dev");

        Assert.Equal("👩‍💻 Dev", w.Room.FindParticipant(id)!.Name);
    }
}
