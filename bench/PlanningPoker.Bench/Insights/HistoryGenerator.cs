using System.Text.Json;
using System.Text.Json.Serialization;
using PlanningPoker.Domain;

namespace PlanningPoker.Bench.Insights;

/// <summary>
/// Two years (or <see cref="Weeks"/>) of a team's estimation, as the server would have stored it: a workshop (room) a
/// week with the team's people seated, a backlog of user stories, rounds of votes on a Fibonacci deck with <c>?</c> and
/// <c>☕</c>, results computed by the domain's own <see cref="RoundResult.Compute"/> and stored as the server stores
/// them (<c>result_json</c>), and each estimated story's <c>story_facts</c> row as <see cref="StoryFacts.Of"/> defines it.
/// A fixed seed per team: the same rows on every run (their dates move with the day of the run, so that the last 90
/// days always hold a quarter's history).
/// </summary>
internal sealed class HistoryGenerator(int weeks, int storiesPerWorkshopMin, int storiesPerWorkshopMax, int seed, DateTimeOffset end)
{
    private static readonly Deck Fibonacci = Deck.Standard(DeckType.Fibonacci, SpecialCards.Unsure | SpecialCards.Break);

    // Regular cards 0 1 2 3 5 8 13 21 34 55 89: how often a story's "true" size is each (mostly 2 to 8).
    private static readonly int[] SizeWeights = [1, 8, 14, 20, 22, 18, 10, 5, 2, 0, 0];

    private static readonly string DeckCards = JsonSerializer.Serialize(
        [.. Fibonacci.RegularCards.Select(c => new DeckCardJson(c.Label, c.Value))], SeedJson.Default.DeckCardJsonArray);

    public int Weeks => weeks;

    /// <summary>The first day of the history.</summary>
    public DateTimeOffset Start => end.AddDays(-7 * weeks);

