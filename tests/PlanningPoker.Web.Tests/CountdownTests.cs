using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

public sealed class CountdownTests : UiTest
{
    [Fact]
    public void CountsDownToTheServersEndTime_ThenSaysTimeIsUp()
    {
        var now = Clock.GetUtcNow();
        var timer = new TimerDto(now, 90, now.AddSeconds(90));

        var countdown = Render<Countdown>(p => p.Add(c => c.Timer, timer));
        Assert.Equal("1:30", countdown.Find(".time").TextContent);

        Clock.Advance(TimeSpan.FromSeconds(31));
        countdown.WaitForAssertion(() => Assert.Equal("0:59", countdown.Find(".time").TextContent));

        Clock.Advance(TimeSpan.FromSeconds(60));
        countdown.WaitForAssertion(() => Assert.Equal("Time’s up", countdown.Find(".time").TextContent));
        Assert.Contains("over", countdown.Find(".countdown").ClassList);
    }

    [Fact]
    public void WithoutATimer_NothingIsShown()
    {
        var countdown = Render<Countdown>(p => p.Add(c => c.Timer, null));

        Assert.Empty(countdown.FindAll(".countdown"));
    }
}
