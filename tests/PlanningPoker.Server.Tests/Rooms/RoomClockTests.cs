using Orleans.Concurrency;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using RevealTrigger = PlanningPoker.Contracts.RevealTrigger;
using RoomState = PlanningPoker.Contracts.RoomState;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>
/// The room's alarm (countdown and presence grace) on a silo whose clock only the test moves: each test checks the
/// instant just before the deadline and the deadline itself. The alarm is armed before the grain call returns.
/// </summary>
[Collection(nameof(FakeClockRoomCluster))]
[Trait("Category", "Integration")]
public sealed class RoomClockTests(FakeClockRoomCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = RoomClusterBase.Timeout;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TimeUp_AtTheEndOfTheCountdown_RevealsTheCards()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(alice, "5"));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        await cluster.OkAsync(roomId, new StartTimer(f, TimeSpan.FromSeconds(10)));

        cluster.Time.Advance(TimeSpan.FromSeconds(10) - Tick);
        var before = await cluster.ViewAsync(roomId, f);
        cluster.Time.Advance(Tick);
        var broadcast = await observer.WaitForEventAsync<CardsRevealedDto>();

        Assert.Equal(RoomState.Voting, before.State);
        Assert.NotNull(before.Timer);
        var revealed = Assert.Single(broadcast.Public.Events.OfType<CardsRevealedDto>());
        Assert.Equal(RevealTrigger.Timer, revealed.Trigger);
        Assert.Equal("5", Assert.Single(revealed.Result.Distribution).Card);
        Assert.Contains(broadcast.Public.Events, e => e is TimerStoppedDto { Expired: true });
        var after = await cluster.ViewAsync(roomId, f);
        Assert.Equal(RoomState.Revealed, after.State);
        Assert.Null(after.Timer);
    }

    [Fact]
    public async Task TimeUp_WhenTheRoomDoesNotRevealOnTimeUp_StopsTheCountdownAndKeepsVoting()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(new RoomSettingsDto(RevealWhenTimerEnds: false));
        var f = fanny.ParticipantId;
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(f, "3"));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        await cluster.OkAsync(roomId, new StartTimer(f, TimeSpan.FromSeconds(20)));

        cluster.Time.Advance(TimeSpan.FromSeconds(20));
        var broadcast = await observer.WaitForEventAsync<TimerStoppedDto>(t => t.Expired);

        Assert.DoesNotContain(broadcast.Public.Events, e => e is CardsRevealedDto);
        var view = await cluster.ViewAsync(roomId, f);
        Assert.Equal(RoomState.Voting, view.State);
        Assert.Null(view.Timer);
    }

    [Fact]
    public async Task StartRound_WithARoundTimerSetting_RevealsWhenThatCountdownEnds()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(new RoomSettingsDto(RoundTimerSeconds: 30));
        var f = fanny.ParticipantId;
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(f, "8"));

        cluster.Time.Advance(TimeSpan.FromSeconds(30) - Tick);
        var before = await cluster.ViewAsync(roomId, f);
        cluster.Time.Advance(Tick);
        var broadcast = await observer.WaitForEventAsync<CardsRevealedDto>();

        Assert.Equal(RoomState.Voting, before.State);
        Assert.Equal(30, before.Timer!.DurationSeconds);
        Assert.Equal(RevealTrigger.Timer, broadcast.Public.Events.OfType<CardsRevealedDto>().Single().Trigger);
    }

    [Fact]
    public async Task TimeUp_AfterTheRoomWasReloaded_StillRevealsAtTheEnd()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(f, "13"));
        await cluster.OkAsync(roomId, new StartTimer(f, TimeSpan.FromSeconds(15)));
        cluster.Time.Advance(TimeSpan.FromSeconds(5));

        await cluster.Cluster.DeactivateAsync(cluster.Room(roomId)).WaitAsync(Timeout, Cancel);
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        cluster.Time.Advance(TimeSpan.FromSeconds(10) - Tick);
        var before = await cluster.ViewAsync(roomId, f);
        cluster.Time.Advance(Tick);
        var broadcast = await observer.WaitForEventAsync<CardsRevealedDto>();

        Assert.Equal(RoomState.Voting, before.State);
        Assert.Equal(RevealTrigger.Timer, broadcast.Public.Events.OfType<CardsRevealedDto>().Single().Trigger);
    }

    [Fact]
    public async Task StopTimer_BeforeTheEnd_CancelsTheReveal()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(f, "2"));
        await cluster.OkAsync(roomId, new StartTimer(f, TimeSpan.FromSeconds(10)));
        await cluster.OkAsync(roomId, new StopTimer(f));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        cluster.Time.Advance(TimeSpan.FromSeconds(11));
        await cluster.OkAsync(roomId, new RenameRoom(f, "Marker"));
        await observer.WaitForEventAsync<RoomRenamedDto>();

        Assert.DoesNotContain(observer.Received.SelectMany(b => b.Public.Events), e => e is CardsRevealedDto or TimerStoppedDto);
        Assert.Equal(RoomState.Voting, (await cluster.ViewAsync(roomId, f)).State);
    }

    [Fact]
    public async Task ConnectionClosed_LeavesTheParticipantPresentUntilTheGracePeriodEnds()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.ConnectAsync(roomId, fanny.ParticipantId, "fanny-1");
        await cluster.ConnectAsync(roomId, alice, "alice-1");
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        await CloseAsync(roomId, alice, "alice-1");
        cluster.Time.Advance(cluster.PresenceGracePeriod - Tick);
        var before = await cluster.ViewAsync(roomId, fanny.ParticipantId);
        cluster.Time.Advance(Tick);
        var broadcast = await observer.WaitForEventAsync<PresenceChangedDto>(p => p.ParticipantId == alice);

        Assert.True(before.Participants.Single(p => p.Id == alice).IsPresent);
        Assert.False(broadcast.Public.Events.OfType<PresenceChangedDto>().Single().IsPresent);
    }

    [Fact]
    public async Task ConnectionClosed_ThenAnotherConnectionWithinTheGracePeriod_KeepsThePresence()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.ConnectAsync(roomId, fanny.ParticipantId, "fanny-1");
        await cluster.ConnectAsync(roomId, alice, "alice-1");
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        await CloseAsync(roomId, alice, "alice-1");
        cluster.Time.Advance(cluster.PresenceGracePeriod / 2);
        await cluster.ConnectAsync(roomId, alice, "alice-2");
        cluster.Time.Advance(cluster.PresenceGracePeriod);
        await cluster.OkAsync(roomId, new RenameRoom(fanny.ParticipantId, "Marker"));
        await observer.WaitForEventAsync<RoomRenamedDto>();

        Assert.DoesNotContain(observer.Received.SelectMany(b => b.Public.Events), e => e is PresenceChangedDto);
        Assert.True((await cluster.ViewAsync(roomId, fanny.ParticipantId)).Participants.Single(p => p.Id == alice).IsPresent);
    }

    [Fact]
    public async Task ConnectionClosed_OfOneOfTwoConnections_KeepsThePresence()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.ConnectAsync(roomId, fanny.ParticipantId, "fanny-1");
        await cluster.ConnectAsync(roomId, alice, "alice-phone");
        await cluster.ConnectAsync(roomId, alice, "alice-laptop");
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        await CloseAsync(roomId, alice, "alice-phone", last: false);
        cluster.Time.Advance(cluster.PresenceGracePeriod * 2);
        await cluster.OkAsync(roomId, new RenameRoom(fanny.ParticipantId, "Marker"));
        await observer.WaitForEventAsync<RoomRenamedDto>();

        Assert.DoesNotContain(observer.Received.SelectMany(b => b.Public.Events), e => e is PresenceChangedDto);
    }

    [Fact]
    public async Task ConnectionClosedCleanly_ShowsTheParticipantAwayAfterTheShortGrace_AndTheRoundRevealsWithoutThem()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(new RoomSettingsDto(AutoReveal: true, FacilitatorsVote: false));
        var alice = await cluster.JoinAsync(roomId, "Alice");
        var bob = await cluster.JoinAsync(roomId, "Bob");
        await cluster.ConnectAsync(roomId, fanny.ParticipantId, "fanny-1");
        await cluster.ConnectAsync(roomId, alice, "alice-1");
        await cluster.ConnectAsync(roomId, bob, "bob-1");
        await cluster.OkAsync(roomId, new StartRound(fanny.ParticipantId, null));
        await cluster.OkAsync(roomId, new CastVote(bob, "5"));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        var deadline = cluster.Time.GetUtcNow() + cluster.ClosedConnectionGracePeriod;
        await cluster.Room(roomId).ConnectionClosed(alice, "alice-1", closedCleanly: true).WaitAsync(Timeout, Cancel);
        await cluster.Time.WaitForTimerAtAsync(deadline).WaitAsync(Timeout, Cancel);
        cluster.Time.Advance(cluster.ClosedConnectionGracePeriod - Tick);
        var before = await cluster.ViewAsync(roomId, fanny.ParticipantId);
        cluster.Time.Advance(Tick);
        var broadcast = await observer.WaitForEventAsync<CardsRevealedDto>();

        Assert.True(before.Participants.Single(p => p.Id == alice).IsPresent);
        Assert.Contains(broadcast.Public.Events, e => e is PresenceChangedDto { IsPresent: false } p && p.ParticipantId == alice);
        Assert.Equal(RevealTrigger.AllVoted, broadcast.Public.Events.OfType<CardsRevealedDto>().Single().Trigger);
    }

    [Fact]
    public async Task ACommitThatFails_LeavesConnectedPeoplePresent_TheirVotes_AndTheNodesSubscribed()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.ConnectAsync(roomId, f, "fanny-1");
        await cluster.ConnectAsync(roomId, alice, "alice-1");
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(alice, "5"));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        cluster.Store.FailNextSaves(roomId);
        var failed = await cluster.Room(roomId).Execute(new Immutable<RoomCommand>(new RenameRoom(f, "Lost"))).WaitAsync(Timeout, Cancel);
        await cluster.OkAsync(roomId, new RenameRoom(f, "After the hiccup"));
        var renamed = await observer.WaitForEventAsync<RoomRenamedDto>();
        cluster.Time.Advance(cluster.PresenceGracePeriod * 2);
        await cluster.OkAsync(roomId, new RenameRoom(f, "Marker"));
        await observer.WaitForEventAsync<RoomRenamedDto>(r => r.Name == "Marker");

        Assert.Equal(ErrorCodes.Unavailable, failed.ErrorCode);
        Assert.Equal("After the hiccup", renamed.Public.Events.OfType<RoomRenamedDto>().Single().Name);
        Assert.DoesNotContain(observer.Received.SelectMany(b => b.Public.Events), e => e is PresenceChangedDto or RoleChangedDto or VoteWithdrawnDto);
        var view = await cluster.ViewAsync(roomId, f);
        Assert.All(view.Participants, p => Assert.True(p.IsPresent, $"{p.Name} shown away"));
        Assert.True(view.Participants.Single(p => p.Id == alice).HasVoted);
        Assert.Equal(Contracts.Role.Estimator, view.Participants.Single(p => p.Id == alice).Role);
    }

    [Fact]
    public async Task ARoomThatComesBack_AsksTheNodesWhoIsConnected_AndItsFirstChangeReachesThem()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.ConnectAsync(roomId, f, "fanny-1");
        await cluster.ConnectAsync(roomId, alice, "alice-1");
        await using var node = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        node.LiveConnections = [new LiveConnection(f, "fanny-1"), new LiveConnection(alice, "alice-1")];
        await node.RegisterAsNodeAsync();

        await cluster.Cluster.DeactivateAsync(cluster.Room(roomId)).WaitAsync(Timeout, Cancel);
        await cluster.OkAsync(roomId, new RenameRoom(f, "Back"));
        await node.WaitForEventAsync<RoomRenamedDto>(r => r.Name == "Back");
        cluster.Time.Advance(cluster.PresenceGracePeriod * 2);
        await cluster.OkAsync(roomId, new RenameRoom(f, "Marker"));
        await node.WaitForEventAsync<RoomRenamedDto>(r => r.Name == "Marker");

        Assert.DoesNotContain(node.Received.SelectMany(b => b.Public.Events), e => e is PresenceChangedDto or RoleChangedDto);
        Assert.All((await cluster.ViewAsync(roomId, f)).Participants, p => Assert.True(p.IsPresent, $"{p.Name} shown away"));
    }

    [Fact]
    public async Task ANodeThatDies_TakesItsConnectionsWithIt_ItsPeopleWithNoOtherConnectionAreAwayAtOnce()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(new RoomSettingsDto(AutoReveal: true, FacilitatorsVote: false));
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        var bob = await cluster.JoinAsync(roomId, "Bob");
        var carol = await cluster.JoinAsync(roomId, "Carol");
        var dead = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40001), 1);
        var alive = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40002), 1);
        await ConnectOnAsync(roomId, f, "fanny-1", alive);
        await ConnectOnAsync(roomId, alice, "alice-1", dead);
        await ConnectOnAsync(roomId, bob, "bob-1", dead);
        await ConnectOnAsync(roomId, bob, "bob-2", alive); // Bob has reconnected to another node already
        await ConnectOnAsync(roomId, carol, "carol-1", alive);
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await cluster.OkAsync(roomId, new CastVote(bob, "5"));
        await cluster.OkAsync(roomId, new CastVote(carol, "8"));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        await LoseNodeAsync(roomId, dead, f, alice);
        var broadcast = await observer.WaitForEventAsync<CardsRevealedDto>();

        // Alice is away with no grace (auto-reveal no longer waits for her); Bob, connected elsewhere, is not.
        Assert.Contains(broadcast.Public.Events, e => e is PresenceChangedDto { IsPresent: false } p && p.ParticipantId == alice);
        var view = await cluster.ViewAsync(roomId, f);
        Assert.False(view.Participants.Single(p => p.Id == alice).IsPresent);
        Assert.True(view.Participants.Single(p => p.Id == bob).IsPresent);
        Assert.DoesNotContain(observer.Received.SelectMany(b => b.Public.Events), e => e is PresenceChangedDto p && p.ParticipantId != alice);
    }

    [Fact]
    public async Task ANodeThatSubscribesWithItsConnections_MakesTheirOwnersPresent()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        var node = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40003), 1);
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        Assert.False((await cluster.ViewAsync(roomId, f)).Participants.Single(p => p.Id == alice).IsPresent);

        await cluster.Room(roomId).Subscribe(observer.AsReference(), node, [new LiveConnection(alice, "alice-1", node)]).WaitAsync(Timeout, Cancel);
        cluster.Time.Advance(cluster.PresenceGracePeriod * 2);
        await cluster.OkAsync(roomId, new RenameRoom(f, "Marker"));
        await observer.WaitForEventAsync<RoomRenamedDto>(r => r.Name == "Marker");

        Assert.True((await cluster.ViewAsync(roomId, f)).Participants.Single(p => p.Id == alice).IsPresent);
        Assert.Contains(observer.Received.SelectMany(b => b.Public.Events), e => e is PresenceChangedDto { IsPresent: true } p && p.ParticipantId == alice);

        // The node dies: the connection it told of ends with it (its subscription too).
        await LoseNodeAsync(roomId, node, f, alice);
    }

    /// <summary>
    /// Tells the room a node died (a one-way call: nothing says when it ran), then moves the clock a tick at a time,
    /// asking for the view each time, until the participant is away: the alarm is due at once, so one tick after the
    /// call ran. Fails if they are still present after many ticks (a grace of any length would show here).
    /// </summary>
    private async Task LoseNodeAsync(string roomId, SiloAddress node, int viewer, int away)
    {
        await cluster.Room(roomId).NodeLost(node).WaitAsync(Timeout, Cancel);
        for (var ticks = 0; ticks < 200; ticks++)
        {
            cluster.Time.Advance(Tick);
            if (!(await cluster.ViewAsync(roomId, viewer)).Participants.Single(p => p.Id == away).IsPresent)
            {
                return;
            }
        }

        Assert.Fail($"still present {200 * Tick.TotalMilliseconds} ms after the node was lost");
    }

    private async Task ConnectOnAsync(string roomId, int participantId, string connectionId, SiloAddress node)
    {
        var reply = await cluster.Room(roomId).Connect(participantId, connectionId, node).WaitAsync(Timeout, Cancel);
        Assert.True(reply.IsSuccess, reply.ErrorMessage);
    }

    public ValueTask InitializeAsync()
    {
        cluster.ClearLogs();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        cluster.AssertNoErrorLogs();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Closes a connection and, when it was the participant's last, waits until the room has armed its alarm for the
    /// end of the grace period. <see cref="IRoomGrain.ConnectionClosed"/> is one-way, and Orleans may run it after a
    /// later call from the same client, so nothing else tells when the grace period started.
    /// </summary>
    private async Task CloseAsync(string roomId, int participantId, string connectionId, bool last = true)
    {
        var deadline = cluster.Time.GetUtcNow() + cluster.PresenceGracePeriod;
        await cluster.Room(roomId).ConnectionClosed(participantId, connectionId, closedCleanly: false).WaitAsync(Timeout, Cancel);
        if (last)
        {
            await cluster.Time.WaitForTimerAtAsync(deadline).WaitAsync(Timeout, Cancel);
        }
    }
}

