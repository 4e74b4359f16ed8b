using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Insights;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Teams;

namespace PlanningPoker.Server.Tests.Insights;

/// <summary>
/// Stories estimated before the estimation facts existed get them from their stored rounds: their team's KPIs become
/// what the accepts would have written, once, whatever runs it again. The backfill covers every room of its storage,
/// so it runs on a server of its own: the shared one holds rooms other tests wrote straight into storage, without
/// facts (LargestRoomTests' 499 estimated stories), that a pass would count.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FactsBackfillTests
{
    [Fact]
    public async Task StoriesWithoutFacts_GetTheFactsTheirAcceptsWouldHaveWritten_Once()
    {
        await using var own = new PokerApp();
        await own.InitializeAsync();
        await StoriesWithoutFacts_GetTheFactsTheirAcceptsWouldHaveWritten_OnceOn(own);
    }

    /// <summary>
    /// The body of <see cref="StoriesWithoutFacts_GetTheFactsTheirAcceptsWouldHaveWritten_Once"/>, on either
    /// provider's server; that server's storage holds no other room without facts.
    /// </summary>
    internal static async Task StoriesWithoutFacts_GetTheFactsTheirAcceptsWouldHaveWritten_OnceOn(PokerApp app)
    {
        // The pass of the server's start is over before the facts go (else it could take them first).
        var backfill = app.Services.GetRequiredService<FactsBackfill>();
        await backfill.ExecuteTask!.WaitAsync(Cancel);
        await using var acme = await Acme.MakeAsync(app);
        var (room, owner) = await Workshop.PlayAsync(app, acme, "Sprint 7",
            [new("A", [["3", "3"]], "3", "PAY-1"), new("B", [["2", "8"], ["5", "5"]], "5"), new("C", [], null)]);
        await owner.DisposeAsync();
        var before = await TeamAsync(acme);
        Assert.Equal(2, before.Kpis.StoriesEstimated);

        // As a database from before the facts: the accepts' rows are not there.
        var contexts = app.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(Cancel))
        {
            Assert.Equal(2, await db.Set<StoryFactsRow>().Where(f => f.RoomId == room.RoomId).ExecuteDeleteAsync(Cancel));
        }

        Assert.Equal(0, (await TeamAsync(acme)).Kpis.StoriesEstimated);

        Assert.Equal((1, 2), await backfill.RunAsync(Cancel));

        // The same KPIs as the accepts gave (the time to accept now ends at the accepted round's reveal: not compared).
        var after = await TeamAsync(acme);
        Assert.Equal(before.Kpis with { MedianMinutesPerStory = null }, after.Kpis with { MedianMinutesPerStory = null }, KpisEqual);
        await using (var db = await contexts.CreateDbContextAsync(Cancel))
        {
            var facts = await db.Set<StoryFactsRow>().Where(f => f.RoomId == room.RoomId).OrderBy(f => f.StoryId).ToListAsync(Cancel);
            Assert.Equal([("A", "PAY-1", "3", 1), ("B", null, "5", 2)], facts.Select(f => (f.Title, f.ExternalKey, f.FinalLabel, f.RevealedRounds)));
        }

        Assert.Equal((0, 0), await backfill.RunAsync(Cancel));
    }

    private static readonly IEqualityComparer<EstimationKpisDto> KpisEqual = EqualityComparer<EstimationKpisDto>.Create(
        (a, b) => JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b), k => k.StoriesEstimated);

    private static async Task<TeamInsightsDto> TeamAsync(Acme acme) =>
        (await acme.Max.Http.GetFromJsonAsync<TeamInsightsDto>($"{acme.TeamPath}/insights", JsonSerializerOptions.Web, Cancel))!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
