using System.Text.Json;
using PlanningPoker.Domain;

namespace PlanningPoker.Server.Storage;

/// <summary>One SQL statement with its arguments, bound in order to <c>@p0</c>, <c>@p1</c>…</summary>
/// <param name="Sql">The statement; the same text for every row of its kind, so that it is prepared once.</param>
/// <param name="Args">The values, already in the provider's form (null for SQL NULL).</param>
internal readonly record struct SqlStatement(string Sql, object?[] Args);

/// <summary>
/// A change waiting for the group-commit writer: the statement on the <c>rooms</c> row that decides whether the change
/// may be written (it must touch exactly one row), then the statements on the child rows. Every value is copied out of
/// the room when the change is made, so the room may change again as soon as the change is queued.
/// </summary>
internal sealed class RoomChange
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RoomChange(string roomId, long version, SqlStatement guard, List<SqlStatement> statements, string conflict)
    {
        RoomId = roomId;
        Version = version;
        Guard = guard;
        Statements = statements;
        ConflictMessage = conflict;
    }

    public string RoomId { get; }

    public long Version { get; }

    /// <summary>Inserts or updates the room's row; touches no row when another writer got there first.</summary>
    public SqlStatement Guard { get; }

    /// <summary>The child rows, written only when the guard touched its row.</summary>
    public List<SqlStatement> Statements { get; }

    public string ConflictMessage { get; }

    /// <summary>Completes once the change has committed, or fails.</summary>
    public Task Completion => _done.Task;

    public void Committed() => _done.TrySetResult();

    public void Conflicted() => _done.TrySetException(new RoomConflictException(ConflictMessage));

    public void Failed(Exception exception) => _done.TrySetException(exception);

    /// <summary>Every row of a new room.</summary>
    public static RoomChange ForCreate(StoredRoom stored, DateTimeOffset now, SqlValues v)
    {
        var s = stored.Snapshot;
        var guard = new SqlStatement(Sql.InsertRoom,
        [
            s.Id, s.Name, SqlValues.Enum(s.Deck.Type), DeckJson(s.Deck.RegularCards), (int)s.Deck.Specials,
            s.Settings.AutoReveal, s.Settings.FacilitatorsVote, SqlValues.Enum(s.Settings.WhoMayReveal), SqlValues.Enum(s.Settings.Statistic),
            SqlValues.Seconds(s.Settings.RoundTimer), s.Settings.AllowVoteChange, s.Settings.RevealWhenTimerEnds,
            s.IsLocked, SqlValues.Time(s.CreatedAt), s.NextParticipantId, s.NextStoryId, s.NextRoundId, s.CurrentRoundId,
            SqlValues.Time(s.Timer?.StartedAt), SqlValues.Seconds(s.Timer?.Duration), stored.Secrets.PasscodeHash, stored.Version, SqlValues.Time(now),
            stored.Secrets.FacilitatorKey, s.Settings.AutoAdvance, stored.Secrets.AccountKey,
        ]);

        var rows = new List<SqlStatement>(s.Participants.Count + s.FormerParticipants.Count + s.Stories.Count + (s.Rounds.Count * 4));
        foreach (var p in s.Participants)
        {
            rows.Add(UpsertParticipant(s.Id, p, stored.Secrets, v));
        }

        for (var i = 0; i < s.FormerParticipants.Count; i++)
        {
            // A snapshot keeps only a former participant's id and name: the rest of the row is filled in plausibly.
            var former = s.FormerParticipants[i];
            rows.Add(new SqlStatement(Sql.UpsertParticipant,
                [s.Id, former.Id, former.Name, SqlValues.Enum(Role.Estimator), false, SqlValues.Time(s.CreatedAt), SqlValues.Time(now), i, null, null]));
        }

        for (var i = 0; i < s.Stories.Count; i++)
        {
            rows.Add(UpsertStory(s.Id, s.Stories[i], i, v));
        }

        foreach (var round in s.Rounds)
        {
            rows.Add(UpsertRound(s.Id, round.Id, round.StoryId, round.Number, round.State, round.StartedAt, round.RevealedAt,
                round.RevealedBy, round.Result, round.Estimate, v));
            for (var i = 0; i < round.Votes.Count; i++)
            {
                rows.Add(UpsertVote(s.Id, round.Id, round.Votes[i], i, v));
            }
        }

        return new RoomChange(s.Id, stored.Version, guard, rows, $"Room {s.Id} exists already.");
    }

    /// <summary>The rows a command touched, read from the room as it is now, and the room's row at the new version.</summary>
    public static RoomChange ForSave(Room room, IReadOnlyList<RoomEvent> events, RoomSecrets secrets, long version, long after, DateTimeOffset now, SqlValues v)
    {
        var dirty = Dirty.From(events);
        var id = room.Id;
        var rows = new List<SqlStatement>(4);

        foreach (var (participantId, joined) in dirty.Participants)
        {
            if (room.FindParticipant(participantId) is { } p)
            {
                rows.Add(joined is null
                    ? new SqlStatement(Sql.UpdateParticipant, [id, p.Id, p.Name, SqlValues.Enum(p.Role), p.IsPresent])
                    : UpsertParticipant(id, p, secrets, v));
                continue;
            }

            var order = IndexOfFormer(room, participantId);
            if (order < 0)
            {
                throw new ArgumentException($"Participant {participantId} of the events is not in room {id}.", nameof(events));
            }

            var former = room.FormerParticipants[order];
            if (joined is not null)
            {
                rows.Add(UpsertParticipant(id, joined, secrets, v));
            }

            rows.Add(new SqlStatement(Sql.ParticipantLeft, [id, former.Id, former.Name, false, SqlValues.Time(now), order]));
        }

        foreach (var participantId in dirty.Anonymised)
        {
            rows.Add(new SqlStatement(Sql.AnonymiseParticipant, [id, participantId, room.FormerParticipants[IndexOfFormer(room, participantId)].Name]));
        }

        if (dirty.StoryPositions || dirty.Stories.Count > 0)
        {
            var stories = room.Stories;
            for (var i = 0; i < stories.Count; i++)
            {
                var story = stories[i];
                if (dirty.Stories.Contains(story.Id))
                {
                    rows.Add(UpsertStory(id, story, i, v));
                }
                else if (dirty.StoryPositions)
                {
                    rows.Add(new SqlStatement(Sql.UpdateStoryPosition, [id, story.Id, i]));
                }
            }
        }

        foreach (var storyId in dirty.WriteBacks)
        {
            if (room.FindStory(storyId) is { WriteBack: { } w } story)
            {
                rows.Add(new SqlStatement(Sql.QueueWriteBack,
                [
                    id, storyId, v.Id(Guid.TryParse(story.Source, out var connection) ? connection : null), story.ExternalKey ?? "", w.Card,
                    v.Decimal(story.FinalEstimate?.Label == w.Card ? story.FinalEstimate.Value : null), now.ToUnixTimeMilliseconds(), SqlValues.Time(now),
                ]));
            }
        }

        foreach (var storyId in dirty.Stories)
        {
            // A story with an estimate keeps the facts of its last accept (while it is estimated again too); one
            // without an estimate (any more) has none.
            if (room.FindStory(storyId) is not { } story)
            {
                continue;
            }

            if (story.FinalEstimate is null)
            {
                rows.Add(new SqlStatement(Sql.DeleteStoryFacts, [id, storyId]));
            }
            else if (dirty.Accepted.Contains(storyId))
            {
                rows.Add(UpsertStoryFacts(id, story, StoryFacts.Of(room.Rounds.Where(r => r.StoryId == storyId), story.FinalEstimate, now), now, v));
            }
        }

        foreach (var roundId in dirty.Rounds)
        {
            if (FindRound(room, roundId) is { } r)
            {
                rows.Add(UpsertRound(id, r.Id, r.StoryId, r.Number, r.State, r.StartedAt, r.RevealedAt, r.RevealedBy, r.Result, r.Estimate, v));
            }
        }

        foreach (var (roundId, participantId) in dirty.Votes)
        {
            var round = FindRound(room, roundId);
            var vote = round?.VoteOf(participantId);
            if (vote is null)
            {
                rows.Add(new SqlStatement(Sql.DeleteVote, [id, roundId, participantId]));
            }
            else if (!dirty.VotesReordered.Contains(roundId))
            {
                rows.Add(UpsertVote(id, roundId, vote, IndexOfVote(round!, participantId), v));
            }
        }

        // A withdrawn vote closes a gap in the round's order: every remaining vote gets its place again.
        foreach (var roundId in dirty.VotesReordered)
        {
            if (FindRound(room, roundId) is { } round)
            {
                for (var i = 0; i < round.Votes.Count; i++)
                {
                    rows.Add(UpsertVote(id, roundId, round.Votes[i], i, v));
                }
            }
        }

        foreach (var storyId in dirty.RemovedStories)
        {
            rows.Add(new SqlStatement(Sql.DeleteVotesOfStory, [id, storyId]));
            rows.Add(new SqlStatement(Sql.DeleteRoundsOfStory, [id, storyId]));
            rows.Add(new SqlStatement(Sql.DeleteStory, [id, storyId]));
        }

        if (dirty.RoomColumnsUnchanged)
        {
            var versionOnly = new SqlStatement(Sql.UpdateRoomVersion, [id, version, SqlValues.Time(now), after, secrets.FacilitatorKey, secrets.AccountKey]);
            return new RoomChange(id, version, versionOnly, rows, ConflictFor(id, after));
        }

        var settings = room.Settings;
        var timer = room.Timer;
        object?[] roomArgs =
        [
            id, room.Name, settings.AutoReveal, settings.FacilitatorsVote, SqlValues.Enum(settings.WhoMayReveal), SqlValues.Enum(settings.Statistic),
            SqlValues.Seconds(settings.RoundTimer), settings.AllowVoteChange, settings.RevealWhenTimerEnds, room.IsLocked,
            dirty.NextParticipantId, dirty.NextStoryId, dirty.NextRoundId, room.CurrentRound?.Id,
            SqlValues.Time(timer?.StartedAt), SqlValues.Seconds(timer?.Duration), secrets.PasscodeHash, version, SqlValues.Time(now), after,
            secrets.FacilitatorKey, settings.AutoAdvance, secrets.AccountKey,
            .. dirty.Deck ? new object?[] { SqlValues.Enum(room.Deck.Type), DeckJson(room.Deck.RegularCards), (int)room.Deck.Specials } : [],
        ];
        var guard = new SqlStatement(dirty.Deck ? Sql.UpdateRoomAndDeck : Sql.UpdateRoom, roomArgs);
        return new RoomChange(id, version, guard, rows, ConflictFor(id, after));
    }

    private static string ConflictFor(string id, long after) => $"Room {id} is not at version {after}: another writer changed it.";

    private static SqlStatement UpsertParticipant(string roomId, Participant p, RoomSecrets secrets, SqlValues v) =>
        new(Sql.UpsertParticipant,
        [
            roomId, p.Id, p.Name, SqlValues.Enum(p.Role), p.IsPresent, SqlValues.Time(p.JoinedAt), null, null,
            secrets.TokenHashes.GetValueOrDefault(p.Id), v.Id(secrets.Accounts is { } accounts && accounts.TryGetValue(p.Id, out var account) ? account : null),
        ]);

    private static SqlStatement UpsertStory(string roomId, Story s, int position, SqlValues v) =>
        new(Sql.UpsertStory,
            [
                roomId, s.Id, position, s.Title, s.Description, s.ExternalKey, s.Url, SqlValues.Enum(s.State), s.FinalEstimate?.Label, v.Decimal(s.FinalEstimate?.Value),
                s.TrackerEstimate, s.Source, s.WriteBack is { } w ? SqlValues.Enum(w.State) : null, s.WriteBack?.Card, s.WriteBack?.Link, s.WriteBack?.Reason,
            ]);

    private static SqlStatement UpsertStoryFacts(string roomId, Story s, StoryFacts f, DateTimeOffset acceptedAt, SqlValues v) =>
        new(Sql.UpsertStoryFacts,
        [
            roomId, s.Id, acceptedAt.ToUnixTimeMilliseconds(), s.ExternalKey, s.Title, f.RevealedRounds, f.FirstRoundConsensus, f.Converged, f.FirstSpread,
            f.TimeToAccept?.TotalSeconds, f.Votes, f.MissedVotes, f.Unsure, f.Breaks, f.FinalCard, v.Decimal(f.FinalValue),
        ]);

    private static SqlStatement UpsertRound(
        string roomId, int id, int? storyId, int number, RoundState state, DateTimeOffset startedAt, DateTimeOffset? revealedAt,
        RevealTrigger? revealedBy, RoundResult? result, Estimate? estimate, SqlValues v) =>
        new(Sql.UpsertRound,
        [
            roomId, id, storyId, number, SqlValues.Enum(state), SqlValues.Time(startedAt), SqlValues.Time(revealedAt), revealedBy is { } by ? SqlValues.Enum(by) : null,
            result is null ? null : JsonSerializer.Serialize(result, StorageJson.Default.RoundResult), estimate?.Label, v.Decimal(estimate?.Value),
        ]);

    private static SqlStatement UpsertVote(string roomId, int roundId, Vote vote, int position, SqlValues v) =>
        new(Sql.UpsertVote,
            [roomId, roundId, vote.ParticipantId, position, vote.Card.Label, v.Decimal(vote.Card.Value), SqlValues.Enum(vote.Card.Kind), SqlValues.Time(vote.CastAt)]);

    private static string DeckJson(IReadOnlyList<Card> cards)
    {
        var json = new DeckCardJson[cards.Count];
        for (var i = 0; i < json.Length; i++)
        {
            json[i] = new DeckCardJson(cards[i].Label, cards[i].Value);
        }

        return JsonSerializer.Serialize(json, StorageJson.Default.DeckCardJsonArray);
    }

    private static Round? FindRound(Room room, int id)
    {
        var rounds = room.Rounds;
        for (var i = rounds.Count - 1; i >= 0; i--)
        {
            if (rounds[i].Id == id)
            {
                return rounds[i];
            }
        }

        return null;
    }

    private static int IndexOfVote(Round round, int participantId)
    {
        var votes = round.Votes;
        for (var i = 0; i < votes.Count; i++)
        {
            if (votes[i].ParticipantId == participantId)
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOfFormer(Room room, int participantId)
    {
        var former = room.FormerParticipants;
        for (var i = former.Count - 1; i >= 0; i--)
        {
            if (former[i].Id == participantId)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>What a command's events touched, by key; the values are read from the room afterwards.</summary>
    private sealed class Dirty
    {
        /// <summary>Participant id → the participant as they joined, when they joined in these events.</summary>
        public Dictionary<int, Participant?> Participants { get; } = [];

        public HashSet<int> Stories { get; } = [];

        /// <summary>Former participants whose account was deleted: their row loses its name, account and token.</summary>
        public List<int> Anonymised { get; } = [];

        public List<int> RemovedStories { get; } = [];

        /// <summary>Stories whose estimate was accepted in these events: their facts are taken.</summary>
        public HashSet<int> Accepted { get; } = [];

        /// <summary>Stories whose estimate is queued for their tracker.</summary>
        public HashSet<int> WriteBacks { get; } = [];

        public bool StoryPositions { get; private set; }

        public List<int> Rounds { get; } = [];

        public List<(int Round, int Participant)> Votes { get; } = [];

        public HashSet<int> VotesReordered { get; } = [];

        public bool Deck { get; private set; }

        // The room keeps its id counters private; they move only when an id is allocated, which an event shows.
        public int? NextParticipantId { get; private set; }

        public int? NextStoryId { get; private set; }

        public int? NextRoundId { get; private set; }

        /// <summary>Votes or presence alone (not a change of secrets alone): the rooms row's own columns stay as they are.</summary>
        public bool RoomColumnsUnchanged { get; private set; }

        public static Dirty From(IReadOnlyList<RoomEvent> events)
        {
            var d = new Dirty { RoomColumnsUnchanged = events.Count > 0 };
            foreach (var e in events)
            {
                if (e is not (VoteCast or VoteWithdrawn or PresenceChanged))
                {
                    d.RoomColumnsUnchanged = false;
                }

                switch (e)
                {
                    case ParticipantJoined j:
                        d.Participants[j.Participant.Id] = j.Participant;
                        d.NextParticipantId = Math.Max(d.NextParticipantId ?? 0, j.Participant.Id + 1);
                        break;
                    case ParticipantLeft l:
                        d.Participants.TryAdd(l.ParticipantId, null);
                        break;
                    case ParticipantRenamed r:
                        d.Participants.TryAdd(r.ParticipantId, null);
                        break;
                    case ParticipantAnonymised a:
                        d.Anonymised.Add(a.ParticipantId);
                        break;
                    case RoleChanged r:
                        d.Participants.TryAdd(r.ParticipantId, null);
                        break;
                    case PresenceChanged p:
                        d.Participants.TryAdd(p.ParticipantId, null);
                        break;
                    case RoomRenamed or SettingsChanged or RoomLockChanged or TimerStarted or TimerStopped:
                        break; // the rooms row is written with every change
                    case DeckChanged:
                        d.Deck = true;
                        break;
                    case StoriesAdded a:
                        foreach (var story in a.Stories)
                        {
                            d.Stories.Add(story.Id);
                            d.NextStoryId = Math.Max(d.NextStoryId ?? 0, story.Id + 1);
                        }

                        break;
                    case StoryEdited s:
                        d.Stories.Add(s.Story.Id);
                        break;
                    case StoryStateChanged s:
                        d.Stories.Add(s.StoryId);
                        break;
                    case WriteBackChanged w:
                        d.Stories.Add(w.StoryId);
                        if (w.WriteBack.State == WriteBackState.Pending)
                        {
                            d.WriteBacks.Add(w.StoryId);
                        }

                        break;
                    case StoryMoved:
                        d.StoryPositions = true;
                        break;
                    case StoryRemoved s:
                        d.StoryPositions = true;
                        d.Stories.Remove(s.StoryId);
                        d.RemovedStories.Add(s.StoryId);
                        break;
                    case RoundStarted r:
                        d.AddRound(r.RoundId);
                        d.NextRoundId = Math.Max(d.NextRoundId ?? 0, r.RoundId + 1);
                        break;
                    case CardsRevealed r:
                        d.AddRound(r.RoundId);
                        break;
                    case RoundClosed r:
                        d.AddRound(r.RoundId);
                        break;
                    case EstimateAccepted a:
                        d.AddRound(a.RoundId);
                        if (a.StoryId is { } accepted)
                        {
                            d.Stories.Add(accepted);
                            d.Accepted.Add(accepted);
                        }

                        break;
                    case VoteCast c:
                        d.AddVote(c.RoundId, c.ParticipantId);
                        break;
                    case VoteWithdrawn w:
                        d.AddVote(w.RoundId, w.ParticipantId);
                        d.VotesReordered.Add(w.RoundId);
                        break;
                    default:
                        throw new ArgumentException($"The store does not know the event {e.GetType().Name}.", nameof(events));
                }
            }

            return d;
        }

        private void AddRound(int id)
        {
            if (!Rounds.Contains(id))
            {
                Rounds.Add(id);
            }
        }

        private void AddVote(int round, int participant)
        {
            if (!Votes.Contains((round, participant)))
            {
                Votes.Add((round, participant));
            }
        }
    }
}
