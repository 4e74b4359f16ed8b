using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PlanningPoker.Server.Trackers.GitLab;

/// <summary>
/// GitLab.com or self-managed, REST API v4 with a personal, project or group access token in <c>PRIVATE-TOKEN</c>
/// (docs/trackers/gitlab.md): a project's (or a group's) open issues, and the estimate written as the issue's weight, a
/// whole number of at least 0 that GitLab keeps on Premium and Ultimate only.
/// </summary>
public sealed class GitLabClient(IHttpClientFactory httpClientFactory) : ITrackerClient
{
    /// <summary>The prefix of a scope that names a group rather than a project (<c>group:acme/platform</c>).</summary>
    public const string GroupPrefix = "group:";

    /// <summary>The lowest role that may set an issue's weight: Planner (15, GitLab 17.7+); Reporter is 20.</summary>
    public const int PlannerAccessLevel = 15;

    private const int MaxTitle = 200;
    private const int MaxDescription = 10_000;
    private const string WeightNeedsPremium = "GitLab keeps an issue's weight on Premium and Ultimate only: this GitLab did not keep it.";

    /// <inheritdoc />
    public TrackerKind Kind => TrackerKind.GitLab;

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerCheck>> CheckAsync(TrackerConnection connection, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var user = await SendAsync(http, connection, HttpMethod.Get, $"{Api(connection)}/user", null, cancellationToken);
        if (user.Failure is { } failure)
        {
            return failure;
        }

        var username = TrackerHttp.StringAt(user.Value, "username");
        var name = TrackerHttp.StringAt(user.Value, "name");
        var account = username is null ? name ?? "(unknown)" : name is null ? username : $"{name} (@{username})";
        var notes = new List<string>();
        if (connection.Scope is not { Length: > 0 } scope)
        {
            notes.Add("No project is set: set the project path (group/project), its id, or group:path for a group's issues.");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, false, null, "weight", notes));
        }

        var (resource, path) = ResourceOf(scope);
        var read = await SendAsync(http, connection, HttpMethod.Get, $"{Api(connection)}/{resource}/{path}", null, cancellationToken);
        if (read.Failure is { Kind: not (TrackerFailureKind.NotFound or TrackerFailureKind.Forbidden) } readFailure)
        {
            return readFailure;
        }

        if (read.Failure is { } cannotRead)
        {
            notes.Add($"\"{scope}\" cannot be read: {cannotRead.Reason}");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, false, false, "weight", notes));
        }

        bool? canWrite = null;
        if (resource == "projects")
        {
            var level = Math.Max(AccessLevel(read.Value, "project_access"), AccessLevel(read.Value, "group_access"));
            canWrite = level >= PlannerAccessLevel;
            if (!canWrite.Value)
            {
                notes.Add("Setting an issue's weight needs the Planner, Reporter or a higher role in the project.");
            }
        }
        else
        {
            notes.Add("For a group, GitLab says the role in each project, not in the group: write access is known on the first write.");
        }

        // Free tier: issues come without "weight" at all.
        var sample = await SendAsync(http, connection, HttpMethod.Get, $"{Api(connection)}/{resource}/{path}/issues?per_page=1", null, cancellationToken);
        if (sample.Value is { ValueKind: JsonValueKind.Array } issues && issues.GetArrayLength() > 0 && !issues[0].TryGetProperty("weight", out _))
        {
            notes.Add(WeightNeedsPremium);
        }

        return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, true, canWrite, "weight", notes));
    }

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerPage>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken)
    {
        if (connection.Scope is not { Length: > 0 } scope)
        {
            return TrackerResult<TrackerPage>.Fail(TrackerFailureKind.Refused, "no GitLab project is set");
        }

        var number = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
        {
            return TrackerResult<TrackerPage>.Fail(TrackerFailureKind.Refused, "this page of the search does not exist");
        }

        pageSize = Math.Clamp(pageSize, 1, 100);
        var (resource, path) = ResourceOf(scope);
        var url = new StringBuilder($"{Api(connection)}/{resource}/{path}/issues?state=opened&order_by=created_at&sort=asc");
        url.Append(CultureInfo.InvariantCulture, $"&per_page={pageSize}&page={number}");
        var (labels, milestoneTitle, typedWords) = ParseQuery(query);
        if (labels.Count > 0)
        {
            url.Append("&labels=").Append(Uri.EscapeDataString(string.Join(',', labels)));
        }

        if (milestoneTitle is { } milestone)
        {
            url.Append("&milestone=").Append(Uri.EscapeDataString(milestone));
        }

        if (typedWords is { } words)
        {
            url.Append("&search=").Append(Uri.EscapeDataString(words));
        }

        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        using var request = Request(connection, HttpMethod.Get, url.ToString(), null);
        return await TrackerHttp.SendAsync(
            http,
            request,
            async (response, ct) =>
            {
                var body = await ReadJsonAsync(response, ct);
                var issues = body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().Select(i => IssueOf(scope, i)).ToList() : [];

                // x-next-page is empty on the last page; x-total is left out past 10,000 issues.
                var next = Header(response, "x-next-page");
                var total = int.TryParse(Header(response, "x-total"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : (int?)null;
                return TrackerResult<TrackerPage>.Ok(new TrackerPage(issues, string.IsNullOrEmpty(next) ? null : next, total));
            },
            ReasonOf,
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TrackerResult<WriteBackDone>> WriteEstimateAsync(TrackerConnection connection, string issueKey, EstimateToWrite estimate, CancellationToken cancellationToken)
    {
        if (estimate.Points is not { } points)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"the card \"{estimate.Card}\" has no number of points, and GitLab's weight holds whole numbers");
        }

        if (points != decimal.Truncate(points) || points < 0 || points > int.MaxValue)
        {
            return TrackerResult<WriteBackDone>.Fail(
                TrackerFailureKind.CannotHold, $"GitLab's weight holds whole numbers of 0 or more, not {points.ToString(CultureInfo.InvariantCulture)}");
        }

        if (IssueRef(issueKey, connection.Scope) is not { } issueRef)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"\"{issueKey}\" is not a GitLab issue (group/project#12)");
        }

        var (project, iid) = issueRef;
        var weight = (int)points;
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        using var request = Request(connection, HttpMethod.Put, $"{Api(connection)}/projects/{Uri.EscapeDataString(project)}/issues/{iid}", new JsonObject { ["weight"] = weight });
        return await TrackerHttp.SendAsync(
            http,
            request,
            async (response, ct) =>
            {
                var issue = await ReadJsonAsync(response, ct);

                // Free tier takes the request and leaves the weight out: nothing was written.
                if (!issue.TryGetProperty("weight", out var written) || written.ValueKind != JsonValueKind.Number || written.GetInt32() != weight)
                {
                    return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, WeightNeedsPremium, response.StatusCode);
                }

                var link = TrackerHttp.StringAt(issue, "web_url") is { } web && Uri.TryCreate(web, UriKind.Absolute, out var uri) ? uri : null;
                return TrackerResult<WriteBackDone>.Ok(new WriteBackDone(link, "weight"));
            },
            ReasonOf,
            cancellationToken);
    }

    /// <summary>
    /// One <c>GET /projects/:id/issues?iids[]=…</c> a project of the keys: <c>closed_at</c> of a closed issue, and
    /// <c>time_stats.total_time_spent</c> (seconds). Keys that are not issues, issues not found, moved away
    /// (<c>moved_to_id</c>), or in a project not found are left out.
    /// </summary>
    public async Task<TrackerResult<IReadOnlyList<TrackerActual>>> ActualsAsync(TrackerConnection connection, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (TrackerHttp.TooManyKeys(keys) is { } tooMany)
        {
            return tooMany;
        }

        var asked = keys.Select(k => k.Trim()).Distinct(StringComparer.Ordinal)
            .Select(k => (Key: k, Ref: IssueRef(k, connection.Scope)))
            .Where(k => k.Ref is not null)
            .Select(k => (k.Key, Project: k.Ref!.Value.Project.Trim('/'), k.Ref.Value.Iid))
            .ToList();
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var found = new Dictionary<string, TrackerActual>(StringComparer.Ordinal);
        foreach (var project in asked.GroupBy(k => k.Project, StringComparer.OrdinalIgnoreCase))
        {
            var iids = project.Select(k => k.Iid).Distinct().ToList();
            var url = $"{Api(connection)}/projects/{Uri.EscapeDataString(project.Key)}/issues?{string.Join('&', iids.Select(i => $"iids[]={i}"))}&per_page=100";
            var issues = await SendAsync(http, connection, HttpMethod.Get, url, null, cancellationToken);
            if (issues.Failure is { Kind: TrackerFailureKind.NotFound })
            {
                continue; // the project was deleted, moved or is not visible: its stories are not found
            }

            if (issues.Failure is { } failure)
            {
                return failure;
            }

            if (issues.Value.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var issue in issues.Value.EnumerateArray())
            {
                if (!issue.TryGetProperty("iid", out var i) || !i.TryGetInt32(out var iid)
                    || (issue.TryGetProperty("moved_to_id", out var moved) && moved.ValueKind != JsonValueKind.Null))
                {
                    continue;
                }

                var doneAt = TrackerHttp.StringAt(issue, "state") == "closed" ? TrackerHttp.DateAt(issue, "closed_at") : null;
                var logged = issue.TryGetProperty("time_stats", out var stats) ? TrackerHttp.SecondsAt(stats, "total_time_spent") : null;
                foreach (var (key, _, _) in project.Where(k => k.Iid == iid))
                {
                    found[key] = new TrackerActual(key, doneAt, logged);
                }
            }
        }

        return TrackerResult<IReadOnlyList<TrackerActual>>.Ok([.. asked.Where(k => found.ContainsKey(k.Key)).Select(k => found[k.Key])]);
    }

    /// <summary>The filters of a typed query: <c>label:x</c> (several: all must match), <c>milestone:"Sprint 3"</c>, and the other words searched in titles and descriptions.</summary>
    public static (IReadOnlyList<string> Labels, string? Milestone, string? Words) ParseQuery(string query)
    {
        var labels = new List<string>();
        string? milestone = null;
        var words = new List<string>();
        var i = 0;
        while (i < query.Length)
        {
            if (char.IsWhiteSpace(query[i]))
            {
                i++;
                continue;
            }

            var token = Token(query, ref i);
            if (token.StartsWith("label:", StringComparison.OrdinalIgnoreCase) && token.Length > 6)
            {
                labels.Add(Unquote(token[6..]));
            }
            else if (token.StartsWith("milestone:", StringComparison.OrdinalIgnoreCase) && token.Length > 10)
            {
                milestone = Unquote(token[10..]);
            }
            else
            {
                words.Add(Unquote(token));
            }
        }

        return (labels, milestone, words.Count == 0 ? null : string.Join(' ', words));
    }

    /// <summary>The API's root: <c>{base}/api/v4</c>, unless the base already ends with it.</summary>
    private static string Api(TrackerConnection connection)
    {
        var root = connection.BaseUrl.AbsoluteUri.TrimEnd('/');
        return root.EndsWith("/api/v4", StringComparison.OrdinalIgnoreCase) ? root : root + "/api/v4";
    }

    /// <summary>The project and iid of a key: <c>group/project#12</c>, or <c>#12</c> / <c>12</c> in the connection's project (not a group).</summary>
    private static (string Project, int Iid)? IssueRef(string issueKey, string? scope)
    {
        var hash = issueKey.LastIndexOf('#');
        var project = hash > 0 ? issueKey[..hash] : scope is { Length: > 0 } s && !s.StartsWith(GroupPrefix, StringComparison.OrdinalIgnoreCase) ? s : null;
        return project is null || !int.TryParse(issueKey[(hash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var iid) || iid <= 0
            ? null
            : (project, iid);
    }

    private static (string Resource, string Path) ResourceOf(string scope) =>
        scope.StartsWith(GroupPrefix, StringComparison.OrdinalIgnoreCase)
            ? ("groups", Uri.EscapeDataString(scope[GroupPrefix.Length..].Trim().Trim('/')))
            : ("projects", Uri.EscapeDataString(scope.Trim().Trim('/')));

    private static string Token(string query, ref int i)
    {
        var start = i;
        var quoted = false;
        while (i < query.Length && (quoted || !char.IsWhiteSpace(query[i])))
        {
            if (query[i] == '"')
            {
                quoted = !quoted;
            }

            i++;
        }

        return query[start..i];
    }

    private static string Unquote(string text) => text.Replace("\"", "", StringComparison.Ordinal);

    private static int AccessLevel(JsonElement project, string which) =>
        project.TryGetProperty("permissions", out var permissions) && permissions.ValueKind == JsonValueKind.Object
        && permissions.TryGetProperty(which, out var access) && access.ValueKind == JsonValueKind.Object
        && access.TryGetProperty("access_level", out var level) && level.TryGetInt32(out var n) ? n : 0;

    private static TrackerIssue IssueOf(string scope, JsonElement issue)
    {
        var iid = issue.TryGetProperty("iid", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var key = issue.TryGetProperty("references", out var references) ? TrackerHttp.StringAt(references, "full") : null;
        var title = TrackerHttp.StringAt(issue, "title") ?? $"Issue {iid}";
        var description = TrackerHttp.StringAt(issue, "description");
        var link = TrackerHttp.StringAt(issue, "web_url") is { } web && Uri.TryCreate(web, UriKind.Absolute, out var uri) ? uri : null;
        var weight = issue.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetInt32().ToString(CultureInfo.InvariantCulture) : null;
        return new TrackerIssue(
            key ?? $"{scope}#{iid}",
            Cut(title, MaxTitle),
            string.IsNullOrWhiteSpace(description) ? null : Cut(description.Trim(), MaxDescription),
            link,
            TrackerHttp.StringAt(issue, "issue_type"),
            TrackerHttp.StringAt(issue, "state"),
            weight);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    /// <summary>GitLab's error bodies: <c>{"message": "404 Project Not Found"}</c>, <c>{"message": {"weight": ["…"]}}</c>, <c>{"error": "invalid_token", "error_description": "…"}</c>.</summary>
    private static string? ReasonOf(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } error)
        {
            return null;
        }

        if (error.TryGetProperty("message", out var message))
        {
            if (message.ValueKind == JsonValueKind.String)
            {
                return message.GetString();
            }

            if (message.ValueKind == JsonValueKind.Object)
            {
                return string.Join("; ", message.EnumerateObject().Select(p =>
                    $"{p.Name} {(p.Value.ValueKind == JsonValueKind.Array ? string.Join(", ", p.Value.EnumerateArray().Select(e => e.ToString())) : p.Value.ToString())}"));
            }
        }

        return TrackerHttp.StringAt(error, "error_description") ?? TrackerHttp.StringAt(error, "error");
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }

    private static HttpRequestMessage Request(TrackerConnection connection, HttpMethod method, string url, JsonNode? body)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("PRIVATE-TOKEN", connection.Secret);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static async Task<TrackerResult<JsonElement>> SendAsync(
        HttpClient http, TrackerConnection connection, HttpMethod method, string url, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = Request(connection, method, url, body);
        return await TrackerHttp.SendAsync(http, request, async (response, ct) => TrackerResult<JsonElement>.Ok(await ReadJsonAsync(response, ct)), ReasonOf, cancellationToken);
    }
}
