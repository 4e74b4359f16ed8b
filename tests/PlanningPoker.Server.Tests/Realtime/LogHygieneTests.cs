using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>Logs never hold a token, a token's hash, or a card before its round is revealed.</summary>
[Trait("Category", "Integration")]
public sealed class LogHygieneTests
{
    [Fact]
    public async Task DebugLogsOfAWholeRound_HoldNoTokenNoTokenHash_AndNoHiddenCard()
    {
        await using var app = new PokerApp { ConfigureLogs = l => l.AddFakeLogging() };
        app.Settings["Logging:LogLevel:Default"] = "Debug";
        await app.InitializeAsync();
        var collector = app.Services.GetRequiredService<FakeLogCollector>();
        var deck = new DeckDto(DeckType.Custom, [new CardDto("QZXW", 1m), new CardDto("JVKY", 2m)], Unsure: false, Break: false);
        var room = await app.CreateRoomAsync(deck: deck);
        var aliceSeat = await app.JoinAsync(room.RoomId, "Alice");
        await using var fanny = await app.ConnectAsync("Fanny");
        await using var alice = await app.ConnectAsync("Alice");
        await fanny.JoinAsync(room.RoomId, room.Token);
        await alice.JoinAsync(room.RoomId, aliceSeat.Token);

        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await fanny.InvokeAsync(nameof(IRoomHub.CastVote), "QZXW");
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "JVKY");
        await alice.WaitForAsync<VoteCastDto>(v => v.ParticipantId == room.ParticipantId);
        var beforeReveal = collector.GetSnapshot();
        using var http = app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room.RoomId}/summary");
        request.Headers.Authorization = new("Bearer", room.Token);
        (await http.SendAsync(request, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var all = collector.GetSnapshot();

        Assert.Contains(beforeReveal, r => r.Category == typeof(Server.Realtime.RoomHub).FullName && r.Level == LogLevel.Debug);
        var secrets = new[] { room.Token, aliceSeat.Token, Secrets.HashToken(room.Token), Secrets.HashToken(aliceSeat.Token) };
        foreach (var record in all)
        {
            var text = Describe(record);
            Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
        }

        foreach (var record in beforeReveal)
        {
            var text = Describe(record);
            Assert.False(text.Contains("QZXW", StringComparison.Ordinal) || text.Contains("JVKY", StringComparison.Ordinal), $"a hidden card was logged: {text}");
        }
    }

    private static string Describe(FakeLogRecord record) =>
        string.Join(" | ", [record.Category, record.Message, .. record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [], record.Exception?.ToString() ?? string.Empty]);
}
