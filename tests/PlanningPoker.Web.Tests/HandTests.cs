using Bunit;
using Microsoft.AspNetCore.Components;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

public sealed class HandTests : UiTest
{
    private readonly List<string> _played = [];

    [Fact]
    public void EveryCardIsARadioInOneGroup_TheChosenOneChecked()
    {
        var hand = Render(selected: "5");

        Assert.NotNull(hand.Find("[role=radiogroup]"));
        var cards = hand.FindAll("[role=radio]");
        Assert.Equal(Fibonacci.Select(c => c.Label), cards.Select(c => c.TextContent.Trim()));
        Assert.Equal(["5"], cards.Where(c => c.GetAttribute("aria-checked") == "true").Select(c => c.TextContent.Trim()));
        Assert.Equal("? unsure", cards[^1].GetAttribute("aria-label"));
    }

    [Fact]
    public void ClickingACardPlaysIt()
    {
        var hand = Render();

        hand.FindAll("[role=radio]")[3].Click();

        Assert.Equal(["5"], _played);
    }

    [Fact]
    public void OutsideAnOpenRound_TheCardsAreDisabledAndNothingIsPlayed()
    {
        var hand = Render(enabled: false);

        Assert.All(hand.FindAll("[role=radio]"), c => Assert.True(c.HasAttribute("disabled")));
        hand.Find("[role=radiogroup]").KeyDown("5");
        Assert.Empty(_played);
    }

    [Fact]
    public void TypingALabelPlaysThatCard_TwoDigitsWithinASecondMakeOneNumber()
    {
        var hand = Render();
        var group = hand.Find("[role=radiogroup]");

        group.KeyDown("8");
        Clock.Advance(TimeSpan.FromSeconds(2));
        group.KeyDown("1");
        Clock.Advance(TimeSpan.FromMilliseconds(300));
        group.KeyDown("3");
        Clock.Advance(TimeSpan.FromSeconds(2));
        group.KeyDown("2");

        Assert.Equal(["8", "1", "13", "2"], _played);
    }

    [Fact]
    public void ArrowsMoveTheFocusAlongTheCards_WithOneTabStop()
    {
        var hand = Render(selected: "3");

        Assert.Equal(["0"], hand.FindAll("[role=radio]").Where(c => c.GetAttribute("aria-checked") == "true").Select(c => c.GetAttribute("tabindex")));
        hand.Find("[role=radiogroup]").KeyDown("ArrowRight");

        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "poker.focus" && (string?)i.Arguments[0] == "card-3");
        Assert.Single(hand.FindAll("[role=radio]"), c => c.GetAttribute("tabindex") == "0");
        Assert.Empty(_played);
    }

    [Fact]
    public void WithACardDown_TheVoterCanTakeItBack()
    {
        var withdrawn = 0;
        var hand = Render<Hand>(p => p
            .Add(h => h.Cards, Fibonacci)
            .Add(h => h.Selected, "2")
            .Add(h => h.Enabled, true)
            .Add(h => h.OnWithdraw, EventCallback.Factory.Create(this, () => withdrawn++)));

        hand.Find("button.link").Click();

        Assert.Equal(1, withdrawn);
    }

    private IRenderedComponent<Hand> Render(string? selected = null, bool enabled = true) =>
        Render<Hand>(p => p
            .Add(h => h.Cards, Fibonacci)
            .Add(h => h.Selected, selected)
            .Add(h => h.Enabled, enabled)
            .Add(h => h.OnPick, EventCallback.Factory.Create<string>(this, _played.Add)));
}
