using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Services;

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

    public BacklogTests() => Services.AddScoped<RoomSession>();

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
    public void AFacilitatorReordersFromTheMenu_TheEndsCannotMoveFurther()
    {
        var backlog = Render(facilitator: true);

        backlog.Find("#menu-3").Click();
        backlog.Find("#move-up-3").Click();
        backlog.Find("#menu-1").Click();
        backlog.Find("#move-down-1").Click();

        Assert.Equal([(3, 1), (1, 1)], _calls);
        Assert.True(backlog.Find("#move-up-1").HasAttribute("disabled"));
        backlog.Find("#menu-3").Click();
        Assert.True(backlog.Find("#move-down-3").HasAttribute("disabled"));
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

        backlog.Find("#menu-3").Click();
        backlog.Find("#menu-edit-3").Click();
        backlog.Find("#edit-3").Change("Log out everywhere");
        backlog.Find("form.edit").Submit();
        backlog.FindAll(".story")[1].QuerySelectorAll("button").Single(b => b.TextContent == "Estimate").Click();
        backlog.Find("#menu-2").Click();
        backlog.Find("#skip-2").Click();

        Assert.Equal([(3, new StoryDraftDto("Log out everywhere")), "start 2", "skip 2"], _calls);
    }

    [Fact]
    public void AnEditedTitleKeepsTheKey_TheDescriptionAndLinkAreThePagesToAdd()
    {
        var backlog = Render(facilitator: true);

        backlog.Find("#menu-1").Click();
        backlog.Find("#menu-edit-1").Click();
        backlog.Find("#edit-1").Change("Log in");
        backlog.Find("form.edit").Submit();

        Assert.Equal([(1, new StoryDraftDto("Log in", ExternalKey: "PP-1"))], _calls);
    }

    [Fact]
    public void EachStoryShowsOneActionAndAMenuButton()
    {
        var backlog = Render(facilitator: true);

        var rows = backlog.FindAll(".story");
        Assert.All(rows, row => Assert.InRange(row.QuerySelectorAll("button").Length, 1, 2));
        Assert.Equal(["Re-estimate", "⋯"], rows[0].QuerySelectorAll("button").Select(b => b.TextContent));
        Assert.Equal(["Estimate", "⋯"], rows[2].QuerySelectorAll("button").Select(b => b.TextContent));
        var menu = backlog.Find("#menu-3");
        Assert.Equal("true", menu.GetAttribute("aria-haspopup"));
        Assert.Equal("false", menu.GetAttribute("aria-expanded"));
        Assert.Equal("More actions for “Logout”", menu.GetAttribute("aria-label"));
        Assert.Equal("More actions for “PP-1”", backlog.Find("#menu-1").GetAttribute("aria-label"));
    }

    [Fact]
    public void TheMenuListsTheStorysActions_TakesFocus_MovesWithTheArrows_AndEscapeCloses()
    {
        var backlog = Render(facilitator: true);

        backlog.Find("#menu-2").Click();

        var menu = backlog.Find("#menu-2");
        Assert.Equal("true", menu.GetAttribute("aria-expanded"));
        Assert.Equal("menu-list-2", menu.GetAttribute("aria-controls"));
        Assert.Equal(["Edit", "Move up", "Move down", "Skip", "Remove"], backlog.FindAll("#menu-list-2 [role=menuitem]").Select(b => b.TextContent));
        Assert.Equal("menu-edit-2", LastFocus());
        backlog.Find("#menu-edit-2").Focus();
        backlog.Find("#menu-list-2").KeyDown("ArrowDown");
        Assert.Equal("move-up-2", LastFocus());
        backlog.Find("#menu-list-2").KeyDown("End");
        Assert.Equal("remove-2", LastFocus());
        backlog.Find("#menu-list-2").KeyDown("Escape");
        Assert.Empty(backlog.FindAll("[role=menu]"));
        Assert.Equal("false", backlog.Find("#menu-2").GetAttribute("aria-expanded"));
        Assert.Equal("menu-2", LastFocus());
    }

    [Fact]
    public void TheStoryOnTheTableCannotBeRemoved_NorStartedAgain()
    {
        StoryDto[] stories = [new(1, "Login", null, StoryState.Estimating)];
        var backlog = Render(facilitator: true, stories);

        backlog.Find("#menu-1").Click();

        Assert.Equal(["Edit", "Move up", "Move down"], backlog.FindAll("[role=menuitem]").Select(b => b.TextContent));
        Assert.Single(backlog.Find(".story").QuerySelectorAll("button:not([role])"));
    }

    [Fact]
    public void RemovingAPendingStory_SaysSo_AndUndoPutsItBackInItsPlace_WithItsKey()
    {
        StoryDto[] stories = [new(1, "Login", null, StoryState.Pending), new(2, "Export", "PP-101", StoryState.Pending), new(3, "Logout", null, StoryState.Pending)];
        var backlog = Render(facilitator: true, stories);

        backlog.Find("#menu-2").Click();
        backlog.Find("#remove-2").Click();
        backlog.Render(p => p.Add(b => b.Stories, [stories[0], stories[2]]));
        Assert.Equal("“PP-101” removed · Undo", backlog.Find(".removed-status").TextContent.Trim());
        Assert.Equal("undo-remove", LastFocus());
        backlog.Find("#undo-remove").Click();
        backlog.Render(p => p.Add(b => b.Stories, [stories[0], stories[2], new(4, "Export", "PP-101", StoryState.Pending)]));

        Assert.Equal(["remove 2", new StoryDraftDto("Export", ExternalKey: "PP-101"), (4, 1)], _calls);
        Assert.Empty(backlog.Find(".removed-status").TextContent.Trim());
        Assert.Equal("menu-4", LastFocus());
    }

    [Fact]
    public void RemovingAnEstimatedStory_IsConfirmedFirst_AndCanBeCancelled()
    {
        var backlog = Render(facilitator: true);

        backlog.Find("#menu-1").Click();
        backlog.Find("#remove-1").Click();
        Assert.Equal("Remove “PP-1”? Its estimate and rounds go with it.", backlog.Find(".confirm-remove span").TextContent);
        Assert.Equal("confirm-cancel-1", LastFocus());
        backlog.Find("#confirm-cancel-1").Click();
        Assert.Empty(backlog.FindAll(".confirm-remove"));
        Assert.Empty(_calls);
        backlog.Find("#menu-1").Click();
        backlog.Find("#remove-1").Click();
        backlog.Find(".confirm-remove button.danger").Click();

        Assert.Equal(["remove 1"], _calls);
        Assert.Empty(backlog.FindAll("#undo-remove"));
    }

    private string? LastFocus() => JSInterop.Invocations["poker.focus"][^1].Arguments[0] as string;

    private IRenderedComponent<Backlog> Render(bool facilitator, IReadOnlyList<StoryDto>? stories = null) =>
        Render<Backlog>(p => p
            .Add(b => b.Stories, stories ?? Stories)
            .Add(b => b.IsFacilitator, facilitator)
            .Add(b => b.CanStart, true)
            .Add(b => b.Total, 5m)
            .Add(b => b.OnAdd, d => _calls.Add(d))
            .Add(b => b.OnPaste, t => _calls.Add(t))
            .Add(b => b.OnMove, m => _calls.Add((m.StoryId, m.Index)))
            .Add(b => b.OnEdit, e => _calls.Add((e.StoryId, e.Draft)))
            .Add(b => b.OnRemove, id => _calls.Add($"remove {id}"))
            .Add(b => b.OnStart, id => _calls.Add($"start {id}"))
            .Add(b => b.OnSkip, id => _calls.Add($"skip {id}")));
}
