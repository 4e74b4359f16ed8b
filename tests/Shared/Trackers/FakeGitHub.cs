using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PlanningPoker.Tests.Trackers;

/// <summary>An issue (or pull request) the fake GitHub holds.</summary>
public sealed class FakeGitHubIssue
{
    /// <summary>Its number in the repository.</summary>
    public required int Number { get; init; }

    /// <summary>Its title.</summary>
    public required string Title { get; set; }

    /// <summary>Its Markdown body, or null.</summary>
    public string? Body { get; set; }

    /// <summary>"open" or "closed".</summary>
    public string State { get; set; } = "open";

    /// <summary>Whether it is a pull request (search returns those too, with a <c>pull_request</c> key).</summary>
    public bool IsPullRequest { get; init; }

    /// <summary>When it was closed (<c>closed_at</c>), or null while it is open.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Why it was closed or reopened (<c>state_reason</c>): completed, not_planned, duplicate, reopened; or null.</summary>
    public string? StateReason { get; set; }

    /// <summary>Whether it was deleted (GitHub answers 410 Gone for it).</summary>
    public bool Deleted { get; set; }

    /// <summary>Its labels' names.</summary>
    public List<string> Labels { get; } = [];

    /// <summary>Its value in the project's number field, when it is in the project.</summary>
    public decimal? FieldValue { get; set; }

    /// <summary>Its project item's id, when it is in the project.</summary>
    public string? ItemId { get; set; }

    /// <summary>Its GraphQL node id.</summary>
    public string NodeId => $"I_kwDOfake{Number}";
}

