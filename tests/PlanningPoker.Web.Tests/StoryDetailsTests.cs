using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

public sealed class StoryDetailsTests : UiTest
{
    [Fact]
    public void ShowsTheDescriptionEscaped_AndTheTrackerLinkOpensWithoutOpener()
    {
        var details = new StoryDetailsDto(1, "Login", "<img src=x onerror=alert(1)>\nSecond line", "PP-1", "https://tracker.example/PP-1", StoryState.Pending, null);

        var shown = Render<StoryDetails>(p => p.Add(d => d.Details, details));

        Assert.Empty(shown.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)>\nSecond line", shown.Find(".story-details .description").TextContent);
        var link = shown.Find(".story-details a");
        Assert.Equal("PP-1", link.TextContent);
        Assert.Equal("https://tracker.example/PP-1", link.GetAttribute("href"));
        Assert.Equal("noopener noreferrer", link.GetAttribute("rel"));
        Assert.Equal("_blank", link.GetAttribute("target"));
    }

    [Fact]
    public void ShowsNothing_WhenTheStoryHasNeitherDescriptionNorLink()
    {
        var shown = Render<StoryDetails>(p => p.Add(d => d.Details, new StoryDetailsDto(1, "Login", null, "PP-1", null, StoryState.Pending, null)));

        Assert.Empty(shown.FindAll(".story-details"));
    }
}
