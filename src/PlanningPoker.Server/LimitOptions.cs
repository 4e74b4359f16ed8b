using System.ComponentModel.DataAnnotations;

namespace PlanningPoker.Server;

/// <summary>Rates and sizes the edges accept. Bound from the <c>Limits</c> section, validated at start; documented in docs/operations.md.</summary>
public sealed class LimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Limits";

    /// <summary>Rooms one client address may create per minute.</summary>
    /// <value>20.</value>
    [Range(1, 1_000_000)]
    public int RoomCreationsPerMinute { get; set; } = 20;

    /// <summary>Joins (and other REST requests on a room) one client address may make per minute.</summary>
    /// <value>120.</value>
    [Range(1, 10_000_000)]
    public int JoinsPerMinute { get; set; } = 120;

    /// <summary>Hub calls one connection may make per second, sustained.</summary>
    /// <value>20.</value>
    [Range(1, 100_000)]
    public int HubCallsPerSecond { get; set; } = 20;

    /// <summary>Hub calls one connection may make in a burst.</summary>
    /// <value>40.</value>
    [Range(1, 100_000)]
    public int HubCallBurst { get; set; } = 40;

    /// <summary>
    /// Hub connections one client address may hold open at once (an IPv6 address counts with its whole /64). People
    /// behind one NAT or proxy share an address: the default lets a full room (100 participants) sit behind one.
    /// </summary>
    /// <value>100.</value>
    [Range(1, 1_000_000)]
    public int ConnectionsPerAddress { get; set; } = 100;

    /// <summary>Hub calls all the connections of one client address may make per second, sustained, on top of each connection's own limit.</summary>
    /// <value>200.</value>
    [Range(1, 10_000_000)]
    public int HubCallsPerAddressPerSecond { get; set; } = 200;

    /// <summary>Hub calls all the connections of one client address may make in a burst.</summary>
    /// <value>400.</value>
    [Range(1, 10_000_000)]
    public int HubCallBurstPerAddress { get; set; } = 400;

    /// <summary>
    /// Joins and room reads that miss (no such room, or a token that opens no seat) one client address may make per
    /// minute, through the hub and REST together; past it, its joins are refused before any room is looked up.
    /// </summary>
    /// <value>60.</value>
    [Range(1, 10_000_000)]
    public int MissedJoinsPerMinute { get; set; } = 60;

    /// <summary>Largest hub message accepted, in bytes (a pasted backlog of 500 long lines fits).</summary>
    /// <value>256 KiB.</value>
    [Range(1_024, 16 * 1024 * 1024)]
    public long MaxHubMessageBytes { get; set; } = 256 * 1024;
}
