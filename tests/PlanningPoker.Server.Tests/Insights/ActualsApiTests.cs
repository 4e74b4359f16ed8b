using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Teams;
using PlanningPoker.Server.Trackers;

namespace PlanningPoker.Server.Tests.Insights;

/// <summary>
/// Estimate vs actual on a real Kestrel whose GitLab client is a double that answers what the test says: stories
/// imported from the team's connection and estimated through the hub, a refresh from the trackers, the buckets'
/// medians worked out by hand, the drift flag, who may read and refresh, and a failing tracker leaving rows unchecked.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ActualsApiTests(ActualsApiTests.Site site) : ActualsApiTestsOn(site), IClassFixture<ActualsApiTests.Site>
{
    /// <summary>An app of its own on SQLite, whose GitLab client is <see cref="ActualsTracker"/>.</summary>
    public sealed class Site : ActualsSite
    {
        protected override ValueTask ConfigureAsync(PokerApp app) => ValueTask.CompletedTask;
    }
}

/// <summary>The same on PostgreSQL (skipped, with the reason, without <c>POKER_TEST_POSTGRES</c>).</summary>
[Trait("Category", "Postgres")]
public sealed class PostgresActualsApiTests(PostgresActualsApiTests.Site site) : ActualsApiTestsOn(site), IClassFixture<PostgresActualsApiTests.Site>
{
    /// <summary>An app on a fresh PostgreSQL database, dropped afterwards.</summary>
    public sealed class Site : ActualsSite
    {
        private string? _maintenance;
        private string? _database;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (_database is not null)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
            }
        }

        protected override async ValueTask ConfigureAsync(PokerApp app)
        {
            var configured = Environment.GetEnvironmentVariable(Storage.PostgresStoreFixture.Variable);
            if (string.IsNullOrWhiteSpace(configured))
            {
                SkipReason = $"PostgreSQL not reachable: {Storage.PostgresStoreFixture.Variable} is not set";
                return;
            }

            _maintenance = new Npgsql.NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Pooling = false }.ToString();
            _database = $"poker_actuals_{Guid.NewGuid():N}";
            await ExecuteAsync($"CREATE DATABASE \"{_database}\"");
            app.Settings["Storage:Provider"] = "Postgres";
            app.Settings["Storage:ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(configured) { Database = _database }.ToString();
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(_maintenance);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>The tests, on either provider's server.</summary>
public abstract class ActualsApiTestsOn(ActualsSite site)
{
    private PokerApp App
    {
        get
        {
            Assert.SkipWhen(site.SkipReason is not null, site.SkipReason ?? "");
            return site.App;
        }
    }

    private ActualsTracker Tracker => site.Tracker;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AfterARefresh_TheBucketsHaveTheHandWorkedMedians_AndOnlyStoriesFromATrackerCount()
    {
        await using var acme = await Acme.MakeAsync(App);
        var team = await TeamTrackerAsync(acme, "w1");
        await PlayAsync(acme, team, "Sprint 1", [("w1-1", "3"), ("w1-2", "3"), ("w1-3", "3"), ("w1-4", "5"), ("w1-5", "8")], typed: ("HAND-1", "2"));

        // 3: done 2 and 4 days after the accept (4 h logged on the first), one not done → 3 estimated, 2 done, median 3 days, 4 h.
        // 5: done after 10 days with 30 h logged. 8: unknown to the tracker (left out of its answer). The story typed by
        // hand has no tracker: not followed, not counted. 5 linked, 3 done, too few for a correlation.
        var accepted = await AcceptedAtAsync("w1-");
        Tracker.Answers["w1-1"] = new TrackerActual("w1-1", accepted["w1-1"].AddDays(2), TimeSpan.FromHours(4));
        Tracker.Answers["w1-2"] = new TrackerActual("w1-2", accepted["w1-2"].AddDays(4), null);
        Tracker.Answers["w1-3"] = new TrackerActual("w1-3", null, null);
        Tracker.Answers["w1-4"] = new TrackerActual("w1-4", accepted["w1-4"].AddDays(10), TimeSpan.FromHours(30));

        var before = await Read<TeamActualsDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/insights/actuals", Cancel));
        Assert.Equal((5, 0, null), (before.Linked, before.Done, before.LastChecked));

        var refresh = await Read<ActualsRefreshDto>(await acme.Owner.Http.PostAsync($"{acme.TeamPath}/insights/actuals/refresh", null, Cancel));
        Assert.Equal(new ActualsRefreshDto(5, 3, 0), refresh);
        Assert.DoesNotContain(Tracker.Asked, keys => keys.Contains("HAND-1"));

        var actuals = await Read<TeamActualsDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/insights/actuals", Cancel));
        Assert.Equal(
            [new ActualsBucketDto("3", 3m, 3, 2, 3, 4), new ActualsBucketDto("5", 5m, 1, 1, 10, 30), new ActualsBucketDto("8", 8m, 1, 0, null, null)],
            actuals.Buckets);
        Assert.Equal((5, 3, null, false), (actuals.Linked, actuals.Done, actuals.Correlation, actuals.Drifting));
        Assert.NotNull(actuals.LastChecked);

        // Done stories are no longer asked about, and a second click within a minute asks nothing.
        var calls = Tracker.Asked.Count;
        Assert.Equal(new ActualsRefreshDto(0, 0, 0), await Read<ActualsRefreshDto>(await acme.Owner.Http.PostAsync($"{acme.TeamPath}/insights/actuals/refresh", null, Cancel)));
        Assert.Equal(calls, Tracker.Asked.Count);

        // A period before the workshop has none of it.
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var empty = await Read<TeamActualsDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/insights/actuals?from={yesterday.AddDays(-9):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}", Cancel));
        Assert.Equal((0, 0), (empty.Linked, empty.Buckets.Count));
    }

    [Fact]
    public async Task TenDoneStoriesWhoseDaysGoAgainstTheirEstimates_AreDrifting()
    {
        await using var acme = await Acme.MakeAsync(App);
        var team = await TeamTrackerAsync(acme, "d1");
        string[] cards = ["1", "2", "3", "5", "8", "13", "21", "34", "55", "89"];
        await PlayAsync(acme, team, "Sprint 2", [.. cards.Select((card, i) => ($"d1-{i}", card))]);

        // The bigger the estimate, the sooner done (10 − i days): ranks exactly reversed, ρ = −1.
        var accepted = await AcceptedAtAsync("d1-");
        for (var i = 0; i < cards.Length; i++)
        {
            Tracker.Answers[$"d1-{i}"] = new TrackerActual($"d1-{i}", accepted[$"d1-{i}"].AddDays(10 - i), null);
        }

        Assert.Equal(10, (await Read<ActualsRefreshDto>(await acme.Owner.Http.PostAsync($"{acme.TeamPath}/insights/actuals/refresh", null, Cancel))).FoundDone);

        var actuals = await Read<TeamActualsDto>(await acme.Owner.Http.GetAsync($"{acme.TeamPath}/insights/actuals", Cancel));
        Assert.Equal(-1, actuals.Correlation!.Value, 9);
        Assert.True(actuals.Drifting);
        Assert.Equal(cards, actuals.Buckets.Select(b => b.Card)); // deck order

        // The organisation's owner sees it among the teams side by side.
        var org = await Read<OrganisationInsightsDto>(await acme.Owner.Http.GetAsync($"{acme.Path}/insights", Cancel));
        var line = Assert.Single(org.Teams, t => t.TeamId == acme.Team);
        Assert.Equal((10, true), (line.DoneInTracker, line.ActualsDrifting));
        Assert.Equal(-1, line.ActualsCorrelation!.Value, 9);
    }

    [Fact]
    public async Task AFailingTracker_LeavesItsStoriesUnchecked_UntilItAnswers_AndOneThatKeepsNothingMarksThemChecked()
    {
        await using var acme = await Acme.MakeAsync(App);
        var team = await TeamTrackerAsync(acme, "f1");
        await PlayAsync(acme, team, "Sprint 3", [("f1-1", "5"), ("f1-2", "8")]);
        var refreshPath = $"{acme.TeamPath}/insights/actuals/refresh";

        Tracker.Failures["f1-"] = new TrackerFailure(TrackerFailureKind.Unavailable, "503 Service Unavailable");
        Assert.Equal(new ActualsRefreshDto(0, 0, 1), await Read<ActualsRefreshDto>(await acme.Owner.Http.PostAsync(refreshPath, null, Cancel)));
        Assert.All(await FactsAsync("f1-"), f => Assert.Equal((null, null), (f.ActualsCheckedAt, f.DoneAt)));

        Tracker.Failures["f1-"] = new TrackerFailure(TrackerFailureKind.CannotHold, "GitLab does not say when stories are done yet");
        Assert.Equal(new ActualsRefreshDto(2, 0, 0), await Read<ActualsRefreshDto>(await acme.Owner.Http.PostAsync(refreshPath, null, Cancel)));
        Assert.All(await FactsAsync("f1-"), f => Assert.NotNull(f.ActualsCheckedAt));
        var actuals = await Read<TeamActualsDto>(await acme.Owner.Http.GetAsync($"{acme.TeamPath}/insights/actuals", Cancel));
        Assert.Equal((2, 0), (actuals.Linked, actuals.Done));
    }

    [Fact]
    public async Task MembersRead_ManagersRefresh_OthersNeither()
    {
        await using var acme = await Acme.MakeAsync(App);
        var read = $"{acme.TeamPath}/insights/actuals";
        var refresh = $"{read}/refresh";

        Assert.False((await Read<TeamActualsDto>(await acme.Max.Http.GetAsync(read, Cancel))).MayRefresh);
        Assert.True((await Read<TeamActualsDto>(await acme.Owner.Http.GetAsync(read, Cancel))).MayRefresh);
        await ProblemAssert.IsAsync(await acme.Max.Http.PostAsync(refresh, null, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Mia.Http.GetAsync(read, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Mia.Http.PostAsync(refresh, null, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.GetAsync(read, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.PostAsync(refresh, null, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        await ProblemAssert.IsAsync(await acme.Owner.Http.GetAsync($"{read}?from=2026-05-01&to=2026-04-01", Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.True((await acme.Owner.Http.PostAsync(refresh, null, Cancel)).IsSuccessStatusCode);
    }

    /// <summary>A GitLab connection of the team, to a project of its own (the double's issues are per project).</summary>
    private static async Task<(Guid Id, string Scope)> TeamTrackerAsync(Acme acme, string prefix)
    {
        var scope = $"acme/{prefix}";
        var made = await Read<TrackerConnectionDto>(
            await acme.Owner.Http.PostAsJsonAsync(acme.TrackersPath, new SaveTrackerConnectionRequest("GitLab", $"GitLab {prefix}", "https://gitlab.example.com", "glpat-secret", Scope: scope), Cancel),
            HttpStatusCode.Created);
        return (made.Id, scope);
    }

    /// <summary>
    /// A team room whose backlog is imported from the connection (the double's issues of the prefix) plus a story typed
    /// by hand; each story estimated at its card in one round by the owner and Alice.
    /// </summary>
    private async Task PlayAsync(Acme acme, (Guid Id, string Scope) connection, string name, (string Key, string Card)[] stories, (string Title, string Card)? typed = null)
    {
        Tracker.Issues[connection.Scope] = [.. stories.Select(s => new TrackerIssue(s.Key, $"Issue {s.Key}", null, null, "Issue", "opened", null))];
        var room = await acme.OpenRoomAsync(acme.Owner, name);
        using (var http = App.Http())
        {
            using var import = new HttpRequestMessage(HttpMethod.Post, $"/api/rooms/{room.RoomId}/stories/import") { Content = JsonContent.Create(new ImportFromTrackerRequest(connection.Id)) };
            import.Headers.Authorization = new AuthenticationHeaderValue("Bearer", room.Token);
            import.Headers.Add("X-Planning-Poker", "1");
            var imported = await http.SendAsync(import, Cancel);
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync(Cancel));
        }

        var alice = await App.JoinAsync(room.RoomId, "Alice");
        await using var owner = await App.ConnectAsync("Olga");
        await using var guest = await App.ConnectAsync("Alice");
        await owner.JoinAsync(room.RoomId, room.Token);
        await guest.JoinAsync(room.RoomId, alice.Token);
        if (typed is { } hand)
        {
            await owner.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new($"Typed by hand {hand.Title}", ExternalKey: hand.Title) });
        }

        var view = await owner.GetViewAsync();
        foreach (var (key, card) in stories.Append((typed?.Title ?? "", typed?.Card ?? "")).Where(s => s.Item1.Length > 0))
        {
            await owner.InvokeAsync(nameof(IRoomHub.StartRound), (int?)view.Stories.Single(s => s.ExternalKey == key).Id);
            await owner.InvokeAsync(nameof(IRoomHub.CastVote), card);
            await guest.InvokeAsync(nameof(IRoomHub.CastVote), card);
            await owner.InvokeAsync(nameof(IRoomHub.Reveal));
            await owner.InvokeAsync(nameof(IRoomHub.Accept), card);
        }
    }

    private async Task<List<StoryFactsRow>> FactsAsync(string prefix)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>().CreateDbContextAsync(Cancel);
        return await db.Set<StoryFactsRow>().AsNoTracking().Where(f => f.ExternalKey != null && f.ExternalKey.StartsWith(prefix)).ToListAsync(Cancel);
    }

    private async Task<Dictionary<string, DateTimeOffset>> AcceptedAtAsync(string prefix) =>
        (await FactsAsync(prefix)).ToDictionary(f => f.ExternalKey!, f => DateTimeOffset.FromUnixTimeMilliseconds(f.AcceptedAt));

    private static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode? status = null)
    {
        Assert.True(status is null ? response.IsSuccessStatusCode : response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancel))!;
    }

}

/// <summary>An app of its own whose GitLab client is <see cref="ActualsTracker"/>; the provider is the subclass's.</summary>
public abstract class ActualsSite : IAsyncLifetime
{
    public ActualsTracker Tracker { get; } = new();

    public PokerApp App { get; private set; } = null!;

    public string? SkipReason { get; protected set; }

    public async ValueTask InitializeAsync()
    {
        var app = new PokerApp
        {
            ConfigureServices = services =>
            {
                services.RemoveAll<ITrackerClient>();
                services.AddSingleton<ITrackerClient>(Tracker);
            },
        };
        app.Settings["Trackers:Actuals:Interval"] = "7.00:00:00"; // only the refreshes ask, when the test says
        await ConfigureAsync(app);
        if (SkipReason is null)
        {
            await app.InitializeAsync();
            App = app;
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Sets the provider up; sets <see cref="SkipReason"/> when it cannot.</summary>
    protected abstract ValueTask ConfigureAsync(PokerApp app);
}

/// <summary>A GitLab that holds the issues a test gives it and answers the actuals it is told to (keys it is not told of are unknown).</summary>
public sealed class ActualsTracker : ITrackerClient
{
    public ConcurrentDictionary<string, TrackerIssue[]> Issues { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TrackerActual> Answers { get; } = new(StringComparer.Ordinal);

    /// <summary>Failures by key prefix: a call with a key of the prefix fails so.</summary>
    public ConcurrentDictionary<string, TrackerFailure> Failures { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string[]> Asked { get; } = new();

    public TrackerKind Kind => TrackerKind.GitLab;

    public Task<TrackerResult<TrackerCheck>> CheckAsync(TrackerConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult(TrackerResult<TrackerCheck>.Ok(new TrackerCheck("tester", true, true, "weight", [])));

    public Task<TrackerResult<TrackerPage>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken) =>
        Task.FromResult(TrackerResult<TrackerPage>.Ok(new TrackerPage(Issues.GetValueOrDefault(connection.Scope ?? "") ?? [], null, null)));

    public Task<TrackerResult<WriteBackDone>> WriteEstimateAsync(TrackerConnection connection, string issueKey, EstimateToWrite estimate, CancellationToken cancellationToken) =>
        Task.FromResult(TrackerResult<WriteBackDone>.Ok(new WriteBackDone(null, "weight")));

    public Task<TrackerResult<IReadOnlyList<TrackerActual>>> ActualsAsync(TrackerConnection connection, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        Asked.Enqueue([.. keys]);
        Assert.True(keys.Count <= ITrackerClient.MaxActualKeys);
        if (Failures.FirstOrDefault(f => keys.Any(k => k.StartsWith(f.Key, StringComparison.Ordinal))).Value is { } failure)
        {
            return Task.FromResult(TrackerResult<IReadOnlyList<TrackerActual>>.Fail(failure));
        }

        return Task.FromResult(TrackerResult<IReadOnlyList<TrackerActual>>.Ok([.. keys.Select(k => Answers.GetValueOrDefault(k)).OfType<TrackerActual>()]));
    }
}
