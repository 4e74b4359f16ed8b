namespace PlanningPoker.Contracts;

/// <summary>
/// The limits a client needs to know (form fields' <c>maxlength</c>, error messages). The Domain's <c>RoomLimits</c>
/// enforces them; a server test holds the two equal.
/// </summary>
public static class Limits
{
    /// <summary>Characters of a display name.</summary>
    public const int DisplayNameLength = 40;

    /// <summary>Characters of a room name.</summary>
    public const int RoomNameLength = 80;

    /// <summary>Characters of a story title.</summary>
    public const int StoryTitleLength = 200;

    /// <summary>Characters of a story description.</summary>
    public const int StoryDescriptionLength = 10_000;

    /// <summary>Characters of a story's external key.</summary>
    public const int ExternalKeyLength = 50;

    /// <summary>Characters of a story's URL.</summary>
    public const int UrlLength = 2_000;

    /// <summary>Characters of a card label, and of a typed final estimate.</summary>
    public const int CardLabelLength = 8;

    /// <summary>Largest value of a card or a typed final estimate.</summary>
    public const decimal MaxEstimateValue = 1_000_000m;

    /// <summary>Fewest cards of a custom deck.</summary>
    public const int CustomDeckMinCards = 2;

    /// <summary>Most cards of a custom deck.</summary>
    public const int CustomDeckMaxCards = 30;

    /// <summary>Shortest countdown, in seconds.</summary>
    public const int MinTimerSeconds = 10;

    /// <summary>Longest countdown, in seconds.</summary>
    public const int MaxTimerSeconds = 3_600;

    /// <summary>Fewest characters of a room's passcode.</summary>
    public const int PasscodeMinLength = 4;

    /// <summary>Most characters of a room's passcode.</summary>
    public const int PasscodeMaxLength = 64;
}
