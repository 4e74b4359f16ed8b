using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>
/// Every client receives each committed change once, in version order, even when a node's first connections to many
/// rooms arrive at the same instant (the node then subscribes to all those rooms at once).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PushOrderTests
{
    private const int Rooms = 40;
    private const int Changes = 5;

    [Fact]
    public async Task ANodesFirstConnectionsToManyRoomsAtOnceEachGetEveryChangeOnceInVersionOrder()
    {
        // A fresh node: its relay has subscribed to nothing yet.
        await using var app = new PokerApp();
        await app.InitializeAsync();
        var rooms = await Task.WhenAll(Enumerable.Range(0, Rooms).Select(i => app.CreateRoomAsync($"Room {i}")));
        var clients = await Task.WhenAll(rooms.Select((_, i) => app.ConnectAsync($"Facilitator {i}")));
        try
        {
            using var start = new Barrier(Rooms);
            await Task.WhenAll(clients.Select((c, i) => Task.Run(
                () =>
                {
                    start.SignalAndWait(TestClient.Timeout, TestContext.Current.CancellationToken);
                    return c.JoinAsync(rooms[i].RoomId, rooms[i].Token);
                },
                TestContext.Current.CancellationToken)));

            await Task.WhenAll(clients.Select(async c =>
            {
                for (var n = 0; n < Changes; n++)
                {
                    List<StoryDraftDto> story = [new($"Story {n}")];
                    await c.InvokeAsync(nameof(IRoomHub.AddStories), story);
                }
            }));

            foreach (var client in clients)
            {
                var last = (await client.GetViewAsync()).Version;
                await client.WaitForVersionAsync(last);
                var versions = client.Received.Select(c => c.Version).Where(v => v > client.JoinedView!.Version).ToArray();
                Assert.Equal(versions.Distinct().Order(), versions);
                Assert.Equal(Changes, versions.Length);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
