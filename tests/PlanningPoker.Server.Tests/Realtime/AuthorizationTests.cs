using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>A connection acts only as the seat its token opened, and only as far as that seat's role allows.</summary>
[Trait("Category", "Integration")]
public sealed class AuthorizationTests(PokerApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> FacilitatorOnlyMethods =>
    [
        nameof(IRoomHub.StartRound), nameof(IRoomHub.Reveal), nameof(IRoomHub.Revote), nameof(IRoomHub.Accept),
        nameof(IRoomHub.CancelRound), nameof(IRoomHub.AddStories), nameof(IRoomHub.PasteStories), nameof(IRoomHub.EditStory),
        nameof(IRoomHub.RemoveStory), nameof(IRoomHub.MoveStory), nameof(IRoomHub.SkipStory), nameof(IRoomHub.StartTimer),
        nameof(IRoomHub.StopTimer), nameof(IRoomHub.ChangeSettings), nameof(IRoomHub.ChangeDeck), nameof(IRoomHub.RenameRoom),
        nameof(IRoomHub.LockRoom), nameof(IRoomHub.ChangeRole), nameof(IRoomHub.Kick), nameof(IRoomHub.GetFacilitatorKey),
        nameof(IRoomHub.RenewFacilitatorKey),
    ];

    public static TheoryData<string> EveryMethodButJoinRoom =>
        [.. typeof(IRoomHub).GetMethods().Select(m => m.Name).Where(n => n != nameof(IRoomHub.JoinRoom)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(FacilitatorOnlyMethods))]
    public async Task AnEstimatorCallingAFacilitatorOnlyMethodIsRefused_AndTheRoomDoesNotChange(string method)
    {
        // A revealed round on the first of two stories, with a running countdown: every command has something to act on.
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        var bob = await table.SeatAsync("Bob");
        var fanny = table.Facilitator;
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("One"), new("Two") });
        var stories = (await fanny.GetViewAsync()).Stories.Select(s => s.Id).ToArray();
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[0]);
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        await fanny.InvokeAsync(nameof(IRoomHub.StartTimer), 600);
        var before = HubAssert.Json(await fanny.GetViewAsync());
        object?[] args = method switch
        {
            nameof(IRoomHub.StartRound) => [(int?)stories[1]],
            nameof(IRoomHub.Accept) => ["5"],
            nameof(IRoomHub.AddStories) => [new List<StoryDraftDto> { new("Three") }],
            nameof(IRoomHub.PasteStories) => ["Three\nFour"],
            nameof(IRoomHub.EditStory) => [stories[1], new StoryDraftDto("Two, edited")],
            nameof(IRoomHub.RemoveStory) or nameof(IRoomHub.SkipStory) => [stories[1]],
            nameof(IRoomHub.MoveStory) => [stories[1], 0],
            nameof(IRoomHub.StartTimer) => [120],
            nameof(IRoomHub.ChangeSettings) => [new RoomSettingsDto(AutoReveal: true, WhoMayReveal: RevealPolicy.Voters)],
            nameof(IRoomHub.ChangeDeck) => [new DeckDto(DeckType.TShirt)],
            nameof(IRoomHub.RenameRoom) => ["Taken over"],
            nameof(IRoomHub.LockRoom) => [true],
            nameof(IRoomHub.ChangeRole) => [bob.ParticipantId, Role.Facilitator],
            nameof(IRoomHub.Kick) => [bob.ParticipantId],
            _ => [],
        };

        await HubAssert.RefusedAsync(
            method == nameof(IRoomHub.Reveal) ? ErrorCodes.NotAllowedToReveal : ErrorCodes.NotFacilitator,
            () => alice.InvokeAsync(method, args));

        Assert.Equal(before, HubAssert.Json(await fanny.GetViewAsync()));
    }

    [Fact]
    public async Task AnEstimatorCannotPromoteThemselvesToFacilitator()
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        var before = HubAssert.Json(await table.Facilitator.GetViewAsync());

        await HubAssert.RefusedAsync(ErrorCodes.NotFacilitator, () => alice.InvokeAsync(nameof(IRoomHub.ChangeRole), alice.ParticipantId, Role.Facilitator));

        Assert.Equal(before, HubAssert.Json(await table.Facilitator.GetViewAsync()));
    }

    [Fact]
    public async Task JoiningWithAMadeUpTokenIsRefused()
    {
        await using var table = await Table.OpenAsync(app);
        var stranger = await table.ConnectUnjoinedAsync("Mallory");
        var madeUp = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        await HubAssert.RefusedAsync(ErrorCodes.InvalidToken, () => stranger.JoinAsync(table.RoomId, madeUp));

        await HubAssert.RefusedAsync(ErrorCodes.NotJoined, stranger.GetViewAsync);
    }

    [Fact]
    public async Task ATokenOfOneRoomOpensNoSeatInAnother()
    {
        await using var roomA = await Table.OpenAsync(app);
        await using var roomB = await Table.OpenAsync(app);
        var mallory = await roomA.ConnectUnjoinedAsync("Mallory");

        await HubAssert.RefusedAsync(ErrorCodes.InvalidToken, () => mallory.JoinAsync(roomB.RoomId, roomA.Room.Token));

        await HubAssert.RefusedAsync(ErrorCodes.NotJoined, mallory.GetViewAsync);
    }

    [Fact]
    public async Task ADisplayNameOpensNoSeat_ASecondJoinUnderTheSameNameIsNameTaken()
    {
        await using var table = await Table.OpenAsync(app);
        await table.SeatAsync("Alice");
        using var http = app.Http();

        using var response = await http.PostAsJsonAsync($"/api/rooms/{table.RoomId}/participants", new JoinRoomRequest("aLICE"), Cancel).WaitAsync(TestClient.Timeout, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Cancel).WaitAsync(TestClient.Timeout, Cancel);
        Assert.Equal(ErrorCodes.TypePrefix + ErrorCodes.NameTaken, problem!.Type);
        Assert.Single((await table.Facilitator.GetViewAsync()).Participants, p => p.Name == "Alice");
    }

    [Fact]
    public async Task CastVoteAlwaysRecordsTheCallersOwnVote()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(FacilitatorsVote: false));
        var alice = await table.SeatAsync("Alice");
        var bob = await table.SeatAsync("Bob");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);

        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "3");
        await bob.InvokeAsync(nameof(IRoomHub.CastVote), "21");
        await bob.InvokeAsync(nameof(IRoomHub.CastVote), "13");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.Reveal));

        var result = (await table.Facilitator.WaitForAsync<CardsRevealedDto>()).Result;
        Assert.Equal([("3", alice.ParticipantId), ("13", bob.ParticipantId)], result.Distribution.Select(t => (t.Card, Assert.Single(t.Voters))));
    }

    [Fact]
    public async Task AKickedParticipantsTokenNoLongerJoins_AndItsConnectionCanNoLongerAct()
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);

        await table.Facilitator.InvokeAsync(nameof(IRoomHub.Kick), alice.ParticipantId);

        Assert.True((await alice.WaitForAsync<ParticipantLeftDto>(l => l.ParticipantId == alice.ParticipantId)).Kicked);
        var vote = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => alice.InvokeAsync(nameof(IRoomHub.CastVote), "5"));
        Assert.Contains(HubAssert.CodeOf(vote), new[] { ErrorCodes.ParticipantNotFound, ErrorCodes.InvalidToken });
        await HubAssert.RefusedAsync(ErrorCodes.InvalidToken, alice.GetViewAsync);
        var again = await table.ConnectUnjoinedAsync("Alice again");
        await HubAssert.RefusedAsync(ErrorCodes.InvalidToken, () => again.JoinAsync(table.RoomId, table.TokenOf("Alice")));
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.RenameRoom), "After the kick");
        await table.Facilitator.WaitForAsync<RoomRenamedDto>();
        await HubAssert.RefusedAsync(ErrorCodes.InvalidToken, alice.GetViewAsync);
        var view = await table.Facilitator.GetViewAsync();
        Assert.DoesNotContain(view.Participants, p => p.Id == alice.ParticipantId);
        Assert.Equal(0, view.CurrentRound!.VoteCount);
        Assert.DoesNotContain(alice.RawPushes, p => p.Contains("roomRenamed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnObserverCannotVote_NorAFacilitatorInARoomWhereFacilitatorsDoNotVote()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(FacilitatorsVote: false));
        var oscar = await table.SeatAsync("Oscar", Role.Observer);
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);

        await HubAssert.RefusedAsync(ErrorCodes.NotAVoter, () => oscar.InvokeAsync(nameof(IRoomHub.CastVote), "5"));
        await HubAssert.RefusedAsync(ErrorCodes.NotAVoter, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.CastVote), "5"));

        Assert.Equal(0, (await table.Facilitator.GetViewAsync()).CurrentRound!.VoteCount);
    }

    [Fact]
    public async Task AJoinedConnectionCannotSwitchToAnotherSeatOrRoom()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(FacilitatorsVote: false));
        await using var other = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        await table.SeatAsync("Bob");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);

        await HubAssert.RefusedAsync(ErrorCodes.ValidationFailed, () => alice.InvokeAsync(nameof(IRoomHub.JoinRoom), other.RoomId, other.Room.Token));
        var again = await Record.ExceptionAsync(async () => Assert.Equal(alice.ParticipantId, (await alice.InvokeAsync<RoomViewDto>(nameof(IRoomHub.JoinRoom), table.RoomId, table.TokenOf("Bob"))).ViewerId));
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "8");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.Reveal));

        Assert.True(again is null or Microsoft.AspNetCore.SignalR.HubException, again?.ToString());
        var tally = Assert.Single((await table.Facilitator.GetViewAsync()).CurrentRound!.Result!.Distribution);
        Assert.Equal(("8", alice.ParticipantId), (tally.Card, Assert.Single(tally.Voters)));
    }

    [Theory]
    [MemberData(nameof(EveryMethodButJoinRoom))]
    public async Task AnyCallBeforeJoinRoomIsNotJoined(string method)
    {
        await using var table = await Table.OpenAsync(app);
        var stranger = await table.ConnectUnjoinedAsync("Stranger");
        var parameters = typeof(IRoomHub).GetMethod(method)!.GetParameters();

        await HubAssert.RefusedAsync(ErrorCodes.NotJoined, () => stranger.InvokeAsync(method, [.. parameters.Select(SampleOf)]));
    }

    /// <summary>A well-formed argument of the parameter's type, so that only the missing join can fail the call.</summary>
    private static object? SampleOf(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        return type == typeof(string) ? "5"
            : type == typeof(int) ? 1
            : type == typeof(int?) ? 1
            : type == typeof(bool) ? true
            : type == typeof(Role) ? Role.Observer
            : type == typeof(StoryDraftDto) ? new StoryDraftDto("A story")
            : type == typeof(IReadOnlyList<StoryDraftDto>) ? new List<StoryDraftDto> { new("A story") }
            : type == typeof(RoomSettingsDto) ? new RoomSettingsDto()
            : type == typeof(DeckDto) ? new DeckDto(DeckType.Fibonacci)
            : throw new InvalidOperationException($"No sample for {type} ({parameter.Member.Name}).");
    }
}
