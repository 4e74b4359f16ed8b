using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>
/// Power is given, never assumed: nobody becomes facilitator by being there when the others are gone; the
/// facilitator link (the room's facilitator key) is how the creator, or whoever a facilitator shares it with, takes
/// control back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FacilitatorLinkTests(PokerApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhenEveryoneElseHasGone_AStrangerWhoJoinsGainsNoPower_AndTheCreatorKeepsTheRoom()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(FacilitatorsVote: false));
        var alice = await table.SeatAsync("Alice");
        var wendy = await table.SeatAsync("Wendy", Role.Observer);
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "5");

        await table.Facilitator.Connection.StopAsync(Cancel);
        await alice.Connection.StopAsync(Cancel);
        await wendy.WaitUntilAsync(changes => changes.SelectMany(c => c.Events).OfType<PresenceChangedDto>().Count(p => !p.IsPresent) == 2);
        var mallory = await table.SeatAsync("Mallory", Role.Observer);

        Assert.DoesNotContain(wendy.Received.SelectMany(c => c.Events), e => e is RoleChangedDto or VoteWithdrawnDto);
        var seen = await mallory.GetViewAsync();
        Assert.Equal(Role.Observer, seen.Participants.Single(p => p.Id == mallory.ParticipantId).Role);
        Assert.Equal(1, seen.CurrentRound!.VoteCount);
        await HubAssert.RefusedAsync(ErrorCodes.NotFacilitator, () => mallory.InvokeAsync(nameof(IRoomHub.Kick), table.Facilitator.ParticipantId));
        await HubAssert.RefusedAsync(ErrorCodes.NotFacilitator, () => mallory.InvokeAsync(nameof(IRoomHub.LockRoom), true));
        await HubAssert.RefusedAsync(ErrorCodes.NotFacilitator, () => mallory.InvokeAsync<string>(nameof(IRoomHub.GetFacilitatorKey)));
        var fanny = await table.ConnectAsync("Fanny");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        Assert.Equal("5", (await fanny.WaitForAsync<CardsRevealedDto>()).Result.Distribution.Single().Card);
    }

    [Fact]
    public async Task TheFacilitatorKey_MakesWhoeverPresentsItAFacilitator_AndARenewedKeyEndsTheOldLink()
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        var bob = await table.SeatAsync("Bob");
        var key = await table.Facilitator.InvokeAsync<string>(nameof(IRoomHub.GetFacilitatorKey));

        await HubAssert.RefusedAsync(ErrorCodes.WrongFacilitatorKey, () => bob.InvokeAsync(nameof(IRoomHub.ClaimFacilitator), key + "x"));
        await alice.InvokeAsync(nameof(IRoomHub.ClaimFacilitator), key);
        var claimed = await table.Facilitator.WaitForAsync<RoleChangedDto>(r => r.ParticipantId == alice.ParticipantId);
        var renewed = await alice.InvokeAsync<string>(nameof(IRoomHub.RenewFacilitatorKey));

        Assert.Equal(Role.Facilitator, claimed.Role);
        Assert.True(claimed.Claimed);
        Assert.Equal(43, key.Length); // 256 random bits, base64url
        Assert.NotEqual(key, renewed);
        await HubAssert.RefusedAsync(ErrorCodes.WrongFacilitatorKey, () => bob.InvokeAsync(nameof(IRoomHub.ClaimFacilitator), key));
        Assert.Equal(renewed, await table.Facilitator.InvokeAsync<string>(nameof(IRoomHub.GetFacilitatorKey)));
        Assert.Equal(Role.Estimator, (await bob.GetViewAsync()).Participants.Single(p => p.Id == bob.ParticipantId).Role);
    }

    [Fact]
    public async Task JoiningWithTheFacilitatorKey_OpensAFacilitatorsSeat_PastTheLockAndThePasscode()
    {
        var room = await app.CreateRoomAsync(passcode: "1234").WaitAsync(TestClient.Timeout, Cancel);
        await using var fanny = await app.ConnectAsync("Fanny");
        await fanny.JoinAsync(room.RoomId, room.Token);
        await fanny.InvokeAsync(nameof(IRoomHub.LockRoom), true);
        var key = await fanny.InvokeAsync<string>(nameof(IRoomHub.GetFacilitatorKey));
        using var http = app.Http();

        using var wrong = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Fanny on her phone", FacilitatorKey: "not-the-key"), Cancel);
        using var right = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Fanny on her phone", FacilitatorKey: key), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(ErrorCodes.TypePrefix + ErrorCodes.WrongFacilitatorKey, (await wrong.Content.ReadFromJsonAsync<ProblemDetails>(Cancel))!.Type);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        var seat = (await right.Content.ReadFromJsonAsync<JoinRoomResponse>(Cancel))!;
        await using var phone = await app.ConnectAsync("Fanny on her phone");
        var view = await phone.JoinAsync(room.RoomId, seat.Token);
        Assert.Equal(Role.Facilitator, view.Participants.Single(p => p.Id == seat.ParticipantId).Role);
    }
}
