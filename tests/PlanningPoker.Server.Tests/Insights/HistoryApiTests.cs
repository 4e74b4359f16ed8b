using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Teams;

namespace PlanningPoker.Server.Tests.Insights;

/// <summary>
/// A team's estimation history on a real Kestrel, from workshops played through the hub: the stories newest first, the
/// search (case and accents ignored, titles and keys), the filters, a story's rounds and votes (never a hidden one),
/// the exports, and who may read them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HistoryApiTests(PokerApp app)
{
    [Fact]
    public Task TheHistory_ListsTheTeamsStoriesNewestFirst_SearchesAndFilters() => TheHistory_ListsTheTeamsStoriesNewestFirst_SearchesAndFiltersOn(app);

    /// <summary>The body of <see cref="TheHistory_ListsTheTeamsStoriesNewestFirst_SearchesAndFilters"/>, on either provider's server.</summary>
    internal static async Task TheHistory_ListsTheTeamsStoriesNewestFirst_SearchesAndFiltersOn(PokerApp app)
    {
        await using var acme = await Acme.MakeAsync(app);
        var (sprint1, owner1) = await Workshop.PlayAsync(app, acme, "Sprint 1",
        [
            new("Export invoices as PDF", [["3", "3"]], "3", "PAY-1"),
            new("Importer les relevés bancaires", [["2", "8"], ["5", "5"]], "5", "PAY-2"),
        ]);
        await owner1.DisposeAsync();
        var (sprint2, owner2) = await Workshop.PlayAsync(app, acme, "Sprint 2",
        [
            new("Pay by bank transfer", [["?", "13"]], "13", "PAY-3"),
            new("Refund a card payment", [], null, "PAY-4"),
        ]);
        await using var _ = owner2;

        var all = await Read<HistoryPageDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history", Cancel));

        // Newest first: an estimated story by its accept, the pending one by its workshop's opening (after Sprint 1's accepts).
        Assert.Equal(["Pay by bank transfer", "Refund a card payment", "Importer les relevés bancaires", "Export invoices as PDF"], all.Stories.Select(s => s.Title));
        Assert.Equal((4, 1, 50), (all.Total, all.Page, all.PageSize));
        Assert.Equal(["Sprint 2", "Sprint 1"], all.Workshops.Select(w => w.Name));
        var revoted = all.Stories[2];
        Assert.Equal((StoryState.Estimated, "5", 2, false, 4, "PAY-2", "Sprint 1"), (revoted.State, revoted.Estimate, revoted.RevealedRounds, revoted.FirstRoundConsensus, revoted.Votes, revoted.ExternalKey, revoted.Workshop));
        Assert.NotNull(revoted.MinutesToAccept);
        var pending = all.Stories[1];
        Assert.Equal((StoryState.Pending, null, 0, null, null), (pending.State, pending.Estimate, pending.RevealedRounds, pending.FirstRoundConsensus, pending.MinutesToAccept));

        // Search: case and accents ignored; keys too.
        Assert.Equal(["Importer les relevés bancaires"], await TitlesAsync(acme, "q=RELEVES"));
        Assert.Equal(["Export invoices as PDF"], await TitlesAsync(acme, "q=pay-1"));
        Assert.Empty(await TitlesAsync(acme, "q=nothing%20like%20it"));

        // Filters: a state, a workshop, both with a search.
        Assert.Equal(["Refund a card payment"], await TitlesAsync(acme, "state=pending"));
        Assert.Equal(["Importer les relevés bancaires", "Export invoices as PDF"], await TitlesAsync(acme, $"room={sprint1.RoomId}"));
        Assert.Equal(["Pay by bank transfer"], await TitlesAsync(acme, $"room={sprint2.RoomId}&state=Estimated&q=bank"));

        // Pages: two by two.
        var second = await Read<HistoryPageDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history?page=2&pageSize=2", Cancel));
        Assert.Equal(4, second.Total);
        Assert.Equal(["Importer les relevés bancaires", "Export invoices as PDF"], second.Stories.Select(s => s.Title));

        // A period that ended yesterday holds none of it.
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        Assert.Empty(await TitlesAsync(acme, $"from={yesterday.AddDays(-30):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}"));
    }

    [Fact]
    public Task AStory_ShowsItsRoundsVotesAndPeople_ButNeverAHiddenCard() => AStory_ShowsItsRoundsVotesAndPeople_ButNeverAHiddenCardOn(app);

    /// <summary>The body of <see cref="AStory_ShowsItsRoundsVotesAndPeople_ButNeverAHiddenCard"/>, on either provider's server.</summary>
    internal static async Task AStory_ShowsItsRoundsVotesAndPeople_ButNeverAHiddenCardOn(PokerApp app)
    {
        await using var acme = await Acme.MakeAsync(app);
        var (room, owner) = await Workshop.PlayAsync(app, acme, "Sprint 1",
        [
            new("Importer les relevés bancaires", [["2", "8"], ["5", "5"]], "5", "PAY-2"),
            new("Refund a card payment", [], null),
        ]);
        await using var _ = owner;
        var view = await owner.GetViewAsync();
        var refund = view.Stories.Single(s => s.Title == "Refund a card payment").Id;

        // A round open on the second story, one card cast and not turned over.
        await owner.InvokeAsync(nameof(IRoomHub.StartRound), (int?)refund);
        await owner.InvokeAsync(nameof(IRoomHub.CastVote), "21");

        var estimated = await Read<HistoryStoryDetailDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history/{room.RoomId}/{view.Stories[0].Id}", Cancel));
        Assert.Equal(["Alice", "Olga"], estimated.Participants);
        Assert.Equal(
            [(RoundState.Revealed, "Olga: 2, Alice: 8", null), (RoundState.Accepted, "Olga: 5, Alice: 5", "5")],
            estimated.Rounds.Select(r => (r.State, string.Join(", ", r.Votes.Select(v => $"{v.Participant}: {v.Card}")), r.Estimate)));
        Assert.All(estimated.Rounds, r => Assert.NotNull(r.RevealedAt));

        var open = await acme.Max.Http.GetAsync($"{acme.TeamPath}/history/{room.RoomId}/{refund}", Cancel);
        var detail = await Read<HistoryStoryDetailDto>(open);
        var round = Assert.Single(detail.Rounds);
        Assert.Equal((RoundState.Voting, 0, null), (round.State, round.Votes.Count, round.RevealedAt));
        Assert.Empty(detail.Participants);
        Assert.DoesNotContain("\"21\"", await open.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        // Neither a story of a room outside the team, nor one that does not exist.
        var adHoc = await app.CreateRoomAsync("Elsewhere");
        await ProblemAssert.IsAsync(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history/{adHoc.RoomId}/1", Cancel), HttpStatusCode.NotFound, ErrorCodes.StoryNotFound);
        await ProblemAssert.IsAsync(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history/{room.RoomId}/999", Cancel), HttpStatusCode.NotFound, ErrorCodes.StoryNotFound);
    }

    [Fact]
    public Task TheExports_HoldTheFilteredStories_CsvEscapesFormulas_JsonHasTheRounds() => TheExports_HoldTheFilteredStories_CsvEscapesFormulas_JsonHasTheRoundsOn(app);

    /// <summary>The body of <see cref="TheExports_HoldTheFilteredStories_CsvEscapesFormulas_JsonHasTheRounds"/>, on either provider's server.</summary>
    internal static async Task TheExports_HoldTheFilteredStories_CsvEscapesFormulas_JsonHasTheRoundsOn(PokerApp app)
    {
        await using var acme = await Acme.MakeAsync(app);
        var (_, owner) = await Workshop.PlayAsync(app, acme, "Sprint 1",
        [
            new("=HYPERLINK(\"http://evil.example\",\"x\")", [["3", "3"]], "3", "PAY-1"),
            new("Importer les relevés bancaires", [["2", "8"], ["5", "5"]], "5", "PAY-2"),
        ]);
        await owner.DisposeAsync();

        var csv = await acme.Max.Http.GetAsync($"{acme.TeamPath}/history/export?format=csv", Cancel);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("estimation-history-", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var rows = Csv.Parse(await csv.Content.ReadAsStringAsync(Cancel)).ToList();
        Assert.Equal(["workshop", "room_id", "story_id", "external_key", "title", "url", "state", "estimate", "date", "revealed_rounds", "first_round_consensus", "minutes_to_accept", "votes", "participants"], rows[0]);
        Assert.Equal(3, rows.Count);
        var revoted = rows[1];
        Assert.Equal(("PAY-2", "Importer les relevés bancaires", "Estimated", "5", "2", "no", "Olga: 2; Alice: 8 | Olga: 5; Alice: 5", "Alice; Olga"), (revoted[3], revoted[4], revoted[6], revoted[7], revoted[9], revoted[10], revoted[12], revoted[13]));
        Assert.DoesNotMatch("^[=+\\-@\\t\\r]", rows[2][4]);
        Assert.EndsWith("=HYPERLINK(\"http://evil.example\",\"x\")", rows[2][4], StringComparison.Ordinal);

        var json = await Read<List<HistoryStoryDetailDto>>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history/export?format=json&q=releves", Cancel));
        var story = Assert.Single(json);
        Assert.Equal((2, 2), (story.Rounds.Count, story.Rounds[1].Votes.Count));

        await ProblemAssert.IsAsync(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history/export?format=xml", Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task TheTeamsMembersAndTheOrganisationsAdmins_ReadTheHistory_NobodyElse_AndBadFiltersAreRefused()
    {
        await using var acme = await Acme.MakeAsync(app);
        string[] paths = [$"{acme.TeamPath}/history", $"{acme.TeamPath}/history/export", $"{acme.TeamPath}/history/some-room/1"];
        foreach (var path in paths)
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, (await acme.Owner.Http.GetAsync(path, Cancel)).StatusCode);
            await ProblemAssert.IsAsync(await acme.Mia.Http.GetAsync(path, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
            await ProblemAssert.IsAsync(await acme.Outsider.Http.GetAsync(path, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
            using var anonymous = app.Http();
            await ProblemAssert.IsAsync(await anonymous.GetAsync(path, Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
        }

        string[] bad = ["state=finished", "page=0", "pageSize=101", "from=2026-05-02&to=2026-05-01", $"q={new string('x', Limits.HistorySearchLength + 1)}"];
        foreach (var query in bad)
        {
            await ProblemAssert.IsAsync(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history?{query}", Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        }
    }

    private static async Task<string[]> TitlesAsync(Acme acme, string query) =>
        [.. (await Read<HistoryPageDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/history?{query}", Cancel))).Stories.Select(s => s.Title)];

    private static async Task<T> Read<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
