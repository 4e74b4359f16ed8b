using System.ComponentModel.DataAnnotations;

namespace PlanningPoker.Server.Rooms;

/// <summary>How live rooms behave. Bound from the <c>Rooms</c> configuration section, validated at start.</summary>
public sealed class RoomOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Rooms";

    /// <summary>How long a participant with no connection left stays present (a reload, a tunnel).</summary>
    /// <value>30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PresenceGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a participant whose last connection was closed on purpose (a tab closed, a Leave of the page) stays
    /// present: long enough for a reload, short enough that "everyone has voted" does not wait for someone who left.
    /// </summary>
    /// <value>5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClosedConnectionGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a room that has just loaded waits for each node to say which of its connections are live.</summary>
    /// <value>2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:20")]
    public TimeSpan NodeAnswerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a node's subscription to a room lasts unless renewed; nodes renew at a third of it.</summary>
    /// <value>1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan SubscriptionLease { get; set; } = TimeSpan.FromMinutes(1);
}
