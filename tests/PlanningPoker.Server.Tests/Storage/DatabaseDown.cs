using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// While <see cref="IsDown"/>, every connection the store opens fails as SQLite fails on a file it cannot open (error 14,
/// <c>SQLITE_CANTOPEN</c>). Registered as an <see cref="IInterceptor"/> service, which the store adds to its contexts.
/// </summary>
public sealed class DatabaseDown : DbConnectionInterceptor
{
    private const int SqliteCantOpen = 14;

    private volatile bool _down;

    public bool IsDown
    {
        get => _down;
        set => _down = value;
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ThrowIfDown();
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        return ValueTask.FromResult(result);
    }

    private void ThrowIfDown()
    {
        if (_down)
        {
            throw new SqliteException("Simulated: SQLite Error 14: 'unable to open database file'.", SqliteCantOpen);
        }
    }
}
