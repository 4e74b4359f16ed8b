namespace PlanningPoker.Server.Storage;

/// <summary>The storage area's log messages (event ids 1200–1299). Never logs token hashes or vote values.</summary>
internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Information, "Applying {Count} pending migration(s) to the {Provider} room database")]
    public static partial void Migrating(ILogger logger, StorageProvider provider, int count);

    [LoggerMessage(1201, LogLevel.Information, "The {Provider} room database is up to date ({Count} migration(s) applied in {ElapsedMs} ms)")]
    public static partial void Migrated(ILogger logger, StorageProvider provider, int count, long elapsedMs);

    [LoggerMessage(1210, LogLevel.Debug, "Committed {Changes} change(s) ({Statements} statements, {Conflicts} conflict(s)) in {ElapsedMs:F1} ms")]
    public static partial void BatchCommitted(ILogger logger, int changes, int statements, int conflicts, double elapsedMs);

    [LoggerMessage(1211, LogLevel.Warning, "Room {RoomCode} was not at version {Version} − 1: another writer changed it, the change is refused")]
    public static partial void Conflict(ILogger logger, string roomCode, long version);

    [LoggerMessage(1212, LogLevel.Warning, "A batch of {Changes} change(s) failed; writing each change on its own")]
    public static partial void BatchFailed(ILogger logger, int changes, Exception exception);

    [LoggerMessage(1213, LogLevel.Error, "The change of room {RoomCode} to version {Version} could not be written")]
    public static partial void ChangeFailed(ILogger logger, string roomCode, long version, Exception exception);

    [LoggerMessage(1215, LogLevel.Warning, "The room database is unavailable ({ErrorType}: {Error}); rooms answer Unavailable until it is back")]
    public static partial void Unavailable(ILogger logger, string errorType, string error);

    [LoggerMessage(1216, LogLevel.Debug, "The room database is still unavailable ({ErrorType}: {Error})")]
    public static partial void StillUnavailable(ILogger logger, string errorType, string error);

    [LoggerMessage(1217, LogLevel.Information, "The room database is available again, after {Seconds:F1} s")]
    public static partial void Available(ILogger logger, double seconds);

    [LoggerMessage(1218, LogLevel.Warning, "The COMMIT of {Changes} change(s) got no reply; the stored versions say it {Outcome}")]
    public static partial void CommitReplyLost(ILogger logger, int changes, string outcome);

    [LoggerMessage(1214, LogLevel.Error, "The room writer failed unexpectedly; the changes it held are failed")]
    public static partial void WriterFailed(ILogger logger, Exception exception);
}
