using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

/// <summary>The facilitator's people panel: roles and removal, and a removal that asks first.</summary>
public sealed class PeopleTests : UiTest
{
    private static readonly RoomViewDto View =
        Room(RoomState.Lobby, [Person(1, "Fanny", role: Role.Facilitator), Person(2, "Alice"), Person(3, "Bob", present: false)]);

    [Fact]
    public void ListsEveryoneButTheViewer_WithTheirRole()
    {
        var panel = Render<People>(p => p.Add(x => x.View, View));

        Assert.Equal("People (2)", panel.Find("summary").TextContent);
        Assert.Equal(["2", "3"], panel.FindAll("li").Select(li => li.GetAttribute("data-participant")));
        Assert.Equal("Estimator", panel.Find("#role-2 option[selected]").TextContent);
        Assert.Equal("away", panel.Find("[data-participant='3'] .badge.away").TextContent);
    }

    [Fact]
    public void RemovingAsksFirst_AndCancelRemovesNobody()
    {
        var kicked = new List<int>();
        var panel = Render<People>(p => p.Add(x => x.View, View).Add(x => x.OnKick, id => kicked.Add(id)));

        panel.Find("[aria-label='Remove Bob from the room']").Click();

        Assert.Empty(kicked);
        Assert.Contains("Remove Bob from the room?", panel.Find("[data-participant='3'] .confirm").TextContent, StringComparison.Ordinal);
        panel.Find("[data-participant='3'] .confirm button:not(.danger)").Click();
        Assert.Empty(kicked);
        Assert.Empty(panel.FindAll(".confirm"));
        Assert.Equal("poker.focus", JSInterop.Invocations.Last().Identifier);
        Assert.Equal("remove-3", JSInterop.Invocations.Last().Arguments[0]);
    }

    [Fact]
    public void SayingYes_RemovesThatPersonOnly()
    {
        var kicked = new List<int>();
        var panel = Render<People>(p => p.Add(x => x.View, View).Add(x => x.OnKick, id => kicked.Add(id)));

        panel.Find("[aria-label='Remove Bob from the room']").Click();
        Assert.Equal("confirm-remove-yes-3", JSInterop.Invocations.Last().Arguments[0]); // the question has focus
        panel.Find("#confirm-remove-yes-3").Click();

        Assert.Equal([3], kicked);
    }

    [Fact]
    public void ChangingARole_SaysWhoAndWhich()
    {
        var changes = new List<(int, Role)>();
        var panel = Render<People>(p => p.Add(x => x.View, View).Add(x => x.OnChangeRole, c => changes.Add(c)));

        panel.Find("#role-2").Change(nameof(Role.Observer));

        Assert.Equal([(2, Role.Observer)], changes);
    }

    [Fact]
    public void AQuestionAboutSomeoneWhoLeftMeanwhile_Disappears()
    {
        var panel = Render<People>(p => p.Add(x => x.View, View));
        panel.Find("[aria-label='Remove Bob from the room']").Click();

        panel.Render(p => p.Add(x => x.View, View with { Participants = View.Participants.Take(2).ToList() }));

        Assert.Empty(panel.FindAll(".confirm"));
    }
}

/// <summary>Leaving asks first, and warns the only facilitator of what their leaving does to the room.</summary>
public sealed class LeaveRoomTests : UiTest
{
    [Fact]
    public void LeavingAsksFirst()
    {
        var left = 0;
        var leave = Render<LeaveRoom>(p => p.Add(x => x.OnLeave, () => left++));

        leave.Find("#leave-button").Click();
        Assert.Equal(0, left);
        Assert.Equal("Leave the room? You can come back with the invitation link.", leave.Find("#leave-question").TextContent);
        leave.Find("#leave-no").Click();
        Assert.Equal(0, left);
        leave.Find("#leave-button").Click();
        leave.Find("#leave-yes").Click();

        Assert.Equal(1, left);
    }

    [Fact]
    public void TheOnlyFacilitatorIsWarned_AndTheSafeAnswerHasFocus()
    {
        var leave = Render<LeaveRoom>(p => p.Add(x => x.IsLastFacilitator, true));

        leave.Find("#leave-button").Click();

        Assert.StartsWith("You are the only facilitator.", leave.Find("#leave-question").TextContent, StringComparison.Ordinal);
        Assert.Equal("Leave anyway", leave.Find("#leave-yes").TextContent);
        Assert.Equal("leave-no", JSInterop.Invocations.Last().Arguments[0]);
    }
}
