using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PlanningPoker.Server.Trackers.Jira;

/// <summary>
/// Jira Cloud, REST v3 with the account's email and an API token (Basic). Searches with the enhanced
/// <c>POST /rest/api/3/search/jql</c> (token paging, no total: a first page with more after it also asks <c>search/approximate-count</c>;
/// the removed <c>/rest/api/3/search</c> answers 410);
/// descriptions are Atlassian Document Format, read as plain text (docs/trackers/jira.md).
/// </summary>
public sealed class JiraCloudClient(IHttpClientFactory httpClientFactory) : JiraClient(httpClientFactory)
{
    /// <inheritdoc />
    public override TrackerKind Kind => TrackerKind.JiraCloud;

    /// <inheritdoc />
    protected override string ApiVersion => "3";

    /// <inheritdoc />
    protected override string Product => "Jira Cloud";

    /// <summary>Cloud refuses unbounded JQL: the open issues created in the last ten years, newest first.</summary>
    protected override string DefaultJql => "created >= -3650d AND statusCategory != Done ORDER BY created DESC";

    /// <inheritdoc />
    protected override void Authorize(HttpRequestMessage request, TrackerConnection connection) =>
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.User?.Trim()}:{connection.Secret}")));

    /// <inheritdoc />
    protected override TrackerFailure? Misconfigured(TrackerConnection connection) =>
        string.IsNullOrWhiteSpace(connection.User)
            ? new TrackerFailure(TrackerFailureKind.Unauthorized, "Jira Cloud needs the email of the account the API token belongs to (the connection's user).")
            : base.Misconfigured(connection);

    /// <inheritdoc />
    protected override async Task<TrackerResult<(IReadOnlyList<JsonElement> Issues, string? Next, int? Total)>> SearchPageAsync(
        HttpClient http, TrackerConnection connection, string jql, string? page, int pageSize, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["jql"] = jql,
            ["maxResults"] = pageSize,
            ["fields"] = new JsonArray([.. fields.Select(f => JsonValue.Create(f))]),
        };
        if (!string.IsNullOrEmpty(page))
        {
            body["nextPageToken"] = page;
        }

        var answer = await SendAsync(http, connection, HttpMethod.Post, Api("search/jql"), body, ReadJsonAsync, cancellationToken);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        var root = answer.Value ?? default;
        IReadOnlyList<JsonElement> issues = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("issues", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray()]
            : [];
        var isLast = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("isLast", out var last) && last.ValueKind == JsonValueKind.True;
        var next = isLast ? null : TrackerHttp.StringAt(root, "nextPageToken");

        // The search says no total. A first page that is the last one is it; else Jira's approximate count is asked (for
        // an import's progress), and done without when the site does not answer it.
        int? total = null;
        if (string.IsNullOrEmpty(page) && isLast)
        {
            total = issues.Count;
        }
        else if (string.IsNullOrEmpty(page)
            && await SendAsync(http, connection, HttpMethod.Post, Api("search/approximate-count"), new JsonObject { ["jql"] = jql }, ReadJsonAsync, cancellationToken)
                is { Failure: null, Value: { ValueKind: JsonValueKind.Object } counted }
            && counted.TryGetProperty("count", out var number) && number.TryGetInt32(out var n) && n >= issues.Count)
        {
            total = n;
        }

        return TrackerResult<(IReadOnlyList<JsonElement>, string?, int?)>.Ok((issues, string.IsNullOrEmpty(next) ? null : next, total));
    }

    /// <inheritdoc />
    protected override string? DescriptionOf(JsonElement description) => JiraText.FromAdf(description);
}
