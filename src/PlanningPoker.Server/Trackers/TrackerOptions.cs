using System.ComponentModel.DataAnnotations;

namespace PlanningPoker.Server.Trackers;

/// <summary>The teams' and people's tracker connections. Bound from the <c>Trackers</c> section, validated at start; documented in docs/operations.md.</summary>
public sealed class TrackerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Trackers";

    /// <summary>Whether a connection's base URL may be plain http (tests and trackers on a private network); https only when false.</summary>
    /// <value>False.</value>
    public bool AllowHttp { get; set; }

    /// <summary>Connections one team may keep.</summary>
    /// <value>20.</value>
    [Range(1, 1_000)]
    public int MaxConnectionsPerTeam { get; set; } = 20;

    /// <summary>Personal connections one account may keep.</summary>
    /// <value>20.</value>
    [Range(1, 1_000)]
    public int MaxConnectionsPerAccount { get; set; } = 20;

    /// <summary>Stories one import from a tracker may bring into a room.</summary>
    /// <value>500.</value>
    [Range(1, 10_000)]
    public int MaxImport { get; set; } = 500;
}
