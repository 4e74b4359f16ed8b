using PlanningPoker.Domain;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// Durable home of rooms, used by the room grain only. Every method completes once its change has committed:
/// the grain acknowledges a command only after <see cref="SaveAsync"/> has completed.
/// </summary>
public interface IRoomStore
{
    /// <summary>Loads a room with its secrets, or null when there is none.</summary>
    /// <exception cref="StorageUnavailableException">The database could not be reached, or stayed busy past <see cref="StorageOptions.BusyTimeout"/>.</exception>
    Task<StoredRoom?> LoadAsync(string roomId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the stored rounds of some of a room's stories, with their votes, oldest first: the history a live room no
    /// longer holds (<see cref="Room.ForgetFinishedRounds"/>).
    /// </summary>
    /// <param name="roomId">The room.</param>
    /// <param name="stories">The stories; null stands for the quick votes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="StorageUnavailableException">The database could not be reached, or stayed busy past <see cref="StorageOptions.BusyTimeout"/>.</exception>
    Task<IReadOnlyList<RoundSnapshot>> LoadRoundsAsync(string roomId, IReadOnlyCollection<int?> stories, CancellationToken cancellationToken = default);

    /// <summary>Stores a new room at <see cref="StoredRoom.Version"/> (normally 0).</summary>
    /// <exception cref="RoomConflictException">A room with that id exists already.</exception>
    /// <exception cref="StorageUnavailableException">The database could not be reached or stayed busy; nothing was stored (unless <see cref="StorageUnavailableException.OutcomeUnknown"/>).</exception>
    Task CreateAsync(StoredRoom room, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits the change a command made: the rows that <paramref name="events"/> touched, read from
    /// <paramref name="room"/> as it is now, and the room's version moves from <paramref name="version"/> − 1 to
    /// <paramref name="version"/>. The store reads <paramref name="room"/> before this method returns its task; the
    /// caller must not change the room until the task completes.
    /// </summary>
    /// <param name="room">The room after the command.</param>
    /// <param name="events">What the command did; empty for a change of secrets alone (a renewed facilitator key).</param>
    /// <param name="secrets">The room's secrets; the token hashes of participants who joined in <paramref name="events"/> are stored.</param>
    /// <param name="version">The room's change counter after this change.</param>
    /// <param name="after">
    /// The stored version this change follows: <paramref name="version"/> − 1 when null. Lower after a room's version
    /// jumped (a room that loads skips the versions an earlier instance may have pushed uncommitted, see RoomGrain).
    /// </param>
    /// <param name="cancellationToken">Cancels the wait, not necessarily the write.</param>
    /// <exception cref="RoomConflictException">The stored version is not <paramref name="after"/>: another writer got there first.</exception>
    /// <exception cref="StorageUnavailableException">
    /// The database could not be reached or stayed busy past <see cref="StorageOptions.BusyTimeout"/>: nothing was stored, unless
    /// <see cref="StorageUnavailableException.OutcomeUnknown"/> (the COMMIT was sent, its reply lost, and the check of the stored
    /// version failed too). A lost COMMIT reply whose change the check finds stored completes the task normally.
    /// </exception>
    Task SaveAsync(Room room, IReadOnlyList<RoomEvent> events, RoomSecrets secrets, long version, long? after = null, CancellationToken cancellationToken = default);
}

/// <summary>A room as stored: its state, its secrets and its change counter.</summary>
/// <param name="Snapshot">The whole room.</param>
/// <param name="Secrets">Hashes of tokens and passcode.</param>
/// <param name="Version">How many changes were committed since creation.</param>
/// <param name="TeamId">The team the room belongs to (<c>team_rooms</c>, read with the room; never written by the store).</param>
public sealed record StoredRoom(RoomSnapshot Snapshot, RoomSecrets Secrets, long Version, Guid? TeamId = null);

/// <summary>
/// What proves identity or power in a room. The tokens and passcode are kept as hashes only; the facilitator key is
/// kept as it is, because facilitators are shown it to share it (a capability like the room link itself).
/// </summary>
/// <param name="PasscodeHash">The passcode's hash (see <c>Secrets</c>), or null when the room has none.</param>
/// <param name="TokenHashes">Participant id → hash of that participant's token.</param>
/// <param name="FacilitatorKey">The key that makes its holder a facilitator, or null for a room stored before keys existed.</param>
/// <param name="AccountKey">The key that derives the seat tokens of signed-in people, or null before the room needs one.</param>
/// <param name="Accounts">Participant id → the account holding that seat, for seats taken signed in.</param>
public sealed record RoomSecrets(
    string? PasscodeHash, IReadOnlyDictionary<int, string> TokenHashes, string? FacilitatorKey = null, string? AccountKey = null, IReadOnlyDictionary<int, Guid>? Accounts = null);

/// <summary>A write lost a race: the room was created or changed by another writer.</summary>
public sealed class RoomConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RoomConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RoomConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RoomConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The database could not serve a read or a write: unreachable, or busy past <see cref="StorageOptions.BusyTimeout"/>. A
/// passing condition, not a fault of ours: the room grain answers <c>Unavailable</c> and the caller may try again.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the change may have been stored after all: its COMMIT was sent, the reply was lost, and the stored version
    /// could not be read to tell. False: nothing of the change was stored.
    /// </summary>
    public bool OutcomeUnknown { get; init; }
}
