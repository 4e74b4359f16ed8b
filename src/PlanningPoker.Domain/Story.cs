namespace PlanningPoker.Domain;

/// <summary>Where a story stands in the workshop.</summary>
public enum StoryState
{
    /// <summary>Waiting to be estimated.</summary>
    Pending,

    /// <summary>A round is open on it.</summary>
    Estimating,

    /// <summary>It has a final estimate.</summary>
    Estimated,

    /// <summary>Set aside by the facilitator.</summary>
    Skipped,
}

/// <summary>A final estimate: a card of the deck, or a value the facilitator typed.</summary>
/// <param name="Label">What is shown ("8", "XL", "2.5").</param>
/// <param name="Value">The numeric value, or null for a non-numeric card.</param>
public sealed record Estimate(string Label, decimal? Value);

/// <summary>A user story of the backlog. Immutable: the room replaces it when something changes.</summary>
/// <param name="Id">Allocated by the room; never reused within a room.</param>
/// <param name="Title">Required, one line, at most 200 characters.</param>
/// <param name="Description">Optional, at most 10,000 characters. Untrusted text: render it escaped.</param>
/// <param name="ExternalKey">Optional tracker key (PROJ-123).</param>
/// <param name="Url">Optional absolute http(s) link to the tracker.</param>
/// <param name="State">Where it stands.</param>
/// <param name="FinalEstimate">The accepted estimate, if any.</param>
/// <param name="TrackerEstimate">The estimate the story had in its tracker when imported ("5", "XL"), shown beside it; null when none.</param>
/// <param name="Source">The tracker connection it was imported from (the host's opaque id): its accepted estimate is written back there. Null for stories typed or from a file.</param>
/// <param name="WriteBack">Where writing its accepted estimate back to its tracker stands; null until one is accepted.</param>
public sealed record Story(
    int Id, string Title, string? Description, string? ExternalKey, string? Url, StoryState State, Estimate? FinalEstimate, string? TrackerEstimate = null,
    string? Source = null, WriteBack? WriteBack = null);

/// <summary>Where writing an accepted estimate back to the story's tracker stands.</summary>
public enum WriteBackState
{
    /// <summary>Committed with the accept, not written yet (or being retried).</summary>
    Pending,

    /// <summary>The tracker holds it.</summary>
    Written,

    /// <summary>The tracker refused it, for a reason trying again will not change; a facilitator may retry.</summary>
    Failed,
}

/// <summary>The write-back of one accepted estimate.</summary>
/// <param name="State">Where it stands.</param>
/// <param name="Card">The estimate being written (the story's final estimate's label when it was accepted).</param>
/// <param name="Link">The page, once written.</param>
/// <param name="Reason">The tracker's reason, when it failed (or the last transient failure while still pending).</param>
public sealed record WriteBack(WriteBackState State, string Card, string? Link = null, string? Reason = null);

/// <summary>What a facilitator types to add or edit a story; validated and normalised by <see cref="Validate"/>.</summary>
/// <param name="Title">Required, one line, at most 200 characters.</param>
/// <param name="Description">Optional, at most 10,000 characters.</param>
/// <param name="ExternalKey">Optional tracker key, one line, at most 100 characters.</param>
/// <param name="Url">Optional absolute http or https URL, at most 2,000 characters.</param>
/// <param name="TrackerEstimate">Optional estimate the story already has in its tracker, one line, at most 20 characters.</param>
/// <param name="Source">The tracker connection it comes from (set by the host for a tracker's import, never from a person's input).</param>
public sealed record StoryDraft(string Title, string? Description = null, string? ExternalKey = null, string? Url = null, string? TrackerEstimate = null, string? Source = null)
{
    private static readonly string[] Bullets = ["- ", "* ", "• ", "+ "];

    /// <summary>Trims every field and checks it; returns the normalised draft or <see cref="RoomErrorCode.InvalidStory"/>.</summary>
    public Result<StoryDraft> Validate()
    {
        var title = Text.Clean(Title);
        if (!Text.IsValidLine(title, RoomLimits.StoryTitleLength))
        {
            return RoomError.InvalidStory($"a story title has 1 to {RoomLimits.StoryTitleLength} characters on one line");
        }

        var description = Text.NullIfBlank(Description);
        if (!Text.FitsOptional(description, RoomLimits.StoryDescriptionLength))
        {
            return RoomError.InvalidStory($"a story description has at most {RoomLimits.StoryDescriptionLength} characters");
        }

        var key = Text.NullIfBlank(ExternalKey);
        if (key is not null && !Text.IsValidLine(key, RoomLimits.ExternalKeyLength))
        {
            return RoomError.InvalidStory($"an external key has at most {RoomLimits.ExternalKeyLength} characters on one line");
        }

        var url = Text.NullIfBlank(Url);
        if (url is not null
            && (url.Length > RoomLimits.UrlLength
                || url.Any(char.IsControl)
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            return RoomError.InvalidStory("a story link is an absolute http or https URL of at most 2,000 characters");
        }

        var trackerEstimate = Text.NullIfBlank(Text.Clean(TrackerEstimate));
        if (trackerEstimate is not null && !Text.IsValidLine(trackerEstimate, RoomLimits.TrackerEstimateLength))
        {
            return RoomError.InvalidStory($"a tracker's estimate has at most {RoomLimits.TrackerEstimateLength} characters on one line");
        }

        if (Source is not null && (key is null || !Text.IsValidLine(Source, RoomLimits.ExternalKeyLength)))
        {
            return RoomError.InvalidStory("a story from a tracker has an external key");
        }

        return new StoryDraft(title!, description, key, url, trackerEstimate, Source);
    }

    /// <summary>
    /// Turns pasted text into drafts: one story per non-blank line, list bullets ("- ", "* ", "• ", "+ ", "1. ", "1) ") removed;
    /// a line that is only a bullet is skipped.
    /// A line holding a tab is read as "title⇥description", as spreadsheets paste it.
    /// </summary>
    public static IReadOnlyList<StoryDraft> ParseLines(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var drafts = new List<StoryDraft>();
        foreach (var raw in text.Split('\n'))
        {
            // Split the spreadsheet columns first, so that an empty first column stays empty.
            var line = raw.TrimEnd('\r');
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var title = StripBullet(line[..(tab < 0 ? line.Length : tab)].Trim());
            if (title.Length == 0)
            {
                continue;
            }

            drafts.Add(new StoryDraft(title, tab < 0 ? null : Text.NullIfBlank(line[(tab + 1)..])));
        }

        return drafts;
    }

    private static string StripBullet(string line)
    {
        foreach (var bullet in Bullets)
        {
            if (line.StartsWith(bullet, StringComparison.Ordinal) || line == bullet.TrimEnd())
            {
                return line[Math.Min(bullet.Length, line.Length)..].TrimStart();
            }
        }

        // "1. ", "12) "
        var i = 0;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }

        if (i > 0 && i < line.Length && (line[i] == '.' || line[i] == ')') && (i + 1 == line.Length || line[i + 1] == ' '))
        {
            return line[(i + 1)..].TrimStart();
        }

        return line;
    }
}
