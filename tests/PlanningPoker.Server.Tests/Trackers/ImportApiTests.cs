using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Api;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// Backlog files on a real Kestrel: read one to see what it holds, import it into a room; importing again adds nothing
/// twice and refreshes what the team has not estimated; only a facilitator imports; bad files change nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ImportApiTests(PokerApp app)
{
    /// <summary>Excel's "CSV (séparateur: point-virgule)" in French: Windows-1252, semicolons, decimal commas.</summary>
    private static readonly byte[] FrenchExcel = CodePages().GetBytes(
        "Clé;Résumé;Description;Points d'histoire\r\n" +
        "PP-1;Page de connexion (renommée);;5\r\n" +
        "PP-2;Créer un compte;\"Formulaire\r\nen deux étapes\";3,5\r\n" +
        "PP-3;Réinitialiser le mot de passe;;\r\n" +
        ";;ligne sans titre;\r\n");

    [Fact]
    public async Task APreview_SaysWhatTheFileHolds_AndHowItWasRead_WithoutChangingAnything()
    {
        using var http = app.Http();

        var response = await PostFileAsync(http, "/api/backlog/csv", FrenchExcel, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = (await response.Content.ReadFromJsonAsync<CsvPreviewDto>(Rest.Cancel).Timed())!;
        Assert.Equal(";", preview.Delimiter);
        Assert.Equal("windows-1252", preview.Encoding, ignoreCase: true);
        Assert.True(preview.HasHeader);
        Assert.Equal("Résumé", preview.Columns["title"]);
        Assert.Equal("Points d'histoire", preview.Columns["estimate"]);
        Assert.Equal(
            [("PP-1", "Page de connexion (renommée)", "5"), ("PP-2", "Créer un compte", "3.5"), ("PP-3", "Réinitialiser le mot de passe", null)],
            preview.Stories.Select(s => (s.Key, s.Title, s.Estimate)));
        Assert.Equal("Formulaire\r\nen deux étapes", preview.Stories[1].Description);
        Assert.Equal(["line 6: no title"], preview.Skipped);
    }

    [Fact]
    public async Task ImportingAFileTwice_AddsItsStoriesOnce_AndRefreshesOnlyWhatIsNotEstimated()
    {
        await using var played = await PlayedRoom.PlayAsync(app); // PP-1 "Login page" estimated at 5; "Logout" pending, no key
        using var http = app.Http();
        var path = $"/api/rooms/{played.RoomId}/stories/import.csv";

        var first = await ReportOf(await PostFileAsync(http, path, FrenchExcel, played.Room.Token));
        Assert.Equal((2, 0, 1), (first.Added, first.Updated, first.Unchanged)); // PP-1 is estimated: left as it is
        Assert.Equal(["line 6: no title"], first.Skipped);

        var again = await ReportOf(await PostFileAsync(http, path, FrenchExcel, played.Room.Token));
        Assert.Equal((0, 0, 3), (again.Added, again.Updated, again.Unchanged));

        var renamed = CodePages().GetBytes("Clé;Résumé;Points d'histoire\r\npp-2;Créer un compte client;8\r\nPP-4;Supprimer le compte;\r\n");
        var refresh = await ReportOf(await PostFileAsync(http, path, renamed, played.Room.Token));
        Assert.Equal((1, 1, 0), (refresh.Added, refresh.Updated, refresh.Unchanged));

        var view = await played.Fanny.GetViewAsync();
        Assert.Equal(
            [("PP-1", "Login page", StoryState.Estimated), (null, "Logout", StoryState.Pending), ("PP-2", "Créer un compte client", StoryState.Pending),
             ("PP-3", "Réinitialiser le mot de passe", StoryState.Pending), ("PP-4", "Supprimer le compte", StoryState.Pending)],
            view.Stories.Select(s => (s.ExternalKey, s.Title, s.State)));
        var details = await played.Fanny.InvokeAsync<StoryDetailsDto>(nameof(IRoomHub.GetStory), view.Stories[2].Id);
        Assert.Equal("8", details.TrackerEstimate);
        Assert.Null(details.Description); // the refresh mirrors the file
        Assert.True(view.Stories[2].HasDetails);
    }

    [Fact]
    public async Task ColumnsChosenByHand_ReadAHeaderlessFile()
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        using var http = app.Http();
        var file = Encoding.UTF8.GetBytes("Checkout,42,https://tracker.example/42\nRefunds,43,https://tracker.example/43\n");

        var found = await (await PostFileAsync(http, "/api/backlog/csv", file, token: null)).Content.ReadFromJsonAsync<CsvPreviewDto>(Rest.Cancel).Timed();
        Assert.Equal("42", found!.Stories[0].Title); // Thunderdome's order guessed: not this file's
        var chosen = await ReportOf(await PostFileAsync(http, $"/api/rooms/{played.RoomId}/stories/import.csv?header=false&title=0&key=1&link=2", file, played.Room.Token));

        Assert.Equal(2, chosen.Added);
        var view = await played.Fanny.GetViewAsync();
        Assert.Equal([("42", "Checkout"), ("43", "Refunds")], view.Stories.Skip(2).Select(s => (s.ExternalKey!, s.Title)));
    }

    [Fact]
    public async Task Refusals_AreTyped_AndChangeNothing()
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        using var http = app.Http();
        var path = $"/api/rooms/{played.RoomId}/stories/import.csv";
        var before = await played.Fanny.GetViewAsync();

        await ProblemAssert.IsAsync(await PostFileAsync(http, path, FrenchExcel, played.Alice.Token), HttpStatusCode.Forbidden, ErrorCodes.NotFacilitator);
        await ProblemAssert.IsAsync(await PostFileAsync(http, path, FrenchExcel, token: null), HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);
        await ProblemAssert.IsAsync(await PostFileAsync(http, path, FrenchExcel, "not-a-token"), HttpStatusCode.Unauthorized, ErrorCodes.InvalidToken);
        await ProblemAssert.IsAsync(await PostFileAsync(http, path, new byte[CsvBacklogMaxBytes + 1], played.Room.Token), HttpStatusCode.UnprocessableEntity, ErrorCodes.LimitExceeded);
        await ProblemAssert.IsAsync(await PostFileAsync(http, path, "Title\n\n"u8.ToArray(), played.Room.Token), HttpStatusCode.BadRequest, ErrorCodes.InvalidStory);
        await ProblemAssert.IsAsync(await PostFileAsync(http, "/api/backlog/csv", [], token: null), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        await ProblemAssert.IsAsync(await PostFileAsync(http, path + "?title=1", FrenchExcel, played.Room.Token), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        await ProblemAssert.IsAsync(await PostFileAsync(http, path + "?header=true&title=-1", FrenchExcel, played.Room.Token), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var tooLong = Encoding.UTF8.GetBytes($"Title,Story points\nFine,{new string('9', 30)}x\n{new string('x', 300)},1\n");
        Assert.Equal(2, (await ReportOf(await PostFileAsync(http, path, tooLong, played.Room.Token))).Added); // cut to the limits, not refused

        var after = await played.Fanny.GetViewAsync();
        Assert.Equal(before.Stories.Count + 2, after.Stories.Count);
    }

    private const int CsvBacklogMaxBytes = 2 * 1024 * 1024;

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient http, string path, byte[] file, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(file) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request, Rest.Cancel).Timed();
    }

    private static async Task<ImportReportDto> ReportOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImportReportDto>(Rest.Cancel).Timed())!;
    }

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
