using System.Text.Json;

namespace PlanningPoker.Domain.Tests;

/// <summary>Round commands of the transition table.</summary>
public enum TransitionRoundCommand
{
    StartRoundOnStory,
    StartQuickRound,
    CastVote,
    WithdrawVote,
    Reveal,
    Revote,
    Accept,
    AcceptWithAutoAdvance,
    CancelRound,
    ChangeDeck,
    RemoveStoryInRound,
    SkipStoryInRound,
}

/// <summary>Commands only a facilitator may give (Reveal under the default reveal policy).</summary>
public enum TransitionFacilitatorCommand
{
    Kick,
    RenameRoom,
    ChangeSettings,
    ChangeDeck,
    LockRoom,
    AddStories,
    EditStory,
    RemoveStory,
    MoveStory,
    SkipStory,
    StartRound,
    StartQuickRound,
    Reveal,
    Revote,
    Accept,
    CancelRound,
    StartTimer,
    StopTimer,
    ChangeSomeoneElsesRole,
    PromoteSelf,
}

/// <summary>The (state, command) → state | error table of the room, as the style guide asks (section 8.1).</summary>
public sealed class TransitionTableTests
{
    private static readonly TransitionRow[] Table =
    [
        Goes(RoomState.Lobby, TransitionRoundCommand.StartRoundOnStory, RoomState.Voting),
        Goes(RoomState.Lobby, TransitionRoundCommand.StartQuickRound, RoomState.Voting),
        Fails(RoomState.Lobby, TransitionRoundCommand.CastVote, RoomErrorCode.RoundNotOpen),
        Fails(RoomState.Lobby, TransitionRoundCommand.WithdrawVote, RoomErrorCode.RoundNotOpen),
        Fails(RoomState.Lobby, TransitionRoundCommand.Reveal, RoomErrorCode.RoundNotOpen),
        Fails(RoomState.Lobby, TransitionRoundCommand.Revote, RoomErrorCode.RoundNotRevealed),
        Fails(RoomState.Lobby, TransitionRoundCommand.Accept, RoomErrorCode.RoundNotRevealed),
        Fails(RoomState.Lobby, TransitionRoundCommand.AcceptWithAutoAdvance, RoomErrorCode.RoundNotRevealed),
        Fails(RoomState.Lobby, TransitionRoundCommand.CancelRound, RoomErrorCode.NoCurrentRound),
        Goes(RoomState.Lobby, TransitionRoundCommand.ChangeDeck, RoomState.Lobby),
        Goes(RoomState.Lobby, TransitionRoundCommand.RemoveStoryInRound, RoomState.Lobby),
        Goes(RoomState.Lobby, TransitionRoundCommand.SkipStoryInRound, RoomState.Lobby),

        Fails(RoomState.Voting, TransitionRoundCommand.StartRoundOnStory, RoomErrorCode.RoundInProgress),
        Fails(RoomState.Voting, TransitionRoundCommand.StartQuickRound, RoomErrorCode.RoundInProgress),
        Goes(RoomState.Voting, TransitionRoundCommand.CastVote, RoomState.Voting),
        Goes(RoomState.Voting, TransitionRoundCommand.WithdrawVote, RoomState.Voting),
        Goes(RoomState.Voting, TransitionRoundCommand.Reveal, RoomState.Revealed),
        Fails(RoomState.Voting, TransitionRoundCommand.Revote, RoomErrorCode.RoundNotRevealed),
        Fails(RoomState.Voting, TransitionRoundCommand.Accept, RoomErrorCode.RoundNotRevealed),
        Fails(RoomState.Voting, TransitionRoundCommand.AcceptWithAutoAdvance, RoomErrorCode.RoundNotRevealed),
        Goes(RoomState.Voting, TransitionRoundCommand.CancelRound, RoomState.Lobby),
        Fails(RoomState.Voting, TransitionRoundCommand.ChangeDeck, RoomErrorCode.RoundInProgress),
        Fails(RoomState.Voting, TransitionRoundCommand.RemoveStoryInRound, RoomErrorCode.StoryInRound),
        Goes(RoomState.Voting, TransitionRoundCommand.SkipStoryInRound, RoomState.Lobby),

        Goes(RoomState.Revealed, TransitionRoundCommand.StartRoundOnStory, RoomState.Voting),
        Goes(RoomState.Revealed, TransitionRoundCommand.StartQuickRound, RoomState.Voting),
        Fails(RoomState.Revealed, TransitionRoundCommand.CastVote, RoomErrorCode.RoundNotOpen),
        Fails(RoomState.Revealed, TransitionRoundCommand.WithdrawVote, RoomErrorCode.RoundNotOpen),
        Fails(RoomState.Revealed, TransitionRoundCommand.Reveal, RoomErrorCode.RoundNotOpen),
        Goes(RoomState.Revealed, TransitionRoundCommand.Revote, RoomState.Voting),
        Goes(RoomState.Revealed, TransitionRoundCommand.Accept, RoomState.Lobby),
        Goes(RoomState.Revealed, TransitionRoundCommand.AcceptWithAutoAdvance, RoomState.Voting),
        Goes(RoomState.Revealed, TransitionRoundCommand.CancelRound, RoomState.Lobby),
        Fails(RoomState.Revealed, TransitionRoundCommand.ChangeDeck, RoomErrorCode.RoundInProgress),
        Fails(RoomState.Revealed, TransitionRoundCommand.RemoveStoryInRound, RoomErrorCode.StoryInRound),
        Goes(RoomState.Revealed, TransitionRoundCommand.SkipStoryInRound, RoomState.Lobby),
    ];