/// <summary>
/// GitHub's REST v3 (the routes the client uses: <c>/user</c>, <c>/repos/{o}/{r}</c>, <c>/search/issues</c>, an issue, its
/// labels, the repository's labels) and GraphQL (<c>/graphql</c>: the repository's issue and project items, the owner's
/// Projects v2 project and field, <c>addProjectV2ItemById</c>, <c>updateProjectV2ItemFieldValue</c>) for one repository,
/// <c>acme/shop</c>, and one project, number 3, with a number field "Estimate" and a single-select "Status". It checks
/// the Bearer token (401 "Bad credentials" otherwise), the API version header, and the search's 1,000-result cap, and
/// answers GraphQL's errors as GitHub does: 200 with <c>errors[].type</c>.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    /// <summary>The token the fake accepts.</summary>
    public const string Token = "ghp_FakeToken0123456789abcdefABCDEF0123";

    /// <summary>The repository's owner.</summary>
    public const string Owner = "acme";

    /// <summary>The repository's name.</summary>
    public const string Repo = "shop";

    /// <summary>The project's number.</summary>
    public const int ProjectNumber = 3;

    /// <summary>The project's node id.</summary>
    public const string ProjectId = "PVT_kwDOfakeProject3";

    private readonly ConcurrentDictionary<string, int> _writes = new();
    private readonly Lock _lock = new();
    private readonly SortedDictionary<int, FakeGitHubIssue> _issues = [];
    private readonly HashSet<string> _repoLabels = new(StringComparer.OrdinalIgnoreCase);
    private int _items;

    private FakeGitHub(string? estimateField) => EstimateField = estimateField;

    /// <summary>The host, for <see cref="FakeTrackerHost.Fail"/> and <see cref="FakeTrackerHost.Requests"/>.</summary>
    public FakeTrackerHost Host { get; private set; } = null!;

    /// <summary>The connection's scope: <c>acme/shop</c>.</summary>
    public const string Scope = Owner + "/" + Repo;

    /// <summary>The estimate field the fake was started with ("3/Estimate"), for the connection; null = labels.</summary>
    public string? EstimateField { get; }

    /// <summary>The classic token's scopes, sent as <c>X-OAuth-Scopes</c> (null = a fine-grained token, no header).</summary>
    public string? Scopes { get; set; } = "repo, project";

    /// <summary>Whether the token may push to the repository.</summary>
    public bool CanPush { get; set; } = true;

    /// <summary>The project's number field's type (NUMBER; set TEXT to see a refusal).</summary>
    public string EstimateDataType { get; set; } = "NUMBER";

    /// <summary>Starts the fake; <paramref name="estimateField"/> is the connection's estimate field (e.g. "3/Estimate").</summary>
    public static async Task<FakeGitHub> StartAsync(string? estimateField = null)
    {
        var fake = new FakeGitHub(estimateField);
        fake.Host = await FakeTrackerHost.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>Adds <paramref name="count"/> open issues numbered from the next number: "Story n", a body, and every third an <c>estimate: n</c> label.</summary>
    public IReadOnlyList<FakeGitHubIssue> Seed(int count)
    {
        var added = new List<FakeGitHubIssue>();
        for (var i = 0; i < count; i++)
        {
            var issue = Add($"Story {NextNumber()}", $"Body of story **{NextNumber()}**");
            if (issue.Number % 3 == 0)
            {
                issue.Labels.Add($"estimate: {issue.Number % 8}");
            }

            added.Add(issue);
        }

        return added;
    }

    /// <summary>Adds one issue (or pull request).</summary>
    public FakeGitHubIssue Add(string title, string? body = null, bool pullRequest = false, string state = "open", params string[] labels)
    {
        lock (_lock)
        {
            var issue = new FakeGitHubIssue { Number = NextNumber(), Title = title, Body = body, IsPullRequest = pullRequest, State = state };
            issue.Labels.AddRange(labels);
            _repoLabels.UnionWith(labels);
            _issues[issue.Number] = issue;
            return issue;
        }
    }

    /// <summary>Closes an issue at a time, as completed, not_planned or duplicate (or null, as issues closed before GitHub kept a reason).</summary>
    public void Close(int number, DateTimeOffset at, string? reason = "completed")
    {
        lock (_lock)
        {
            var issue = _issues[number];
            (issue.State, issue.ClosedAt, issue.StateReason) = ("closed", at, reason);
        }
    }

    /// <summary>Puts an issue in the project (as a person would in the UI).</summary>
    public void AddToProject(int number)
    {
        lock (_lock)
        {
            _issues[number].ItemId ??= $"PVTI_fake{Interlocked.Increment(ref _items)}";
        }
    }

    /// <summary>An issue, by number.</summary>
    public FakeGitHubIssue Issue(int number)
    {
        lock (_lock)
        {
            return _issues[number];
        }
    }

    /// <summary>The repository's labels.</summary>
    public IReadOnlyCollection<string> RepoLabels
    {
        get
        {
            lock (_lock)
            {
                return [.. _repoLabels];
            }
        }
    }

    /// <summary>How many writes (labels added, field values set) reached an issue ("acme/shop#12").</summary>
    public int WritesTo(string key) => _writes.TryGetValue(key, out var count) ? count : 0;

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private int NextNumber() => _issues.Count == 0 ? 1 : _issues.Keys.Max() + 1;

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var auth = context.Request.Headers.Authorization.ToString();
            if (auth is not $"Bearer {Token}" and not $"token {Token}")
            {
                await Refuse(context, 401, "Bad credentials");
                return;
            }

            var version = context.Request.Headers["X-GitHub-Api-Version"].ToString();
            if (version.Length > 0 && version is not "2022-11-28" and not "2026-03-10")
            {
                await Refuse(context, 400, $"API version '{version}' is not supported.");
                return;
            }

            await next(context);
        });

        app.MapGet("/user", (HttpContext context) =>
        {
            if (Scopes is not null)
            {
                context.Response.Headers["X-OAuth-Scopes"] = Scopes;
            }

            return Results.Json(new { login = "octo-dev", id = 1, name = "Octo Dev", type = "User" });
        });
        app.MapGet("/repos/{owner}/{repo}", (string owner, string repo, HttpContext context) => IsRepo(owner, repo)
            ? Results.Json(new { full_name = $"{Owner}/{Repo}", @private = true, permissions = new { admin = false, maintain = false, push = CanPush, triage = CanPush, pull = true } })
            : NotFound(context));
        app.MapGet("/search/issues", Search);
        app.MapGet("/repos/{owner}/{repo}/issues/{number:int}", (string owner, string repo, int number, HttpContext context) =>
        {
            lock (_lock)
            {
                return !IsRepo(owner, repo) || !_issues.TryGetValue(number, out var issue) ? NotFound(context)
                    : issue.Deleted ? Results.Json(new { message = "This issue was deleted", documentation_url = Docs, status = "410" }, statusCode: 410)
                    : Results.Json(Json(issue));
            }
        });
        app.MapPost("/repos/{owner}/{repo}/labels", async (string owner, string repo, HttpContext context) =>
        {
            if (!IsRepo(owner, repo))
            {
                return NotFound(context);
            }

            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var name = body?["name"]?.GetValue<string>();
            lock (_lock)
            {
                if (string.IsNullOrWhiteSpace(name))
                {
                    return Invalid("Label", "name", "missing_field");
                }

                if (!_repoLabels.Add(name))
                {
                    return Invalid("Label", "name", "already_exists");
                }

                return Results.Json(new { id = _repoLabels.Count, name, color = body?["color"]?.GetValue<string>() ?? "ededed" }, statusCode: 201);
            }
        });
        app.MapDelete("/repos/{owner}/{repo}/issues/{number:int}/labels/{name}", (string owner, string repo, int number, string name, HttpContext context) =>
        {
            lock (_lock)
            {
                if (!IsRepo(owner, repo) || !_issues.TryGetValue(number, out var issue))
                {
                    return NotFound(context);
                }

                var index = issue.Labels.FindIndex(l => string.Equals(l, name, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    return Results.Json(new { message = "Label does not exist", documentation_url = Docs }, statusCode: 404);
                }

                issue.Labels.RemoveAt(index);
                return Results.Json(issue.Labels.Select(l => new { name = l }).ToList());
            }
        });
        app.MapPost("/repos/{owner}/{repo}/issues/{number:int}/labels", async (string owner, string repo, int number, HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var labels = body?["labels"]?.AsArray().Select(l => l?.GetValue<string>()).OfType<string>().ToList();
            lock (_lock)
            {
                if (!IsRepo(owner, repo) || !_issues.TryGetValue(number, out var issue))
                {
                    return NotFound(context);
                }

                if (labels is null || labels.Count == 0)
                {
                    return Invalid("Label", "labels", "missing_field");
                }

                foreach (var label in labels.Where(l => !issue.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)))
                {
                    issue.Labels.Add(label);
                    _repoLabels.Add(label);
                }

                _writes.AddOrUpdate($"{Owner}/{Repo}#{number}", 1, (_, n) => n + 1);
                return Results.Json(issue.Labels.Select(l => new { name = l }).ToList());
            }
        });
        app.MapPost("/graphql", (Delegate)GraphQL);
    }

    private IResult Search(HttpContext context)
    {
        var q = context.Request.Query["q"].ToString();
        if (q.Length == 0)
        {
            return Invalid("Search", "q", "missing");
        }

        var perPage = int.TryParse(context.Request.Query["per_page"].ToString(), CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, 100) : 30;
        var page = int.TryParse(context.Request.Query["page"].ToString(), CultureInfo.InvariantCulture, out var n) ? Math.Max(n, 1) : 1;
        if ((page - 1) * perPage >= 1000)
        {
            return Results.Json(new { message = "Only the first 1000 search results are available", documentation_url = Docs }, statusCode: 422);
        }

        var tokens = q.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var words = tokens.Where(t => !t.Contains(':', StringComparison.Ordinal)).ToList();
        var repoFilter = tokens.FirstOrDefault(t => t.StartsWith("repo:", StringComparison.OrdinalIgnoreCase))?["repo:".Length..];
        lock (_lock)
        {
            var found = _issues.Values
                .Where(i => repoFilter is null || repoFilter.Equals($"{Owner}/{Repo}", StringComparison.OrdinalIgnoreCase))
                .Where(i => !tokens.Contains("is:issue", StringComparer.OrdinalIgnoreCase) || !i.IsPullRequest)
                .Where(i => !tokens.Contains("is:pr", StringComparer.OrdinalIgnoreCase) || i.IsPullRequest)
                .Where(i => !tokens.Contains("is:open", StringComparer.OrdinalIgnoreCase) || i.State == "open")
                .Where(i => !tokens.Contains("is:closed", StringComparer.OrdinalIgnoreCase) || i.State == "closed")
                .Where(i => tokens.Where(t => t.StartsWith("label:", StringComparison.OrdinalIgnoreCase))
                    .All(t => i.Labels.Contains(t["label:".Length..].Trim('"'), StringComparer.OrdinalIgnoreCase)))
                .Where(i => words.All(w => i.Title.Contains(w, StringComparison.OrdinalIgnoreCase) || (i.Body?.Contains(w, StringComparison.OrdinalIgnoreCase) ?? false)))
                .OrderByDescending(i => i.Number)
                .ToList();
            return Results.Json(new
            {
                total_count = found.Count,
                incomplete_results = false,
                items = found.Skip((page - 1) * perPage).Take(perPage).Select(Json).ToList(),
            });
        }
    }

    private async Task<IResult> GraphQL(HttpContext context)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.Json(new { message = "Problems parsing JSON", documentation_url = "https://docs.github.com/graphql" }, statusCode: 400);
        }

        var query = body?["query"]?.GetValue<string>() ?? "";
        var variables = body?["variables"] as JsonObject ?? [];
        lock (_lock)
        {
            if (query.Contains("updateProjectV2ItemFieldValue", StringComparison.Ordinal))
            {
                var item = _issues.Values.FirstOrDefault(i => i.ItemId is not null && i.ItemId == Str(variables, "item"));
                if (Str(variables, "project") != ProjectId || item is null)
                {
                    return Errors("NOT_FOUND", $"Could not resolve to a node with the global id of '{Str(variables, "item")}'.");
                }

                if (Str(variables, "field") != "PVTF_estimate" || EstimateDataType != "NUMBER")
                {
                    return Errors("UNPROCESSABLE", "The field is not a number field");
                }

                item.FieldValue = variables["value"]!.GetValue<decimal>();
                _writes.AddOrUpdate($"{Owner}/{Repo}#{item.Number}", 1, (_, n) => n + 1);
                return Results.Json(new { data = new { updateProjectV2ItemFieldValue = new { projectV2Item = new { id = item.ItemId } } } });
            }

            if (query.Contains("addProjectV2ItemById", StringComparison.Ordinal))
            {
                var issue = _issues.Values.FirstOrDefault(i => i.NodeId == Str(variables, "content"));
                if (Str(variables, "project") != ProjectId || issue is null)
                {
                    return Errors("NOT_FOUND", $"Could not resolve to a node with the global id of '{Str(variables, "content")}'.");
                }

                issue.ItemId ??= $"PVTI_fake{Interlocked.Increment(ref _items)}";
                return Results.Json(new { data = new { addProjectV2ItemById = new { item = new { id = issue.ItemId } } } });
            }

            if (query.Contains("repository(", StringComparison.Ordinal))
            {
                return Repository(query, variables);
            }

            return Errors("UNPROCESSABLE", "The fake does not know this query");
        }
    }

    private IResult Repository(string query, JsonObject variables)
    {
        if (!IsRepo(Str(variables, "owner") ?? "", Str(variables, "name") ?? ""))
        {
            return Errors("NOT_FOUND", $"Could not resolve to a Repository with the name '{Str(variables, "owner")}/{Str(variables, "name")}'.", new JsonObject { ["repository"] = null });
        }

        var errors = new JsonArray();
        var repository = new JsonObject();
        if (query.Contains("issue(", StringComparison.Ordinal))
        {
            var number = variables["number"]?.GetValue<int>() ?? 0;
            if (_issues.TryGetValue(number, out var issue))
            {
                var nodes = new JsonArray();
                if (issue.ItemId is not null)
                {
                    nodes.Add(new JsonObject { ["id"] = issue.ItemId, ["project"] = new JsonObject { ["id"] = ProjectId, ["number"] = ProjectNumber } });
                }

                repository["issue"] = new JsonObject
                {
                    ["id"] = issue.NodeId,
                    ["url"] = HtmlUrl(issue),
                    ["projectItems"] = new JsonObject { ["nodes"] = nodes },
                };
            }
            else
            {
                repository["issue"] = null;
                errors.Add(Error("NOT_FOUND", $"Could not resolve to an issue or pull request with the number of {number}.", "repository", "issue"));
            }
        }

        var projectNumber = variables["project"]?.GetValue<int>() ?? 0;
        JsonNode? project = null;
        if (projectNumber == ProjectNumber)
        {
            var fieldName = Str(variables, "field");
            var field = fieldName switch
            {
                "Estimate" => new JsonObject { ["id"] = "PVTF_estimate", ["name"] = "Estimate", ["dataType"] = EstimateDataType },
                "Status" => new JsonObject { ["id"] = "PVTSSF_status", ["name"] = "Status", ["dataType"] = "SINGLE_SELECT" },
                _ => null,
            };
            project = new JsonObject { ["id"] = ProjectId, ["title"] = "Roadmap", ["viewerCanUpdate"] = true, ["field"] = field };
        }
        else
        {
            errors.Add(Error("NOT_FOUND", $"Could not resolve to a ProjectV2 with the number {projectNumber}.", "repository", "owner", "projectV2"));
        }

        repository["owner"] = new JsonObject { ["projectV2"] = project };
        var answer = new JsonObject { ["data"] = new JsonObject { ["repository"] = repository } };
        if (errors.Count > 0)
        {
            answer["errors"] = errors;
        }

        return Results.Content(answer.ToJsonString(), "application/json");
    }

    private static JsonObject Error(string type, string message, params string[] path) => new()
    {
        ["type"] = type,
        ["path"] = new JsonArray(path.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
        ["locations"] = new JsonArray(new JsonObject { ["line"] = 2, ["column"] = 3 }),
        ["message"] = message,
    };

    private static IResult Errors(string type, string message, JsonObject? data = null) =>
        Results.Content(new JsonObject { ["data"] = data, ["errors"] = new JsonArray(Error(type, message)) }.ToJsonString(), "application/json");

    private static string? Str(JsonObject variables, string name) => variables[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private object Json(FakeGitHubIssue issue)
    {
        var json = new Dictionary<string, object?>
        {
            ["url"] = $"{Host.BaseUrl}repos/{Owner}/{Repo}/issues/{issue.Number}",
            ["repository_url"] = $"{Host.BaseUrl}repos/{Owner}/{Repo}",
            ["html_url"] = HtmlUrl(issue),
            ["id"] = 1000 + issue.Number,
            ["node_id"] = issue.NodeId,
            ["number"] = issue.Number,
            ["title"] = issue.Title,
            ["body"] = issue.Body,
            ["state"] = issue.State,
            ["state_reason"] = issue.StateReason,
            ["closed_at"] = issue.ClosedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["labels"] = issue.Labels.Select(l => new { name = l, color = "ededed" }).ToList(),
        };
        if (issue.IsPullRequest)
        {
            json["pull_request"] = new { url = $"{Host.BaseUrl}repos/{Owner}/{Repo}/pulls/{issue.Number}" };
        }

        return json;
    }

    private static string HtmlUrl(FakeGitHubIssue issue) =>
        $"https://github.com/{Owner}/{Repo}/{(issue.IsPullRequest ? "pull" : "issues")}/{issue.Number}";

    private static bool IsRepo(string owner, string repo) =>
        owner.Equals(Owner, StringComparison.OrdinalIgnoreCase) && repo.Equals(Repo, StringComparison.OrdinalIgnoreCase);

    private const string Docs = "https://docs.github.com/rest";

    private static IResult NotFound(HttpContext _) => Results.Json(new { message = "Not Found", documentation_url = Docs, status = "404" }, statusCode: 404);

    private static IResult Invalid(string resource, string field, string code) =>
        Results.Json(new { message = "Validation Failed", errors = new[] { new { resource, field, code } }, documentation_url = Docs, status = "422" }, statusCode: 422);

    private static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { message, documentation_url = Docs, status = status.ToString(CultureInfo.InvariantCulture) });
    }
}
