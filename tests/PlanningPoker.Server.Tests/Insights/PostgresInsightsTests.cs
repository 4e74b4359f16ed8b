using Npgsql;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Storage;

namespace PlanningPoker.Server.Tests.Insights;

/// <summary>
/// The insights and history queries on PostgreSQL (the SQL differs by provider): the same end-to-end tests as on
/// SQLite, on a server whose storage is a fresh PostgreSQL database (skipped, with the reason, without
/// <c>POKER_TEST_POSTGRES</c>).
/// </summary>
[Trait("Category", "Postgres")]
public sealed class PostgresInsightsTests(PostgresInsightsTests.Site site) : IClassFixture<PostgresInsightsTests.Site>
{
    [Fact]
    public Task TheTeamsKpis_AndTheOrganisations() => OnPostgres(InsightsApiTests.TwoWorkshops_GiveTheTeamTheHandWorkedKpis_TheOrganisationSeesEveryTeamOn);

    [Fact]
    public Task TheHistory_SearchesAndFilters() => OnPostgres(HistoryApiTests.TheHistory_ListsTheTeamsStoriesNewestFirst_SearchesAndFiltersOn);

    [Fact]
    public Task AStorysRoundsAndVotes() => OnPostgres(HistoryApiTests.AStory_ShowsItsRoundsVotesAndPeople_ButNeverAHiddenCardOn);

    [Fact]
    public Task TheExports() => OnPostgres(HistoryApiTests.TheExports_HoldTheFilteredStories_CsvEscapesFormulas_JsonHasTheRoundsOn);

    [Fact]
    public Task TheBackfillOfOlderStories() => OnPostgres(FactsBackfillTests.StoriesWithoutFacts_GetTheFactsTheirAcceptsWouldHaveWritten_OnceOn);

    private Task OnPostgres(Func<PokerApp, Task> test)
    {
        Assert.SkipWhen(site.SkipReason is not null, site.SkipReason ?? "");
        return test(site.App!);
    }

    /// <summary>A server on a fresh PostgreSQL database, dropped afterwards.</summary>
    public sealed class Site : IAsyncLifetime
    {
        private string? _maintenance;
        private string? _database;

        public PokerApp? App { get; private set; }

        public string? SkipReason { get; private set; }

        public async ValueTask InitializeAsync()
        {
            var configured = Environment.GetEnvironmentVariable(PostgresStoreFixture.Variable);
            if (string.IsNullOrWhiteSpace(configured))
            {
                SkipReason = $"PostgreSQL not reachable: {PostgresStoreFixture.Variable} is not set (e.g. Host=127.0.0.1;Username=poker;Password=poker;Database=poker_test)";
                return;
            }

            _maintenance = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Pooling = false }.ToString();
            _database = $"poker_insights_{Guid.NewGuid():N}";
            await ExecuteAsync($"CREATE DATABASE \"{_database}\"");
            App = new PokerApp();
            App.Settings["Storage:Provider"] = "Postgres";
            App.Settings["Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(configured) { Database = _database }.ToString();
            await App.InitializeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (App is not null)
            {
                await App.DisposeAsync();
            }

            if (_database is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
            }
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(_maintenance);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
