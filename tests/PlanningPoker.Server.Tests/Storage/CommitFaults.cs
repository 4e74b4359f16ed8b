using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// Breaks the next COMMIT on purpose, as a network would: after the database committed (the reply is lost), or before
/// the COMMIT was sent. Registered as an <see cref="IInterceptor"/> service, which the store adds to its contexts.
/// </summary>
public sealed class CommitFaults : DbTransactionInterceptor
{
    private int _loseNextReply;
    private int _failNextCommit;
    private int _repliesLost;
    private int _commitsFailed;

    /// <summary>How many COMMITs took effect but answered with an error.</summary>
    public int RepliesLost => Volatile.Read(ref _repliesLost);

    /// <summary>How many COMMITs failed before reaching the database.</summary>
    public int CommitsFailed => Volatile.Read(ref _commitsFailed);

    /// <summary>The next COMMIT takes effect, then its caller gets a network error.</summary>
    public void LoseNextReply() => Volatile.Write(ref _loseNextReply, 1);

    /// <summary>The next COMMIT never reaches the database: its caller gets a network error.</summary>
    public void FailNextCommit() => Volatile.Write(ref _failNextCommit, 1);

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _failNextCommit, 0) == 1)
        {
            Interlocked.Increment(ref _commitsFailed);
            throw new IOException("Simulated: the connection broke before COMMIT was sent.");
        }

        return ValueTask.FromResult(result);
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _loseNextReply, 0) == 1)
        {
            Interlocked.Increment(ref _repliesLost);
            throw new IOException("Simulated: the connection broke after COMMIT was sent; its reply is lost.");
        }

        return Task.CompletedTask;
    }
}
