using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

/// <summary>A story's write-back in the backlog: on its way, written with the issue's link, or refused with the tracker's reason and a retry for facilitators.</summary>
public sealed class WriteBackStatusTests : UiTest
{
    private static readonly StoryDto Story = new(1, "Login", "PAY-1", StoryState.Estimated, "5");

    [Fact]
    public void Written_LinksToTheIssue_AndPendingSaysItIsOnItsWay()
    {
        var written = Render<WriteBackStatus>(p => p.Add(c => c.Story, Story).Add(c => c.WriteBack, new WriteBackDto(WriteBackState.Written, "5", "https://acme.atlassian.net/browse/PAY-1")));
        var link = written.Find("a");
        Assert.Equal(("https://acme.atlassian.net/browse/PAY-1", "noopener noreferrer", "In the tracker"), (link.GetAttribute("href"), link.GetAttribute("rel"), link.TextContent));

        var unsafeLink = Render<WriteBackStatus>(p => p.Add(c => c.Story, Story).Add(c => c.WriteBack, new WriteBackDto(WriteBackState.Written, "5", "javascript:alert(1)")));
        Assert.Empty(unsafeLink.FindAll("a"));

        var pending = Render<WriteBackStatus>(p => p.Add(c => c.Story, Story).Add(c => c.WriteBack, new WriteBackDto(WriteBackState.Pending, "5")));
        Assert.Contains("Sending to the tracker", pending.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_SaysTheTrackersReason_AndOnlyAFacilitatorMayRetry()
    {
        var retried = 0;
        var failed = new WriteBackDto(WriteBackState.Failed, "5", Reason: "<b>Field 'customfield_10016' cannot be set</b>");
        var facilitator = Render<WriteBackStatus>(p => p.Add(c => c.Story, Story).Add(c => c.WriteBack, failed).Add(c => c.CanRetry, true).Add(c => c.OnRetry, () => retried++));

        Assert.Contains("Not written to the tracker: <b>Field", facilitator.Find(".write-back.failed").TextContent, StringComparison.Ordinal);
        Assert.Empty(facilitator.FindAll(".write-back b"));
        facilitator.Find("button").Click();
        Assert.Equal(1, retried);
        Assert.Equal("Write the estimate of PAY-1 to the tracker again", facilitator.Find("button").GetAttribute("aria-label"));

        var estimator = Render<WriteBackStatus>(p => p.Add(c => c.Story, Story).Add(c => c.WriteBack, failed));
        Assert.Empty(estimator.FindAll("button"));
    }
}
