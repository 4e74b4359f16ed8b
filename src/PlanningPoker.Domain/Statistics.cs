namespace PlanningPoker.Domain;

/// <summary>The small statistics the KPIs share.</summary>
internal static class Statistics
{
    /// <summary>The median of <paramref name="values"/> (the mean of the two middle ones for an even count), or null when there are none. Sorts the array.</summary>
    public static double? Median(double[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
