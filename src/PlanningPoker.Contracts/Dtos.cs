using System.Text.Json.Serialization;

namespace PlanningPoker.Contracts;

/// <summary>A card.</summary>
/// <param name="Label">What it shows.</param>
/// <param name="Value">Its numeric value, if any.</param>
/// <param name="Kind">Regular (left out of the JSON) or special.</param>
public sealed record CardDto(
    string Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] CardKind Kind = CardKind.Regular);

/// <summary>A deck: in a view, every playable card; in a request, a type, the special cards, and the cards of a custom deck.</summary>
/// <param name="Type">Built-in deck or custom.</param>
/// <param name="Cards">In a view: every playable card in order. In a request: the regular cards of a custom deck (ignored otherwise).</param>
/// <param name="Unsure">Offer the <c>?</c> card.</param>
/// <param name="Break">Offer the <c>☕</c> card.</param>
/// <param name="Infinity">Offer the <c>∞</c> card.</param>
public sealed record DeckDto(DeckType Type, IReadOnlyList<CardDto>? Cards = null, bool Unsure = true, bool Break = true, bool Infinity = false);

/// <summary>How a room plays.</summary>
/// <param name="AutoReveal">Reveal once every present voter has voted.</param>
/// <param name="FacilitatorsVote">Facilitators vote like estimators.</param>
/// <param name="WhoMayReveal">Facilitators, or voters too.</param>
/// <param name="Statistic">The statistic the team reads first.</param>
/// <param name="RoundTimerSeconds">A countdown started with every round (10–3600), or null.</param>
/// <param name="AllowVoteChange">Votes may change until reveal.</param>
/// <param name="RevealWhenTimerEnds">Reveal when the countdown reaches zero.</param>
/// <param name="AutoAdvance">Accepting a story's estimate starts a round on the next pending story. Optional: false when absent.</param>
public sealed record RoomSettingsDto(
    bool AutoReveal = false,
    bool FacilitatorsVote = true,
    RevealPolicy WhoMayReveal = RevealPolicy.Facilitators,
    Statistic Statistic = Statistic.Median,
    int? RoundTimerSeconds = null,
    bool AllowVoteChange = true,
    bool RevealWhenTimerEnds = true,
    bool AutoAdvance = false);

/// <summary>A seat as the receiving participant may see it.</summary>
/// <param name="Id">Seat id.</param>
/// <param name="Name">Display name (untrusted text: render escaped).</param>
/// <param name="Role">Role.</param>
/// <param name="IsPresent">Online.</param>
/// <param name="IsVoter">Votes in this room.</param>
/// <param name="HasVoted">Has a card down in the current round.</param>
/// <param name="Card">The card's label: one's own at any time, anyone's once revealed, otherwise absent.</param>
public sealed record ParticipantDto(
    int Id, string Name, Role Role, bool IsPresent, bool IsVoter, bool HasVoted,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Card);

/// <summary>A final estimate.</summary>
/// <param name="Label">What is shown.</param>
/// <param name="Value">Numeric value, if any.</param>
public sealed record EstimateDto(string Label, decimal? Value);

/// <summary>
/// A story as the view and the pushes carry it: what the backlog shows (untrusted text: render escaped). The
/// description and the link stay on the server; <see cref="IRoomHub.GetStory"/> returns them, as
/// <see cref="StoryDetailsDto"/>, when <see cref="HasDetails"/> says there are any. This keeps the view of the
/// largest allowed room under 200 KB (docs/api.md, "What the view carries").
/// </summary>
/// <param name="Id">Story id.</param>
/// <param name="Title">Title.</param>
/// <param name="ExternalKey">Tracker key.</param>
/// <param name="State">State.</param>
/// <param name="Estimate">The accepted estimate's label; its value is in <see cref="StoryDetailsDto.FinalEstimate"/>, and the room's total in <see cref="RoomViewDto.EstimatedTotal"/>.</param>
/// <param name="HasDetails">The story has a description or a link: ask <see cref="IRoomHub.GetStory"/> for them.</param>
/// <param name="WriteBack">Where writing its accepted estimate back to its tracker stands (stories imported from a tracker, once accepted).</param>
public sealed record StoryDto(
    int Id,
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalKey,
    StoryState State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Estimate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool HasDetails = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WriteBackDto? WriteBack = null);

