namespace PlanningPoker.Domain;

/// <summary>What importing a list of stories into a backlog does, story by story.</summary>
/// <param name="Added">The drafts to add, in the order given.</param>
/// <param name="Refreshed">The stories already in the backlog whose text changes, as they become.</param>
/// <param name="Unchanged">Drafts that change nothing: already there as they are, already estimated or being estimated, or a key repeated in the list.</param>
public sealed record BacklogImport(IReadOnlyList<StoryDraft> Added, IReadOnlyList<Story> Refreshed, int Unchanged)
{
    /// <summary>
    /// Plans an import of validated drafts into <paramref name="backlog"/>. A draft whose external key (compared
    /// ignoring case) is already on a story refreshes that story's title, description, link and tracker's estimate when
    /// the story is pending or skipped (the team has not estimated it), and changes nothing otherwise; the first draft of
    /// a key repeated in the list wins. A draft without a key is always added. Pure: nothing is changed.
    /// </summary>
    public static BacklogImport Plan(IReadOnlyList<Story> backlog, IReadOnlyList<StoryDraft> drafts)
    {
        var byKey = new Dictionary<string, Story>(StringComparer.OrdinalIgnoreCase);
        foreach (var story in backlog)
        {
            if (story.ExternalKey is { } key)
            {
                byKey.TryAdd(key, story);
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var added = new List<StoryDraft>();
        var refreshed = new List<Story>();
        var unchanged = 0;
        foreach (var draft in drafts)
        {
            if (draft.ExternalKey is not { } key)
            {
                added.Add(draft);
                continue;
            }

            if (!seen.Add(key))
            {
                unchanged++;
                continue;
            }

            if (!byKey.TryGetValue(key, out var story))
            {
                added.Add(draft);
                continue;
            }

            var fresh = story.State is StoryState.Pending or StoryState.Skipped
                ? story with { Title = draft.Title, Description = draft.Description, Url = draft.Url, TrackerEstimate = draft.TrackerEstimate, Source = draft.Source ?? story.Source }
                : story;
            if (fresh == story)
            {
                unchanged++;
            }
            else
            {
                refreshed.Add(fresh);
            }
        }

        return new BacklogImport(added, refreshed, unchanged);
    }
}
