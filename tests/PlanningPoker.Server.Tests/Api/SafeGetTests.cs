using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Api;

/// <summary>GET is safe: reading a room, however often and with whatever token, changes nothing in it.</summary>
[Trait("Category", "Integration")]
public sealed class SafeGetTests(PokerApp app)
{
    [Fact]
    public async Task NoGetChangesTheRoom()
    {
        await using var played = await PlayedRoom.PlayAsync(app);
        await played.Fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)played.PendingStoryId);
        await played.Fanny.InvokeAsync(nameof(IRoomHub.CastVote), "3");
        await played.Fanny.WaitForAsync<VoteCastDto>(v => v.Card == "3");
        var before = await played.Fanny.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView));
        var pushesBefore = played.Fanny.RawPushes.Count;
        using var http = app.Http();
        var room = $"/api/rooms/{played.RoomId}";
        (string Path, string? Token)[] reads =
        [
            (room, null),
            (room, played.Room.Token),
            (room + "/summary", played.Room.Token),
            (room + "/export.json", played.Room.Token),
            (room + "/export.csv", played.Room.Token),
            (room + "/summary", played.Alice.Token),
            (room + "/export.csv", played.Bob.Token),
            (room + "/summary", null),
            (room + "/summary", "garbage"),
            ("/api/rooms/zzzzzzzzzzzzzzzz", null),
            ("/openapi/v1.json", null),
            ("/health/live", null),
            ("/health/ready", null),
        ];

        for (var i = 0; i < 3; i++)
        {
            foreach (var (path, token) in reads)
            {
                using var response = await http.GetAsync(path, token is null ? null : "Bearer " + token);
            }
        }

        var after = await played.Fanny.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView));
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(after));
        Assert.Equal(pushesBefore, played.Fanny.RawPushes.Count);
    }
}
