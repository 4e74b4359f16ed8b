using System.Globalization;

namespace PlanningPoker.Domain;

/// <summary>Seats, roles and presence.</summary>
public sealed partial class Room
{
    private RoomError? HandleJoin(Join c, DateTimeOffset now)
    {
        if (IsLocked && !c.WithFacilitatorKey)
        {
            return new RoomError(RoomErrorCode.RoomLocked, "the room is locked: ask a facilitator to unlock it");
        }

        if (!Enum.IsDefined(c.Role) || (c.Role == Role.Facilitator && !c.WithFacilitatorKey))
        {
            return new RoomError(RoomErrorCode.InvalidRole, "one joins as an estimator or an observer; facilitators are made by a facilitator or the facilitator link");
        }

        var name = Text.Clean(c.DisplayName);
        if (CheckDisplayName(name) is { } invalid)
        {
            return invalid;
        }

        if (IsNameTaken(name!, exceptId: null))
        {
            return NameTaken();
        }

        if (_participants.Count >= RoomLimits.MaxParticipants)
        {
            return RoomError.Limit($"a room holds at most {RoomLimits.MaxParticipants} participants");
        }

        Raise(new ParticipantJoined(new Participant(_nextParticipantId, name!, c.Role, false, now)));
        return null;
    }

    private RoomError? HandleLeave(Leave c, DateTimeOffset now)
    {
        if (RequireParticipant(c.Actor, out _) is { } error)
        {
            return error;
        }

        RemoveParticipant(c.Actor, kicked: false, now);
        return null;
    }

    private RoomError? HandleKick(Kick c, DateTimeOffset now)
    {
        if (RequireFacilitator(c, "kick a participant", out _) is { } error)
        {
            return error;
        }

        if (c.Target == c.Actor)
        {
            return new RoomError(RoomErrorCode.CannotKickSelf, "a facilitator leaves rather than kicks themselves");
        }

        if (RequireParticipant(c.Target, out _) is { } missing)
        {
            return missing;
        }

        RemoveParticipant(c.Target, kicked: true, now);
        return null;
    }

    private void RemoveParticipant(int id, bool kicked, DateTimeOffset now)
    {
        if (State == RoomState.Voting && CurrentRound!.VoteOf(id) is not null)
        {
            Raise(new VoteWithdrawn(CurrentRound.Id, id));
        }

        Raise(new ParticipantLeft(id, kicked));
        RevealIfEveryoneVoted(now);
    }

    private RoomError? HandleAnonymise(Anonymise c, DateTimeOffset now)
    {
        var seated = FindParticipant(c.ParticipantId);
        if (seated is null && !_formerParticipants.Exists(f => f.Id == c.ParticipantId))
        {
            return RoomError.ParticipantNotFound(c.ParticipantId);
        }

        var stem = Text.Clean(c.Name);
        if (CheckDisplayName(stem) is { } invalid)
        {
            return invalid;
        }

        // Unlike a seat's name, a former one may repeat another's; but two deleted accounts both named "Former member"
        // would read as one person in the history.
        var name = stem!;
        for (var n = 2; IsNameUsedBySomeoneElse(name, c.ParticipantId); n++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{stem} {n}");
        }

        if (seated is not null)
        {
            RemoveParticipant(seated.Id, kicked: false, now);
        }

        Raise(new ParticipantAnonymised(c.ParticipantId, name));
        return null;
    }

    private bool IsNameUsedBySomeoneElse(string name, int id) =>
        IsNameTaken(name, exceptId: id) || _formerParticipants.Exists(f => f.Id != id && Text.NamesLookAlike(f.Name, name));

    private RoomError? HandleConnect(Connect c)
    {
        if (RequireParticipant(c.Actor, out var p) is { } error)
        {
            return error;
        }

        if (!p.IsPresent)
        {
            Raise(new PresenceChanged(p.Id, true));
        }

        return null;
    }

    private RoomError? HandleDisconnect(Disconnect c, DateTimeOffset now)
    {
        if (RequireParticipant(c.Actor, out var p) is { } error)
        {
            return error;
        }

        if (p.IsPresent)
        {
            Raise(new PresenceChanged(p.Id, false));
            RevealIfEveryoneVoted(now);
        }

        return null;
    }

    private RoomError? HandleRename(Rename c)
    {
        if (RequireParticipant(c.Actor, out var p) is { } error)
        {
            return error;
        }

        var name = Text.Clean(c.DisplayName);
        if (CheckDisplayName(name) is { } invalid)
        {
            return invalid;
        }

        if (IsNameTaken(name!, exceptId: p.Id))
        {
            return NameTaken();
        }

        if (name != p.Name)
        {
            Raise(new ParticipantRenamed(p.Id, name!));
        }

        return null;
    }

    private RoomError? HandleChangeRole(ChangeRole c, DateTimeOffset now)
    {
        if (RequireParticipant(c.Actor, out var actor) is { } error)
        {
            return error;
        }

        if (RequireParticipant(c.Target, out var target) is { } missing)
        {
            return missing;
        }

        if (!Enum.IsDefined(c.Role))
        {
            return new RoomError(RoomErrorCode.InvalidRole, "unknown role");
        }

        var selfSwitch = c.Actor == c.Target && target.Role != Role.Facilitator && c.Role != Role.Facilitator;
        if (!selfSwitch && actor.Role != Role.Facilitator)
        {
            return RoomError.NotFacilitator("change someone's role");
        }

        if (target.Role == c.Role)
        {
            return null;
        }

        if (target.Role == Role.Facilitator && !_participants.Exists(p => p.Id != target.Id && p.Role == Role.Facilitator))
        {
            return new RoomError(RoomErrorCode.LastFacilitator, "make someone else facilitator before the last facilitator steps down");
        }

        SetRole(target, c.Role, claimed: false);
        RevealIfEveryoneVoted(now);
        return null;
    }

    private RoomError? HandleClaimFacilitator(ClaimFacilitator c, DateTimeOffset now)
    {
        if (RequireParticipant(c.Actor, out var p) is { } error)
        {
            return error;
        }

        if (p.Role != Role.Facilitator)
        {
            SetRole(p, Role.Facilitator, claimed: true);
            RevealIfEveryoneVoted(now);
        }

        return null;
    }

    /// <summary>Changes a role, first taking back the card of one who stops voting.</summary>
    private void SetRole(Participant participant, Role role, bool claimed)
    {
        if (IsVoter(participant) && !IsVoter(participant with { Role = role })
            && State == RoomState.Voting && CurrentRound!.VoteOf(participant.Id) is not null)
        {
            Raise(new VoteWithdrawn(CurrentRound.Id, participant.Id));
        }

        Raise(new RoleChanged(participant.Id, role, claimed));
    }

    /// <summary>Whether another participant's name would pass for this one (<see cref="Text.NamesLookAlike"/>).</summary>
    private bool IsNameTaken(string name, int? exceptId) =>
        _participants.Exists(p => p.Id != exceptId && Text.NamesLookAlike(p.Name, name));

    private static RoomError NameTaken() =>
        new(RoomErrorCode.NameTaken, "another participant already uses that name, or one that looks the same");
}
