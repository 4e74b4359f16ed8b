using System.Net;

namespace PlanningPoker.Server.Trackers;

/// <summary>The trackers a team can connect (docs/operations.md, "Trackers").</summary>
public enum TrackerKind
{
    /// <summary>Jira Cloud: REST v3, email + API token (Basic).</summary>
    JiraCloud,

    /// <summary>Jira Data Center / Server: REST v2, personal access token (Bearer).</summary>
    JiraDataCenter,

    /// <summary>Azure DevOps Services or Server: personal access token (Basic with an empty user).</summary>
    AzureDevOps,

    /// <summary>GitHub or GitHub Enterprise: token (Bearer).</summary>
    GitHub,

    /// <summary>GitLab.com or self-managed: token (<c>PRIVATE-TOKEN</c>).</summary>
    GitLab,

    /// <summary>Linear: API key (GraphQL).</summary>
    Linear,
}

/// <summary>What a client needs to reach one tracker, with the secret in clear (only ever in memory, never logged).</summary>
/// <param name="Kind">Which tracker.</param>
/// <param name="BaseUrl">
/// Where its API is: <c>https://acme.atlassian.net</c>, <c>https://jira.acme.com</c>, <c>https://dev.azure.com/acme</c>,
/// <c>https://api.github.com</c>, <c>https://gitlab.com</c>, <c>https://api.linear.app</c> (tests point it at a fake).
/// </param>
/// <param name="Secret">The API token, PAT or API key.</param>
/// <param name="User">Jira Cloud's account email; null elsewhere.</param>
/// <param name="Scope">
/// Where the stories are, as the tracker names it: Azure DevOps' project; GitHub's <c>owner/repo</c>; GitLab's project path
/// or id (<c>group/project</c>); Linear's team key (<c>ENG</c>); unused by Jira (the query says it).
/// </param>
/// <param name="EstimateField">
/// Where the estimate is written when the team chose it: a Jira field id (<c>customfield_10016</c>), an Azure DevOps
/// reference name, a GitHub Projects v2 "project number/field name" (<c>3/Estimate</c>); null = discover it.
/// </param>
public sealed record TrackerConnection(TrackerKind Kind, Uri BaseUrl, string Secret, string? User = null, string? Scope = null, string? EstimateField = null)
{
    /// <summary>Never prints the secret (records print every property by default).</summary>
    public override string ToString() => $"{Kind} {BaseUrl}";
}

/// <summary>A story as a tracker has it.</summary>
/// <param name="Key">Its key, unique in the tracker, as people say it: <c>PAY-12</c>, <c>4711</c> (work item id), <c>owner/repo#12</c>, <c>group/project#12</c>, <c>ENG-42</c>.</param>
/// <param name="Title">Its title.</param>
/// <param name="Description">Its description as plain text (Jira's ADF and wiki markup, Azure DevOps' HTML made readable), or null.</param>
/// <param name="Link">The page people open in the tracker, or null.</param>
/// <param name="Type">Its type ("Story", "Bug", "User Story"), or null.</param>
/// <param name="Status">Its status as the tracker names it, or null.</param>
/// <param name="Estimate">The estimate it already has, as the tracker holds it ("5", "0.5", "M"), or null.</param>
public sealed record TrackerIssue(string Key, string Title, string? Description, Uri? Link, string? Type, string? Status, string? Estimate);

/// <summary>One page of a search.</summary>
/// <param name="Issues">The issues of this page, in the tracker's order.</param>
/// <param name="Next">What to pass to get the next page; null on the last page.</param>
/// <param name="Total">How many issues the search finds in all, when the tracker says it (Jira Cloud does not).</param>
public sealed record TrackerPage(IReadOnlyList<TrackerIssue> Issues, string? Next, int? Total);