/// <summary>The grace a room that has just loaded gives the people no node told of, by who lives and who answered.</summary>
public sealed class GraceOnLoadTests
{
    private static readonly SiloAddress B = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40011), 1);
    private static readonly SiloAddress C = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40012), 1);
    private static readonly RoomOptions Options = new() { PresenceGracePeriod = TimeSpan.FromSeconds(30), NodeAnswerTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public void Alone_TheNodeMayBeRestarting_TheWholeGrace() =>
        Assert.Equal(TimeSpan.FromSeconds(30), RoomGrain.GraceOnLoad([], new HashSet<SiloAddress>(), Options));

    [Fact]
    public void EveryLiveNodeAnswered_TheRoomMoved_AwayAtOnce() =>
        Assert.Equal(TimeSpan.Zero, RoomGrain.GraceOnLoad([B, C], new HashSet<SiloAddress> { B, C }, Options));

    [Fact]
    public void ALiveNodeTheDirectoryDoesNotKnowYet_TheTimeToAnswer_NotTheWholeGrace()
    {
        // Seen in the failover bench: the node directory died with the node; the room loaded on a survivor before the
        // others registered again, found nobody else, and gave the 30 s of a restart to people on the dead node.
        Assert.Equal(TimeSpan.FromSeconds(2), RoomGrain.GraceOnLoad([B, C], new HashSet<SiloAddress> { B }, Options));
        Assert.Equal(TimeSpan.FromSeconds(2), RoomGrain.GraceOnLoad([B], new HashSet<SiloAddress>(), Options));
    }
}
