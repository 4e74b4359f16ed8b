namespace PlanningPoker.Domain;

/// <summary>Room-wide settings and the backlog.</summary>
public sealed partial class Room
{
    private RoomError? HandleRenameRoom(RenameRoom c)
    {
        if (RequireFacilitator(c, "rename the room", out _) is { } error)
        {
            return error;
        }

        var name = Text.Clean(c.Name);
        if (!Text.IsValidLine(name, RoomLimits.RoomNameLength))
        {
            return new RoomError(RoomErrorCode.InvalidName, $"a room name has 1 to {RoomLimits.RoomNameLength} characters on one line");
        }

        if (name != Name)
        {
            Raise(new RoomRenamed(name!));
        }

        return null;
    }

    private RoomError? HandleChangeSettings(ChangeSettings c, DateTimeOffset now)
    {
        if (RequireFacilitator(c, "change the settings", out _) is { } error)
        {
            return error;
        }

        if (c.Settings is null)
        {
            return new RoomError(RoomErrorCode.InvalidSettings, "settings are missing");
        }

        if (c.Settings.Validate() is { } invalid)
        {
            return invalid;
        }

        if (c.Settings == Settings)
        {
            return null;
        }

        Raise(new SettingsChanged(c.Settings));

        // Facilitators may have stopped voting: their cards leave the open round.
        if (State == RoomState.Voting)
        {
            foreach (var vote in CurrentRound!.Votes.ToArray())
            {
                if (FindParticipant(vote.ParticipantId) is { } p && !IsVoter(p))
                {
                    Raise(new VoteWithdrawn(CurrentRound.Id, p.Id));
                }
            }
        }

        RevealIfEveryoneVoted(now);
        return null;
    }

    private RoomError? HandleChangeDeck(ChangeDeck c)
    {
        if (RequireFacilitator(c, "change the deck", out _) is { } error)
        {
            return error;
        }

        if (c.Deck is null)
        {
            return RoomError.InvalidDeck("the deck is missing");
        }

        if (CurrentRound is not null)
        {
            return RoomError.WrongState(RoomErrorCode.RoundInProgress, "ChangeDeck", State);
        }

        if (!c.Deck.Equals(Deck))
        {
            Raise(new DeckChanged(c.Deck));
        }

        return null;
    }

    private RoomError? HandleLockRoom(LockRoom c)
    {
        if (RequireFacilitator(c, "lock or unlock the room", out _) is { } error)
        {
            return error;
        }

        if (c.Locked != IsLocked)
        {
            Raise(new RoomLockChanged(c.Locked));
        }

        return null;
    }

    private RoomError? HandleAddStories(AddStories c)
    {
        if (RequireFacilitator(c, "add stories", out _) is { } error)
        {
            return error;
        }

        if (c.Stories is null || c.Stories.Count == 0)
        {
            return RoomError.InvalidStory("there is no story to add");
        }

        if (_stories.Count + c.Stories.Count > RoomLimits.MaxStories)
        {
            return RoomError.Limit($"a backlog holds at most {RoomLimits.MaxStories} stories ({_stories.Count} already)");
        }

        var added = new Story[c.Stories.Count];
        for (var i = 0; i < added.Length; i++)
        {
            var draft = c.Stories[i]?.Validate() ?? RoomError.InvalidStory("a story is missing");
            if (!draft.IsSuccess)
            {
                return c.Stories.Count == 1 ? draft.Error : draft.Error! with { Message = $"story {i + 1}: {draft.Error!.Message}" };
            }

            var d = draft.Value!;
            added[i] = NewStory(_nextStoryId + i, d);
        }

        Raise(new StoriesAdded(added));
        return null;
    }

    private RoomError? HandleImportStories(ImportStories c)
    {
        if (RequireFacilitator(c, "import stories", out _) is { } error)
        {
            return error;
        }

        if (c.Stories is null || c.Stories.Count == 0)
        {
            return RoomError.InvalidStory("there is no story to import");
        }

        if (c.Stories.Count > RoomLimits.MaxStories)
        {
            return RoomError.Limit($"an import holds at most {RoomLimits.MaxStories} stories");
        }

        var drafts = new StoryDraft[c.Stories.Count];
        for (var i = 0; i < drafts.Length; i++)
        {
            var draft = c.Stories[i]?.Validate() ?? RoomError.InvalidStory("a story is missing");
            if (!draft.IsSuccess)
            {
                return draft.Error! with { Message = $"story {i + 1}: {draft.Error!.Message}" };
            }

            drafts[i] = draft.Value!;
        }

        var plan = BacklogImport.Plan(_stories, drafts);
        if (_stories.Count + plan.Added.Count > RoomLimits.MaxStories)
        {
            return RoomError.Limit($"a backlog holds at most {RoomLimits.MaxStories} stories ({_stories.Count} already, {plan.Added.Count} new)");
        }

        foreach (var story in plan.Refreshed)
        {
            Raise(new StoryEdited(story));
        }

        if (plan.Added.Count > 0)
        {
            Raise(new StoriesAdded([.. plan.Added.Select((d, i) => NewStory(_nextStoryId + i, d))]));
        }

        return null;
    }

