namespace PlanningPoker.Contracts;

/// <summary>
/// One story of a team's estimation history (<c>GET /api/orgs/{org}/teams/{team}/history</c>): where and when it was
/// estimated and how it went. A story not estimated (pending, skipped, under way) is dated by its workshop.
/// </summary>
/// <param name="RoomId">Its workshop (room).</param>
/// <param name="Workshop">The workshop's name.</param>
/// <param name="StoryId">The story, in its room.</param>
/// <param name="Title">Its title.</param>
/// <param name="ExternalKey">Its key in a tracker, when it has one.</param>
/// <param name="Url">Its link, when it has one.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Estimate">Its accepted estimate's label, when estimated.</param>
/// <param name="Date">When it was estimated; for a story not estimated, when its workshop opened.</param>
/// <param name="RevealedRounds">Rounds on it whose cards turned over (in its latest estimation, when estimated).</param>
/// <param name="FirstRoundConsensus">Whether its first revealed round had a consensus; null without one.</param>
/// <param name="MinutesToAccept">From its first round to the accept, in minutes; null when not estimated or accepted without a round.</param>
/// <param name="Votes">Votes cast in its revealed rounds.</param>
public sealed record HistoryStoryDto(
    string RoomId,
    string Workshop,
    int StoryId,
    string Title,
    string? ExternalKey,
    string? Url,
    StoryState State,
    string? Estimate,
    DateTimeOffset Date,
    int RevealedRounds,
    bool? FirstRoundConsensus,
    double? MinutesToAccept,
    int Votes);

/// <summary>A workshop (room) of a team, as the history's filter offers it.</summary>
/// <param name="RoomId">The room.</param>
/// <param name="Name">Its name.</param>
/// <param name="OpenedAt">When it opened.</param>
public sealed record HistoryWorkshopDto(string RoomId, string Name, DateTimeOffset OpenedAt);

/// <summary>A page of a team's estimation history, newest first.</summary>
/// <param name="TeamId">The team.</param>
/// <param name="Name">Its name.</param>
/// <param name="From">The period's first day (UTC), included.</param>
/// <param name="To">The period's last day (UTC), included.</param>
/// <param name="Total">Stories matching the filters.</param>
/// <param name="Page">This page, from 1.</param>
/// <param name="PageSize">Stories per page.</param>
/// <param name="Workshops">The team's workshops of the period, newest first (what the workshop filter offers).</param>
/// <param name="Stories">This page's stories.</param>
public sealed record HistoryPageDto(
    Guid TeamId,
    string Name,
    DateOnly From,
    DateOnly To,
    int Total,
    int Page,
    int PageSize,
    IReadOnlyList<HistoryWorkshopDto> Workshops,
    IReadOnlyList<HistoryStoryDto> Stories);

/// <summary>A vote of a revealed round, as the history shows it.</summary>
/// <param name="Participant">Who cast it (their name in the room).</param>
/// <param name="Card">The card's label.</param>
public sealed record HistoryVoteDto(string Participant, string Card);

/// <summary>A round of a story in the history. Votes only once its cards turned over: a hidden card stays hidden.</summary>
/// <param name="Number">Its number in the room.</param>
/// <param name="State">How it ended (or that it is still open).</param>
/// <param name="StartedAt">When it opened.</param>
/// <param name="RevealedAt">When its cards turned over, if they did.</param>
/// <param name="Votes">Its votes after the reveal, in the order they were cast; empty before.</param>
/// <param name="Estimate">The estimate accepted on it, if one was.</param>
public sealed record HistoryRoundDto(int Number, RoundState State, DateTimeOffset StartedAt, DateTimeOffset? RevealedAt, IReadOnlyList<HistoryVoteDto> Votes, string? Estimate);

/// <summary>One story of the history with its rounds and votes (<c>GET …/history/{roomId}/{storyId}</c>).</summary>
/// <param name="Story">The story's line.</param>
/// <param name="Description">Its description, when it has one.</param>
/// <param name="Participants">Who voted on it, by name.</param>
/// <param name="Rounds">Its rounds, oldest first (every estimation, not only the latest).</param>
public sealed record HistoryStoryDetailDto(HistoryStoryDto Story, string? Description, IReadOnlyList<string> Participants, IReadOnlyList<HistoryRoundDto> Rounds);
