using System.ComponentModel.DataAnnotations;

namespace PlanningPoker.Server.Storage;

/// <summary>Which database holds the rooms.</summary>
public enum StorageProvider
{
    /// <summary>A SQLite file: the embedded default, one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: cluster mode.</summary>
    Postgres,
}

/// <summary>
/// Where and how rooms are stored: the <c>Storage</c> configuration section, bound and validated at start-up by
/// <see cref="StorageServiceCollectionExtensions.AddRoomStorage"/>.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Storage";

    /// <summary>The database.</summary>
    /// <value>Default: <see cref="StorageProvider.Sqlite"/>.</value>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The ADO.NET connection string; required for PostgreSQL.</summary>
    /// <value>Default for SQLite: <c>Data Source={ContentRoot}/data/planning-poker.db</c> (the folder is created).</value>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The most changes committed in one transaction by the group-commit writer; 1 commits every change on its own.
    /// </summary>
    /// <value>Default: 256.</value>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// The longest a read or write waits for the database before the room answers <c>Unavailable</c>: SQLite's wait for a
    /// lock held by another process (at least about 1 s), and PostgreSQL's connect and command timeouts (whole seconds,
    /// unless the connection string sets <c>Timeout</c> / <c>Command Timeout</c>). Validated at start to be under a third
    /// of the grain call timeout (Orleans' <c>ResponseTimeout</c>, 30 s): a change may wait for the attempt before its
    /// own, then its own, then the check of a lost COMMIT reply.
    /// </summary>
    /// <value>Default: 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult($"Storage:Provider is Sqlite or Postgres, not {Provider}.", [nameof(Provider)]);
        }

        if (Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Storage:ConnectionString is required with the Postgres provider (e.g. Host=…;Database=…;Username=…;Password=…).",
                [nameof(ConnectionString)]);
        }
    }
}
