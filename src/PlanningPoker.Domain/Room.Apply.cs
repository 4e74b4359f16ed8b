namespace PlanningPoker.Domain;

/// <summary>The only place where a room's state changes: one case per event.</summary>
public sealed partial class Room
{
    /// <summary>Applies an event. Internal: outside the room, events are only read (and replayed in tests).</summary>
    internal void Apply(RoomEvent e)
    {
        switch (e)
        {
            case ParticipantJoined j:
                _participants.Add(j.Participant);
                _nextParticipantId = Math.Max(_nextParticipantId, j.Participant.Id + 1);
                break;
            case ParticipantLeft l:
                var leaving = FindParticipant(l.ParticipantId)!;
                _participants.Remove(leaving);
                _formerParticipants.Add(new FormerParticipant(leaving.Id, leaving.Name));
                break;
            case ParticipantRenamed r:
                ReplaceParticipant(r.ParticipantId, p => p with { Name = r.Name });
                break;
            case ParticipantAnonymised a:
                var former = _formerParticipants.FindIndex(f => f.Id == a.ParticipantId);
                _formerParticipants[former] = _formerParticipants[former] with { Name = a.Name };
                break;
            case RoleChanged r:
                ReplaceParticipant(r.ParticipantId, p => p with { Role = r.Role });
                break;
            case PresenceChanged p:
                ReplaceParticipant(p.ParticipantId, x => x with { IsPresent = p.IsPresent });
                break;
            case RoomRenamed r:
                Name = r.Name;
                break;
            case SettingsChanged s:
                Settings = s.Settings;
                break;
            case DeckChanged d:
                Deck = d.Deck;
                break;
            case RoomLockChanged l:
                IsLocked = l.Locked;
                break;
            case StoriesAdded a:
                _stories.AddRange(a.Stories);
                _nextStoryId = Math.Max(_nextStoryId, a.Stories.Max(s => s.Id) + 1);
                break;
            case StoryEdited s:
                _stories[IndexOfStory(s.Story.Id)] = s.Story;
                break;
            case StoryRemoved s:
                _stories.RemoveAt(IndexOfStory(s.StoryId));
                _rounds.RemoveAll(r => r.StoryId == s.StoryId);
                RoundCount -= _roundsPerStory.Remove(s.StoryId, out var removed) ? removed : 0;
                _forgotten.Remove(s.StoryId);
                break;
            case StoryMoved m:
                var from = IndexOfStory(m.StoryId);
                var moved = _stories[from];
                _stories.RemoveAt(from);
                _stories.Insert(m.Index, moved);
                break;
            case WriteBackChanged w:
                var at = IndexOfStory(w.StoryId);
                _stories[at] = _stories[at] with { WriteBack = w.WriteBack };
                break;
            case StoryStateChanged s:
                var i = IndexOfStory(s.StoryId);
                _stories[i] = _stories[i] with { State = s.State, FinalEstimate = s.FinalEstimate };
                break;
            case RoundStarted r:
                _rounds.Add(new Round(r.RoundId, r.StoryId, r.Number, r.At));
                CountRound(r.StoryId);
                _currentRoundId = r.RoundId;
                _nextRoundId = Math.Max(_nextRoundId, r.RoundId + 1);
                break;
            case VoteCast v:
                RoundOf(v.RoundId).Cast(new Vote(v.ParticipantId, v.Card ?? throw new ArgumentException("A hidden vote cannot be applied.", nameof(e)), v.At));
                break;
            case VoteWithdrawn v:
                RoundOf(v.RoundId).Withdraw(v.ParticipantId);
                break;
            case CardsRevealed r:
                RoundOf(r.RoundId).Reveal(r.Result, r.Trigger, r.At);
                break;
            case RoundClosed r:
                RoundOf(r.RoundId).Cancel();
                _currentRoundId = null;
                break;
            case EstimateAccepted a:
                RoundOf(a.RoundId).Accept(a.Estimate);
                _currentRoundId = null;
                break;
            case TimerStarted t:
                Timer = t.Timer;
                break;
            case TimerStopped:
                Timer = null;
                break;
            default:
                throw new ArgumentException($"Unknown event {e.GetType().Name}.", nameof(e));
        }
    }

    private void CountRound(int? storyId)
    {
        RoundCount++;
        var key = storyId ?? QuickVotes;
        _roundsPerStory[key] = _roundsPerStory.GetValueOrDefault(key) + 1;
    }

    private void ReplaceParticipant(int id, Func<Participant, Participant> change)
    {
        var i = _participants.FindIndex(p => p.Id == id);
        _participants[i] = change(_participants[i]);
    }

    private int IndexOfStory(int id) => _stories.FindIndex(s => s.Id == id);

    private Round RoundOf(int id)
    {
        // The round an event names is nearly always the newest one.
        for (var i = _rounds.Count - 1; i >= 0; i--)
        {
            if (_rounds[i].Id == id)
            {
                return _rounds[i];
            }
        }

        throw new ArgumentException($"Round {id} is not in the room.", nameof(id));
    }
}
