namespace PlanningPoker.Server.Storage;

/// <summary>
/// Turns domain values into the form the provider stores, exactly as <see cref="PokerDbContext"/> maps them:
/// enums as their names, durations as seconds, times in UTC, and decimals as text on SQLite (scale kept).
/// </summary>
internal sealed class SqlValues
{
    private readonly bool _decimalsAsText;

    private SqlValues(bool decimalsAsText) => _decimalsAsText = decimalsAsText;

    public static SqlValues Sqlite { get; } = new(decimalsAsText: true);

    public static SqlValues Postgres { get; } = new(decimalsAsText: false);

    public static SqlValues For(StorageProvider provider) => provider == StorageProvider.Sqlite ? Sqlite : Postgres;

    public object? Decimal(decimal? value) => value is not { } d ? null : _decimalsAsText ? DecimalAsTextConverter.ToText(d) : d;

    /// <summary>UTC: PostgreSQL's <c>timestamptz</c> takes only offset 0, and SQLite compares times as text.</summary>
    public static object? Time(DateTimeOffset? value) => value?.ToUniversalTime();

    public static object? Seconds(TimeSpan? value) => value is { } t ? ToSeconds(t) : null;

    public static string Enum<T>(T value)
        where T : struct, Enum => value.ToString();

    public static double ToSeconds(TimeSpan value) => value.Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>Exact for any duration the domain allows: a double holds every tick count below 2^53.</summary>
    public static TimeSpan FromSeconds(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
