using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

public sealed class VoteTableTests : UiTest
{
    [Fact]
    public void WhileVoting_WhoVotedShowsAFaceDownCard_WhoHasNotIsVisibleAtAGlance()
    {
        var view = Room(RoomState.Voting, [Person(1, "Fanny", voted: true, card: "5", role: Role.Facilitator), Person(2, "Alice", voted: true), Person(3, "Bob"), Person(4, "Olga", role: Role.Observer)],
            new RoundDto(1, null, 1, RoundState.Voting, default, 2, null));

        var table = Render<VoteTable>(p => p.Add(t => t.View, view));

        Assert.Equal(2, table.FindAll(".face-down").Count);
        Assert.Equal("has not voted yet", Assert.Single(table.FindAll(".waiting")).GetAttribute("aria-label"));
        Assert.Empty(table.FindAll(".face-up"));
        Assert.DoesNotContain(">5<", table.Markup, StringComparison.Ordinal); // not even one's own card on the table before reveal
    }

    [Fact]
    public void AfterTheReveal_CardsShowFaceUp_AndTheExtremesAreMarked()
    {
        var result = new RoundResultDto([new("2", 1, [2]), new("5", 1, [1]), new("13", 1, [3])], 3, 2, 13, 6.67m, 5, [], 3, false, false, [2], [3], "5", [], false);
        var view = Room(RoomState.Revealed, [Person(1, "Fanny", true, "5", Role.Facilitator), Person(2, "Alice", true, "2"), Person(3, "Bob", true, "13")],
            new RoundDto(1, null, 1, RoundState.Revealed, default, 3, result));

        var table = Render<VoteTable>(p => p.Add(t => t.View, view));

        Assert.Equal(["5", "2", "13"], table.FindAll(".face-up").Select(c => c.TextContent));
        Assert.Equal(["2", "3"], table.FindAll(".seat.explains").Select(s => s.GetAttribute("data-participant")));
    }

    [Fact]
    public void NamesAreUntrustedText_RenderedEscaped()
    {
        var view = Room(RoomState.Lobby, [Person(1, "<img src=x onerror=alert(1)>")]);

        var table = Render<VoteTable>(p => p.Add(t => t.View, view));

        Assert.Empty(table.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)>", table.Find(".name").TextContent);
    }

    [Fact]
    public void TheTableCarriesNoAdminControls_RolesAndRemovalLiveInThePeoplePanel()
    {
        var view = Room(RoomState.Lobby, [Person(1, "Fanny", role: Role.Facilitator), Person(2, "Alice"), Person(3, "Bob", role: Role.Observer)]);

        var table = Render<VoteTable>(p => p.Add(t => t.View, view));

        Assert.Empty(table.FindAll("select"));
        Assert.Empty(table.FindAll("button"));
        // Estimator is the default and goes unsaid; the other roles are named on the seat.
        Assert.Equal(["Facilitator", "Observer"], table.FindAll(".role").Select(r => r.TextContent));
    }

    [Fact]
    public void SomeoneAway_IsShownAway_InWords()
    {
        var view = Room(RoomState.Voting, [Person(1, "Fanny", role: Role.Facilitator), Person(2, "Alice"), Person(3, "Bob", present: false)],
            new RoundDto(1, null, 1, RoundState.Voting, default, 0, null));

        var table = Render<VoteTable>(p => p.Add(t => t.View, view));

        var bob = table.Find("[data-participant='3']");
        Assert.Equal("away", bob.QuerySelector(".badge.away")!.TextContent);
        Assert.Null(table.Find("[data-participant='2']").QuerySelector(".badge.away"));
        Assert.Null(bob.QuerySelector(".waiting")); // not "has not voted yet": gone, and not waited for
        Assert.NotNull(table.Find("[data-participant='2']").QuerySelector(".waiting"));
    }
}
