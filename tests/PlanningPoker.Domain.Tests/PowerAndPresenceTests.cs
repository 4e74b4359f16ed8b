namespace PlanningPoker.Domain.Tests;

/// <summary>
/// Power is given, never assumed: a role changes only by a facilitator's command or the facilitator key, and presence
/// (connections coming and going) never changes a role or takes back a vote.
/// </summary>
public sealed class PowerAndPresenceTests
{
    [Fact]
    public void Connect_OfAStrangerWhenEveryoneIsAway_GivesNoPower()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        w.Ok(new Disconnect(w.Facilitator));
        w.Ok(new Disconnect(alice));

        var stranger = w.Seat("Mallory", Role.Observer);

        Assert.Equal(Role.Observer, w.Room.FindParticipant(stranger)!.Role);
        Assert.Equal(Role.Estimator, w.Room.FindParticipant(alice)!.Role);
        w.Fails(new Kick(stranger, w.Facilitator), RoomErrorCode.NotFacilitator);
        w.Fails(new LockRoom(stranger, true), RoomErrorCode.NotFacilitator);
        Assert.Equal(Role.Facilitator, w.Room.FindParticipant(w.Facilitator)!.Role);
    }

    [Fact]
    public void Disconnect_OfEveryoneDuringARound_KeepsEveryRoleAndEveryVote()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        var carol = w.Seat("Carol");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "3"));
        w.Ok(new CastVote(bob, "5"));

        w.Ok(new Disconnect(w.Facilitator));
        w.Ok(new Disconnect(alice));
        w.Ok(new Disconnect(bob));

        Assert.Equal([Role.Facilitator, Role.Estimator, Role.Estimator, Role.Estimator], w.Room.Participants.Select(p => p.Role));
        Assert.Equal(RoomState.Voting, w.Room.State);
        Assert.Equal([alice, bob], w.Room.CurrentRound!.Votes.Select(v => v.ParticipantId));
        Assert.True(w.Room.FindParticipant(carol)!.IsPresent);
    }

    [Fact]
    public void Connect_OfAnEstimatorBeforeTheCreator_LeavesTheCreatorTheOnlyFacilitator()
    {
        var room = Room.Create("r", "Sprint", Deck.Default, RoomSettings.Default, "Fanny", Workshop.Start).GetValueOrThrow();
        var alice = room.Execute(new Join("Alice", Role.Estimator), Workshop.Start).Events.OfType<ParticipantJoined>().Single().Participant.Id;

        var events = room.Execute(new Connect(alice), Workshop.Start).Events;

        Assert.DoesNotContain(events, e => e is RoleChanged);
        Assert.Equal(Role.Estimator, room.FindParticipant(alice)!.Role);
        Assert.Equal(Role.Facilitator, room.FindParticipant(1)!.Role);
    }

    [Fact]
    public void Leave_OfTheOnlyFacilitator_PromotesNobody_AndTheRoomStillRevealsByItself()
    {
        var w = new Workshop(RoomSettings.Default with { AutoReveal = true, RoundTimer = TimeSpan.FromSeconds(30) });
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        w.Ok(new StartRound(w.Facilitator, null));

        var left = w.Ok(new Leave(w.Facilitator));
        w.Ok(new CastVote(alice, "3"));
        var last = w.Ok(new CastVote(bob, "5"));

        Assert.DoesNotContain(left, e => e is RoleChanged);
        Assert.DoesNotContain(w.Room.Participants, p => p.Role == Role.Facilitator);
        Assert.Contains(last, e => e is CardsRevealed { Trigger: RevealTrigger.AllVoted });
    }

    [Fact]
    public void TimeUp_WithEveryFacilitatorAway_RevealsTheVotesCast()
    {
        var w = new Workshop(RoomSettings.Default with { AutoReveal = false, RoundTimer = TimeSpan.FromSeconds(30), RevealWhenTimerEnds = true });
        var alice = w.Seat("Alice");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "8"));
        w.Ok(new Disconnect(w.Facilitator));
        w.Advance(TimeSpan.FromSeconds(30));

        var events = w.Ok(new TimeUp());

        Assert.Contains(events, e => e is CardsRevealed { Trigger: RevealTrigger.Timer });
        Assert.Equal(Role.Estimator, w.Room.FindParticipant(alice)!.Role);
    }

    [Fact]
    public void ClaimFacilitator_MakesTheClaimerAFacilitator_SayingItWasClaimed()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");

        var events = w.Ok(new ClaimFacilitator(alice));

        Assert.Equal([new RoleChanged(alice, Role.Facilitator, Claimed: true)], events);
        Assert.Empty(w.Ok(new ClaimFacilitator(alice)));
    }

    [Fact]
    public void ClaimFacilitator_ByAVoterWhenFacilitatorsDoNotVote_TakesBackOnlyTheirOwnCard()
    {
        var w = new Workshop(RoomSettings.Default with { FacilitatorsVote = false });
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "3"));
        w.Ok(new CastVote(bob, "5"));

        w.Ok(new ClaimFacilitator(alice));

        Assert.Equal([bob], w.Room.CurrentRound!.Votes.Select(v => v.ParticipantId));
    }

    [Fact]
    public void Join_AsFacilitator_NeedsTheKey_AndTheKeyPassesTheLock()
    {
        var w = new Workshop();
        w.Ok(new LockRoom(w.Facilitator, true));

        w.Fails(new Join("Mallory", Role.Facilitator), RoomErrorCode.RoomLocked);
        w.Ok(new LockRoom(w.Facilitator, false));
        w.Fails(new Join("Mallory", Role.Facilitator), RoomErrorCode.InvalidRole);
        w.Ok(new LockRoom(w.Facilitator, true));
        var joined = w.Ok(new Join("Fanny on her phone", Role.Facilitator, WithFacilitatorKey: true));

        Assert.Equal(Role.Facilitator, joined.OfType<ParticipantJoined>().Single().Participant.Role);
    }

    [Fact]
    public void ChangeRole_DemotingTheLastFacilitatorWhileAnotherIsAway_IsAllowed()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        w.Ok(new ChangeRole(w.Facilitator, alice, Role.Facilitator));
        w.Ok(new Disconnect(alice));

        w.Ok(new ChangeRole(w.Facilitator, w.Facilitator, Role.Estimator));

        Assert.Equal(Role.Facilitator, w.Room.FindParticipant(alice)!.Role);
        w.Fails(new ChangeRole(alice, alice, Role.Observer), RoomErrorCode.LastFacilitator);
    }
}
