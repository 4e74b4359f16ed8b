using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PlanningPoker.Tests.Trackers;

/// <summary>One work item the fake keeps.</summary>
public sealed class FakeWorkItem
{
    /// <summary>Its id.</summary>
    public required int Id { get; init; }

    /// <summary>System.WorkItemType.</summary>
    public required string Type { get; init; }

    /// <summary>System.State.</summary>
    public string State { get; set; } = "New";

    /// <summary>Its fields by reference name (System.Title, System.Description, Microsoft.VSTS.Scheduling.StoryPoints…).</summary>
    public ConcurrentDictionary<string, JsonNode?> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Azure DevOps Services as its REST 7.1 reference describes it, for one organization and project: Basic auth with an
/// empty user and the PAT; <c>api-version</c> required; WIQL answering ids only; <c>workitemsbatch</c> refusing more than
/// 200 ids (VS403474); work item type fields; JSON Patch (<c>application/json-patch+json</c> only); connectionData and
/// projects. Errors in the service's shape (<c>{"$id":"1","message":"TF…","typeKey":…}</c>).
/// </summary>
public sealed partial class FakeAzureDevOps : IAsyncDisposable
{
    /// <summary>The estimate field of each process's backlog types.</summary>
    private static readonly Dictionary<string, (string[] Types, string Field)> Processes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Agile"] = (["User Story", "Bug", "Task"], "Microsoft.VSTS.Scheduling.StoryPoints"),
        ["Scrum"] = (["Product Backlog Item", "Bug", "Task"], "Microsoft.VSTS.Scheduling.Effort"),
        ["CMMI"] = (["Requirement", "Bug", "Task"], "Microsoft.VSTS.Scheduling.Size"),
    };

    private readonly ConcurrentDictionary<int, FakeWorkItem> _items = new();
    private readonly ConcurrentDictionary<int, int> _writes = new();
    private readonly string _organization;
    private readonly string _process;
    private int _nextId = 100;

    private FakeAzureDevOps(string organization, string project, string pat, string process)
    {
        (_organization, Project, Pat, _process) = (organization, project, pat, process);
        Host = null!;
    }

    /// <summary>The loopback host (its <see cref="FakeTrackerHost.Requests"/> and <see cref="FakeTrackerHost.Fail"/>).</summary>
    public FakeTrackerHost Host { get; private set; }

    /// <summary>The organization's URL, <c>http://127.0.0.1:port/{organization}</c>.</summary>
    public Uri BaseUrl => new(Host.BaseUrl, _organization);

    /// <summary>The PAT it accepts (the server tests' <c>Connection</c> carries it; the end-to-end tests do not see the server's types).</summary>
    public string Pat { get; }

    /// <summary>The project's name.</summary>
    public string Project { get; }

    /// <summary>The estimate field of the process's backlog types.</summary>
    public string EstimateField => Processes[_process].Field;

    /// <summary>The backlog's work item type of the process (User Story, Product Backlog Item, Requirement).</summary>
    public string BacklogType => Processes[_process].Types[0];

    /// <summary>When set, a wrong PAT gets a 203 with an HTML sign-in page (as the service sometimes answers) instead of a 401.</summary>
    public bool SignInPageForWrongToken { get; set; }

    /// <summary>When set, every success carries delayed mode's Retry-After (seconds) and X-RateLimit headers.</summary>
    public int? DelayedModeRetryAfter { get; set; }

    /// <summary>The work items, by id.</summary>
    public IReadOnlyDictionary<int, FakeWorkItem> Items => _items;

    /// <summary>Starts an organization with one project of a process (Agile, Scrum or CMMI).</summary>
    public static async Task<FakeAzureDevOps> StartAsync(string organization = "acme", string project = "Fabrikam Fiber", string pat = "ado-pat-5ecret", string process = "Agile")
    {
        var fake = new FakeAzureDevOps(organization, project, pat, process);
        fake.Host = await FakeTrackerHost.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>Adds <paramref name="count"/> backlog items "Story 1…n" with HTML descriptions and estimates 1…5 (every fifth has none); returns their ids.</summary>
    public IReadOnlyList<int> Seed(int count, string? titlePrefix = "Story")
    {
        var ids = new List<int>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(Add($"{titlePrefix} {i}", $"<div><p>As a user, I want <b>story {i}</b> &amp; more.</p><ul><li>first</li><li>second</li></ul></div>", i % 5 == 0 ? null : i % 5));
        }

        return ids;
    }

