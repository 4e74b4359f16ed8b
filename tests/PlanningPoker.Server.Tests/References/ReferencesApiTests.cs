using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Teams;

namespace PlanningPoker.Server.Tests.References;

/// <summary>
/// Reference stories, similar stories and earlier estimates on a real Kestrel, from workshops played through the hub:
/// who marks and reads them (team side: signed in; room side: any seat of the room, a guest's too), the refusal before
/// the reveal, and the per-team index seeing a story accepted after it was built.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReferencesApiTests(PokerApp app)
{
    [Fact]
    public async Task ATeamsFacilitatorsMarkReferences_EveryRoomOfTheTeamShowsThemUnderTheirCard()
    {
        await using var acme = await Acme.MakeAsync(app);
        var sprint1 = await PlayAsync(acme, "Sprint 1", [("Export invoices to PDF", null, "3"), ("Login page", null, "5"), ("Import customers", null, "3")]);
        var refs = $"{acme.TeamPath}/references";

        // Max is a plain member of the team: he reads, he may not mark.
        var empty = await Read<TeamReferencesDto>(await acme.Max.Http.GetAsync(refs, Cancel));
        Assert.Equal((false, 0), (empty.MayManage, empty.References.Count));
        await ProblemAssert.IsAsync(await acme.Max.Http.PutAsync($"{refs}/{sprint1.RoomId}/{sprint1.Stories[0]}", null, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);

        var marked = await Read<ReferenceStoryDto>(await acme.Owner.Http.PutAsync($"{refs}/{sprint1.RoomId}/{sprint1.Stories[0]}", null, Cancel));
        await Read<ReferenceStoryDto>(await acme.Owner.Http.PutAsync($"{refs}/{sprint1.RoomId}/{sprint1.Stories[0]}", null, Cancel));
        await Read<ReferenceStoryDto>(await acme.Owner.Http.PutAsync($"{refs}/{sprint1.RoomId}/{sprint1.Stories[1]}", null, Cancel));
        await Read<ReferenceStoryDto>(await acme.Owner.Http.PutAsync($"{refs}/{sprint1.RoomId}/{sprint1.Stories[2]}", null, Cancel));

        Assert.Equal(("Sprint 1", "Export invoices to PDF", "3", "Olga"), (marked.Story.RoomName, marked.Story.Title, marked.Story.Estimate, marked.MarkedBy));
        var listed = await Read<TeamReferencesDto>(await acme.Owner.Http.GetAsync(refs, Cancel));
        Assert.True(listed.MayManage);
        Assert.Equal(["Import customers", "Login page", "Export invoices to PDF"], listed.References.Select(r => r.Story.Title));

        // A guest of another room of the team sees them by card, in deck order, newest first.
        var sprint2 = await acme.OpenRoomAsync(acme.Owner, "Sprint 2");
        var guest = await app.JoinAsync(sprint2.RoomId, "Alice");
        var byCard = await Read<RoomReferencesDto>(await SeatGetAsync($"/api/rooms/{sprint2.RoomId}/references", guest.Token));
        Assert.Equal(["3: Import customers, Export invoices to PDF", "5: Login page"], byCard.Cards.Select(c => $"{c.Card}: {string.Join(", ", c.Stories.Select(s => s.Title))}"));

        // Unmarking twice is fine; the room no longer shows it.
        Assert.Equal(HttpStatusCode.NoContent, (await acme.Owner.Http.DeleteAsync($"{refs}/{sprint1.RoomId}/{sprint1.Stories[1]}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await acme.Owner.Http.DeleteAsync($"{refs}/{sprint1.RoomId}/{sprint1.Stories[1]}", Cancel)).StatusCode);
        byCard = await Read<RoomReferencesDto>(await SeatGetAsync($"/api/rooms/{sprint2.RoomId}/references", guest.Token));
        Assert.Equal(["3"], byCard.Cards.Select(c => c.Card));
    }

    [Fact]
    public async Task OnlyEstimatedStoriesOfTheTeamsRooms_AreMarked_AndOnlyTheTeamReadsThem()
    {
        await using var acme = await Acme.MakeAsync(app);
        var sprint = await PlayAsync(acme, "Sprint 1", [("Export invoices to PDF", null, "3")]);
        var adHoc = await app.CreateRoomAsync();
        var refs = $"{acme.TeamPath}/references";

        await ProblemAssert.IsAsync(await acme.Owner.Http.PutAsync($"{refs}/{sprint.RoomId}/999", null, Cancel), HttpStatusCode.Conflict, ErrorCodes.StoryNotEstimated);
        await ProblemAssert.IsAsync(await acme.Owner.Http.PutAsync($"{refs}/{adHoc.RoomId}/1", null, Cancel), HttpStatusCode.Conflict, ErrorCodes.StoryNotEstimated);
        await ProblemAssert.IsAsync(await acme.Owner.Http.PutAsync($"{refs}/not-a-room/1", null, Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        await ProblemAssert.IsAsync(await acme.Mia.Http.GetAsync(refs, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.GetAsync(refs, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.PutAsync($"{refs}/{sprint.RoomId}/{sprint.Stories[0]}", null, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        using (var anonymous = app.Http())
        {
            await ProblemAssert.IsAsync(await anonymous.GetAsync(refs, Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
        }

        // An ad-hoc room has no references; a token of another room is no seat here.
        var adHocRefs = await Read<RoomReferencesDto>(await SeatGetAsync($"/api/rooms/{adHoc.RoomId}/references", adHoc.Token));
        Assert.Empty(adHocRefs.Cards);
        await ProblemAssert.IsAsync(await SeatGetAsync($"/api/rooms/{sprint.RoomId}/references", adHoc.Token), HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);
        using var http = app.Http();
        await ProblemAssert.IsAsync(await http.GetAsync($"/api/rooms/{sprint.RoomId}/references", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);
    }

    [Fact]
    public async Task AReferenceGoes_WhenItsStoryLeavesTheBacklog()
    {
        await using var acme = await Acme.MakeAsync(app);
        var sprint = await PlayAsync(acme, "Sprint 1", [("Export invoices to PDF", null, "3")]);
        var refs = $"{acme.TeamPath}/references";
        await Read<ReferenceStoryDto>(await acme.Owner.Http.PutAsync($"{refs}/{sprint.RoomId}/{sprint.Stories[0]}", null, Cancel));

        await using (var owner = await app.ConnectAsync("Olga"))
        {
            await owner.JoinAsync(sprint.RoomId, sprint.Token);
            await owner.InvokeAsync(nameof(IRoomHub.RemoveStory), sprint.Stories[0]);
        }

        Assert.Empty((await Read<TeamReferencesDto>(await acme.Owner.Http.GetAsync(refs, Cancel))).References);
    }

    [Fact]
    public async Task SimilarStories_WaitForTheReveal_ThenShowTheTeamsClosest_IncludingOnesAcceptedSince()
    {
        await using var acme = await Acme.MakeAsync(app);
        await PlayAsync(acme, "Sprint 1", [("Export invoices to PDF", "PAY-1", "3"), ("Import customers from CSV", null, "8"), ("Login page", null, "2")]);
        var sprint2 = await acme.OpenRoomAsync(acme.Owner, "Sprint 2");
        var alice = await app.JoinAsync(sprint2.RoomId, "Alice");
        await using var owner = await app.ConnectAsync("Olga");
        await owner.JoinAsync(sprint2.RoomId, sprint2.Token);
        await owner.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Export invoices to CSV"), new("Exporter les factures en Excel") });
        var stories = (await owner.GetViewAsync()).Stories;
        var (csv, excel) = (stories[0].Id, stories[1].Id);
        var similar = $"/api/rooms/{sprint2.RoomId}/stories/{csv}/similar";

        // Pending, then being voted on: refused.
        await ProblemAssert.IsAsync(await SeatGetAsync(similar, alice.Token), HttpStatusCode.Conflict, ErrorCodes.NotRevealedYet);
        await owner.InvokeAsync(nameof(IRoomHub.StartRound), (int?)csv);
        await owner.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        await ProblemAssert.IsAsync(await SeatGetAsync(similar, alice.Token), HttpStatusCode.Conflict, ErrorCodes.NotRevealedYet);

        // Revealed: the export story first, with its estimate and workshop; the import story shares "csv" only.
        await owner.InvokeAsync(nameof(IRoomHub.Reveal));
        var found = await Read<SimilarStoriesDto>(await SeatGetAsync(similar, alice.Token));
        Assert.Equal("Export invoices to PDF", found.Stories[0].Story.Title);
        Assert.Equal(("3", "Sprint 1", "PAY-1"), (found.Stories[0].Story.Estimate, found.Stories[0].Story.RoomName, found.Stories[0].Story.ExternalKey));
        Assert.All(found.Stories, s => Assert.InRange(s.Score, 0.2, 1));
        Assert.DoesNotContain(found.Stories, s => s.Story.Title == "Login page");

        // Accepted here: the next story (French) finds it, though the team's index was built before the accept.
        await owner.InvokeAsync(nameof(IRoomHub.Accept), "5");
        await owner.InvokeAsync(nameof(IRoomHub.StartRound), (int?)excel);
        await owner.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        await owner.InvokeAsync(nameof(IRoomHub.Reveal));
        var french = await Read<SimilarStoriesDto>(await SeatGetAsync($"/api/rooms/{sprint2.RoomId}/stories/{excel}/similar", alice.Token));
        Assert.Contains(french.Stories, s => s.Story.Title == "Export invoices to CSV" && s.Story.Estimate == "5" && s.Story.RoomName == "Sprint 2");
        Assert.DoesNotContain(french.Stories, s => s.Story.StoryId == excel && s.Story.RoomId == sprint2.RoomId);

        // An estimated story shows its own similar ones, itself left out.
        var ofCsv = await Read<SimilarStoriesDto>(await SeatGetAsync(similar, alice.Token));
        Assert.DoesNotContain(ofCsv.Stories, s => s.Story.StoryId == csv && s.Story.RoomId == sprint2.RoomId);
    }

    [Fact]
    public async Task ATeamThatShowsSimilarStoriesBeforeTheReveal_GetsThemDuringTheRound()
    {
        await using var acme = await Acme.MakeAsync(app);
        await PlayAsync(acme, "Sprint 1", [("Export invoices to PDF", null, "3")]);
        var settings = await Read<TeamSettingsDto>(await acme.Owner.Http.GetAsync($"{acme.TeamPath}/settings", Cancel));
        Assert.False(settings.SimilarBeforeReveal);
        var changed = await Read<TeamSettingsDto>(await acme.Owner.Http.PutAsJsonAsync(
            $"{acme.TeamPath}/settings", new UpdateTeamSettingsRequest(null, settings.Deck, settings.Room, settings.GuestsAllowed, SimilarBeforeReveal: true), Cancel));
        Assert.True(changed.SimilarBeforeReveal);

        // A request without the setting keeps it.
        var kept = await Read<TeamSettingsDto>(await acme.Owner.Http.PutAsJsonAsync(
            $"{acme.TeamPath}/settings", new UpdateTeamSettingsRequest(null, settings.Deck, settings.Room, settings.GuestsAllowed), Cancel));
        Assert.True(kept.SimilarBeforeReveal);

        var sprint2 = await acme.OpenRoomAsync(acme.Owner, "Sprint 2");
        await using var owner = await app.ConnectAsync("Olga");
        await owner.JoinAsync(sprint2.RoomId, sprint2.Token);
        await owner.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Export invoices to CSV") });
        var story = (await owner.GetViewAsync()).Stories[0].Id;

        var found = await Read<SimilarStoriesDto>(await SeatGetAsync($"/api/rooms/{sprint2.RoomId}/stories/{story}/similar", sprint2.Token));

        Assert.Equal(["Export invoices to PDF"], found.Stories.Select(s => s.Story.Title));
    }

    [Fact]
    public async Task AStoryEstimatedBefore_ShowsItsEarlierEstimatesInTheTeam_NewestFirst_NotThisOne()
    {
        await using var acme = await Acme.MakeAsync(app);
        var first = await PlayAsync(acme, "Sprint 41", [("Export invoices", "PAY-7", "3"), ("Login page", "PAY-8", "2")]);
        var second = await PlayAsync(acme, "Sprint 42", [("Export invoices (again)", "PAY-7", "5")]);
        var third = await acme.OpenRoomAsync(acme.Owner, "Sprint 43");
        var guest = await app.JoinAsync(third.RoomId, "Alice");
        await using (var owner = await app.ConnectAsync("Olga"))
        {
            await owner.JoinAsync(third.RoomId, third.Token);
            await owner.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Export invoices", ExternalKey: "PAY-7"), new("New thing") });
        }

        var earlier = await Read<EarlierEstimatesDto>(await SeatGetAsync($"/api/rooms/{third.RoomId}/stories/1/earlier", guest.Token));
        var ofSecond = await Read<EarlierEstimatesDto>(await SeatGetAsync($"/api/rooms/{second.RoomId}/stories/{second.Stories[0]}/earlier", second.Token));
        var noKey = await Read<EarlierEstimatesDto>(await SeatGetAsync($"/api/rooms/{third.RoomId}/stories/2/earlier", guest.Token));

        Assert.Equal([("Sprint 42", "5"), ("Sprint 41", "3")], earlier.Estimates.Select(e => (e.RoomName, e.Estimate)));
        Assert.Equal([(first.RoomId, "3")], ofSecond.Estimates.Select(e => (e.RoomId, e.Estimate)));
        Assert.Empty(noKey.Estimates);
        await ProblemAssert.IsAsync(await SeatGetAsync($"/api/rooms/{third.RoomId}/stories/99/earlier", guest.Token), HttpStatusCode.NotFound, ErrorCodes.StoryNotFound);
    }

    [Fact]
    public async Task AnAdHocRoom_FindsSimilarStoriesAndEarlierEstimatesAmongItsOwn()
    {
        var room = await app.CreateRoomAsync("Ad hoc", "Fanny");
        await using var owner = await app.ConnectAsync("Fanny");
        await owner.JoinAsync(room.RoomId, room.Token);
        await owner.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto>
        {
            new("Export invoices to PDF", ExternalKey: "K-1"), new("Login page"), new("Export invoices to CSV", ExternalKey: "K-1"),
        });
        foreach (var (story, card) in new[] { (1, "3"), (2, "5"), (3, "8") })
        {
            await owner.InvokeAsync(nameof(IRoomHub.StartRound), (int?)story);
            await owner.InvokeAsync(nameof(IRoomHub.CastVote), card);
            await owner.InvokeAsync(nameof(IRoomHub.Reveal));
            await owner.InvokeAsync(nameof(IRoomHub.Accept), card);
        }

        var similar = await Read<SimilarStoriesDto>(await SeatGetAsync($"/api/rooms/{room.RoomId}/stories/3/similar", room.Token));
        var earlier = await Read<EarlierEstimatesDto>(await SeatGetAsync($"/api/rooms/{room.RoomId}/stories/3/earlier", room.Token));

        Assert.Equal([("Export invoices to PDF", "3")], similar.Stories.Select(s => (s.Story.Title, s.Story.Estimate)));
        Assert.Equal([(1, "3")], earlier.Estimates.Select(e => (e.StoryId, e.Estimate)));
    }

    /// <summary>Opens a team room as its owner (who votes alone) and estimates each story in one round.</summary>
    private async Task<Played> PlayAsync(Acme acme, string name, (string Title, string? Key, string Card)[] stories)
    {
        var room = await acme.OpenRoomAsync(acme.Owner, name);
        await using var owner = await app.ConnectAsync("Olga");
        await owner.JoinAsync(room.RoomId, room.Token);
        await owner.InvokeAsync(nameof(IRoomHub.AddStories), stories.Select(s => new StoryDraftDto(s.Title, ExternalKey: s.Key)).ToList());
        var view = await owner.GetViewAsync();
        var ids = new List<int>();
        foreach (var (title, _, card) in stories)
        {
            var id = view.Stories.Single(s => s.Title == title).Id;
            ids.Add(id);
            await owner.InvokeAsync(nameof(IRoomHub.StartRound), (int?)id);
            await owner.InvokeAsync(nameof(IRoomHub.CastVote), card);
            await owner.InvokeAsync(nameof(IRoomHub.Reveal));
            await owner.InvokeAsync(nameof(IRoomHub.Accept), card);
        }

        return new Played(room.RoomId, room.Token, [.. ids]);
    }

    private sealed record Played(string RoomId, string Token, int[] Stories);

    private async Task<HttpResponseMessage> SeatGetAsync(string path, string token)
    {
        using var http = app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, Cancel);
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode? status = null)
    {
        Assert.True(status is null ? response.IsSuccessStatusCode : response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
