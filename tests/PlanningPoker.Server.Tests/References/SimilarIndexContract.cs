using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.References;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;
using PlanningPoker.Server.Tests.Storage;

namespace PlanningPoker.Server.Tests.References;

/// <summary>
/// The similar-story index's freshness query (count, latest accept and checksum of a team's facts, in one statement)
/// on each provider: a team without estimated stories has an empty index, and asking twice reads it once.
/// </summary>
public abstract class SimilarIndexContract(StoreFixture fixture)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ATeamWithoutEstimatedStories_FindsNothing_OnEveryProvider()
    {
        _ = fixture.Store; // skips when the provider is unavailable
        var contexts = fixture.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>();
        var owner = Guid.NewGuid();
        await using (var db = contexts.CreateDbContext())
        {
            var email = $"olga-{owner:N}@example.test";
            db.Add(new Account { Id = owner, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), DisplayName = "Olga", CreatedAt = _clock.GetUtcNow() });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var organisations = new Organisations(contexts, _clock);
        var org = (await organisations.CreateAsync(owner, "Acme")).Value!.Id;
        var team = (await organisations.CreateTeamAsync(owner, org, "Payments")).Value!.Id;
        var index = new SimilarStoriesIndex(contexts, NullLogger<SimilarStoriesIndex>.Instance);

        var first = await index.SearchAsync(team, "Export invoices", null, ("none", 0), 5, 0.2);
        var again = await index.SearchAsync(team, "Export invoices", null, ("none", 0), 5, 0.2);

        Assert.Empty(first);
        Assert.Empty(again);
    }
}

/// <summary>The index's query on SQLite.</summary>
[Trait("Category", "Integration")]
public sealed class SqliteSimilarIndexTests(SqliteStoreFixture fixture) : SimilarIndexContract(fixture), IClassFixture<SqliteStoreFixture>;

/// <summary>The index's query on PostgreSQL (skipped, with the reason, without <c>POKER_TEST_POSTGRES</c>).</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Postgres")]
public sealed class PostgresSimilarIndexTests(PostgresStoreFixture fixture) : SimilarIndexContract(fixture), IClassFixture<PostgresStoreFixture>;
