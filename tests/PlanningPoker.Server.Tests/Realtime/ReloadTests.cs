using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>A room whose grain goes and comes back, on the real server: its connected people hear its next change at once.</summary>
[Trait("Category", "Integration")]
public sealed class ReloadTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARoomThatIsReactivated_ReachesItsConnectedClientsWithItsFirstChange_AndKeepsThemPresent()
    {
        // Its own server: collecting every idle activation would disturb the other tests' rooms.
        await using var app = new PokerApp();
        await app.InitializeAsync();
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(FacilitatorsVote: false));
        var alice = await table.SeatAsync("Alice");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        var management = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);

        await management.ForceActivationCollection(TimeSpan.Zero, Cancel).WaitAsync(TestClient.Timeout, Cancel);
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.RenameRoom), "Back again");

        // No renewal of the node's subscription can have happened (a third of a minute): the room asked the node.
        await alice.WaitForAsync<RoomRenamedDto>(r => r.Name == "Back again");
        var view = await alice.GetViewAsync();
        Assert.All(view.Participants, p => Assert.True(p.IsPresent, $"{p.Name} shown away"));
        Assert.Equal(1, view.CurrentRound!.VoteCount);
        Assert.DoesNotContain(alice.Received.SelectMany(c => c.Events), e => e is PresenceChangedDto { IsPresent: false } or RoleChangedDto);
    }
}
