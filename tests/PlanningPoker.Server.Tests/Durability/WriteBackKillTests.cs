using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Testing;
using PlanningPoker.Tests.Trackers;
using WriteBackState = PlanningPoker.Contracts.WriteBackState;

namespace PlanningPoker.Server.Tests.Durability;

/// <summary>
/// The write-back outbox under kill -9: estimates accepted while the tracker is down are queued with their accepts;
/// the server is killed while it keeps trying; after a restart every one reaches the tracker once, with the accepted
/// value, and the room shows them written.
/// </summary>
[Trait("Category", "Slow")]
public sealed class WriteBackKillTests
{
    private const int Stories = 8;

    /// <summary>How long the worker has to deliver: its polls are 100 ms, its back-off at most 300 ms, a restart a few seconds.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryAcceptedEstimate_ReachesTheTrackerOnce_AcrossAKillNine()
    {
        var data = Directory.CreateTempSubdirectory("poker-writeback-").FullName;
        var database = Path.Combine(data, "poker.db");
        var log = new StringBuilder();
        var settings = new Dictionary<string, string>
        {
            ["Trackers__WriteBack__PollInterval"] = "00:00:00.100",
            ["Trackers__WriteBack__Backoff"] = "00:00:00.050",
            ["Trackers__WriteBack__MaxBackoff"] = "00:00:00.300",
            ["Trackers__WriteBack__MaxAttempts"] = "100",
            ["Trackers__WriteBack__Lease"] = "00:00:05",
        };
        await using var gitlab = await FakeGitLab.StartAsync();
        var iids = Enumerable.Range(0, Stories).Select(i => gitlab.Add($"Story {i}")).ToArray();
        ServerProcess? server = null;
        TestClient? fanny = null;
        try
        {
            // A room, then (server stopped hard) its backlog imported from the team's GitLab, written as the import would.
            server = await ServerProcess.StartAsync(data, log, settings);
            var room = await CreateRoomAsync(server.BaseAddress);
            await server.KillAsync();
            await server.DisposeAsync();
            await SeedTrackerBacklogAsync(database, room.RoomId, gitlab, iids);

            // The tracker is down; every estimate is accepted (acknowledged, so committed with its write-back).
            for (var i = 0; i < 10_000; i++)
            {
                gitlab.Host.Fail(new FakeFault(503, /*lang=json,strict*/ """{"message":"503 Service Unavailable"}""", Matches: r => r.Method == "PUT"));
            }

            server = await ServerProcess.StartAsync(data, log, settings);
            fanny = await TestClient.ConnectAsync(server.BaseAddress, "Fanny");
            var stories = (await fanny.JoinAsync(room.RoomId, room.Token)).Stories.Select(s => s.Id).ToArray();
            var accepted = new Dictionary<int, int>();
            for (var i = 0; i < Stories; i++)
            {
                var card = new[] { "1", "2", "3", "5", "8", "13" }[i % 6];
                await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[i]);
                await fanny.InvokeAsync(nameof(IRoomHub.CastVote), card);
                await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
                await fanny.InvokeAsync(nameof(IRoomHub.Accept), card);
                accepted[iids[i]] = int.Parse(card, System.Globalization.CultureInfo.InvariantCulture);
            }

            // Let the worker try (and fail) a few times, then kill it in the middle of that.
            await gitlab.Host.WaitUntilAsync(() => gitlab.Host.Requests.Count(r => r.Method == "PUT") >= Stories * 2, Patience, Cancel);
            await fanny.DisposeAsync();
            fanny = null;
            await server.KillAsync();
            await server.DisposeAsync();
            Assert.All(iids, iid => Assert.Null(gitlab.Issues[iid].Weight));

            // The tracker is back; a new server delivers everything.
            gitlab.Host.ClearFaults();
            server = await ServerProcess.StartAsync(data, log, settings);
            await gitlab.Host.WaitUntilAsync(() => iids.All(iid => gitlab.Issues[iid].Weight is not null), Patience, Cancel);

            Assert.All(iids, iid => Assert.Equal(accepted[iid], gitlab.Issues[iid].Weight));
            Assert.All(iids, iid => Assert.Equal(1, gitlab.WritesTo($"{gitlab.ProjectPath}#{iid}")));
            fanny = await TestClient.ConnectAsync(server.BaseAddress, "Fanny");
            await fanny.JoinAsync(room.RoomId, room.Token);
            await fanny.WaitUntilAsync(_ => fanny.ViewFromPushes().Stories.All(s => s.WriteBack?.State == WriteBackState.Written));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- server output ---{Environment.NewLine}{log}", ex);
        }
        finally
        {
            if (fanny is not null)
            {
                await fanny.DisposeAsync();
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }

            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Cleaned by the system later.
            }
        }
    }

    /// <summary>A team with a GitLab connection (its token protected with the server's Data Protection keys, in the same database), owning the room, whose backlog is the issues.</summary>
    private static async Task SeedTrackerBacklogAsync(string database, string roomId, FakeGitLab gitlab, int[] iids)
    {
        var connectionString = $"Data Source={database}";
        await using var services = new ServiceCollection()
            .AddDbContext<SqlitePokerDbContext>(o => PokerDbContext.UseModelServices((DbContextOptionsBuilder<SqlitePokerDbContext>)o).UseSqlite(connectionString))
            .AddDataProtection().SetApplicationName("PlanningPoker").PersistKeysToDbContext<SqlitePokerDbContext>().Services
            .BuildServiceProvider();
        var secret = services.GetRequiredService<IDataProtectionProvider>().CreateProtector(TrackerConnectionService.SecretPurpose).Protect(gitlab.Token);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SqlitePokerDbContext>();
        var now = DateTimeOffset.UtcNow;
        var organisation = new OrganisationRow { Id = Guid.NewGuid(), Name = "Acme", CreatedAt = now };
        var team = new TeamRow { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Name = "Web", CreatedAt = now };
        var connection = new TrackerConnectionRow
        {
            Id = Guid.NewGuid(),
            TeamId = team.Id,
            Kind = TrackerKind.GitLab,
            Name = "GitLab",
            BaseUrl = gitlab.Host.BaseUrl.ToString(),
            Scope = gitlab.ProjectPath,
            ProtectedSecret = secret,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.AddRange(organisation, team, connection, new TeamRoomRow { RoomId = roomId, TeamId = team.Id, AttachedAt = now });
        for (var i = 0; i < iids.Length; i++)
        {
            db.Add(new StoryRow
            {
                RoomId = roomId,
                Id = i + 1,
                Position = i,
                Title = gitlab.Issues[iids[i]].Title,
                ExternalKey = $"{gitlab.ProjectPath}#{iids[i]}",
                State = Domain.StoryState.Pending,
                Source = connection.Id.ToString("D"),
            });
        }

        await db.SaveChangesAsync(Cancel);
        await db.Set<RoomRow>().Where(r => r.Id == roomId).ExecuteUpdateAsync(s => s.SetProperty(r => r.NextStoryId, iids.Length + 1), Cancel);
    }

    private static async Task<CreateRoomResponse> CreateRoomAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var response = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Write-back", "Fanny"), Cancel).WaitAsync(TestClient.Timeout, Cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreateRoomResponse>(Cancel))!;
    }
}
