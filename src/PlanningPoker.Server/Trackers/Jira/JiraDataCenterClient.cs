using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PlanningPoker.Server.Trackers.Jira;

/// <summary>
/// Jira Data Center / Server, REST v2 with a personal access token (Bearer, Jira 8.14+). Searches with
/// <c>POST /rest/api/2/search</c> (offset paging: the next page's token is its <c>startAt</c>; the total is known);
/// descriptions are wiki markup, read as plain text (docs/trackers/jira.md).
/// </summary>
public sealed class JiraDataCenterClient(IHttpClientFactory httpClientFactory) : JiraClient(httpClientFactory)
{
    /// <inheritdoc />
    public override TrackerKind Kind => TrackerKind.JiraDataCenter;

    /// <inheritdoc />
    protected override string ApiVersion => "2";

    /// <inheritdoc />
    protected override string Product => "Jira";

    /// <summary>The open issues, newest first.</summary>
    protected override string DefaultJql => "statusCategory != Done ORDER BY created DESC";

    /// <inheritdoc />
    protected override void Authorize(HttpRequestMessage request, TrackerConnection connection) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Secret.Trim());

    /// <inheritdoc />
    protected override async Task<TrackerResult<(IReadOnlyList<JsonElement> Issues, string? Next, int? Total)>> SearchPageAsync(
        HttpClient http, TrackerConnection connection, string jql, string? page, int pageSize, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var startAt = 0;
        if (!string.IsNullOrEmpty(page) && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out startAt) || startAt < 0))
        {
            return TrackerResult<(IReadOnlyList<JsonElement>, string?, int?)>.Fail(TrackerFailureKind.Refused, "That is not a page of a Jira search (start over from the first page).");
        }

        var body = new JsonObject
        {
            ["jql"] = jql,
            ["startAt"] = startAt,
            ["maxResults"] = pageSize,
            ["fields"] = new JsonArray([.. fields.Select(f => JsonValue.Create(f))]),
        };
        var answer = await SendAsync(http, connection, HttpMethod.Post, Api("search"), body, ReadJsonAsync, cancellationToken);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        var root = answer.Value ?? default;
        IReadOnlyList<JsonElement> issues = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("issues", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray()]
            : [];
        int? total = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : null;
        var at = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("startAt", out var s) && s.TryGetInt32(out var sa) ? sa : startAt;
        var nextAt = at + issues.Count;
        var next = issues.Count > 0 && (total is null ? issues.Count >= pageSize : nextAt < total) ? nextAt.ToString(CultureInfo.InvariantCulture) : null;
        return TrackerResult<(IReadOnlyList<JsonElement>, string?, int?)>.Ok((issues, next, total));
    }

    /// <inheritdoc />
    protected override string? DescriptionOf(JsonElement description) =>
        description.ValueKind == JsonValueKind.String ? JiraText.FromWiki(description.GetString()) : JiraText.FromAdf(description);
}
