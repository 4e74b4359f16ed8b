using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;
using PlanningPoker.Server.Tests.Identity;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;
using WriteBackState = PlanningPoker.Contracts.WriteBackState;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// A person's own tracker connections (<c>/api/account/trackers</c>) on a real Kestrel against a fake GitLab on
/// loopback: made, listed without their secret, changed and deleted by their owner only; offered in any room where
/// the owner's account holds a facilitator's seat, previewed, imported from, and written back to; gone with the account.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PersonalTrackerConnectionsTests(PokerApp app)
{
    private const string Path = "/api/account/trackers";

    [Fact]
    public async Task APersonalConnection_IsMadeListedWithoutItsSecret_CheckedChangedAndDeleted_ByItsOwnerOnly()
    {
        await using var gitlab = await FakeGitLab.StartAsync(token: "glpat-" + Guid.NewGuid().ToString("N"));
        gitlab.Seed(3);
        using var ada = await Person.SignUpAsync(app, "Ada");
        using var bob = await Person.SignUpAsync(app, "Bob");

        var made = await Read<TrackerConnectionDto>(await ada.Http.PostAsJsonAsync(Path, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        Assert.Equal(("GitLab", "Mine", true), (made.Kind, made.Name, made.HasSecret));

        var listed = await ada.Http.GetAsync(Path, Cancel);
        var text = await listed.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.DoesNotContain(gitlab.Token, text, StringComparison.Ordinal);
        Assert.Equal(made.Id, Assert.Single(JsonSerializer.Deserialize<TrackerConnectionDto[]>(text, JsonSerializerOptions.Web)!).Id);
        Assert.True((await Read<TrackerCheckDto>(await ada.Http.PostAsync($"{Path}/{made.Id}/check", null, Cancel))).CanRead);
        Assert.Equal(3, (await Read<TrackerSearchPageDto>(await ada.Http.PostAsJsonAsync($"{Path}/{made.Id}/search", new TrackerSearchRequest(), Cancel))).Issues.Count);

        // The same validation as a team's: a bad request, and a move elsewhere without the secret, are refused.
        await ProblemAssert.IsAsync(await ada.Http.PostAsJsonAsync(Path, GitLab(gitlab) with { Scope = null }, Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        await ProblemAssert.IsAsync(
            await ada.Http.PutAsJsonAsync($"{Path}/{made.Id}", GitLab(gitlab) with { BaseUrl = "https://attacker.example", Secret = null }, Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var renamed = await Read<TrackerConnectionDto>(await ada.Http.PutAsJsonAsync($"{Path}/{made.Id}", GitLab(gitlab) with { Name = "Web", Secret = null }, Cancel));
        Assert.Equal(("Web", true), (renamed.Name, renamed.HasSecret));
        Assert.DoesNotContain(gitlab.Token, JsonSerializer.Serialize(renamed), StringComparison.Ordinal);

        // Bob sees none of it and reaches none of it.
        Assert.Empty(await bob.Http.GetFromJsonAsync<TrackerConnectionDto[]>(Path, Cancel) ?? []);
        await ProblemAssert.IsAsync(await bob.Http.PostAsync($"{Path}/{made.Id}/check", null, Cancel), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
        await ProblemAssert.IsAsync(await bob.Http.PostAsJsonAsync($"{Path}/{made.Id}/search", new TrackerSearchRequest(), Cancel), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
        await ProblemAssert.IsAsync(await bob.Http.PutAsJsonAsync($"{Path}/{made.Id}", GitLab(gitlab), Cancel), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
        await ProblemAssert.IsAsync(await bob.Http.DeleteAsync($"{Path}/{made.Id}", Cancel), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);

        // Signed out: nothing; without the CSRF header: refused.
        using (var anonymous = Person.Anonymous(app))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync(Path, Cancel)).StatusCode);
        }

        using (var noHeader = Person.Client(app, csrfHeader: false))
        {
            await ProblemAssert.IsAsync(await noHeader.PostAsJsonAsync(Path, GitLab(gitlab), Cancel), HttpStatusCode.Forbidden, ErrorCodes.CsrfCheckFailed);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await ada.Http.DeleteAsync($"{Path}/{made.Id}", Cancel)).StatusCode);
        Assert.Empty(await ada.Http.GetFromJsonAsync<TrackerConnectionDto[]>(Path, Cancel) ?? []);
        await ProblemAssert.IsAsync(await ada.Http.DeleteAsync($"{Path}/{made.Id}", Cancel), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
    }

    [Fact]
    public async Task AnAccount_KeepsAtMostItsLimit()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        using var ada = await Person.SignUpAsync(app, "Ada");
        var limited = ActivatorUtilities.CreateInstance<TrackerConnectionService>(app.Services, Options.Create(new TrackerOptions { AllowHttp = true, MaxConnectionsPerAccount = 1 }));

        Assert.True((await limited.CreateAsync(ada.Id, TrackerOwner.Personal, GitLab(gitlab))).IsSuccess);
        var refused = await limited.CreateAsync(ada.Id, TrackerOwner.Personal, GitLab(gitlab));

        Assert.Equal(ErrorCodes.LimitExceeded, refused.ErrorCode);
    }

    [Fact]
    public async Task AnAdHocRoomsFacilitator_SeesTheirOwnConnection_PreviewsAndImports_AGuestSeatAndAnotherAccountDoNot()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        gitlab.Seed(12);
        using var ada = await Person.SignUpAsync(app, "Ada");
        using var bob = await Person.SignUpAsync(app, "Bob");
        var mine = await Read<TrackerConnectionDto>(await ada.Http.PostAsJsonAsync(Path, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        var bobs = await Read<TrackerConnectionDto>(await bob.Http.PostAsJsonAsync(Path, GitLab(gitlab) with { Name = "Bob's" }, Cancel), HttpStatusCode.Created);

        // Ada opens an ad-hoc room signed in: her seat is her account's.
        var room = await Read<CreateRoomResponse>(await ada.Http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Sprint 1", "Ada"), Cancel), HttpStatusCode.Created);
        using var listed = await SendAsync(HttpMethod.Get, $"/api/rooms/{room.RoomId}/trackers", room.Token);
        var text = await listed.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal([new RoomTrackerDto(mine.Id, "GitLab", "Mine", gitlab.ProjectPath, Personal: true)], JsonSerializer.Deserialize<RoomTrackerDto[]>(text, JsonSerializerOptions.Web)!);
        Assert.Contains("\"personal\":true", text, StringComparison.Ordinal);

        var preview = await Read<TrackerSearchPageDto>(await SendAsync(HttpMethod.Post, $"/api/rooms/{room.RoomId}/trackers/{mine.Id}/search", room.Token, new TrackerSearchRequest(PageSize: 5)));
        Assert.Equal((5, 12), (preview.Issues.Count, preview.Total));
        var imported = await Read<ImportReportDto>(await SendAsync(HttpMethod.Post, $"/api/rooms/{room.RoomId}/stories/import", room.Token, new ImportFromTrackerRequest(mine.Id)));
        Assert.Equal((12, 0, 0), (imported.Added, imported.Updated, imported.Unchanged));

        // Bob's connection is not Ada's to use, in her room.
        await ProblemAssert.IsAsync(
            await SendAsync(HttpMethod.Post, $"/api/rooms/{room.RoomId}/trackers/{bobs.Id}/search", room.Token, new TrackerSearchRequest()), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);
        await ProblemAssert.IsAsync(
            await SendAsync(HttpMethod.Post, $"/api/rooms/{room.RoomId}/stories/import", room.Token, new ImportFromTrackerRequest(bobs.Id)), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);

        // A guest's facilitator seat (no account) is offered none, and reaches none.
        var guest = await app.CreateRoomAsync();
        Assert.Empty(await Read<RoomTrackerDto[]>(await SendAsync(HttpMethod.Get, $"/api/rooms/{guest.RoomId}/trackers", guest.Token)));
        await ProblemAssert.IsAsync(
            await SendAsync(HttpMethod.Post, $"/api/rooms/{guest.RoomId}/stories/import", guest.Token, new ImportFromTrackerRequest(mine.Id)), HttpStatusCode.NotFound, ErrorCodes.TrackerConnectionNotFound);

        // Bob, seated in Ada's room as a voter, is no facilitator there.
        var bobSeat = await Read<JoinRoomResponse>(await bob.Http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Bob"), Cancel));
        await ProblemAssert.IsAsync(await SendAsync(HttpMethod.Get, $"/api/rooms/{room.RoomId}/trackers", bobSeat.Token), HttpStatusCode.Forbidden, ErrorCodes.NotFacilitator);
    }

    [Fact]
    public async Task DeletingTheAccount_DeletesItsConnections()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        using var ada = await Person.SignUpAsync(app, "Ada");
        var first = await Read<TrackerConnectionDto>(await ada.Http.PostAsJsonAsync(Path, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        await Read<TrackerConnectionDto>(await ada.Http.PostAsJsonAsync(Path, GitLab(gitlab) with { Name = "Second" }, Cancel), HttpStatusCode.Created);
        Assert.Equal(2, await RowsOfAsync(ada.Id));

        Assert.Equal(HttpStatusCode.NoContent, (await ada.Http.PostAsync("/api/account/delete", null, Cancel)).StatusCode);

        Assert.Equal(0, await RowsOfAsync(ada.Id));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>().CreateDbContextAsync(Cancel);
        Assert.False(await db.Set<TrackerConnectionRow>().AnyAsync(c => c.Id == first.Id, Cancel));
    }

    [Fact]
    public async Task AConnectionRow_HasExactlyOneOwner_ATeamOrAnAccount()
    {
        using var ada = await Person.SignUpAsync(app, "Ada");
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>().CreateDbContextAsync(Cancel);
        var now = DateTimeOffset.UtcNow;
        var organisation = new OrganisationRow { Id = Guid.NewGuid(), Name = "Acme", CreatedAt = now };
        var team = new TeamRow { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Name = "Web", CreatedAt = now };
        db.AddRange(organisation, team);
        await db.SaveChangesAsync(Cancel);

        foreach (var (teamId, owner) in new (Guid?, Guid?)[] { (null, null), (team.Id, ada.Id) })
        {
            db.ChangeTracker.Clear();
            db.Add(Row(teamId, owner));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Cancel));
        }

        db.ChangeTracker.Clear();
        db.AddRange(Row(team.Id, null), Row(null, ada.Id));
        await db.SaveChangesAsync(Cancel);

        TrackerConnectionRow Row(Guid? teamId, Guid? owner) => new()
        {
            Id = Guid.NewGuid(),
            TeamId = teamId,
            OwnerAccountId = owner,
            Kind = TrackerKind.GitLab,
            Name = "GitLab",
            BaseUrl = "https://gitlab.com",
            ProtectedSecret = "x",
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    [Fact]
    public async Task AnEstimateAcceptedOnAStoryImportedThroughAPersonalConnection_IsWrittenBack_AndFailsWithAReasonOnceItIsDeleted()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        var (first, second) = (gitlab.Add("Checkout"), gitlab.Add("Refunds"));
        using var ada = await Person.SignUpAsync(app, "Ada");
        var mine = await Read<TrackerConnectionDto>(await ada.Http.PostAsJsonAsync(Path, GitLab(gitlab), Cancel), HttpStatusCode.Created);
        var room = await Read<CreateRoomResponse>(await ada.Http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Sprint 1", "Ada", Settings: new RoomSettingsDto(FacilitatorsVote: false)), Cancel), HttpStatusCode.Created);
        await Read<ImportReportDto>(await SendAsync(HttpMethod.Post, $"/api/rooms/{room.RoomId}/stories/import", room.Token, new ImportFromTrackerRequest(mine.Id)));
        var joined = await app.JoinAsync(room.RoomId, "Alice");

        await using var facilitator = await app.ConnectAsync("Ada");
        await using var voter = await app.ConnectAsync("Alice");
        var view = await facilitator.JoinAsync(room.RoomId, room.Token);
        await voter.JoinAsync(room.RoomId, joined.Token);
        var stories = view.Stories.ToDictionary(s => s.ExternalKey!, s => s.Id);

        await EstimateAsync(facilitator, voter, stories[$"{gitlab.ProjectPath}#{first}"], "8");
        await WaitForWriteBackAsync(facilitator, stories[$"{gitlab.ProjectPath}#{first}"], WriteBackState.Written);
        Assert.Equal(8, gitlab.Issues[first].Weight);

        // The connection deleted, the next estimate fails with a reason instead of being written (and nothing crashes).
        Assert.Equal(HttpStatusCode.NoContent, (await ada.Http.DeleteAsync($"{Path}/{mine.Id}", Cancel)).StatusCode);
        await EstimateAsync(facilitator, voter, stories[$"{gitlab.ProjectPath}#{second}"], "5");
        var failed = await WaitForWriteBackAsync(facilitator, stories[$"{gitlab.ProjectPath}#{second}"], WriteBackState.Failed);
        Assert.Contains("removed", failed.Reason, StringComparison.Ordinal);
        Assert.Null(gitlab.Issues[second].Weight);
    }

    private static async Task EstimateAsync(TestClient facilitator, TestClient voter, int storyId, string card)
    {
        await facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)storyId);
        await voter.InvokeAsync(nameof(IRoomHub.CastVote), card);
        await facilitator.InvokeAsync(nameof(IRoomHub.Reveal));
        await facilitator.InvokeAsync(nameof(IRoomHub.Accept), card);
    }

    private static async Task<WriteBackDto> WaitForWriteBackAsync(TestClient facilitator, int storyId, WriteBackState state)
    {
        await facilitator.WaitUntilAsync(_ => facilitator.ViewFromPushes().Stories.Single(s => s.Id == storyId).WriteBack?.State == state);
        var fresh = (await facilitator.GetViewAsync()).Stories.Single(s => s.Id == storyId).WriteBack;
        Assert.NotNull(fresh);
        Assert.Equal(state, fresh.State);
        return fresh;
    }

    private async Task<int> RowsOfAsync(Guid account)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>().CreateDbContextAsync(Cancel);
        return await db.Set<TrackerConnectionRow>().CountAsync(c => c.OwnerAccountId == account, Cancel);
    }

    private static SaveTrackerConnectionRequest GitLab(FakeGitLab gitlab) =>
        new("GitLab", "Mine", gitlab.Host.BaseUrl.ToString(), gitlab.Token, Scope: gitlab.ProjectPath);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var http = app.Http();
        using var message = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(message, Cancel);
        await response.Content.LoadIntoBufferAsync(Cancel);
        return response;
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode? status = null)
    {
        Assert.True(status is null ? response.IsSuccessStatusCode : response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
