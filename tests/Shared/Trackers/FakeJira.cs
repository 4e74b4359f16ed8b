using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PlanningPoker.Tests.Trackers;

/// <summary>An issue the fake Jira holds.</summary>
public sealed class FakeJiraIssue
{
    /// <summary>Its numeric id.</summary>
    public required string Id { get; init; }

    /// <summary>Its key (<c>TEAM-3</c>).</summary>
    public required string Key { get; init; }

    /// <summary>Its project's key.</summary>
    public required string Project { get; init; }

    /// <summary>Its summary.</summary>
    public required string Summary { get; set; }

    /// <summary>Its description as Cloud answers it (an ADF document) or Data Center (a wiki markup string), or null.</summary>
    public JsonNode? Description { get; set; }

    /// <summary>Its status ("To Do", "Done").</summary>
    public string Status { get; set; } = "To Do";

    /// <summary>When it was resolved (<c>resolutiondate</c>), or null while it is not.</summary>
    public DateTimeOffset? ResolutionDate { get; set; }

    /// <summary>The time logged on it in seconds (<c>timespent</c>), or null when none was.</summary>
    public long? TimeSpent { get; set; }

    /// <summary>Its custom field values (id → number).</summary>
    public ConcurrentDictionary<string, decimal?> Custom { get; } = new();
}

/// <summary>
/// A stateful Jira on loopback, in either flavour: Cloud (REST v3, Basic email:token, <c>POST /rest/api/3/search/jql</c>
/// with <c>nextPageToken</c>/<c>isLast</c>, unbounded JQL refused, legacy <c>/rest/api/3/search</c> → 410) or Data
/// Center (REST v2, Bearer PAT, <c>GET|POST /rest/api/2/search</c> with <c>startAt</c>/<c>total</c>). Its site has a
/// team-managed project TEAM (field "Story point estimate", <c>customfield_10016</c>) and a company-managed project COMP
/// ("Story Points", <c>customfield_10026</c>); each issue's edit screen has its project's field only. Errors come in
/// Jira's ErrorCollection shape.
/// </summary>
public sealed partial class FakeJira : IAsyncDisposable
{
    /// <summary>Team-managed projects' story points field.</summary>
    public const string TeamField = "customfield_10016";

    /// <summary>Company-managed projects' story points field.</summary>
    public const string CompanyField = "customfield_10026";

    /// <summary>The account's email (Cloud's Basic user).</summary>
    public const string Email = "ada@example.com";

    /// <summary>The API token or PAT the fake accepts.</summary>
    public const string Token = "jira-secret-token-7f3a";