    public static TheoryData<RoomState, TransitionRoundCommand, RoomState> AllowedTransitions
    {
        get
        {
            var data = new TheoryData<RoomState, TransitionRoundCommand, RoomState>();
            foreach (var row in Table.Where(r => r.To is not null))
            {
                data.Add(row.From, row.Command, row.To!.Value);
            }

            return data;
        }
    }

    public static TheoryData<RoomState, TransitionRoundCommand, RoomErrorCode> RefusedTransitions
    {
        get
        {
            var data = new TheoryData<RoomState, TransitionRoundCommand, RoomErrorCode>();
            foreach (var row in Table.Where(r => r.Error is not null))
            {
                data.Add(row.From, row.Command, row.Error!.Value);
            }

            return data;
        }
    }

    public static TheoryData<RoomState, TransitionFacilitatorCommand, RoomErrorCode> FacilitatorCommandsByEstimator
    {
        get
        {
            var data = new TheoryData<RoomState, TransitionFacilitatorCommand, RoomErrorCode>();
            foreach (var state in Enum.GetValues<RoomState>())
            {
                foreach (var command in Enum.GetValues<TransitionFacilitatorCommand>())
                {
                    data.Add(state, command, command == TransitionFacilitatorCommand.Reveal ? RoomErrorCode.NotAllowedToReveal : RoomErrorCode.NotFacilitator);
                }
            }

            return data;
        }
    }

    [Fact]
    public void Table_CoversEveryStateAndRoundCommandOnce()
    {
        var expected = Enum.GetValues<RoomState>()
            .SelectMany(s => Enum.GetValues<TransitionRoundCommand>().Select(c => (s, c)))
            .Order()
            .ToArray();

        var covered = Table.Select(r => (r.From, r.Command)).Order().ToArray();

        Assert.Equal(expected, covered);
        Assert.All(Table, r => Assert.True((r.To is null) != (r.Error is null)));
    }