/// <summary>What "test connection" found.</summary>
/// <param name="Account">Who the token acts as (a name or an email), as the tracker says it.</param>
/// <param name="CanRead">Whether the token may read the stories of the scope.</param>
/// <param name="CanWrite">Whether it may write an estimate, when the tracker says so (null when it cannot be known without writing).</param>
/// <param name="EstimateField">The field estimates will be written to, as the tracker names it ("Story point estimate (customfield_10016)", "weight").</param>
/// <param name="Notes">Anything else a person setting it up should know (e.g. "weight needs GitLab Premium").</param>
public sealed record TrackerCheck(string Account, bool CanRead, bool? CanWrite, string? EstimateField, IReadOnlyList<string> Notes);

/// <summary>The estimate to write: the card accepted and, when it is a number or the team mapped it to one, that number.</summary>
/// <param name="Card">The accepted card as shown ("5", "½", "XL").</param>
/// <param name="Points">Its value in points, or null when the deck's card has none and the team gave it none.</param>
public sealed record EstimateToWrite(string Card, decimal? Points);

/// <summary>What a write did.</summary>
/// <param name="Link">The issue's page, to show beside "written".</param>
/// <param name="Field">The field written ("Story Points", "weight", "label estimate: 5").</param>
public sealed record WriteBackDone(Uri? Link, string Field);

/// <summary>What a tracker knows of a story after its estimate: when it was done, and the time people logged on it.</summary>
/// <param name="Key">The story's key, as in <see cref="TrackerIssue.Key"/>.</param>
/// <param name="DoneAt">
/// When it was done, or null while it is not (or was closed as not done): Jira's <c>resolutiondate</c>, Azure DevOps'
/// <c>Microsoft.VSTS.Common.ClosedDate</c>, GitHub's <c>closed_at</c> when closed as completed, GitLab's <c>closed_at</c>,
/// Linear's <c>completedAt</c>.
/// </param>
/// <param name="Logged">
/// The time logged on it, where the tracker keeps it (Jira's <c>timespent</c>, Azure DevOps' <c>CompletedWork</c> hours,
/// GitLab's <c>time_stats.total_time_spent</c>); null where it does not or nobody logged any.
/// </param>
public sealed record TrackerActual(string Key, DateTimeOffset? DoneAt, TimeSpan? Logged);

/// <summary>Why a call to a tracker failed, which decides whether trying again may help.</summary>
public enum TrackerFailureKind
{
    /// <summary>401: the token is wrong or expired. Not retried.</summary>
    Unauthorized,

    /// <summary>403: the token may not do this. Not retried.</summary>
    Forbidden,

    /// <summary>404 or 410: no such issue, project or endpoint (or not visible to the token). Not retried.</summary>
    NotFound,

    /// <summary>409/412: the issue changed meanwhile. Retried.</summary>
    Conflict,

    /// <summary>429, or a 200/503 with Retry-After (Azure DevOps' delayed mode): retried after <see cref="TrackerFailure.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>5xx, a timeout, a refused connection: retried with back-off.</summary>
    Unavailable,

    /// <summary>The tracker refused the value or the request (400/422, a field not on the screen, a GraphQL error). Not retried.</summary>
    Refused,

    /// <summary>We refuse before calling: the target cannot hold this estimate (GitLab's whole-number weight, Linear's scale, no numeric value for a card). Not retried.</summary>
    CannotHold,
}

/// <summary>A failed call, with the tracker's own reason (safe to show: never the token).</summary>
/// <param name="Kind">What kind of failure, which says whether to retry.</param>
/// <param name="Reason">The tracker's message ("Field 'customfield_10016' cannot be set…"), or ours, one line, at most 500 characters.</param>
/// <param name="Status">The HTTP status, when there was one.</param>
/// <param name="RetryAfter">How long the tracker asked to wait (Retry-After, X-RateLimit-Reset…), when it said.</param>
public sealed record TrackerFailure(TrackerFailureKind Kind, string Reason, HttpStatusCode? Status = null, TimeSpan? RetryAfter = null)
{
    /// <summary>Whether trying the same call again later may succeed.</summary>
    public bool IsTransient => Kind is TrackerFailureKind.RateLimited or TrackerFailureKind.Unavailable or TrackerFailureKind.Conflict;
}

