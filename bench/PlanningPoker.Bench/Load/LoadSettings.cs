using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;

namespace PlanningPoker.Bench.Load;

/// <summary>An inclusive range of milliseconds, written <c>0-2000</c> (or one number for a fixed value).</summary>
/// <param name="Min">Lowest.</param>
/// <param name="Max">Highest.</param>
internal readonly record struct MillisecondRange(int Min, int Max)
{
    /// <summary>Parses <c>a-b</c> or <c>a</c>; null when malformed.</summary>
    public static MillisecondRange? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var fixedValue) ? new(fixedValue, fixedValue) : null;
        }

        return int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            && min <= max
            ? new(min, max)
            : null;
    }

    /// <summary>A uniform draw in the range.</summary>
    public int Next(Random random) => Min == Max ? Min : random.Next(Min, Max + 1);

    public override string ToString() => Min == Max
        ? Min.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}

/// <summary>How the rooms and their participants are spread over several servers (the nodes of one cluster).</summary>
internal enum Spread
{
    /// <summary>Every participant of a room on the same node; rooms round-robin over the nodes.</summary>
    Room,

    /// <summary>The participants of each room round-robin over the nodes: most pushes cross nodes.</summary>
    Participant,
}

/// <summary>Everything a load run needs, parsed from the command line.</summary>
internal sealed record LoadSettings
{
    /// <summary>The servers: one, or the nodes of one cluster (each participant talks to one of them).</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    public Spread Spread { get; init; } = Spread.Room;

    public HttpTransportType Transport { get; init; } = HttpTransportType.WebSockets;

    public int Rooms { get; init; } = 50;

    public int ClientsPerRoom { get; init; } = 8;

    /// <summary>
    /// A throwaway run (the same scenario on at most <see cref="WarmServerRooms"/> rooms) played before the measured one
    /// against the same server, so that the measured set-up and window meet optimised code; zero for none.
    /// </summary>
    public TimeSpan WarmServer { get; init; }

    /// <summary>Rooms of the <see cref="WarmServer"/> run, at most.</summary>
    public const int WarmServerRooms = 100;

    /// <summary>Load run after the set-up and before the window, not measured (JIT, pools, caches).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The measured window, after the initial set-up and the warm-up.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public MillisecondRange ThinkMs { get; init; } = new(0, 2000);

    public int RoundPauseMs { get; init; } = 1000;

    /// <summary>The servers' processes, for CPU and RSS: one per node (not necessarily one per URL: a balancer).</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    public bool Ramp { get; init; }

    public int RampStep { get; init; } = 50;

    public TimeSpan RampInterval { get; init; } = TimeSpan.FromSeconds(10);

    public double P99BoundMs { get; init; } = 100;

    public int MaxRooms { get; init; } = 5000;

    public bool Smoke { get; init; }

    /// <summary>No room plays before every room is seated (by default a seated room plays while the others join).</summary>
    public bool QuietSetup { get; init; }

    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rooms set up at once (each sets up its participants in parallel).</summary>
    public int SetupConcurrency { get; init; } = 16;

    public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int Seed { get; init; } = 1;

    public string? JsonPath { get; init; }

    /// <summary>
    /// The node (an index into <see cref="Urls"/>) of participant <paramref name="participant"/> of room
    /// <paramref name="room"/>: the room's (<see cref="Spread.Room"/>), or the next node for each participant
    /// (<see cref="Spread.Participant"/>, starting from the room's, so that the facilitator creates the room there).
    /// </summary>
    public int NodeOf(int room, int participant) =>
        (Spread == Spread.Room ? room : room + participant) % Urls.Count;

    /// <summary>One line for headers.</summary>
    public string Describe() =>
        Text.Invariant($"{Rooms} rooms x {ClientsPerRoom} clients, think {ThinkMs} ms, pause {RoundPauseMs} ms, {Transport}, ") +
        (Urls.Count > 1 ? Text.Invariant($"{Urls.Count} nodes, spread by {Spread.ToString().ToLowerInvariant()}, ") : "") +
        (Ramp
            ? Text.Invariant($"ramp +{RampStep} rooms every {Text.Duration(RampInterval)} until p99 vote > {P99BoundMs} ms or errors (at most {MaxRooms} rooms, {Text.Duration(Duration)})")
            : Text.Invariant($"{Text.Duration(Duration)} measured after set-up")) +
        (Warmup > TimeSpan.Zero ? Text.Invariant($" and {Text.Duration(Warmup)} warm-up") : "") +
        (QuietSetup ? ", quiet set-up" : "") +
        (WarmServer > TimeSpan.Zero ? Text.Invariant($", server warmed {Text.Duration(WarmServer)} first") : "");

    /// <summary>
    /// Parses <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, a plain number of seconds, or a <see cref="TimeSpan"/>
    /// (<c>00:01:00</c>); null when malformed.
    /// </summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= 0)
            {
                return TimeSpan.FromSeconds(n * seconds);
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain >= 0)
        {
            return TimeSpan.FromSeconds(plain);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
    }
}
