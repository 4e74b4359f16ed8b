using System.Net.Http.Headers;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

[Trait("Category", "Integration")]
public sealed class WorkshopTests(PokerApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWholeWorkshopEndsWithTheExportHoldingEveryRound_AndEveryClientsPushedViewEqualsItsFreshView()
    {
        // Arrange: a facilitator who does not vote, three estimators and an observer, each on a connection.
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(FacilitatorsVote: false));
        var fanny = table.Facilitator;
        var alice = await table.SeatAsync("Alice");
        var bob = await table.SeatAsync("Bob");
        var carol = await table.SeatAsync("Carol");
        var oscar = await table.SeatAsync("Oscar", Role.Observer);
        var estimators = new[] { alice, bob, carol };

        // Act: paste a backlog.
        await fanny.InvokeAsync(nameof(IRoomHub.PasteStories), "- Login page\tAs a user I sign in\n* Search\n\n1. Export to CSV\n");
        var stories = (await oscar.WaitForAsync<StoriesAddedDto>()).Stories;

        // Assert: bullets are stripped and the tab splits title from description.
        Assert.Equal(["Login page", "Search", "Export to CSV"], stories.Select(s => s.Title));
        Assert.Equal([true, false, false], stories.Select(s => s.HasDetails));
        Assert.Equal("As a user I sign in", (await oscar.InvokeAsync<StoryDetailsDto>(nameof(IRoomHub.GetStory), stories[0].Id)).Description);
        var (login, search, export) = (stories[0].Id, stories[1].Id, stories[2].Id);

        // Act: round 1 on the first story.
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)login);
        await VoteAsync(alice, "3");
        await VoteAsync(bob, "5");
        await VoteAsync(carol, "13");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        var first = (await oscar.WaitForAsync<CardsRevealedDto>()).Result;

        // Assert: the result names the cards, the extremes and a suggestion (median 5).
        Assert.Equal(["3", "5", "13"], first.Distribution.Select(t => t.Card));
        Assert.Equal([[alice.ParticipantId], [bob.ParticipantId], [carol.ParticipantId]], first.Distribution.Select(t => t.Voters.ToArray()));
        Assert.Equal(3, first.VoterCount);
        Assert.Equal([alice.ParticipantId], first.LowestVoters);
        Assert.Equal([carol.ParticipantId], first.HighestVoters);
        Assert.Equal(3m, first.Min);
        Assert.Equal(13m, first.Max);
        Assert.Equal(5m, first.Median);
        Assert.False(first.Consensus);
        Assert.Equal("5", first.Suggested);

        // Act: re-vote, vote again, reveal, accept the suggestion.
        await fanny.InvokeAsync(nameof(IRoomHub.Revote));
        var second = await oscar.WaitForAsync<RoundStartedDto>();
        Assert.Equal((login, 2), (second.StoryId!.Value, second.Number));
        await VoteAsync(alice, "5");
        await VoteAsync(bob, "5");
        await VoteAsync(carol, "8");
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        var again = (await oscar.WaitForAsync<CardsRevealedDto>()).Result;
        Assert.Equal("5", again.Suggested);
        Assert.True(again.NearConsensus);
        Assert.Equal([alice.ParticipantId, bob.ParticipantId], again.LowestVoters);
        await fanny.InvokeAsync(nameof(IRoomHub.Accept), again.Suggested);
        var accepted = await oscar.WaitForAsync<EstimateAcceptedDto>();
        Assert.Equal(new EstimateDto("5", 5m), accepted.Estimate);

        // Act: the second story gets a typed estimate ("7,5" as a French keyboard types it); the third is skipped.
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)search);
        foreach (var estimator in estimators)
        {
            await VoteAsync(estimator, "8");
        }

        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        Assert.True((await oscar.WaitForAsync<CardsRevealedDto>()).Result.Consensus);
        await fanny.InvokeAsync(nameof(IRoomHub.Accept), "7,5");
        await fanny.InvokeAsync(nameof(IRoomHub.SkipStory), export);
        await oscar.WaitForAsync<StoryStateChangedDto>(s => s.StoryId == export && s.State == StoryState.Skipped);

        // Assert: the facilitator's view holds the outcome.
        var final = await fanny.GetViewAsync();
        Assert.Equal(RoomState.Lobby, final.State);
        Assert.Equal(
            [(StoryState.Estimated, "5"), (StoryState.Estimated, "7.5"), (StoryState.Skipped, null)],
            final.Stories.Select(s => (s.State, s.Estimate)));
        Assert.Equal(12.5m, final.EstimatedTotal);

        // Assert: the export holds the stories, estimates and every round's votes.
        var rows = await ExportAsync(table);
        Assert.Equal(["story_id", "external_key", "title", "story_state", "final_estimate", "round", "round_state", "participant", "card", "consensus", "suggested"], rows[0]);
        var votes = rows.Skip(1).Where(r => r[7].Length > 0).Select(r => (r[2], r[4], r[5], r[7], r[8])).ToHashSet();
        HashSet<(string Title, string Estimate, string Round, string Name, string Card)> expected =
        [
            ("Login page", "5", "1", "Alice", "3"), ("Login page", "5", "1", "Bob", "5"), ("Login page", "5", "1", "Carol", "13"),
            ("Login page", "5", "2", "Alice", "5"), ("Login page", "5", "2", "Bob", "5"), ("Login page", "5", "2", "Carol", "8"),
            ("Search", "7.5", "1", "Alice", "8"), ("Search", "7.5", "1", "Bob", "8"), ("Search", "7.5", "1", "Carol", "8"),
        ];
        Assert.Equal(expected, votes);
        Assert.Equal(11, rows.Count); // the header, nine votes, and the skipped story's single row
        var skipped = Assert.Single(rows, r => r[2] == "Export to CSV");
        Assert.Equal("Skipped", skipped[3]);
        Assert.All(rows.Skip(1).Where(r => r[2] == "Login page" && r[5] == "2"), r => Assert.Equal("5", r[10]));

        // Assert: every client, applying only its pushes in version order, holds exactly its fresh view.
        foreach (var client in table.Clients)
        {
            var fresh = await client.GetViewAsync();
            await client.WaitForVersionAsync(fresh.Version);
            Assert.Equal(HubAssert.Json(fresh), HubAssert.Json(client.ViewFromPushes()));
        }
    }

    [Fact]
    public async Task EveryKindOfChangeArrivesAsADelta_FromWhichEveryClientRebuildsItsFreshView()
    {
        await using var table = await Table.OpenAsync(app);
        var fanny = table.Facilitator;
        var alice = await table.SeatAsync("Alice");
        var bob = await table.SeatAsync("Bob");
        var carol = await table.SeatAsync("Carol");
        var oscar = await table.SeatAsync("Oscar", Role.Observer);
        var dave = await table.SeatAsync("Dave");
        var erin = await table.SeatAsync("Erin");

        // The backlog.
        await fanny.InvokeAsync(nameof(IRoomHub.PasteStories), "A\nB\nC");
        var ids = (await fanny.GetViewAsync()).Stories.Select(s => s.Id).ToArray();
        await fanny.InvokeAsync(nameof(IRoomHub.EditStory), ids[0], new StoryDraftDto("A, edited", "Why", "PROJ-7", "https://example.com/7"));
        await fanny.InvokeAsync(nameof(IRoomHub.MoveStory), ids[2], 0);
        await fanny.InvokeAsync(nameof(IRoomHub.RemoveStory), ids[1]);

        // The room and its people.
        await fanny.InvokeAsync(nameof(IRoomHub.RenameRoom), "Sprint 43");
        await fanny.InvokeAsync(nameof(IRoomHub.LockRoom), true);
        await fanny.InvokeAsync(nameof(IRoomHub.LockRoom), false);
        await alice.InvokeAsync(nameof(IRoomHub.Rename), "Alice L.");
        await fanny.InvokeAsync(nameof(IRoomHub.ChangeSettings), new RoomSettingsDto(RoundTimerSeconds: 600));

        // A round whose voters change under it.
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)ids[0]);
        foreach (var (voter, card) in new[] { (fanny, "1"), (alice, "2"), (bob, "3"), (carol, "5"), (dave, "8"), (alice, "3") })
        {
            await voter.InvokeAsync(nameof(IRoomHub.CastVote), card);
        }

        await bob.InvokeAsync(nameof(IRoomHub.WithdrawVote));
        await bob.InvokeAsync(nameof(IRoomHub.CastVote), "5");
        await fanny.InvokeAsync(nameof(IRoomHub.ChangeSettings), new RoomSettingsDto(FacilitatorsVote: false, RoundTimerSeconds: 600));
        await carol.InvokeAsync(nameof(IRoomHub.ChangeRole), carol.ParticipantId, Role.Observer);
        await fanny.InvokeAsync(nameof(IRoomHub.Kick), dave.ParticipantId);
        await erin.InvokeAsync(nameof(IRoomHub.Leave));
        await fanny.InvokeAsync(nameof(IRoomHub.Reveal));
        await fanny.InvokeAsync(nameof(IRoomHub.Accept), "5");

        // A new deck, a quick vote with a countdown, cancelled; a skipped story; a promotion.
        await fanny.InvokeAsync(nameof(IRoomHub.ChangeDeck), new DeckDto(DeckType.TShirt));
        await fanny.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "M");
        await fanny.InvokeAsync(nameof(IRoomHub.StopTimer));
        await fanny.InvokeAsync(nameof(IRoomHub.StartTimer), 30);
        await fanny.InvokeAsync(nameof(IRoomHub.CancelRound));
        await fanny.InvokeAsync(nameof(IRoomHub.SkipStory), ids[2]);
        await fanny.InvokeAsync(nameof(IRoomHub.ChangeRole), alice.ParticipantId, Role.Facilitator);

        // Presence: Bob goes away and comes back on a new connection.
        await bob.DisposeAsync();
        await fanny.WaitForAsync<PresenceChangedDto>(p => p.ParticipantId == bob.ParticipantId && !p.IsPresent);
        var bobAgain = await table.ConnectAsync("Bob");

        var seen = fanny.Received.SelectMany(c => c.Events).Select(e => e.GetType()).ToHashSet();
        // A deleted account's seat (ParticipantAnonymisedDto) needs an account: AccountDeletionTests checks its delta.
        var everyType = typeof(RoomEventDto).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(RoomEventDto)) && t != typeof(ParticipantAnonymisedDto)).ToArray();
        Assert.Equal(22, everyType.Length);
        Assert.All(everyType, t => Assert.Contains(t, seen));
        foreach (var client in new[] { fanny, alice, bobAgain, carol, oscar })
        {
            var fresh = await client.GetViewAsync();
            await client.WaitForVersionAsync(fresh.Version);
            Assert.Equal(HubAssert.Json(fresh), HubAssert.Json(client.ViewFromPushes()));
        }
    }

    private static async Task VoteAsync(TestClient voter, string card)
    {
        await voter.InvokeAsync(nameof(IRoomHub.CastVote), card);
    }

    /// <summary>The facilitator's CSV export, as rows of cells.</summary>
    private async Task<List<string[]>> ExportAsync(Table table)
    {
        using var http = app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{table.RoomId}/export.csv");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", table.Room.Token);
        using var response = await http.SendAsync(request, Cancel).WaitAsync(TestClient.Timeout, Cancel);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Cancel).WaitAsync(TestClient.Timeout, Cancel);
        return Csv.Parse(text);
    }
}
