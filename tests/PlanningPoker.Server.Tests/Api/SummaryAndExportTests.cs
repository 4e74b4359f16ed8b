using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Api;

/// <summary>The facilitator-only reads: the summary and its JSON and CSV downloads.</summary>
[Trait("Category", "Integration")]
public sealed class SummaryAndExportTests(PokerApp app)
{
    private static readonly string[] CsvHeader =
        ["story_id", "external_key", "title", "story_state", "final_estimate", "round", "round_state", "participant", "card", "consensus", "suggested"];

    [Fact]
    public async Task TheSummaryHoldsEachStoryWithItsEstimateRoundsAndRevealedVotes()
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        using var http = app.Http();

        var response = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/summary", played.Room.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.Content.ReadFromJsonAsync<RoomSummaryDto>(Rest.Cancel).Timed();
        Assert.NotNull(summary);
        Assert.Equal(played.RoomId, summary.RoomId);
        Assert.Equal("Sprint 42", summary.Name);
        Assert.Equal(DeckType.Fibonacci, summary.Deck.Type);
        Assert.Equal(5m, summary.EstimatedTotal);
        Assert.Empty(summary.QuickVotes);
        Assert.Equal([played.EstimatedStoryId, played.PendingStoryId], summary.Stories.Select(s => s.Id));

        var estimated = summary.Stories[0];
        Assert.Equal("Login page", estimated.Title);
        Assert.Equal("PP-1", estimated.ExternalKey);
        Assert.Equal(StoryState.Estimated, estimated.State);
        Assert.Equal(new EstimateDto("5", 5m), estimated.FinalEstimate);
        var round = Assert.Single(estimated.Rounds);
        Assert.Equal(1, round.Number);
        Assert.Equal(RoundState.Accepted, round.State);
        Assert.Equal(3, round.VoteCount);
        Assert.NotNull(round.RevealedAt);
        Assert.Equal(new EstimateDto("5", 5m), round.Estimate);
        Assert.Equal(
            [("Fanny", "5"), ("Alice", "5"), ("Bob", "8")],
            round.Votes.OrderBy(v => v.ParticipantId).Select(v => (v.Name, v.Card)));
        Assert.NotNull(round.Result);
        Assert.False(round.Result.Consensus);
        Assert.Equal(["5", "8"], round.Result.Distribution.Select(d => d.Card));

