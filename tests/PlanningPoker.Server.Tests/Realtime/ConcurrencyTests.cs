using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

[Trait("Category", "Integration")]
public sealed class ConcurrencyTests(PokerApp app)
{
    private const int Estimators = 20;
    private static readonly string[] Cards = ["1", "2", "3", "5", "8"];

    [Fact]
    public async Task TwentyEstimatorsVotingAtTheSameInstantEndInOneRevealWithEveryVote_SeenAlikeByEveryone()
    {
        await using var table = await Table.OpenAsync(app, new RoomSettingsDto(AutoReveal: true, FacilitatorsVote: false));
        var estimators = new List<TestClient>();
        for (var i = 0; i < Estimators; i++)
        {
            estimators.Add(await table.SeatAsync($"Estimator {i:00}"));
        }

        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);

        await Task.WhenAll(estimators.Select((e, i) => e.InvokeAsync(nameof(IRoomHub.CastVote), Cards[i % Cards.Length])));

        var final = await table.Facilitator.GetViewAsync();
        Assert.Equal(RoomState.Revealed, final.State);
        Assert.Equal(Estimators, final.CurrentRound!.VoteCount);
        var result = final.CurrentRound.Result!;
        Assert.Equal(Estimators, result.VoterCount);
        Assert.Equal(estimators.Select(e => e.ParticipantId).Order(), result.Distribution.SelectMany(t => t.Voters).Order());
        Assert.All(estimators.Select((e, i) => (e, i)), x =>
            Assert.Contains(x.e.ParticipantId, Assert.Single(result.Distribution, t => t.Card == Cards[x.i % Cards.Length]).Voters));

        var expected = HubAssert.Json(result);
        foreach (var client in table.Clients)
        {
            await client.WaitForVersionAsync(final.Version);
            var reveals = client.Received.SelectMany(c => c.Events).OfType<CardsRevealedDto>().ToArray();
            var reveal = Assert.Single(reveals);
            Assert.Equal(RevealTrigger.AllVoted, reveal.Trigger);
            Assert.Equal(expected, HubAssert.Json(reveal.Result));
        }

        foreach (var client in table.Clients)
        {
            var view = await client.GetViewAsync();
            Assert.Equal(final.Version, view.Version);
            Assert.Equal(HubAssert.Json(final with { ViewerId = 0 }), HubAssert.Json(view with { ViewerId = 0 }));
            Assert.Equal(HubAssert.Json(view), HubAssert.Json(client.ViewFromPushes()));
        }
    }
}
