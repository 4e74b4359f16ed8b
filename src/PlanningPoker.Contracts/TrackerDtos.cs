namespace PlanningPoker.Contracts;

/// <summary>
/// A team's (or one person's own) connection to a tracker, as its members (or its owner) see it: where it is and how
/// it is used, never its secret (docs/api.md, "Tracker connections").
/// </summary>
/// <param name="Id">Its id.</param>
/// <param name="Kind">The tracker: <c>JiraCloud</c>, <c>JiraDataCenter</c>, <c>AzureDevOps</c>, <c>GitHub</c>, <c>GitLab</c> or <c>Linear</c>.</param>
/// <param name="Name">What the team calls it.</param>
/// <param name="BaseUrl">Where its API is.</param>
/// <param name="User">Jira Cloud's account email, or null.</param>
/// <param name="Scope">The project, repository or team the stories are in, or null (Jira: the query says it).</param>
/// <param name="EstimateField">The field estimates are written to, or null to discover it.</param>
/// <param name="Points">The team's points for cards (card label → points), or null.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
/// <param name="HasSecret">Whether a secret is stored (it is never shown).</param>
public sealed record TrackerConnectionDto(
    Guid Id,
    string Kind,
    string Name,
    string BaseUrl,
    string? User,
    string? Scope,
    string? EstimateField,
    IReadOnlyDictionary<string, decimal>? Points,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool HasSecret);

/// <summary>Makes or changes a tracker connection.</summary>
/// <param name="Kind">The tracker (see <see cref="TrackerConnectionDto.Kind"/>).</param>
/// <param name="Name">What the team calls it: 1 to 60 characters on one line.</param>
/// <param name="BaseUrl">Where its API is: an absolute https URL (http only where the server allows it), without user name or password, at most 500 characters.</param>
/// <param name="Secret">The API token, PAT or API key (1 to 2,000 characters); required to make one, kept when null or empty on a change.</param>
/// <param name="User">Jira Cloud's account email (required there), at most 200 characters.</param>
/// <param name="Scope">Azure DevOps' project, GitHub's <c>owner/repo</c>, GitLab's project path, Linear's team key (required for those), at most 200 characters.</param>
/// <param name="EstimateField">The field to write estimates to, or null to discover it; at most 200 characters.</param>
/// <param name="Points">Points for cards that are not numbers (card label → points ≥ 0), at most 50.</param>
public sealed record SaveTrackerConnectionRequest(
    string Kind,
    string Name,
    string BaseUrl,
    string? Secret = null,
    string? User = null,
    string? Scope = null,
    string? EstimateField = null,
    IReadOnlyDictionary<string, decimal>? Points = null);

/// <summary>What testing a connection found.</summary>
/// <param name="Account">Who the secret acts as, as the tracker says it.</param>
/// <param name="CanRead">Whether it may read the scope's stories.</param>
/// <param name="CanWrite">Whether it may write an estimate, or null when that cannot be known without writing.</param>
/// <param name="EstimateField">The field estimates will be written to, as the tracker names it.</param>
/// <param name="Notes">Anything else worth knowing when setting it up.</param>
public sealed record TrackerCheckDto(string Account, bool CanRead, bool? CanWrite, string? EstimateField, IReadOnlyList<string> Notes);

/// <summary>Asks a tracker for one page of stories.</summary>
/// <param name="Query">The tracker's query (JQL, WIQL, search words…), at most 2,000 characters; empty for the scope's open stories.</param>
/// <param name="Page">Null for the first page, else <see cref="TrackerSearchPageDto.Next"/> of the previous one.</param>
/// <param name="PageSize">At most this many stories, 1 to 100 (25 when null).</param>
public sealed record TrackerSearchRequest(string? Query = null, string? Page = null, int? PageSize = null);

/// <summary>A story as the tracker has it (untrusted text: render escaped).</summary>
/// <param name="Key">Its key in the tracker (<c>PAY-12</c>, <c>group/project#12</c>).</param>
/// <param name="Title">Its title.</param>
/// <param name="Description">The description's first 300 characters, or null (an import takes it whole).</param>
/// <param name="Link">Its page in the tracker, or null.</param>
/// <param name="Type">Its type, or null.</param>
/// <param name="Status">Its status, or null.</param>
/// <param name="Estimate">The estimate it already has, or null.</param>
public sealed record TrackerIssueDto(string Key, string Title, string? Description, string? Link, string? Type, string? Status, string? Estimate);

/// <summary>One page of a tracker search.</summary>
/// <param name="Issues">Its stories, in the tracker's order.</param>
/// <param name="Next">What to send as <see cref="TrackerSearchRequest.Page"/> for the next page; null on the last.</param>
/// <param name="Total">How many stories the search finds in all, when the tracker says it.</param>
public sealed record TrackerSearchPageDto(IReadOnlyList<TrackerIssueDto> Issues, string? Next, int? Total);

/// <summary>
/// Imports the stories a tracker search finds into a room of the connection's team (or any room, for a personal
/// connection of the account that holds the facilitator's seat), all at once or in steps: a step
/// starts where the previous one stopped (<see cref="Page"/> = its <see cref="ImportReportDto.Next"/>), so that a
/// long import can show its progress and, after a tracker's failure, go on from where it was.
/// </summary>
/// <param name="TrackerId">The connection.</param>
/// <param name="Query">The tracker's query, as for a search.</param>
/// <param name="Limit">At most this many stories (the server's maximum when null).</param>
/// <param name="Page">Null to start at the first story, else <see cref="ImportReportDto.Next"/> of the previous step.</param>
public sealed record ImportFromTrackerRequest(Guid TrackerId, string? Query = null, int? Limit = null, string? Page = null);

/// <summary>
/// A tracker connection a room's facilitator may import from: the room's team's connections (none for an ad-hoc room),
/// then the personal connections of the account that holds the facilitator's seat (none for a guest's seat).
/// </summary>
/// <param name="Id">The connection.</param>
/// <param name="Kind">The tracker (see <see cref="TrackerConnectionDto.Kind"/>).</param>
/// <param name="Name">What the team, or its owner, calls it.</param>
/// <param name="Scope">The project, repository or team its stories are in, or null.</param>
/// <param name="Personal">Whether it is the facilitator's own personal connection rather than the team's.</param>
public sealed record RoomTrackerDto(Guid Id, string Kind, string Name, string? Scope, bool Personal = false);
