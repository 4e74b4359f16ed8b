using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlanningPoker.Contracts;

/// <summary>Writes and reads an enum as its camelCase name ("estimator"); reading also accepts any case.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

// Wire enums travel as camelCase strings ("estimator", "voting"). Their members mirror the Domain's one for one;
// a server test checks the names stay in step.

/// <summary>A participant's role.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<Role>))]
public enum Role
{
    /// <summary>Runs the workshop.</summary>
    Facilitator,

    /// <summary>Votes.</summary>
    Estimator,

    /// <summary>Follows without voting.</summary>
    Observer,
}

/// <summary>Where a room stands.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RoomState>))]
public enum RoomState
{
    /// <summary>No round open.</summary>
    Lobby,

    /// <summary>A round is open for votes.</summary>
    Voting,

    /// <summary>The current round is revealed.</summary>
    Revealed,
}

/// <summary>Where writing a story's accepted estimate back to its tracker stands.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<WriteBackState>))]
public enum WriteBackState
{
    /// <summary>Saved with the accept, on its way to the tracker (or waiting to try again).</summary>
    Pending,

    /// <summary>The tracker holds it.</summary>
    Written,

    /// <summary>The tracker refused it; a facilitator may retry.</summary>
    Failed,
}

/// <summary>Where a story stands.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StoryState>))]
public enum StoryState
{
    /// <summary>Waiting.</summary>
    Pending,

    /// <summary>A round is open on it.</summary>
    Estimating,

    /// <summary>Has a final estimate.</summary>
    Estimated,

    /// <summary>Set aside.</summary>
    Skipped,
}

/// <summary>Where a round stands.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RoundState>))]
public enum RoundState
{
    /// <summary>Open for votes.</summary>
    Voting,

    /// <summary>Revealed.</summary>
    Revealed,

    /// <summary>Revealed and accepted.</summary>
    Accepted,

    /// <summary>Closed before reveal.</summary>
    Cancelled,
}

/// <summary>Regular or special card.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<CardKind>))]
public enum CardKind
{
    /// <summary>A regular card.</summary>
    Regular,

    /// <summary><c>?</c></summary>
    Unsure,

    /// <summary><c>☕</c></summary>
    Break,

    /// <summary><c>∞</c></summary>
    Infinity,
}

/// <summary>Built-in decks and the custom one.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<DeckType>))]
public enum DeckType
{
    /// <summary>0 1 2 3 5 8 13 21 34 55 89.</summary>
    Fibonacci,

    /// <summary>0 ½ 1 2 3 5 8 13 20 40 100.</summary>
    ModifiedFibonacci,

    /// <summary>XS S M L XL XXL.</summary>
    TShirt,

    /// <summary>0 1 2 4 8 16 32 64.</summary>
    PowersOfTwo,

    /// <summary>0.5 1 2 4 8 16 24 40.</summary>
    Hours,

    /// <summary>Chosen cards.</summary>
    Custom,
}

/// <summary>Who may reveal.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RevealPolicy>))]
public enum RevealPolicy
{
    /// <summary>Facilitators only.</summary>
    Facilitators,

    /// <summary>Facilitators and voters.</summary>
    Voters,
}

/// <summary>The statistic a team reads first.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<Statistic>))]
public enum Statistic
{
    /// <summary>Median.</summary>
    Median,

    /// <summary>Mean.</summary>
    Mean,

    /// <summary>Mode.</summary>
    Mode,
}

/// <summary>What turned the cards over.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RevealTrigger>))]
public enum RevealTrigger
{
    /// <summary>Someone revealed.</summary>
    Manual,

    /// <summary>Everyone present had voted.</summary>
    AllVoted,

    /// <summary>The countdown reached zero.</summary>
    Timer,
}