/// <summary>A tracker call's result: a value or a <see cref="TrackerFailure"/>. Clients never throw for what a tracker answers.</summary>
public readonly record struct TrackerResult<T>
{
    private TrackerResult(T? value, TrackerFailure? failure) => (Value, Failure) = (value, failure);

    /// <summary>The value, when the call succeeded.</summary>
    public T? Value { get; }

    /// <summary>The failure, when it did not.</summary>
    public TrackerFailure? Failure { get; }

    /// <summary>Whether the call succeeded.</summary>
    public bool IsSuccess => Failure is null;

    /// <summary>A success.</summary>
    public static TrackerResult<T> Ok(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static TrackerResult<T> Fail(TrackerFailure failure) => new(default, failure);

    /// <summary>A failure, from its parts.</summary>
    public static TrackerResult<T> Fail(TrackerFailureKind kind, string reason, HttpStatusCode? status = null, TimeSpan? retryAfter = null) =>
        new(default, new TrackerFailure(kind, reason, status, retryAfter));

    /// <summary>Makes a failure result of a <see cref="TrackerFailure"/>.</summary>
    public static implicit operator TrackerResult<T>(TrackerFailure failure) => Fail(failure);
}

/// <summary>
/// One tracker's API, as a thin typed <see cref="HttpClient"/> client (no SDK: docs/architecture.md, "Trackers").
/// Implementations are stateless singletons; the connection comes with each call. They never throw for a tracker's
/// answer or a network failure (only for cancellation): every failure is a <see cref="TrackerFailure"/>.
/// </summary>
public interface ITrackerClient
{
    /// <summary>The tracker this client speaks to.</summary>
    TrackerKind Kind { get; }

    /// <summary>Who the token is and what it may do (the "test connection" action).</summary>
    Task<TrackerResult<TrackerCheck>> CheckAsync(TrackerConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the stories a query finds: JQL for Jira; a WIQL query or, when it does not start with SELECT, words
    /// searched in titles for Azure DevOps; a GitHub issue search query (<c>is:issue</c> is added); GitLab's search
    /// words (<c>label:x</c>, <c>milestone:y</c> filters); Linear's words, <c>cycle:current</c> or <c>cycle:N</c>.
    /// An empty query means the scope's open stories.
    /// </summary>
    /// <param name="connection">The tracker.</param>
    /// <param name="query">The query, as typed by a person (at most 2,000 characters).</param>
    /// <param name="page">Null for the first page, else <see cref="TrackerPage.Next"/> of the previous page.</param>
    /// <param name="pageSize">At most this many issues (1–100).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TrackerResult<TrackerPage>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an accepted estimate to one issue. Idempotent: writing the same value twice leaves the issue as once.
    /// Refuses (<see cref="TrackerFailureKind.CannotHold"/>) an estimate the target cannot hold, before calling.
    /// </summary>
    Task<TrackerResult<WriteBackDone>> WriteEstimateAsync(TrackerConnection connection, string issueKey, EstimateToWrite estimate, CancellationToken cancellationToken);

    /// <summary>
    /// What the tracker knows of these stories since they were estimated (estimate vs actual, docs/kpis.md): at most
    /// <see cref="MaxActualKeys"/> keys a call, in one or a few requests; keys the tracker does not find (deleted, moved,
    /// not visible to the token) are left out of the answer, never a failure.
    /// </summary>
    Task<TrackerResult<IReadOnlyList<TrackerActual>>> ActualsAsync(TrackerConnection connection, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>The most keys one <see cref="ActualsAsync"/> call takes.</summary>
    const int MaxActualKeys = 50;
}
