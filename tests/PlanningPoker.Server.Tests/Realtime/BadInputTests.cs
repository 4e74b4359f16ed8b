using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>Malformed, oversized and out-of-order input gets a typed error, and the server carries on.</summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests(PokerApp app)
{
    private static readonly string LongTitle = new('t', 5_000);

    public static TheoryData<string, string?, string> MalformedJoins => new()
    {
        { "not a room!", "{token}", ErrorCodes.ValidationFailed },
        { "", "{token}", ErrorCodes.ValidationFailed },
        { "x", "{token}", ErrorCodes.ValidationFailed },
        { "../../etc/passwd", "{token}", ErrorCodes.ValidationFailed },
        { new string('a', 65), "{token}", ErrorCodes.ValidationFailed },
        { "{room}", "", ErrorCodes.ValidationFailed },
        { "{room}", null, ErrorCodes.ValidationFailed },
        { "{room}", new string('k', 257), ErrorCodes.ValidationFailed },
        { "0000000000000000", "{token}", ErrorCodes.RoomNotFound },
    };

    /// <summary>Commands with bad arguments, made in a voting round by the facilitator unless the case names Alice.</summary>
    public static TheoryData<string, string> BadArguments => new()
    {
        { "CastVote(null)", ErrorCodes.ValidationFailed },
        { "CastVote(not-a-card)", ErrorCodes.CardNotInDeck },
        { "CastVote(5,000 characters)", ErrorCodes.CardNotInDeck },
        { "Alice CastVote(null)", ErrorCodes.ValidationFailed },
        { "AddStories(null)", ErrorCodes.ValidationFailed },
        { "AddStories([])", ErrorCodes.InvalidStory },
        { "AddStories([null])", ErrorCodes.InvalidStory },
        { "AddStories(5,000-character title)", ErrorCodes.InvalidStory },
        { "AddStories(ftp link)", ErrorCodes.InvalidStory },
        { "PasteStories(null)", ErrorCodes.ValidationFailed },
        { "PasteStories(blank lines)", ErrorCodes.InvalidStory },
        { "PasteStories(5,000-character line)", ErrorCodes.InvalidStory },
        { "PasteStories(210,000 characters)", ErrorCodes.ValidationFailed },
        { "EditStory(null)", ErrorCodes.ValidationFailed },
        { "EditStory(5,000-character title)", ErrorCodes.InvalidStory },
        { "MoveStory(past the end)", ErrorCodes.InvalidStory },
        { "RemoveStory(unknown)", ErrorCodes.StoryNotFound },
        { "ChangeSettings(null)", ErrorCodes.ValidationFailed },
        { "ChangeSettings(5-second timer)", ErrorCodes.InvalidSettings },
        { "ChangeDeck(null)", ErrorCodes.ValidationFailed },
        { "ChangeDeck(one-card custom deck)", ErrorCodes.InvalidDeck },
        { "RenameRoom(null)", ErrorCodes.ValidationFailed },
        { "RenameRoom(two lines)", ErrorCodes.InvalidName },
        { "Rename(empty)", ErrorCodes.InvalidName },
        { "StartTimer(5)", ErrorCodes.InvalidTimer },
        { "StartTimer(-1)", ErrorCodes.InvalidTimer },
        { "StartTimer(int.MaxValue)", ErrorCodes.InvalidTimer },
        { "ChangeRole(unknown participant)", ErrorCodes.ParticipantNotFound },
        { "Kick(self)", ErrorCodes.CannotKickSelf },
        { "GetHistory(unknown story)", ErrorCodes.StoryNotFound },
    };

    /// <summary>(room state, command, expected refusal).</summary>
    public static TheoryData<RoomState, string, string> OutOfOrder => new()
    {
        { RoomState.Lobby, nameof(IRoomHub.Reveal), ErrorCodes.RoundNotOpen },
        { RoomState.Lobby, nameof(IRoomHub.CastVote), ErrorCodes.RoundNotOpen },
        { RoomState.Lobby, nameof(IRoomHub.WithdrawVote), ErrorCodes.RoundNotOpen },
        { RoomState.Lobby, nameof(IRoomHub.Accept), ErrorCodes.RoundNotRevealed },
        { RoomState.Lobby, nameof(IRoomHub.Revote), ErrorCodes.RoundNotRevealed },
        { RoomState.Lobby, nameof(IRoomHub.CancelRound), ErrorCodes.NoCurrentRound },
        { RoomState.Lobby, nameof(IRoomHub.StopTimer), ErrorCodes.TimerNotRunning },
        { RoomState.Voting, nameof(IRoomHub.Accept), ErrorCodes.RoundNotRevealed },
        { RoomState.Voting, nameof(IRoomHub.Revote), ErrorCodes.RoundNotRevealed },
        { RoomState.Voting, nameof(IRoomHub.StartRound), ErrorCodes.RoundInProgress },
        { RoomState.Voting, nameof(IRoomHub.ChangeDeck), ErrorCodes.RoundInProgress },
        { RoomState.Voting, nameof(IRoomHub.WithdrawVote), ErrorCodes.NoVote },
        { RoomState.Voting, nameof(IRoomHub.RemoveStory), ErrorCodes.StoryInRound },
        { RoomState.Revealed, nameof(IRoomHub.CastVote), ErrorCodes.RoundNotOpen },
        { RoomState.Revealed, nameof(IRoomHub.Reveal), ErrorCodes.RoundNotOpen },
        { RoomState.Revealed, nameof(IRoomHub.ChangeDeck), ErrorCodes.RoundInProgress },
        { RoomState.Revealed, nameof(IRoomHub.Accept), ErrorCodes.InvalidEstimate },
    };

    [Theory]
    [MemberData(nameof(MalformedJoins))]
    public async Task AMalformedJoinGetsATypedError_AndTheConnectionCanStillJoin(string roomId, string? token, string code)
    {
        await using var table = await Table.OpenAsync(app);
        var client = await table.ConnectUnjoinedAsync("Fanny again");

        await HubAssert.RefusedAsync(code, () => client.InvokeAsync(
            nameof(IRoomHub.JoinRoom), roomId.Replace("{room}", table.RoomId, StringComparison.Ordinal), token?.Replace("{token}", table.Room.Token, StringComparison.Ordinal)));

        Assert.Equal(table.Room.ParticipantId, (await client.JoinAsync(table.RoomId, table.Room.Token)).ViewerId);
    }

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task ABadArgumentGetsATypedError_AndChangesNothing(string call, string code)
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        var fanny = table.Facilitator;
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("One"), new("Two") });
        var stories = (await fanny.GetViewAsync()).Stories.Select(s => s.Id).ToArray();
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[0]);
        var before = HubAssert.Json(await fanny.GetViewAsync());
        var caller = call.StartsWith("Alice ", StringComparison.Ordinal) ? alice : fanny;
        (string Method, object?[] Args) invocation = call switch
        {
            "CastVote(null)" or "Alice CastVote(null)" => (nameof(IRoomHub.CastVote), [null]),
            "CastVote(not-a-card)" => (nameof(IRoomHub.CastVote), ["not-a-card"]),
            "CastVote(5,000 characters)" => (nameof(IRoomHub.CastVote), [LongTitle]),
            "AddStories(null)" => (nameof(IRoomHub.AddStories), [null]),
            "AddStories([])" => (nameof(IRoomHub.AddStories), [new List<StoryDraftDto>()]),
            "AddStories([null])" => (nameof(IRoomHub.AddStories), [new List<StoryDraftDto?> { null }]),
            "AddStories(5,000-character title)" => (nameof(IRoomHub.AddStories), [new List<StoryDraftDto> { new("Fine"), new(LongTitle) }]),
            "AddStories(ftp link)" => (nameof(IRoomHub.AddStories), [new List<StoryDraftDto> { new("Fine", Url: "ftp://example.com/x") }]),
            "PasteStories(null)" => (nameof(IRoomHub.PasteStories), [null]),
            "PasteStories(blank lines)" => (nameof(IRoomHub.PasteStories), ["\n \n\t\n"]),
            "PasteStories(5,000-character line)" => (nameof(IRoomHub.PasteStories), ["Fine\n" + LongTitle]),
            "PasteStories(210,000 characters)" => (nameof(IRoomHub.PasteStories), [new string('p', 210_000)]),
            "EditStory(null)" => (nameof(IRoomHub.EditStory), [stories[1], null]),
            "EditStory(5,000-character title)" => (nameof(IRoomHub.EditStory), [stories[1], new StoryDraftDto(LongTitle)]),
            "MoveStory(past the end)" => (nameof(IRoomHub.MoveStory), [stories[1], 2]),
            "RemoveStory(unknown)" => (nameof(IRoomHub.RemoveStory), [9_999]),
            "ChangeSettings(null)" => (nameof(IRoomHub.ChangeSettings), [null]),
            "ChangeSettings(5-second timer)" => (nameof(IRoomHub.ChangeSettings), [new RoomSettingsDto(RoundTimerSeconds: 5)]),
            "ChangeDeck(null)" => (nameof(IRoomHub.ChangeDeck), [null]),
            "ChangeDeck(one-card custom deck)" => (nameof(IRoomHub.ChangeDeck), [new DeckDto(DeckType.Custom, [new CardDto("S", 1)])]),
            "RenameRoom(null)" => (nameof(IRoomHub.RenameRoom), [null]),
            "RenameRoom(two lines)" => (nameof(IRoomHub.RenameRoom), ["Sprint\n42"]),
            "Rename(empty)" => (nameof(IRoomHub.Rename), ["   "]),
            "StartTimer(5)" => (nameof(IRoomHub.StartTimer), [5]),
            "StartTimer(-1)" => (nameof(IRoomHub.StartTimer), [-1]),
            "StartTimer(int.MaxValue)" => (nameof(IRoomHub.StartTimer), [int.MaxValue]),
            "ChangeRole(unknown participant)" => (nameof(IRoomHub.ChangeRole), [9_999, Role.Observer]),
            "Kick(self)" => (nameof(IRoomHub.Kick), [fanny.ParticipantId]),
            "GetHistory(unknown story)" => (nameof(IRoomHub.GetHistory), [9_999]),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
        };

        await HubAssert.RefusedAsync(code, () => caller.InvokeAsync(invocation.Method, invocation.Args));

        Assert.Equal(before, HubAssert.Json(await fanny.GetViewAsync()));
    }

    [Theory]
    [MemberData(nameof(OutOfOrder))]
    public async Task ACommandOutOfOrderIsRefusedWithTheStateItNeeds(RoomState state, string method, string code)
    {
        await using var table = await Table.OpenAsync(app);
        var fanny = table.Facilitator;
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("One") });
        var story = (await fanny.GetViewAsync()).Stories[0].Id;
        if (state != RoomState.Lobby)
        {
            await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)story);
        }

        if (state == RoomState.Revealed)
        {
            await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "8");
            await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        }

        var before = HubAssert.Json(await fanny.GetViewAsync());
        object?[] args = method switch
        {
            nameof(IRoomHub.CastVote) => ["5"],
            nameof(IRoomHub.Accept) => state == RoomState.Revealed ? ["☕"] : ["5"],
            nameof(IRoomHub.StartRound) => [(int?)story],
            nameof(IRoomHub.ChangeDeck) => [new DeckDto(DeckType.TShirt)],
            nameof(IRoomHub.RemoveStory) => [story],
            _ => [],
        };

        await HubAssert.RefusedAsync(code, () => fanny.InvokeAsync(method, args));

        Assert.Equal(state, (await fanny.GetViewAsync()).State);
        Assert.Equal(before, HubAssert.Json(await fanny.GetViewAsync()));
    }

    [Fact]
    public async Task AMessageOverTheSizeLimitClosesThatConnection_AndTheServerCarriesOn()
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.Connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<HubException>(() => alice.InvokeAsync(nameof(IRoomHub.PasteStories), new string('x', 300 * 1024)));

        // Either the server drops the connection (SignalR's MaximumReceiveMessageSize), or it refuses the call.
        if (alice.Connection.State == HubConnectionState.Connected)
        {
            Assert.Equal(ErrorCodes.ValidationFailed, HubAssert.CodeOf(error));
        }
        else
        {
            await closed.Task.WaitAsync(TestClient.Timeout, TestContext.Current.CancellationToken);
        }

        Assert.Empty((await table.Facilitator.GetViewAsync()).Stories);
        var again = await table.ConnectAsync("Alice");
        Assert.Equal(alice.ParticipantId, again.JoinedView!.ViewerId);
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.PasteStories), "Still here");
        await again.WaitForAsync<StoriesAddedDto>(a => a.Stories.Single().Title == "Still here");
    }

    [Theory]
    [InlineData("no arguments")]
    [InlineData("too many arguments")]
    [InlineData("wrong type")]
    [InlineData("object for a string")]
    [InlineData("unknown method")]
    [InlineData("number for a role")]
    public async Task ACallWithTheWrongArgumentsFails_AndTheConnectionStillWorks(string mistake)
    {
        await using var table = await Table.OpenAsync(app);
        var fanny = table.Facilitator;
        (string Method, object?[] Args) call = mistake switch
        {
            "no arguments" => (nameof(IRoomHub.CastVote), []),
            "too many arguments" => (nameof(IRoomHub.RenameRoom), ["A", "B"]),
            "wrong type" => (nameof(IRoomHub.StartRound), ["first"]),
            "object for a string" => (nameof(IRoomHub.PasteStories), [new { title = "x" }]),
            "unknown method" => ("DropTables", []),
            "number for a role" => (nameof(IRoomHub.ChangeRole), [1, 42]),
            _ => throw new ArgumentOutOfRangeException(nameof(mistake), mistake, null),
        };

        await Assert.ThrowsAsync<HubException>(() => fanny.InvokeAsync(call.Method, call.Args));

        Assert.Equal(HubConnectionState.Connected, fanny.Connection.State);
        await fanny.InvokeAsync(nameof(IRoomHub.RenameRoom), "Still here");
        Assert.Equal("Still here", (await fanny.GetViewAsync()).Name);
    }
}
