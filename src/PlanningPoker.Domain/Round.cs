namespace PlanningPoker.Domain;

/// <summary>Where a round stands.</summary>
public enum RoundState
{
    /// <summary>Open for votes; values are hidden from everyone but their voter.</summary>
    Voting,

    /// <summary>Cards turned over; every vote is visible.</summary>
    Revealed,

    /// <summary>Revealed, and its estimate accepted.</summary>
    Accepted,

    /// <summary>Closed before reveal: its votes are never shown to anyone but their voters.</summary>
    Cancelled,
}

/// <summary>What turned the cards over.</summary>
public enum RevealTrigger
{
    /// <summary>A participant allowed to reveal asked for it.</summary>
    Manual,

    /// <summary>Every present voter had voted and the room reveals automatically.</summary>
    AllVoted,

    /// <summary>The countdown reached zero.</summary>
    Timer,
}

/// <summary>One participant's card in a round.</summary>
/// <param name="ParticipantId">The voter.</param>
/// <param name="Card">The card played.</param>
/// <param name="CastAt">When it was cast (or last changed).</param>
public sealed record Vote(int ParticipantId, Card Card, DateTimeOffset CastAt);

/// <summary>
/// One round of voting on a story (or a quick vote without a story). The room owns and changes it; everyone else
/// reads it through views, which hide its votes until it is revealed.
/// </summary>
public sealed class Round
{
    private readonly List<Vote> _votes;

    internal Round(int id, int? storyId, int number, DateTimeOffset startedAt)
        : this(id, storyId, number, RoundState.Voting, startedAt, null, null, [], null, null)
    {
    }

    private Round(
        int id, int? storyId, int number, RoundState state, DateTimeOffset startedAt, DateTimeOffset? revealedAt,
        RevealTrigger? trigger, List<Vote> votes, RoundResult? result, Estimate? estimate)
    {
        Id = id;
        StoryId = storyId;
        Number = number;
        State = state;
        StartedAt = startedAt;
        RevealedAt = revealedAt;
        RevealedBy = trigger;
        _votes = votes;
        Result = result;
        Estimate = estimate;
    }

    /// <summary>Allocated by the room (1, 2, 3…).</summary>
    public int Id { get; }

    /// <summary>The story voted on, or null for a quick vote.</summary>
    public int? StoryId { get; }

    /// <summary>1 for a story's first round, 2 for its first re-vote… (quick votes are numbered among themselves).</summary>
    public int Number { get; }

    /// <summary>Where the round stands.</summary>
    public RoundState State { get; private set; }

    /// <summary>When voting opened.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the cards turned over, if they did.</summary>
    public DateTimeOffset? RevealedAt { get; private set; }

    /// <summary>What turned the cards over, if they did.</summary>
    public RevealTrigger? RevealedBy { get; private set; }

    /// <summary>The votes, in the order they were first cast. Never hand these to a client: use a view.</summary>
    public IReadOnlyList<Vote> Votes => _votes;

    /// <summary>The statistics computed when the cards turned over.</summary>
    public RoundResult? Result { get; private set; }

    /// <summary>The estimate accepted on this round, if any.</summary>
    public Estimate? Estimate { get; private set; }

    /// <summary>True once the round has been revealed (whether or not it was then accepted).</summary>
    public bool IsRevealed => State is RoundState.Revealed or RoundState.Accepted;

    /// <summary>The vote of a participant, if any.</summary>
    public Vote? VoteOf(int participantId)
    {
        foreach (var vote in _votes)
        {
            if (vote.ParticipantId == participantId)
            {
                return vote;
            }
        }

        return null;
    }

    internal void Cast(Vote vote)
    {
        var i = _votes.FindIndex(v => v.ParticipantId == vote.ParticipantId);
        if (i < 0)
        {
            _votes.Add(vote);
        }
        else
        {
            _votes[i] = vote;
        }
    }

    internal void Withdraw(int participantId) => _votes.RemoveAll(v => v.ParticipantId == participantId);

    internal void Reveal(RoundResult result, RevealTrigger trigger, DateTimeOffset at)
    {
        State = RoundState.Revealed;
        Result = result;
        RevealedBy = trigger;
        RevealedAt = at;
    }

    internal void Accept(Estimate estimate)
    {
        State = RoundState.Accepted;
        Estimate = estimate;
    }

    internal void Cancel()
    {
        if (State == RoundState.Voting)
        {
            State = RoundState.Cancelled;
        }
    }

    internal RoundSnapshot ToSnapshot() => new(Id, StoryId, Number, State, StartedAt, RevealedAt, RevealedBy, [.. _votes], Result, Estimate);

    internal static Round FromSnapshot(RoundSnapshot s) =>
        new(s.Id, s.StoryId, s.Number, s.State, s.StartedAt, s.RevealedAt, s.RevealedBy, [.. s.Votes], s.Result, s.Estimate);
}
