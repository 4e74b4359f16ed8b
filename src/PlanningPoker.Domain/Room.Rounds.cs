using System.Globalization;

namespace PlanningPoker.Domain;

/// <summary>Rounds, votes, reveal, acceptance and the countdown.</summary>
public sealed partial class Room
{
    private RoomError? HandleStartRound(StartRound c, DateTimeOffset now)
    {
        if (RequireFacilitator(c, "start a round", out _) is { } error)
        {
            return error;
        }

        if (State == RoomState.Voting)
        {
            return RoomError.WrongState(RoomErrorCode.RoundInProgress, "StartRound", State);
        }

        Story? story = null;
        if (c.StoryId is { } storyId && (story = FindStory(storyId)) is null)
        {
            return RoomError.StoryNotFound(storyId);
        }

        if (RoundCount >= RoomLimits.MaxRounds)
        {
            return RoomError.Limit($"a room keeps at most {RoomLimits.MaxRounds} rounds");
        }

        if (CurrentRound is not null)
        {
            CloseCurrentRound();
        }

        OpenRound(story, now);
        return null;
    }

    private RoomError? HandleCastVote(CastVote c, DateTimeOffset now)
    {
        if (RequireParticipant(c.Actor, out var voter) is { } error)
        {
            return error;
        }

        if (!IsVoter(voter))
        {
            return new RoomError(RoomErrorCode.NotAVoter, voter.Role == Role.Observer ? "observers do not vote" : "facilitators do not vote in this room");
        }

        if (State != RoomState.Voting)
        {
            return RoomError.WrongState(RoomErrorCode.RoundNotOpen, "CastVote", State);
        }

        if (Deck.Find(c.Card) is not { } card)
        {
            return new RoomError(RoomErrorCode.CardNotInDeck, "that card is not in the room's deck");
        }

        var round = CurrentRound!;
        var previous = round.VoteOf(voter.Id);
        if (previous?.Card == card)
        {
            return null;
        }

        if (previous is not null && !Settings.AllowVoteChange)
        {
            return new RoomError(RoomErrorCode.VoteChangeNotAllowed, "votes cannot change once cast in this room");
        }

        Raise(new VoteCast(round.Id, voter.Id, card, now));
        RevealIfEveryoneVoted(now);
        return null;
    }

    private RoomError? HandleWithdrawVote(WithdrawVote c)
    {
        if (RequireParticipant(c.Actor, out var voter) is { } error)
        {
            return error;
        }

        if (State != RoomState.Voting)
        {
            return RoomError.WrongState(RoomErrorCode.RoundNotOpen, "WithdrawVote", State);
        }

        if (CurrentRound!.VoteOf(voter.Id) is null)
        {
            return new RoomError(RoomErrorCode.NoVote, "there is no vote to withdraw");
        }

        if (!Settings.AllowVoteChange)
        {
            return new RoomError(RoomErrorCode.VoteChangeNotAllowed, "votes cannot change once cast in this room");
        }

        Raise(new VoteWithdrawn(CurrentRound.Id, voter.Id));
        return null;
    }

    private RoomError? HandleReveal(Reveal c, DateTimeOffset now)
    {
        if (RequireParticipant(c.Actor, out var actor) is { } error)
        {
            return error;
        }

        var allowed = actor.Role == Role.Facilitator || (Settings.WhoMayReveal == RevealPolicy.Voters && IsVoter(actor));
        if (!allowed)
        {
            return new RoomError(RoomErrorCode.NotAllowedToReveal,
                Settings.WhoMayReveal == RevealPolicy.Facilitators ? "only a facilitator may reveal in this room" : "only facilitators and voters may reveal");
        }

        if (State != RoomState.Voting)
        {
            return RoomError.WrongState(RoomErrorCode.RoundNotOpen, "Reveal", State);
        }

        RevealCurrentRound(RevealTrigger.Manual, now);
        return null;
    }

    private RoomError? HandleRevote(Revote c, DateTimeOffset now)
    {
        if (RequireFacilitator(c, "open a re-vote", out _) is { } error)
        {
            return error;
        }

        if (State != RoomState.Revealed)
        {
            return RoomError.WrongState(RoomErrorCode.RoundNotRevealed, "Revote", State);
        }

        if (RoundCount >= RoomLimits.MaxRounds)
        {
            return RoomError.Limit($"a room keeps at most {RoomLimits.MaxRounds} rounds");
        }

        var story = CurrentRound!.StoryId is { } id ? FindStory(id) : null;
        Raise(new RoundClosed(CurrentRound.Id));
        OpenRound(story, now);
        return null;
    }

    private RoomError? HandleAccept(Accept c, DateTimeOffset now)
    {
        if (RequireFacilitator(c, "accept an estimate", out _) is { } error)
        {
            return error;
        }

        if (State != RoomState.Revealed)
        {
            return RoomError.WrongState(RoomErrorCode.RoundNotRevealed, "Accept", State);
        }

        if (ParseEstimate(c.Estimate) is not { } estimate)
        {
            return new RoomError(RoomErrorCode.InvalidEstimate,
                $"an estimate is a regular card of the deck or a number from 0 to {RoomLimits.MaxEstimateValue} with at most {RoomLimits.CardLabelLength} characters");
        }

        var round = CurrentRound!;
        if (Timer is not null)
        {
            Raise(new TimerStopped(Expired: false));
        }

        Raise(new EstimateAccepted(round.Id, round.StoryId, estimate));
        if (round.StoryId is { } storyId)
        {
            Raise(new StoryStateChanged(storyId, StoryState.Estimated, estimate));
            if (FindStory(storyId)!.Source is not null)
            {
                Raise(new WriteBackChanged(storyId, new WriteBack(WriteBackState.Pending, estimate.Label)));
            }

            AdvanceToNextStory(now);
        }

        return null;
    }

