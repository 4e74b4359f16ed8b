using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// A French reader sees decimal cards with a comma everywhere a card appears (hand, table, accept choice), whatever
/// separator the deck was written with; the label sent to the server stays the deck's own.
/// </summary>
public sealed class CardLabelCultureTests() : UiTest("fr")
{
    private static readonly IReadOnlyList<CardDto> Halves = [new("0.5", 0.5m), new("1", 1), new("2,5", 2.5m), new("XL", null)];

    [Fact]
    public void TheHandShowsDecimalCardsWithAComma_AndPlaysTheDecksOwnLabel()
    {
        var played = new List<string>();
        var hand = Render<Hand>(p => p.Add(h => h.Cards, Halves).Add(h => h.Enabled, true).Add(h => h.OnPick, c => played.Add(c)));

        Assert.Equal(["0,5", "1", "2,5", "XL"], hand.FindAll(".playing-card").Select(c => c.TextContent.Trim()));
        Assert.Equal("0,5", hand.Find("#card-0").GetAttribute("aria-label"));
        hand.Find("#card-0").Click();
        Assert.Equal(["0.5"], played);
    }

    [Fact]
    public void TheTableShowsARevealedDecimalCardWithAComma()
    {
        var view = Room(RoomState.Revealed, [Person(1, "Fanny", voted: true, card: "0.5"), Person(2, "Alice", voted: true, card: "2,5")],
            new RoundDto(1, null, 1, RoundState.Revealed, default, 2, null));

        var table = Render<VoteTable>(p => p.Add(t => t.View, view));

        Assert.Equal(["0,5", "2,5"], table.FindAll(".face-up").Select(c => c.TextContent));
        Assert.Equal("a joué 0,5", table.Find(".face-up").GetAttribute("aria-label"));
    }

    [Fact]
    public void TheRoundsSideBySideShowDecimalCardsWithAComma()
    {
        var history = new StoryHistoryDto(null, [], [new VoterMovementDto(1, "Fanny", ["0.5", "1"])]);

        var table = Render<RoundHistory>(p => p.Add(h => h.History, history with { Rounds = [] }));
        Assert.Empty(table.FindAll("td")); // no revealed round: nothing to show yet

        var cells = Render<RoundHistory>(p => p.Add(h => h.History, history with { Rounds = [Record(1), Record(2)] })).FindAll("tbody td");
        Assert.Equal(["0,5", "1"], cells.Select(c => c.FirstChild!.TextContent.Trim()));
    }

    private static RoundRecordDto Record(int number) =>
        new(number, number, RoundState.Revealed, default, default, 1, [], new RoundResultDto([], 1, 0.5m, 1, 0.75m, 0.75m, [], 1, false, false, [], [], "1", [], false), null);
}
