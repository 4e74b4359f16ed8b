using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>
/// Views and pushes carry a story's title, key, state and estimate label; its description and link come on demand
/// through <see cref="IRoomHub.GetStory"/> (issue 9: views are sent on every join, reconnect and gap).
/// </summary>
[Trait("Category", "Integration")]
public sealed class StoryDetailsTests(PokerApp app)
{
    private const string Description = "Given a user\nWhen they sign in\nThen they see the board";
    private const string Link = "https://tracker.example/browse/PP-1";

    [Fact]
    public async Task ViewsAndPushesLeaveTheDescriptionAndLinkOut_GetStoryHasThem()
    {
        await using var table = await Table.OpenAsync(app);
        var oscar = await table.SeatAsync("Oscar", Role.Observer);

        await table.Facilitator.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Sign in", Description, "PP-1", Link), new("Search") });
        var added = await oscar.WaitForAsync<StoriesAddedDto>();
        var view = await oscar.InvokeAsync<JsonElement>(nameof(IRoomHub.GetView));
        var details = await oscar.InvokeAsync<StoryDetailsDto>(nameof(IRoomHub.GetStory), added.Stories[0].Id);
        var bare = await oscar.InvokeAsync<StoryDetailsDto>(nameof(IRoomHub.GetStory), added.Stories[1].Id);

        Assert.Equal([(true, "PP-1"), (false, null)], added.Stories.Select(s => (s.HasDetails, s.ExternalKey)));
        Assert.All(oscar.RawPushes.Append(view.GetRawText()), json =>
        {
            Assert.DoesNotContain("they sign in", json, StringComparison.Ordinal);
            Assert.DoesNotContain("tracker.example", json, StringComparison.Ordinal);
        });
        Assert.Equal(new StoryDetailsDto(added.Stories[0].Id, "Sign in", Description, "PP-1", Link, StoryState.Pending, null), details);
        Assert.Equal(new StoryDetailsDto(added.Stories[1].Id, "Search", null, null, null, StoryState.Pending, null), bare);
    }

    [Fact]
    public async Task GetStory_OfAStoryNotInTheBacklog_FailsWithStoryNotFound()
    {
        await using var table = await Table.OpenAsync(app);

        await HubAssert.RefusedAsync(ErrorCodes.StoryNotFound, () => table.Facilitator.InvokeAsync<StoryDetailsDto>(nameof(IRoomHub.GetStory), 404));
    }

    [Fact]
    public async Task GetStory_HasTheEstimateWithItsValue_AndAnEditShowsInTheNextAnswer()
    {
        await using var table = await Table.OpenAsync(app);
        var fanny = table.Facilitator;
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Sign in") });
        var story = (await fanny.WaitForAsync<StoriesAddedDto>()).Stories[0].Id;
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)story);
        await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "8");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        await fanny.InvokeAsync(nameof(IRoomHub.Accept), "8");

        await fanny.InvokeAsync(nameof(IRoomHub.EditStory), story, new StoryDraftDto("Sign in", Description));
        var edited = await fanny.WaitForAsync<StoryEditedDto>();
        var details = await fanny.InvokeAsync<StoryDetailsDto>(nameof(IRoomHub.GetStory), story);

        Assert.Equal(new StoryDto(story, "Sign in", null, StoryState.Estimated, "8", HasDetails: true), edited.Story);
        Assert.Equal(Description, details.Description);
        Assert.Equal(new EstimateDto("8", 8m), details.FinalEstimate);
    }

    [Fact]
    public async Task TheTotalFollowsThePushes_WhenAnEstimatedStoryIsRemoved()
    {
        await using var table = await Table.OpenAsync(app);
        var fanny = table.Facilitator;
        var oscar = await table.SeatAsync("Oscar", Role.Observer);
        await fanny.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("Sign in"), new("Search") });
        var stories = (await oscar.WaitForAsync<StoriesAddedDto>()).Stories.Select(s => s.Id).ToArray();
        foreach (var (story, card) in stories.Zip(["3", "5"]))
        {
            await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)story);
            await fanny.InvokeAsync(nameof(IRoomHub.CastVote), card);
            await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
            await fanny.InvokeAsync(nameof(IRoomHub.Accept), card);
        }

        await fanny.InvokeAsync(nameof(IRoomHub.RemoveStory), stories[0]);
        var fresh = await oscar.GetViewAsync();
        await oscar.WaitForVersionAsync(fresh.Version);

        Assert.Equal(5m, fresh.EstimatedTotal);
        Assert.Equal(HubAssert.Json(fresh), HubAssert.Json(oscar.ViewFromPushes()));
    }
}
