using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>The node's subscription to a room while its last local connection closes and a new one joins.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Slow")]
public sealed class RelayRaceTests(PokerApp app)
{
    private const int Attempts = 300;

    [Fact]
    public async Task AConnectionJoiningWhileTheLastOtherConnectionOfTheRoomClosesStillReceivesPushes()
    {
        var lost = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken };

        await Parallel.ForEachAsync(Enumerable.Range(0, Attempts), options, async (_, _) =>
        {
            await using var table = await Table.OpenAsync(app);
            var second = await table.ConnectUnjoinedAsync("Fanny's other tab");
            var closing = table.Facilitator.DisposeAsync().AsTask();
            await second.JoinAsync(table.RoomId, table.Room.Token);
            await closing.WaitAsync(TestClient.Timeout, TestContext.Current.CancellationToken);
            await app.JoinAsync(table.RoomId, "Alice").WaitAsync(TestClient.Timeout, TestContext.Current.CancellationToken);
            try
            {
                await second.WaitForAsync<ParticipantJoinedDto>();
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref lost);
            }
        });

        Assert.Equal(0, lost);
    }
}
