using System.Text;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// Backlog files as people have them: a French Excel export (Windows-1252, <c>;</c>, decimal commas), a Jira Cloud
/// export (repeated Labels, "Custom field (Story Points)", multi-line quoted descriptions), UTF-16 from Excel's
/// "Unicode text", Thunderdome's header-less order; and files that cannot be read, refused in words.
/// </summary>
public sealed class CsvBacklogTests
{
    [Fact]
    public void AFrenchExcelExport_InWindows1252_WithSemicolonsAndDecimalCommas_ReadsWithItsAccents()
    {
        var text = "Clé;Titre;Description;Estimation\r\nPAY-1;Écran de connexion;Un résumé – avec l’apostrophe;3,5\r\nPAY-2;Paiement œuvre € ;;XL\r\n";
        var file = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(text);

        var preview = Read(file);

        Assert.Equal(("windows-1252", ";"), (preview.Encoding, preview.Delimiter));
        Assert.Equal(
            [("PAY-1", "Écran de connexion", "Un résumé – avec l’apostrophe", "3,5", 3.5m), ("PAY-2", "Paiement œuvre €", null, "XL", null)],
            preview.Stories.Select(s => (s.Key, s.Title, s.Description, s.Estimate, s.EstimateValue)));
        Assert.Equal("Titre", preview.Columns["title"]);
        Assert.Empty(preview.Skipped);
    }

    [Fact]
    public void AJiraCloudExport_MergesRepeatedLabels_ReadsCustomStoryPoints_AndKeepsMultiLineDescriptions()
    {
        var text = "Summary,Issue key,Issue id,Issue Type,Labels,Labels,Description,Custom field (Story Points)\n"
            + "Login page,PAY-12,10012,Story,web,auth,\"First line,\nsecond line with \"\"quotes\"\"\",5\n"
            + "Refunds,PAY-13,10013,Bug,,,,\n";

        var preview = Read(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray());

        Assert.Equal(("utf-8", ","), (preview.Encoding, preview.Delimiter));
        var login = preview.Stories[0];
        Assert.Equal(("Login page", "PAY-12", "Story", "5", 5m), (login.Title, login.Key, login.Type, login.Estimate, login.EstimateValue));
        Assert.Equal(["web", "auth"], login.Labels);
        Assert.Equal("First line,\nsecond line with \"quotes\"", login.Description);
        Assert.Equal((4, "Refunds", null), (preview.Stories[1].Line, preview.Stories[1].Title, preview.Stories[1].Estimate));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnicodeText_FromExcel_IsReadWithOrWithoutItsMark_TabsSeparating(bool mark)
    {
        var text = "Title\tStory Points\nSearch — filters\t8\n";
        var bytes = Encoding.Unicode.GetBytes(text);
        var file = mark ? [.. Encoding.Unicode.GetPreamble(), .. bytes] : bytes;

        var preview = Read(file);

        Assert.Equal(("utf-16", "\t"), (preview.Encoding, preview.Delimiter));
        Assert.Equal(("Search — filters", 8m), (preview.Stories.Single().Title, preview.Stories.Single().EstimateValue));
    }

    [Fact]
    public void ThunderdomesHeaderlessOrder_IsRecognised()
    {
        var file = Encoding.UTF8.GetBytes("Story,Checkout flow,TD-1,https://tracker.example/TD-1,Pay with a card,\nBug,Fix totals,TD-2,javascript:alert(1),,\n");

        var preview = Read(file);

        Assert.Equal(
            [("Checkout flow", "TD-1", "https://tracker.example/TD-1", "Story"), ("Fix totals", "TD-2", null, "Bug")],
            preview.Stories.Select(s => (s.Title, s.Key, s.Link, s.Type)));
    }

    [Fact]
    public void RowsWithoutATitle_AreSkippedWithTheirLine_AndLongCellsAreCut()
    {
        var longTitle = new string('x', Limits.StoryTitleLength + 50);
        var file = Encoding.UTF8.GetBytes($"Title,Key\n,PAY-1\n\n{longTitle},PAY-2\n");

        var preview = Read(file);

        Assert.Equal(["line 2: no title"], preview.Skipped);
        Assert.Equal(Limits.StoryTitleLength, preview.Stories.Single().Title.Length);
    }

    [Theory]
    [InlineData("3", 3.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("0,5", 0.5)]
    [InlineData("1 000", 1000.0)]
    [InlineData("1,000.5", null)]
    [InlineData("-3", null)]
    [InlineData("?", null)]
    public void Estimates_AreNumbersWithAPointOrAComma_OrLabels(string cell, double? value)
    {
        var preview = Read(Encoding.UTF8.GetBytes($"Title;Estimate\nA story;{cell}\n"));

        Assert.Equal(((string?)cell, value is null ? null : (decimal?)value), (preview.Stories.Single().Estimate, preview.Stories.Single().EstimateValue));
    }

    [Fact]
    public void FilesThatCannotBeRead_AreRefusedInWords()
    {
        Assert.Equal(ErrorCodes.ValidationFailed, CsvBacklog.Read([]).ErrorCode);
        Assert.Equal(ErrorCodes.ValidationFailed, CsvBacklog.Read(Encoding.UTF8.GetBytes("just one word\n")).ErrorCode);
        Assert.Contains("MB", CsvBacklog.Read(new byte[CsvBacklog.MaxBytes + 1]).ErrorMessage, StringComparison.Ordinal);
    }

    private static CsvBacklogPreview Read(byte[] file)
    {
        var read = CsvBacklog.Read(file);
        Assert.True(read.IsSuccess, read.ErrorMessage);
        return read.Value!;
    }
}
