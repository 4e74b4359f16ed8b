using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PlanningPoker.Tests.Trackers;

/// <summary>One GitLab issue the fake keeps.</summary>
public sealed class FakeGitLabIssue
{
    /// <summary>Its number in the project.</summary>
    public required int Iid { get; init; }

    /// <summary>Its title.</summary>
    public required string Title { get; set; }

    /// <summary>Its Markdown description.</summary>
    public string? Description { get; set; }

    /// <summary>opened or closed.</summary>
    public string State { get; set; } = "opened";

    /// <summary>Its labels.</summary>
    public List<string> Labels { get; init; } = [];

    /// <summary>Its milestone's title.</summary>
    public string? Milestone { get; set; }

    /// <summary>Its weight (kept on Premium only).</summary>
    public int? Weight { get; set; }

    /// <summary>When it was closed (<c>closed_at</c>), or null while it is open.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The time logged on it in seconds (<c>time_stats.total_time_spent</c>).</summary>
    public int TimeSpent { get; set; }

    /// <summary>The id of the issue it was moved to (<c>moved_to_id</c>), or null.</summary>
    public int? MovedToId { get; set; }
}

/// <summary>
/// GitLab's REST API v4 as its docs describe it, for one project in one group: <c>PRIVATE-TOKEN</c> (or Bearer) auth
/// with <c>{"message":"401 Unauthorized"}</c>; project ids as numbers or URL-encoded paths; issue lists filtered by
/// state, labels, milestone and search, paged with <c>per_page</c>/<c>page</c> and the <c>x-*</c> headers (x-next-page
/// empty on the last page); <c>PUT</c> of an issue, whose weight is kept on Premium and left out on Free.
/// </summary>
public sealed partial class FakeGitLab : IAsyncDisposable
{
    private const int ProjectId = 278964;
    private readonly ConcurrentDictionary<int, FakeGitLabIssue> _issues = new();
    private readonly ConcurrentDictionary<int, int> _writes = new();
    private readonly bool _premium;
    private readonly int _accessLevel;
    private int _nextIid;

    private FakeGitLab(string token, string projectPath, bool premium, int accessLevel)
    {
        (Token, ProjectPath, _premium, _accessLevel) = (token, projectPath, premium, accessLevel);
        Host = null!;
    }

    /// <summary>The loopback host.</summary>
    public FakeTrackerHost Host { get; private set; }

    /// <summary>The token it accepts.</summary>
    public string Token { get; }

    /// <summary>The project's path with namespace (<c>acme/web</c>).</summary>
    public string ProjectPath { get; }

    /// <summary>The project's numeric id.</summary>
    public static int Id => ProjectId;

    /// <summary>The issues, by iid.</summary>
    public IReadOnlyDictionary<int, FakeGitLabIssue> Issues => _issues;

