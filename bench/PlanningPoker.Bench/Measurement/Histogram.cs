using System.Numerics;

namespace PlanningPoker.Bench.Measurement;

/// <summary>
/// A lock-free latency histogram in microseconds with fixed log-linear buckets (the HdrHistogram layout, 64
/// sub-buckets per power of two): exact below 128 µs, within 1/64 (1.6 %) above. Recording is one interlocked
/// increment into a preallocated array, so handlers on any thread may call it. Intervals are differences of
/// snapshots, never resets, so no count is lost while a report reads it.
/// </summary>
internal sealed class Histogram
{
    private const int SubBits = 6;
    private const int Sub = 1 << SubBits;
    private const int Linear = 2 * Sub;
    private const int MaxShift = 34;

    /// <summary>Number of buckets: values up to about 2^41 µs (25 days) are kept apart; longer ones share the last.</summary>
    public const int BucketCount = Linear + (MaxShift * Sub);

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Records one value in microseconds (negative values count as 0).</summary>
    public void Record(long micros) => Interlocked.Increment(ref _counts[IndexOf(micros)]);

    /// <summary>Copies the counts as they stand.</summary>
    public HistogramSnapshot Snapshot()
    {
        var copy = new long[BucketCount];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Volatile.Read(ref _counts[i]);
        }

        return new HistogramSnapshot(copy);
    }

    /// <summary>The bucket of a value.</summary>
    internal static int IndexOf(long micros)
    {
        if (micros < Linear)
        {
            return micros <= 0 ? 0 : (int)micros;
        }

        var msb = 63 - BitOperations.LeadingZeroCount((ulong)micros);
        var shift = msb - SubBits;
        if (shift > MaxShift)
        {
            return BucketCount - 1;
        }

        var top = (int)(micros >> shift);
        return Linear + ((shift - 1) * Sub) + (top - Sub);
    }

    /// <summary>The highest value that falls in a bucket (what a percentile reports: never optimistic).</summary>
    internal static long HighestIn(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) / Sub) + 1;
        var top = ((index - Linear) % Sub) + Sub;
        return ((long)(top + 1) << shift) - 1;
    }
}

/// <summary>Counts of a <see cref="Histogram"/> at one moment; subtract two to get an interval.</summary>
internal sealed class HistogramSnapshot
{
    private readonly long[] _counts;

    public HistogramSnapshot(long[] counts)
    {
        _counts = counts;
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        Count = total;
    }

    /// <summary>An empty snapshot.</summary>
    public static HistogramSnapshot Empty { get; } = new(new long[Histogram.BucketCount]);

    /// <summary>How many values.</summary>
    public long Count { get; }

    /// <summary>What was recorded between <paramref name="earlier"/> and this one.</summary>
    public HistogramSnapshot Minus(HistogramSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var diff = new long[_counts.Length];
        for (var i = 0; i < diff.Length; i++)
        {
            diff[i] = _counts[i] - earlier._counts[i];
        }

        return new HistogramSnapshot(diff);
    }

    /// <summary>The value at a percentile (0–100], in microseconds: the top of the bucket that holds that rank.</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Histogram.HighestIn(i);
            }
        }

        return Histogram.HighestIn(_counts.Length - 1);
    }

    /// <summary>The largest value recorded (the top of the highest non-empty bucket).</summary>
    public long Max
    {
        get
        {
            for (var i = _counts.Length - 1; i >= 0; i--)
            {
                if (_counts[i] > 0)
                {
                    return Histogram.HighestIn(i);
                }
            }

            return 0;
        }
    }

    /// <summary>p50, p95, p99 and max in milliseconds.</summary>
    public LatencySummary Summary() =>
        new(Count, Percentile(50) / 1000.0, Percentile(95) / 1000.0, Percentile(99) / 1000.0, Max / 1000.0);
}

/// <summary>Percentiles of one latency, in milliseconds.</summary>
/// <param name="Count">How many values.</param>
/// <param name="P50">Median.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
internal sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max);
