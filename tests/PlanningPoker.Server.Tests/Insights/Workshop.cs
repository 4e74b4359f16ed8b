using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Teams;

namespace PlanningPoker.Server.Tests.Insights;

/// <summary>A story to play: its title and key, one pair of cards (the owner's, Alice's) per round, and the estimate accepted (null: left pending).</summary>
internal sealed record PlayedStory(string Title, string[][] Rounds, string? Accepted, string? Key = null);

/// <summary>Workshops of the Acme team played through the hub as people play them, for the insights and history tests.</summary>
internal static class Workshop
{
    /// <summary>
    /// Opens a team room as its owner (who votes: facilitators vote by default) with Alice, a guest, and plays each
    /// story: one round per pair of cards, a re-vote between them, then the accept (a story with no accepted estimate is
    /// left as it is). Answers the room, and the owner's connection still in it.
    /// </summary>
    public static async Task<(CreateRoomResponse Room, TestClient Owner)> PlayAsync(PokerApp app, Acme acme, string name, PlayedStory[] stories)
    {
        var room = await acme.OpenRoomAsync(acme.Owner, name);
        var alice = await app.JoinAsync(room.RoomId, "Alice");
        var owner = await app.ConnectAsync("Olga");
        await using var guest = await app.ConnectAsync("Alice");
        await owner.JoinAsync(room.RoomId, room.Token);
        await guest.JoinAsync(room.RoomId, alice.Token);
        await owner.InvokeAsync(nameof(IRoomHub.AddStories), stories.Select(s => new StoryDraftDto(s.Title, ExternalKey: s.Key)).ToList());
        var view = await owner.GetViewAsync();
        foreach (var (title, rounds, accepted, _) in stories.Where(s => s.Rounds.Length > 0))
        {
            await owner.InvokeAsync(nameof(IRoomHub.StartRound), (int?)view.Stories.Single(s => s.Title == title).Id);
            for (var i = 0; i < rounds.Length; i++)
            {
                if (i > 0)
                {
                    await owner.InvokeAsync(nameof(IRoomHub.Revote));
                }

                await owner.InvokeAsync(nameof(IRoomHub.CastVote), rounds[i][0]);
                await guest.InvokeAsync(nameof(IRoomHub.CastVote), rounds[i][1]);
                await owner.InvokeAsync(nameof(IRoomHub.Reveal));
            }

            if (accepted is not null)
            {
                await owner.InvokeAsync(nameof(IRoomHub.Accept), accepted);
            }
        }

        return (room, owner);
    }
}