    /// <summary>Starts GitLab with one project; <paramref name="premium"/> false is the Free tier (no weight); <paramref name="accessLevel"/> is the token user's role (30 Developer).</summary>
    public static async Task<FakeGitLab> StartAsync(string token = "glpat-5ecretT0ken", string projectPath = "acme/web", bool premium = true, int accessLevel = 30)
    {
        var fake = new FakeGitLab(token, projectPath, premium, accessLevel);
        fake.Host = await FakeTrackerHost.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>Adds issues "Issue 1…n" with Markdown descriptions and weights 1…5 (every fifth has none); returns their iids.</summary>
    public IReadOnlyList<int> Seed(int count, string titlePrefix = "Issue")
    {
        var iids = new List<int>();
        for (var i = 1; i <= count; i++)
        {
            iids.Add(Add($"{titlePrefix} {i}", $"As a user I want **issue {i}**.\n\n- first\n- second", i % 5 == 0 ? null : i % 5));
        }

        return iids;
    }

    /// <summary>Adds one issue.</summary>
    public int Add(string title, string? description = null, int? weight = null, IEnumerable<string>? labels = null, string? milestone = null, string state = "opened")
    {
        var issue = new FakeGitLabIssue
        {
            Iid = Interlocked.Increment(ref _nextIid),
            Title = title,
            Description = description,
            Weight = weight,
            Labels = [.. labels ?? []],
            Milestone = milestone,
            State = state,
        };
        _issues[issue.Iid] = issue;
        return issue.Iid;
    }

    /// <summary>Closes an issue at a time.</summary>
    public void Close(int iid, DateTimeOffset at)
    {
        _issues[iid].State = "closed";
        _issues[iid].ClosedAt = at;
    }

    /// <summary>How many PUTs reached an issue (key <c>acme/web#12</c>).</summary>
    public int WritesTo(string key) => _writes.TryGetValue(int.Parse(key[(key.LastIndexOf('#') + 1)..], CultureInfo.InvariantCulture), out var n) ? n : 0;

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var token = context.Request.Headers["PRIVATE-TOKEN"].ToString();
            var bearer = context.Request.Headers.Authorization.ToString();
            if (token != Token && bearer != "Bearer " + Token)
            {
                await Answer(context, 401, new JsonObject { ["message"] = "401 Unauthorized" });
                return;
            }

            await next(context);
        });

        app.MapGet("/api/v4/user", () => Results.Json(new { id = 42, username = "ada", name = "Ada Lovelace", state = "active", web_url = "https://gitlab.example.com/ada" }));

        app.MapGet("/api/v4/projects/{id}", (string id) => !IsProject(id) ? ProjectNotFound() : Results.Json(new
        {
            id = ProjectId,
            name = ProjectPath.Split('/')[^1],
            path_with_namespace = ProjectPath,
            web_url = WebUrl,
            permissions = new { project_access = _accessLevel > 0 ? new { access_level = _accessLevel, notification_level = 3 } : null, group_access = (object?)null },
        }));

        app.MapGet("/api/v4/groups/{id}", (string id) => !IsGroup(id)
            ? Json(404, new JsonObject { ["message"] = "404 Group Not Found" })
            : Results.Json(new { id = 77, full_path = GroupPath, web_url = $"https://gitlab.example.com/groups/{GroupPath}" }));

        app.MapGet("/api/v4/projects/{id}/issues", (string id, HttpContext context) => !IsProject(id) ? ProjectNotFound() : List(context));
        app.MapGet("/api/v4/groups/{id}/issues", (string id, HttpContext context) => !IsGroup(id) ? Json(404, new JsonObject { ["message"] = "404 Group Not Found" }) : List(context));

        app.MapPut("/api/v4/projects/{id}/issues/{iid:int}", async (string id, int iid, HttpContext context) =>
        {
            if (!IsProject(id))
            {
                return ProjectNotFound();
            }

            if (!_issues.TryGetValue(iid, out var issue))
            {
                return Json(404, new JsonObject { ["message"] = "404 Not found" });
            }

            if (_accessLevel < 15)
            {
                return Json(403, new JsonObject { ["message"] = "403 Forbidden" });
            }

            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                return Json(400, new JsonObject { ["error"] = "weight is missing" });
            }

            var body = await JsonNode.ParseAsync(context.Request.Body);
            if (body?["weight"] is JsonValue weight)
            {
                if (!weight.TryGetValue<int>(out var w))
                {
                    return Json(400, new JsonObject { ["error"] = "weight is invalid" });
                }

                if (w < 0)
                {
                    return Json(400, new JsonObject { ["message"] = new JsonObject { ["weight"] = new JsonArray("must be greater than or equal to 0") } });
                }

                if (_premium)
                {
                    issue.Weight = w;
                }
            }

            _writes.AddOrUpdate(iid, 1, (_, n) => n + 1);
            return Results.Content(IssueJson(issue).ToJsonString(), "application/json");
        });
    }

    private string GroupPath => ProjectPath[..ProjectPath.LastIndexOf('/')];

    private string WebUrl => $"https://gitlab.example.com/{ProjectPath}";

    // Routing leaves %2F encoded in a segment: the path arrives as acme%2Fweb.
    private bool IsProject(string id) => id == ProjectId.ToString(CultureInfo.InvariantCulture) || Uri.UnescapeDataString(id) == ProjectPath;

    private bool IsGroup(string id) => Uri.UnescapeDataString(id) == GroupPath;

    private IResult List(HttpContext context)
    {
        var query = context.Request.Query;
        var state = query["state"].ToString() is { Length: > 0 } s ? s : "all";
        var perPage = int.TryParse(query["per_page"], out var pp) ? Math.Clamp(pp, 1, 100) : 20;
        var page = int.TryParse(query["page"], out var p) && p > 0 ? p : 1;
        var labels = query["labels"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var milestone = query["milestone"].ToString();
        var search = query["search"].ToString();
        var iids = query["iids[]"].Select(v => int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : -1).ToHashSet();
        var found = _issues.Values
            .Where(i => iids.Count == 0 || iids.Contains(i.Iid))
            .Where(i => state == "all" || i.State == state)
            .Where(i => labels.All(l => i.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)))
            .Where(i => milestone.Length == 0 || i.Milestone == milestone)
            .Where(i => search.Length == 0 || i.Title.Contains(search, StringComparison.OrdinalIgnoreCase) || i.Description?.Contains(search, StringComparison.OrdinalIgnoreCase) == true)
            .OrderBy(i => i.Iid)
            .ToList();
        var items = found.Skip((page - 1) * perPage).Take(perPage).Select(IssueJson).ToArray();
        var pages = Math.Max(1, (found.Count + perPage - 1) / perPage);
        var headers = context.Response.Headers;
        headers["x-page"] = page.ToString(CultureInfo.InvariantCulture);
        headers["x-per-page"] = perPage.ToString(CultureInfo.InvariantCulture);
        headers["x-next-page"] = page < pages ? (page + 1).ToString(CultureInfo.InvariantCulture) : "";
        headers["x-prev-page"] = page > 1 ? (page - 1).ToString(CultureInfo.InvariantCulture) : "";
        headers["x-total"] = found.Count.ToString(CultureInfo.InvariantCulture);
        headers["x-total-pages"] = pages.ToString(CultureInfo.InvariantCulture);
        return Results.Content(new JsonArray(items).ToJsonString(), "application/json");
    }

    private JsonNode IssueJson(FakeGitLabIssue issue)
    {
        var json = new JsonObject
        {
            ["id"] = 900000 + issue.Iid,
            ["iid"] = issue.Iid,
            ["project_id"] = ProjectId,
            ["title"] = issue.Title,
            ["description"] = issue.Description,
            ["state"] = issue.State,
            ["labels"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)l)]),
            ["milestone"] = issue.Milestone is null ? null : new JsonObject { ["title"] = issue.Milestone },
            ["issue_type"] = "issue",
            ["type"] = "ISSUE",
            ["web_url"] = $"{WebUrl}/-/issues/{issue.Iid}",
            ["references"] = new JsonObject { ["short"] = $"#{issue.Iid}", ["relative"] = $"#{issue.Iid}", ["full"] = $"{ProjectPath}#{issue.Iid}" },
            ["closed_at"] = issue.ClosedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["moved_to_id"] = issue.MovedToId,
            ["time_stats"] = new JsonObject
            {
                ["time_estimate"] = 0,
                ["total_time_spent"] = issue.TimeSpent,
                ["human_time_estimate"] = null,
                ["human_total_time_spent"] = issue.TimeSpent == 0 ? null : $"{issue.TimeSpent / 3600}h {issue.TimeSpent % 3600 / 60}m",
            },
        };
        if (_premium)
        {
            json["weight"] = issue.Weight;
        }

        return json;
    }

    private static IResult ProjectNotFound() => Json(404, new JsonObject { ["message"] = "404 Project Not Found" });

    private static IResult Json(int status, JsonNode body) => Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static async Task Answer(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
