using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>Importing a backlog file: the server's reading shown first, columns changed by hand, then the import and what it did.</summary>
public sealed class BacklogFileImportTests : UiTest
{
    private static readonly SavedSeat Fanny = new("r1", "Sprint 42", 1, "tok", "Fanny", DateTimeOffset.UnixEpoch);

    private static readonly byte[] File = "Key;Summary;Notes\nPP-1;Login;x\nPP-2;<b>Logout</b>;y\n"u8.ToArray();

    public BacklogFileImportTests() : base("fr")
    {
    }

    [Fact]
    public void AFile_IsPreviewed_ItsColumnsCanBeChosen_ThenItIsImported()
    {
        var guessed = new CsvPreviewDto(
            [new(2, "Login", null, "PP-1", null, null, null), new(3, "<b>Logout</b>", null, "PP-2", null, null, "3.5")],
            new Dictionary<string, string> { ["title"] = "Summary", ["key"] = "Key" }, "utf-8", ";", ["line 4: no title"], true, ["Key", "Summary", "Notes"]);
        Server.On(HttpMethod.Post, "/api/backlog/csv", _ => FakeApi.Json(HttpStatusCode.OK, guessed));
        Server.On(HttpMethod.Post, "/api/backlog/csv?header=true&description=2&key=0&title=1", _ => FakeApi.Json(HttpStatusCode.OK, guessed with { Columns = new Dictionary<string, string> { ["title"] = "Summary", ["key"] = "Key", ["description"] = "Notes" } }));
        Server.On(HttpMethod.Post, "/api/rooms/r1/stories/import.csv?header=true&description=2&key=0&title=1", _ => FakeApi.Json(HttpStatusCode.OK, new ImportReportDto(1, 1, 0)));
        var import = Render<BacklogFileImport>(p => p.Add(c => c.Seat, Fanny));

        import.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(File, "backlog.csv"));

        import.WaitForAssertion(() => Assert.Contains("2 user stories trouvées dans backlog.csv", import.Find(".import-found").TextContent, StringComparison.Ordinal));
        Assert.Contains("point-virgule", import.Find(".import-found").TextContent, StringComparison.Ordinal);
        Assert.Equal("1", import.Find("#column-title").GetAttribute("value"));
        Assert.Equal("0", import.Find("#column-key").GetAttribute("value"));
        Assert.Equal("", import.Find("#column-description").GetAttribute("value"));
        Assert.Equal(["PP-1", "Login", "", "PP-2", "<b>Logout</b>", "3.5"], import.FindAll(".import-preview td").Select(c => c.TextContent));
        Assert.Empty(import.FindAll(".import-preview b"));
        Assert.Contains("1 ligne ignorée", import.Find(".skipped summary").TextContent, StringComparison.Ordinal);

        import.Find("#column-description").Change("2");
        import.WaitForAssertion(() => Assert.Equal("2", import.Find("#column-description").GetAttribute("value")));
        Assert.Equal("/api/backlog/csv?header=true&description=2&key=0&title=1", Server.Requests[^1].Path);

        import.Find("#import-go").Click();

        import.WaitForAssertion(() => Assert.Equal("Import terminé. Ajoutées : 1 · mises à jour : 1 · inchangées : 0.", import.Find(".import-done").TextContent));
        Assert.Empty(import.FindAll(".import-preview"));
    }

    [Fact]
    public void AnUnreadableFile_AndAFullBacklog_AreSaidInWords()
    {
        Server.On(HttpMethod.Post, "/api/backlog/csv", _ => FakeApi.Problem(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed));
        var import = Render<BacklogFileImport>(p => p.Add(c => c.Seat, Fanny));

        import.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(File, "backlog.csv"));

        import.WaitForAssertion(() => Assert.StartsWith("Ce fichier ne se lit pas comme un backlog", import.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(import.FindAll("#import-go"));

        var preview = new CsvPreviewDto([new(2, "Login", null, "PP-1", null, null, null)], new Dictionary<string, string> { ["title"] = "Summary" }, "utf-8", ",", [], true, ["Summary"]);
        Server.On(HttpMethod.Post, "/api/backlog/csv", _ => FakeApi.Json(HttpStatusCode.OK, preview));
        Server.On(HttpMethod.Post, "/api/rooms/r1/stories/import.csv", _ => FakeApi.Problem(HttpStatusCode.UnprocessableEntity, ErrorCodes.LimitExceeded));
        import.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(File, "backlog.csv"));
        import.WaitForAssertion(() => import.Find("#import-go").Click());

        import.WaitForAssertion(() => Assert.Equal("Le backlog compterait plus de 500 user stories.", import.Find("[role=alert]").TextContent));
    }
}
