namespace PlanningPoker.Domain;

/// <summary>
/// The room as one participant may see it: the only shape of room state that leaves the domain toward clients.
/// Before reveal it says only whether each participant has voted; the viewer's own card is the one value it holds.
/// </summary>
/// <param name="RoomId">The room's id.</param>
/// <param name="Name">The room's name.</param>
/// <param name="Deck">The deck.</param>
/// <param name="Settings">The settings.</param>
/// <param name="IsLocked">Whether new participants are refused.</param>
/// <param name="State">Lobby, voting or revealed.</param>
/// <param name="ViewerId">Whose view this is.</param>
/// <param name="Participants">Every seat, in joining order.</param>
/// <param name="Stories">The backlog, in order.</param>
/// <param name="CurrentRound">The open round, if any.</param>
/// <param name="Timer">The running countdown, if any.</param>
/// <param name="EstimatedTotal">Sum of numeric final estimates.</param>
public sealed record RoomView(
    string RoomId,
    string Name,
    Deck Deck,
    RoomSettings Settings,
    bool IsLocked,
    RoomState State,
    int ViewerId,
    IReadOnlyList<ParticipantView> Participants,
    IReadOnlyList<Story> Stories,
    RoundView? CurrentRound,
    CountdownTimer? Timer,
    decimal EstimatedTotal);

/// <summary>A seat as a viewer sees it.</summary>
/// <param name="Id">The seat's id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">Role.</param>
/// <param name="IsPresent">Online or away.</param>
/// <param name="IsVoter">Whether this participant votes.</param>
/// <param name="HasVoted">Whether a card is down in the current voting or revealed round.</param>
/// <param name="Card">The card: the viewer's own at any time, anyone's once revealed, otherwise null.</param>
public sealed record ParticipantView(int Id, string Name, Role Role, bool IsPresent, bool IsVoter, bool HasVoted, Card? Card);

/// <summary>The open round as a viewer sees it.</summary>
/// <param name="Id">The round's id.</param>
/// <param name="StoryId">The story, or null for a quick vote.</param>
/// <param name="Number">1 for the first round on the story, 2 for the first re-vote…</param>
/// <param name="State">Voting or revealed.</param>
/// <param name="StartedAt">When voting opened.</param>
/// <param name="VoteCount">How many cards are down.</param>
/// <param name="Result">The result, once revealed.</param>
public sealed record RoundView(int Id, int? StoryId, int Number, RoundState State, DateTimeOffset StartedAt, int VoteCount, RoundResult? Result);

/// <summary>A past or current round in a story's history. Votes appear only if the round was revealed.</summary>
/// <param name="Id">The round's id.</param>
/// <param name="Number">Its number on the story.</param>
/// <param name="State">How it ended (or stands).</param>
/// <param name="StartedAt">When voting opened.</param>
/// <param name="RevealedAt">When the cards turned over, if they did.</param>
/// <param name="VoteCount">How many cards were down.</param>
/// <param name="Votes">Every vote with the voter's name, once revealed; empty otherwise.</param>
/// <param name="Result">The result, once revealed.</param>
/// <param name="Estimate">The estimate accepted on it, if any.</param>
public sealed record RoundRecord(
    int Id, int Number, RoundState State, DateTimeOffset StartedAt, DateTimeOffset? RevealedAt, int VoteCount,
    IReadOnlyList<VoteRecord> Votes, RoundResult? Result, Estimate? Estimate);

/// <summary>A revealed vote with its voter's name (kept after the voter leaves).</summary>
/// <param name="ParticipantId">The voter.</param>
/// <param name="Name">The voter's name.</param>
/// <param name="Card">The card.</param>
public sealed record VoteRecord(int ParticipantId, string Name, Card Card);

/// <summary>How one voter's card moved across a story's revealed rounds.</summary>
/// <param name="ParticipantId">The voter.</param>
/// <param name="Name">The voter's name.</param>
/// <param name="Cards">One entry per revealed round, oldest first; null where the voter did not vote.</param>
public sealed record VoterMovement(int ParticipantId, string Name, IReadOnlyList<Card?> Cards);

/// <summary>Every round of one story (or of the quick votes), and how each voter moved between revealed rounds.</summary>
/// <param name="StoryId">The story, or null for quick votes.</param>
/// <param name="Rounds">The rounds, oldest first.</param>
/// <param name="Movements">Each voter's cards across the revealed rounds.</param>
public sealed record StoryHistory(int? StoryId, IReadOnlyList<RoundRecord> Rounds, IReadOnlyList<VoterMovement> Movements);

