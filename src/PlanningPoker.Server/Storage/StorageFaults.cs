using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// Tells a database that cannot serve now (down, unreachable, locked by another process, out of disk) from a fault of
/// ours (a statement the database refuses, a bug). The first gives <see cref="StorageUnavailableException"/>, the second
/// stays as it is.
/// </summary>
internal static class StorageFaults
{
    // https://www.sqlite.org/rescode.html: primary result codes that describe the file or its locks, not the statement.
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;

    /// <summary>True when the exception, or one of its causes, says that the database could not serve.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StorageUnavailableException:
                    return true;
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode is SqlitePerm or SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoErr
                        or SqliteFull or SqliteCantOpen or SqliteProtocol;
                case NpgsqlException npgsql:
                    // Connection failures, timeouts, a server shutting down or out of connections; not a refused statement.
                    return npgsql.IsTransient;
                case DbException db when db.IsTransient:
                case TimeoutException or SocketException or IOException:
                    return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Logs a database outage once: a warning, without a stack trace, when the first read or write fails for want of the
/// database, and a line when one succeeds again. In between, failures are logged at Debug only.
/// </summary>
internal sealed class StorageOutage(TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private volatile bool _down;
    private long _since;

    /// <summary>A read or write failed because the database could not serve.</summary>
    public void Failed(Exception exception)
    {
        bool first;
        lock (_lock)
        {
            first = !_down;
            if (first)
            {
                _since = time.GetTimestamp();
                _down = true;
            }
        }

        if (first)
        {
            Log.Unavailable(logger, exception.GetType().Name, exception.Message);
        }
        else
        {
            Log.StillUnavailable(logger, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>A read or write succeeded.</summary>
    public void Succeeded()
    {
        if (!_down)
        {
            return;
        }

        long since;
        lock (_lock)
        {
            if (!_down)
            {
                return;
            }

            since = _since;
            _down = false;
        }

        Log.Available(logger, time.GetElapsedTime(since).TotalSeconds);
    }
}