/// <summary>Where writing a story's estimate back to its tracker stands (untrusted text: render escaped).</summary>
/// <param name="State">Pending, written or failed.</param>
/// <param name="Card">The estimate being written.</param>
/// <param name="Link">The page, once written.</param>
/// <param name="Reason">The tracker's reason, when it failed (or while it is being retried).</param>
public sealed record WriteBackDto(
    WriteBackState State,
    string Card,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Link = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <summary>The whole story, with its description and link: what <see cref="IRoomHub.GetStory"/> returns (untrusted text: render escaped).</summary>
/// <param name="Id">Story id.</param>
/// <param name="Title">Title.</param>
/// <param name="Description">Description, up to 10,000 characters.</param>
/// <param name="ExternalKey">Tracker key.</param>
/// <param name="Url">Tracker link (http or https).</param>
/// <param name="State">State.</param>
/// <param name="FinalEstimate">The accepted estimate, with its value.</param>
/// <param name="TrackerEstimate">The estimate the story had in its tracker when imported ("5", "XL").</param>
public sealed record StoryDetailsDto(
    int Id,
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    StoryState State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EstimateDto? FinalEstimate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TrackerEstimate = null);

/// <summary>What a facilitator types to add or edit a story.</summary>
/// <param name="Title">Required, ≤ 200 characters.</param>
/// <param name="Description">≤ 10,000 characters.</param>
/// <param name="ExternalKey">≤ 100 characters.</param>
/// <param name="Url">Absolute http(s) URL, ≤ 2,000 characters.</param>
/// <param name="TrackerEstimate">The estimate it already has in its tracker, ≤ 20 characters (set by imports).</param>
public sealed record StoryDraftDto(string Title, string? Description = null, string? ExternalKey = null, string? Url = null, string? TrackerEstimate = null);

/// <summary>What an import did.</summary>
/// <param name="Added">Stories added to the backlog.</param>
/// <param name="Updated">Stories already there (same external key) whose title, description, link or tracker's estimate were refreshed.</param>
/// <param name="Unchanged">Stories already there as they are, already estimated or being estimated (never changed by an import), or repeated in the import.</param>
/// <param name="Skipped">Rows of a file passed over, each with its line and reason ("line 7: no title").</param>
/// <param name="Next">A tracker import that stopped at its limit with more to read: the <c>page</c> to send to go on; else null.</param>
/// <param name="Total">How many stories the tracker's search finds in all, when the tracker says it.</param>
public sealed record ImportReportDto(int Added, int Updated, int Unchanged, IReadOnlyList<string>? Skipped = null, string? Next = null, int? Total = null);

/// <summary>A story read from a backlog file (untrusted text: render escaped).</summary>
/// <param name="Line">The line of the file it starts on.</param>
/// <param name="Title">Title.</param>
/// <param name="Description">The description's first 300 characters, or null (the import takes it whole).</param>
/// <param name="Key">Tracker key.</param>
/// <param name="Link">Tracker link (http or https).</param>
/// <param name="Type">Type ("Story", "Bug").</param>
/// <param name="Estimate">The estimate it already has, as it will be shown.</param>
public sealed record ImportedStoryDto(int Line, string Title, string? Description, string? Key, string? Link, string? Type, string? Estimate);

/// <summary>How a backlog file reads: what <c>POST /api/backlog/csv</c> returns, before anything is imported.</summary>
/// <param name="Stories">The stories, in the file's order (at most 500).</param>
/// <param name="Columns">Field (<c>title</c>, <c>description</c>, <c>key</c>, <c>link</c>, <c>type</c>, <c>labels</c>, <c>estimate</c>) → the column it comes from, by its header or as <c>#3</c>.</param>
/// <param name="Encoding">The text encoding found (<c>utf-8</c>, <c>utf-16</c>, <c>Windows-1252</c>…).</param>
/// <param name="Delimiter">The separator found.</param>
/// <param name="Skipped">Rows passed over, with their line and reason.</param>
/// <param name="HasHeader">Whether the first row was read as the columns' names.</param>
/// <param name="FirstRow">The first row's cells, to choose columns by hand.</param>
public sealed record CsvPreviewDto(
    IReadOnlyList<ImportedStoryDto> Stories,
    IReadOnlyDictionary<string, string> Columns,
    string Encoding,
    string Delimiter,
    IReadOnlyList<string> Skipped,
    bool HasHeader,
    IReadOnlyList<string> FirstRow);

/// <summary>Votes on one card.</summary>
/// <param name="Card">The card's label.</param>
/// <param name="Count">How many.</param>
/// <param name="Voters">Who, by seat id.</param>
public sealed record CardTallyDto(string Card, int Count, IReadOnlyList<int> Voters);

/// <summary>The result of a revealed round (see docs/architecture.md, "Round result", for every rule).</summary>
/// <param name="Distribution">Votes per card in deck order.</param>
/// <param name="VoterCount">How many voted.</param>
/// <param name="Min">Lowest numeric vote.</param>
/// <param name="Max">Highest numeric vote.</param>
/// <param name="Mean">Mean of numeric votes (2 decimals, for display; the suggestion uses the exact mean).</param>
/// <param name="Median">Median of numeric votes.</param>
/// <param name="Modes">Most played regular cards.</param>
/// <param name="Spread">Distance in deck positions between extremes.</param>
/// <param name="Consensus">At least two votes, all on one regular card, and every present voter voted.</param>
/// <param name="NearConsensus">At least two votes, all on two adjacent regular cards, and every present voter voted.</param>
/// <param name="LowestVoters">Who played the lowest value (they explain first).</param>
/// <param name="HighestVoters">Who played the highest value (they explain first).</param>
/// <param name="Suggested">The suggested estimate's label.</param>
/// <param name="MissingVoters">Present voters who had not voted at reveal, by seat id: "2 of 3 voted".</param>
/// <param name="OnlySpecialCards">Every vote was a special card (<c>?</c> <c>☕</c> <c>∞</c>): no estimate to suggest.</param>
public sealed record RoundResultDto(
    IReadOnlyList<CardTallyDto> Distribution, int VoterCount, decimal? Min, decimal? Max, decimal? Mean, decimal? Median,
    IReadOnlyList<string> Modes, int? Spread, bool Consensus, bool NearConsensus,
    IReadOnlyList<int> LowestVoters, IReadOnlyList<int> HighestVoters, string? Suggested,
    IReadOnlyList<int> MissingVoters, bool OnlySpecialCards);

/// <summary>The open round.</summary>
/// <param name="Id">Round id.</param>
/// <param name="StoryId">Story, or null for a quick vote.</param>
/// <param name="Number">1 for the first round on the story.</param>
/// <param name="State">Voting or revealed.</param>
/// <param name="StartedAt">When voting opened.</param>
/// <param name="VoteCount">Cards down.</param>
/// <param name="Result">Once revealed.</param>
public sealed record RoundDto(
    int Id, int? StoryId, int Number, RoundState State, DateTimeOffset StartedAt, int VoteCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RoundResultDto? Result);

/// <summary>A running countdown.</summary>
/// <param name="StartedAt">When it started.</param>
/// <param name="DurationSeconds">Its length.</param>
/// <param name="EndsAt">When it reaches zero.</param>
public sealed record TimerDto(DateTimeOffset StartedAt, int DurationSeconds, DateTimeOffset EndsAt);

/// <summary>
/// The whole room as the receiving participant may see it: sent on join, on reconnect and on request. Later
/// changes arrive as <see cref="RoomChangedDto"/> batches whose <c>Version</c> follows this one's.
/// </summary>
/// <param name="RoomId">Room id.</param>
/// <param name="Name">Room name.</param>
/// <param name="Deck">Deck.</param>
/// <param name="Settings">Settings.</param>
/// <param name="IsLocked">No new participant may join.</param>
/// <param name="PasscodeRequired">Joining needs a passcode.</param>
/// <param name="State">Lobby, voting or revealed.</param>
/// <param name="ViewerId">The receiving participant.</param>
/// <param name="Participants">Seats in joining order.</param>
/// <param name="Stories">Backlog in order.</param>
/// <param name="CurrentRound">The open round.</param>
/// <param name="Timer">The running countdown.</param>
/// <param name="EstimatedTotal">Sum of numeric final estimates.</param>
/// <param name="Version">The room's change counter when this view was taken.</param>
public sealed record RoomViewDto(
    string RoomId, string Name, DeckDto Deck, RoomSettingsDto Settings, bool IsLocked, bool PasscodeRequired, RoomState State, int ViewerId,
    IReadOnlyList<ParticipantDto> Participants, IReadOnlyList<StoryDto> Stories, RoundDto? CurrentRound, TimerDto? Timer,
    decimal EstimatedTotal, long Version);

/// <summary>A revealed vote in history.</summary>
/// <param name="ParticipantId">Voter.</param>
/// <param name="Name">Voter's name (kept after they leave).</param>
/// <param name="Card">The card's label.</param>
public sealed record VoteDto(int ParticipantId, string Name, string Card);

/// <summary>One round of a story's history; votes appear only if it was revealed.</summary>
/// <param name="Id">Round id.</param>
/// <param name="Number">Its number on the story.</param>
/// <param name="State">How it stands or ended.</param>
/// <param name="StartedAt">When voting opened.</param>
/// <param name="RevealedAt">When revealed.</param>
/// <param name="VoteCount">Cards down.</param>
/// <param name="Votes">Revealed votes.</param>
/// <param name="Result">Result, once revealed.</param>
/// <param name="Estimate">Accepted estimate.</param>
public sealed record RoundRecordDto(
    int Id, int Number, RoundState State, DateTimeOffset StartedAt, DateTimeOffset? RevealedAt, int VoteCount,
    IReadOnlyList<VoteDto> Votes, RoundResultDto? Result, EstimateDto? Estimate);

/// <summary>One voter's cards across a story's revealed rounds (null where they did not vote).</summary>
/// <param name="ParticipantId">Voter.</param>
/// <param name="Name">Name.</param>
/// <param name="Cards">One label per revealed round.</param>
public sealed record VoterMovementDto(int ParticipantId, string Name, IReadOnlyList<string?> Cards);

/// <summary>Every round of a story (or of quick votes) and how voters moved.</summary>
/// <param name="StoryId">Story, or null for quick votes.</param>
/// <param name="Rounds">Oldest first.</param>
/// <param name="Movements">Per voter.</param>
public sealed record StoryHistoryDto(int? StoryId, IReadOnlyList<RoundRecordDto> Rounds, IReadOnlyList<VoterMovementDto> Movements);
