using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Tests.Infrastructure;
using Role = PlanningPoker.Domain.Role;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>
/// The largest room the limits allow (RoomLimits) costs at most 200 KB per full view, as a client receives it. A view
/// goes out on every join, reconnect and version gap, so its size times the hub's call rate is what one connection
/// can pull (issue 9: 4 connections pulled 100 MB/s of views carrying 10,000-character descriptions).
/// </summary>
[Trait("Category", "Integration")]
public sealed class LargestRoomTests(PokerApp app)
{
    /// <summary>The budget of a full view, in bytes on the wire.</summary>
    public const int ViewBudget = 200_000;

    // SignalR's JSON envelope around a completion: {"type":3,"invocationId":"…","result":…} plus the separator.
    private const int EnvelopeBytes = 48;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheFullViewOfTheLargestAllowedRoom_FitsIn200KB()
    {
        var (roomId, token) = await StoreLargestRoomAsync();
        await using var fanny = await app.ConnectAsync("Fanny");

        var joined = await fanny.InvokeAsync<JsonElement>(nameof(IRoomHub.JoinRoom), roomId, token);
        var view = await fanny.InvokeAsync<JsonElement>(nameof(IRoomHub.GetView));

        var joinBytes = Encoding.UTF8.GetByteCount(joined.GetRawText()) + EnvelopeBytes;
        var viewBytes = Encoding.UTF8.GetByteCount(view.GetRawText()) + EnvelopeBytes;
        TestContext.Current.SendDiagnosticMessage($"largest room: JoinRoom {joinBytes:N0} B, GetView {viewBytes:N0} B (budget {ViewBudget:N0} B)");
        Assert.Equal(RoomLimits.MaxParticipants, view.GetProperty("participants").GetArrayLength());
        Assert.Equal(RoomLimits.MaxStories, view.GetProperty("stories").GetArrayLength());
        Assert.InRange(joinBytes, 1, ViewBudget);
        Assert.InRange(viewBytes, 1, ViewBudget);
    }

    /// <summary>
    /// Builds the largest room the limits allow through the Domain and stores it, as the grain would have: 100
    /// participants with 40-character names, all present; 500 stories with every field at its longest; a custom deck
    /// of 30 cards with 8-character labels and 28-digit values; 499 stories estimated with such a card; a revealed
    /// round on the last story in which everyone voted; a running countdown. Returns the room and Fanny's token.
    /// </summary>
    private async Task<(string RoomId, string Token)> StoreLargestRoomAsync()
    {
        var now = Start;
        var cards = Enumerable.Range(1, RoomLimits.CustomDeckMaxCards)
            .Select(i => new Card($"Card{i:D4}", 999_960.0000000000000000000001m + i))
            .ToArray();
        var deck = Deck.Custom(cards, SpecialCards.All).GetValueOrThrow();
        var roomId = Secrets.NewRoomId();
        var room = Room.Create(roomId, Longest("Room", RoomLimits.RoomNameLength), deck, RoomSettings.Default, Longest("Fanny", RoomLimits.DisplayNameLength), now)
            .GetValueOrThrow();

        void Run(RoomCommand command)
        {
            var outcome = room.Execute(command, now);
            Assert.True(outcome.IsSuccess, $"{command} failed: {outcome.Error}");
            now += TimeSpan.FromSeconds(1);
        }

        Run(new Connect(1));
        for (var i = 2; i <= RoomLimits.MaxParticipants; i++)
        {
            Run(new Join(Longest($"Estimator {i:D3}", RoomLimits.DisplayNameLength), Role.Estimator));
            Run(new Connect(i));
        }

        var drafts = Enumerable.Range(1, RoomLimits.MaxStories).Select(i => new StoryDraft(
            Longest($"Story {i:D3}", RoomLimits.StoryTitleLength),
            Longest($"Description {i:D3}", RoomLimits.StoryDescriptionLength),
            Longest($"PROJ-{i:D3}", RoomLimits.ExternalKeyLength),
            Longest($"https://tracker.example/browse/PROJ-{i:D3}?", RoomLimits.UrlLength))).ToArray();
        Run(new AddStories(1, drafts));

        var top = cards[^1].Label;
        for (var story = 1; story < RoomLimits.MaxStories; story++)
        {
            Run(new StartRound(1, story));
            Run(new CastVote(1, top));
            Run(new Reveal(1));
            Run(new Accept(1, top));
        }

        Run(new StartRound(1, RoomLimits.MaxStories));
        for (var p = 1; p <= RoomLimits.MaxParticipants; p++)
        {
            Run(new CastVote(p, cards[p % cards.Length].Label));
        }

        Run(new Reveal(1));
        Run(new StartTimer(1, RoomLimits.MaxTimer));

        var token = Secrets.NewToken();
        var hashes = Enumerable.Range(1, RoomLimits.MaxParticipants)
            .ToDictionary(id => id, id => Secrets.HashToken(id == 1 ? token : Secrets.NewToken()));
        var store = app.Services.GetRequiredService<IRoomStore>();
        await store.CreateAsync(new StoredRoom(room.ToSnapshot(), new RoomSecrets(null, hashes), 0), TestContext.Current.CancellationToken);
        return (roomId, token);
    }

    /// <summary>The text padded with 'x' to exactly <paramref name="length"/> characters.</summary>
    private static string Longest(string text, int length) => text.PadRight(length, 'x');
}
