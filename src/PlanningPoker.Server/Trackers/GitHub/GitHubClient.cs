using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PlanningPoker.Server.Trackers.GitHub;

/// <summary>
/// GitHub and GitHub Enterprise Server (docs/trackers/github.md): the issue search of REST v3 (<c>GET /search/issues</c>,
/// scoped to the connection's <c>owner/repo</c>, pull requests left out), and the estimate written either to a Projects
/// number field through GraphQL (<c>EstimateField</c> = "project number/field name") or, with no field chosen, as an
/// <c>estimate: N</c> label (GitHub issues have no estimate of their own).
/// </summary>
public sealed class GitHubClient(IHttpClientFactory httpClientFactory) : ITrackerClient
{
    /// <summary>The REST API version asked for (the <c>X-GitHub-Api-Version</c> header).</summary>
    public const string ApiVersion = "2022-11-28";

    /// <summary>What an estimate label starts with.</summary>
    public const string LabelPrefix = "estimate: ";

    /// <summary>The most results GitHub's search gives, whatever <c>total_count</c> says.</summary>
    public const int SearchCap = 1000;

    private const string WriteQuery = """
        query PlanningPokerEstimateTarget($owner: String!, $name: String!, $number: Int!, $project: Int!, $field: String!) {
          repository(owner: $owner, name: $name) {
            issue(number: $number) { id url projectItems(first: 50) { nodes { id project { id number } } } }
            owner {
              ... on Organization { projectV2(number: $project) { id title viewerCanUpdate field(name: $field) { ... on ProjectV2FieldCommon { id name dataType } } } }
              ... on User { projectV2(number: $project) { id title viewerCanUpdate field(name: $field) { ... on ProjectV2FieldCommon { id name dataType } } } }
            }
          }
        }
        """;

    private const string CheckQuery = """
        query PlanningPokerEstimateField($owner: String!, $name: String!, $project: Int!, $field: String!) {
          repository(owner: $owner, name: $name) {
            owner {
              ... on Organization { projectV2(number: $project) { id title viewerCanUpdate field(name: $field) { ... on ProjectV2FieldCommon { id name dataType } } } }
              ... on User { projectV2(number: $project) { id title viewerCanUpdate field(name: $field) { ... on ProjectV2FieldCommon { id name dataType } } } }
            }
          }
        }
        """;

    private const string AddItemMutation = """
        mutation PlanningPokerAddItem($project: ID!, $content: ID!) {
          addProjectV2ItemById(input: { projectId: $project, contentId: $content }) { item { id } }
        }
        """;

    private const string UpdateFieldMutation = """
        mutation PlanningPokerWriteEstimate($project: ID!, $item: ID!, $field: ID!, $value: Float!) {
          updateProjectV2ItemFieldValue(input: { projectId: $project, itemId: $item, fieldId: $field, value: { number: $value } }) { projectV2Item { id } }
        }
        """;

    /// <inheritdoc />
    public TrackerKind Kind => TrackerKind.GitHub;

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerCheck>> CheckAsync(TrackerConnection connection, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        string? scopes = null;
        var user = await TrackerHttp.SendAsync(http, Rest(connection, HttpMethod.Get, "user"), async (response, ct) =>
        {
            scopes = response.Headers.TryGetValues("X-OAuth-Scopes", out var values) ? string.Join(", ", values) : null;
            using var json = await ReadJsonAsync(response, ct);
            return TrackerResult<string>.Ok(TrackerHttp.StringAt(json.RootElement, "login") ?? "(unknown)");
        }, ReasonOf, cancellationToken);
        if (user.Failure is { } userFailure)
        {
            return userFailure;
        }

        var notes = new List<string>();
        if (scopes is not null)
        {
            notes.Add($"token scopes: {(scopes.Length == 0 ? "none" : scopes)}");
        }

        if (Repository(connection.Scope) is not { } repo)
        {
            notes.Add("the scope must be a repository as owner/repo");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(user.Value!, false, false, null, notes));
        }

