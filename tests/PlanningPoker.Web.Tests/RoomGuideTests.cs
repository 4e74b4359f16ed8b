using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>The empty room's guide (issue 10, item 9): invite people, add stories; each step leaves once done.</summary>
public sealed class RoomGuideTests : UiTest
{
    private const string Link = "https://poker.example/rooms/r1";
    private static readonly ParticipantDto Fanny = Person(1, "Fanny", role: Role.Facilitator);
    private static readonly StoryDto Login = new(1, "Login", "PP-1", StoryState.Pending);

    [Fact]
    public void AFacilitatorAloneInAnEmptyRoom_IsToldToInvitePeople_WithTheLink_AndToAddStories()
    {
        var guide = Render(Room(RoomState.Lobby, [Fanny]));

        Assert.Equal(2, guide.FindAll(".room-guide li").Count);
        Assert.Equal(Link, guide.Find("#guide-invite-link").GetAttribute("value"));
        Assert.Equal("Invite people: share this link", guide.Find("label[for=guide-invite-link]").TextContent);
        Assert.Contains("Add stories to the backlog, or start a quick vote.", guide.Find(".guide-stories").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCopyButtonCopiesTheLink()
    {
        var guide = Render(Room(RoomState.Lobby, [Fanny]));

        guide.Find(".guide-invite button").Click();

        Assert.Equal("Link copied", guide.Find(".guide-invite button").TextContent);
    }

    [Fact]
    public void OnceSomeoneJoined_OnlyTheStoriesStepIsLeft()
    {
        var guide = Render(Room(RoomState.Lobby, [Fanny, Person(2, "Luc")]));

        Assert.Empty(guide.FindAll(".guide-invite"));
        Assert.Single(guide.FindAll(".guide-stories"));
    }

    [Fact]
    public void OnceAStoryIsAdded_OnlyTheInviteStepIsLeft()
    {
        var guide = Render(Room(RoomState.Lobby, [Fanny], stories: [Login]));

        Assert.Single(guide.FindAll(".guide-invite"));
        Assert.Empty(guide.FindAll(".guide-stories"));
    }

    [Fact]
    public void WithPeopleAndStories_OrAQuickVoteOpen_TheGuideIsGone()
    {
        var withStories = Render(Room(RoomState.Lobby, [Fanny, Person(2, "Luc")], stories: [Login]));
        var quickVote = Render(Room(RoomState.Voting, [Fanny, Person(2, "Luc")], round: new RoundDto(1, null, 1, RoundState.Voting, default, 0, null)));

        Assert.Empty(withStories.FindAll(".room-guide"));
        Assert.Empty(quickVote.FindAll(".room-guide"));
    }

    [Fact]
    public void AnEstimatorIsNotGuided()
    {
        var guide = Render(Room(RoomState.Lobby, [Fanny, Person(2, "Luc")], viewer: 2), facilitator: false);

        Assert.Empty(guide.FindAll(".room-guide"));
    }

    [Fact]
    public void HiddenOnce_TheGuideStaysHiddenForThatRoom()
    {
        var guide = Render(Room(RoomState.Lobby, [Fanny]));

        guide.Find(".guide-hide").Click();
        var again = Render(Room(RoomState.Lobby, [Fanny]));
        var otherRoom = Render(Room(RoomState.Lobby, [Fanny]) with { RoomId = "r2" });

        Assert.Empty(guide.FindAll(".room-guide"));
        Assert.Empty(again.FindAll(".room-guide"));
        Assert.Single(otherRoom.FindAll(".room-guide"));
        Assert.Equal("1", ((RecordingBrowserStore)Services.GetRequiredService<BrowserStore>()).Items["poker.guide-hidden.r1"]);
    }

    [Fact]
    public void TheStepsLeaveAsTheRoomFillsUp()
    {
        var guide = Render(Room(RoomState.Lobby, [Fanny]));

        guide.Render(p => p.Add(g => g.View, Room(RoomState.Lobby, [Fanny, Person(2, "Luc")])));
        var afterJoin = guide.FindAll(".room-guide li").Count;
        guide.Render(p => p.Add(g => g.View, Room(RoomState.Lobby, [Fanny, Person(2, "Luc")], stories: [Login])));

        Assert.Equal(1, afterJoin);
        Assert.Empty(guide.FindAll(".room-guide"));
    }

    private IRenderedComponent<RoomGuide> Render(RoomViewDto view, bool facilitator = true) =>
        Render<RoomGuide>(p => p.Add(g => g.View, view).Add(g => g.IsFacilitator, facilitator).Add(g => g.InviteUrl, Link));
}