    private readonly List<FakeJiraIssue> _issues = [];
    private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.OrdinalIgnoreCase);
    private int _nextId = 10000;

    private FakeJira(bool cloud) => IsCloud = cloud;

    /// <summary>The host (for <see cref="FakeTrackerHost.Fail"/> and <see cref="FakeTrackerHost.Requests"/>).</summary>
    public FakeTrackerHost Host { get; private set; } = null!;

    /// <summary>Whether it is Jira Cloud (else Data Center). The connection to it is <c>FakeJiraConnection.Connection</c> in the server tests (this file also compiles where the server's types are not referenced).</summary>
    public bool IsCloud { get; }

    /// <summary>Whether the token may edit issues (mypermissions' EDIT_ISSUES; a write answers 403 when not).</summary>
    public bool CanEdit { get; set; } = true;

    /// <summary>"3" for Cloud, "2" for Data Center.</summary>
    public string Version => IsCloud ? "3" : "2";

    /// <summary>Starts a fake Jira; <paramref name="cloud"/> picks the flavour.</summary>
    public static async Task<FakeJira> StartAsync(bool cloud)
    {
        var fake = new FakeJira(cloud);
        fake.Host = await FakeTrackerHost.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>Adds <paramref name="count"/> issues to a project ("TEAM" or "COMP"): "Story n", a one-paragraph description, estimate n % 8 (null for every fifth).</summary>
    public IReadOnlyList<FakeJiraIssue> Seed(string project, int count)
    {
        var added = new List<FakeJiraIssue>();
        for (var i = 1; i <= count; i++)
        {
            added.Add(Add(project, $"Story {i}", $"Description of story {i}", i % 5 == 0 ? null : i % 8));
        }

        return added;
    }

    /// <summary>Adds one issue with a plain-text description (served as ADF on Cloud, as a string on Data Center).</summary>
    public FakeJiraIssue Add(string project, string summary, string? description = null, decimal? estimate = null, string status = "To Do") =>
        AddRaw(project, summary, description is null ? null : IsCloud ? Adf(description) : JsonValue.Create(description), estimate, status);

    /// <summary>Adds one issue whose description is served as given (an ADF document or a wiki string).</summary>
    public FakeJiraIssue AddRaw(string project, string summary, JsonNode? description, decimal? estimate = null, string status = "To Do")
    {
        lock (_issues)
        {
            var number = _issues.Count(i => i.Project == project) + 1;
            var issue = new FakeJiraIssue
            {
                Id = _nextId++.ToString(CultureInfo.InvariantCulture),
                Key = $"{project}-{number}",
                Project = project,
                Summary = summary,
                Description = description,
                Status = status,
            };
            issue.Custom[FieldOf(project)] = estimate;
            _issues.Add(issue);
            return issue;
        }
    }

    /// <summary>The issue with that key.</summary>
    public FakeJiraIssue Issue(string key)
    {
        lock (_issues)
        {
            return _issues.Single(i => string.Equals(i.Key, key, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Deletes an issue: its key no longer exists (JQL naming it is refused, as Jira does).</summary>
    public void Delete(string key)
    {
        lock (_issues)
        {
            _issues.RemoveAll(i => string.Equals(i.Key, key, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The estimate an issue holds in its project's field.</summary>
    public decimal? EstimateOf(string key)
    {
        var issue = Issue(key);
        return issue.Custom.TryGetValue(FieldOf(issue.Project), out var value) ? value : null;
    }

    /// <summary>How many successful writes an issue received.</summary>
    public int WritesTo(string key) => _writes.TryGetValue(key, out var n) ? n : 0;

    /// <summary>The story points field of a project.</summary>
    public static string FieldOf(string project) => project == "TEAM" ? TeamField : CompanyField;

    /// <summary>Jira's ErrorCollection body.</summary>
    public static string Errors(string[] messages, Dictionary<string, string>? errors = null) =>
        new JsonObject
        {
            ["errorMessages"] = new JsonArray([.. messages.Select(m => JsonValue.Create(m))]),
            ["errors"] = new JsonObject([.. (errors ?? []).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))]),
        }.ToJsonString();

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static JsonObject Adf(string text) => new()
    {
        ["type"] = "doc",
        ["version"] = 1,
        ["content"] = new JsonArray([.. text.Split('\n').Select(line => (JsonNode)new JsonObject
        {
            ["type"] = "paragraph",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = line }),
        })]),
    };

    private void Map(WebApplication app)
    {
        var api = $"/rest/api/{Version}";
        app.Use(async (context, next) =>
        {
            if (!Authorized(context.Request))
            {
                await Answer(context, 401, Errors(["You are not authenticated. Authentication required to perform this operation."]));
                return;
            }

            await next(context);
        });

        app.MapGet($"{api}/myself", c => Json(c, 200, IsCloud
            ? new JsonObject { ["accountId"] = "5b10a2844c20165700ede21g", ["accountType"] = "atlassian", ["emailAddress"] = Email, ["displayName"] = "Ada Lovelace", ["active"] = true }
            : new JsonObject { ["name"] = "ada", ["key"] = "JIRAUSER10000", ["emailAddress"] = Email, ["displayName"] = "Ada Lovelace", ["active"] = true }));

        app.MapGet($"{api}/mypermissions", c =>
        {
            var asked = c.Request.Query["permissions"].ToString();
            if (IsCloud && asked.Length == 0)
            {
                return Answer(c, 400, Errors(["The 'permissions' query parameter is required."]));
            }

            var permissions = new JsonObject();
            foreach (var key in asked.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                permissions[key] = new JsonObject
                {
                    ["id"] = key == "EDIT_ISSUES" ? "12" : "10",
                    ["key"] = key,
                    ["name"] = key,
                    ["type"] = "PROJECT",
                    ["havePermission"] = key != "EDIT_ISSUES" || CanEdit,
                };
            }

            return Json(c, 200, new JsonObject { ["permissions"] = permissions });
        });

        app.MapGet($"{api}/field", c => Json(c, 200, new JsonArray(
            Field("summary", "Summary", "string", null),
            Field("description", "Description", IsCloud ? "string" : "string", null),
            Field("customfield_10020", "Sprint", "array", "com.pyxis.greenhopper.jira:gh-sprint"),
            Field(TeamField, "Story point estimate", "number", "com.pyxis.greenhopper.jira:jsw-story-points"),
            Field(CompanyField, "Story Points", "number", "com.atlassian.jira.plugin.system.customfieldtypes:float"))));

        if (IsCloud)
        {
            app.MapPost("/rest/api/3/search/jql", SearchCloud);
            app.MapPost("/rest/api/3/search/approximate-count", CountCloud);
            app.Map("/rest/api/3/search", c => Answer(c, 410, Errors(["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"])));
            app.Map("/rest/api/2/search", c => Answer(c, 410, Errors(["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"])));
        }
        else
        {
            app.MapGet("/rest/api/2/search", c => SearchDataCenter(c, c.Request.Query["jql"].ToString(),
                Int(c.Request.Query["startAt"].ToString()), Int(c.Request.Query["maxResults"].ToString()),
                c.Request.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)));
            app.MapPost("/rest/api/2/search", async c =>
            {
                if (await BodyAsync(c) is not { } body)
                {
                    return;
                }

                await SearchDataCenter(c, (string?)body["jql"] ?? "", (int?)body["startAt"], (int?)body["maxResults"],
                    body["fields"] is JsonArray f ? [.. f.Select(x => (string?)x ?? "")] : []);
            });
        }

        app.MapGet($"{api}/issue/{{key}}/editmeta", (HttpContext c, string key) =>
        {
            if (Find(key) is not { } issue)
            {
                return Answer(c, 404, Errors(["Issue does not exist or you do not have permission to see it."]));
            }

            var field = FieldOf(issue.Project);
            return Json(c, 200, new JsonObject
            {
                ["fields"] = new JsonObject
                {
                    ["summary"] = new JsonObject { ["required"] = true, ["name"] = "Summary", ["key"] = "summary", ["schema"] = new JsonObject { ["type"] = "string", ["system"] = "summary" }, ["operations"] = new JsonArray("set") },
                    [field] = new JsonObject
                    {
                        ["required"] = false,
                        ["name"] = issue.Project == "TEAM" ? "Story point estimate" : "Story Points",
                        ["key"] = field,
                        ["schema"] = new JsonObject { ["type"] = "number", ["custom"] = issue.Project == "TEAM" ? "com.pyxis.greenhopper.jira:jsw-story-points" : "com.atlassian.jira.plugin.system.customfieldtypes:float", ["customId"] = int.Parse(field["customfield_".Length..], CultureInfo.InvariantCulture) },
                        ["operations"] = new JsonArray("set"),
                    },
                },
            });
        });

        app.MapPut($"{api}/issue/{{key}}", async (HttpContext c, string key) =>
        {
            if (Find(key) is not { } issue)
            {
                await Answer(c, 404, Errors(["Issue does not exist or you do not have permission to see it."]));
                return;
            }

            if (!CanEdit)
            {
                await Answer(c, 403, Errors(["You do not have permission to edit issues in this project."]));
                return;
            }

            if (await BodyAsync(c) is not { } body)
            {
                return;
            }

            if (body["fields"] is not JsonObject fields)
            {
                await Answer(c, 400, Errors(["Can not deserialize instance of fields out of the request body."]));
                return;
            }

            var errors = new Dictionary<string, string>();
            var values = new Dictionary<string, decimal?>();
            foreach (var (id, value) in fields)
            {
                if (id != FieldOf(issue.Project))
                {
                    errors[id] = $"Field '{id}' cannot be set. It is not on the appropriate screen, or unknown.";
                }
                else if (value is null)
                {
                    values[id] = null;
                }
                else if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                {
                    values[id] = v.GetValue<decimal>();
                }
                else
                {
                    errors[id] = "Operation value must be a number";
                }
            }

            if (errors.Count > 0)
            {
                await Answer(c, 400, Errors([], errors));
                return;
            }

            foreach (var (id, value) in values)
            {
                issue.Custom[id] = value;
            }

            _writes.AddOrUpdate(issue.Key, 1, (_, n) => n + 1);
            c.Response.StatusCode = 204;
        });
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var expected = IsCloud
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}:{Token}"))
            : "Bearer " + Token;
        return string.Equals(header, expected, StringComparison.Ordinal);
    }

    /// <summary>Jira Cloud's count of what a bounded JQL finds (<c>{ "count": n }</c>).</summary>
    private async Task CountCloud(HttpContext c)
    {
        if (await BodyAsync(c) is not { } body)
        {
            return;
        }

        var (found, error) = Query((string?)body["jql"] ?? "", bounded: true);
        await (error is null ? Json(c, 200, new JsonObject { ["count"] = found.Count }) : Answer(c, 400, Errors(error.Split('\n'))));
    }

    private async Task SearchCloud(HttpContext c)
    {
        if (await BodyAsync(c) is not { } body)
        {
            return;
        }

        if (body["startAt"] is not null)
        {
            await Answer(c, 400, Errors(["Invalid request payload. Refer to the REST API documentation and try again."]));
            return;
        }

        var jql = (string?)body["jql"] ?? "";
        var max = Math.Clamp((int?)body["maxResults"] ?? 50, 0, 5000);
        var fields = body["fields"] is JsonArray f ? f.Select(x => (string?)x ?? "").ToArray() : ["id"];
        var start = 0;
        if ((string?)body["nextPageToken"] is { Length: > 0 } token)
        {
            if (!TryReadToken(token, jql, out start))
            {
                await Answer(c, 400, Errors(["The provided next page token is invalid or expired."]));
                return;
            }
        }

        var (found, error) = Query(jql, bounded: true);
        if (error is not null)
        {
            await Answer(c, 400, Errors(error.Split('\n')));
            return;
        }

        var page = found.Skip(start).Take(max).ToList();
        var isLast = start + page.Count >= found.Count;
        var answer = new JsonObject { ["issues"] = new JsonArray([.. page.Select(i => (JsonNode)IssueJson(i, fields))]), ["isLast"] = isLast };
        if (!isLast)
        {
            answer["nextPageToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{start + page.Count}|{jql}"));
        }

        await Json(c, 200, answer);
    }

    private Task SearchDataCenter(HttpContext c, string jql, int? startAt, int? maxResults, string[] fields)
    {
        var (found, error) = Query(jql, bounded: false);
        if (error is not null)
        {
            return Answer(c, 400, Errors(error.Split('\n')));
        }

        var start = Math.Max(0, startAt ?? 0);
        var max = Math.Clamp(maxResults ?? 50, 0, 1000);
        var page = found.Skip(start).Take(max).ToList();
        return Json(c, 200, new JsonObject
        {
            ["expand"] = "schema,names",
            ["startAt"] = start,
            ["maxResults"] = max,
            ["total"] = found.Count,
            ["issues"] = new JsonArray([.. page.Select(i => (JsonNode)IssueJson(i, fields.Length == 0 ? ["*navigable"] : fields))]),
        });
    }

    private static bool TryReadToken(string token, string jql, out int start)
    {
        start = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
            return parts.Length == 2 && parts[1] == jql && int.TryParse(parts[0], CultureInfo.InvariantCulture, out start);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private JsonObject IssueJson(FakeJiraIssue issue, string[] requested)
    {
        bool Wants(string id) => requested.Contains(id) || requested.Contains("*all") || (requested.Contains("*navigable") && id != "id");
        var fields = new JsonObject();
        if (Wants("summary"))
        {
            fields["summary"] = issue.Summary;
        }

        if (Wants("description"))
        {
            fields["description"] = issue.Description?.DeepClone();
        }

        if (Wants("issuetype"))
        {
            fields["issuetype"] = new JsonObject { ["id"] = "10001", ["name"] = "Story", ["subtask"] = false };
        }

        if (Wants("status"))
        {
            fields["status"] = new JsonObject { ["name"] = issue.Status, ["statusCategory"] = new JsonObject { ["key"] = issue.Status == "Done" ? "done" : "new" } };
        }

        if (Wants("resolutiondate"))
        {
            // Jira's date-time: milliseconds and an offset without a colon.
            fields["resolutiondate"] = issue.ResolutionDate?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
                + issue.ResolutionDate?.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
        }

        if (Wants("timespent"))
        {
            fields["timespent"] = issue.TimeSpent;
        }

        foreach (var id in new[] { TeamField, CompanyField }.Where(Wants))
        {
            fields[id] = issue.Custom.TryGetValue(id, out var value) && value is { } v ? JsonValue.Create(v) : null;
        }

        return new JsonObject
        {
            ["expand"] = "operations,versionedRepresentations,editmeta,changelog,renderedFields",
            ["id"] = issue.Id,
            ["self"] = new Uri(Host.BaseUrl, $"rest/api/{Version}/issue/{issue.Id}").AbsoluteUri,
            ["key"] = issue.Key,
            ["fields"] = fields,
        };
    }

    /// <summary>
    /// Just enough JQL: clauses joined by AND: <c>project = K</c>, <c>project in (A, B)</c>, <c>key = K-1</c>,
    /// <c>statusCategory != Done</c>, <c>status = "To Do"</c>, <c>text|summary ~ "words"</c>, <c>created &gt;= -Nd</c>
    /// (a bound that keeps all), <c>ORDER BY created DESC</c> (newest first) or any other order (key order). An unknown
    /// field is refused as Jira does; an empty restriction is refused on Cloud (unbounded).
    /// </summary>
    private (List<FakeJiraIssue> Found, string? Error) Query(string jql, bool bounded)
    {
        var order = OrderBy().Match(jql);
        var where = order.Success ? jql[..order.Index].Trim() : jql.Trim();
        if (where.Length == 0 && IsCloud && bounded)
        {
            return ([], "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
        }

        List<FakeJiraIssue> all;
        lock (_issues)
        {
            all = [.. _issues];
        }

        IEnumerable<FakeJiraIssue> found = all;
        foreach (var clause in where.Length == 0 ? [] : AndSplit().Split(where))
        {
            var m = Clause().Match(clause.Trim());
            if (!m.Success)
            {
                return ([], $"Error in the JQL Query: the clause '{clause.Trim()}' could not be parsed.");
            }

            var field = m.Groups["field"].Value.ToLowerInvariant();
            var op = m.Groups["op"].Value.ToLowerInvariant();
            var values = m.Groups["value"].Value.Trim().Trim('(', ')').Split(',').Select(v => v.Trim().Trim('"', '\'')).ToList();
            if (field is "key" or "issuekey" && op == "in"
                && values.Where(v => !all.Any(i => string.Equals(i.Key, v, StringComparison.OrdinalIgnoreCase))).ToList() is { Count: > 0 } missing)
            {
                // Jira refuses the whole query, one message a key that does not exist (or is not visible).
                return ([], string.Join('\n', missing.Select(k => $"An issue with key '{k}' does not exist for field '{m.Groups["field"].Value}'.")));
            }

            found = (field, op) switch
            {
                ("project", "=") or ("project", "in") => found.Where(i => values.Contains(i.Project, StringComparer.OrdinalIgnoreCase)),
                ("key", "=" or "in") or ("issuekey", "=" or "in") => found.Where(i => values.Contains(i.Key, StringComparer.OrdinalIgnoreCase)),
                ("statuscategory", "!=") => found.Where(i => !(values.Contains("Done", StringComparer.OrdinalIgnoreCase) && i.Status == "Done")),
                ("statuscategory", "=") => found.Where(i => values.Contains("Done", StringComparer.OrdinalIgnoreCase) == (i.Status == "Done")),
                ("status", "=") => found.Where(i => values.Contains(i.Status, StringComparer.OrdinalIgnoreCase)),
                ("text", "~") or ("summary", "~") => found.Where(i => i.Summary.Contains(values[0], StringComparison.OrdinalIgnoreCase)),
                ("created", _) or ("updated", _) => found,
                ("project" or "key" or "issuekey" or "statuscategory" or "status" or "text" or "summary", _) => found,
                _ => null!,
            };
            if (found is null)
            {
                return ([], $"Field '{m.Groups["field"].Value}' does not exist or you do not have permission to view it.");
            }
        }

        var list = found.ToList();
        if (order.Success && order.Groups[1].Value.Trim().Equals("created DESC", StringComparison.OrdinalIgnoreCase))
        {
            list.Reverse();
        }

        return (list, null);
    }

    private FakeJiraIssue? Find(string key)
    {
        lock (_issues)
        {
            return _issues.FirstOrDefault(i => string.Equals(i.Key, key, StringComparison.OrdinalIgnoreCase) || i.Id == key);
        }
    }

    private static async Task<JsonObject?> BodyAsync(HttpContext c)
    {
        if (c.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            await Answer(c, 415, "");
            return null;
        }

        try
        {
            if (await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted) is JsonObject body)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }

        await Answer(c, 400, Errors(["Unexpected character in the request body."]));
        return null;
    }

    private static JsonObject Field(string id, string name, string type, string? custom)
    {
        var schema = new JsonObject { ["type"] = type };
        if (custom is not null)
        {
            schema["custom"] = custom;
            schema["customId"] = int.Parse(id["customfield_".Length..], CultureInfo.InvariantCulture);
        }
        else
        {
            schema["system"] = id;
        }

        return new JsonObject
        {
            ["id"] = id,
            ["key"] = id,
            ["name"] = name,
            ["custom"] = custom is not null,
            ["orderable"] = true,
            ["navigable"] = true,
            ["searchable"] = true,
            ["clauseNames"] = new JsonArray(custom is null ? id : $"cf[{id["customfield_".Length..]}]"),
            ["schema"] = schema,
        };
    }

    private static int? Int(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static Task Json(HttpContext c, int status, JsonNode body) => Answer(c, status, body.ToJsonString());

    private static async Task Answer(HttpContext c, int status, string body)
    {
        c.Response.StatusCode = status;
        if (body.Length > 0)
        {
            c.Response.ContentType = "application/json;charset=UTF-8";
            await c.Response.WriteAsync(body, c.RequestAborted);
        }
    }

    [GeneratedRegex(@"\border\s+by\s+(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex OrderBy();

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^(?<field>[A-Za-z_\[\]0-9]+)\s*(?<op>!=|>=|<=|=|~|>|<|\bin\b|\bnot in\b)\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();
}
