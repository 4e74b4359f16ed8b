using System.Globalization;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

public sealed class HelperTests
{
    [Theory]
    [InlineData("4f7k0c2m9x1qa8zt", "4f7k0c2m9x1qa8zt")]
    [InlineData("  4F7K-0C2M-9X1Q-A8ZT ", "4f7k0c2m9x1qa8zt")]
    [InlineData("https://poker.example/rooms/4f7k0c2m9x1qa8zt", "4f7k0c2m9x1qa8zt")]
    [InlineData("http://127.0.0.1:5000/rooms/4f7k0c2m9x1qa8zt/summary?x=1", "4f7k0c2m9x1qa8zt")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("../../etc/passwd", null)]
    [InlineData("<script>", null)]
    public void ARoomCodeIsReadFromACodeOrALink(string input, string? expected) =>
        Assert.Equal(expected, RoomCode.FromInput(input));

    [Theory]
    [InlineData("Former member", "Ancien membre")]
    [InlineData("Former member 2", "Ancien membre 2")]
    [InlineData("Former members", "Former members")]
    [InlineData("Former member Bob", "Former member Bob")]
    [InlineData("Anne", "Anne")]
    public void ADeletedAccountsName_IsShownInTheReadersLanguage_AndNoOtherName(string stored, string shown) =>
        Assert.Equal(shown, Names.Shown(stored, key => key == "Common.FormerMember" ? "Ancien membre" : throw new ArgumentException(key)));

    [Fact]
    public void ACustomDeckReadsItsCards_NumbersGetValues()
    {
        var deck = new DeckModel { Type = DeckType.Custom, CustomCards = "0.5; 1, 2 ,, XL\n3", Unsure = false, Culture = CultureInfo.GetCultureInfo("en") };

        var dto = deck.ToDto();

        Assert.Equal(DeckType.Custom, dto.Type);
        Assert.Equal(["0.5", "1", "2", "XL", "3"], dto.Cards!.Select(c => c.Label));
        Assert.Equal([0.5m, 1m, 2m, null, 3m], dto.Cards!.Select(c => c.Value));
        Assert.False(dto.Unsure);
    }

    [Theory]
    [InlineData("0,5; 1; 2", new[] { "0,5", "1", "2" })]
    [InlineData("0,5 1 2,5\n3", new[] { "0,5", "1", "2,5", "3" })]
    [InlineData("1, 2, 3, 5, 8, 13", new[] { "1", "2", "3", "5", "8", "13" })]
    [InlineData("XS, S,M ;; L", new[] { "XS", "S", "M", "L" })]
    [InlineData("0.5;1", new[] { "0.5", "1" })]
    public void AFrenchCustomDeckKeepsDecimalCommas(string typed, string[] expected)
    {
        var deck = new DeckModel { Type = DeckType.Custom, CustomCards = typed, Culture = CultureInfo.GetCultureInfo("fr-FR") };

        Assert.Equal(expected, deck.CustomLabels);
    }

    [Fact]
    public void AFrenchHalfIsWorthAHalf()
    {
        var deck = new DeckModel { Type = DeckType.Custom, CustomCards = "0,5; 1; 2", Culture = CultureInfo.GetCultureInfo("fr-FR") };

        Assert.Equal([0.5m, 1m, 2m], deck.ToDto().Cards!.Select(c => c.Value));
    }

    [Theory]
    [InlineData("2.5", "fr-FR", "2,5")]
    [InlineData("2,5", "fr-FR", "2,5")]
    [InlineData("2,5", "en", "2.5")]
    [InlineData("2.5", "en", "2.5")]
    [InlineData("13", "fr-FR", "13")]
    [InlineData("XL", "fr-FR", "XL")]
    [InlineData("½", "fr-FR", "½")]
    [InlineData("1.2.3", "fr-FR", "1.2.3")]
    public void ACardLabelThatIsADecimalNumberTakesTheReadersSeparator(string label, string culture, string expected) =>
        Assert.Equal(expected, Numbers.Label(label, CultureInfo.GetCultureInfo(culture)));

