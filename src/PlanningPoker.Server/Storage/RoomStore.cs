using System.Data;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PlanningPoker.Domain;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// The relational <see cref="IRoomStore"/>: reads a room with EF Core, and writes each command's change as a few
/// parameterised statements through the <see cref="GroupCommitWriter"/>, so that an acknowledged change is committed
/// and many rooms share one commit.
/// </summary>
internal sealed class RoomStore : IRoomStore, IAsyncDisposable
{
    private readonly PokerDbContextFactory _contexts;
    private readonly TimeProvider _time;
    private readonly SqlValues _values;
    private readonly StorageOutage _outage;
    private readonly GroupCommitWriter _writer;

    public RoomStore(PokerDbContextFactory contexts, IOptions<StorageOptions> options, TimeProvider time, ILogger<RoomStore> logger)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(options);
        _contexts = contexts;
        _time = time;
        _values = SqlValues.For(contexts.Provider);
        _outage = new StorageOutage(time, logger);
        _writer = new GroupCommitWriter(contexts, options.Value.MaxBatchSize, options.Value.BusyTimeout, _outage, logger);
    }

    public Task<StoredRoom?> LoadAsync(string roomId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        return ReadingAsync(() => ReadAsync(roomId, cancellationToken), $"room {roomId}", cancellationToken);
    }

    public async Task<IReadOnlyList<RoundSnapshot>> LoadRoundsAsync(string roomId, IReadOnlyCollection<int?> stories, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentNullException.ThrowIfNull(stories);
        return await ReadingAsync(() => ReadRoundsAsync(roomId, stories, cancellationToken), $"the rounds of room {roomId}", cancellationToken);
    }

    /// <summary>A read that tells the outage tracker how it went, and turns the database's unavailability into <see cref="StorageUnavailableException"/>.</summary>
    private async Task<T> ReadingAsync<T>(Func<Task<T>> read, string what, CancellationToken cancellationToken)
    {
        try
        {
            var result = await read();
            _outage.Succeeded();
            return result;
        }
        catch (Exception e) when (StorageFaults.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            _outage.Failed(e);
            throw new StorageUnavailableException($"The room database is unavailable: {what} could not be read.", e);
        }
    }

    private async Task<List<RoundSnapshot>> ReadRoundsAsync(string roomId, IReadOnlyCollection<int?> stories, CancellationToken cancellationToken)
    {
        await using var db = _contexts.CreateDbContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(db, cancellationToken);

        var quick = stories.Contains(null);
        var ids = stories.OfType<int>().ToArray();
        var chosen = db.Rounds.AsNoTracking().Where(r => r.RoomId == roomId && (r.StoryId == null ? quick : ids.Contains(r.StoryId.Value)));
        var rounds = await chosen.ToListAsync(cancellationToken);
        var votes = await db.Votes.AsNoTracking().Where(v => v.RoomId == roomId)
            .Join(chosen, v => v.RoundId, r => r.Id, (v, _) => v)
            .ToListAsync(cancellationToken);
        return ToRounds(rounds, votes);
    }

    private async Task<StoredRoom?> ReadAsync(string roomId, CancellationToken cancellationToken)
    {
        await using var db = _contexts.CreateDbContext();
        await db.Database.OpenConnectionAsync(cancellationToken);

        // One snapshot of the database for the six reads.
        await using var transaction = await BeginReadAsync(db, cancellationToken);

        var room = await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roomId, cancellationToken);
        if (room is null)
        {
            return null;
        }

        var participants = await db.Participants.AsNoTracking().Where(p => p.RoomId == roomId).ToListAsync(cancellationToken);
        var stories = await db.Stories.AsNoTracking().Where(s => s.RoomId == roomId).ToListAsync(cancellationToken);
        var rounds = await db.Rounds.AsNoTracking().Where(r => r.RoomId == roomId).ToListAsync(cancellationToken);
        var votes = await db.Votes.AsNoTracking().Where(v => v.RoomId == roomId).ToListAsync(cancellationToken);
        var team = await db.Set<Teams.TeamRoomRow>().AsNoTracking().Where(t => t.RoomId == roomId).Select(t => (Guid?)t.TeamId).SingleOrDefaultAsync(cancellationToken);
        return Build(room, participants, stories, rounds, votes) with { TeamId = team };
    }

    public Task CreateAsync(StoredRoom room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return _writer.WriteAsync(RoomChange.ForCreate(room, _time.GetUtcNow(), _values), cancellationToken);
    }

    public Task SaveAsync(Room room, IReadOnlyList<RoomEvent> events, RoomSecrets secrets, long version, long? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(after ?? 0, version);

        // Everything is read from the room here, before the caller gets its task back.
        var change = RoomChange.ForSave(room, events, secrets, version, after ?? (version - 1), _time.GetUtcNow(), _values);
        return _writer.WriteAsync(change, cancellationToken);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private async Task<IAsyncDisposable> BeginReadAsync(PokerDbContext db, CancellationToken cancellationToken)
    {
        if (_contexts.Provider == StorageProvider.Sqlite)
        {
            // Deferred: a reader must not take SQLite's write lock (BEGIN IMMEDIATE would).
            var sqlite = (SqliteConnection)db.Database.GetDbConnection();
            var transaction = sqlite.BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            return transaction;
        }

        return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
    }

    private static StoredRoom Build(
        RoomRow room, List<ParticipantRow> participants, List<StoryRow> stories, List<RoundRow> rounds, List<VoteRow> votes)
    {
        var cards = JsonSerializer.Deserialize(room.DeckCards, StorageJson.Default.DeckCardJsonArray) ?? [];
        var deck = new DeckSnapshot(room.DeckType, [.. cards.Select(c => new Card(c.Label, c.Value))], (SpecialCards)room.DeckSpecials);
        var settings = new RoomSettings(
            room.AutoReveal, room.FacilitatorsVote, room.WhoMayReveal, room.Statistic,
            room.RoundTimerSeconds is { } seconds ? SqlValues.FromSeconds(seconds) : null,
            room.AllowVoteChange, room.RevealWhenTimerEnds, room.AutoAdvance);

        participants.Sort((a, b) => a.Id.CompareTo(b.Id));
        var seated = participants.Where(p => p.LeftAt is null).ToList();
        var former = participants
            .Where(p => p.LeftAt is not null)
            .OrderBy(p => p.LeftOrder ?? int.MaxValue).ThenBy(p => p.LeftAt).ThenBy(p => p.Id)
            .Select(p => new FormerParticipant(p.Id, p.Name))
            .ToList();

        // Former participants' tokens stay stored for history but no longer open the room.
        var tokens = seated.Where(p => p.TokenHash is not null).ToDictionary(p => p.Id, p => p.TokenHash!);
        var accounts = seated.Where(p => p.AccountId is not null).ToDictionary(p => p.Id, p => p.AccountId!.Value);

        var snapshot = new RoomSnapshot(
            room.Id, room.Name, deck, settings, room.IsLocked, room.CreatedAt,
            room.NextParticipantId, room.NextStoryId, room.NextRoundId, room.CurrentRoundId,
            [.. seated.Select(p => new Participant(p.Id, p.Name, p.Role, p.IsPresent, p.JoinedAt))],
            former,
            [.. stories.OrderBy(s => s.Position).ThenBy(s => s.Id).Select(s => new Story(
                s.Id, s.Title, s.Description, s.ExternalKey, s.Url, s.State,
                s.FinalLabel is null ? null : new Estimate(s.FinalLabel, s.FinalValue), s.TrackerEstimate, s.Source,
                s.WriteBackState is { } state ? new WriteBack(state, s.WriteBackCard ?? "", s.WriteBackLink, s.WriteBackReason) : null))],
            ToRounds(rounds, votes),
            room.TimerStartedAt is { } startedAt && room.TimerDurationSeconds is { } duration
                ? new CountdownTimer(startedAt, SqlValues.FromSeconds(duration))
                : null);

        return new StoredRoom(snapshot, new RoomSecrets(room.PasscodeHash, tokens, room.FacilitatorKey, room.AccountKey, accounts), room.Version);
    }

    private static List<RoundSnapshot> ToRounds(List<RoundRow> rounds, List<VoteRow> votes)
    {
        var votesByRound = votes.ToLookup(v => v.RoundId);
        return rounds
            .OrderBy(r => r.Id)
            .Select(r => new RoundSnapshot(
                r.Id, r.StoryId, r.Number, r.State, r.StartedAt, r.RevealedAt, r.RevealedBy,
                [.. votesByRound[r.Id].OrderBy(v => v.Position).Select(v => new Vote(v.ParticipantId, ToCard(v), v.CastAt))],
                r.ResultJson is null ? null : JsonSerializer.Deserialize(r.ResultJson, StorageJson.Default.RoundResult),
                r.EstimateLabel is null ? null : new Estimate(r.EstimateLabel, r.EstimateValue)))
            .ToList();
    }

    /// <summary>Special cards are the deck's own instances, so that a loaded vote is the very card the deck offers.</summary>
    private static Card ToCard(VoteRow v) => v.CardKind switch
    {
        CardKind.Unsure when v.CardLabel == Card.UnsureLabel => Card.Unsure,
        CardKind.Break when v.CardLabel == Card.BreakLabel => Card.Break,
        CardKind.Infinity when v.CardLabel == Card.InfinityLabel => Card.Infinity,
        _ => new Card(v.CardLabel, v.CardValue, v.CardKind),
    };
}