    /// <summary>
    /// With <see cref="RoomSettings.AutoAdvance"/>, after a story's estimate is accepted: a round on the first pending
    /// story in backlog order, exactly as <see cref="StartRound"/> would open it (its countdown included). No pending
    /// story, or no room for another round: the room stays in the lobby and the accept still stands.
    /// </summary>
    private void AdvanceToNextStory(DateTimeOffset now)
    {
        if (!Settings.AutoAdvance || RoundCount >= RoomLimits.MaxRounds)
        {
            return;
        }

        if (_stories.Find(s => s.State == StoryState.Pending) is { } next)
        {
            OpenRound(next, now);
        }
    }

    private RoomError? HandleCancelRound(CancelRound c)
    {
        if (RequireFacilitator(c, "cancel a round", out _) is { } error)
        {
            return error;
        }

        if (CurrentRound is null)
        {
            return RoomError.WrongState(RoomErrorCode.NoCurrentRound, "CancelRound", State);
        }

        CloseCurrentRound();
        return null;
    }

    private RoomError? HandleStartTimer(StartTimer c, DateTimeOffset now)
    {
        if (RequireFacilitator(c, "start the countdown", out _) is { } error)
        {
            return error;
        }

        if (c.Duration < RoomLimits.MinTimer || c.Duration > RoomLimits.MaxTimer)
        {
            return new RoomError(RoomErrorCode.InvalidTimer, "a countdown lasts from 10 seconds to 60 minutes");
        }

        Raise(new TimerStarted(new CountdownTimer(now, c.Duration)));
        return null;
    }

    private RoomError? HandleStopTimer(StopTimer c)
    {
        if (RequireFacilitator(c, "stop the countdown", out _) is { } error)
        {
            return error;
        }

        if (Timer is null)
        {
            return new RoomError(RoomErrorCode.TimerNotRunning, "no countdown is running");
        }

        Raise(new TimerStopped(Expired: false));
        return null;
    }

    private RoomError? HandleTimeUp(DateTimeOffset now)
    {
        if (Timer is null)
        {
            return new RoomError(RoomErrorCode.TimerNotRunning, "no countdown is running");
        }

        if (now < Timer.EndsAt)
        {
            return new RoomError(RoomErrorCode.TimerNotExpired, "the countdown has not reached zero");
        }

        Raise(new TimerStopped(Expired: true));
        if (State == RoomState.Voting && Settings.RevealWhenTimerEnds)
        {
            RevealCurrentRound(RevealTrigger.Timer, now);
        }

        return null;
    }

    private void OpenRound(Story? chosen, DateTimeOffset now)
    {
        // Closing the previous round may have changed the story's state: read it afresh.
        var story = chosen is null ? null : FindStory(chosen.Id);
        var number = 1 + _roundsPerStory.GetValueOrDefault(story?.Id ?? QuickVotes);
        Raise(new RoundStarted(_nextRoundId, story?.Id, number, now));
        if (story is not null && story.State != StoryState.Estimating)
        {
            Raise(new StoryStateChanged(story.Id, StoryState.Estimating, story.FinalEstimate));
        }

        if (Settings.RoundTimer is { } duration)
        {
            Raise(new TimerStarted(new CountdownTimer(now, duration)));
        }
    }

    /// <summary>Closes the current round without an estimate and gives its story back the state it had before.</summary>
    private void CloseCurrentRound()
    {
        var round = CurrentRound!;
        if (round.State == RoundState.Voting && Timer is not null)
        {
            Raise(new TimerStopped(Expired: false));
        }

        Raise(new RoundClosed(round.Id));
        if (round.StoryId is { } storyId && FindStory(storyId) is { State: StoryState.Estimating } story)
        {
            var state = story.FinalEstimate is null ? StoryState.Pending : StoryState.Estimated;
            Raise(new StoryStateChanged(storyId, state, story.FinalEstimate));
        }
    }

    private void RevealIfEveryoneVoted(DateTimeOffset now)
    {
        if (!Settings.AutoReveal || State != RoomState.Voting)
        {
            return;
        }

        var round = CurrentRound!;
        if (round.Votes.Count == 0)
        {
            return;
        }

        foreach (var p in _participants)
        {
            if (p.IsPresent && IsVoter(p) && round.VoteOf(p.Id) is null)
            {
                return;
            }
        }

        RevealCurrentRound(RevealTrigger.AllVoted, now);
    }

    private void RevealCurrentRound(RevealTrigger trigger, DateTimeOffset now)
    {
        var round = CurrentRound!;
        if (Timer is not null)
        {
            Raise(new TimerStopped(Expired: false));
        }

        // The result names the present voters who did not vote ("2 of 3 voted"), and consensus needs all of them.
        int[] presentVoters = [.. _participants.Where(p => p.IsPresent && IsVoter(p)).Select(p => p.Id)];
        Raise(new CardsRevealed(round.Id, RoundResult.Compute(Deck, round.Votes, Settings.Statistic, presentVoters), trigger, now));
    }

    private Estimate? ParseEstimate(string? text)
    {
        var label = text?.Trim();
        if (string.IsNullOrEmpty(label))
        {
            return null;
        }

        if (Deck.Find(label) is { } card)
        {
            return card.IsSpecial ? null : new Estimate(card.Label, card.Value);
        }

        // A typed value: "5", "2.5" or the French "2,5".
        if (label.Length <= RoomLimits.CardLabelLength
            && decimal.TryParse(label.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value <= RoomLimits.MaxEstimateValue)
        {
            var normalised = value.ToString("0.########", CultureInfo.InvariantCulture);
            return new Estimate(Deck.Find(normalised) is { IsSpecial: false } same ? same.Label : normalised, value);
        }

        return null;
    }
}
