using CsCheck;

namespace PlanningPoker.Domain.Tests;

/// <summary>
/// Importing a backlog from a tracker or a file: twice adds nothing twice (stories matched by their key, ignoring case),
/// a refresh brings new titles and descriptions to stories the team has not estimated and never touches one it has.
/// </summary>
public sealed class ImportStoriesTests
{
    [Fact]
    public void ImportingTheSameIssuesTwice_AddsThemOnce()
    {
        var w = new Workshop();
        StoryDraft[] issues = [new("Login", "As a user…", "PAY-1", "https://jira.example/browse/PAY-1", "5"), new("Logout", ExternalKey: "PAY-2")];

        var first = w.Ok(new ImportStories(w.Facilitator, issues));
        var second = w.Ok(new ImportStories(w.Facilitator, issues));

        Assert.Equal(["PAY-1", "PAY-2"], first.OfType<StoriesAdded>().Single().Stories.Select(s => s.ExternalKey));
        Assert.Empty(second);
        Assert.Equal(2, w.Room.Stories.Count);
        var login = w.Room.Stories[0];
        Assert.Equal(("Login", "As a user…", "https://jira.example/browse/PAY-1", "5", StoryState.Pending), (login.Title, login.Description, login.Url, login.TrackerEstimate, login.State));
    }