    /// <summary>Adds one work item of the backlog's type (or <paramref name="type"/>).</summary>
    public int Add(string title, string? descriptionHtml = null, double? estimate = null, string? type = null, string state = "New")
    {
        var item = new FakeWorkItem { Id = Interlocked.Increment(ref _nextId), Type = type ?? BacklogType, State = state };
        item.Fields["System.Title"] = title;
        if (descriptionHtml is not null)
        {
            item.Fields["System.Description"] = descriptionHtml;
        }

        if (estimate is { } e)
        {
            item.Fields[EstimateField] = e;
        }

        _items[item.Id] = item;
        return item.Id;
    }

    /// <summary>Closes a work item: its state, and <c>Microsoft.VSTS.Common.ClosedDate</c> as the service writes it (UTC, "Z").</summary>
    public void Close(int id, DateTimeOffset at, string state = "Closed")
    {
        _items[id].State = state;
        _items[id].Fields["Microsoft.VSTS.Common.ClosedDate"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sets the hours logged on a work item (<c>Microsoft.VSTS.Scheduling.CompletedWork</c>, a double).</summary>
    public void LogWork(int id, double hours) => _items[id].Fields["Microsoft.VSTS.Scheduling.CompletedWork"] = hours;

    /// <summary>Deletes a work item (to the recycle bin: no longer readable).</summary>
    public void Delete(int id) => _items.TryRemove(id, out _);

    /// <summary>A field's number, or null.</summary>
    public double? Number(int id, string field) => _items[id].Fields.TryGetValue(field, out var v) && v is JsonValue value ? value.GetValue<double>() : null;

    /// <summary>How many PATCHes reached a work item (by its key, the id).</summary>
    public int WritesTo(string key) => _writes.TryGetValue(int.Parse(key, System.Globalization.CultureInfo.InvariantCulture), out var n) ? n : 0;

    /// <summary>The Basic header the PAT makes.</summary>
    public string ExpectedAuthorization => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Pat));

    /// <summary>The service's error body.</summary>
    public static string Error(string message, string typeKey = "VssServiceException", int eventId = 3000) =>
        new JsonObject
        {
            ["$id"] = "1",
            ["innerException"] = null,
            ["message"] = message,
            ["typeName"] = $"Microsoft.VisualStudio.Services.{typeKey}, Microsoft.VisualStudio.Services.Common",
            ["typeKey"] = typeKey,
            ["errorCode"] = 0,
            ["eventId"] = eventId,
        }.ToJsonString();

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private void Map(WebApplication app)
    {
        var org = "/" + _organization;
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization.ToString() != ExpectedAuthorization)
            {
                if (SignInPageForWrongToken)
                {
                    context.Response.StatusCode = 203;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync("<!DOCTYPE html><html><head><title>Sign In</title></head><body>Sign in to your account</body></html>");
                    return;
                }

                await Answer(context, 401, Error("TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException"));
                return;
            }

            var connectionData = context.Request.Path.Value?.EndsWith("/_apis/connectionData", StringComparison.OrdinalIgnoreCase) == true;
            if (!connectionData && string.IsNullOrEmpty(context.Request.Query["api-version"]))
            {
                await Answer(context, 400, Error(
                    $"No api-version was supplied for the \"{context.Request.Method}\" request. The version must be supplied either as part of the Accept header (e.g. \"application/json; api-version=1.0\") or as a query parameter (e.g. '?api-version=1.0').",
                    "VssVersionNotSpecifiedException"));
                return;
            }

            if (DelayedModeRetryAfter is { } delay)
            {
                context.Response.Headers["Retry-After"] = delay.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Resource"] = "Core";
                context.Response.Headers["X-RateLimit-Delay"] = "0.5";
            }

