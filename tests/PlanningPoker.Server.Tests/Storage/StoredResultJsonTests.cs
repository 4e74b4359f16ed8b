using System.Text.Json;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// <c>rounds.result_json</c> and the Orleans JSON keep a <see cref="RoundResult"/> whole, and results stored before
/// <see cref="RoundResult.MissingVoters"/> and <see cref="RoundResult.OnlySpecialCards"/> existed still read.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StoredResultJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ResultJson_WithMissingVotersAndOnlySpecialCards_RoundTrips()
    {
        var result = RoundResult.Compute(Deck.Default, [new Vote(2, Card.Unsure, Now), new Vote(3, Card.Break, Now)], Statistic.Median, [1, 2, 3]);

        var json = JsonSerializer.Serialize(result, StorageJson.Default.RoundResult);
        var read = JsonSerializer.Deserialize(json, StorageJson.Default.RoundResult)!;

        Assert.Contains("\"missing_voters\":[1]", json, StringComparison.Ordinal);
        Assert.Contains("\"only_special_cards\":true", json, StringComparison.Ordinal);
        Assert.Equal<int>([1], read.MissingVoters);
        Assert.True(read.OnlySpecialCards);
    }

    [Fact]
    public void ResultJson_StoredBeforeMissingVoters_ReadsWithNobodyMissing()
    {
        const string Stored = """
            {"distribution":[{"card":{"label":"5","value":5,"kind":"Regular"},"count":2,"voters":[1,2]}],"voter_count":2,
             "min":5,"max":5,"mean":5,"median":5,"modes":[{"label":"5","value":5,"kind":"Regular"}],"spread":0,
             "consensus":true,"near_consensus":false,"lowest_voters":[],"highest_voters":[],
             "suggested":{"label":"5","value":5,"kind":"Regular"}}
            """;

        var read = JsonSerializer.Deserialize(Stored, StorageJson.Default.RoundResult)!;

        Assert.Empty(read.MissingVoters);
        Assert.False(read.OnlySpecialCards);
        Assert.True(read.Consensus);
        Assert.Equal("5", read.Suggested?.Label);
    }

    [Fact]
    public void DomainJson_ResultWithMissingVoters_RoundTrips()
    {
        var result = RoundResult.Compute(Deck.Default, [new Vote(2, Deck.Default.Find("5")!, Now)], Statistic.Mean, [1, 2, 3]);

        var read = JsonSerializer.Deserialize<RoundResult>(JsonSerializer.Serialize(result, DomainJson.Options), DomainJson.Options)!;

        Assert.Equal<int>([1, 3], read.MissingVoters);
        Assert.False(read.OnlySpecialCards);
        Assert.Equal("5", read.Suggested?.Label);
    }
}
