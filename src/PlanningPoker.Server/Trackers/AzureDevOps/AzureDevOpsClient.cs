using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PlanningPoker.Server.Trackers.AzureDevOps;

/// <summary>
/// Azure DevOps Services (<c>https://dev.azure.com/{org}</c>) or Server (<c>https://{server}/{collection}</c>), REST 7.1 with a
/// personal access token (docs/trackers/azure-devops.md): WIQL for the ids, <c>workitemsbatch</c> for the fields, a JSON Patch
/// of the estimate field, which is the team's choice or the one the work item type has (Story Points, Effort or Size).
/// </summary>
public sealed class AzureDevOpsClient(IHttpClientFactory httpClientFactory) : ITrackerClient
{
    /// <summary>The REST version sent with every call.</summary>
    public const string ApiVersion = "7.1";

    /// <summary>The most ids one WIQL query returns (the service refuses more than 20,000 with VS402337); pages are cut from them.</summary>
    public const int MaxQueryIds = 20000;

    /// <summary>The most ids one <c>workitemsbatch</c> call takes (VS403474 beyond).</summary>
    public const int MaxBatchIds = 200;

    /// <summary>The work item types of the backlog in the Agile, Scrum, CMMI and Basic processes, in the order looked for.</summary>
    public static readonly string[] BacklogTypes = ["User Story", "Product Backlog Item", "Requirement", "Issue", "Bug"];

    /// <summary>The estimate fields of the standard processes, in the order preferred: Agile's, Scrum's and Basic's, CMMI's.</summary>
    public static readonly (string Reference, string Name)[] EstimateFields =
    [
        ("Microsoft.VSTS.Scheduling.StoryPoints", "Story Points"),
        ("Microsoft.VSTS.Scheduling.Effort", "Effort"),
        ("Microsoft.VSTS.Scheduling.Size", "Size"),
    ];

    /// <summary>When a work item was closed (set on entering the Closed or Done state, cleared on reopening).</summary>
    public const string ClosedDateField = "Microsoft.VSTS.Common.ClosedDate";

    /// <summary>The hours of work logged on a work item.</summary>
    public const string CompletedWorkField = "Microsoft.VSTS.Scheduling.CompletedWork";

    private const int MaxTitle = 200;
    private const int MaxDescription = 10_000;

    private static readonly string[] ReadFields =
        ["System.Id", "System.Title", "System.Description", "System.WorkItemType", "System.State", .. EstimateFields.Select(f => f.Reference)];

    /// <summary>The estimate field of each (collection, project, work item type), found once; null when the type has none.</summary>
    private readonly ConcurrentDictionary<string, (string Reference, string Name)?> _fieldOfType = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public TrackerKind Kind => TrackerKind.AzureDevOps;

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerCheck>> CheckAsync(TrackerConnection connection, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);

        // connectionData has no released version: it answers with or without one, and clients send a preview.
        var who = await SendAsync(http, connection, HttpMethod.Get, $"{Root(connection)}/_apis/connectionData?api-version={ApiVersion}-preview", null, null, cancellationToken);
        if (who.Failure is { } failure)
        {
            return failure;
        }

