namespace PlanningPoker.Server.Storage;

/// <summary>
/// Turns domain values into the form the provider stores, exactly as <see cref="PokerDbContext"/> maps them:
/// enums as their names, durations as seconds, times in UTC, and decimals as text on SQLite (scale kept).
/// </summary>
internal sealed class SqlValues
{
    private readonly bool _sqlite;

    private SqlValues(bool sqlite) => _sqlite = sqlite;

    public static SqlValues Sqlite { get; } = new(sqlite: true);

    public static SqlValues Postgres { get; } = new(sqlite: false);

    public static SqlValues For(StorageProvider provider) => provider == StorageProvider.Sqlite ? Sqlite : Postgres;

    public object? Decimal(decimal? value) => value is not { } d ? null : _sqlite ? DecimalAsTextConverter.ToText(d) : d;

    /// <summary>A GUID as EF Core stores it: upper-case text on SQLite (the driver alone would bind a blob), <c>uuid</c> on PostgreSQL.</summary>
    public object? Id(Guid? value) => value is not { } g ? null : _sqlite ? g.ToString("D").ToUpperInvariant() : g;

    /// <summary>UTC: PostgreSQL's <c>timestamptz</c> takes only offset 0, and SQLite compares times as text.</summary>
    public static object? Time(DateTimeOffset? value) => value?.ToUniversalTime();

    public static object? Seconds(TimeSpan? value) => value is { } t ? ToSeconds(t) : null;

    public static string Enum<T>(T value)
        where T : struct, Enum => value.ToString();

    public static double ToSeconds(TimeSpan value) => value.Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>Exact for any duration the domain allows: a double holds every tick count below 2^53.</summary>
    public static TimeSpan FromSeconds(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
