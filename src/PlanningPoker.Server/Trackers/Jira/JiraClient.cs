using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PlanningPoker.Server.Trackers.Jira;

/// <summary>A field that can hold story points, as Jira's field list names it.</summary>
/// <param name="Id">Its id (<c>customfield_10016</c>).</param>
/// <param name="Name">Its name ("Story point estimate", "Story Points").</param>
/// <param name="IsStoryPointsType">Whether its type is Jira Software's story points (<see cref="JiraClient.StoryPointsType"/>).</param>
public sealed record JiraField(string Id, string Name, bool IsStoryPointsType = false)
{
    /// <summary>"Story point estimate (customfield_10016)".</summary>
    public override string ToString() => $"{Name} ({Id})";
}

/// <summary>
/// What Jira Cloud (REST v3) and Jira Data Center (REST v2) share: the same issue, field, permission and edit routes
/// under <c>/rest/api/{version}</c>, the story-points field found by name (team-managed "Story point estimate",
/// company-managed "Story Points", or Jira Software's story-points type) and, for a write, the one the issue's edit
/// screen has; ErrorCollection error bodies. The flavours differ in authentication, search paging and description
/// format (docs/trackers/jira.md).
/// </summary>
public abstract partial class JiraClient(IHttpClientFactory httpClientFactory) : ITrackerClient
{
    /// <summary>The names of the story-points fields, best first: team-managed projects' and company-managed projects'.</summary>
    public static readonly string[] StoryPointNames = ["Story point estimate", "Story Points"];

    /// <summary>Jira Software's story-points custom field type.</summary>
    public const string StoryPointsType = "com.pyxis.greenhopper.jira:jsw-story-points";

