using PlanningPoker.Server.Realtime;

namespace PlanningPoker.Server.Tests.Realtime;

public sealed class VersionOrderTests
{
    [Fact]
    public void InOrderChangesPassStraightThrough_TheFirstSetsTheStart()
    {
        var order = new VersionOrder<long>();

        Assert.Equal([41L], order.Accept(41, 41));
        Assert.Equal([42L], order.Accept(42, 42));
        Assert.False(order.HasWaiting);
    }

    [Fact]
    public void AnEarlyChangeWaitsForTheOnesBefore_ThenAllGoInOrder()
    {
        var order = new VersionOrder<long>();
        order.Accept(297, 297);

        Assert.Empty(order.Accept(303, 303));
        Assert.Empty(order.Accept(300, 300));
        Assert.Equal([298L], order.Accept(298, 298));
        Assert.Equal([299L, 300L], order.Accept(299, 299));
        Assert.Empty(order.Accept(302, 302));
        Assert.Equal([301L, 302L, 303L], order.Accept(301, 301));
        Assert.False(order.HasWaiting);
        Assert.Equal(303, order.Last);
    }

    [Fact]
    public void AJump_GoesAtOnce_AfterTheOnesWaitingBeforeIt_AndTheOnesAfterItFollow()
    {
        var order = new VersionOrder<long>();
        order.Accept(10, 10);
        Assert.Empty(order.Accept(12, 12)); // pushed early by a room's instance that then died: 11 never comes
        Assert.Empty(order.Accept(46, 46)); // the next instance's second change, come before its first

        Assert.Equal([12L, 45L, 46L], order.AcceptJump(45, 45));
        Assert.False(order.HasWaiting);
        Assert.Equal(46, order.Last);
        Assert.Empty(order.AcceptJump(40, 40)); // below what went: stale
        Assert.Equal([47L], order.Accept(47, 47));
    }

    [Fact]
    public void DuplicatesAndStaleChangesAreDropped()
    {
        var order = new VersionOrder<long>();
        order.Accept(10, 10);
        order.Accept(12, 12);

        Assert.Empty(order.Accept(10, 10));
        Assert.Empty(order.Accept(9, 9));
        Assert.Empty(order.Accept(12, 12));
        Assert.Equal([11L, 12L], order.Accept(11, 11));
    }

    [Fact]
    public void AFlushLetsTheWaitingGoInOrder_AcceptingTheGap_AndLaterOnesFollow()
    {
        var order = new VersionOrder<long>();
        order.Accept(5, 5);
        order.Accept(9, 9);
        order.Accept(7, 7);
        order.Accept(8, 8);

        Assert.Equal([7L, 8L, 9L], order.Flush());
        Assert.False(order.HasWaiting);
        Assert.Empty(order.Accept(6, 6)); // came too late: clients saw the jump and fetched the view
        Assert.Equal([10L], order.Accept(10, 10));
    }
}