    [Fact]
    public void ARefresh_UpdatesWhatIsNotEstimated_AndLeavesEstimatedAndOpenStoriesAlone()
    {
        var w = new Workshop();
        var voter = w.Seat("Alice");
        w.Ok(new ImportStories(w.Facilitator, [new("Login", ExternalKey: "PAY-1"), new("Logout", ExternalKey: "PAY-2"), new("Search", ExternalKey: "PAY-3"), new("Export", ExternalKey: "PAY-4")]));
        var (login, logout, search, export) = (w.Room.Stories[0].Id, w.Room.Stories[1].Id, w.Room.Stories[2].Id, w.Room.Stories[3].Id);
        w.Ok(new StartRound(w.Facilitator, login));
        w.Ok(new CastVote(voter, "3"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Accept(w.Facilitator, "3"));
        w.Ok(new SkipStory(w.Facilitator, export));
        w.Ok(new StartRound(w.Facilitator, logout));

        var events = w.Ok(new ImportStories(w.Facilitator, [
            new("Login v2", ExternalKey: "pay-1"), new("Logout v2", ExternalKey: "PAY-2"), new("Search v2", "Now with filters", "PAY-3", TrackerEstimate: "8"),
            new("Export v2", ExternalKey: "PAY-4"), new("Import", ExternalKey: "PAY-5"), new("A note without key")]));

        Assert.Equal([typeof(StoryEdited), typeof(StoryEdited), typeof(StoriesAdded)], events.Select(e => e.GetType()));
        Assert.Equal("Login", w.Room.FindStory(login)!.Title); // estimated: the team's, not the tracker's
        Assert.Equal("Logout", w.Room.FindStory(logout)!.Title); // being estimated right now
        Assert.Equal(("Search v2", "Now with filters", "8"), (w.Room.FindStory(search)!.Title, w.Room.FindStory(search)!.Description, w.Room.FindStory(search)!.TrackerEstimate));
        Assert.Equal(("Export v2", StoryState.Skipped), (w.Room.FindStory(export)!.Title, w.Room.FindStory(export)!.State));
        Assert.Equal(["PAY-5", null], w.Room.Stories.Skip(4).Select(s => s.ExternalKey));
    }

    [Fact]
    public void Import_IsRefusedWhole_WhenOneStoryIsInvalid_OrTheBacklogWouldOverflow_OrTheCallerDoesNotFacilitate()
    {
        var w = new Workshop();
        var voter = w.Seat("Alice");
        w.Ok(new AddStories(w.Facilitator, [.. Enumerable.Range(1, RoomLimits.MaxStories - 1).Select(i => new StoryDraft($"S{i}", ExternalKey: $"K-{i}"))]));

        Assert.Contains("story 2", w.Fails(new ImportStories(w.Facilitator, [new("Fine", ExternalKey: "N-1"), new("", ExternalKey: "N-2")]), RoomErrorCode.InvalidStory).Message, StringComparison.Ordinal);
        w.Fails(new ImportStories(w.Facilitator, [new("Fine", TrackerEstimate: new string('9', RoomLimits.TrackerEstimateLength + 1))]), RoomErrorCode.InvalidStory);
        w.Fails(new ImportStories(w.Facilitator, [new("New 1", ExternalKey: "N-1"), new("New 2", ExternalKey: "N-2")]), RoomErrorCode.LimitExceeded);
        w.Fails(new ImportStories(voter, [new("New", ExternalKey: "N-1")]), RoomErrorCode.NotFacilitator);
        w.Fails(new ImportStories(w.Facilitator, []), RoomErrorCode.InvalidStory);

        // Refreshing every story and adding one fits exactly.
        w.Ok(new ImportStories(w.Facilitator, [.. Enumerable.Range(1, RoomLimits.MaxStories - 1).Select(i => new StoryDraft($"S{i}!", ExternalKey: $"K-{i}")), new("Last", ExternalKey: "N-1")]));
        Assert.Equal(RoomLimits.MaxStories, w.Room.Stories.Count);
    }

    [Fact]
    public void EditingAStorysKey_ForgetsItsTrackersEstimate()
    {
        var w = new Workshop();
        w.Ok(new ImportStories(w.Facilitator, [new("Login", ExternalKey: "PAY-1", TrackerEstimate: "5")]));
        var id = w.Room.Stories[0].Id;

        w.Ok(new EditStory(w.Facilitator, id, new StoryDraft("Login!", ExternalKey: "pay-1")));
        Assert.Equal("5", w.Room.FindStory(id)!.TrackerEstimate);
        w.Ok(new EditStory(w.Facilitator, id, new StoryDraft("Login!", ExternalKey: "PAY-9")));
        Assert.Null(w.Room.FindStory(id)!.TrackerEstimate);
    }

    /// <summary>
    /// Any backlog (keys that differ only by case, stories estimated, skipped or open), any import (keys repeated, missing):
    /// the backlog afterwards is what replaying the import one draft at a time by the rule gives.
    /// </summary>
    [Fact]
    public void Import_MatchesTheRule_DraftByDraft()
    {
        string?[] keys = ["A-1", "a-1", "A-2", "B-3", null];
        var existing = Gen.Select(Gen.OneOf(keys.Select(Gen.Const).ToArray()), Gen.Int[0, 3]).Array[0, 6];
        var imported = Gen.Select(Gen.OneOf(keys.Select(Gen.Const).ToArray()), Gen.Int[0, 3], Gen.Bool).Array[1, 8];
        Gen.Select(existing, imported).Sample((before, import) =>
        {
            var w = new Workshop();
            var voter = w.Seat("Alice");
            if (before.Length > 0)
            {
                w.Ok(new AddStories(w.Facilitator, [.. before.Select((s, i) => new StoryDraft($"Old {i}", ExternalKey: s.Item1))]));
            }

            // 0 pending, 1 estimated, 2 skipped, 3 being estimated (at most one: the last so marked)
            for (var i = 0; i < before.Length; i++)
            {
                var id = w.Room.Stories[i].Id;
                if (before[i].Item2 == 1)
                {
                    w.Ok(new StartRound(w.Facilitator, id));
                    w.Ok(new CastVote(voter, "2"));
                    w.Ok(new Reveal(w.Facilitator));
                    w.Ok(new Accept(w.Facilitator, "2"));
                }
                else if (before[i].Item2 == 2)
                {
                    w.Ok(new SkipStory(w.Facilitator, id));
                }
            }

            var open = Array.FindLastIndex(before, s => s.Item2 == 3);
            if (open >= 0)
            {
                w.Ok(new StartRound(w.Facilitator, w.Room.Stories[open].Id));
            }

            var drafts = import.Select((d, i) => new StoryDraft($"New {d.Item2}", d.Item3 ? $"Text {i}" : null, d.Item1, TrackerEstimate: d.Item3 ? "5" : null)).ToArray();

            // The rule, one draft at a time.
            var expected = w.Room.Stories.Select(s => (s.Title, s.Description, s.ExternalKey, s.TrackerEstimate, s.State)).ToList();
            var seen = new List<string>();
            foreach (var d in drafts)
            {
                if (d.ExternalKey is { } key)
                {
                    if (seen.Exists(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }

                    seen.Add(key);
                    var match = expected.FindIndex(s => string.Equals(s.ExternalKey, key, StringComparison.OrdinalIgnoreCase));
                    if (match >= 0)
                    {
                        if (expected[match].State is StoryState.Pending or StoryState.Skipped)
                        {
                            expected[match] = (d.Title, d.Description, expected[match].ExternalKey, d.TrackerEstimate, expected[match].State);
                        }

                        continue;
                    }
                }

                expected.Add((d.Title, d.Description, d.ExternalKey, d.TrackerEstimate, StoryState.Pending));
            }

            w.Ok(new ImportStories(w.Facilitator, drafts));

            Assert.Equal(expected, w.Room.Stories.Select(s => (s.Title, s.Description, s.ExternalKey, s.TrackerEstimate, s.State)));
            Assert.Equal(w.Room.Stories.Count, w.Room.Stories.Select(s => s.Id).Distinct().Count());
        });
    }
}

/// <summary>
/// Writing accepted estimates back: queued with the accept for stories from a tracker only; the worker's reports apply
/// to the estimate they are about and no other; a failed write is retried by a facilitator, and only a failed one.
/// </summary>
public sealed class WriteBackTests
{
    private const string Tracker = "0b5d3f3e-2d7c-4b0e-9c53-6a1f7d1e2a11";

    [Fact]
    public void AcceptingAStoryFromATracker_QueuesItsWriteBack_AndOnlySuchAStory()
    {
        var w = new Workshop(RoomSettings.Default with { FacilitatorsVote = false });
        var voter = w.Seat("Alice");
        w.Ok(new ImportStories(w.Facilitator, [new("Login", ExternalKey: "PAY-1", Source: Tracker), new("Typed", ExternalKey: "PAY-2")]));
        var (fromTracker, typed) = (w.Room.Stories[0].Id, w.Room.Stories[1].Id);

        var accepted = Estimate(w, voter, fromTracker, "5");
        var other = Estimate(w, voter, typed, "3");

        Assert.Equal(new WriteBack(WriteBackState.Pending, "5"), Assert.Single(accepted.OfType<WriteBackChanged>()).WriteBack);
        Assert.Empty(other.OfType<WriteBackChanged>());
        Assert.Null(w.Room.FindStory(typed)!.WriteBack);
    }

    [Fact]
    public void Reports_ApplyToTheEstimateTheyAreAbout()
    {
        var w = new Workshop(RoomSettings.Default with { FacilitatorsVote = false });
        var voter = w.Seat("Alice");
        w.Ok(new ImportStories(w.Facilitator, [new("Login", ExternalKey: "PAY-1", Source: Tracker)]));
        var story = w.Room.Stories[0].Id;
        Estimate(w, voter, story, "5");
        Estimate(w, voter, story, "8"); // re-estimated before the first write was reported

        Assert.Empty(w.Ok(new RecordWriteBack(story, "5", WriteBackState.Written, "https://jira.example/browse/PAY-1", null)));
        Assert.Equal(new WriteBack(WriteBackState.Pending, "8"), w.Room.FindStory(story)!.WriteBack);

        w.Ok(new RecordWriteBack(story, "8", WriteBackState.Written, "https://jira.example/browse/PAY-1", null));
        Assert.Equal(new WriteBack(WriteBackState.Written, "8", "https://jira.example/browse/PAY-1"), w.Room.FindStory(story)!.WriteBack);
        Assert.Empty(w.Ok(new RecordWriteBack(story, "8", WriteBackState.Written, "https://jira.example/browse/PAY-1", null))); // said twice: once
    }

    [Fact]
    public void OnlyAFailedWriteBack_IsRetried_AndOnlyByAFacilitator()
    {
        var w = new Workshop(RoomSettings.Default with { FacilitatorsVote = false });
        var voter = w.Seat("Alice");
        w.Ok(new ImportStories(w.Facilitator, [new("Login", ExternalKey: "PAY-1", Source: Tracker)]));
        var story = w.Room.Stories[0].Id;
        Estimate(w, voter, story, "5");

        w.Fails(new RetryWriteBack(w.Facilitator, story), RoomErrorCode.InvalidStory); // still pending
        w.Ok(new RecordWriteBack(story, "5", WriteBackState.Failed, null, "Field 'customfield_10016' cannot be set"));
        Assert.Equal("Field 'customfield_10016' cannot be set", w.Room.FindStory(story)!.WriteBack!.Reason);
        w.Fails(new RetryWriteBack(voter, story), RoomErrorCode.NotFacilitator);
        w.Fails(new RetryWriteBack(w.Facilitator, 99), RoomErrorCode.StoryNotFound);

        var retried = w.Ok(new RetryWriteBack(w.Facilitator, story));

        Assert.Equal(new WriteBack(WriteBackState.Pending, "5"), Assert.Single(retried.OfType<WriteBackChanged>()).WriteBack);
    }

    [Fact]
    public void AStoryFromATracker_HasAKey_AndAnotherKeyForgetsWhereItCameFrom()
    {
        var w = new Workshop();
        w.Fails(new ImportStories(w.Facilitator, [new("No key", Source: Tracker)]), RoomErrorCode.InvalidStory);
        w.Ok(new ImportStories(w.Facilitator, [new("Login", ExternalKey: "PAY-1", Source: Tracker)]));
        var story = w.Room.Stories[0].Id;

        w.Ok(new EditStory(w.Facilitator, story, new StoryDraft("Login", ExternalKey: "PAY-7")));

        Assert.Null(w.Room.FindStory(story)!.Source);
    }

    private static IReadOnlyList<RoomEvent> Estimate(Workshop w, int voter, int story, string card)
    {
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(voter, "3"));
        w.Ok(new Reveal(w.Facilitator));
        return w.Ok(new Accept(w.Facilitator, card));
    }
}
