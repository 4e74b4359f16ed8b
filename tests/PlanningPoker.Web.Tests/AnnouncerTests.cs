using Bunit;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

/// <summary>The live region says what just changed in the room, then the round's state.</summary>
public sealed class AnnouncerTests : UiTest
{
    private static readonly StoryDto Login = new(1, "Login with SSO", "PP-101", StoryState.Pending);

    [Fact]
    public void ARoundStartingOnAStory_IsAnnouncedWithItsTitle()
    {
        var lobby = Room(RoomState.Lobby, [Person(1, "Fanny"), Person(2, "Bob")], stories: [Login]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, lobby));
        Assert.Equal("", Text(announcer));

        var voting = lobby with { State = RoomState.Voting, CurrentRound = Round(1, storyId: 1), Stories = [Login with { State = StoryState.Estimating }], Version = 8 };
        announcer.Render(p => p.Add(a => a.View, voting));

        Assert.Equal("Voting on Login with SSO. 0 of 2 have voted", Text(announcer));
    }

    [Fact]
    public void AQuickVote_AVote_AndAnAcceptedEstimate_AreAnnounced()
    {
        var lobby = Room(RoomState.Lobby, [Person(1, "Fanny")], stories: [Login]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, lobby));

        var quick = lobby with { State = RoomState.Voting, CurrentRound = Round(1), Version = 8 };
        announcer.Render(p => p.Add(a => a.View, quick));
        Assert.Equal("Quick vote started. 0 of 1 have voted", Text(announcer));

        var voted = quick with { CurrentRound = Round(1, votes: 1), Version = 9 };
        announcer.Render(p => p.Add(a => a.View, voted));
        Assert.Equal("1 of 1 have voted", Text(announcer)); // the start is not said again

        var accepted = lobby with { Stories = [Login with { State = StoryState.Estimated, Estimate = "5" }], Version = 10 };
        announcer.Render(p => p.Add(a => a.View, accepted));
        Assert.Equal("PP-101: 5 accepted.", Text(announcer));
    }

    [Fact]
    public void AnAcceptThatStartsTheNextStory_AnnouncesTheEstimateThenTheNewRound()
    {
        var search = new StoryDto(2, "Search", null, StoryState.Pending);
        var revealed = Room(RoomState.Revealed, [Person(1, "Fanny")], Round(1, storyId: 1) with { State = RoundState.Revealed }, stories: [Login with { State = StoryState.Estimating }, search]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, revealed));

        // One push (auto-advance): the story estimated, and a round open on the next one.
        var advanced = revealed with
        {
            State = RoomState.Voting,
            CurrentRound = Round(2, storyId: 2),
            Stories = [Login with { State = StoryState.Estimated, Estimate = "5" }, search with { State = StoryState.Estimating }],
            Version = 12,
        };
        announcer.Render(p => p.Add(a => a.View, advanced));

        Assert.Equal("PP-101: 5 accepted. Voting on Search. 0 of 1 have voted", Text(announcer));
    }

    [Fact]
    public void PeopleJoiningLeavingAndGoingAway_AreAnnounced()
    {
        var before = Room(RoomState.Lobby, [Person(1, "Fanny"), Person(2, "Bob"), Person(3, "Alice")]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, before));

        var after = before with { Participants = [Person(1, "Fanny"), Person(3, "Alice", present: false), Person(4, "Chloé")], Version = 8 };
        announcer.Render(p => p.Add(a => a.View, after));

        Assert.Equal("Alice is away. Chloé joined the room. Bob left the room.", Text(announcer));
    }

    [Fact]
    public void ANewcomersFirstConnection_IsNotAnnouncedAsComingBack()
    {
        var before = Room(RoomState.Lobby, [Person(1, "Fanny")]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, before));

        // The seat arrives with the join (REST), offline; presence comes with the newcomer's hub connection.
        var joined = before with { Participants = [Person(1, "Fanny"), Person(2, "Bob", present: false)], Version = 8 };
        announcer.Render(p => p.Add(a => a.View, joined));
        Assert.Equal("Bob joined the room.", Text(announcer));

        var online = joined with { Participants = [Person(1, "Fanny"), Person(2, "Bob")], Version = 9 };
        announcer.Render(p => p.Add(a => a.View, online));

        Assert.Equal("Bob joined the room.", Text(announcer)); // not "Bob is back."
    }

    [Fact]
    public void ANewcomerWhoGoesAwayAndComesBack_IsAnnouncedAsBack()
    {
        var before = Room(RoomState.Lobby, [Person(1, "Fanny")]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, before));
        var bob = Person(2, "Bob");
        announcer.Render(p => p.Add(a => a.View, before with { Participants = [Person(1, "Fanny"), bob with { IsPresent = false }], Version = 8 }));
        announcer.Render(p => p.Add(a => a.View, before with { Participants = [Person(1, "Fanny"), bob], Version = 9 }));

        announcer.Render(p => p.Add(a => a.View, before with { Participants = [Person(1, "Fanny"), bob with { IsPresent = false }], Version = 10 }));
        Assert.Equal("Bob is away.", Text(announcer));
        announcer.Render(p => p.Add(a => a.View, before with { Participants = [Person(1, "Fanny"), bob], Version = 11 }));

        Assert.Equal("Bob is back.", Text(announcer));
    }

    [Fact]
    public void ANewcomerOnlineAtOnce_IsAnnouncedOnce()
    {
        var before = Room(RoomState.Lobby, [Person(1, "Fanny")]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, before));

        announcer.Render(p => p.Add(a => a.View, before with { Participants = [Person(1, "Fanny"), Person(2, "Bob")], Version = 8 }));

        Assert.Equal("Bob joined the room.", Text(announcer));
    }

    [Fact]
    public void TheCountdownEnding_IsAnnounced()
    {
        var now = Clock.GetUtcNow();
        var view = Room(RoomState.Voting, [Person(1, "Fanny")], Round(1)) with { Timer = new TimerDto(now, 30, now.AddSeconds(30)) };
        var announcer = Render<Announcer>(p => p.Add(a => a.View, view));

        Clock.Advance(TimeSpan.FromSeconds(31));

        announcer.WaitForAssertion(() => Assert.Equal("Time’s up.", Text(announcer)));
    }

    private static RoundDto Round(int id, int? storyId = null, int votes = 0) =>
        new(id, storyId, 1, RoundState.Voting, DateTimeOffset.UnixEpoch, votes, null);

    private static string Text(IRenderedComponent<Announcer> announcer) => announcer.Find("#announcer").TextContent;

}

/// <summary>The same in French.</summary>
public sealed class FrenchAnnouncerTests() : UiTest("fr")
{
    [Fact]
    public void TheRoundStartIsAnnouncedInFrench()
    {
        var lobby = Room(RoomState.Lobby, [Person(1, "Fanny")], stories: [new(1, "Login with SSO", null, StoryState.Pending)]);
        var announcer = Render<Announcer>(p => p.Add(a => a.View, lobby));

        announcer.Render(p => p.Add(a => a.View, lobby with { State = RoomState.Voting, CurrentRound = new(1, 1, 1, RoundState.Voting, DateTimeOffset.UnixEpoch, 0, null), Version = 8 }));

        Assert.Equal("Vote sur Login with SSO. 0 sur 1 ont voté", announcer.Find("#announcer").TextContent);
    }
}
