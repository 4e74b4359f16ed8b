using System.Globalization;

namespace PlanningPoker.Bench;

/// <summary>Invariant formatting for reports (off the hot path).</summary>
internal static class Text
{
    public static string Duration(TimeSpan span) =>
        span.TotalMilliseconds < 1000 ? Invariant($"{span.TotalMilliseconds:0}ms")
        : span.TotalSeconds < 120 ? Invariant($"{span.TotalSeconds:0.#}s")
        : Invariant($"{span.TotalMinutes:0.#}m");

    public static string Ms(double ms) => ms < 10 ? Invariant($"{ms:0.00}") : ms < 100 ? Invariant($"{ms:0.0}") : Invariant($"{ms:0}");

    public static string Number(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-"
        : Math.Abs(value) >= 100 ? Invariant($"{value:0}")
        : Math.Abs(value) >= 10 ? Invariant($"{value:0.0}")
        : Invariant($"{value:0.00}");

    public static string Mb(long bytes) => Invariant($"{bytes / 1048576.0:0.0}");

    public static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>The sentence every report carries: the figures include the load generator's own share of the cores.</summary>
    public static string SharedCores(string? extra = null) =>
        Invariant($"the server and the load generator share this machine's {Environment.ProcessorCount} cores (Environment.ProcessorCount = {Environment.ProcessorCount})") +
        (extra is null ? "" : "; " + extra);

    public static double Ratio(double ours, double bare) => bare == 0 ? double.NaN : ours / bare;

    public static string Percent(double value) => double.IsNaN(value) ? "-" : value.ToString("0", CultureInfo.InvariantCulture) + "%";
}
