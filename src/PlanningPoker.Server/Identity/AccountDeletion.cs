using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// Deletes an account for good: its organisation and team memberships, sign-in methods, API tokens and personal tracker
/// connections go with it (the
/// database cascades), and in every room where it held a seat the person becomes <see cref="FormerMemberName"/>: the
/// seat is vacated if still taken, and the votes stay in the history under that name. An owner of an organisation
/// hands it over or deletes it first, so that no organisation is left without one.
/// </summary>
internal sealed partial class AccountDeletion(
    IDbContextFactory<PokerDbContext> contexts, IGrainFactory grains, Organisations organisations, ILogger<AccountDeletion> logger)
{
    /// <summary>The name a deleted account's seats go by, numbered ("Former member 2") where a room has several.</summary>
    public const string FormerMemberName = FormerMember.Name;

    /// <summary>Deletes <paramref name="account"/>, or says why not (<c>LastOwner</c>; <c>Unavailable</c> when a room could not be told).</summary>
    public async Task<Reply> DeleteAsync(Account account, UserManager<Account> users)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(users);
        var owned = await organisations.OwnedByAsync(account.Id);
        if (owned.Count > 0)
        {
            return Reply.Fail(ErrorCodes.LastOwner, $"you own {string.Join(", ", owned)}: transfer the ownership to another member, or delete the organization, first");
        }

        // The rooms first: should one fail, nothing is deleted and the person may try again.
        var first = await AnonymiseAsync(account.Id);
        if (!first.IsSuccess)
        {
            return Reply.Fail(first.ErrorCode!, first.ErrorMessage!);
        }

        var deleted = await users.DeleteAsync(account);
        if (!deleted.Succeeded)
        {
            return Reply.Fail(ErrorCodes.Unavailable, "the account could not be deleted: try again");
        }

        // A seat taken in another tab while this ran.
        var again = await AnonymiseAsync(account.Id);
        Log.Deleted(logger, account.Id, first.Value + (again.IsSuccess ? again.Value : 0));
        return Reply.Ok;
    }

    private async Task<Reply<int>> AnonymiseAsync(Guid account)
    {
        List<(string RoomId, int Seat)> seats;
        await using (var db = contexts.CreateDbContext())
        {
            seats = [.. (await db.Set<ParticipantRow>().Where(p => p.AccountId == account).Select(p => new { p.RoomId, p.Id }).ToListAsync())
                .Select(p => (p.RoomId, p.Id))];
        }

        var changed = 0;
        foreach (var room in seats.GroupBy(s => s.RoomId, StringComparer.Ordinal))
        {
            var reply = await grains.Room(room.Key).ForgetAccount(account, [.. room.Select(s => s.Seat)], FormerMemberName);
            if (!reply.IsSuccess && reply.ErrorCode != ErrorCodes.RoomNotFound)
            {
                Log.RoomNotTold(logger, account, room.Key, reply.ErrorCode!);
                return Reply<int>.Fail(ErrorCodes.Unavailable, "a room could not be updated: try again in a moment");
            }

            changed += reply.IsSuccess ? reply.Value : 0;
        }

        return changed;
    }

    private static partial class Log
    {
        [LoggerMessage(1320, LogLevel.Information, "Account {AccountId} deleted; {Seats} seats in rooms now go by the former member's name")]
        public static partial void Deleted(ILogger logger, Guid accountId, int seats);

        [LoggerMessage(1321, LogLevel.Warning, "Account {AccountId} not deleted: room {RoomId} answered {Error}")]
        public static partial void RoomNotTold(ILogger logger, Guid accountId, string roomId, string error);
    }
}
