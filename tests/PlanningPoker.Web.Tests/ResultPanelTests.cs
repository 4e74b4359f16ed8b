using System.Globalization;
using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

public sealed class ResultPanelTests : UiTest
{
    private static readonly ParticipantDto[] People = [Person(1, "Fanny"), Person(2, "Alice"), Person(3, "Bob"), Person(4, "Chloé")];

    [Fact]
    public void TheSuggestedEstimateAndTheActionsComeFirst_ThenWhoExplains_ThenTheDistribution()
    {
        var result = new RoundResultDto([new("2", 1, [2]), new("8", 1, [3])], 2, 2, 8, 5, 5, [], 6, false, false, [2], [3], "5", [], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People)
            .Add(r => r.Actions, b => b.AddMarkupContent(0, "<button id=accept-button>Accept</button>")));

        var order = panel.FindAll(".suggested, #accept-button, .explain, .distribution").Select(e => e.Id is { Length: > 0 } id ? id : e.ClassName).ToList();
        Assert.Equal(["suggested", "accept-button", "explain", "distribution"], order);
        Assert.NotNull(panel.Find(".result-head #accept-button"));
    }

    [Fact]
    public void ShowsTheDistributionAsBars_TheChosenStatistic_TheSuggestedEstimate_AndWhoExplainsFirst()
    {
        var result = new RoundResultDto([new("2", 1, [2]), new("3", 2, [1, 4]), new("8", 1, [3])], 4, 2, 8, 4, 3, ["3"], 3, false, false, [2], [3], "3", [], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People).Add(r => r.Statistic, Statistic.Mean));

        Assert.Equal(["2", "3", "8"], panel.FindAll(".bar-label").Select(b => b.TextContent));
        Assert.Equal(["--share: 0.25", "--share: 0.5", "--share: 0.25"], panel.FindAll(".bar").Select(b => b.GetAttribute("style")));
        Assert.Equal("Mean", panel.Find(".stats dt").TextContent);
        Assert.Equal("4", panel.Find(".statistic").TextContent);
        Assert.Equal("3", panel.Find(".suggested").TextContent);
        Assert.Contains("Lowest: Alice. Highest: Bob. They explain first.", panel.Find(".explain").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll(".badge"));
        Assert.Empty(panel.FindAll(".missing"));
        Assert.Empty(panel.FindAll(".only-special"));
    }

    [Fact]
    public void ConsensusGetsItsBadge_AndNobodyIsAskedToExplain()
    {
        var result = new RoundResultDto([new("5", 2, [1, 2])], 2, 5, 5, 5, 5, ["5"], 0, true, false, [1, 2], [1, 2], "5", [], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People));

        Assert.Equal("Consensus", panel.Find(".badge.success").TextContent);
        Assert.Empty(panel.FindAll(".explain"));
    }

    [Fact]
    public void InFrench_NumbersUseTheFrenchDecimalComma()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        var result = new RoundResultDto([new("2", 1, [1]), new("3", 1, [2])], 2, 2, 3, 2.5m, 2.5m, [], 1, false, true, [1], [2], "3", [], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People));

        Assert.Equal("Médiane", panel.Find(".stats dt").TextContent);
        Assert.Equal("2,5", panel.Find(".statistic").TextContent);
        Assert.Equal("Quasi-consensus", panel.Find(".badge.accent").TextContent);
    }

    [Fact]
    public void InFrench_CardsAndEstimatesUseTheDecimalComma_AndVotesAreCountedWithFrenchPlurals()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        var result = new RoundResultDto([new("2.5", 1, [1]), new("3", 2, [2, 3])], 3, 2.5m, 3, 2.83m, 3, ["3"], 1, false, true, [1], [2, 3], "2.5", [], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People));

        Assert.Equal(["2,5", "3"], panel.FindAll(".bar-label").Select(b => b.TextContent));
        Assert.Equal(["1 vote", "2 votes"], panel.FindAll(".bar-count").Select(b => b.TextContent));
        Assert.Equal("2,5", panel.Find(".suggested").TextContent);
        Assert.Equal("2,5 – 3", panel.FindAll(".stats dd")[1].TextContent);
    }

    [Fact]
    public void InEnglish_VotesAreCountedWithEnglishPlurals()
    {
        var result = new RoundResultDto([new("2,5", 1, [1]), new("3", 2, [2, 3])], 3, 2.5m, 3, 2.83m, 3, ["3"], 1, false, true, [1], [2, 3], "2,5", [], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People));

        Assert.Equal(["2.5", "3"], panel.FindAll(".bar-label").Select(b => b.TextContent));
        Assert.Equal(["1 vote", "2 votes"], panel.FindAll(".bar-count").Select(b => b.TextContent));
        Assert.Equal("2.5", panel.Find(".suggested").TextContent);
    }

    [Fact]
    public void MissingVotes_SayHowManyVotedOfThePresentVoters_AndNameWhoDidNot()
    {
        var result = new RoundResultDto([new("5", 2, [2, 4])], 2, 5, 5, 5, 5, ["5"], 0, false, false, [], [], "5", [3], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People));

        Assert.Equal("2 of 3 voted. Not voted: Bob.", panel.Find(".missing").TextContent);
        Assert.Empty(panel.FindAll(".badge"));
    }

    [Fact]
    public void InFrench_MissingVotesNameEveryoneWhoDidNotVote()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        var result = new RoundResultDto([new("8", 1, [2])], 1, 8, 8, 8, 8, ["8"], 0, false, false, [], [], "8", [3, 4], false);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People));

        Assert.Equal("1 sur 3 ont voté. N’ont pas voté\u202f: Bob, Chloé.", panel.Find(".missing").TextContent);
    }

    [Fact]
    public void OnlySpecialCards_SaysThereIsNoEstimateToSuggest()
    {
        var result = new RoundResultDto([new("?", 2, [2, 3]), new("☕", 1, [4])], 3, null, null, null, null, [], null, false, false, [], [], null, [], true);

        var panel = Render<ResultPanel>(p => p.Add(r => r.Result, result).Add(r => r.Participants, People));

        Assert.Equal("Only ?, ☕ or ∞ played: no estimate to suggest.", panel.Find(".only-special").TextContent);
        Assert.Equal("—", panel.Find(".suggested").TextContent);
        Assert.Empty(panel.FindAll(".badge"));
    }
}
