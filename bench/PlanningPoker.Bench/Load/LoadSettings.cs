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

/// <summary>Everything a load run needs, parsed from the command line.</summary>
internal sealed record LoadSettings
{
    public required Uri Url { get; init; }

    public HttpTransportType Transport { get; init; } = HttpTransportType.WebSockets;

    public int Rooms { get; init; } = 50;

    public int ClientsPerRoom { get; init; } = 8;

    /// <summary>Load run after the set-up and before the window, not measured (JIT, pools, caches).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The measured window, after the initial set-up and the warm-up.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public MillisecondRange ThinkMs { get; init; } = new(0, 2000);

    public int RoundPauseMs { get; init; } = 1000;

    public int? ServerPid { get; init; }

    public bool Ramp { get; init; }

    public int RampStep { get; init; } = 50;

    public TimeSpan RampInterval { get; init; } = TimeSpan.FromSeconds(10);

    public double P99BoundMs { get; init; } = 100;

    public int MaxRooms { get; init; } = 5000;

    public bool Smoke { get; init; }

    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rooms set up at once (each sets up its participants in parallel).</summary>
    public int SetupConcurrency { get; init; } = 16;

    public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int Seed { get; init; } = 1;

    public string? JsonPath { get; init; }

    /// <summary>One line for headers.</summary>
    public string Describe() =>
        Text.Invariant($"{Rooms} rooms x {ClientsPerRoom} clients, think {ThinkMs} ms, pause {RoundPauseMs} ms, {Transport}, ") +
        (Ramp
            ? Text.Invariant($"ramp +{RampStep} rooms every {Text.Duration(RampInterval)} until p99 vote > {P99BoundMs} ms or errors (at most {MaxRooms} rooms, {Text.Duration(Duration)})")
            : Text.Invariant($"{Text.Duration(Duration)} measured after set-up")) +
        (Warmup > TimeSpan.Zero ? Text.Invariant($" and {Text.Duration(Warmup)} warm-up") : "");

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
