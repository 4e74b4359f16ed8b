using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

public sealed class BacklogTests : UiTest
{
    private static readonly StoryDto[] Stories =
    [
        new(1, "Login", "PP-1", StoryState.Estimated, "5", HasDetails: true),
        new(2, "<script>alert('x')</script>", null, StoryState.Pending),
        new(3, "Logout", null, StoryState.Pending),
    ];

    private readonly List<object> _calls = [];

    [Fact]
    public void ShowsStoriesInOrder_WithStateAndFinalEstimate_AndTheTotal()
    {
        var backlog = Render(facilitator: false);

        Assert.Equal(["1", "2", "3"], backlog.FindAll(".story").Select(s => s.GetAttribute("data-story")));
        Assert.Equal("5", backlog.Find(".estimate").TextContent);
        Assert.Equal(["Estimated", "To estimate", "To estimate"], backlog.FindAll(".state").Select(s => s.TextContent));
        Assert.Contains("Total of accepted estimates: 5", backlog.Find(".total").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void StoryTextIsEscaped()
    {
        var backlog = Render(facilitator: false);

        Assert.Empty(backlog.FindAll("script"));
        Assert.Equal("<script>alert('x')</script>", backlog.FindAll(".story-title")[1].TextContent);
        Assert.Equal("PP-1", backlog.Find(".key").TextContent);
    }

    [Fact]
    public void AnEstimatorSeesNoEditingControls()
    {
        var backlog = Render(facilitator: false);

        Assert.Empty(backlog.FindAll("form"));
        Assert.Empty(backlog.FindAll(".story-actions button"));
    }

    [Fact]
    public void AFacilitatorAddsOneStory_OrPastesMany()
    {
        var backlog = Render(facilitator: true);

        backlog.Find("#new-story").Input("Checkout");
        backlog.Find("form.add-story").Submit();
        backlog.Find("#paste-lines").Input("- One\n- Two\n- Three");
        backlog.Find(".paste button").Click();

        Assert.Equal([new StoryDraftDto("Checkout"), "- One\n- Two\n- Three"], _calls);
    }

    [Fact]
    public void AFacilitatorReordersWithTheMoveButtons_TheEndsCannotMoveFurther()
    {
        var backlog = Render(facilitator: true);

        backlog.Find("[aria-label='Move “Logout” up']").Click();
        backlog.Find("[aria-label='Move “Login” down']").Click();

        Assert.Equal([(3, 1), (1, 1)], _calls);
        Assert.True(backlog.Find("[aria-label='Move “Login” up']").HasAttribute("disabled"));
        Assert.True(backlog.Find("[aria-label='Move “Logout” down']").HasAttribute("disabled"));
    }

    [Fact]
    public void AFacilitatorReordersByDragAndDrop()
    {
        var backlog = Render(facilitator: true);

        backlog.FindAll(".story")[2].DragStart();
        backlog.FindAll(".story")[0].Drop();

        Assert.Equal([(3, 0)], _calls);
    }

    [Fact]
    public void AFacilitatorEditsATitle_StartsARound_AndSkips()
    {
        var backlog = Render(facilitator: true);

        backlog.FindAll(".story")[2].QuerySelectorAll("button").Single(b => b.TextContent == "Edit").Click();
        backlog.Find("#edit-3").Change("Log out everywhere");
        backlog.Find("form.edit").Submit();
        backlog.FindAll(".story")[1].QuerySelectorAll("button").Single(b => b.TextContent == "Estimate").Click();
        backlog.FindAll(".story")[1].QuerySelectorAll("button").Single(b => b.TextContent == "Skip").Click();

        Assert.Equal([(3, new StoryDraftDto("Log out everywhere")), "start 2", "skip 2"], _calls);
    }

    [Fact]
    public void AnEditedTitleKeepsTheKey_TheDescriptionAndLinkAreThePagesToAdd()
    {
        var backlog = Render(facilitator: true);

        backlog.FindAll(".story")[0].QuerySelectorAll("button").Single(b => b.TextContent == "Edit").Click();
        backlog.Find("#edit-1").Change("Log in");
        backlog.Find("form.edit").Submit();

        Assert.Equal([(1, new StoryDraftDto("Log in", ExternalKey: "PP-1"))], _calls);
    }

    private IRenderedComponent<Backlog> Render(bool facilitator) =>
        Render<Backlog>(p => p
            .Add(b => b.Stories, Stories)
            .Add(b => b.IsFacilitator, facilitator)
            .Add(b => b.CanStart, true)
            .Add(b => b.Total, 5m)
            .Add(b => b.OnAdd, d => _calls.Add(d))
            .Add(b => b.OnPaste, t => _calls.Add(t))
            .Add(b => b.OnMove, m => _calls.Add((m.StoryId, m.Index)))
            .Add(b => b.OnEdit, e => _calls.Add((e.StoryId, e.Draft)))
            .Add(b => b.OnStart, id => _calls.Add($"start {id}"))
            .Add(b => b.OnSkip, id => _calls.Add($"skip {id}")));
}