        var pending = summary.Stories[1];
        Assert.Equal("Logout", pending.Title);
        Assert.Equal(StoryState.Pending, pending.State);
        Assert.Null(pending.FinalEstimate);
        Assert.Empty(pending.Rounds);
    }

    [Fact]
    public async Task TheJsonExportIsTheSummaryAsAnAttachment()
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        using var http = app.Http();

        var summary = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/summary", played.Room.Token);
        var export = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/export.json", played.Room.Token);

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"planning-poker-{played.RoomId}.json", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var expected = JsonNode.Parse(await summary.Content.ReadAsStringAsync(Rest.Cancel).Timed());
        var actual = JsonNode.Parse(await export.Content.ReadAsStringAsync(Rest.Cancel).Timed());
        Assert.True(JsonNode.DeepEquals(expected, actual), $"export.json differs from the summary:\n{actual}\n{expected}");
    }

    [Fact]
    public async Task TheCsvExportHasTheHeaderThenOneRowPerRevealedVoteAndOnePerStoryWithoutVotes()
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        using var http = app.Http();

        var export = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/export.csv", played.Room.Token);

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"planning-poker-{played.RoomId}.csv", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = Csv.Parse(await export.Content.ReadAsStringAsync(Rest.Cancel).Timed());
        Assert.Equal(CsvHeader, rows[0]);
        var story = played.EstimatedStoryId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = played.PendingStoryId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                [story, "PP-1", "Login page", "Estimated", "5", "1", "Accepted", "Fanny", "5", "no", "5"],
                [story, "PP-1", "Login page", "Estimated", "5", "1", "Accepted", "Alice", "5", "no", "5"],
                [story, "PP-1", "Login page", "Estimated", "5", "1", "Accepted", "Bob", "8", "no", "5"],
                [pending, "", "Logout", "Pending", "", "", "", "", "", "", ""],
            ],
            rows.Skip(1).Select(r => r.ToList()));
    }

    [Fact]
    public async Task TheCsvExportEscapesCellsThatASpreadsheetWouldRunAsFormulas()
    {
        await using var played = await PlayedRoom.PlayAsync(app, storyTitle: "=HYPERLINK(\"http://evil.example\",\"x\")", bobName: "@Bob");
        using var http = app.Http();

        var export = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/export.csv", played.Room.Token);

        var rows = Csv.Parse(await export.Content.ReadAsStringAsync(Rest.Cancel).Timed()).Skip(1).ToList();
        var titles = rows.Select(r => r[2]).Where(t => t.Contains("HYPERLINK", StringComparison.Ordinal)).ToList();
        var bob = Assert.Single(rows, r => r[7].Contains("Bob", StringComparison.Ordinal))[7];
        Assert.Equal(3, titles.Count);
        Assert.All(titles, title => Assert.DoesNotMatch("^[=+\\-@\\t\\r]", title));
        Assert.All(titles, title => Assert.EndsWith("=HYPERLINK(\"http://evil.example\",\"x\")", title, StringComparison.Ordinal));
        Assert.DoesNotMatch("^[=+\\-@\\t\\r]", bob);
        Assert.EndsWith("@Bob", bob, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Rest.FacilitatorReads), MemberType = typeof(Rest))]
    public async Task AnEstimatorsTokenIsNotFacilitator(string read)
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        using var http = app.Http();

        var response = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/{read}", played.Alice.Token);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Forbidden, ErrorCodes.NotFacilitator);
    }

    public static readonly TheoryData<string, string?> BadAuthorizations = new()
    {
        { "summary", null },
        { "summary", "Bearer" },
        { "summary", "Bearer " },
        { "summary", "Bearer not-a-token-of-this-room" },
        { "summary", "Basic Zm9vOmJhcg==" },
        { "summary", "Bearer " + new string('x', 300) },
        { "export.json", null },
        { "export.json", "Bearer garbage" },
        { "export.csv", null },
        { "export.csv", "Bearer garbage" },
    };

    [Theory]
    [MemberData(nameof(BadAuthorizations))]
    public async Task NoTokenOrAGarbageTokenIsInvalidToken(string read, string? authorization)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.GetAsync($"/api/rooms/{room.RoomId}/{read}", authorization);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);
    }

    [Theory]
    [MemberData(nameof(Rest.FacilitatorReads), MemberType = typeof(Rest))]
    public async Task AnotherRoomsFacilitatorTokenIsInvalidToken(string read)
    {
        var room = await app.CreateRoomAsync().Timed();
        var other = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.GetAsBearerAsync($"/api/rooms/{room.RoomId}/{read}", other.Token);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);
    }

    [Fact]
    public async Task AKickedFacilitatorsTokenNoLongerOpensTheSummary()
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        using var http = app.Http();
        await played.Fanny.InvokeAsync(nameof(IRoomHub.ChangeRole), played.Alice.ParticipantId, Role.Facilitator);
        var before = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/summary", played.Alice.Token);

        await played.Fanny.InvokeAsync(nameof(IRoomHub.Kick), played.Alice.ParticipantId);
        var after = await http.GetAsBearerAsync($"/api/rooms/{played.RoomId}/summary", played.Alice.Token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await ProblemAssert.IsAsync(after, HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);
    }

    [Theory]
    [MemberData(nameof(Rest.FacilitatorReads), MemberType = typeof(Rest))]
    public async Task AFacilitatorReadOfAnUnknownRoomIsNotFound(string read)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.GetAsBearerAsync($"/api/rooms/zzzzzzzzzzzzzzzz/{read}", room.Token);

        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, ErrorCodes.RoomNotFound);
    }
}
