namespace PlanningPoker.Domain;

/// <summary>The explicit limits of a room. Documented in docs/api.md; a command that would pass one fails with <see cref="RoomErrorCode.LimitExceeded"/> or a validation code.</summary>
public static class RoomLimits
{
    /// <summary>Participants in a room at once.</summary>
    public const int MaxParticipants = 100;

    /// <summary>Stories in a backlog.</summary>
    public const int MaxStories = 500;

    /// <summary>Rounds a room keeps (stories' rounds and quick votes together).</summary>
    public const int MaxRounds = 10_000;

    /// <summary>Characters of a display name.</summary>
    public const int DisplayNameLength = 40;

    /// <summary>Characters of a room name.</summary>
    public const int RoomNameLength = 80;

    /// <summary>Characters of a story title.</summary>
    public const int StoryTitleLength = 200;

    /// <summary>Characters of a story description.</summary>
    public const int StoryDescriptionLength = 10_000;

    /// <summary>
    /// Characters of a story's external key (a tracker's issue key: "PROJ-1234", "owner/repo#123"). Views carry every
    /// story's title and key, so this and <see cref="StoryTitleLength"/> bound the view of the largest room (≤ 200 KB).
    /// </summary>
    public const int ExternalKeyLength = 50;

    /// <summary>Characters of the estimate a story had in its tracker when imported ("13", "XL", "0.5").</summary>
    public const int TrackerEstimateLength = 20;

    /// <summary>Characters of a story's URL.</summary>
    public const int UrlLength = 2_000;

    /// <summary>Characters of a card label, and of a typed final estimate.</summary>
    public const int CardLabelLength = 8;

    /// <summary>Fewest cards of a custom deck.</summary>
    public const int CustomDeckMinCards = 2;

    /// <summary>Most cards of a custom deck.</summary>
    public const int CustomDeckMaxCards = 30;

    /// <summary>Largest card value or typed estimate.</summary>
    public const decimal MaxEstimateValue = 1_000_000m;

    /// <summary>Shortest countdown.</summary>
    public static readonly TimeSpan MinTimer = TimeSpan.FromSeconds(10);

    /// <summary>Longest countdown.</summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromMinutes(60);
}
