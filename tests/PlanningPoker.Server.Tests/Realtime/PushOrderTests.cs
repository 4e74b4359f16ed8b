using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
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
        await using var app = new PokerApp { ConfigureLogs = l => l.AddFakeLogging() };
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

            // The relay drops duplicates and reorders early changes, so the order above would hold even if a room were
            // subscribed twice: its warnings (1012 stale or duplicate, 1013 gap) say whether it had to.
            var relayWarnings = app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot()
                .Where(r => r.Id.Id is 1012 or 1013).Select(r => r.Message).ToList();
            Assert.Empty(relayWarnings);
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
