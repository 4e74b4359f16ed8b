namespace PlanningPoker.Contracts;

/// <summary>
/// What a client does with pushes: applies each <see cref="RoomEventDto"/> to its <see cref="RoomViewDto"/>, using
/// nothing but the events. The browser UI keeps its view this way; the server's tests check that the view so built
/// equals a fresh <c>GetView()</c> (the deltas are complete). A client that sees a version gap asks for a full view.
/// </summary>
public static class RoomViewReducer
{
    /// <summary>
    /// Applies the changes newer than <paramref name="start"/> in version order. A change already contained in the
    /// start view is skipped; a missing version throws, as a real client would then ask for a full view.
    /// </summary>
    public static RoomViewDto ApplyAll(RoomViewDto start, IEnumerable<RoomChangedDto> changes)
    {
        ArgumentNullException.ThrowIfNull(start);
        var view = start;
        foreach (var change in changes.Where(c => c.Version > start.Version).OrderBy(c => c.Version))
        {
            if (change.Version == view.Version)
            {
                throw new InvalidOperationException($"Version {change.Version} arrived twice.");
            }

            if (change.Version != view.Version + 1)
            {
                throw new InvalidOperationException($"Gap: the view is at {view.Version}, the next push is {change.Version}.");
            }

            view = Apply(view, change);
        }

        return view;
    }

    /// <summary>Applies one push.</summary>
    public static RoomViewDto Apply(RoomViewDto view, RoomChangedDto change)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(change);
        foreach (var e in change.Events)
        {
            view = Apply(view, e);
        }

        return view with { Version = change.Version };
    }

    /// <summary>Applies one event.</summary>
    public static RoomViewDto Apply(RoomViewDto view, RoomEventDto e)
    {
        ArgumentNullException.ThrowIfNull(view);
        return e switch
        {
            ParticipantJoinedDto j => view with { Participants = [.. view.Participants, j.Participant] },
            ParticipantLeftDto l => view with { Participants = [.. view.Participants.Where(p => p.Id != l.ParticipantId)] },
            ParticipantRenamedDto r => Participant(view, r.ParticipantId, p => p with { Name = r.Name }),
            ParticipantAnonymisedDto => view,
            RoleChangedDto r => Participant(view, r.ParticipantId, p => p with { Role = r.Role, IsVoter = r.IsVoter }),
            PresenceChangedDto p => Participant(view, p.ParticipantId, x => x with { IsPresent = p.IsPresent }),
            RoomRenamedDto r => view with { Name = r.Name },
            SettingsChangedDto s => view with
            {
                Settings = s.Settings,
                Participants = [.. view.Participants.Select(p => p with { IsVoter = s.Voters.Contains(p.Id) })],
            },
            DeckChangedDto d => view with { Deck = d.Deck },
            RoomLockChangedDto l => view with { IsLocked = l.IsLocked },
            StoriesAddedDto a => view with { Stories = [.. view.Stories, .. a.Stories] },
            StoryEditedDto s => view with { Stories = [.. view.Stories.Select(x => x.Id == s.Story.Id ? s.Story : x)] },
            StoryRemovedDto s => view with { Stories = [.. view.Stories.Where(x => x.Id != s.StoryId)], EstimatedTotal = s.EstimatedTotal },
            StoryMovedDto m => view with { Stories = Moved(view.Stories, m.StoryId, m.Index) },
            StoryStateChangedDto s => view with
            {
                Stories = [.. view.Stories.Select(x => x.Id == s.StoryId ? x with { State = s.State, Estimate = s.FinalEstimate?.Label } : x)],
                EstimatedTotal = s.EstimatedTotal,
            },
            RoundStartedDto r => ClearCards(view) with
            {
                State = RoomState.Voting,
                CurrentRound = new RoundDto(r.RoundId, r.StoryId, r.Number, RoundState.Voting, r.At, 0, null),
            },
            VoteCastDto v => Vote(view, v),
            VoteWithdrawnDto v => Withdraw(view, v),
            CardsRevealedDto r => Reveal(view, r),
            RoundClosedDto => ClearCards(view) with { State = RoomState.Lobby, CurrentRound = null },
            EstimateAcceptedDto => ClearCards(view) with { State = RoomState.Lobby, CurrentRound = null },
            TimerStartedDto t => view with { Timer = t.Timer },
            TimerStoppedDto => view with { Timer = null },
            _ => throw new ArgumentException($"Unknown event {e?.GetType().Name}.", nameof(e)),
        };
    }

    private static RoomViewDto Participant(RoomViewDto view, int id, Func<ParticipantDto, ParticipantDto> change)
    {
        if (!view.Participants.Any(p => p.Id == id))
        {
            throw new InvalidOperationException($"Participant {id} is not in the view.");
        }

        return view with { Participants = [.. view.Participants.Select(p => p.Id == id ? change(p) : p)] };
    }

    private static RoomViewDto ClearCards(RoomViewDto view) =>
        view with { Participants = [.. view.Participants.Select(p => p with { HasVoted = false, Card = null })] };

    private static RoomViewDto Vote(RoomViewDto view, VoteCastDto v)
    {
        var round = RoundOf(view, v.RoundId);
        var hadVoted = view.Participants.Single(p => p.Id == v.ParticipantId).HasVoted;
        var changed = Participant(view, v.ParticipantId, p => p with { HasVoted = true, Card = v.Card });
        return changed with { CurrentRound = round with { VoteCount = round.VoteCount + (hadVoted ? 0 : 1) } };
    }

    private static RoomViewDto Withdraw(RoomViewDto view, VoteWithdrawnDto v)
    {
        var round = RoundOf(view, v.RoundId);
        var changed = Participant(view, v.ParticipantId, p => p with { HasVoted = false, Card = null });
        return changed with { CurrentRound = round with { VoteCount = round.VoteCount - 1 } };
    }

    private static RoomViewDto Reveal(RoomViewDto view, CardsRevealedDto r)
    {
        var round = RoundOf(view, r.RoundId);
        var cards = r.Result.Distribution.SelectMany(t => t.Voters.Select(id => (id, t.Card))).ToDictionary(x => x.id, x => x.Card);
        return view with
        {
            State = RoomState.Revealed,
            CurrentRound = round with { State = RoundState.Revealed, Result = r.Result },
            Participants = [.. view.Participants.Select(p => cards.TryGetValue(p.Id, out var card) ? p with { HasVoted = true, Card = card } : p)],
        };
    }

    private static RoundDto RoundOf(RoomViewDto view, int roundId) =>
        view.CurrentRound is { } round && round.Id == roundId
            ? round
            : throw new InvalidOperationException($"Round {roundId} is not the current round ({view.CurrentRound?.Id}).");

    private static StoryDto[] Moved(IReadOnlyList<StoryDto> stories, int storyId, int index)
    {
        var list = stories.ToList();
        var from = list.FindIndex(s => s.Id == storyId);
        var story = list[from];
        list.RemoveAt(from);
        list.Insert(index, story);
        return [.. list];
    }
}
