using System.Net;
using System.Net.Http.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Identity;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Realtime;

namespace PlanningPoker.Server.Tests.Teams;

/// <summary>
/// Team rooms end to end on a real Kestrel: a team's defaults open its rooms, a signed-in person's seat follows them
/// from browser to browser, team facilitators facilitate, members-only rooms refuse guests and outsiders, and an
/// ad-hoc room can be given to a team by its facilitator.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TeamRoomsTests(PokerApp app)
{
    [Fact]
    public async Task ATeamRoom_OpensWithTheTeamsDeckTemplateAndSettings_AndIsListedForTheTeamAndItsOpener()
    {
        await using var acme = await Acme.MakeAsync(app);
        var deck = await Read<DeckTemplateDto>(await acme.Owner.Http.PostAsJsonAsync($"{acme.Path}/decks", new SaveDeckTemplateRequest("T-shirts", new DeckDto(DeckType.TShirt)), Cancel));
        var settings = await Read<TeamSettingsDto>(await acme.Owner.Http.PutAsJsonAsync(
            $"{acme.TeamPath}/settings", new UpdateTeamSettingsRequest(deck.Id, null, new RoomSettingsDto(AutoReveal: true, RoundTimerSeconds: 90), true), Cancel));
        Assert.Equal((deck.Id, DeckType.TShirt, true), (settings.DeckTemplateId, settings.Deck.Type, settings.Room.AutoReveal));

        var room = await acme.OpenRoomAsync(acme.Max, "Sprint 12");

        var info = await app.Http().GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Cancel);
        Assert.Equal((DeckType.TShirt, "Payments", false), (info!.Deck.Type, info.TeamName, info.MembersOnly));
        await using var max = await app.ConnectAsync("Max");
        var view = await max.JoinAsync(room.RoomId, room.Token);
        Assert.Equal((true, 90), (view.Settings.AutoReveal, view.Settings.RoundTimerSeconds));
        Assert.Equal(("Max", Role.Facilitator), (view.Participants.Single().Name, view.Participants.Single().Role));

        var listed = Assert.Single(await acme.Owner.Http.GetFromJsonAsync<TeamRoomDto[]>($"{acme.TeamPath}/rooms", Cancel) ?? []);
        Assert.Equal((room.RoomId, "Sprint 12", true), (listed.RoomId, listed.Name, listed.IsActive));
        var mine = await acme.Max.Http.GetFromJsonAsync<AccountRoomDto[]>("/api/account/rooms", Cancel);
        Assert.Contains(mine!, r => r.RoomId == room.RoomId && r.TeamName == "Payments" && r.TeamId == acme.Team);
        Assert.DoesNotContain(await acme.Mia.Http.GetFromJsonAsync<AccountRoomDto[]>("/api/account/rooms", Cancel) ?? [], r => r.RoomId == room.RoomId);
    }

    [Fact]
    public async Task ASignedInMember_JoinsWithoutTypingAName_AndKeepsTheSameSeatFromASecondBrowser()
    {
        await using var acme = await Acme.MakeAsync(app);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        using var miaElsewhere = await acme.Mia.SignInElsewhereAsync(app);

        var first = await JoinAsync(acme.Mia.Http, room.RoomId, null);
        var second = await JoinAsync(miaElsewhere.Http, room.RoomId, null);

        Assert.Equal(first.ParticipantId, second.ParticipantId);
        await using var laptop = await app.ConnectAsync("Mia's laptop");
        await using var phone = await app.ConnectAsync("Mia's phone");
        var view = await laptop.JoinAsync(room.RoomId, first.Token);
        await phone.JoinAsync(room.RoomId, second.Token);
        var mia = Assert.Single(view.Participants, p => p.Id == first.ParticipantId);
        Assert.Equal(("Mia", Role.Estimator), (mia.Name, mia.Role));
        Assert.Equal(2, view.Participants.Count);

        await using var facilitator = await app.ConnectAsync("Olga");
        await facilitator.JoinAsync(room.RoomId, room.Token);
        await facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await phone.InvokeAsync(nameof(IRoomHub.CastVote), "5");

        // The vote cast from the phone (acknowledged, so committed) is the seat's: the laptop sees it as its own card.
        var seen = await laptop.GetViewAsync();
        Assert.Equal("5", seen.Participants.Single(p => p.Id == first.ParticipantId).Card);
    }

    [Fact]
    public async Task LeavingAndComingBack_GivesANewSeat_AndTheOldTokenOpensNothing()
    {
        await using var acme = await Acme.MakeAsync(app);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        var first = await JoinAsync(acme.Mia.Http, room.RoomId, null);
        await using (var mia = await app.ConnectAsync("Mia"))
        {
            await mia.JoinAsync(room.RoomId, first.Token);
            await mia.InvokeAsync(nameof(IRoomHub.Leave));
        }

        var again = await JoinAsync(acme.Mia.Http, room.RoomId, null);

        Assert.NotEqual(first.ParticipantId, again.ParticipantId);
        Assert.NotEqual(first.Token, again.Token);
        await using var old = await app.ConnectAsync("Mia");
        await HubAssert.RefusedAsync(ErrorCodes.InvalidToken, () => old.JoinAsync(room.RoomId, first.Token));
    }

    [Fact]
    public async Task ATeamFacilitator_TakesAFacilitatorsSeat_InTheTeamsRooms()
    {
        await using var acme = await Acme.MakeAsync(app);
        Assert.True((await acme.Owner.Http.PutAsJsonAsync($"{acme.TeamPath}/members", new SetTeamMemberRequest(acme.Mia.Id, IsFacilitator: true), Cancel)).IsSuccessStatusCode);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");

        var seat = await JoinAsync(acme.Mia.Http, room.RoomId, null);
        var plain = await JoinAsync(acme.Max.Http, room.RoomId, null);

        await using var mia = await app.ConnectAsync("Mia");
        var view = await mia.JoinAsync(room.RoomId, seat.Token);
        Assert.Equal(Role.Facilitator, view.Participants.Single(p => p.Id == seat.ParticipantId).Role);
        Assert.Equal(Role.Estimator, view.Participants.Single(p => p.Id == plain.ParticipantId).Role);
    }

    [Fact]
    public async Task AMembersOnlyRoom_RefusesGuestsAndOutsiders_AndTheirAttemptsChangeNothing()
    {
        await using var acme = await Acme.MakeAsync(app);
        await Read<TeamSettingsDto>(await acme.Owner.Http.PutAsJsonAsync($"{acme.TeamPath}/settings", new UpdateTeamSettingsRequest(null, new DeckDto(DeckType.Fibonacci), new RoomSettingsDto(), false), Cancel));
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        var info = await app.Http().GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Cancel);
        Assert.True(info!.MembersOnly);
        await using var owner = await app.ConnectAsync("Olga");
        var before = await owner.JoinAsync(room.RoomId, room.Token);

        using var guest = Person.Client(app);
        await ProblemAssert.IsAsync(
            await guest.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Gus"), Cancel), HttpStatusCode.Forbidden, ErrorCodes.MembersOnly);
        await ProblemAssert.IsAsync(
            await acme.Outsider.Http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Otto"), Cancel), HttpStatusCode.Forbidden, ErrorCodes.MembersOnly);

        Assert.Equal(before.Participants.Count, (await owner.GetViewAsync()).Participants.Count);
        var member = await JoinAsync(acme.Mia.Http, room.RoomId, null);
        Assert.Contains((await owner.GetViewAsync()).Participants, p => p.Id == member.ParticipantId);
    }

    [Fact]
    public async Task ARoomThatWelcomesGuests_TakesThemByLink_AndAGuestStillNeedsAName()
    {
        await using var acme = await Acme.MakeAsync(app);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        using var guest = Person.Client(app);

        await ProblemAssert.IsAsync(
            await guest.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest(null!), Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var seat = await JoinAsync(guest, room.RoomId, "Gus");
        var outsider = await JoinAsync(acme.Outsider.Http, room.RoomId, null);

        await using var owner = await app.ConnectAsync("Olga");
        var view = await owner.JoinAsync(room.RoomId, room.Token);
        Assert.Equal(Role.Estimator, view.Participants.Single(p => p.Id == seat.ParticipantId).Role);
        Assert.Equal("Otto", view.Participants.Single(p => p.Id == outsider.ParticipantId).Name);
    }

    [Fact]
    public async Task ASignedInPersonWhoseNameIsTaken_IsGivenTheNextFreeOne()
    {
        await using var acme = await Acme.MakeAsync(app);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        using var guest = Person.Client(app);
        await JoinAsync(guest, room.RoomId, "Mia");

        var seat = await JoinAsync(acme.Mia.Http, room.RoomId, null);

        await using var owner = await app.ConnectAsync("Olga");
        var view = await owner.JoinAsync(room.RoomId, room.Token);
        Assert.Equal("Mia 2", view.Participants.Single(p => p.Id == seat.ParticipantId).Name);
    }

    [Fact]
    public async Task JoiningWithAnotherName_NamesTheSeatTheyHold_AndATakenNameIsRefusedNotNumbered()
    {
        await using var acme = await Acme.MakeAsync(app);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");
        using var guest = Person.Client(app);
        await JoinAsync(guest, room.RoomId, "Greta");
        var first = await JoinAsync(acme.Mia.Http, room.RoomId, null);
        using var phone = await acme.Mia.SignInElsewhereAsync(app);

        var renamed = await JoinAsync(phone.Http, room.RoomId, "Mia on the phone");
        var again = await JoinAsync(acme.Mia.Http, room.RoomId, null);
        await ProblemAssert.IsAsync(
            await phone.Http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Greta"), Cancel), HttpStatusCode.Conflict, ErrorCodes.NameTaken);
        await ProblemAssert.IsAsync(
            await acme.Max.Http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Greta"), Cancel), HttpStatusCode.Conflict, ErrorCodes.NameTaken);

        // The same seat and token each time; the name typed is the seat's until another is typed (a one-click join keeps it).
        Assert.Equal((first.ParticipantId, first.Token), (renamed.ParticipantId, renamed.Token));
        Assert.Equal((first.ParticipantId, first.Token), (again.ParticipantId, again.Token));
        await using var owner = await app.ConnectAsync("Olga");
        var view = await owner.JoinAsync(room.RoomId, room.Token);
        Assert.Equal(["Greta", "Mia on the phone", "Olga"], view.Participants.Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnAdHocRoom_IsGivenToATeamByItsFacilitator_AndByNobodyElse()
    {
        await using var acme = await Acme.MakeAsync(app);
        var created = await Read<CreateRoomResponse>(await acme.Max.Http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Ad hoc", "Max"), Cancel));
        var estimator = await JoinAsync(acme.Mia.Http, created.RoomId, "Mia");

        await ProblemAssert.IsAsync(
            await acme.Max.Http.PostAsJsonAsync($"{acme.TeamPath}/rooms/attach", new AttachRoomRequest(created.RoomId, estimator.Token), Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotFacilitator);
        await ProblemAssert.IsAsync(
            await acme.Outsider.Http.PostAsJsonAsync($"{acme.TeamPath}/rooms/attach", new AttachRoomRequest(created.RoomId, created.Token), Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        Assert.Empty(await acme.Owner.Http.GetFromJsonAsync<TeamRoomDto[]>($"{acme.TeamPath}/rooms", Cancel) ?? []);

        var attached = await acme.Max.Http.PostAsJsonAsync($"{acme.TeamPath}/rooms/attach", new AttachRoomRequest(created.RoomId, created.Token), Cancel);

        Assert.Equal(HttpStatusCode.NoContent, attached.StatusCode);
        Assert.Equal(created.RoomId, Assert.Single(await acme.Owner.Http.GetFromJsonAsync<TeamRoomDto[]>($"{acme.TeamPath}/rooms", Cancel) ?? []).RoomId);
        Assert.Equal("Payments", (await app.Http().GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{created.RoomId}", Cancel))!.TeamName);
    }

    [Fact]
    public async Task DeletingATeam_LeavesItsRoomsOpen_AsAdHocRooms()
    {
        await using var acme = await Acme.MakeAsync(app);
        var room = await acme.OpenRoomAsync(acme.Owner, "Sprint 12");

        Assert.Equal(HttpStatusCode.NoContent, (await acme.Owner.Http.DeleteAsync(acme.TeamPath, Cancel)).StatusCode);

        var info = await app.Http().GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Cancel);
        Assert.Null(info!.TeamName);
        await using var owner = await app.ConnectAsync("Olga");
        Assert.Equal("Sprint 12", (await owner.JoinAsync(room.RoomId, room.Token)).Name);
    }

    [Fact]
    public async Task BadTeamInput_IsRefusedWithATypedError()
    {
        await using var acme = await Acme.MakeAsync(app);
        var http = acme.Owner.Http;

        await ProblemAssert.IsAsync(await http.PostAsJsonAsync($"{acme.Path}/decks", new SaveDeckTemplateRequest("", new DeckDto(DeckType.TShirt)), Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        await ProblemAssert.IsProblemAsync(await http.PostAsJsonAsync($"{acme.Path}/decks", new SaveDeckTemplateRequest("Odd", new DeckDto(DeckType.Custom, [new CardDto("1", 1)])), Cancel), HttpStatusCode.BadRequest);
        await Read<DeckTemplateDto>(await http.PostAsJsonAsync($"{acme.Path}/decks", new SaveDeckTemplateRequest("T-shirts", new DeckDto(DeckType.TShirt)), Cancel));
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync($"{acme.Path}/decks", new SaveDeckTemplateRequest("t-SHIRTS", new DeckDto(DeckType.TShirt)), Cancel), HttpStatusCode.Conflict, ErrorCodes.NameTaken);
        await ProblemAssert.IsAsync(
            await http.PutAsJsonAsync($"{acme.TeamPath}/settings", new UpdateTeamSettingsRequest(Guid.NewGuid(), null, new RoomSettingsDto(), true), Cancel), HttpStatusCode.NotFound, ErrorCodes.DeckTemplateNotFound);
        await ProblemAssert.IsProblemAsync(
            await http.PutAsJsonAsync($"{acme.TeamPath}/settings", new UpdateTeamSettingsRequest(null, new DeckDto(DeckType.TShirt), new RoomSettingsDto(RoundTimerSeconds: 1), true), Cancel), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await http.PostAsJsonAsync($"{acme.TeamPath}/rooms", new CreateTeamRoomRequest(""), Cancel), HttpStatusCode.BadRequest);
        await ProblemAssert.IsAsync(await http.PostAsJsonAsync($"{acme.Path}/teams/{Guid.NewGuid()}/rooms", new CreateTeamRoomRequest("x"), Cancel), HttpStatusCode.NotFound, ErrorCodes.TeamNotFound);
        await ProblemAssert.IsAsync(
            await http.PostAsJsonAsync($"{acme.TeamPath}/rooms/attach", new AttachRoomRequest("nope", "token"), Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);

        var settings = await http.GetFromJsonAsync<TeamSettingsDto>($"{acme.TeamPath}/settings", Cancel);
        Assert.Equal((null, DeckType.Fibonacci, true), (settings!.DeckTemplateId, settings.Deck.Type, settings.GuestsAllowed));
        Assert.Empty(await http.GetFromJsonAsync<TeamRoomDto[]>($"{acme.TeamPath}/rooms", Cancel) ?? []);
    }

    private static async Task<JoinRoomResponse> JoinAsync(HttpClient http, string roomId, string? name) =>
        await Read<JoinRoomResponse>(await http.PostAsJsonAsync($"/api/rooms/{roomId}/participants", new JoinRoomRequest(name!), Cancel));

    private static async Task<T> Read<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
