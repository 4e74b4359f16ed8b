using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Domain;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// A quick measure of the write path, run only on request:
/// <c>dotnet test --project tests/PlanningPoker.Server.Tests -- --filter-class "*StoreBenchmark" --explicit only --output Detailed</c>.
/// 50 rooms save 100 single votes each, one save at a time per room (as a grain does), all rooms at once; once with
/// group commit and once with one transaction per change.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StoreBenchmark
{
    private const int Rooms = 50;
    private const int VotesPerRoom = 100;

    [Fact(Explicit = true)]
    public Task Sqlite_VotesPerSecond() => MeasureAsync(new SqliteStoreFixture());

    [Fact(Explicit = true)]
    public Task Postgres_VotesPerSecond() => MeasureAsync(new PostgresStoreFixture());

    private static async Task MeasureAsync(StoreFixture fixture)
    {
        await fixture.InitializeAsync();
        try
        {
            foreach (var batch in new[] { 256, 1, 256, 1 })
            {
                var host = await fixture.StartHostAsync(batch);
                var rate = await VotesPerSecondAsync(host.Services.GetRequiredService<IRoomStore>());
                await StoreFixture.StopAsync(host);
                TestContext.Current.TestOutputHelper!.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{fixture.Provider}, max batch {batch}: {Rooms * VotesPerRoom} votes from {Rooms} rooms in parallel: {rate:N0} votes/s"));
            }
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<double> VotesPerSecondAsync(IRoomStore store)
    {
        var rooms = await Task.WhenAll(Enumerable.Range(0, Rooms).Select(async _ =>
        {
            var played = await PlayedRoom.CreateAsync(store);
            var alice = await played.JoinAsync("Alice");
            await played.RunAsync(new StartRound(1, null));
            return (played, alice);
        }));

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(rooms.Select(async r =>
        {
            for (var i = 0; i < VotesPerRoom; i++)
            {
                await r.played.RunAsync(new CastVote(r.alice, i % 2 == 0 ? "3" : "5"));
            }
        }));
        return Rooms * VotesPerRoom / clock.Elapsed.TotalSeconds;
    }
}