            await next(context);
        });

        app.MapGet(org + "/_apis/connectionData", () => Results.Json(new
        {
            authenticatedUser = new { id = "6f1f0f7e-1111-4c8a-9d4e-5a5a5a5a5a5a", descriptor = "Microsoft.IdentityModel.Claims.ClaimsIdentity;ada@example.com", subjectDescriptor = "aad.abc", providerDisplayName = "Ada Lovelace", isActive = true },
            authorizedUser = new { id = "6f1f0f7e-1111-4c8a-9d4e-5a5a5a5a5a5a", providerDisplayName = "Ada Lovelace" },
            instanceId = "0a0a0a0a-0000-0000-0000-000000000000",
        }));

        app.MapGet(org + "/_apis/projects/{project}", (string project) => !SameProject(project)
            ? Json(404, Error($"TF200016: The following project does not exist: {project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.", "ProjectDoesNotExistWithNameException"))
            : Results.Json(new { id = "3a3a3a3a-0000-0000-0000-000000000001", name = Project, state = "wellFormed", visibility = "private" }));

        app.MapPost(org + "/{project}/_apis/wit/wiql", async (string project, HttpContext context) =>
        {
            if (!SameProject(project))
            {
                return ProjectNotFound(project);
            }

            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                return Json(415, Error("The request's content type is not supported.", "UnsupportedMediaTypeException"));
            }

            var body = await JsonNode.ParseAsync(context.Request.Body);
            var query = body?["query"]?.GetValue<string>() ?? "";
            if (!query.Contains("FROM WorkItems", StringComparison.OrdinalIgnoreCase))
            {
                return Json(400, Error("VS402336: Expecting 'FROM WorkItems' or 'FROM WorkItemLinks'.", "WorkItemTrackingQueryParsingException"));
            }

            var words = Regex.Matches(query, @"\[System\.Title\]\s+CONTAINS\s+'((?:[^']|'')*)'", RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value.Replace("''", "'")).ToList();
            var openOnly = query.Contains("[System.State] NOT IN", StringComparison.OrdinalIgnoreCase);
            var found = _items.Values
                .Where(i => !openOnly || i.State is not ("Closed" or "Removed" or "Done"))
                .Where(i => words.All(w => ((string?)i.Fields["System.Title"])!.Contains(w, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(i => i.Id)
                .Select(i => i.Id)
                .ToList();
            if (int.TryParse(context.Request.Query["$top"], out var top))
            {
                found = [.. found.Take(top)];
            }
            else if (found.Count > 20000)
            {
                return Json(400, Error("VS402337: The number of work items returned exceeds the size limit of 20000. Change the query to return fewer items.", "WorkItemTrackingQueryResultSizeLimitExceededException"));
            }

            return Results.Json(new
            {
                queryType = "flat",
                queryResultType = "workItem",
                asOf = DateTimeOffset.UtcNow,
                columns = new[] { new { referenceName = "System.Id", name = "ID" } },
                workItems = found.Select(id => new { id, url = $"{BaseUrl}/_apis/wit/workItems/{id}" }),
            });
        });

        app.MapPost(org + "/{project}/_apis/wit/workitemsbatch", async (string project, HttpContext context) =>
        {
            if (!SameProject(project))
            {
                return ProjectNotFound(project);
            }

            var body = await JsonNode.ParseAsync(context.Request.Body);
            var ids = body?["ids"]?.AsArray().Select(n => n!.GetValue<int>()).ToList() ?? [];
            if (ids.Count > 200)
            {
                return Json(400, Error($"VS403474: You requested {ids.Count} work items which exceeds the limit of 200", "WorkItemTrackingBatchLimitExceededException"));
            }

            var fields = body?["fields"]?.AsArray().Select(n => n!.GetValue<string>()).ToList();
            var omit = body?["errorPolicy"]?.GetValue<string>() == "Omit";
            if (!omit && ids.FirstOrDefault(id => !_items.ContainsKey(id)) is var missing and > 0)
            {
                return WorkItemNotFound(missing);
            }

            return Results.Json(new { count = ids.Count, value = ids.Select(id => _items.TryGetValue(id, out var item) ? ItemJson(item, fields) : null) });
        });

        app.MapGet(org + "/{project}/_apis/wit/workitems/{id:int}", (string project, int id, HttpContext context) =>
            !SameProject(project) ? ProjectNotFound(project)
            : !_items.TryGetValue(id, out var item) ? WorkItemNotFound(id)
            : Results.Content(ItemJson(item, context.Request.Query["fields"].ToString() is { Length: > 0 } f ? [.. f.Split(',')] : null).ToJsonString(), "application/json"));

        app.MapMethods(org + "/{project}/_apis/wit/workitems/{id:int}", ["PATCH"], async (string project, int id, HttpContext context) =>
        {
            if (!SameProject(project))
            {
                return ProjectNotFound(project);
            }

            if (context.Request.ContentType?.StartsWith("application/json-patch+json", StringComparison.OrdinalIgnoreCase) != true)
            {
                return Json(415, Error("VS403449: The content type of the request must be application/json-patch+json.", "VssRequestContentTypeNotSupportedException"));
            }

            if (!_items.TryGetValue(id, out var item))
            {
                return WorkItemNotFound(id);
            }

            var operations = (await JsonNode.ParseAsync(context.Request.Body))?.AsArray() ?? [];
            var allowed = FieldsOf(item.Type);
            foreach (var operation in operations)
            {
                var path = operation?["path"]?.GetValue<string>() ?? "";
                var op = operation?["op"]?.GetValue<string>();
                if (op is not ("add" or "replace") || !path.StartsWith("/fields/", StringComparison.Ordinal))
                {
                    return Json(400, Error($"You must pass a valid patch document in the body of the request ({op} {path}).", "VssPropertyValidationException"));
                }

                var field = path["/fields/".Length..];
                if (!allowed.Contains(field))
                {
                    return Json(400, Error($"TF51535: Cannot find field {field}.", "WorkItemFieldInvalidException"));
                }

                item.Fields[field] = operation!["value"]?.DeepClone();
            }

            _writes.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Results.Content(ItemJson(item, null).ToJsonString(), "application/json");
        });

        app.MapGet(org + "/{project}/_apis/wit/workitemtypes/{type}/fields", (string project, string type) =>
        {
            if (!SameProject(project))
            {
                return ProjectNotFound(project);
            }

            if (!Processes[_process].Types.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                return Json(404, Error($"VS402323: Work item type {type} does not exist.", "WorkItemTypeNotFoundException"));
            }

            var fields = FieldsOf(type);
            return Results.Json(new { count = fields.Count, value = fields.Select(f => new { referenceName = f, name = f.Split('.')[^1], alwaysRequired = f == "System.Title", url = $"{BaseUrl}/_apis/wit/fields/{f}" }) });
        });
    }

    private HashSet<string> FieldsOf(string type)
    {
        HashSet<string> fields = new(StringComparer.OrdinalIgnoreCase) { "System.Id", "System.Title", "System.Description", "System.State", "System.WorkItemType" };
        if (!type.Equals("Task", StringComparison.OrdinalIgnoreCase))
        {
            fields.Add(EstimateField);
        }

        return fields;
    }

    private JsonObject ItemJson(FakeWorkItem item, IReadOnlyList<string>? only)
    {
        var fields = new JsonObject();
        void Put(string name, JsonNode? value)
        {
            if (value is not null && (only is null || only.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                fields[name] = value.DeepClone();
            }
        }

        Put("System.Id", item.Id);
        Put("System.WorkItemType", item.Type);
        Put("System.State", item.State);
        Put("System.TeamProject", Project);
        foreach (var (name, value) in item.Fields)
        {
            Put(name, value);
        }

        return new JsonObject { ["id"] = item.Id, ["rev"] = 1 + (_writes.TryGetValue(item.Id, out var n) ? n : 0), ["fields"] = fields, ["url"] = $"{BaseUrl}/_apis/wit/workItems/{item.Id}" };
    }

    private bool SameProject(string project) => string.Equals(project, Project, StringComparison.OrdinalIgnoreCase);

    private static IResult ProjectNotFound(string project) =>
        Json(404, Error($"VS800075: The project with id 'vstfs:///Classification/TeamProject/{project}' does not exist, or you do not have permission to access it.", "ProjectDoesNotExistException"));

    private static IResult WorkItemNotFound(int id) =>
        Json(404, Error($"TF401232: Work item {id} does not exist, or you do not have permissions to read it.", "WorkItemUnauthorizedAccessException", 3200));

    private static IResult Json(int status, string body) => Results.Content(body, "application/json; charset=utf-8", Encoding.UTF8, status);

    private static async Task Answer(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body);
    }
}
