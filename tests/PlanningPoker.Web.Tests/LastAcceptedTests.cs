using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Web.Tests;

/// <summary>What the stage names as just accepted, as the rounds go by (with and without auto-advance).</summary>
public sealed class LastAcceptedTests : UiTest
{
    private static readonly StoryDto Login = new(1, "Login", "PP-101", StoryState.Pending);
    private static readonly StoryDto Search = new(2, "Search", null, StoryState.Pending);
    private static readonly StoryDto Export = new(3, "Export", null, StoryState.Pending);

    [Fact]
    public void AnAcceptThatOpensTheNextStorysRound_NamesTheAcceptedStoryDuringThatRound()
    {
        var accepted = new LastAccepted();
        var revealed = Room(RoomState.Revealed, [Person(1, "Fanny")], Round(1, Login.Id), stories: [Login with { State = StoryState.Estimating }, Search]);
        accepted.Follow(revealed);

        // One push: Login estimated, and a round open on Search.
        var advanced = revealed with { State = RoomState.Voting, CurrentRound = Round(2, Search.Id), Stories = [Login with { State = StoryState.Estimated, Estimate = "5" }, Search with { State = StoryState.Estimating }] };
        Assert.True(accepted.Follow(advanced));

        Assert.Equal(Login.Id, accepted.Story(advanced)?.Id);
        Assert.Equal("5", accepted.Story(advanced)?.Estimate);
    }

    [Fact]
    public void AnAcceptWithoutAutoAdvance_IsNamedInTheLobby_AndDuringTheNextRound_UntilTheNextAccept()
    {
        var accepted = new LastAccepted();
        var estimated = Login with { State = StoryState.Estimated, Estimate = "5" };
        accepted.Follow(Room(RoomState.Revealed, [Person(1, "Fanny")], Round(1, Login.Id), stories: [Login with { State = StoryState.Estimating }, Search, Export]));

        var lobby = Room(RoomState.Lobby, [Person(1, "Fanny")], stories: [estimated, Search, Export]);
        accepted.Follow(lobby);
        Assert.Equal(Login.Id, accepted.Story(lobby)?.Id);

        var next = Room(RoomState.Voting, [Person(1, "Fanny")], Round(2, Search.Id), stories: [estimated, Search with { State = StoryState.Estimating }, Export]);
        accepted.Follow(next);
        Assert.Equal(Login.Id, accepted.Story(next)?.Id);

        var revote = next with { CurrentRound = Round(3, Search.Id) };
        accepted.Follow(revote);
        Assert.Equal(Login.Id, accepted.Story(revote)?.Id); // a re-vote is still the round after the accept

        var advanced = next with { CurrentRound = Round(4, Export.Id), Stories = [estimated, Search with { State = StoryState.Estimated, Estimate = "8" }, Export with { State = StoryState.Estimating }] };
        accepted.Follow(advanced);
        Assert.Equal(Search.Id, accepted.Story(advanced)?.Id);
    }

    [Fact]
    public void ARoundEndedWithoutAnAccept_ForgetsTheLastOne()
    {
        var accepted = new LastAccepted();
        var estimated = Login with { State = StoryState.Estimated, Estimate = "5" };
        accepted.Follow(Room(RoomState.Voting, [Person(1, "Fanny")], Round(1, Login.Id), stories: [Login with { State = StoryState.Estimating }, Search]));
        accepted.Follow(Room(RoomState.Voting, [Person(1, "Fanny")], Round(2, Search.Id), stories: [estimated, Search with { State = StoryState.Estimating }]));

        var cancelled = Room(RoomState.Lobby, [Person(1, "Fanny")], stories: [estimated, Search]);
        accepted.Follow(cancelled);

        Assert.Null(accepted.Story(cancelled));
    }

    [Fact]
    public void TheAcceptedStoryBackOnTheTable_IsNotNamedAsAccepted()
    {
        var accepted = new LastAccepted();
        var estimated = Login with { State = StoryState.Estimated, Estimate = "5" };
        accepted.Follow(Room(RoomState.Voting, [Person(1, "Fanny")], Round(1, Login.Id), stories: [Login with { State = StoryState.Estimating }]));
        accepted.Follow(Room(RoomState.Lobby, [Person(1, "Fanny")], stories: [estimated]));

        var again = Room(RoomState.Voting, [Person(1, "Fanny")], Round(2, Login.Id), stories: [estimated]);
        accepted.Follow(again);

        Assert.Null(accepted.Story(again));
    }

    [Fact]
    public void APageOpenedDuringARound_NamesNothing()
    {
        var accepted = new LastAccepted();
        var view = Room(RoomState.Voting, [Person(1, "Fanny")], Round(2, Search.Id), stories: [Login with { State = StoryState.Estimated, Estimate = "5" }, Search with { State = StoryState.Estimating }]);

        Assert.True(accepted.Follow(view));

        Assert.Null(accepted.Story(view));
        Assert.False(accepted.Follow(view with { Version = 9 })); // the same round
    }

    private static RoundDto Round(int id, int? storyId) => new(id, storyId, 1, RoundState.Voting, DateTimeOffset.UnixEpoch, 0, null);
}
