namespace PlanningPoker.Domain;

/// <summary>Who may reveal the cards.</summary>
public enum RevealPolicy
{
    /// <summary>Facilitators only.</summary>
    Facilitators,

    /// <summary>Facilitators and every participant who votes.</summary>
    Voters,
}

/// <summary>The statistic the team reads first; also the target of the suggested estimate.</summary>
public enum Statistic
{
    /// <summary>The middle vote.</summary>
    Median,

    /// <summary>The average vote.</summary>
    Mean,

    /// <summary>The most played card.</summary>
    Mode,
}

/// <summary>How a room plays. Immutable; the facilitator replaces it with <see cref="ChangeSettings"/>.</summary>
/// <param name="AutoReveal">Reveal as soon as every present voter has voted.</param>
/// <param name="FacilitatorsVote">Whether facilitators vote like estimators.</param>
/// <param name="WhoMayReveal">Who may reveal.</param>
/// <param name="Statistic">The statistic the team reads first.</param>
/// <param name="RoundTimer">A countdown started with every round (10 s to 60 min), or null for none.</param>
/// <param name="AllowVoteChange">Whether a vote may be changed or withdrawn until reveal.</param>
/// <param name="RevealWhenTimerEnds">Whether the cards turn over when the countdown reaches zero during a vote.</param>
/// <param name="AutoAdvance">
/// Whether accepting an estimate for a story starts a round on the next pending story of the backlog at once, in the same
/// command. Off by default.
/// </param>
public sealed record RoomSettings(
    bool AutoReveal = false,
    bool FacilitatorsVote = true,
    RevealPolicy WhoMayReveal = RevealPolicy.Facilitators,
    Statistic Statistic = Statistic.Median,
    TimeSpan? RoundTimer = null,
    bool AllowVoteChange = true,
    bool RevealWhenTimerEnds = true,
    bool AutoAdvance = false)
{
    /// <summary>The settings of a new room when none are given.</summary>
    public static RoomSettings Default { get; } = new();

    /// <summary>Checks every value; null when the settings are valid.</summary>
    public RoomError? Validate()
    {
        if (!Enum.IsDefined(WhoMayReveal) || !Enum.IsDefined(Statistic))
        {
            return new RoomError(RoomErrorCode.InvalidSettings, "unknown reveal policy or statistic");
        }

        if (RoundTimer is { } timer && (timer < RoomLimits.MinTimer || timer > RoomLimits.MaxTimer))
        {
            return new RoomError(RoomErrorCode.InvalidSettings, "a round timer lasts from 10 seconds to 60 minutes");
        }

        return null;
    }
}
