using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>A seat outlives its connections: a new connection with the same token is the same participant.</summary>
[Trait("Category", "Integration")]
public sealed class ReconnectTests(PokerApp app)
{
    [Fact]
    public async Task ANewConnectionWithTheSameTokenIsTheSameParticipant_WithItsCardStillDown()
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "13");

        await alice.DisposeAsync();
        var again = await table.ConnectAsync("Alice");

        var view = again.JoinedView!;
        Assert.Equal(alice.ParticipantId, view.ViewerId);
        var own = Assert.Single(view.Participants, p => p.Id == view.ViewerId);
        Assert.Equal(("13", true), (own.Card, own.HasVoted));
        Assert.Equal(RoomState.Voting, view.State);
        Assert.Equal(1, view.CurrentRound!.VoteCount);
        var seenByFanny = Assert.Single((await table.Facilitator.GetViewAsync()).Participants, p => p.Id == alice.ParticipantId);
        Assert.Equal((null, true), (seenByFanny.Card, seenByFanny.HasVoted));
    }

    [Fact]
    public async Task OthersSeeAParticipantGoAwayAfterTheGracePeriod_AndComeBackWhenItReconnects()
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        var id = alice.ParticipantId;
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "5");

        await alice.DisposeAsync();
        await table.Facilitator.WaitForAsync<PresenceChangedDto>(p => p.ParticipantId == id && !p.IsPresent);
        var away = Assert.Single((await table.Facilitator.GetViewAsync()).Participants, p => p.Id == id);
        var again = await table.ConnectAsync("Alice");
        await table.Facilitator.WaitForAsync<PresenceChangedDto>(p => p.ParticipantId == id && p.IsPresent);

        Assert.Equal((false, true), (away.IsPresent, away.HasVoted));
        var back = Assert.Single(again.JoinedView!.Participants, p => p.Id == id);
        Assert.Equal((true, "5"), (back.IsPresent, back.Card));
    }

    [Fact]
    public async Task ASecondConnectionOfTheSameSeatKeepsItPresentWhenTheFirstCloses()
    {
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");
        var second = await table.ConnectAsync("Alice");
        var bob = await table.SeatAsync("Bob");
        var carol = await table.SeatAsync("Carol");

        // Bob, then Carol, go away after Alice's first connection closed: by then her grace period has long passed.
        await alice.DisposeAsync();
        await bob.DisposeAsync();
        await table.Facilitator.WaitForAsync<PresenceChangedDto>(p => p.ParticipantId == bob.ParticipantId && !p.IsPresent);
        await carol.DisposeAsync();
        await table.Facilitator.WaitForAsync<PresenceChangedDto>(p => p.ParticipantId == carol.ParticipantId && !p.IsPresent);

        Assert.DoesNotContain(
            table.Facilitator.Received.SelectMany(c => c.Events).OfType<PresenceChangedDto>(),
            p => p.ParticipantId == alice.ParticipantId && !p.IsPresent);
        Assert.True(Assert.Single((await second.GetViewAsync()).Participants, p => p.Id == alice.ParticipantId).IsPresent);
    }
}
