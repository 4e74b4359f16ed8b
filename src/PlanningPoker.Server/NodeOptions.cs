using System.ComponentModel.DataAnnotations;
using System.Net;

namespace PlanningPoker.Server;

/// <summary>
/// This node's place in the Orleans cluster. Bound from the <c>Node</c> section, validated at start. On PostgreSQL,
/// the nodes that share the database and the <see cref="ClusterId"/> form one cluster (docs/operations.md,
/// "Cluster mode"); on SQLite the node is a cluster of its own.
/// </summary>
public sealed class NodeOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node";

    /// <summary>The port other nodes reach this one on (silo to silo).</summary>
    /// <value>11111.</value>
    [Range(1, 65_535)]
    public int SiloPort { get; set; } = 11_111;

    /// <summary>The port of this node's Orleans gateway (for Orleans clients; the server itself needs none).</summary>
    /// <value>30000.</value>
    [Range(1, 65_535)]
    public int GatewayPort { get; set; } = 30_000;

    /// <summary>
    /// The IP address other nodes reach this one at, written in the membership table. Unset: loopback on SQLite (one
    /// node), else the first address of this machine's network interfaces that is up (Orleans' own choice).
    /// </summary>
    /// <value>Unset.</value>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The Orleans cluster id; nodes of one cluster share it (and the database).</summary>
    /// <value>planning-poker.</value>
    [Required]
    public string ClusterId { get; set; } = "planning-poker";

    /// <summary>
    /// How often each node probes a few others (and how long a probe may take): a node that misses
    /// <see cref="MissedProbesLimit"/> probes in a row is voted dead, and its rooms move to the survivors.
    /// </summary>
    /// <value>1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes in a row before a node suspects another (see <see cref="ProbeTimeout"/>).</summary>
    /// <value>3.</value>
    [Range(1, 10)]
    public int MissedProbesLimit { get; set; } = 3;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            yield return new ValidationResult($"Node:AdvertisedAddress is an IP address (e.g. 10.0.0.5), not \"{address}\".", [nameof(AdvertisedAddress)]);
        }

        if (SiloPort == GatewayPort)
        {
            yield return new ValidationResult("Node:SiloPort and Node:GatewayPort must differ.", [nameof(GatewayPort)]);
        }
    }
}
