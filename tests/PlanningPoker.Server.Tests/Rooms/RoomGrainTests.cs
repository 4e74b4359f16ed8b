using System.Text.Json;
using Orleans.Concurrency;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using CardDto = PlanningPoker.Contracts.CardDto;
using DeckDto = PlanningPoker.Contracts.DeckDto;
using DeckType = PlanningPoker.Contracts.DeckType;
using Role = PlanningPoker.Contracts.Role;
using RoomState = PlanningPoker.Contracts.RoomState;
using StoryState = PlanningPoker.Contracts.StoryState;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>The room grain through a real cluster client: every call and reply crosses the wire.</summary>
[Collection(nameof(RoomCluster))]
[Trait("Category", "Integration")]
public sealed class RoomGrainTests(RoomCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = RoomClusterBase.Timeout;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_NewRoom_ReturnsTheFacilitatorsSeatAndToken()
    {
        var roomId = RoomClusterBase.NewRoomId();

        var reply = await cluster.Room(roomId).Create(new CreateRoomRequest("Sprint 42", "Fanny")).WaitAsync(Timeout, Cancel);

        Assert.True(reply.IsSuccess, reply.ErrorMessage);
        Assert.Equal(roomId, reply.Value!.RoomId);
        Assert.Equal(1, reply.Value.ParticipantId);
        Assert.True(reply.Value.Token.Length >= 43);
    }

    [Fact]
    public async Task Create_WhenTheRoomExists_FailsAndKeepsTheRoom()
    {
        var (roomId, _) = await cluster.CreateRoomAsync();

        var again = await cluster.Room(roomId).Create(new CreateRoomRequest("Hijacked", "Mallory")).WaitAsync(Timeout, Cancel);
        var info = await cluster.Room(roomId).GetInfo().WaitAsync(Timeout, Cancel);

        Assert.False(again.IsSuccess);
        Assert.Null(again.Value);
        Assert.Equal("Sprint 42", info.Value!.Name);
    }

    [Fact]
    public async Task Create_WithACustomDeckAndPasscode_ShowsThemInTheInfo()
    {
        var roomId = RoomClusterBase.NewRoomId();
        var deck = new DeckDto(DeckType.Custom, [new CardDto("S", 1), new CardDto("M", 3)], Unsure: false, Break: true);

        await cluster.Room(roomId).Create(new CreateRoomRequest("Sprint 42", "Fanny", deck, Passcode: "open sesame")).WaitAsync(Timeout, Cancel);
        var info = await cluster.Room(roomId).GetInfo().WaitAsync(Timeout, Cancel);

        Assert.True(info.IsSuccess, info.ErrorMessage);
        Assert.Equal(["S", "M", "☕"], info.Value!.Deck.Cards!.Select(c => c.Label));
        Assert.True(info.Value.PasscodeRequired);
        Assert.False(info.Value.IsLocked);
    }

    [Fact]
    public async Task EveryCall_OnARoomThatDoesNotExist_ReturnsRoomNotFound()
    {
        var room = cluster.Room(RoomClusterBase.NewRoomId());

        Reply[] replies =
        [
            await room.GetInfo().WaitAsync(Timeout, Cancel),
            await room.Join(new JoinRoomRequest("Alice")).WaitAsync(Timeout, Cancel),
            await room.Authenticate("token").WaitAsync(Timeout, Cancel),
            await room.Connect(1, "connection", null).WaitAsync(Timeout, Cancel),
            await room.Execute(new Immutable<RoomCommand>(new Reveal(1))).WaitAsync(Timeout, Cancel),
            await room.GetView(1).WaitAsync(Timeout, Cancel),
            await room.GetHistory(1, null).WaitAsync(Timeout, Cancel),
            await room.GetSummary(1).WaitAsync(Timeout, Cancel),
        ];

        Assert.All(replies, r => Assert.Equal(ErrorCodes.RoomNotFound, r.ErrorCode));
    }

    [Fact]
    public async Task Join_ThenAuthenticate_ReturnsTheNewSeat()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();

        var joined = await cluster.Room(roomId).Join(new JoinRoomRequest("Alice")).WaitAsync(Timeout, Cancel);
        var alice = await cluster.Room(roomId).Authenticate(joined.Value!.Token).WaitAsync(Timeout, Cancel);
        var facilitator = await cluster.Room(roomId).Authenticate(fanny.Token).WaitAsync(Timeout, Cancel);

        Assert.True(joined.IsSuccess, joined.ErrorMessage);
        Assert.Equal(2, joined.Value.ParticipantId);
        Assert.Equal(2, alice.Value);
        Assert.Equal(1, facilitator.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token-far-too-long-a-token")]
    public async Task Authenticate_WithATokenOfNoSeat_ReturnsInvalidToken(string token)
    {
        var (roomId, _) = await cluster.CreateRoomAsync();

        var reply = await cluster.Room(roomId).Authenticate(token).WaitAsync(Timeout, Cancel);

        Assert.Equal(ErrorCodes.InvalidToken, reply.ErrorCode);
    }

    [Fact]
    public async Task Authenticate_WithAnotherRoomsToken_ReturnsInvalidToken()
    {
        var (roomId, _) = await cluster.CreateRoomAsync();
        var (_, other) = await cluster.CreateRoomAsync();

        var reply = await cluster.Room(roomId).Authenticate(other.Token).WaitAsync(Timeout, Cancel);

        Assert.Equal(ErrorCodes.InvalidToken, reply.ErrorCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("open sesam")]
    public async Task Join_APasscodeRoomWithoutTheRightPasscode_ReturnsWrongPasscode(string? passcode)
    {
        var (roomId, _) = await cluster.CreateRoomAsync(passcode: "open sesame");

        var refused = await cluster.Room(roomId).Join(new JoinRoomRequest("Alice", Passcode: passcode)).WaitAsync(Timeout, Cancel);
        var admitted = await cluster.Room(roomId).Join(new JoinRoomRequest("Alice", Passcode: "open sesame")).WaitAsync(Timeout, Cancel);

        Assert.Equal(ErrorCodes.WrongPasscode, refused.ErrorCode);
        Assert.True(admitted.IsSuccess, admitted.ErrorMessage);
    }

    [Fact]
    public async Task Join_AsFacilitator_ReturnsInvalidRole()
    {
        var (roomId, _) = await cluster.CreateRoomAsync();

        var reply = await cluster.Room(roomId).Join(new JoinRoomRequest("Mallory", Role.Facilitator)).WaitAsync(Timeout, Cancel);

        Assert.Equal(ErrorCodes.InvalidRole, reply.ErrorCode);
    }

    [Fact]
    public async Task Execute_CastVoteInTheLobby_ReturnsRoundNotOpen()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();

        var reply = await cluster.ExecuteAsync(roomId, new CastVote(fanny.ParticipantId, "5"));

        Assert.Equal(nameof(RoomErrorCode.RoundNotOpen), reply.ErrorCode);
    }

    [Fact]
    public async Task Execute_StartRoundByAnEstimator_ReturnsNotFacilitator()
    {
        var (roomId, _) = await cluster.CreateRoomAsync();
        var alice = await cluster.JoinAsync(roomId, "Alice");

        var reply = await cluster.ExecuteAsync(roomId, new StartRound(alice, null));

        Assert.Equal(ErrorCodes.NotFacilitator, reply.ErrorCode);
    }

    [Fact]
    public async Task Execute_ByASeatThatIsNotInTheRoom_ReturnsInvalidToken()
    {
        var (roomId, _) = await cluster.CreateRoomAsync();

        var reply = await cluster.ExecuteAsync(roomId, new Rename(42, "Ghost"));

        Assert.Equal(ErrorCodes.InvalidToken, reply.ErrorCode);
    }

    [Fact]
    public async Task Execute_ARefusedCommand_ChangesNothing()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var before = await cluster.ViewAsync(roomId, fanny.ParticipantId);

        await cluster.ExecuteAsync(roomId, new CastVote(fanny.ParticipantId, "5"));
        var after = await cluster.ViewAsync(roomId, fanny.ParticipantId);

        Assert.Equal(Json(before), Json(after));
    }

    [Fact]
    public async Task Flow_StartRound_Votes_Reveal_Accept_EstimatesTheStory()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.OkAsync(roomId, new AddStories(f, [new StoryDraft("Login page", "As a user…", "PP-1", "https://tracker.example/PP-1")]));
        var storyId = (await cluster.ViewAsync(roomId, f)).Stories.Single().Id;

        await cluster.OkAsync(roomId, new StartRound(f, storyId));
        await cluster.OkAsync(roomId, new CastVote(f, "3"));
        await cluster.OkAsync(roomId, new CastVote(alice, "5"));
        var voting = await cluster.ViewAsync(roomId, alice);
        await cluster.OkAsync(roomId, new Reveal(f));
        var revealed = await cluster.ViewAsync(roomId, alice);
        await cluster.OkAsync(roomId, new Accept(f, "5"));
        var accepted = await cluster.ViewAsync(roomId, alice);
        var summary = await cluster.Room(roomId).GetSummary(f).WaitAsync(Timeout, Cancel);

        Assert.Equal(RoomState.Voting, voting.State);
        Assert.Equal(2, voting.CurrentRound!.VoteCount);
        Assert.Null(voting.Participants.Single(p => p.Id == f).Card);
        Assert.Equal("5", voting.Participants.Single(p => p.Id == alice).Card);
        Assert.Equal(RoomState.Revealed, revealed.State);
        Assert.Equal("3", revealed.Participants.Single(p => p.Id == f).Card);
        Assert.Equal(RoomState.Lobby, accepted.State);
        Assert.Equal(StoryState.Estimated, accepted.Stories.Single().State);
        Assert.Equal("5", accepted.Stories.Single().Estimate);
        Assert.Equal(5m, accepted.EstimatedTotal);
        Assert.True(summary.IsSuccess, summary.ErrorMessage);
        var round = Assert.Single(Assert.Single(summary.Value!.Stories).Rounds);
        Assert.Equal([("Fanny", "3"), ("Alice", "5")], round.Votes.Select(v => (v.Name, v.Card)));
    }

    [Fact]
    public async Task HistoryAndSummary_OfRoundsTheRoomNoLongerHolds_AreReadFromStorage_WithTodaysNames()
    {
        // Finished quick votes and an accepted story's rounds leave the live room (its memory stays flat); the summary
        // and a story's history still show every one of them, with their votes, next to the open round.
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        for (var i = 0; i < 3; i++)
        {
            await cluster.OkAsync(roomId, new StartRound(f, null));
            await cluster.OkAsync(roomId, new CastVote(alice, $"{i + 1}"));
            await cluster.OkAsync(roomId, new Reveal(f));
        }

        await cluster.OkAsync(roomId, new AddStories(f, [new StoryDraft("Login"), new StoryDraft("Logout")]));
        var stories = (await cluster.ViewAsync(roomId, f)).Stories.Select(s => s.Id).ToArray();
        await cluster.OkAsync(roomId, new StartRound(f, stories[0]));
        await cluster.OkAsync(roomId, new CastVote(alice, "3"));
        await cluster.OkAsync(roomId, new CastVote(f, "8"));
        await cluster.OkAsync(roomId, new Reveal(f));
        await cluster.OkAsync(roomId, new Revote(f));
        await cluster.OkAsync(roomId, new CastVote(alice, "5"));
        await cluster.OkAsync(roomId, new CastVote(f, "5"));
        await cluster.OkAsync(roomId, new Reveal(f));
        await cluster.OkAsync(roomId, new Accept(f, "5"));
        await cluster.OkAsync(roomId, new StartRound(f, stories[1]));
        await cluster.OkAsync(roomId, new CastVote(alice, "13"));
        await cluster.OkAsync(roomId, new Rename(alice, "Alicia"));

        var summary = await cluster.Room(roomId).GetSummary(f).WaitAsync(Timeout, Cancel);
        var history = await cluster.Room(roomId).GetHistory(alice, stories[0]).WaitAsync(Timeout, Cancel);

        Assert.True(summary.IsSuccess, summary.ErrorMessage);
        Assert.Equal(["Alicia 1", "Alicia 2", "Alicia 3"], summary.Value!.QuickVotes.Select(r => string.Join(", ", r.Votes.Select(v => $"{v.Name} {v.Card}"))));
        var login = summary.Value.Stories[0];
        Assert.Equal([(1, Contracts.RoundState.Revealed), (2, Contracts.RoundState.Accepted)], login.Rounds.Select(r => (r.Number, r.State)));
        Assert.Equal([("Alicia", "3"), ("Fanny", "8")], login.Rounds[0].Votes.Select(v => (v.Name, v.Card)));
        var open = Assert.Single(summary.Value.Stories[1].Rounds);
        Assert.Equal((Contracts.RoundState.Voting, 1), (open.State, open.VoteCount));
        Assert.Empty(open.Votes);
        Assert.True(history.IsSuccess, history.ErrorMessage);
        Assert.Equal(login.Rounds.Select(r => r.Id), history.Value!.Rounds.Select(r => r.Id));
        Assert.Equal(["Fanny: 8 5", "Alicia: 3 5"], history.Value.Movements.Select(m => $"{m.Name}: {string.Join(' ', m.Cards)}"));
    }

    [Fact]
    public async Task Execute_EveryKindOfCommand_CrossesTheWireAndCommitsOneVersionEach()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        var bob = await cluster.JoinAsync(roomId, "Bob");
        await cluster.Room(roomId).Connect(f, "connection-f", null).WaitAsync(Timeout, Cancel);
        await cluster.Room(roomId).Connect(alice, "connection-a", null).WaitAsync(Timeout, Cancel);
        var start = (await cluster.ViewAsync(roomId, f)).Version;
        RoomCommand[] commands =
        [
            new Rename(alice, "Alicia"),
            new RenameRoom(f, "Sprint 43"),
            new ChangeSettings(f, new RoomSettings(AutoReveal: false, FacilitatorsVote: false, Domain.RevealPolicy.Voters, Domain.Statistic.Mean, TimeSpan.FromMinutes(2), AllowVoteChange: true, RevealWhenTimerEnds: false)),
            new ChangeDeck(f, Deck.Custom([new Card("S", 1m), new Card("M", 3m), new Card("L", 8m)], SpecialCards.Unsure).Value!),
            new AddStories(f, [new StoryDraft("One"), new StoryDraft("Two", "text", "PP-2", "https://tracker.example/PP-2"), new StoryDraft("Three")]),
            new EditStory(f, 1, new StoryDraft("One, edited", "more text")),
            new MoveStory(f, 3, 0),
            new SkipStory(f, 2),
            new StartRound(f, 1),
            new CastVote(alice, "M"),
            new WithdrawVote(alice),
            new CastVote(alice, "L"),
            new CastVote(bob, "?"),
            new StopTimer(f),
            new StartTimer(f, TimeSpan.FromSeconds(90)),
            new Reveal(alice),
            new Revote(f),
            new CastVote(alice, "S"),
            new CancelRound(f),
            new RemoveStory(f, 3),
            new ChangeRole(f, bob, Domain.Role.Observer),
            new ChangeRole(f, alice, Domain.Role.Facilitator),
            new LockRoom(f, true),
            new Kick(alice, bob),
            new Leave(alice),
        ];

        var refused = new List<string>();
        foreach (var command in commands)
        {
            var reply = await cluster.ExecuteAsync(roomId, command);
            if (!reply.IsSuccess)
            {
                refused.Add($"{command.GetType().Name}: {reply.ErrorCode} {reply.ErrorMessage}");
            }
        }

        var view = await cluster.ViewAsync(roomId, f);
        Assert.Empty(refused);
        Assert.Equal(start + commands.Length, view.Version);
        Assert.Equal("Sprint 43", view.Name);
        Assert.True(view.IsLocked);
        Assert.Equal(DeckType.Custom, view.Deck.Type);
        Assert.Equal(["One, edited", "Two"], view.Stories.Select(s => s.Title));
        Assert.Equal([f], view.Participants.Select(p => p.Id));
    }

    [Fact]
    public async Task Execute_TheServersOwnCommands_AreRefusedFromCallers()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var before = (await cluster.ViewAsync(roomId, fanny.ParticipantId)).Version;
        RoomCommand[] commands = [new Join("Mallory", Domain.Role.Estimator), new Connect(fanny.ParticipantId), new Disconnect(fanny.ParticipantId), new TimeUp()];

        foreach (var command in commands)
        {
            var reply = await cluster.ExecuteAsync(roomId, command);
            Assert.Equal(ErrorCodes.ValidationFailed, reply.ErrorCode);
        }

        Assert.Equal(before, (await cluster.ViewAsync(roomId, fanny.ParticipantId)).Version);
    }

    [Fact]
    public async Task Deactivation_ThenReactivation_KeepsTheViewsTheVersionAndTheSecrets()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(passcode: "open sesame");
        var f = fanny.ParticipantId;
        var aliceSeat = await cluster.Room(roomId).Join(new JoinRoomRequest("Alice", Passcode: "open sesame")).WaitAsync(Timeout, Cancel);
        var alice = aliceSeat.Value!.ParticipantId;
        await cluster.OkAsync(roomId, new AddStories(f, [new StoryDraft("Login page")]));
        await cluster.OkAsync(roomId, new StartRound(f, 1));
        await cluster.OkAsync(roomId, new CastVote(f, "8"));
        await cluster.OkAsync(roomId, new CastVote(alice, "13"));
        var fannyBefore = await cluster.ViewAsync(roomId, f);
        var aliceBefore = await cluster.ViewAsync(roomId, alice);

        await cluster.Cluster.DeactivateAsync(cluster.Room(roomId)).WaitAsync(Timeout, Cancel);
        var fannyAfter = await cluster.ViewAsync(roomId, f);
        var aliceAfter = await cluster.ViewAsync(roomId, alice);
        var fannyToken = await cluster.Room(roomId).Authenticate(fanny.Token).WaitAsync(Timeout, Cancel);
        var aliceToken = await cluster.Room(roomId).Authenticate(aliceSeat.Value.Token).WaitAsync(Timeout, Cancel);
        var wrongPasscode = await cluster.Room(roomId).Join(new JoinRoomRequest("Bob", Passcode: "guess")).WaitAsync(Timeout, Cancel);
        await cluster.OkAsync(roomId, new Reveal(f));
        var next = await cluster.ViewAsync(roomId, f);

        Assert.Equal(Json(fannyBefore), Json(fannyAfter));
        Assert.Equal(Json(aliceBefore), Json(aliceAfter));
        Assert.Equal(f, fannyToken.Value);
        Assert.Equal(alice, aliceToken.Value);
        Assert.Equal(ErrorCodes.WrongPasscode, wrongPasscode.ErrorCode);
        Assert.Equal(fannyBefore.Version + RoomGrain.VersionJump + 1, next.Version); // the first change after a load jumps (EarlyVoteTests)
        Assert.Equal(["8", "13"], next.CurrentRound!.Result!.Distribution.Select(d => d.Card));
    }

    [Fact]
    public async Task Subscribe_AVote_BroadcastsAPublicCopyWithoutTheCardAndTheVotersCopyWithIt()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.OkAsync(roomId, new StartRound(f, null));
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        await cluster.OkAsync(roomId, new CastVote(alice, "13"));
        var broadcast = await observer.WaitForEventAsync<VoteCastDto>();

        Assert.Equal(roomId, broadcast.RoomId);
        var seen = Assert.Single(broadcast.Public.Events.OfType<VoteCastDto>());
        Assert.Equal(alice, seen.ParticipantId);
        Assert.Null(seen.Card);
        var own = Assert.Single(broadcast.Private);
        Assert.Equal(alice, own.ParticipantId);
        Assert.Equal(broadcast.Public.Version, own.Change.Version);
        Assert.Equal("13", Assert.Single(own.Change.Events.OfType<VoteCastDto>()).Card);
        Assert.DoesNotContain("13", JsonSerializer.Serialize(broadcast.Public, DomainJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_EveryCommittedChange_IsBroadcastOnceInVersionOrder()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var start = (await cluster.ViewAsync(roomId, f)).Version;
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        await cluster.OkAsync(roomId, new RenameRoom(f, "One"));
        await cluster.OkAsync(roomId, new RenameRoom(f, "Two"));
        await cluster.OkAsync(roomId, new RenameRoom(f, "Three"));
        await observer.WaitForEventAsync<RoomRenamedDto>(r => r.Name == "Three");

        Assert.Equal([start + 1, start + 2, start + 3], observer.Received.Select(b => b.Public.Version));
        Assert.All(observer.Received, b => Assert.Empty(b.Private));
    }

    [Fact]
    public async Task Unsubscribe_StopsTheBroadcastsToThatObserverOnly()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        await using var leaving = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        await using var staying = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        await cluster.Room(roomId).Unsubscribe(leaving.AsReference()).WaitAsync(Timeout, Cancel);
        await cluster.OkAsync(roomId, new RenameRoom(f, "After"));
        await staying.WaitForEventAsync<RoomRenamedDto>(r => r.Name == "After");

        Assert.Empty(leaving.Received);
    }

    [Fact]
    public async Task Connect_MarksThePresenceAndReturnsTheView()
    {
        var (roomId, _) = await cluster.CreateRoomAsync();
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);

        var view = await cluster.Room(roomId).Connect(alice, "connection-1", null).WaitAsync(Timeout, Cancel);
        await observer.WaitForEventAsync<PresenceChangedDto>(p => p.ParticipantId == alice && p.IsPresent);

        Assert.True(view.IsSuccess, view.ErrorMessage);
        Assert.Equal(alice, view.Value!.ViewerId);
        Assert.True(view.Value.Participants.Single(p => p.Id == alice).IsPresent);
    }

    [Fact]
    public async Task ConnectionClosed_ForTheLastConnection_MarksTheParticipantAwayAfterTheGracePeriod()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.Room(roomId).Connect(fanny.ParticipantId, "fanny-1", null).WaitAsync(Timeout, Cancel);
        await cluster.Room(roomId).Connect(alice, "alice-1", null).WaitAsync(Timeout, Cancel);
        await using var observer = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        var closedAt = TimeProvider.System.GetTimestamp();

        await cluster.Room(roomId).ConnectionClosed(alice, "alice-1", closedCleanly: false).WaitAsync(Timeout, Cancel);
        await observer.WaitForEventAsync<PresenceChangedDto>(p => p.ParticipantId == alice && !p.IsPresent);

        Assert.True(TimeProvider.System.GetElapsedTime(closedAt) >= cluster.PresenceGracePeriod * 0.9, "away before the grace period ended");
        var view = await cluster.ViewAsync(roomId, fanny.ParticipantId);
        Assert.False(view.Participants.Single(p => p.Id == alice).IsPresent);
        Assert.True(view.Participants.Single(p => p.Id == fanny.ParticipantId).IsPresent);
        Assert.Equal(Role.Estimator, view.Participants.Single(p => p.Id == alice).Role);
    }

    [Fact]
    public async Task ACallAndAnObserver_ThroughTheSiloThatDoesNotHostTheRoom_Work()
    {
        var silos = cluster.Cluster.Silos;
        Assert.Equal(2, silos.Count);
        var roomId = RoomClusterBase.NewRoomId();
        var created = await RoomClusterBase.GrainFactoryOf(silos[0]).GetGrain<IRoomGrain>(roomId)
            .Create(new CreateRoomRequest("Sprint 42", "Fanny")).WaitAsync(Timeout, Cancel);
        var host = HostOf(roomId);
        var other = silos.Single(s => s.SiloAddress != host);
        var viaOther = RoomClusterBase.GrainFactoryOf(other).GetGrain<IRoomGrain>(roomId);
        await using var observer = await RecordingObserver.SubscribeAsync(RoomClusterBase.GrainFactoryOf(other), roomId);

        var joined = await viaOther.Join(new JoinRoomRequest("Alice")).WaitAsync(Timeout, Cancel);
        await viaOther.Execute(new Immutable<RoomCommand>(new StartRound(created.Value!.ParticipantId, null))).WaitAsync(Timeout, Cancel);
        var voted = await viaOther.Execute(new Immutable<RoomCommand>(new CastVote(joined.Value!.ParticipantId, "8"))).WaitAsync(Timeout, Cancel);
        var broadcast = await observer.WaitForEventAsync<VoteCastDto>();

        Assert.True(created.IsSuccess, created.ErrorMessage);
        Assert.True(joined.IsSuccess, joined.ErrorMessage);
        Assert.True(voted.IsSuccess, voted.ErrorMessage);
        Assert.Equal(host, HostOf(roomId));
        Assert.NotEqual(host, other.SiloAddress);
        Assert.Contains(observer.Received, b => b.Public.Events.OfType<ParticipantJoinedDto>().Any(j => j.Participant.Name == "Alice"));
        Assert.Equal("8", Assert.Single(broadcast.Private).Change.Events.OfType<VoteCastDto>().Single().Card);
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

    private SiloAddress HostOf(string roomId)
    {
        Assert.True(cluster.Cluster.TryGetGrainContext(cluster.Room(roomId).GetGrainId(), out var context), "the room has no activation");
        return context.Address.SiloAddress!;
    }

    [Fact]
    public async Task ARoomThatMovesWhileAnotherNodeLives_ShowsThoseNoNodeHoldsAwayAtOnce_AndKeepsTheOthers()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync();
        var f = fanny.ParticipantId;
        var alice = await cluster.JoinAsync(roomId, "Alice");
        await cluster.Room(roomId).Connect(f, "fanny-1", null).WaitAsync(Timeout, Cancel);
        await cluster.Room(roomId).Connect(alice, "alice-1", null).WaitAsync(Timeout, Cancel);

        // The cluster's two silos stand for two live nodes (one the membership does not know counts as dead): one
        // holds Fanny's connection, the other none; Alice's connection was on a third node, which died.
        var silos = cluster.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        await using var node = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        node.LiveConnections = [new LiveConnection(f, "fanny-1", silos[0])];
        await node.RegisterAsNodeAsync(silos[0]);
        await using var another = await RecordingObserver.SubscribeAsync(cluster.Client, roomId);
        await another.RegisterAsNodeAsync(silos[1]);

        await cluster.Cluster.DeactivateAsync(cluster.Room(roomId)).WaitAsync(Timeout, Cancel);
        await cluster.OkAsync(roomId, new RenameRoom(f, "Moved"));
        var away = await node.WaitForEventAsync<PresenceChangedDto>(p => p.ParticipantId == alice && !p.IsPresent);

        Assert.DoesNotContain(node.Received.SelectMany(b => b.Public.Events), e => e is PresenceChangedDto p && p.ParticipantId == f);
        Assert.True((await cluster.ViewAsync(roomId, f)).Participants.Single(p => p.Id == f).IsPresent);
        Assert.NotNull(away);
    }

    private static string Json(RoomViewDto view) => JsonSerializer.Serialize(view, DomainJson.Options);
}