    [Theory]
    [InlineData("fr-FR", 0, "Result.Votes.One")]
    [InlineData("fr-FR", 1, "Result.Votes.One")]
    [InlineData("fr-FR", 2, "Result.Votes.Other")]
    [InlineData("en", 0, "Result.Votes.Other")]
    [InlineData("en", 1, "Result.Votes.One")]
    [InlineData("en", 2, "Result.Votes.Other")]
    public void PluralsFollowEachLanguagesRule(string culture, int count, string expected) =>
        Assert.Equal(expected, Plurals.KeyOf("Result.Votes", count, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void TheFrenchMarkdownExportWritesNumbersTheFrenchWay_WithoutNeedlessEscapes()
    {
        var round = new RoundRecordDto(1, 1, RoundState.Accepted, default, default, 2, [new(1, "Fanny", "6.5"), new(2, "Luc", "13")], null, new EstimateDto("6,5", 6.5m));
        var summary = new RoomSummaryDto("r1", "Sprint 42. Go!", new DeckDto(DeckType.Custom),
            [new StorySummaryDto(1, "PP-1 (login) & co", null, null, StoryState.Estimated, new EstimateDto("6.5", 6.5m), [round]),
             new StorySummaryDto(2, "Export", null, null, StoryState.Estimated, new EstimateDto("13", 13m), [])], [], 19.5m);

        var md = MarkdownExport.Of(summary, key => key, CultureInfo.GetCultureInfo("fr-FR"));

        Assert.StartsWith("# Sprint 42. Go!", md, StringComparison.Ordinal);
        Assert.Contains("| PP-1 (login) & co | StoryState.Estimated | 6,5 | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("**Summary.Total**: 19,5", md, StringComparison.Ordinal);
        Assert.Contains("Fanny 6,5, Luc 13 → **6,5**", md, StringComparison.Ordinal);
        Assert.DoesNotContain("\\", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1. Intro", "1\\. Intro")]
    [InlineData("- item", "\\- item")]
    [InlineData("# title", "\\# title")]
    [InlineData("a &amp; b", "a \\&amp; b")]
    [InlineData("[x](javascript:y)", "\\[x\\](javascript:y)")]
    [InlineData("6.5 - 7", "6.5 - 7")]
    public void MarkdownEscapesOnlyWhatMarkdownReads(string text, string expected) =>
        Assert.Equal(expected, MarkdownExport.Escape(text));

    [Fact]
    public void ABuiltInDeckSendsNoCards() =>
        Assert.Null(new DeckModel { Type = DeckType.TShirt }.ToDto().Cards);

    [Fact]
    public void TheMarkdownExportEscapesStoryTextAndListsEstimatesAndRounds()
    {
        var round = new RoundRecordDto(1, 1, RoundState.Accepted, default, default, 2, [new(1, "Fanny", "5"), new(2, "A|ice", "8")], null, new EstimateDto("5", 5));
        var summary = new RoomSummaryDto("r1", "Sprint *42*", new DeckDto(DeckType.Fibonacci),
            [new StorySummaryDto(1, "Login | <b>bold</b>", "PP-1", null, StoryState.Estimated, new EstimateDto("5", 5), [round])], [], 5m);

        var md = MarkdownExport.Of(summary, key => key, CultureInfo.InvariantCulture);

        Assert.StartsWith("# Sprint \\*42\\*", md, StringComparison.Ordinal);
        Assert.Contains("| PP-1 Login \\| \\<b\\>bold\\</b\\> | StoryState.Estimated | 5 | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("Fanny 5, A\\|ice 8 → **5**", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr-FR", "fr-FR")]
    [InlineData("fr", "fr")]
    [InlineData("en-GB", "en-GB")]
    [InlineData("de-DE", "en")]
    [InlineData(null, "en")]
    [InlineData("not a culture!", "en")]
    public void TheUiSpeaksFrenchOrEnglish(string? tag, string expected) =>
        Assert.Equal(expected, Languages.Pick(tag).Name);

    [Theory]
    [InlineData("http://localhost:5080/rooms/abc#key=K3y-_x", "K3y-_x")]
    [InlineData("http://localhost:5080/rooms/abc#other=1&key=a%2Bb", "a+b")]
    [InlineData("http://localhost:5080/rooms/abc", null)]
    [InlineData("http://localhost:5080/rooms/abc#key=", null)]
    public void AFacilitatorKeyIsReadFromTheLinksFragment(string uri, string? expected) =>
        Assert.Equal(expected, Client.Pages.RoomPage.FacilitatorKeyIn(uri));

    [Fact]
    public void AFacilitatorLinkCarriesTheKeyInItsFragment_WhichBrowsersNeverSend()
    {
        var link = FacilitatorLink.LinkOf(new Uri("https://poker.example/"), "abc", "k+y");

        Assert.Equal("https://poker.example/rooms/abc#key=k%2By", link);
        Assert.Equal("k+y", Client.Pages.RoomPage.FacilitatorKeyIn(link));
    }
}