    [Theory]
    [InlineData(RoomState.Lobby)]
    [InlineData(RoomState.Voting)]
    [InlineData(RoomState.Revealed)]
    public void TransitionRooms_Create_GivesRoomInThatState(RoomState state)
    {
        var room = TransitionRooms.Create(state);

        Assert.Equal(state, room.State);
        Assert.Equal(Role.Facilitator, room.FindParticipant(TransitionRooms.Facilitator)?.Role);
        Assert.All(room.Participants, p => Assert.True(p.IsPresent));
        Assert.Equal([Role.Facilitator, Role.Estimator, Role.Estimator], room.Participants.Select(p => p.Role));
        Assert.Equal([TransitionRooms.StoryInRound, TransitionRooms.OtherStory], room.Stories.Select(s => s.Id));
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void Execute_AllowedRoundCommand_MovesRoomToExpectedState(RoomState from, TransitionRoundCommand command, RoomState expected)
    {
        var room = TransitionRooms.Create(from);
        var roomCommand = TransitionRooms.Prepare(room, command);
        var before = JsonSerializer.Serialize(room.ToSnapshot());

        var outcome = room.Execute(roomCommand, TransitionRooms.Now);

        Assert.True(outcome.IsSuccess, outcome.ToString());
        Assert.NotEmpty(outcome.Events);
        Assert.Equal(expected, room.State);
        Assert.NotEqual(before, JsonSerializer.Serialize(room.ToSnapshot()));
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void Execute_RefusedRoundCommand_ReturnsErrorAndChangesNothing(RoomState from, TransitionRoundCommand command, RoomErrorCode expected)
    {
        var room = TransitionRooms.Create(from);
        var roomCommand = TransitionRooms.Prepare(room, command);
        var before = JsonSerializer.Serialize(room.ToSnapshot());

        var outcome = room.Execute(roomCommand, TransitionRooms.Now);

        Assert.Equal(expected, outcome.Error?.Code);
        Assert.Empty(outcome.Events);
        Assert.Equal(from, room.State);
        Assert.Equal(before, JsonSerializer.Serialize(room.ToSnapshot()));
    }

    [Theory]
    [MemberData(nameof(FacilitatorCommandsByEstimator))]
    public void Execute_FacilitatorCommandByEstimator_ReturnsErrorAndChangesNothing(RoomState state, TransitionFacilitatorCommand command, RoomErrorCode expected)
    {
        var room = TransitionRooms.Create(state);
        var before = JsonSerializer.Serialize(room.ToSnapshot());

        var outcome = room.Execute(TransitionRooms.ByEstimator(command), TransitionRooms.Now);

        Assert.Equal(expected, outcome.Error?.Code);
        Assert.Empty(outcome.Events);
        Assert.Equal(before, JsonSerializer.Serialize(room.ToSnapshot()));
    }

    private static TransitionRow Goes(RoomState from, TransitionRoundCommand command, RoomState to) => new(from, command, to, null);

    private static TransitionRow Fails(RoomState from, TransitionRoundCommand command, RoomErrorCode error) => new(from, command, null, error);

    private sealed record TransitionRow(RoomState From, TransitionRoundCommand Command, RoomState? To, RoomErrorCode? Error);

    /// <summary>
    /// Rooms for the table: facilitator 1 connected, estimators 2 and 3 joined and connected, stories 1 and 2;
    /// Voting has a round open on story 1, Revealed has that round revealed after both estimators voted.
    /// </summary>
    private static class TransitionRooms
    {
        public const int Facilitator = 1;
        public const int Estimator = 2;
        public const int OtherEstimator = 3;
        public const int StoryInRound = 1;
        public const int OtherStory = 2;

        public static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

        public static Room Create(RoomState state)
        {
            var room = Room.Create("r-transitions", "Sprint 12", Deck.Default, RoomSettings.Default, "Fran", Now).GetValueOrThrow();
            Must(room, new Connect(Facilitator));
            Must(room, new Join("Ada", Role.Estimator));
            Must(room, new Join("Bob", Role.Estimator));
            Must(room, new Connect(Estimator));
            Must(room, new Connect(OtherEstimator));
            Must(room, new AddStories(Facilitator, [new StoryDraft("Login"), new StoryDraft("Logout")]));
            if (state is RoomState.Voting or RoomState.Revealed)
            {
                Must(room, new StartRound(Facilitator, StoryInRound));
            }

            if (state is RoomState.Revealed)
            {
                Must(room, new CastVote(Estimator, "3"));
                Must(room, new CastVote(OtherEstimator, "5"));
                Must(room, new Reveal(Facilitator));
            }

            return room;
        }

        /// <summary>Does what the command needs first (a vote to withdraw) and returns the command to execute.</summary>
        public static RoomCommand Prepare(Room room, TransitionRoundCommand command)
        {
            if (command == TransitionRoundCommand.WithdrawVote && room.State == RoomState.Voting)
            {
                Must(room, new CastVote(Estimator, "8"));
            }

            if (command == TransitionRoundCommand.AcceptWithAutoAdvance)
            {
                Must(room, new ChangeSettings(Facilitator, room.Settings with { AutoAdvance = true }));
            }

            return command switch
            {
                TransitionRoundCommand.StartRoundOnStory => new StartRound(Facilitator, OtherStory),
                TransitionRoundCommand.StartQuickRound => new StartRound(Facilitator, null),
                TransitionRoundCommand.CastVote => new CastVote(Estimator, "5"),
                TransitionRoundCommand.WithdrawVote => new WithdrawVote(Estimator),
                TransitionRoundCommand.Reveal => new Reveal(Facilitator),
                TransitionRoundCommand.Revote => new Revote(Facilitator),
                TransitionRoundCommand.Accept or TransitionRoundCommand.AcceptWithAutoAdvance => new Accept(Facilitator, "5"),
                TransitionRoundCommand.CancelRound => new CancelRound(Facilitator),
                TransitionRoundCommand.ChangeDeck => new ChangeDeck(Facilitator, Deck.Standard(DeckType.TShirt)),
                TransitionRoundCommand.RemoveStoryInRound => new RemoveStory(Facilitator, StoryInRound),
                TransitionRoundCommand.SkipStoryInRound => new SkipStory(Facilitator, StoryInRound),
                _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
            };
        }

        public static RoomCommand ByEstimator(TransitionFacilitatorCommand command) => command switch
        {
            TransitionFacilitatorCommand.Kick => new Kick(Estimator, OtherEstimator),
            TransitionFacilitatorCommand.RenameRoom => new RenameRoom(Estimator, "Sprint 13"),
            TransitionFacilitatorCommand.ChangeSettings => new ChangeSettings(Estimator, RoomSettings.Default with { AutoReveal = true }),
            TransitionFacilitatorCommand.ChangeDeck => new ChangeDeck(Estimator, Deck.Standard(DeckType.TShirt)),
            TransitionFacilitatorCommand.LockRoom => new LockRoom(Estimator, true),
            TransitionFacilitatorCommand.AddStories => new AddStories(Estimator, [new StoryDraft("Search")]),
            TransitionFacilitatorCommand.EditStory => new EditStory(Estimator, StoryInRound, new StoryDraft("Login with SSO")),
            TransitionFacilitatorCommand.RemoveStory => new RemoveStory(Estimator, OtherStory),
            TransitionFacilitatorCommand.MoveStory => new MoveStory(Estimator, OtherStory, 0),
            TransitionFacilitatorCommand.SkipStory => new SkipStory(Estimator, OtherStory),
            TransitionFacilitatorCommand.StartRound => new StartRound(Estimator, OtherStory),
            TransitionFacilitatorCommand.StartQuickRound => new StartRound(Estimator, null),
            TransitionFacilitatorCommand.Reveal => new Reveal(Estimator),
            TransitionFacilitatorCommand.Revote => new Revote(Estimator),
            TransitionFacilitatorCommand.Accept => new Accept(Estimator, "5"),
            TransitionFacilitatorCommand.CancelRound => new CancelRound(Estimator),
            TransitionFacilitatorCommand.StartTimer => new StartTimer(Estimator, TimeSpan.FromMinutes(2)),
            TransitionFacilitatorCommand.StopTimer => new StopTimer(Estimator),
            TransitionFacilitatorCommand.ChangeSomeoneElsesRole => new ChangeRole(Estimator, OtherEstimator, Role.Observer),
            TransitionFacilitatorCommand.PromoteSelf => new ChangeRole(Estimator, Estimator, Role.Facilitator),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };

        private static void Must(Room room, RoomCommand command)
        {
            var outcome = room.Execute(command, Now);
            Assert.True(outcome.IsSuccess, $"{command}: {outcome}");
        }
    }
}
