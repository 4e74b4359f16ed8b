using System.Globalization;

namespace PlanningPoker.Bench.Measurement;

/// <summary>CPU time and memory of one process at one moment, from <c>/proc/&lt;pid&gt;/stat</c> and <c>/status</c>.</summary>
/// <param name="CpuSeconds">User + system CPU time since the process started.</param>
/// <param name="RssBytes">Resident set size now (VmRSS).</param>
/// <param name="HighWaterBytes">Largest resident set size since the process started (VmHWM).</param>
internal readonly record struct ProcessSample(double CpuSeconds, long RssBytes, long HighWaterBytes);

/// <summary>The whole machine's CPU counters from <c>/proc/stat</c>, in clock ticks.</summary>
/// <param name="Busy">Ticks not idle and not waiting for I/O, summed over cores.</param>
/// <param name="Total">All ticks, summed over cores.</param>
internal readonly record struct MachineSample(long Busy, long Total);

/// <summary>
/// Reads Linux's <c>/proc</c>: the server's CPU and RSS (when its pid is given), the bench's own CPU, and the whole
/// machine's busy time, so a report can show how the shared cores were split. Returns nothing off Linux.
/// </summary>
internal static class ProcessProbe
{
    // USER_HZ: the unit of /proc/<pid>/stat times. The kernel fixes it at 100 for user space on every mainstream
    // architecture (x86, arm64), whatever CONFIG_HZ is.
    private const double TicksPerSecond = 100.0;

    /// <summary>One process's counters, or null when it is gone or this is not Linux.</summary>
    public static ProcessSample? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture); // field 14
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture); // field 15
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line);
                }
            }

            return new ProcessSample((utime + stime) / TicksPerSecond, rss, hwm);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The machine's counters (first line of <c>/proc/stat</c>), or null off Linux.</summary>
    public static MachineSample? ReadMachine()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return null;
            }

            var values = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();

            // user nice system idle iowait irq softirq steal (guest time is already inside user).
            var total = values.Take(8).Sum();
            var idle = values[3] + values[4];
            return new MachineSample(total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
}