        var user = who.Value.TryGetProperty("authenticatedUser", out var u) ? u : default;
        var account = TrackerHttp.StringAt(user, "providerDisplayName") ?? TrackerHttp.StringAt(user, "customDisplayName") ?? TrackerHttp.StringAt(user, "id") ?? "(unknown)";
        var notes = new List<string>
        {
            "Azure DevOps does not say whether a token may change work items without changing one: the token needs the \"Work Items (Read & write)\" scope.",
        };
        if (connection.Scope is not { Length: > 0 } project)
        {
            notes.Add("No project is set: set the project whose work items are estimated.");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, false, null, connection.EstimateField, notes));
        }

        var read = await SendAsync(http, connection, HttpMethod.Get, $"{Root(connection)}/_apis/projects/{Uri.EscapeDataString(project)}?api-version={ApiVersion}", null, null, cancellationToken);
        if (read.Failure is { Kind: not (TrackerFailureKind.NotFound or TrackerFailureKind.Forbidden) } readFailure)
        {
            return readFailure;
        }

        if (read.Failure is { } cannotRead)
        {
            notes.Add($"The project \"{project}\" cannot be read: {cannotRead.Reason}");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, false, null, connection.EstimateField, notes));
        }

        var field = connection.EstimateField;
        if (field is null)
        {
            foreach (var type in BacklogTypes)
            {
                var found = await EstimateFieldOfAsync(http, connection, project, type, cancellationToken);
                if (found.Failure is { } typeFailure)
                {
                    return typeFailure;
                }

                if (found.Value is { } f)
                {
                    field = $"{f.Name} ({f.Reference}) on {type}";
                    break;
                }
            }

            if (field is null)
            {
                notes.Add("None of the backlog's work item types has Story Points, Effort or Size: set the estimate field's reference name.");
            }
        }

        return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, true, null, field, notes));
    }

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerPage>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken)
    {
        if (connection.Scope is not { Length: > 0 } project)
        {
            return TrackerResult<TrackerPage>.Fail(TrackerFailureKind.Refused, "no Azure DevOps project is set");
        }

        var offset = 0;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > MaxQueryIds))
        {
            return TrackerResult<TrackerPage>.Fail(TrackerFailureKind.Refused, "this page of the search does not exist");
        }

        pageSize = Math.Clamp(pageSize, 1, 100);
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var projectPath = $"{Root(connection)}/{Uri.EscapeDataString(project)}";

        // WIQL answers ids only, without paging: the query runs again for each page, and the page is cut from its ids.
        var wiql = new JsonObject { ["query"] = Wiql(query) };
        var found = await SendAsync(http, connection, HttpMethod.Post, $"{projectPath}/_apis/wit/wiql?api-version={ApiVersion}&$top={MaxQueryIds}", wiql.ToJsonString(), "application/json", cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var ids = found.Value.TryGetProperty("workItems", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Select(i => i.TryGetProperty("id", out var id) && id.TryGetInt32(out var n) ? n : 0).Where(n => n > 0).ToList()
            : [];
        var pageIds = ids.Skip(offset).Take(pageSize).ToList(); // at most 100, under the batch's 200
        var next = offset + pageIds.Count < ids.Count ? (offset + pageIds.Count).ToString(CultureInfo.InvariantCulture) : null;
        if (pageIds.Count == 0)
        {
            return TrackerResult<TrackerPage>.Ok(new TrackerPage([], null, ids.Count));
        }

        var read = await BatchAsync(http, connection, projectPath, pageIds, ReadFields, cancellationToken);
        if (read.Failure is { } readFailure)
        {
            return readFailure;
        }

        var byId = read.Value!;
        return TrackerResult<TrackerPage>.Ok(new TrackerPage([.. pageIds.Where(byId.ContainsKey).Select(id => IssueOf(connection, project, id, byId[id]))], next, ids.Count));
    }

    /// <summary>
    /// One <c>workitemsbatch</c> for <c>Microsoft.VSTS.Common.ClosedDate</c> and <c>Microsoft.VSTS.Scheduling.CompletedWork</c>
    /// (hours); keys that are not work item ids, and work items deleted or hidden (errorPolicy Omit), are left out.
    /// </summary>
    public async Task<TrackerResult<IReadOnlyList<TrackerActual>>> ActualsAsync(TrackerConnection connection, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (TrackerHttp.TooManyKeys(keys) is { } tooMany)
        {
            return tooMany;
        }

        if (connection.Scope is not { Length: > 0 } project)
        {
            return TrackerResult<IReadOnlyList<TrackerActual>>.Fail(TrackerFailureKind.Refused, "no Azure DevOps project is set");
        }

        var ids = keys.Select(k => int.TryParse(k.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return TrackerResult<IReadOnlyList<TrackerActual>>.Ok([]);
        }

        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var read = await BatchAsync(http, connection, $"{Root(connection)}/{Uri.EscapeDataString(project)}", ids, [ClosedDateField, CompletedWorkField], cancellationToken);
        if (read.Failure is { } failure)
        {
            return failure;
        }

        var byId = read.Value!;
        return TrackerResult<IReadOnlyList<TrackerActual>>.Ok([.. ids.Where(byId.ContainsKey).Select(id => new TrackerActual(
            id.ToString(CultureInfo.InvariantCulture),
            TrackerHttp.DateAt(byId[id], ClosedDateField),
            byId[id] is { ValueKind: JsonValueKind.Object } fields && fields.TryGetProperty(CompletedWorkField, out var hours)
                && hours.ValueKind == JsonValueKind.Number && hours.GetDouble() is > 0 and < 1e6 and var h
                ? TimeSpan.FromSeconds(Math.Round(h * 3600))
                : null))]);
    }

    /// <summary>
    /// The fields of work items by id, in one <c>workitemsbatch</c> (at most <see cref="MaxBatchIds"/> ids); errorPolicy Omit
    /// leaves out (null) those deleted or not visible.
    /// </summary>
    private static async Task<TrackerResult<Dictionary<int, JsonElement>>> BatchAsync(
        HttpClient http, TrackerConnection connection, string projectPath, IReadOnlyList<int> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var batch = new JsonObject
        {
            ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode)id)]),
            ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]),
            ["errorPolicy"] = "Omit",
        };
        var read = await SendAsync(http, connection, HttpMethod.Post, $"{projectPath}/_apis/wit/workitemsbatch?api-version={ApiVersion}", batch.ToJsonString(), "application/json", cancellationToken);
        if (read.Failure is { } readFailure)
        {
            return readFailure;
        }

        var byId = new Dictionary<int, JsonElement>();
        if (read.Value.TryGetProperty("value", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in values.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var idElement) && idElement.TryGetInt32(out var id))
                {
                    byId[id] = item.TryGetProperty("fields", out var itemFields) && itemFields.ValueKind == JsonValueKind.Object ? itemFields : default;
                }
            }
        }

        return TrackerResult<Dictionary<int, JsonElement>>.Ok(byId);
    }

    /// <inheritdoc />
    public async Task<TrackerResult<WriteBackDone>> WriteEstimateAsync(TrackerConnection connection, string issueKey, EstimateToWrite estimate, CancellationToken cancellationToken)
    {
        if (estimate.Points is not { } points)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"the card \"{estimate.Card}\" has no number of points, and Azure DevOps' estimate fields hold numbers");
        }

        if (points < 0)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, "an estimate of less than 0 points cannot be written");
        }

        if (!int.TryParse(issueKey.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"\"{issueKey}\" is not an Azure DevOps work item id");
        }

        if (connection.Scope is not { Length: > 0 } project)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, "no Azure DevOps project is set");
        }

        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        var projectPath = $"{Root(connection)}/{Uri.EscapeDataString(project)}";
        (string Reference, string Name) field;
        if (connection.EstimateField is { Length: > 0 } chosen)
        {
            field = (chosen, EstimateFields.FirstOrDefault(f => f.Reference.Equals(chosen, StringComparison.OrdinalIgnoreCase)).Name ?? chosen);
        }
        else
        {
            var item = await SendAsync(http, connection, HttpMethod.Get, $"{projectPath}/_apis/wit/workitems/{id}?fields=System.WorkItemType&api-version={ApiVersion}", null, null, cancellationToken);
            if (item.Failure is { } itemFailure)
            {
                return itemFailure;
            }

            var type = item.Value.TryGetProperty("fields", out var fields) ? TrackerHttp.StringAt(fields, "System.WorkItemType") : null;
            if (type is null)
            {
                return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, $"work item {id} has no type");
            }

            var found = await EstimateFieldOfAsync(http, connection, project, type, cancellationToken);
            if (found.Failure is { } typeFailure)
            {
                return typeFailure;
            }

            if (found.Value is not { } discovered)
            {
                return TrackerResult<WriteBackDone>.Fail(
                    TrackerFailureKind.CannotHold, $"a {type} has no Story Points, Effort or Size field: choose the field estimates are written to");
            }

            field = discovered;
        }

        // "add" sets a field whether or not it has a value: writing the same value twice leaves the work item as once.
        var patch = new JsonArray(new JsonObject { ["op"] = "add", ["path"] = $"/fields/{field.Reference}", ["value"] = points });
        var written = await SendAsync(http, connection, HttpMethod.Patch, $"{projectPath}/_apis/wit/workitems/{id}?api-version={ApiVersion}", patch.ToJsonString(), "application/json-patch+json", cancellationToken);
        if (written.Failure is { } writeFailure)
        {
            return writeFailure;
        }

        return TrackerResult<WriteBackDone>.Ok(new WriteBackDone(LinkOf(connection, project, id), field.Name));
    }

    /// <summary>
    /// The WIQL of a typed query: as typed when it starts with SELECT; else the project's backlog items that are not
    /// closed, removed or done, each word in the title, in backlog order.
    /// </summary>
    public static string Wiql(string query)
    {
        var typed = query.Trim();
        if (typed.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            return typed;
        }

        var wiql = new StringBuilder("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.WorkItemType] IN (");
        wiql.AppendJoin(", ", BacklogTypes.Select(t => $"'{t}'"));
        wiql.Append(") AND [System.State] NOT IN ('Closed', 'Removed', 'Done')");
        foreach (var word in typed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            wiql.Append(" AND [System.Title] CONTAINS '").Append(word.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        }

        return wiql.Append(" ORDER BY [Microsoft.VSTS.Common.StackRank] ASC, [System.Id] ASC").ToString();
    }

    private static string Root(TrackerConnection connection) => connection.BaseUrl.AbsoluteUri.TrimEnd('/');

    private static Uri LinkOf(TrackerConnection connection, string project, int id) =>
        new($"{Root(connection)}/{Uri.EscapeDataString(project)}/_workitems/edit/{id}");

    private static TrackerIssue IssueOf(TrackerConnection connection, string project, int id, JsonElement fields)
    {
        var title = TrackerHttp.StringAt(fields, "System.Title") ?? $"Work item {id}";
        string? estimate = null;
        foreach (var (reference, _) in EstimateFields)
        {
            if (fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(reference, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                estimate = value.GetDouble().ToString(CultureInfo.InvariantCulture);
                break;
            }
        }

        return new TrackerIssue(
            id.ToString(CultureInfo.InvariantCulture),
            Cut(title, MaxTitle),
            AzureDevOpsHtml.ToPlainText(TrackerHttp.StringAt(fields, "System.Description")) is { } text ? Cut(text, MaxDescription) : null,
            LinkOf(connection, project, id),
            TrackerHttp.StringAt(fields, "System.WorkItemType"),
            TrackerHttp.StringAt(fields, "System.State"),
            estimate);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>Which of Story Points, Effort and Size a work item type has (found once per collection, project and type); null when none, or when the process has no such type.</summary>
    private async Task<TrackerResult<(string Reference, string Name)?>> EstimateFieldOfAsync(
        HttpClient http, TrackerConnection connection, string project, string type, CancellationToken cancellationToken)
    {
        var cacheKey = $"{Root(connection)}|{project}|{type}";
        if (_fieldOfType.TryGetValue(cacheKey, out var cached))
        {
            return TrackerResult<(string, string)?>.Ok(cached);
        }

        var url = $"{Root(connection)}/{Uri.EscapeDataString(project)}/_apis/wit/workitemtypes/{Uri.EscapeDataString(type)}/fields?api-version={ApiVersion}";
        var answer = await SendAsync(http, connection, HttpMethod.Get, url, null, null, cancellationToken);
        if (answer.Failure is { Kind: TrackerFailureKind.NotFound })
        {
            return TrackerResult<(string, string)?>.Ok(null); // not a type of this project's process; not cached (a process can gain it)
        }

        if (answer.Failure is { } failure)
        {
            return failure;
        }

        var references = answer.Value.TryGetProperty("value", out var fields) && fields.ValueKind == JsonValueKind.Array
            ? fields.EnumerateArray().Select(f => TrackerHttp.StringAt(f, "referenceName")).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];
        var found = EstimateFields.Where(f => references.Contains(f.Reference)).Select(f => ((string, string)?)f).FirstOrDefault();
        _fieldOfType[cacheKey] = found;
        return TrackerResult<(string, string)?>.Ok(found);
    }

    private static async Task<TrackerResult<JsonElement>> SendAsync(
        HttpClient http, TrackerConnection connection, HttpMethod method, string url, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + connection.Secret)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
            request.Content.Headers.ContentType!.CharSet = null; // the JSON Patch media type takes no parameter
        }

        return await TrackerHttp.SendAsync(http, request, ReadAsync, body => TrackerHttp.StringAt(body, "message"), cancellationToken);
    }

    private static async Task<TrackerResult<JsonElement>> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // A wrong token or organization can get a sign-in page (often 203 Non-Authoritative) instead of JSON.
        if (response.Content.Headers.ContentType?.MediaType is not { } mediaType || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return TrackerResult<JsonElement>.Fail(
                TrackerFailureKind.Unauthorized, "Azure DevOps answered with a sign-in page: the personal access token or the organization URL is wrong, or the token expired", response.StatusCode);
        }

        // Delayed mode (200 with Retry-After) is a success: the call went through, slowed down. Only a 429 is a failure.
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return TrackerResult<JsonElement>.Ok(document.RootElement.Clone());
    }
}