    /// <summary>The rows of team <paramref name="index"/> (0-based).</summary>
    public RowBatch Team(int index, Guid teamId, SeedStats stats)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index)); // not HashCode, which is seeded per process
        var batch = new RowBatch();
        var french = index % 5 is 1 or 3;
        var sharpness = 0.86 + (random.NextDouble() * 0.12); // how much the team agrees from the first round
        var members = Vocabulary.People.OrderBy(_ => random.Next()).Take(random.Next(6, 12)).ToArray();
        var keyPrefix = $"TEAM{index + 1}-";
        var nextKey = 100;
        var estimatedKeys = new List<(string Key, string Title, string? Description)>();
        for (var week = 0; week < weeks; week++)
        {
            if (random.NextDouble() < 0.04)
            {
                continue; // holidays
            }

            var workshopStart = Start.AddDays((week * 7) + (index % 5)).AddHours(9 + (index % 6 * 0.5)).AddMinutes(random.Next(0, 20));
            Workshop(batch, random, teamId, week, workshopStart, french, sharpness, members, keyPrefix, ref nextKey, estimatedKeys, stats);
        }

        return batch;
    }

    private void Workshop(
        RowBatch batch, Random random, Guid teamId, int week, DateTimeOffset start, bool french, double sharpness, string[] members, string keyPrefix,
        ref int nextKey, List<(string Key, string Title, string? Description)> estimatedKeys, SeedStats stats)
    {
        var roomId = RoomId(random);
        var createdAt = start.AddMinutes(-random.Next(5, 60));

        // Seats: the facilitator (who votes), the estimators present this week, sometimes an observer.
        var present = members.Where((_, i) => i == 0 || random.NextDouble() > 0.1).ToList();
        var seats = new List<(int Id, string Name, Role Role)>();
        for (var i = 0; i < present.Count; i++)
        {
            seats.Add((i + 1, present[i], i == 0 ? Role.Facilitator : Role.Estimator));
        }

        if (random.NextDouble() < 0.3)
        {
            seats.Add((seats.Count + 1, french ? "Responsable produit" : "Product owner", Role.Observer));
        }

        foreach (var seat in seats)
        {
            batch.Add(Table.Participants, roomId, seat.Id, seat.Name, seat.Role.ToString(), false, createdAt.AddMinutes(random.Next(0, 5)), null, null,
                Convert.ToHexString(RandomBytes(random, 32)).ToLowerInvariant(), null);
        }

        var voters = seats.Where(s => s.Role != Role.Observer).Select(s => s.Id).ToArray();
        stats.Participants += seats.Count;

        var now = start;
        var roundId = 0;
        var events = seats.Count;

        // A quick vote or two to warm up ("how long for the release notes?"): rounds without a story, numbered among themselves.
        var quickVotes = random.Next(0, 7);
        for (var q = 1; q <= quickVotes; q++)
        {
            var round = PlayRound(random, voters, sharpness, Pick(random), 1, now, cancel: false);
            batch.Add(Table.Rounds, roomId, ++roundId, null, q, RoundState.Revealed.ToString(), now, round.RevealedAt, RevealTrigger.Manual.ToString(),
                JsonSerializer.Serialize(round.Result, SeedJson.Default.RoundResult), null, null);
            AddVotes(batch, roomId, roundId, round.Votes, stats);
            stats.Rounds++;
            events += round.Votes.Count + 2;
            now = round.RevealedAt!.Value.AddSeconds(random.Next(20, 90));
        }

        var stories = random.Next(storiesPerWorkshopMin, storiesPerWorkshopMax + 1);
        for (var s = 0; s < stories; s++)
        {
            var storyId = s + 1;
            string key, title;
            string? description;
            if (estimatedKeys.Count > 10 && random.NextDouble() < 0.04)
            {
                // A story that comes back (split, re-scoped): the same external key, estimated again in a later workshop.
                (key, title, description) = estimatedKeys[random.Next(estimatedKeys.Count)];
                stats.Recurring++;
            }
            else
            {
                nextKey += random.Next(1, 4);
                key = keyPrefix + nextKey.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var otherLanguage = random.NextDouble() < 0.1;
                title = Vocabulary.Title(french ^ otherLanguage, random);
                description = Vocabulary.Description(french ^ otherLanguage, random);
            }

            var roll = random.NextDouble();
            var last = s == stories - 1;
            var state = last && roll < 0.3 ? StoryState.Pending : roll < 0.02 ? StoryState.Skipped : StoryState.Estimated;
            stats.Stories++;
            if (state != StoryState.Estimated)
            {
                batch.Add(Table.Stories, roomId, storyId, s, title, description, key, null, state.ToString(), null, null, null, null, null, null, null, null);
                events++;
                continue;
            }

            // Rounds until the team accepts: a consensus at once; a near consensus mostly; otherwise a re-vote after
            // discussion, or the facilitator settles it; at the sixth revealed round at the latest.
            var size = Pick(random);
            var clarity = random.NextDouble() switch { < 0.45 => 0.98, < 0.8 => 0.86, _ => 0.6 };
            var firstStart = now;
            var number = 0;
            var revealed = new List<RoundResult>();
            Card accepted;
            while (true)
            {
                number++;
                var cancel = random.NextDouble() < 0.04;
                var agreement = Math.Min(0.99, (sharpness * clarity) + (0.12 * revealed.Count));
                var round = PlayRound(random, voters, agreement, size, revealed.Count + 1, now, cancel);
                roundId++;
                events += round.Votes.Count + 2;
                stats.Rounds++;
                AddVotes(batch, roomId, roundId, round.Votes, stats);
                if (cancel)
                {
                    stats.Cancelled++;
                    batch.Add(Table.Rounds, roomId, roundId, storyId, number, RoundState.Cancelled.ToString(), now, null, null, null, null, null);
                    now = round.EndedAt.AddSeconds(random.Next(10, 60));
                    continue;
                }

                var result = round.Result!;
                revealed.Add(result);
                var take = result.Consensus
                    || (result.NearConsensus && random.NextDouble() < 0.25)
                    || (result.Suggested is not null && random.NextDouble() < 0.05 * revealed.Count)
                    || revealed.Count == 6;
                if (take)
                {
                    accepted = result.Suggested ?? Fibonacci.RegularCards[size];
                    var acceptedAt = round.RevealedAt!.Value.AddSeconds(random.Next(10, 90));
                    batch.Add(Table.Rounds, roomId, roundId, storyId, number, RoundState.Accepted.ToString(), now, round.RevealedAt, RevealTrigger.Manual.ToString(),
                        JsonSerializer.Serialize(result, SeedJson.Default.RoundResult), accepted.Label, accepted.Value);
                    var facts = new StoryFactsRowValues(
                        revealed.Count,
                        revealed[0].Consensus,
                        revealed.Count >= 2 && revealed[^1].Consensus,
                        revealed[0].Spread,
                        (acceptedAt - firstStart).TotalSeconds,
                        revealed.Sum(r => r.VoterCount),
                        revealed.Sum(r => r.MissingVoters.Count),
                        revealed.Sum(r => r.Distribution.Where(t => t.Card.Kind == CardKind.Unsure).Sum(t => t.Count)),
                        revealed.Sum(r => r.Distribution.Where(t => t.Card.Kind == CardKind.Break).Sum(t => t.Count)));
                    batch.Add(Table.Stories, roomId, storyId, s, title, description, key, null, StoryState.Estimated.ToString(), accepted.Label, accepted.Value,
                        null, null, null, null, null, null);
                    batch.Add(Table.StoryFacts, roomId, storyId, acceptedAt.ToUnixTimeMilliseconds(), key, title, facts.RevealedRounds, facts.FirstRoundConsensus,
                        facts.Converged, facts.FirstSpread, facts.SecondsToAccept, facts.Votes, facts.MissedVotes, facts.Unsure, facts.Breaks, accepted.Label,
                        accepted.Value);
                    stats.Estimated++;
                    stats.RevealedRounds += revealed.Count;
                    stats.FirstRoundConsensus += revealed[0].Consensus ? 1 : 0;
                    estimatedKeys.Add((key, title, description));
                    now = acceptedAt.AddSeconds(random.Next(5, 60));
                    events += 2;
                    break;
                }

                batch.Add(Table.Rounds, roomId, roundId, storyId, number, RoundState.Revealed.ToString(), now, round.RevealedAt, RevealTrigger.Manual.ToString(),
                    JsonSerializer.Serialize(result, SeedJson.Default.RoundResult), null, null);
                now = round.RevealedAt!.Value.AddSeconds(random.Next(30, 240)); // discussion, then a re-vote
            }
        }

        var name = french ? $"Affinage du sprint {week + 1}" : $"Sprint {week + 1} planning";
        batch.Add(Table.Rooms, roomId, name, DeckType.Fibonacci.ToString(), DeckCards, (int)(SpecialCards.Unsure | SpecialCards.Break), false, true,
            RevealPolicy.Facilitators.ToString(), Statistic.Median.ToString(), null, true, true, false, createdAt, seats.Count + 1, stories + 1, roundId + 1, null,
            null, null, null, (long)events, now, Convert.ToHexString(RandomBytes(random, 16)).ToLowerInvariant(), false, null);
        batch.Add(Table.TeamRooms, roomId, teamId, createdAt);
        stats.Rooms++;
    }

    private static void AddVotes(RowBatch batch, string roomId, int roundId, IReadOnlyList<Vote> votes, SeedStats stats)
    {
        for (var i = 0; i < votes.Count; i++)
        {
            var vote = votes[i];
            batch.Add(Table.Votes, roomId, roundId, vote.ParticipantId, i, vote.Card.Label, vote.Card.Value, vote.Card.Kind.ToString(), vote.CastAt);
        }

        stats.Votes += votes.Count;
    }

    /// <summary>One round: each voter votes after a think time (or, rarely, not at all); revealed, or cancelled before.</summary>
    private static PlayedRound PlayRound(Random random, int[] voters, double agreement, int size, int attempt, DateTimeOffset start, bool cancel)
    {
        var votes = new List<Vote>(voters.Length);
        var specialsFactor = attempt == 1 ? 1.0 : 0.4;
        foreach (var voter in voters)
        {
            var roll = random.NextDouble();
            if (roll < 0.015)
            {
                continue; // still thinking (or away from the keyboard) when the cards turn over
            }

            Card card;
            if (roll < 0.015 + (0.025 * specialsFactor))
            {
                card = Card.Unsure;
            }
            else if (roll < 0.015 + (0.035 * specialsFactor))
            {
                card = Card.Break;
            }
            else
            {
                var position = size;
                if (random.NextDouble() > agreement)
                {
                    position += (random.NextDouble() < 0.8 ? 1 : 2) * (random.Next(2) == 0 ? -1 : 1);
                }

                card = Fibonacci.RegularCards[Math.Clamp(position, 0, Fibonacci.RegularCards.Length - 1)];
            }

            votes.Add(new Vote(voter, card, start.AddSeconds(random.Next(8, 90) + random.NextDouble())));
        }

        votes.Sort((a, b) => a.CastAt.CompareTo(b.CastAt));
        var lastVote = votes.Count == 0 ? start : votes[^1].CastAt;
        if (cancel)
        {
            // Cancelled part-way: the votes cast until then stay with the round, which has no result.
            var kept = votes.Take(random.Next(0, votes.Count + 1)).ToList();
            return new PlayedRound(kept, null, null, (kept.Count == 0 ? start : kept[^1].CastAt).AddSeconds(random.Next(2, 20)));
        }

        var revealedAt = lastVote.AddSeconds(random.Next(2, 15));
        var result = RoundResult.Compute(Fibonacci, votes, Statistic.Median, voters);
        return new PlayedRound(votes, result, revealedAt, revealedAt);
    }

    private static int Pick(Random random)
    {
        var total = SizeWeights.Sum();
        var roll = random.Next(total);
        for (var i = 0; i < SizeWeights.Length; i++)
        {
            roll -= SizeWeights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return 4;
    }

    /// <summary>A room id as the server makes them: 16 characters of Crockford's base32, lower case.</summary>
    private static string RoomId(Random random)
    {
        const string alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        return string.Create(16, random, (chars, r) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed record PlayedRound(IReadOnlyList<Vote> Votes, RoundResult? Result, DateTimeOffset? RevealedAt, DateTimeOffset EndedAt);

    private sealed record StoryFactsRowValues(
        int RevealedRounds, bool FirstRoundConsensus, bool Converged, int? FirstSpread, double SecondsToAccept, int Votes, int MissedVotes, int Unsure, int Breaks);
}

/// <summary>What the seeder made, counted as it went.</summary>
internal sealed class SeedStats
{
    public int Rooms { get; set; }

    public int Participants { get; set; }

    public int Stories { get; set; }

    public int Estimated { get; set; }

    public int Recurring { get; set; }

    public int Rounds { get; set; }

    public int Cancelled { get; set; }

    public int RevealedRounds { get; set; }

    public int FirstRoundConsensus { get; set; }

    public long Votes { get; set; }
}

/// <summary>A regular card in <c>rooms.deck_cards</c>, as the server's <c>DeckCardJson</c>.</summary>
internal sealed record DeckCardJson(string Label, decimal? Value);

/// <summary>
/// The server's <c>StorageJson</c> options (src/PlanningPoker.Server/Storage/StorageJson.cs), for the same types:
/// snake_case names, enums as text, nothing left out; so <c>result_json</c> and <c>deck_cards</c> read back as the server's own.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RoundResult))]
[JsonSerializable(typeof(DeckCardJson[]))]
internal sealed partial class SeedJson : JsonSerializerContext;
