using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>
/// Deleting an account on a real Kestrel: the person becomes "Former member" in every room they sat in (seat vacated,
/// votes kept, the row no longer names them or their account, on disk too), every way in stops working, and an owner
/// hands their organisation over first.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AccountDeletionTests(PokerApp app)
{
    private const string Former = "Former member";

    [Fact]
    public async Task ADeletedAccount_IsAFormerMemberInEveryRoom_WithItsVotesKept_AndNothingOpensForItAnyMore()
    {
        var room = await app.CreateRoomAsync("Sprint 12", "Olga");
        var other = await app.CreateRoomAsync("Sprint 11", "Olga");
        using var mia = await Person.SignUpAsync(app, "Mia");
        var token = await Read<ApiTokenDto>(await mia.Http.PostAsJsonAsync("/api/account/tokens", new CreateApiTokenRequest("ci", ApiTokenScope.Write), Cancel));

        // Mia votes 8 in a revealed, accepted round and is still seated; in the other room she voted and left.
        var seat = await JoinAsync(mia, room.RoomId);
        await using var olga = await app.ConnectAsync("Olga");
        await olga.JoinAsync(room.RoomId, room.Token);
        await using (var miaHub = await app.ConnectAsync("Mia"))
        {
            await miaHub.JoinAsync(room.RoomId, seat.Token);
            await olga.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
            await miaHub.InvokeAsync(nameof(IRoomHub.CastVote), "8");
            await olga.InvokeAsync(nameof(IRoomHub.CastVote), "5");
            await olga.InvokeAsync(nameof(IRoomHub.Reveal));
        }

        var left = await JoinAsync(mia, other.RoomId);
        await using (var miaHub = await app.ConnectAsync("Mia"))
        {
            await miaHub.JoinAsync(other.RoomId, left.Token);
            await miaHub.InvokeAsync(nameof(IRoomHub.Leave));
        }

        var deleted = await mia.Http.PostAsync("/api/account/delete", null, Cancel);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var gone = await olga.WaitForAsync<ParticipantAnonymisedDto>(a => a.ParticipantId == seat.ParticipantId);
        Assert.Equal(Former, gone.Name);
        var view = await olga.GetViewAsync();
        Assert.DoesNotContain(view.Participants, p => p.Id == seat.ParticipantId);
        await olga.WaitForVersionAsync(view.Version);
        Assert.Equal(Realtime.HubAssert.Json(view), Realtime.HubAssert.Json(olga.ViewFromPushes())); // the pushes tell it all
        var summary = await (await app.Http().GetAsBearerAsync($"/api/rooms/{room.RoomId}/summary", room.Token)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains($"\"name\":\"{Former}\",\"card\":\"8\"", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Mia", summary, StringComparison.Ordinal);

        // On disk: no row names her or her account; her vote is there.
        await using (var db = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly"))
        {
            await db.OpenAsync(Cancel);
            var rows = await QueryAsync(db, $"SELECT room_id, name, coalesce(account_id, ''), coalesce(token_hash, '') FROM participants WHERE room_id IN ('{room.RoomId}', '{other.RoomId}') AND id IN ({seat.ParticipantId}, {left.ParticipantId})");
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal((Former, "", ""), (r[1], r[2], r[3])));
            Assert.Empty(await QueryAsync(db, $"SELECT 1 FROM participants WHERE room_id IN ('{room.RoomId}', '{other.RoomId}') AND (account_id IS NOT NULL OR name = 'Mia')"));
            Assert.Single(await QueryAsync(db, $"SELECT 1 FROM votes WHERE room_id = '{room.RoomId}' AND participant_id = {seat.ParticipantId} AND card_label = '8'"));
        }

        // Nothing opens for her: this browser is signed out, the password and the token are refused, the seat's token too.
        await ProblemAssert.IsAsync(await mia.Http.GetAsync("/api/account/me", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
        await ProblemAssert.IsAsync(
            await mia.Http.PostAsJsonAsync("/api/account/sign-in", new SignInRequest(mia.Email, Person.Password), Cancel), HttpStatusCode.Unauthorized, ErrorCodes.SignInFailed);
        using var script = app.Http();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/orgs", Cancel)).StatusCode);
        await using var stale = await app.ConnectAsync("Mia");
        await Realtime.HubAssert.RefusedAsync(ErrorCodes.InvalidToken, () => stale.JoinAsync(room.RoomId, seat.Token));
    }

    [Fact]
    public async Task AnOwner_HandsTheirOrganisationOverFirst_ThenGoes_AndTheOrganisationKeepsItsOtherMembers()
    {
        using var olga = await Person.SignUpAsync(app, "Olga");
        using var max = await Person.SignUpAsync(app, "Max");
        var org = await Read<OrganisationDto>(await olga.Http.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("Acme"), Cancel));
        var link = await Read<InvitationDto>(await olga.Http.PostAsJsonAsync($"/api/orgs/{org.Id}/invitations", new CreateInvitationRequest(), Cancel));
        await Read<OrganisationDto>(await max.Http.PostAsJsonAsync("/api/invitations/accept", new InvitationTokenRequest(link.Token!), Cancel));

        var refused = await ProblemAssert.IsAsync(await olga.Http.PostAsync("/api/account/delete", null, Cancel), HttpStatusCode.Conflict, ErrorCodes.LastOwner);

        Assert.Contains("Acme", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await olga.Http.GetAsync("/api/account/me", Cancel)).StatusCode);
        Assert.True((await olga.Http.PostAsJsonAsync($"/api/orgs/{org.Id}/transfer", new TransferOwnershipRequest(max.Id), Cancel)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await olga.Http.PostAsync("/api/account/delete", null, Cancel)).StatusCode);
        var members = await max.Http.GetFromJsonAsync<MemberDto[]>($"/api/orgs/{org.Id}/members", Cancel);
        Assert.Equal([(max.Id, OrganisationRole.Owner)], members!.Select(m => (m.AccountId, m.Role)));
    }

    [Fact]
    public async Task DeletingAnAccount_TakesTheSignInCookieAndTheCsrfHeader_NotATokenNorAnotherSite()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        var token = await Read<ApiTokenDto>(await ann.Http.PostAsJsonAsync("/api/account/tokens", new CreateApiTokenRequest("ci", ApiTokenScope.Write), Cancel));
        using var script = app.Http();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        await ProblemAssert.IsAsync(await script.PostAsync("/api/account/delete", null, Cancel), HttpStatusCode.Forbidden, ErrorCodes.SignInRequired);
        await ProblemAssert.IsAsync(await app.Http().PostAsync("/api/account/delete", null, Cancel), HttpStatusCode.Forbidden, ErrorCodes.CsrfCheckFailed);
        using var nobody = Person.Anonymous(app);
        await ProblemAssert.IsAsync(await nobody.Http.PostAsync("/api/account/delete", null, Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);

        Assert.Equal(HttpStatusCode.OK, (await ann.Http.GetAsync("/api/account/me", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/orgs", Cancel)).StatusCode);
    }

    private static async Task<JoinRoomResponse> JoinAsync(Person person, string roomId) =>
        await Read<JoinRoomResponse>(await person.Http.PostAsJsonAsync($"/api/rooms/{roomId}/participants", new JoinRoomRequest(null!), Cancel));

    private static async Task<List<string[]>> QueryAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(Cancel))
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }

    private static async Task<T> Read<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
