using System.Net.Http.Headers;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>
/// Nobody learns another participant's card before the reveal, and never the cards of a cancelled round. Cards have
/// distinctive labels (one per voter and round) so that a leak shows up in the raw JSON wherever it hides.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PrivacyTests(PokerApp app)
{
    private static readonly string[] Voters = ["Fanny", "Alice", "Bob", "Carol"];

    // Round key → voter → the labels they play in it (Alice changes her card once in the first round).
    private static readonly Dictionary<string, Dictionary<string, string[]>> Plays = new(StringComparer.Ordinal)
    {
        ["first"] = new(StringComparer.Ordinal) { ["Fanny"] = ["zzFa1"], ["Alice"] = ["zzAl1", "zzAl1b"], ["Bob"] = ["zzBo1"], ["Carol"] = ["zzCa1"] },
        ["revote"] = new(StringComparer.Ordinal) { ["Fanny"] = ["zzFa2"], ["Alice"] = ["zzAl2"], ["Bob"] = ["zzBo2"], ["Carol"] = ["zzCa2"] },
        ["cancelled"] = new(StringComparer.Ordinal) { ["Fanny"] = ["zzFa3"], ["Alice"] = ["zzAl3"], ["Bob"] = ["zzBo3"], ["Carol"] = ["zzCa3"] },
        ["last"] = new(StringComparer.Ordinal) { ["Fanny"] = ["zzFa4"], ["Alice"] = ["zzAl4"], ["Bob"] = ["zzBo4"], ["Carol"] = ["zzCa4"] },
    };

    private static readonly DeckDto DistinctiveDeck = new(
        DeckType.Custom,
        [.. Plays.Values.SelectMany(r => r.Values).SelectMany(l => l).Select((label, i) => new CardDto(label, i + 1))],
        Unsure: false,
        Break: false);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoPushAParticipantReceivesHoldsAnotherParticipantsCardBeforeThatRoundIsRevealed()
    {
        await using var table = await SeatEveryoneAsync();
        var byName = table.Clients.ToDictionary(c => c.Name);
        var stories = await AddStoriesAsync(table);
        Dictionary<string, int> rounds = [];

        rounds["first"] = await StartAsync(table, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[0]));
        await PlayAsync(byName, "first");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.Reveal));
        rounds["revote"] = await StartAsync(table, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.Revote)));
        await PlayAsync(byName, "revote");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.Reveal));
        rounds["cancelled"] = await StartAsync(table, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[1]));
        await PlayAsync(byName, "cancelled");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.CancelRound));
        rounds["last"] = await StartAsync(table, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[1]));
        await PlayAsync(byName, "last");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.Reveal));
        var end = await table.Facilitator.GetViewAsync();
        foreach (var client in table.Clients)
        {
            await client.WaitForVersionAsync(end.Version);
        }

        // The version at which each round was revealed (never, for the cancelled one).
        var revealedAt = table.Facilitator.Received
            .SelectMany(c => c.Events.OfType<CardsRevealedDto>().Select(e => (e.RoundId, c.Version)))
            .ToDictionary(x => x.RoundId, x => x.Version);
        Assert.Equal(3, revealedAt.Count);
        Assert.DoesNotContain(rounds["cancelled"], revealedAt.Keys);

        foreach (var client in table.Clients)
        {
            foreach (var raw in client.RawPushes)
            {
                using var push = JsonDocument.Parse(raw);
                var version = push.RootElement.GetProperty("version").GetInt64();

                // Another participant's card is in no push before its round's reveal…
                foreach (var (round, plays) in Plays)
                {
                    var hiddenUntil = revealedAt.TryGetValue(rounds[round], out var v) ? v : long.MaxValue;
                    if (version >= hiddenUntil)
                    {
                        continue;
                    }

                    foreach (var label in plays.Where(p => p.Key != client.Name).SelectMany(p => p.Value))
                    {
                        Assert.False(raw.Contains(label, StringComparison.Ordinal), $"{client.Name} received {label} of round '{round}' at version {version}: {raw}");
                    }
                }

                // …and, structurally, no voteCast of someone else carries a card, and no result travels outside a reveal.
                foreach (var e in push.RootElement.GetProperty("events").EnumerateArray())
                {
                    var type = e.GetProperty("type").GetString();
                    if (type == "voteCast" && e.GetProperty("participantId").GetInt32() != client.ParticipantId)
                    {
                        Assert.False(e.TryGetProperty("card", out _), $"{client.Name} received someone else's card: {raw}");
                    }

                    if (type != "cardsRevealed")
                    {
                        Assert.False(HasProperty(e, "distribution") || HasProperty(e, "result"), $"{client.Name} received a result outside a reveal: {raw}");
                    }
                }
            }
        }

        // The voter's own copy does carry the card (the check above is not vacuous).
        Assert.Contains(byName["Alice"].RawPushes, p => p.Contains("\"card\":\"zzAl3\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEstimatorsViewDuringVotingHoldsItsOwnCardAndNobodyElses()
    {
        await using var table = await SeatEveryoneAsync();
        var byName = table.Clients.ToDictionary(c => c.Name);
        var stories = await AddStoriesAsync(table);
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[0]);

        await PlayAsync(byName, "first");
        var alice = await byName["Alice"].GetViewAsync();
        var oscar = await byName["Oscar"].GetViewAsync();
        var fanny = await table.Facilitator.GetViewAsync();

        Assert.Equal(RoomState.Voting, alice.State);
        Assert.Equal(4, alice.CurrentRound!.VoteCount);
        Assert.Null(alice.CurrentRound.Result);
        var own = Assert.Single(alice.Participants, p => p.Id == alice.ViewerId);
        Assert.Equal(("zzAl1b", true), (own.Card, own.HasVoted));
        Assert.All(alice.Participants.Where(p => p.Id != alice.ViewerId && p.IsVoter), p => Assert.Equal((null, true), (p.Card, p.HasVoted)));
        Assert.All(oscar.Participants, p => Assert.Null(p.Card));
        Assert.Equal(["zzFa1"], fanny.Participants.Where(p => p.Card is not null).Select(p => p.Card));
    }

    [Fact]
    public async Task HistoryNeverShowsTheVotesOfACancelledRound()
    {
        await using var table = await SeatEveryoneAsync();
        var byName = table.Clients.ToDictionary(c => c.Name);
        var stories = await AddStoriesAsync(table);
        var cancelled = await StartAsync(table, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[1]));
        await PlayAsync(byName, "cancelled");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.CancelRound));
        await StartAsync(table, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)stories[1]));
        await PlayAsync(byName, "last");
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.Reveal));

        var history = await byName["Bob"].InvokeAsync<StoryHistoryDto>(nameof(IRoomHub.GetHistory), (int?)stories[1]);
        var summary = await SummaryJsonAsync(table);

        var record = Assert.Single(history.Rounds, r => r.Id == cancelled);
        Assert.Equal(RoundState.Cancelled, record.State);
        Assert.Equal(4, record.VoteCount);
        Assert.Empty(record.Votes);
        Assert.Null(record.Result);
        Assert.All(history.Movements, m => Assert.Single(m.Cards));
        var historyJson = HubAssert.Json(history);
        Assert.Contains("zzBo4", historyJson, StringComparison.Ordinal);
        Assert.All(Plays["cancelled"].Values.SelectMany(l => l), label =>
        {
            Assert.DoesNotContain(label, historyJson, StringComparison.Ordinal);
            Assert.DoesNotContain(label, ExceptDeck(summary), StringComparison.Ordinal);
        });
    }

    /// <summary>A facilitator, three estimators and an observer, all voters but the observer.</summary>
    private async Task<Table> SeatEveryoneAsync()
    {
        var table = await Table.OpenAsync(app, deck: DistinctiveDeck);
        await table.SeatAsync("Alice");
        await table.SeatAsync("Bob");
        await table.SeatAsync("Carol");
        await table.SeatAsync("Oscar", Role.Observer);
        return table;
    }

    private static async Task<int[]> AddStoriesAsync(Table table)
    {
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.AddStories), new List<StoryDraftDto> { new("First story"), new("Second story") });
        var view = await table.Facilitator.GetViewAsync();
        return [.. view.Stories.Select(s => s.Id)];
    }

    /// <summary>Runs the command that opens a round and returns the new round's id.</summary>
    private static async Task<int> StartAsync(Table table, Func<Task> start)
    {
        await start();
        return (await table.Facilitator.GetViewAsync()).CurrentRound!.Id;
    }

    private static async Task PlayAsync(Dictionary<string, TestClient> byName, string round)
    {
        foreach (var voter in Voters)
        {
            foreach (var label in Plays[round][voter])
            {
                await byName[voter].InvokeAsync(nameof(IRoomHub.CastVote), label);
            }
        }
    }

    private async Task<string> SummaryJsonAsync(Table table)
    {
        using var http = app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{table.RoomId}/summary");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", table.Room.Token);
        using var response = await http.SendAsync(request, Cancel).WaitAsync(TestClient.Timeout, Cancel);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(Cancel).WaitAsync(TestClient.Timeout, Cancel);
    }

    /// <summary>The summary without its deck, which lists every label by design.</summary>
    private static string ExceptDeck(string summaryJson)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(summaryJson)!.AsObject();
        node.Remove("deck");
        return node.ToJsonString();
    }

    private static bool HasProperty(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => p.NameEquals(name) || HasProperty(p.Value, name)),
        JsonValueKind.Array => element.EnumerateArray().Any(e => HasProperty(e, name)),
        _ => false,
    };
}