        var permissions = await TrackerHttp.SendAsync(http, Rest(connection, HttpMethod.Get, $"repos/{Escape(repo.Owner)}/{Escape(repo.Name)}"), async (response, ct) =>
        {
            using var json = await ReadJsonAsync(response, ct);
            var p = json.RootElement.TryGetProperty("permissions", out var value) ? value : default;
            bool Has(string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;
            return TrackerResult<(bool Read, bool Write)>.Ok((Has("pull") || p.ValueKind != JsonValueKind.Object, Has("push") || Has("triage") || Has("maintain") || Has("admin")));
        }, ReasonOf, cancellationToken);
        if (permissions.Failure is { Kind: TrackerFailureKind.NotFound })
        {
            notes.Add($"{repo.Owner}/{repo.Name} does not exist or is not visible to this token");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(user.Value!, false, false, null, notes));
        }

        if (permissions.Failure is { } permissionsFailure)
        {
            return permissionsFailure;
        }

        var (canRead, canWrite) = permissions.Value;
        if (ProjectField(connection.EstimateField) is not { } target)
        {
            notes.Add("GitHub issues have no estimate field: estimates are written as an \"estimate: N\" label (set the estimate field to \"project number/field name\" to write a Projects field instead)");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(user.Value!, canRead, canWrite, $"label {LabelPrefix}<card>", notes));
        }

        if (scopes is not null && !scopes.Split(',', StringSplitOptions.TrimEntries).Contains("project"))
        {
            notes.Add("writing a Projects field needs the token's \"project\" scope");
        }

        var variables = new JsonObject { ["owner"] = repo.Owner, ["name"] = repo.Name, ["project"] = target.Project, ["field"] = target.Field };
        var found = await GraphQLAsync(http, connection, CheckQuery, variables, cancellationToken);
        if (found.Failure is { Kind: TrackerFailureKind.NotFound } notFound)
        {
            notes.Add($"project {target.Project} of {repo.Owner} was not found ({notFound.Reason})");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(user.Value!, canRead, false, null, notes));
        }

        if (found.Failure is { } foundFailure)
        {
            return foundFailure;
        }

        var project = found.Value.TryGetProperty("repository", out var repository) ? ProjectOf(repository) : null;
        if (project is null)
        {
            notes.Add($"project {target.Project} of {repo.Owner} was not found");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(user.Value!, canRead, false, null, notes));
        }

        var field = project.Value.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out _) ? f : (JsonElement?)null;
        if (field is null)
        {
            notes.Add($"project {target.Project} has no field named \"{target.Field}\"");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(user.Value!, canRead, false, null, notes));
        }

        var dataType = TrackerHttp.StringAt(field, "dataType");
        if (dataType != "NUMBER")
        {
            notes.Add($"the field \"{target.Field}\" is a {dataType} field: estimates need a number field");
        }

        var canUpdate = project.Value.TryGetProperty("viewerCanUpdate", out var u) && u.ValueKind == JsonValueKind.True;
        return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(
            user.Value!, canRead, canWrite && canUpdate && dataType == "NUMBER",
            $"Projects field {TrackerHttp.StringAt(field, "name")} (project {target.Project} \"{TrackerHttp.StringAt(project, "title")}\")", notes));
    }

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerPage>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken)
    {
        if (Repository(connection.Scope) is not { } repo)
        {
            return TrackerResult<TrackerPage>.Fail(TrackerFailureKind.Refused, "the scope must be a repository as owner/repo");
        }

        var number = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
        {
            return TrackerResult<TrackerPage>.Fail(TrackerFailureKind.Refused, "not a page of this search");
        }

        var size = Math.Clamp(pageSize, 1, 100);
        if ((long)(number - 1) * size >= SearchCap)
        {
            return TrackerResult<TrackerPage>.Ok(new TrackerPage([], null, null));
        }

        var q = SearchQuery(query, repo);
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var request = Rest(connection, HttpMethod.Get, $"search/issues?q={Uri.EscapeDataString(q)}&per_page={size}&page={number}");
        return await TrackerHttp.SendAsync(http, request, async (response, ct) =>
        {
            using var json = await ReadJsonAsync(response, ct);
            var root = json.RootElement;
            var total = root.TryGetProperty("total_count", out var t) && t.TryGetInt32(out var count) ? count : (int?)null;
            var items = root.TryGetProperty("items", out var i) && i.ValueKind == JsonValueKind.Array ? i : default;
            var issues = new List<TrackerIssue>();
            var received = 0;
            if (items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    received++;
                    if (!item.TryGetProperty("pull_request", out _))
                    {
                        issues.Add(IssueOf(item, repo));
                    }
                }
            }

            var seen = (long)number * size;
            var more = received == size && seen < Math.Min(total ?? int.MaxValue, SearchCap);
            return TrackerResult<TrackerPage>.Ok(new TrackerPage(issues, more ? (number + 1).ToString(CultureInfo.InvariantCulture) : null, total));
        }, ReasonOf, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TrackerResult<WriteBackDone>> WriteEstimateAsync(TrackerConnection connection, string issueKey, EstimateToWrite estimate, CancellationToken cancellationToken)
    {
        if (IssueRef(issueKey, connection.Scope) is not { } issue)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, $"\"{TrackerHttp.Reason(issueKey)}\" is not a GitHub issue key (owner/repo#number)");
        }

        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        if (connection.EstimateField is { Length: > 0 } chosen)
        {
            if (ProjectField(chosen) is not { } target)
            {
                return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, "the estimate field must be \"project number/field name\", e.g. 3/Estimate");
            }

            if (estimate.Points is not { } points)
            {
                return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"the card \"{estimate.Card}\" has no value in points for the number field \"{target.Field}\"");
            }

            return await WriteFieldAsync(http, connection, issue, target, points, cancellationToken);
        }

        var card = TrackerHttp.Reason(estimate.Card);
        if (card is null || card.Contains(',', StringComparison.Ordinal) || LabelPrefix.Length + card.Length > 50)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"the card \"{card}\" cannot be a GitHub label (at most 50 characters, no comma)");
        }

        return await WriteLabelAsync(http, connection, issue, LabelPrefix + card, cancellationToken);
    }

    /// <summary>
    /// <c>GET /repos/{owner}/{repo}/issues/{number}</c> a key: <c>closed_at</c> of an issue closed as completed (a
    /// <c>state_reason</c> of <c>completed</c>, or none on issues closed before GitHub kept one); never a time logged
    /// (GitHub keeps none). Keys that are not issues, and issues not found or deleted (404, 410), are left out.
    /// </summary>
    public async Task<TrackerResult<IReadOnlyList<TrackerActual>>> ActualsAsync(TrackerConnection connection, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (TrackerHttp.TooManyKeys(keys) is { } tooMany)
        {
            return tooMany;
        }

        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var actuals = new List<TrackerActual>();
        foreach (var key in keys.Select(k => k.Trim()).Distinct(StringComparer.Ordinal))
        {
            if (IssueRef(key, connection.Scope) is not { } issueRef)
            {
                continue;
            }

            var (owner, name, number) = issueRef;
            using var request = Rest(connection, HttpMethod.Get, $"repos/{Escape(owner)}/{Escape(name)}/issues/{number}");
            var read = await TrackerHttp.SendAsync(http, request, async (response, ct) =>
            {
                using var json = await ReadJsonAsync(response, ct);
                var issue = json.RootElement;
                var done = TrackerHttp.StringAt(issue, "state") == "closed" && TrackerHttp.StringAt(issue, "state_reason") is null or "completed";
                return TrackerResult<TrackerActual>.Ok(new TrackerActual(key, done ? TrackerHttp.DateAt(issue, "closed_at") : null, null));
            }, ReasonOf, cancellationToken);
            if (read.Failure is { Kind: TrackerFailureKind.NotFound })
            {
                continue;
            }

            if (read.Failure is { } failure)
            {
                return failure;
            }

            actuals.Add(read.Value!);
        }

        return TrackerResult<IReadOnlyList<TrackerActual>>.Ok(actuals);
    }

    private static async Task<TrackerResult<WriteBackDone>> WriteFieldAsync(
        HttpClient http, TrackerConnection connection, (string Owner, string Name, int Number) issue, (int Project, string Field) target, decimal points, CancellationToken cancellationToken)
    {
        var variables = new JsonObject { ["owner"] = issue.Owner, ["name"] = issue.Name, ["number"] = issue.Number, ["project"] = target.Project, ["field"] = target.Field };
        var found = await GraphQLAsync(http, connection, WriteQuery, variables, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var repository = found.Value.TryGetProperty("repository", out var r) ? r : default;
        if (repository.ValueKind != JsonValueKind.Object || !repository.TryGetProperty("issue", out var node) || node.ValueKind != JsonValueKind.Object)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.NotFound, $"{issue.Owner}/{issue.Name}#{issue.Number} was not found");
        }

        if (ProjectOf(repository) is not { } project)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.NotFound, $"project {target.Project} of {issue.Owner} was not found");
        }

        if (!project.TryGetProperty("field", out var field) || field.ValueKind != JsonValueKind.Object || TrackerHttp.StringAt(field, "id") is not { } fieldId)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.NotFound, $"project {target.Project} has no field named \"{target.Field}\"");
        }

        if (TrackerHttp.StringAt(field, "dataType") is var dataType && dataType != "NUMBER")
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"the field \"{target.Field}\" is a {dataType} field, not a number field");
        }

        var projectId = TrackerHttp.StringAt(project, "id");
        var link = UriOf(TrackerHttp.StringAt(node, "url"));
        string? itemId = null;
        if (node.TryGetProperty("projectItems", out var items) && items.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
        {
            itemId = nodes.EnumerateArray()
                .Where(n => n.ValueKind == JsonValueKind.Object && n.TryGetProperty("project", out var p) && p.ValueKind == JsonValueKind.Object && TrackerHttp.StringAt(p, "id") == projectId)
                .Select(n => TrackerHttp.StringAt(n, "id"))
                .FirstOrDefault();
        }

        if (itemId is null)
        {
            var added = await GraphQLAsync(http, connection, AddItemMutation, new JsonObject { ["project"] = projectId, ["content"] = TrackerHttp.StringAt(node, "id") }, cancellationToken);
            if (added.Failure is { } addFailure)
            {
                return addFailure;
            }

            itemId = added.Value.TryGetProperty("addProjectV2ItemById", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("item", out var item)
                ? TrackerHttp.StringAt(item, "id") : null;
            if (itemId is null)
            {
                return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, $"the issue could not be added to project {target.Project}");
            }
        }

        var updated = await GraphQLAsync(
            http, connection, UpdateFieldMutation, new JsonObject { ["project"] = projectId, ["item"] = itemId, ["field"] = fieldId, ["value"] = points }, cancellationToken);
        return updated.Failure is { } updateFailure
            ? updateFailure
            : TrackerResult<WriteBackDone>.Ok(new WriteBackDone(link, $"Projects field {TrackerHttp.StringAt(field, "name") ?? target.Field}"));
    }

    private static async Task<TrackerResult<WriteBackDone>> WriteLabelAsync(
        HttpClient http, TrackerConnection connection, (string Owner, string Name, int Number) issue, string label, CancellationToken cancellationToken)
    {
        var repoPath = $"repos/{Escape(issue.Owner)}/{Escape(issue.Name)}";
        var issuePath = $"{repoPath}/issues/{issue.Number}";
        var current = await TrackerHttp.SendAsync(http, Rest(connection, HttpMethod.Get, issuePath), async (response, ct) =>
        {
            using var json = await ReadJsonAsync(response, ct);
            return TrackerResult<(Uri? Link, List<string> Labels)>.Ok((UriOf(TrackerHttp.StringAt(json.RootElement, "html_url")), LabelsOf(json.RootElement)));
        }, ReasonOf, cancellationToken);
        if (current.Failure is { } failure)
        {
            return failure;
        }

        var (link, labels) = current.Value;
        var done = TrackerResult<WriteBackDone>.Ok(new WriteBackDone(link, $"label {label}"));
        if (!labels.Contains(label, StringComparer.OrdinalIgnoreCase))
        {
            var created = await TrackerHttp.SendAsync(
                http, Rest(connection, HttpMethod.Post, $"{repoPath}/labels", new JsonObject { ["name"] = label, ["color"] = "ededed", ["description"] = "Planning poker estimate" }),
                (_, _) => Task.FromResult(TrackerResult<bool>.Ok(true)), ReasonOf, cancellationToken);
            if (created.Failure is { } createFailure && !(createFailure.Status == HttpStatusCode.UnprocessableEntity && createFailure.Reason.Contains("already_exists", StringComparison.Ordinal)))
            {
                return createFailure;
            }
        }

        foreach (var other in labels.Where(l => l.StartsWith(LabelPrefix, StringComparison.OrdinalIgnoreCase) && !string.Equals(l, label, StringComparison.OrdinalIgnoreCase)))
        {
            var removed = await TrackerHttp.SendAsync(
                http, Rest(connection, HttpMethod.Delete, $"{issuePath}/labels/{Escape(other)}"), (_, _) => Task.FromResult(TrackerResult<bool>.Ok(true)), ReasonOf, cancellationToken);
            if (removed.Failure is { Kind: not TrackerFailureKind.NotFound } removeFailure)
            {
                return removeFailure;
            }
        }

        if (labels.Contains(label, StringComparer.OrdinalIgnoreCase))
        {
            return done;
        }

        var add = await TrackerHttp.SendAsync(
            http, Rest(connection, HttpMethod.Post, $"{issuePath}/labels", new JsonObject { ["labels"] = new JsonArray(label) }),
            (_, _) => Task.FromResult(TrackerResult<bool>.Ok(true)), ReasonOf, cancellationToken);
        return add.Failure is { } addFailure ? addFailure : done;
    }

    /// <summary>The search query GitHub gets: the person's, with the repository, <c>is:issue</c>, and <c>is:open</c> unless it says a state.</summary>
    internal static string SearchQuery(string? query, (string Owner, string Name) repo)
    {
        var words = (query ?? "").Trim();
        var parts = new List<string>();
        if (words.Length > 0)
        {
            parts.Add(words);
        }

        parts.Add($"repo:{repo.Owner}/{repo.Name}");
        parts.Add("is:issue");
        var tokens = words.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!tokens.Any(t => t.Equals("is:open", StringComparison.OrdinalIgnoreCase) || t.Equals("is:closed", StringComparison.OrdinalIgnoreCase)
            || t.StartsWith("state:", StringComparison.OrdinalIgnoreCase)))
        {
            parts.Add("is:open");
        }

        return string.Join(' ', parts);
    }

    private static TrackerIssue IssueOf(JsonElement item, (string Owner, string Name) repo)
    {
        var number = item.TryGetProperty("number", out var n) && n.TryGetInt32(out var value) ? value : 0;
        var labels = LabelsOf(item);
        var estimate = labels.Where(l => l.StartsWith(LabelPrefix, StringComparison.OrdinalIgnoreCase)).Select(l => l[LabelPrefix.Length..].Trim()).FirstOrDefault(l => l.Length > 0);
        var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Object ? TrackerHttp.StringAt(t, "name") : null;
        return new TrackerIssue(
            $"{repo.Owner}/{repo.Name}#{number}",
            MarkdownText.Title(TrackerHttp.StringAt(item, "title")),
            MarkdownText.Description(TrackerHttp.StringAt(item, "body")),
            UriOf(TrackerHttp.StringAt(item, "html_url")),
            type,
            TrackerHttp.StringAt(item, "state"),
            estimate);
    }

    private static List<string> LabelsOf(JsonElement issue)
    {
        var labels = new List<string>();
        if (issue.TryGetProperty("labels", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var label in array.EnumerateArray())
            {
                var name = label.ValueKind == JsonValueKind.String ? label.GetString() : TrackerHttp.StringAt(label, "name");
                if (!string.IsNullOrEmpty(name))
                {
                    labels.Add(name);
                }
            }
        }

        return labels;
    }

    private static JsonElement? ProjectOf(JsonElement repository) =>
        repository.ValueKind == JsonValueKind.Object && repository.TryGetProperty("owner", out var owner) && owner.ValueKind == JsonValueKind.Object
            && owner.TryGetProperty("projectV2", out var project) && project.ValueKind == JsonValueKind.Object ? project : null;

    /// <summary>Sends a GraphQL request; GitHub's <c>errors</c> in a 200 answer become failures by their <c>type</c>.</summary>
    private static async Task<TrackerResult<JsonElement>> GraphQLAsync(HttpClient http, TrackerConnection connection, string query, JsonObject variables, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, GraphQLUrl(connection.BaseUrl))
        {
            Content = new StringContent(new JsonObject { ["query"] = query, ["variables"] = variables }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        Authorize(request, connection);
        return await TrackerHttp.SendAsync(http, request, async (response, ct) =>
        {
            using var json = await ReadJsonAsync(response, ct);
            var root = json.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var type = TrackerHttp.StringAt(first, "type");
                var kind = type switch
                {
                    "RATE_LIMITED" => TrackerFailureKind.RateLimited,
                    "NOT_FOUND" => TrackerFailureKind.NotFound,
                    "FORBIDDEN" or "INSUFFICIENT_SCOPES" => TrackerFailureKind.Forbidden,
                    _ => TrackerFailureKind.Refused,
                };
                var wait = kind == TrackerFailureKind.RateLimited ? ResetOf(response) : null;
                return TrackerResult<JsonElement>.Fail(kind, TrackerHttp.Reason(TrackerHttp.StringAt(first, "message")) ?? type ?? "GitHub refused the request", response.StatusCode, wait);
            }

            return root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? TrackerResult<JsonElement>.Ok(data.Clone())
                : TrackerResult<JsonElement>.Fail(TrackerFailureKind.Unavailable, "GitHub answered without data", response.StatusCode);
        }, ReasonOf, cancellationToken);
    }

    /// <summary>When GitHub's GraphQL limit resets (<c>x-ratelimit-reset</c>, Unix seconds), from now.</summary>
    private static TimeSpan? ResetOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        return response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            && DateTimeOffset.FromUnixTimeSeconds(Math.Min(unix, 253402300799)) - DateTimeOffset.UtcNow is var wait
            ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero)
            : null;
    }

    /// <summary>GitHub's REST error: <c>message</c>, with the first of <c>errors</c> (its <c>code</c> or <c>message</c>) when there is one.</summary>
    private static string? ReasonOf(JsonElement? body)
    {
        var message = TrackerHttp.StringAt(body, "message");
        if (body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            var detail = first.ValueKind == JsonValueKind.String ? first.GetString() : TrackerHttp.StringAt(first, "message") ?? TrackerHttp.StringAt(first, "code");
            message = message is null ? detail : detail is null ? message : $"{message}: {detail}";
        }

        return message;
    }

    private static HttpRequestMessage Rest(TrackerConnection connection, HttpMethod method, string pathAndQuery, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Root(connection.BaseUrl), pathAndQuery));
        Authorize(request, connection);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static void Authorize(HttpRequestMessage request, TrackerConnection connection)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Secret);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
    }

    private static Uri Root(Uri baseUrl) => new(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");

    /// <summary>GitHub's GraphQL endpoint: <c>{base}/graphql</c>, or <c>https://host/api/graphql</c> for Enterprise Server's <c>https://host/api/v3</c>.</summary>
    internal static Uri GraphQLUrl(Uri baseUrl)
    {
        var root = Root(baseUrl).AbsoluteUri;
        return root.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase)
            ? new Uri(string.Concat(root.AsSpan(0, root.Length - "v3/".Length), "graphql"))
            : new Uri(root + "graphql");
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));

    private static (string Owner, string Name)? Repository(string? scope)
    {
        var parts = (scope ?? "").Trim().Trim('/').Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0 && !p.Any(char.IsWhiteSpace)) ? (parts[0], parts[1]) : null;
    }

    /// <summary>"owner/repo#12", or "#12" / "12" in the connection's repository.</summary>
    private static (string Owner, string Name, int Number)? IssueRef(string key, string? scope)
    {
        var text = key.Trim();
        var hash = text.LastIndexOf('#');
        var repoPart = hash < 0 ? "" : text[..hash];
        var numberPart = hash < 0 ? text : text[(hash + 1)..];
        if (!int.TryParse(numberPart, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return null;
        }

        return Repository(repoPart.Length > 0 ? repoPart : scope) is { } repo ? (repo.Owner, repo.Name, number) : null;
    }

    private static (int Project, string Field)? ProjectField(string? estimateField)
    {
        var text = (estimateField ?? "").Trim();
        var slash = text.IndexOf('/');
        return slash > 0 && int.TryParse(text[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var project) && project > 0 && text[(slash + 1)..].Trim() is { Length: > 0 } field
            ? (project, field)
            : null;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static Uri? UriOf(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;
}
