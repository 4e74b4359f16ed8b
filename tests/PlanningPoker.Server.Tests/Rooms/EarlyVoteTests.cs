using Orleans.Concurrency;
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
    private static readonly TimeSpan Timeout = RoomClusterBase.Timeout;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AVote_ReachesTheOthersBeforeItsCommit_ItsVoterHearsAfter()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await JoinAsync(roomId, "Alice");
        await OkAsync(roomId, new StartRound(f, null));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        var hold = cluster.Store.HoldNextSave(roomId);
        var vote = ExecuteAsync(roomId, new CastVote(alice, "13"));
        var pushed = await observer.WaitForEventAsync<VoteCastDto>(v => v.ParticipantId == alice);
        var answeredBeforeCommit = vote.IsCompleted;
        hold.SetResult();
        var reply = await vote;

        Assert.False(answeredBeforeCommit, "the voter heard before the commit");
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        Assert.Null(pushed.Public.Events.OfType<VoteCastDto>().Single().Card);
        Assert.Equal("13", pushed.Private.Single(p => p.ParticipantId == alice).Change.Events.OfType<VoteCastDto>().Single().Card);
        Assert.True((await ViewAsync(roomId, f)).Participants.Single(p => p.Id == alice).HasVoted);
        Assert.Single(observer.Received, b => b.Public.Events.Any(e => e is VoteCastDto)); // pushed once, not again at the commit
    }

    [Fact]
    public async Task AVoteThatDoesNotCommit_IsTakenBackFromEveryone_ByAVersionGap()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await JoinAsync(roomId, "Alice");
        await OkAsync(roomId, new StartRound(f, null));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        cluster.Store.FailNextSaves(roomId);
        var failed = await ExecuteAsync(roomId, new CastVote(alice, "13"));

        // Both come, in whatever order Orleans delivers them: the early vote, then the jump that takes it back.
        static bool IsVote(RoomBroadcast b) => b.Public.Events.Any(e => e is VoteCastDto);
        static bool IsJump(RoomBroadcast b) => b.Public.Events.Count == 0;
        await observer.WaitForAsync(_ => observer.Received.Any(IsVote) && observer.Received.Any(IsJump));
        var early = observer.Received.Single(IsVote);
        var jump = observer.Received.Single(IsJump);
        var view = await ViewAsync(roomId, f);

        Assert.Equal(ErrorCodes.Unavailable, failed.ErrorCode);
        Assert.Empty(jump.Public.Events);
        Assert.True(jump.Jump, "the relays would hold the jump for the versions it skips");
        Assert.False(early.Jump);
        Assert.True(jump.Public.Version >= early.Public.Version + 2, $"{jump.Public.Version} leaves no gap after {early.Public.Version}");
        Assert.Equal(jump.Public.Version, view.Version);
        Assert.False(view.Participants.Single(p => p.Id == alice).HasVoted);

        // The room goes on from there: the vote again, consecutive.
        await OkAsync(roomId, new CastVote(alice, "8"));
        var again = await observer.WaitForAsync(b => IsVote(b) && b.Public.Version > jump.Public.Version);
        Assert.Equal(jump.Public.Version + 1, again.Public.Version);
        Assert.True((await ViewAsync(roomId, f)).Participants.Single(p => p.Id == alice).HasVoted);
    }

    [Fact]
    public async Task TheLastVote_WithAutoReveal_GoesOnlyAfterItsCommit()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(new RoomSettingsDto(AutoReveal: true, FacilitatorsVote: false));
        var f = fanny.ParticipantId;
        var alice = await JoinAsync(roomId, "Alice");
        var bob = await JoinAsync(roomId, "Bob");
        foreach (var (id, connection) in new[] { (alice, "alice-1"), (bob, "bob-1") })
        {
            var connected = await cluster.Room(roomId).Connect(id, connection, null).WaitAsync(Timeout, Cancel);
            Assert.True(connected.IsSuccess, connected.ErrorMessage); // present: the round waits for both
        }

        await OkAsync(roomId, new StartRound(f, null));
        await OkAsync(roomId, new CastVote(alice, "5"));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        cluster.Store.FailNextSaves(roomId);
        var failed = await ExecuteAsync(roomId, new CastVote(bob, "8"));
        await OkAsync(roomId, new RenameRoom(f, "Marker"));
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

    private async Task<int> JoinAsync(string roomId, string name)
    {
        var reply = await cluster.Room(roomId).Join(new JoinRoomRequest(name)).WaitAsync(Timeout, Cancel);
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        return reply.Value!.ParticipantId;
    }

    private Task<Reply> ExecuteAsync(string roomId, RoomCommand command) =>
        cluster.Room(roomId).Execute(new Immutable<RoomCommand>(command)).WaitAsync(Timeout, Cancel);

    private async Task OkAsync(string roomId, RoomCommand command)
    {
        var reply = await ExecuteAsync(roomId, command);
        Assert.True(reply.IsSuccess, $"{command.GetType().Name}: {reply.ErrorCode} {reply.ErrorMessage}");
    }

    private async Task<RoomViewDto> ViewAsync(string roomId, int participantId)
    {
        var reply = await cluster.Room(roomId).GetView(participantId).WaitAsync(Timeout, Cancel);
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        return reply.Value!;
    }
}
