namespace PlanningPoker.Domain;

/// <summary>What a participant does in the room.</summary>
public enum Role
{
    /// <summary>Runs the workshop: starts rounds, reveals, accepts, manages the backlog and the room. Votes if the room's settings say so.</summary>
    Facilitator,

    /// <summary>Votes.</summary>
    Estimator,

    /// <summary>Follows without voting.</summary>
    Observer,
}

/// <summary>A seat in a room. Immutable: the room replaces it when something changes.</summary>
/// <param name="Id">The seat's id, allocated by the room (1, 2, 3…); never reused within a room.</param>
/// <param name="Name">Display name, unique in the room (case-insensitive).</param>
/// <param name="Role">Facilitator, estimator or observer.</param>
/// <param name="IsPresent">True while at least one of the participant's connections is up (the server decides, with its grace period).</param>
/// <param name="JoinedAt">When the seat was taken.</param>
public sealed record Participant(int Id, string Name, Role Role, bool IsPresent, DateTimeOffset JoinedAt);

/// <summary>A participant who left or was removed: kept so that history still shows who voted what.</summary>
/// <param name="Id">The former seat's id.</param>
/// <param name="Name">The display name the participant had.</param>
public sealed record FormerParticipant(int Id, string Name);