    private const int MaxTitle = 200;
    private const int MaxDescription = 10_000;
    private static readonly TimeSpan FieldsKeptFor = TimeSpan.FromMinutes(5);
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<JiraField> Fields)> FieldsBySite = new();

    /// <inheritdoc />
    public abstract TrackerKind Kind { get; }

    /// <summary>"3" for Cloud, "2" for Data Center.</summary>
    protected abstract string ApiVersion { get; }

    /// <summary>The product's name in messages.</summary>
    protected abstract string Product { get; }

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerCheck>> CheckAsync(TrackerConnection connection, CancellationToken cancellationToken)
    {
        if (Misconfigured(connection) is { } wrong)
        {
            return wrong;
        }

        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var me = await SendAsync(http, connection, HttpMethod.Get, Api("myself"), null, ReadJsonAsync, cancellationToken);
        if (me.Failure is { } meFailure)
        {
            return meFailure;
        }

        var name = TrackerHttp.StringAt(me.Value, "displayName");
        var email = TrackerHttp.StringAt(me.Value, "emailAddress");
        var account = (name, email) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) when !string.Equals(name, email, StringComparison.OrdinalIgnoreCase) => $"{name} ({email})",
            ({ Length: > 0 }, _) => name,
            (_, { Length: > 0 }) => email,
            _ => TrackerHttp.StringAt(me.Value, "name") ?? TrackerHttp.StringAt(me.Value, "accountId") ?? "(unknown)",
        };

        var permissions = await SendAsync(http, connection, HttpMethod.Get, Api("mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES"), null, ReadJsonAsync, cancellationToken);
        if (permissions.Failure is { } permissionsFailure)
        {
            return permissionsFailure;
        }

        var canRead = Has(permissions.Value, "BROWSE_PROJECTS") ?? false;
        var canWrite = Has(permissions.Value, "EDIT_ISSUES");

        var fields = await FieldsAsync(http, connection, cancellationToken);
        if (fields.Failure is { } fieldsFailure)
        {
            return fieldsFailure;
        }

        var notes = new List<string>();
        string? estimateField;
        if (connection.EstimateField is { Length: > 0 } chosen)
        {
            var known = fields.Value!.FirstOrDefault(f => f.Id == chosen);
            estimateField = (known ?? new JiraField(chosen, chosen)).ToString();
            if (known is null)
            {
                notes.Add($"The field {chosen} is not in {Product}'s field list: check its id.");
            }
        }
        else
        {
            var candidates = StoryPointFields(fields.Value!);
            estimateField = candidates.Count > 0 ? candidates[0].ToString() : null;
            if (candidates.Count == 0)
            {
                notes.Add($"No story points field was found in {Product}: set the estimate field's id in the connection.");
            }
            else if (candidates.Count > 1)
            {
                notes.Add($"Each issue gets the story points field its edit screen has: {string.Join(", ", candidates)}.");
            }
        }

        if (!canRead)
        {
            notes.Add("The token may not browse any project.");
        }

        if (canWrite == false)
        {
            notes.Add("The token may not edit issues, so estimates cannot be written back.");
        }

        return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, canRead, canWrite, estimateField, notes));
    }

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerPage>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken)
    {
        if (Misconfigured(connection) is { } wrong)
        {
            return wrong;
        }

        pageSize = Math.Clamp(pageSize, 1, 100);
        var jql = string.IsNullOrWhiteSpace(query) ? DefaultJql : query.Trim();
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);

        var fields = await FieldsAsync(http, connection, cancellationToken);
        if (fields.Failure is { } fieldsFailure)
        {
            return fieldsFailure;
        }

        var estimateIds = connection.EstimateField is { Length: > 0 } chosen ? [chosen] : StoryPointFields(fields.Value!).Select(f => f.Id).ToList();
        string[] requested = ["summary", "description", "issuetype", "status", .. estimateIds];
        var found = await SearchPageAsync(http, connection, jql, page, pageSize, requested, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var (issues, next, total) = found.Value;
        var mapped = new List<TrackerIssue>();
        foreach (var issue in issues)
        {
            if (TrackerHttp.StringAt(issue, "key") is not { Length: > 0 } key)
            {
                continue;
            }

            var f = issue.TryGetProperty("fields", out var fv) && fv.ValueKind == JsonValueKind.Object ? fv : default;
            var title = TrackerHttp.StringAt(f, "summary") ?? key;
            var description = f.ValueKind == JsonValueKind.Object && f.TryGetProperty("description", out var d) ? DescriptionOf(d) : null;
            mapped.Add(new TrackerIssue(
                key,
                Cut(title.ReplaceLineEndings(" ").Trim(), MaxTitle),
                description is null ? null : Cut(description, MaxDescription),
                LinkOf(connection, key),
                NameAt(f, "issuetype"),
                NameAt(f, "status"),
                estimateIds.Select(id => EstimateAt(f, id)).FirstOrDefault(e => e is not null)));
        }

        return TrackerResult<TrackerPage>.Ok(new TrackerPage(mapped, next, total));
    }

    /// <inheritdoc />
    public async Task<TrackerResult<WriteBackDone>> WriteEstimateAsync(TrackerConnection connection, string issueKey, EstimateToWrite estimate, CancellationToken cancellationToken)
    {
        if (Misconfigured(connection) is { } wrong)
        {
            return wrong;
        }

        if (estimate.Points is not { } points)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"The card \"{estimate.Card}\" has no number of points, and Jira's story points field holds a number.");
        }

        if (points < 0)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"Story points cannot be negative ({Format(points)}).");
        }

        if (string.IsNullOrWhiteSpace(issueKey))
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, "No issue key was given.");
        }

        issueKey = issueKey.Trim();
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var fields = await FieldsAsync(http, connection, cancellationToken);
        if (fields.Failure is { } fieldsFailure)
        {
            return fieldsFailure;
        }

        JiraField field;
        if (connection.EstimateField is { Length: > 0 } chosen)
        {
            field = fields.Value!.FirstOrDefault(f => f.Id == chosen) ?? new JiraField(chosen, chosen);
        }
        else
        {
            var candidates = StoryPointFields(fields.Value!);
            if (candidates.Count == 0)
            {
                return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, $"No story points field was found in {Product}: set the estimate field's id in the connection.");
            }

            var editable = await SendAsync(http, connection, HttpMethod.Get, Api($"issue/{Uri.EscapeDataString(issueKey)}/editmeta"), null, ReadJsonAsync, cancellationToken);
            if (editable.Failure is { } editFailure)
            {
                return editFailure;
            }

            var onScreen = editable.Value is { ValueKind: JsonValueKind.Object } meta && meta.TryGetProperty("fields", out var metaFields) && metaFields.ValueKind == JsonValueKind.Object
                ? candidates.FirstOrDefault(c => metaFields.TryGetProperty(c.Id, out _))
                : null;
            if (onScreen is null)
            {
                return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, NotOnScreen(issueKey, candidates[0]));
            }

            field = onScreen;
        }

        var body = new JsonObject { ["fields"] = new JsonObject { [field.Id] = JsonValue.Create(points) } };
        var written = await SendAsync(
            http,
            connection,
            HttpMethod.Put,
            Api($"issue/{Uri.EscapeDataString(issueKey)}"),
            body,
            (_, _) => Task.FromResult(TrackerResult<JsonElement?>.Ok(null)),
            cancellationToken,
            errors => ReasonOf(errors) is { } reason && reason.Contains("is not on the appropriate screen", StringComparison.OrdinalIgnoreCase)
                ? NotOnScreen(issueKey, field) + $" ({reason})"
                : ReasonOf(errors));
        if (written.Failure is { } writeFailure)
        {
            return writeFailure;
        }

        return TrackerResult<WriteBackDone>.Ok(new WriteBackDone(LinkOf(connection, issueKey), field.Name));
    }

    /// <summary>
    /// One search <c>key in ("K-1", …)</c> asking only <c>resolutiondate</c> and <c>timespent</c>. Jira refuses the whole
    /// query (400 "An issue with key 'K-9' does not exist for field 'key'.") when a key was deleted or is not visible:
    /// the keys it names are dropped and the search asked again, until it answers or names none of the keys.
    /// </summary>
    public async Task<TrackerResult<IReadOnlyList<TrackerActual>>> ActualsAsync(TrackerConnection connection, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (Misconfigured(connection) is { } wrong)
        {
            return wrong;
        }

        if (TrackerHttp.TooManyKeys(keys) is { } tooMany)
        {
            return tooMany;
        }

        // Keys as Jira writes them (PAY-12): anything else cannot be an issue here and is left out, never put in the JQL.
        var asked = keys.Select(k => k.Trim().ToUpperInvariant()).Where(k => IssueKey().IsMatch(k)).Distinct().ToList();
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        string[] fields = ["resolutiondate", "timespent"];
        while (asked.Count > 0)
        {
            var jql = $"key in ({string.Join(", ", asked.Select(k => $"\"{k}\""))})";
            var found = await SearchPageAsync(http, connection, jql, null, asked.Count, fields, cancellationToken);
            if (found.Failure is { Kind: TrackerFailureKind.Refused } refused && refused.Status == HttpStatusCode.BadRequest
                && QuotedKeys().Matches(refused.Reason).Select(m => m.Groups[1].Value.ToUpperInvariant()).Where(asked.Contains).ToHashSet() is { Count: > 0 } missing)
            {
                asked.RemoveAll(missing.Contains);
                continue;
            }

            if (found.Failure is { } failure)
            {
                return failure;
            }

            var actuals = new List<TrackerActual>();
            foreach (var issue in found.Value.Issues)
            {
                // A moved issue answers under its new key: it is not the story asked for, so it is left out.
                if (TrackerHttp.StringAt(issue, "key")?.ToUpperInvariant() is not { } key || !asked.Contains(key))
                {
                    continue;
                }

                var f = issue.TryGetProperty("fields", out var fv) && fv.ValueKind == JsonValueKind.Object ? fv : default;
                actuals.Add(new TrackerActual(key, TrackerHttp.DateAt(f, "resolutiondate"), TrackerHttp.SecondsAt(f, "timespent")));
            }

            return TrackerResult<IReadOnlyList<TrackerActual>>.Ok(ActualsInAskedOrder(keys, actuals));
        }

        return TrackerResult<IReadOnlyList<TrackerActual>>.Ok([]);
    }

    /// <summary>The query an empty one means: the open stories, newest first (bounded, as Cloud requires).</summary>
    protected abstract string DefaultJql { get; }

    /// <summary>Sets the request's Authorization header.</summary>
    protected abstract void Authorize(HttpRequestMessage request, TrackerConnection connection);

    /// <summary>Why the connection cannot work before any call, or null.</summary>
    protected virtual TrackerFailure? Misconfigured(TrackerConnection connection) =>
        string.IsNullOrWhiteSpace(connection.Secret)
            ? new TrackerFailure(TrackerFailureKind.Unauthorized, $"No {Product} token was given.")
            : null;

    /// <summary>One page of a search: the issues, the next page's token, the total when Jira says it.</summary>
    protected abstract Task<TrackerResult<(IReadOnlyList<JsonElement> Issues, string? Next, int? Total)>> SearchPageAsync(
        HttpClient http, TrackerConnection connection, string jql, string? page, int pageSize, IReadOnlyList<string> fields, CancellationToken cancellationToken);

    /// <summary>A description field's text: ADF for Cloud, wiki markup for Data Center.</summary>
    protected abstract string? DescriptionOf(JsonElement description);

    /// <summary>The URL of an API resource: <c>rest/api/{version}/{path}</c> under the base URL (which may have a context path).</summary>
    protected Uri Api(string pathAndQuery) => new($"rest/api/{ApiVersion}/{pathAndQuery}", UriKind.Relative);

    /// <summary>
    /// Sends a request to Jira (JSON body when given) and reads a success with <paramref name="read"/>; a failure carries
    /// Jira's reason (ErrorCollection or gateway message) and, for a rate limit, its RateLimit-Reason.
    /// </summary>
    protected async Task<TrackerResult<T>> SendAsync<T>(
        HttpClient http,
        TrackerConnection connection,
        HttpMethod method,
        Uri relative,
        JsonNode? body,
        Func<HttpResponseMessage, CancellationToken, Task<TrackerResult<T>>> read,
        CancellationToken cancellationToken,
        Func<JsonElement?, string?>? reasonOf = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseOf(connection), relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        Authorize(request, connection);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await read(response, cancellationToken);
            }

            var failure = await TrackerHttp.FailureOfAsync(response, reasonOf ?? ReasonOf, cancellationToken);
            if (failure.Kind == TrackerFailureKind.RateLimited && response.Headers.TryGetValues("RateLimit-Reason", out var why) && why.FirstOrDefault() is { Length: > 0 } limit)
            {
                failure = failure with { Reason = TrackerHttp.Reason($"{failure.Reason} ({Product} rate limit: {limit})") ?? failure.Reason };
            }

            return failure;
        }
        catch (Exception e) when (TrackerHttp.NetworkFailure(e, request, cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>Reads a success's JSON body (null when empty).</summary>
    protected static async Task<TrackerResult<JsonElement?>> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length == 0)
        {
            return TrackerResult<JsonElement?>.Ok(null);
        }

        using var document = JsonDocument.Parse(bytes);
        return TrackerResult<JsonElement?>.Ok(document.RootElement.Clone());
    }

    /// <summary>
    /// Jira's reason in an error body: the ErrorCollection's <c>errorMessages</c> and <c>errors</c> ("field: message"),
    /// or a gateway's <c>message</c>; null when there is none.
    /// </summary>
    public static string? ReasonOf(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } e)
        {
            return null;
        }

        var parts = new List<string>();
        if (e.TryGetProperty("errorMessages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            parts.AddRange(messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).Where(m => m.Length > 0));
        }

        if (e.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            parts.AddRange(errors.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => $"{p.Name}: {p.Value.GetString()}"));
        }

        if (parts.Count == 0 && (TrackerHttp.StringAt(e, "message") ?? TrackerHttp.StringAt(e, "errorMessage")) is { Length: > 0 } message)
        {
            parts.Add(message);
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>The fields that can hold story points, best first: by name (team-managed's, then company-managed's), then by Jira Software's type.</summary>
    public static IReadOnlyList<JiraField> StoryPointFields(IReadOnlyList<JiraField> fields) => fields
        .Select(f => (Field: f, Rank: Array.FindIndex(StoryPointNames, n => string.Equals(n, f.Name, StringComparison.OrdinalIgnoreCase))))
        .Where(x => x.Rank >= 0 || x.Field.IsStoryPointsType)
        .OrderBy(x => x.Rank < 0 ? int.MaxValue : x.Rank)
        .Select(x => x.Field)
        .DistinctBy(f => f.Id)
        .ToList();

    private async Task<TrackerResult<IReadOnlyList<JiraField>>> FieldsAsync(HttpClient http, TrackerConnection connection, CancellationToken cancellationToken)
    {
        var site = $"{Kind} {connection.BaseUrl.AbsoluteUri}";
        var now = TimeProvider.System.GetUtcNow();
        if (FieldsBySite.TryGetValue(site, out var kept) && now - kept.At < FieldsKeptFor)
        {
            return TrackerResult<IReadOnlyList<JiraField>>.Ok(kept.Fields);
        }

        var answer = await SendAsync(http, connection, HttpMethod.Get, Api("field"), null, ReadJsonAsync, cancellationToken);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        var fields = new List<JiraField>();
        if (answer.Value is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var f in list.EnumerateArray())
            {
                if (TrackerHttp.StringAt(f, "id") is not { Length: > 0 } id)
                {
                    continue;
                }

                var name = TrackerHttp.StringAt(f, "name") ?? id;
                var custom = f.TryGetProperty("schema", out var schema) ? TrackerHttp.StringAt(schema, "custom") : null;
                var type = f.TryGetProperty("schema", out var s2) ? TrackerHttp.StringAt(s2, "type") : null;
                fields.Add(new JiraField(id, name, custom == StoryPointsType && type is null or "number"));
            }
        }

        FieldsBySite[site] = (now, fields);
        return TrackerResult<IReadOnlyList<JiraField>>.Ok(fields);
    }

    private string NotOnScreen(string issueKey, JiraField field) =>
        $"{Product} does not let {issueKey}'s story points be edited: in a team-managed project, turn on the Estimation feature " +
        $"(Project settings → Features); in a company-managed project, add the \"{field.Name}\" field ({field.Id}) to the issue type's edit screen.";

    private static Uri LinkOf(TrackerConnection connection, string key) => new(BaseOf(connection), "browse/" + Uri.EscapeDataString(key));

    private static Uri BaseOf(TrackerConnection connection) =>
        connection.BaseUrl.AbsoluteUri.EndsWith('/') ? connection.BaseUrl : new Uri(connection.BaseUrl.AbsoluteUri + "/");

    private static bool? Has(JsonElement? permissions, string key) =>
        permissions is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("permissions", out var all) && all.ValueKind == JsonValueKind.Object
        && all.TryGetProperty(key, out var one) && one.ValueKind == JsonValueKind.Object && one.TryGetProperty("havePermission", out var have)
        && have.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? have.GetBoolean()
            : null;

    private static string? NameAt(JsonElement fields, string property) =>
        fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(property, out var value) ? TrackerHttp.StringAt(value, "name") : null;

    private static string? EstimateAt(JsonElement fields, string id)
    {
        if (fields.ValueKind != JsonValueKind.Object || !fields.TryGetProperty(id, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => Format(number),
            JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString(),
            _ => null,
        };
    }

    private static string Format(decimal number) => number.ToString("0.############", CultureInfo.InvariantCulture);

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>The answers under the keys as they were asked (case aside), in the order asked.</summary>
    private static List<TrackerActual> ActualsInAskedOrder(IReadOnlyList<string> keys, List<TrackerActual> actuals)
    {
        var byKey = actuals.ToDictionary(a => a.Key, StringComparer.OrdinalIgnoreCase);
        return [.. keys.Select(k => k.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Where(byKey.ContainsKey).Select(k => byKey[k] with { Key = k })];
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]*-[1-9][0-9]*$")]
    private static partial Regex IssueKey();

    [GeneratedRegex("'([A-Za-z][A-Za-z0-9_]*-[0-9]+)'")]
    private static partial Regex QuotedKeys();
}