    private static Story NewStory(int id, StoryDraft d) =>
        new(id, d.Title, d.Description, d.ExternalKey, d.Url, StoryState.Pending, null, d.TrackerEstimate, d.Source);

    private RoomError? HandleEditStory(EditStory c)
    {
        if (RequireFacilitator(c, "edit a story", out _) is { } error)
        {
            return error;
        }

        if (FindStory(c.StoryId) is not { } story)
        {
            return RoomError.StoryNotFound(c.StoryId);
        }

        var draft = c.Story?.Validate() ?? RoomError.InvalidStory("the story is missing");
        if (!draft.IsSuccess)
        {
            return draft.Error;
        }

        var d = draft.Value!;
        var edited = story with { Title = d.Title, Description = d.Description, ExternalKey = d.ExternalKey, Url = d.Url };
        if (!string.Equals(edited.ExternalKey, story.ExternalKey, StringComparison.OrdinalIgnoreCase))
        {
            // Another issue: what its tracker said, and where to write the estimate, no longer apply.
            edited = edited with { TrackerEstimate = null, Source = null };
        }
        if (edited != story)
        {
            Raise(new StoryEdited(edited));
        }

        return null;
    }

    private RoomError? HandleRemoveStory(RemoveStory c)
    {
        if (RequireFacilitator(c, "remove a story", out _) is { } error)
        {
            return error;
        }

        if (FindStory(c.StoryId) is null)
        {
            return RoomError.StoryNotFound(c.StoryId);
        }

        if (CurrentRound?.StoryId == c.StoryId)
        {
            return new RoomError(RoomErrorCode.StoryInRound, "the story is being estimated: close its round first");
        }

        Raise(new StoryRemoved(c.StoryId));
        return null;
    }

    private RoomError? HandleMoveStory(MoveStory c)
    {
        if (RequireFacilitator(c, "reorder the backlog", out _) is { } error)
        {
            return error;
        }

        var from = _stories.FindIndex(s => s.Id == c.StoryId);
        if (from < 0)
        {
            return RoomError.StoryNotFound(c.StoryId);
        }

        if (c.Index < 0 || c.Index >= _stories.Count)
        {
            return RoomError.InvalidStory($"a position lies between 0 and {_stories.Count - 1}");
        }

        if (from != c.Index)
        {
            Raise(new StoryMoved(c.StoryId, c.Index));
        }

        return null;
    }

    private RoomError? HandleSkipStory(SkipStory c)
    {
        if (RequireFacilitator(c, "skip a story", out _) is { } error)
        {
            return error;
        }

        if (FindStory(c.StoryId) is not { } story)
        {
            return RoomError.StoryNotFound(c.StoryId);
        }

        if (story.State == StoryState.Skipped)
        {
            return null;
        }

        if (story.State == StoryState.Estimated)
        {
            return RoomError.InvalidStory("an estimated story is not skipped; start a round to estimate it again");
        }

        if (CurrentRound?.StoryId == story.Id)
        {
            CloseCurrentRound();
        }

        Raise(new StoryStateChanged(story.Id, StoryState.Skipped, story.FinalEstimate));
        return null;
    }

    private RoomError? HandleRecordWriteBack(RecordWriteBack c)
    {
        if (FindStory(c.StoryId) is not { } story)
        {
            return RoomError.StoryNotFound(c.StoryId);
        }

        // A report on another estimate than the story's own (re-estimated since) or on a story that is not the tracker's changes nothing.
        if (story.Source is null || story.FinalEstimate?.Label != c.Card || story.WriteBack is null)
        {
            return null;
        }

        var reported = new WriteBack(c.State, c.Card, c.State == WriteBackState.Written ? Text.NullIfBlank(c.Link) : null, Text.NullIfBlank(c.Reason));
        if (reported != story.WriteBack)
        {
            Raise(new WriteBackChanged(story.Id, reported));
        }

        return null;
    }

    private RoomError? HandleRetryWriteBack(RetryWriteBack c)
    {
        if (RequireFacilitator(c, "retry writing an estimate back", out _) is { } error)
        {
            return error;
        }

        if (FindStory(c.StoryId) is not { } story)
        {
            return RoomError.StoryNotFound(c.StoryId);
        }

        if (story.WriteBack is not { State: WriteBackState.Failed } failed)
        {
            return new RoomError(RoomErrorCode.InvalidStory, "only a write-back that failed can be retried");
        }

        Raise(new WriteBackChanged(story.Id, new WriteBack(WriteBackState.Pending, failed.Card)));
        return null;
    }
}
