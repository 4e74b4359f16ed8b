using D = PlanningPoker.Domain;
using W = PlanningPoker.Contracts;

namespace PlanningPoker.Server.Rooms;

/// <summary>
/// Maps between the Domain and the wire (Contracts), both ways. The Domain decides what a viewer may see
/// (<see cref="D.Room.ViewFor"/>, <see cref="D.RoomEvent.VisibleTo"/>); this class only changes shapes.
/// </summary>
public static class Wire
{
    /// <summary>Nobody: the viewer id whose view of an event hides every private value.</summary>
    public const int Nobody = 0;

    /// <summary>A card as its label on the wire.</summary>
    public static W.CardDto ToDto(this D.Card card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new(card.Label, card.Value, (W.CardKind)card.Kind);
    }

    /// <summary>A deck with every playable card.</summary>
    public static W.DeckDto ToDto(this D.Deck deck)
    {
        ArgumentNullException.ThrowIfNull(deck);
        return new((W.DeckType)deck.Type, [.. deck.Cards.Select(ToDto)],
            deck.Specials.HasFlag(D.SpecialCards.Unsure), deck.Specials.HasFlag(D.SpecialCards.Break), deck.Specials.HasFlag(D.SpecialCards.Infinity));
    }

    /// <summary>Settings on the wire.</summary>
    public static W.RoomSettingsDto ToDto(this D.RoomSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.AutoReveal, s.FacilitatorsVote, (W.RevealPolicy)s.WhoMayReveal, (W.Statistic)s.Statistic,
            s.RoundTimer is { } t ? (int)t.TotalSeconds : null, s.AllowVoteChange, s.RevealWhenTimerEnds, s.AutoAdvance);
    }

    /// <summary>An estimate on the wire.</summary>
    public static W.EstimateDto? ToDto(this D.Estimate? e) => e is null ? null : new(e.Label, e.Value);

    /// <summary>A story as views and pushes carry it: no description, no link, the estimate's label only.</summary>
    public static W.StoryDto ToDto(this D.Story s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Title, s.ExternalKey, (W.StoryState)s.State, s.FinalEstimate?.Label, s.Description is not null || s.Url is not null || s.TrackerEstimate is not null, s.WriteBack.ToDto());
    }

    /// <summary>A story's write-back on the wire.</summary>
    public static W.WriteBackDto? ToDto(this D.WriteBack? w) => w is null ? null : new((W.WriteBackState)w.State, w.Card, w.Link, w.Reason);

    /// <summary>A whole story, as <c>GetStory</c> returns it.</summary>
    public static W.StoryDetailsDto ToDetailsDto(this D.Story s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Title, s.Description, s.ExternalKey, s.Url, (W.StoryState)s.State, s.FinalEstimate.ToDto(), s.TrackerEstimate);
    }

    /// <summary>A result on the wire.</summary>
    public static W.RoundResultDto ToDto(this D.RoundResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            [.. r.Distribution.Select(t => new W.CardTallyDto(t.Card.Label, t.Count, t.Voters))], r.VoterCount, r.Min, r.Max, r.Mean, r.Median,
            [.. r.Modes.Select(c => c.Label)], r.Spread, r.Consensus, r.NearConsensus, r.LowestVoters, r.HighestVoters, r.Suggested?.Label,
            r.MissingVoters, r.OnlySpecialCards);
    }

    /// <summary>A countdown on the wire.</summary>
    public static W.TimerDto? ToDto(this D.CountdownTimer? t) =>
        t is null ? null : new(t.StartedAt, (int)t.Duration.TotalSeconds, t.EndsAt);

    /// <summary>A participant's view on the wire.</summary>
    public static W.RoomViewDto ToDto(this D.RoomView v, bool passcodeRequired, long version)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(
            v.RoomId, v.Name, v.Deck.ToDto(), v.Settings.ToDto(), v.IsLocked, passcodeRequired, (W.RoomState)v.State, v.ViewerId,
            [.. v.Participants.Select(p => new W.ParticipantDto(p.Id, p.Name, (W.Role)p.Role, p.IsPresent, p.IsVoter, p.HasVoted, p.Card?.Label))],
            [.. v.Stories.Select(ToDto)],
            v.CurrentRound is { } r ? new W.RoundDto(r.Id, r.StoryId, r.Number, (W.RoundState)r.State, r.StartedAt, r.VoteCount, r.Result?.ToDto()) : null,
            v.Timer.ToDto(), v.EstimatedTotal, version);
    }

    /// <summary>A round of history on the wire.</summary>
    public static W.RoundRecordDto ToDto(this D.RoundRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.Number, (W.RoundState)r.State, r.StartedAt, r.RevealedAt, r.VoteCount,
            [.. r.Votes.Select(v => new W.VoteDto(v.ParticipantId, v.Name, v.Card.Label))], r.Result?.ToDto(), r.Estimate.ToDto());
    }

    /// <summary>A story's history on the wire.</summary>
    public static W.StoryHistoryDto ToDto(this D.StoryHistory h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new(h.StoryId, [.. h.Rounds.Select(ToDto)],
            [.. h.Movements.Select(m => new W.VoterMovementDto(m.ParticipantId, m.Name, [.. m.Cards.Select(c => c?.Label)]))]);
    }

    /// <summary>
    /// An event as a participant may see it, already passed through <see cref="D.RoomEvent.VisibleTo"/>.
    /// <paramref name="room"/> (after the command) supplies the derived facts clients need, such as who votes.
    /// </summary>
    public static W.RoomEventDto ToDto(this D.RoomEvent e, D.Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return e switch
        {
            D.ParticipantJoined j => new W.ParticipantJoinedDto(new W.ParticipantDto(
                j.Participant.Id, j.Participant.Name, (W.Role)j.Participant.Role, j.Participant.IsPresent, room.IsVoter(j.Participant), false, null)),
            D.ParticipantLeft l => new W.ParticipantLeftDto(l.ParticipantId, l.Kicked),
            D.ParticipantRenamed r => new W.ParticipantRenamedDto(r.ParticipantId, r.Name),
            D.ParticipantAnonymised a => new W.ParticipantAnonymisedDto(a.ParticipantId, a.Name),
            D.RoleChanged r => new W.RoleChangedDto(r.ParticipantId, (W.Role)r.Role, r.Role == D.Role.Estimator || (r.Role == D.Role.Facilitator && room.Settings.FacilitatorsVote), r.Claimed),
            D.PresenceChanged p => new W.PresenceChangedDto(p.ParticipantId, p.IsPresent),
            D.RoomRenamed r => new W.RoomRenamedDto(r.Name),
            D.SettingsChanged s => new W.SettingsChangedDto(s.Settings.ToDto(), [.. room.Participants.Where(room.IsVoter).Select(p => p.Id)]),
            D.DeckChanged d => new W.DeckChangedDto(d.Deck.ToDto()),
            D.RoomLockChanged l => new W.RoomLockChangedDto(l.Locked),
            D.StoriesAdded a => new W.StoriesAddedDto([.. a.Stories.Select(ToDto)]),
            D.StoryEdited s => new W.StoryEditedDto(s.Story.ToDto()),
            D.WriteBackChanged w => new W.StoryEditedDto(room.FindStory(w.StoryId)!.ToDto()),
            D.StoryRemoved s => new W.StoryRemovedDto(s.StoryId, room.EstimatedTotal),
            D.StoryMoved m => new W.StoryMovedDto(m.StoryId, m.Index),
            D.StoryStateChanged s => new W.StoryStateChangedDto(s.StoryId, (W.StoryState)s.State, s.FinalEstimate.ToDto(), room.EstimatedTotal),
            D.RoundStarted r => new W.RoundStartedDto(r.RoundId, r.StoryId, r.Number, r.At),
            D.VoteCast v => new W.VoteCastDto(v.RoundId, v.ParticipantId, v.Card?.Label),
            D.VoteWithdrawn v => new W.VoteWithdrawnDto(v.RoundId, v.ParticipantId),
            D.CardsRevealed r => new W.CardsRevealedDto(r.RoundId, r.Result.ToDto(), (W.RevealTrigger)r.Trigger, r.At),
            D.RoundClosed r => new W.RoundClosedDto(r.RoundId),
            D.EstimateAccepted a => new W.EstimateAcceptedDto(a.RoundId, a.StoryId, a.Estimate.ToDto()!),
            D.TimerStarted t => new W.TimerStartedDto(t.Timer.ToDto()!),
            D.TimerStopped t => new W.TimerStoppedDto(t.Expired),
            _ => throw new ArgumentException($"Unknown event {e?.GetType().Name}.", nameof(e)),
        };
    }

    /// <summary>
    /// Shapes a command's events for every recipient: one public copy with every private value hidden, and a copy
    /// for each participant who may see more (the voter of a <see cref="D.VoteCast"/>).
    /// </summary>
    public static RoomBroadcast ToBroadcast(this IReadOnlyList<D.RoomEvent> events, D.Room room, long version)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(room);
        var hidden = new D.RoomEvent[events.Count];
        var publicEvents = new W.RoomEventDto[events.Count];
        HashSet<int>? owners = null;
        for (var i = 0; i < events.Count; i++)
        {
            hidden[i] = events[i].VisibleTo(Nobody);
            publicEvents[i] = hidden[i].ToDto(room);
            if (!ReferenceEquals(hidden[i], events[i]) && events[i] is D.VoteCast cast)
            {
                (owners ??= []).Add(cast.ParticipantId);
            }
        }

        if (owners is null)
        {
            return new RoomBroadcast(room.Id, new W.RoomChangedDto(version, publicEvents), []);
        }

        var privates = new List<PrivateChange>(owners.Count);
        foreach (var owner in owners)
        {
            var seen = new W.RoomEventDto[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                // The owner sees more exactly where the hidden copy differs from what the owner may see.
                var visible = events[i].VisibleTo(owner);
                seen[i] = ReferenceEquals(hidden[i], events[i]) || !ReferenceEquals(visible, events[i]) ? publicEvents[i] : visible.ToDto(room);
            }

            privates.Add(new PrivateChange(owner, new W.RoomChangedDto(version, seen)));
        }

        return new RoomBroadcast(room.Id, new W.RoomChangedDto(version, publicEvents), privates);
    }

    /// <summary>Deck from a request: a built-in deck, or a validated custom one.</summary>
    public static D.Result<D.Deck> ToDomain(this W.DeckDto? dto)
    {
        if (dto is null)
        {
            return D.Deck.Default;
        }

        if (!Enum.IsDefined(dto.Type))
        {
            return new D.RoomError(D.RoomErrorCode.InvalidDeck, "unknown deck type");
        }

        var specials = (dto.Unsure ? D.SpecialCards.Unsure : 0) | (dto.Break ? D.SpecialCards.Break : 0) | (dto.Infinity ? D.SpecialCards.Infinity : 0);
        if (dto.Type != W.DeckType.Custom)
        {
            return D.Deck.Standard((D.DeckType)dto.Type, specials);
        }

        var cards = dto.Cards?.Where(c => c is null || (c.Kind == W.CardKind.Regular)).Select(c => c is null ? null! : new D.Card(c.Label, c.Value)).ToArray() ?? [];
        return D.Deck.Custom(cards, specials);
    }

    /// <summary>Settings from a request.</summary>
    public static D.RoomSettings ToDomain(this W.RoomSettingsDto? dto) => dto is null ? D.RoomSettings.Default : new(
        dto.AutoReveal, dto.FacilitatorsVote, (D.RevealPolicy)dto.WhoMayReveal, (D.Statistic)dto.Statistic,
        dto.RoundTimerSeconds is { } s ? TimeSpan.FromSeconds(s) : null, dto.AllowVoteChange, dto.RevealWhenTimerEnds, dto.AutoAdvance);

    /// <summary>A story draft from a request.</summary>
    public static D.StoryDraft ToDomain(this W.StoryDraftDto dto) =>
        dto is null ? null! : new(dto.Title, dto.Description, dto.ExternalKey, dto.Url, dto.TrackerEstimate);
}
