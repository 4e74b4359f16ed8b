using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>
/// A vote reaches the others before its commit ("X has voted", no card); its voter hears only after the commit; a
/// vote that does not commit is taken back from everyone; nothing else goes before its commit. One silo: the
/// injected store faults are that silo's.
/// </summary>
[Collection(nameof(FakeClockRoomCluster))]
[Trait("Category", "Integration")]
public sealed class EarlyVoteTests(FakeClockRoomCluster cluster)
{
    [Fact]
    public async Task AVote_ReachesTheOthersBeforeItsCommit_ItsVoterHearsAfter()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        var hold = cluster.Store.HoldNextSave(roomId);
        var vote = cluster.ExecuteAsync(roomId, new CastVote(alice, "13"));
        var pushed = await observer.WaitForEventAsync<VoteCastDto>(v => v.ParticipantId == alice);
        var answeredBeforeCommit = vote.IsCompleted;
        hold.SetResult();
        var reply = await vote;

        Assert.False(answeredBeforeCommit, "the voter heard before the commit");
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        Assert.Null(pushed.Public.Events.OfType<VoteCastDto>().Single().Card);
        Assert.Equal("13", pushed.Private.Single(p => p.ParticipantId == alice).Change.Events.OfType<VoteCastDto>().Single().Card);
        Assert.True((await cluster.ViewAsync(roomId, f)).Participants.Single(p => p.Id == alice).HasVoted);
        Assert.Single(observer.Received, b => b.Public.Events.Any(e => e is VoteCastDto)); // pushed once, not again at the commit
    }

    [Fact]
    public async Task AVoteThatDoesNotCommit_IsTakenBackFromEveryone_ByAVersionGap()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        cluster.Store.FailNextSaves(roomId);
        var failed = await cluster.ExecuteAsync(roomId, new CastVote(alice, "13"));

        // Both come, in whatever order Orleans delivers them: the early vote, then the jump that takes it back.
        static bool IsVote(RoomBroadcast b) => b.Public.Events.Any(e => e is VoteCastDto);
        static bool IsJump(RoomBroadcast b) => b.Public.Events.Count == 0;
        await observer.WaitForAsync(_ => observer.Received.Any(IsVote) && observer.Received.Any(IsJump));
        var early = observer.Received.Single(IsVote);
        var jump = observer.Received.Single(IsJump);
        var view = await cluster.ViewAsync(roomId, f);

        Assert.Equal(ErrorCodes.Unavailable, failed.ErrorCode);
        Assert.Empty(jump.Public.Events);
        Assert.True(jump.Jump, "the relays would hold the jump for the versions it skips");
        Assert.False(early.Jump);
        Assert.True(jump.Public.Version >= early.Public.Version + 2, $"{jump.Public.Version} leaves no gap after {early.Public.Version}");
        Assert.Equal(jump.Public.Version, view.Version);
        Assert.False(view.Participants.Single(p => p.Id == alice).HasVoted);

        // The room goes on from there: the vote again, consecutive.
        await cluster.OkAsync(roomId, new CastVote(alice, "8"));
        var again = await observer.WaitForAsync(b => IsVote(b) && b.Public.Version > jump.Public.Version);
        Assert.Equal(jump.Public.Version + 1, again.Public.Version);
        Assert.True((await cluster.ViewAsync(roomId, f)).Participants.Single(p => p.Id == alice).HasVoted);
    }

    [Fact]
    public async Task TheLastVote_WithAutoReveal_GoesOnlyAfterItsCommit()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(new RoomSettingsDto(AutoReveal: true, FacilitatorsVote: false));
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        var bob = await cluster.JoinAsync(roomId, "Bob");
        await cluster.ConnectAsync(roomId, alice, "alice-1"); // present: the round waits for both
        await cluster.ConnectAsync(roomId, bob, "bob-1");

        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(alice, "5"));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        cluster.Store.FailNextSaves(roomId);
        var failed = await cluster.ExecuteAsync(roomId, new CastVote(bob, "8"));
        await cluster.OkAsync(roomId, new RenameRoom(f, "Marker"));
        await observer.WaitForEventAsync<RoomRenamedDto>(r => r.Name == "Marker");

        Assert.Equal(ErrorCodes.Unavailable, failed.ErrorCode);
        Assert.DoesNotContain(observer.Received.SelectMany(b => b.Public.Events), e => e is CardsRevealedDto or VoteCastDto);
        Assert.DoesNotContain(observer.Received.SelectMany(b => b.Private), p => p.ParticipantId == bob);
    }

    [Fact]
    public void OnlyVotesAlone_GoBeforeTheirCommit()
    {
        var at = DateTimeOffset.UnixEpoch;
        var cast = new VoteCast(1, 2, null, at);
        var withdrawn = new VoteWithdrawn(1, 2);
        var revealed = new CardsRevealed(1, RoundResult.Compute(Deck.Default, [], Domain.Statistic.Median, []), Domain.RevealTrigger.AllVoted, at);

        Assert.True(RoomGrain.IsEarly([cast]));
        Assert.True(RoomGrain.IsEarly([withdrawn]));
        Assert.False(RoomGrain.IsEarly([cast, revealed]));
        Assert.False(RoomGrain.IsEarly([revealed]));
        Assert.False(RoomGrain.IsEarly([]));
        Assert.False(RoomGrain.IsEarly([new RoomRenamed("x")]));
    }
}
