namespace PlanningPoker.Domain;

/// <summary>
/// The whole room as plain data, for storage: <see cref="Room.ToSnapshot"/> and <see cref="Room.FromSnapshot"/>
/// round-trip it exactly. It holds hidden votes: never send it to a client.
/// </summary>
/// <param name="Id">The room's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Deck">Its deck.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="IsLocked">Whether it is locked.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="NextParticipantId">The next seat id to allocate.</param>
/// <param name="NextStoryId">The next story id to allocate.</param>
/// <param name="NextRoundId">The next round id to allocate.</param>
/// <param name="CurrentRoundId">The open round, if any (always the newest round).</param>
/// <param name="Participants">Seats, in joining order.</param>
/// <param name="FormerParticipants">Those who left, in leaving order.</param>
/// <param name="Stories">The backlog, in order.</param>
/// <param name="Rounds">Every round, oldest first.</param>
/// <param name="Timer">The running countdown, if any.</param>
public sealed record RoomSnapshot(
    string Id,
    string Name,
    DeckSnapshot Deck,
    RoomSettings Settings,
    bool IsLocked,
    DateTimeOffset CreatedAt,
    int NextParticipantId,
    int NextStoryId,
    int NextRoundId,
    int? CurrentRoundId,
    IReadOnlyList<Participant> Participants,
    IReadOnlyList<FormerParticipant> FormerParticipants,
    IReadOnlyList<Story> Stories,
    IReadOnlyList<RoundSnapshot> Rounds,
    CountdownTimer? Timer);

/// <summary>A deck as plain data.</summary>
/// <param name="Type">Which deck.</param>
/// <param name="RegularCards">Its regular cards, in order.</param>
/// <param name="Specials">Its special cards.</param>
public sealed record DeckSnapshot(DeckType Type, IReadOnlyList<Card> RegularCards, SpecialCards Specials);

/// <summary>A round as plain data.</summary>
/// <param name="Id">Its id.</param>
/// <param name="StoryId">Its story, or null for a quick vote.</param>
/// <param name="Number">Its number on the story.</param>
/// <param name="State">Where it stands.</param>
/// <param name="StartedAt">When voting opened.</param>
/// <param name="RevealedAt">When the cards turned over.</param>
/// <param name="RevealedBy">What turned them over.</param>
/// <param name="Votes">Its votes, in casting order.</param>
/// <param name="Result">The result computed at reveal.</param>
/// <param name="Estimate">The accepted estimate.</param>
public sealed record RoundSnapshot(
    int Id, int? StoryId, int Number, RoundState State, DateTimeOffset StartedAt, DateTimeOffset? RevealedAt,
    RevealTrigger? RevealedBy, IReadOnlyList<Vote> Votes, RoundResult? Result, Estimate? Estimate);

/// <summary>Snapshots.</summary>
public sealed partial class Room
{
    /// <summary>The whole room as plain data.</summary>
    /// <exception cref="InvalidOperationException">The room forgot finished rounds (<see cref="ForgetFinishedRounds"/>): only storage holds it whole.</exception>
    public RoomSnapshot ToSnapshot()
    {
        if (_forgotten.Count > 0)
        {
            throw new InvalidOperationException("A room that forgot finished rounds has no whole snapshot: storage holds them.");
        }

        return new(
            Id, Name, new DeckSnapshot(Deck.Type, Deck.RegularCards, Deck.Specials), Settings, IsLocked, CreatedAt,
            _nextParticipantId, _nextStoryId, _nextRoundId, _currentRoundId,
            [.. _participants], [.. _formerParticipants], [.. _stories], [.. _rounds.Select(r => r.ToSnapshot())], Timer);
    }

    /// <summary>Rebuilds a room from its snapshot.</summary>
    public static Room FromSnapshot(RoomSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var room = new Room(snapshot.Id, snapshot.Name, Deck.Restore(snapshot.Deck), snapshot.Settings, snapshot.CreatedAt)
        {
            IsLocked = snapshot.IsLocked,
            Timer = snapshot.Timer,
            _nextParticipantId = snapshot.NextParticipantId,
            _nextStoryId = snapshot.NextStoryId,
            _nextRoundId = snapshot.NextRoundId,
            _currentRoundId = snapshot.CurrentRoundId,
        };
        room._participants.AddRange(snapshot.Participants);
        room._formerParticipants.AddRange(snapshot.FormerParticipants);
        room._stories.AddRange(snapshot.Stories);
        foreach (var round in snapshot.Rounds)
        {
            room._rounds.Add(Round.FromSnapshot(round));
            room.CountRound(round.StoryId);
        }

        return room;
    }
}
