namespace PlanningPoker.Domain;

/// <summary>A running countdown that everyone in the room sees.</summary>
/// <param name="StartedAt">When it started.</param>
/// <param name="Duration">How long it runs (10 s to 60 min).</param>
public sealed record CountdownTimer(DateTimeOffset StartedAt, TimeSpan Duration)
{
    /// <summary>When it reaches zero; the host delivers <see cref="TimeUp"/> at that moment.</summary>
    public DateTimeOffset EndsAt => StartedAt + Duration;
}
