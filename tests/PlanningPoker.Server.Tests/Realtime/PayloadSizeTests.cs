using System.Text;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>
/// What a room of 8 participants and 30 stories costs on the wire: the full view (sent on join) and the pushes
/// of a round. The budgets are loose ceilings that catch a regression such as a push carrying the whole room.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PayloadSizeTests(PokerApp app)
{
    // SignalR's JSON envelope around an argument: {"type":1,"target":"RoomChanged","arguments":[…]} plus the separator.
    private const int EnvelopeBytes = 48;

    [Fact]
    public async Task ARoundsPushesStaySmall_AndTheFullViewOfATypicalRoomStaysCompact()
    {
        var room = await app.CreateRoomAsync(settings: new RoomSettingsDto(AutoReveal: true));
        await using var fanny = await app.ConnectAsync("Fanny");
        await fanny.JoinAsync(room.RoomId, room.Token);
        var estimators = new List<TestClient>();
        for (var i = 1; i <= 7; i++)
        {
            var seat = await app.JoinAsync(room.RoomId, $"Estimator {i}");
            var client = await app.ConnectAsync($"Estimator {i}");
            await client.JoinAsync(room.RoomId, seat.Token);
            estimators.Add(client);
        }

        await fanny.InvokeAsync(nameof(IRoomHub.PasteStories), string.Join('\n', Enumerable.Range(1, 30).Select(i => $"PROJ-{i} As a user I can do thing number {i} so that the product gets better")));

        var view = await fanny.InvokeAsync<JsonElement>(nameof(IRoomHub.GetView));
        var viewBytes = Encoding.UTF8.GetByteCount(view.GetRawText()) + EnvelopeBytes;

        // Counted from once the observer has every push up to the view (the stories' push may still be on its way).
        var observer = estimators[0];
        await observer.WaitForVersionAsync(view.GetProperty("version").GetInt64());
        var before = observer.RawPushes.Count;
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)1);
        await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        foreach (var e in estimators)
        {
            await e.InvokeAsync(nameof(IRoomHub.CastVote), "8");
        }

        await observer.WaitForAsync<CardsRevealedDto>();
        var pushes = observer.RawPushes.Skip(before).Select(p => Encoding.UTF8.GetByteCount(p) + EnvelopeBytes).ToArray();
        var votePush = observer.RawPushes.Skip(before)
            .Where(p => p.Contains("\"voteCast\"", StringComparison.Ordinal) && !p.Contains("cardsRevealed", StringComparison.Ordinal))
            .Min(p => Encoding.UTF8.GetByteCount(p) + EnvelopeBytes);

        TestContext.Current.SendDiagnosticMessage(
            $"full view (8 participants, 30 stories): {viewBytes} B; vote push: {votePush} B; round: {pushes.Length} pushes, {pushes.Sum()} B to one client");
        Assert.InRange(votePush, 1, 160);
        Assert.InRange(viewBytes, 1, 12_000);
        Assert.InRange(pushes.Sum(), 1, 3_000);

        foreach (var e in estimators)
        {
            await e.DisposeAsync();
        }
    }
}
