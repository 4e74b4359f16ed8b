namespace PlanningPoker.Domain.Tests;

public sealed class StoryDraftTests
{
    [Fact]
    public void Validate_FieldsWithSurroundingSpaces_AreTrimmed()
    {
        var draft = new StoryDraft("  Login page \t", "\n  As a user I log in.  \n", "  PROJ-12 ", " https://tracker.example.com/PROJ-12  ");

        var result = draft.Validate();

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(new StoryDraft("Login page", "As a user I log in.", "PROJ-12", "https://tracker.example.com/PROJ-12"), result.Value);
    }

    [Fact]
    public void Validate_BlankOptionalFields_BecomeNull()
    {
        var draft = new StoryDraft("Login page", "  \n ", " ", "\t");

        var result = draft.Validate();

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(new StoryDraft("Login page"), result.Value);
    }

    [Fact]
    public void Validate_TitleOnly_IsAccepted()
    {
        var draft = new StoryDraft("Logout");

        var result = draft.Validate();

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(draft, result.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    [InlineData("two\nlines")]
    [InlineData("two\r\nlines")]
    [InlineData("carriage\rreturn")]
    [InlineData("tab\tinside")]
    public void Validate_TitleMissingOrNotOneLine_ReturnsInvalidStory(string title)
    {
        var draft = new StoryDraft(title);

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Fact]
    public void Validate_NullTitle_ReturnsInvalidStory()
    {
        var draft = new StoryDraft(null!);

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Fact]
    public void Validate_TitleOf200Characters_IsAccepted()
    {
        var draft = new StoryDraft(new string('t', 200));

        var result = draft.Validate();

        Assert.True(result.IsSuccess, result.Error?.ToString());
    }

    [Fact]
    public void Validate_TitleOf201Characters_ReturnsInvalidStory()
    {
        var draft = new StoryDraft(new string('t', 201));

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Fact]
    public void Validate_TitleOf200CharactersInsideSpaces_IsAccepted()
    {
        var draft = new StoryDraft("  " + new string('t', 200) + "  ");

        var result = draft.Validate();

        Assert.Equal(200, result.Value?.Title.Length);
    }

    [Fact]
    public void Validate_DescriptionOf10000Characters_IsAccepted()
    {
        var description = new string('d', 10_000);
        var draft = new StoryDraft("Title", description);

        var result = draft.Validate();

        Assert.Equal(description, result.Value?.Description);
    }

    [Fact]
    public void Validate_DescriptionOf10001Characters_ReturnsInvalidStory()
    {
        var draft = new StoryDraft("Title", new string('d', 10_001));

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Fact]
    public void Validate_DescriptionOnManyLines_IsKept()
    {
        var draft = new StoryDraft("Title", "Given a user\nWhen they log in\r\nThen they see the board");

        var result = draft.Validate();

        Assert.Equal("Given a user\nWhen they log in\r\nThen they see the board", result.Value?.Description);
    }

    [Fact]
    public void Validate_KeyOf50Characters_IsAccepted()
    {
        var key = new string('K', 50);
        var draft = new StoryDraft("Title", ExternalKey: key);

        var result = draft.Validate();

        Assert.Equal(key, result.Value?.ExternalKey);
    }

    [Fact]
    public void Validate_KeyOf51Characters_ReturnsInvalidStory()
    {
        var draft = new StoryDraft("Title", ExternalKey: new string('K', 51));

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Fact]
    public void Validate_KeyOnTwoLines_ReturnsInvalidStory()
    {
        var draft = new StoryDraft("Title", ExternalKey: "PROJ-1\nPROJ-2");

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Theory]
    [InlineData("http://tracker.example.com/PROJ-1")]
    [InlineData("https://tracker.example.com/browse/PROJ-1?focus=comments#c12")]
    [InlineData("HTTPS://TRACKER.EXAMPLE.COM/PROJ-1")]
    [InlineData("https://localhost:8443/issues/1")]
    public void Validate_AbsoluteHttpOrHttpsUrl_IsAccepted(string url)
    {
        var draft = new StoryDraft("Title", Url: url);

        var result = draft.Validate();

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(url, result.Value!.Url);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(document.cookie)")]
    [InlineData("javascript://tracker.example.com/%0Aalert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://tracker.example.com/PROJ-1")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:team@example.com")]
    [InlineData("tracker.example.com/PROJ-1")]
    [InlineData("/browse/PROJ-1")]
    [InlineData("PROJ-1")]
    [InlineData("http://")]
    public void Validate_UrlNotAbsoluteHttpOrHttps_ReturnsInvalidStory(string url)
    {
        var draft = new StoryDraft("Title", Url: url);

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Theory]
    [InlineData("https://tracker.example.com/PROJ-1\nSet-Cookie: a=b")]
    [InlineData("https://tracker.example.com/PROJ-1\r\nx")]
    [InlineData("https://tracker.example.com/\0PROJ-1")]
    [InlineData("https://tracker.example.com/\u0007PROJ-1")]
    public void Validate_UrlWithControlCharacter_ReturnsInvalidStory(string url)
    {
        var draft = new StoryDraft("Title", Url: url);

        var result = draft.Validate();

        AssertInvalidStory(result);
    }

    [Fact]
    public void Validate_UrlOf2000Characters_IsAccepted()
    {
        var url = "https://tracker.example.com/" + new string('a', 2000 - 28);
        var draft = new StoryDraft("Title", Url: url);

        var result = draft.Validate();

        Assert.Equal(2000, url.Length);
        Assert.Equal(url, result.Value?.Url);
    }

    [Fact]
    public void Validate_UrlOf2001Characters_ReturnsInvalidStory()
    {
        var url = "https://tracker.example.com/" + new string('a', 2001 - 28);
        var draft = new StoryDraft("Title", Url: url);

        var result = draft.Validate();

        Assert.Equal(2001, url.Length);
        AssertInvalidStory(result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void ParseLines_NoText_ReturnsNoDraft(string? text)
    {
        var drafts = StoryDraft.ParseLines(text);

        Assert.Empty(drafts);
    }

    [Fact]
    public void ParseLines_OneStoryPerLine_SkipsBlankLines()
    {
        var text = "Login\n\nLogout\n   \n\t\nReset password\n";

        var drafts = StoryDraft.ParseLines(text);

        Assert.Equal<StoryDraft>([new("Login"), new("Logout"), new("Reset password")], drafts);
    }

    [Fact]
    public void ParseLines_CrLfLineEnds_LeaveNoCarriageReturn()
    {
        var text = "Login\r\n\r\nLogout\r\nReset password\tBy e-mail\r\n";

        var drafts = StoryDraft.ParseLines(text);

        Assert.Equal<StoryDraft>([new("Login"), new("Logout"), new("Reset password", "By e-mail")], drafts);
    }

    [Theory]
    [InlineData("- Login")]
    [InlineData("* Login")]
    [InlineData("• Login")]
    [InlineData("+ Login")]
    [InlineData("1. Login")]
    [InlineData("12) Login")]
    [InlineData("3)   Login")]
    [InlineData("  -   Login  ")]
    [InlineData("Login")]
    public void ParseLines_BulletOrNumber_IsStripped(string line)
    {
        var drafts = StoryDraft.ParseLines(line);

        Assert.Equal<StoryDraft>([new("Login")], drafts);
    }

    [Theory]
    [InlineData("-Login")]
    [InlineData("1.5 points for login")]
    [InlineData("2024 roadmap")]
    [InlineData("12)Login")]
    [InlineData("v1. Login")]
    public void ParseLines_NoBullet_KeepsLineAsIs(string line)
    {
        var drafts = StoryDraft.ParseLines(line);

        Assert.Equal<StoryDraft>([new(line)], drafts);
    }

    [Fact]
    public void ParseLines_BulletedList_StripsEachBullet()
    {
        var text = "- Login\n* Logout\n• Profile\n1. Search\n12) Export";

        var drafts = StoryDraft.ParseLines(text);

        Assert.Equal(["Login", "Logout", "Profile", "Search", "Export"], drafts.Select(d => d.Title));
    }

    [Fact]
    public void ParseLines_Tab_SplitsTitleAndDescription()
    {
        var text = "Login \t As a user I log in. \nLogout\tAs a user I log out.";

        var drafts = StoryDraft.ParseLines(text);

        Assert.Equal<StoryDraft>([new("Login", "As a user I log in."), new("Logout", "As a user I log out.")], drafts);
    }

    [Fact]
    public void ParseLines_TabAfterBullet_SplitsTitleAndDescription()
    {
        var text = "- Login\tAs a user I log in.";

        var drafts = StoryDraft.ParseLines(text);

        Assert.Equal<StoryDraft>([new("Login", "As a user I log in.")], drafts);
    }

    [Fact]
    public void ParseLines_SecondTab_StaysInDescription()
    {
        var text = "Login\tpart one\tpart two";

        var drafts = StoryDraft.ParseLines(text);

        Assert.Equal<StoryDraft>([new("Login", "part one\tpart two")], drafts);
    }

    [Fact]
    public void ParseLines_TabWithBlankDescription_GivesNullDescription()
    {
        var text = "Login\t   \t\nLogout";

        var drafts = StoryDraft.ParseLines(text);

        Assert.Equal<StoryDraft>([new("Login"), new("Logout")], drafts);
    }

    [Fact]
    public void ParseLines_Drafts_AreNotValidated()
    {
        var title = new string('t', 201);

        var drafts = StoryDraft.ParseLines(title);

        Assert.Equal(title, Assert.Single(drafts).Title);
        Assert.False(drafts[0].Validate().IsSuccess);
    }

    private static void AssertInvalidStory(Result<StoryDraft> result)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(RoomErrorCode.InvalidStory, result.Error!.Code);
    }

    [Theory]
    [InlineData("- ")]
    [InlineData("1.")]
    [InlineData("  *  ")]
    [InlineData("\tonly a description")]
    public void ParseLines_LineWithoutATitle_IsSkipped(string line)
    {
        var drafts = StoryDraft.ParseLines($"First\n{line}\nLast");

        Assert.Equal(["First", "Last"], drafts.Select(d => d.Title));
    }

    [Fact]
    public void ParseLines_BulletThenTab_KeepsBothColumns()
    {
        var draft = Assert.Single(StoryDraft.ParseLines("- Login\tAs a user I sign in"));

        Assert.Equal(new StoryDraft("Login", "As a user I sign in"), draft);
    }
}
