using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

[Trait("Category", "Integration")]
public sealed class HubSmokeTests(PokerApp app)
{
    [Fact]
    public async Task EstimatorSeesThatTheOtherVoted_ButNotTheCard_UntilReveal()
    {
        var room = await app.CreateRoomAsync();
        var aliceSeat = await app.JoinAsync(room.RoomId, "Alice");
        await using var fanny = await app.ConnectAsync("Fanny");
        await using var alice = await app.ConnectAsync("Alice");
        await fanny.JoinAsync(room.RoomId, room.Token);
        await alice.JoinAsync(room.RoomId, aliceSeat.Token);

        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "13");
        var seen = await alice.WaitForAsync<VoteCastDto>(v => v.ParticipantId == room.ParticipantId);

        Assert.Null(seen.Card);
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        var revealed = await alice.WaitForAsync<CardsRevealedDto>();
        Assert.Equal("13", Assert.Single(revealed.Result.Distribution).Card);
    }
}
