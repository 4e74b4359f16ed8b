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

    /// <summary>How long a node's subscription to a room lasts unless renewed; nodes renew at a third of it.</summary>
    /// <value>1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan SubscriptionLease { get; set; } = TimeSpan.FromMinutes(1);
}