/// <summary>Views, history and event visibility.</summary>
public sealed partial class Room
{
    /// <summary>The room as <paramref name="viewerId"/> may see it, or <see cref="RoomErrorCode.ParticipantNotFound"/>.</summary>
    public Result<RoomView> ViewFor(int viewerId)
    {
        if (FindParticipant(viewerId) is null)
        {
            return RoomError.ParticipantNotFound(viewerId);
        }

        var round = CurrentRound;
        var revealed = round?.IsRevealed == true;
        var participants = new ParticipantView[_participants.Count];
        for (var i = 0; i < participants.Length; i++)
        {
            var p = _participants[i];
            var vote = round?.VoteOf(p.Id);
            var card = vote is not null && (revealed || p.Id == viewerId) ? vote.Card : null;
            participants[i] = new ParticipantView(p.Id, p.Name, p.Role, p.IsPresent, IsVoter(p), vote is not null, card);
        }

        var roundView = round is null ? null
            : new RoundView(round.Id, round.StoryId, round.Number, round.State, round.StartedAt, round.Votes.Count, round.Result);

        return new RoomView(Id, Name, Deck, Settings, IsLocked, State, viewerId, participants, [.. _stories], roundView, Timer, EstimatedTotal);
    }

    /// <summary>
    /// Every round of a story (or of quick votes when <paramref name="storyId"/> is null), with votes shown only
    /// for revealed rounds, and each voter's movement between revealed rounds.
    /// </summary>
    /// <param name="storyId">The story, or null for quick votes.</param>
    /// <param name="stored">
    /// The story's rounds as storage holds them, needed when <see cref="HoldsAllRoundsOf"/> is false; those the room still
    /// holds are taken from the room.
    /// </param>
    public Result<StoryHistory> HistoryOf(int? storyId, IEnumerable<RoundSnapshot>? stored = null)
    {
        if (storyId is { } id && FindStory(id) is null)
        {
            return RoomError.StoryNotFound(id);
        }

        var rounds = RoundsOf(storyId, stored);
        var records = rounds.Select(r => new RoundRecord(
            r.Id, r.Number, r.State, r.StartedAt, r.RevealedAt, r.Votes.Count,
            r.IsRevealed ? [.. r.Votes.Select(v => new VoteRecord(v.ParticipantId, NameOf(v.ParticipantId), v.Card))] : [],
            r.Result, r.Estimate)).ToArray();

        var revealed = rounds.Where(r => r.IsRevealed).ToArray();
        var movements = revealed
            .SelectMany(r => r.Votes.Select(v => v.ParticipantId))
            .Distinct()
            .Order()
            .Select(pid => new VoterMovement(pid, NameOf(pid), [.. revealed.Select(r => r.VoteOf(pid)?.Card)]))
            .ToArray();

        return new StoryHistory(storyId, records, movements);
    }

    /// <summary>
    /// Drops from memory the finished rounds that only history needs: every quick vote but the open one, and a story's
    /// rounds up to its last accepted one (a later accept's facts start after it). The open round, and a story's rounds
    /// since its last accept, stay. Storage holds the dropped ones: call this only once the change that finished them
    /// has been handed to storage, and give <see cref="HistoryOf"/> their stored copies.
    /// </summary>
    /// <returns>How many rounds were dropped.</returns>
    public int ForgetFinishedRounds()
    {
        Dictionary<int, int>? lastAccepted = null;
        foreach (var r in _rounds)
        {
            if (r.State == RoundState.Accepted && r.StoryId is { } story)
            {
                (lastAccepted ??= [])[story] = r.Id;
            }
        }

        var kept = 0;
        for (var i = 0; i < _rounds.Count; i++)
        {
            var r = _rounds[i];
            var history = r.Id != _currentRoundId
                && (r.StoryId is not { } story || (lastAccepted is not null && lastAccepted.TryGetValue(story, out var accepted) && r.Id <= accepted));
            if (history)
            {
                _forgotten.Add(r.StoryId);
            }
            else
            {
                _rounds[kept++] = r;
            }
        }

        var dropped = _rounds.Count - kept;
        _rounds.RemoveRange(kept, dropped);
        return dropped;
    }

    /// <summary>False when some of the story's rounds (quick votes' for null) were forgotten: only storage holds them.</summary>
    public bool HoldsAllRoundsOf(int? storyId) => !_forgotten.Contains(storyId);

    /// <summary>The stories (null for quick votes) some of whose rounds were forgotten; a copy.</summary>
    public IReadOnlyList<int?> StoriesWithForgottenRounds => [.. _forgotten];

    private Round[] RoundsOf(int? storyId, IEnumerable<RoundSnapshot>? stored)
    {
        var held = _rounds.Where(r => r.StoryId == storyId).ToArray();
        if (stored is null)
        {
            return held;
        }

        var heldIds = held.Select(r => r.Id).ToHashSet();
        return [.. stored
            .Where(s => s.StoryId == storyId && !heldIds.Contains(s.Id))
            .Select(Round.FromSnapshot)
            .Concat(held)
            .OrderBy(r => r.Id)];
    }

    private string NameOf(int participantId) =>
        FindParticipant(participantId)?.Name
        ?? _formerParticipants.Find(f => f.Id == participantId)?.Name
        ?? $"#{participantId}";
}
