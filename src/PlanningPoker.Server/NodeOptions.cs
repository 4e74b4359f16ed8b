using System.ComponentModel.DataAnnotations;

namespace PlanningPoker.Server;

/// <summary>This node's place in the Orleans cluster. Bound from the <c>Node</c> section, validated at start.</summary>
public sealed class NodeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Node";

    /// <summary>Offsets the silo and gateway ports, so that several nodes run on one machine.</summary>
    /// <value>0.</value>
    [Range(0, 1000)]
    public int InstanceId { get; set; }

    /// <summary>The silo-to-silo port before the offset.</summary>
    /// <value>11111.</value>
    [Range(1, 64_000)]
    public int SiloPort { get; set; } = 11_111;

    /// <summary>The gateway port before the offset.</summary>
    /// <value>30000.</value>
    [Range(1, 64_000)]
    public int GatewayPort { get; set; } = 30_000;

    /// <summary>The Orleans cluster id; nodes of one cluster share it.</summary>
    /// <value>planning-poker.</value>
    [Required]
    public string ClusterId { get; set; } = "planning-poker";
}
