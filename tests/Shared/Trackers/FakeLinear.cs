using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PlanningPoker.Tests.Trackers;

/// <summary>An issue the fake Linear holds.</summary>
public sealed class FakeLinearIssue
{
    /// <summary>Its UUID.</summary>
    public string Id { get; } = Guid.NewGuid().ToString();

    /// <summary>Its team's key.</summary>
    public required string Team { get; init; }

    /// <summary>Its number in the team.</summary>
    public required int Number { get; init; }

    /// <summary>"ENG-42".</summary>
    public string Identifier => $"{Team}-{Number}";

    /// <summary>Its title.</summary>
    public required string Title { get; set; }

    /// <summary>Its Markdown description, or null.</summary>
    public string? Description { get; set; }

    /// <summary>Its estimate, or null.</summary>
    public double? Estimate { get; set; }

    /// <summary>Its workflow state's name.</summary>
    public string StateName { get; set; } = "Todo";

    /// <summary>Its workflow state's type: triage, backlog, unstarted, started, completed, canceled.</summary>
    public string StateType { get; set; } = "unstarted";

    /// <summary>When it was completed (<c>completedAt</c>), or null.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When it was canceled (<c>canceledAt</c>), or null.</summary>
    public DateTimeOffset? CanceledAt { get; set; }

    /// <summary>Whether it was archived (left out of <c>issues</c> unless <c>includeArchived: true</c>).</summary>
    public bool Archived { get; set; }

    /// <summary>Whether it was deleted (to the trash: no longer found).</summary>
    public bool Deleted { get; set; }

    /// <summary>The number of its cycle, or null.</summary>
    public int? Cycle { get; set; }
}

/// <summary>
/// Linear's GraphQL endpoint (<c>POST /graphql</c>) for one team, <c>ENG</c>, with a configurable estimation scale:
/// <c>viewer</c>, <c>teams(filter)</c>, <c>issues(first, after, filter)</c> with the filter fields the client uses (team
/// key, state type, cycle, title words) and Relay cursors, <c>issue(id)</c> by UUID or identifier, and <c>issueUpdate</c>.
/// It checks the personal API key in <c>Authorization</c> with no "Bearer" and a JSON content type, and answers errors
/// as Linear does: <c>errors[]</c> with <c>extensions.code</c> and <c>userPresentableMessage</c>.
/// </summary>
public sealed class FakeLinear : IAsyncDisposable
{
    /// <summary>The API key the fake accepts.</summary>
    public const string ApiKey = "lin_api_FakeKey0123456789abcdefABCDEF0123456789";

    /// <summary>The team's key.</summary>
    public const string TeamKey = "ENG";

    /// <summary>The team's active cycle's number.</summary>
    public const int ActiveCycle = 7;

    private readonly ConcurrentDictionary<string, int> _writes = new();
    private readonly Lock _lock = new();
    private readonly List<FakeLinearIssue> _issues = [];

    private FakeLinear(string estimationType, bool allowZero, bool extended) =>
        (EstimationType, AllowZero, Extended) = (estimationType, allowZero, extended);

    /// <summary>The host, for <see cref="FakeTrackerHost.Fail"/> and <see cref="FakeTrackerHost.Requests"/>.</summary>
    public FakeTrackerHost Host { get; private set; } = null!;

    /// <summary>The team's <c>issueEstimationType</c>: notUsed, exponential, fibonacci, linear, tShirt.</summary>
    public string EstimationType { get; set; }

    /// <summary>The team's <c>issueEstimationAllowZero</c>.</summary>
    public bool AllowZero { get; set; }

    /// <summary>The team's <c>issueEstimationExtended</c>.</summary>
    public bool Extended { get; set; }

    /// <summary>Starts the fake with a team on the given scale.</summary>
    public static async Task<FakeLinear> StartAsync(string estimationType = "fibonacci", bool allowZero = false, bool extended = false)
    {
        var fake = new FakeLinear(estimationType, allowZero, extended);
        fake.Host = await FakeTrackerHost.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>Adds <paramref name="count"/> open issues: "Story n", a description, every other one estimated (1, 2, 3, 5, 8…).</summary>
    public IReadOnlyList<FakeLinearIssue> Seed(int count)
    {
        double[] points = [1, 2, 3, 5, 8];
        var added = new List<FakeLinearIssue>();
        for (var i = 0; i < count; i++)
        {
            var issue = Add($"Story {i + 1}", $"Description of **story {i + 1}**");
            issue.Estimate = i % 2 == 0 ? points[i / 2 % points.Length] : null;
            added.Add(issue);
        }

        return added;
    }

    /// <summary>Adds one issue to the team.</summary>
    public FakeLinearIssue Add(string title, string? description = null, string stateType = "unstarted", int? cycle = null, string team = TeamKey)
    {
        lock (_lock)
        {
            var issue = new FakeLinearIssue
            {
                Team = team,
                Number = _issues.Count(i => i.Team == team) + 1,
                Title = title,
                Description = description,
                StateType = stateType,
                StateName = stateType switch { "completed" => "Done", "canceled" => "Canceled", "started" => "In Progress", "backlog" => "Backlog", _ => "Todo" },
                Cycle = cycle,
            };
            _issues.Add(issue);
            return issue;
        }
    }

    /// <summary>An issue, by identifier.</summary>
    public FakeLinearIssue Issue(string identifier)
    {
        lock (_lock)
        {
            return _issues.Single(i => i.Identifier == identifier);
        }
    }

    /// <summary>How many <c>issueUpdate</c>s reached an issue ("ENG-3").</summary>
    public int WritesTo(string identifier) => _writes.TryGetValue(identifier, out var count) ? count : 0;

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private void Map(WebApplication app) => app.MapPost("/graphql", async (HttpContext context) =>
    {
        if (context.Request.Headers.Authorization.ToString() != ApiKey)
        {
            return Errors("AUTHENTICATION_ERROR", "authentication error", "Authentication required, not authenticated",
                "You need to authenticate to access this operation.", 400);
        }

        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Errors("BAD_USER_INPUT", "invalid input", "Content-Type must be application/json", "Invalid request.", 400);
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Errors("BAD_USER_INPUT", "invalid input", "Invalid JSON body", "Invalid request.", 400);
        }

        var query = body?["query"]?.GetValue<string>() ?? "";
        var variables = body?["variables"] as JsonObject ?? [];
        lock (_lock)
        {
            if (query.Contains("issueUpdate(", StringComparison.Ordinal))
            {
                return Update(variables);
            }

            var data = new JsonObject();
            if (query.Contains("viewer", StringComparison.Ordinal))
            {
                data["viewer"] = new JsonObject { ["id"] = "user-1", ["name"] = "Lin Ear", ["email"] = "lin@acme.test" };
            }

            if (query.Contains("teams(", StringComparison.Ordinal))
            {
                var key = variables["team"]?.GetValue<string>();
                data["teams"] = new JsonObject { ["nodes"] = key == TeamKey ? new JsonArray(Team()) : [] };
            }

            if (query.Contains("issues(", StringComparison.Ordinal))
            {
                data["issues"] = Issues(variables, query.Contains("includeArchived: true", StringComparison.Ordinal));
            }
            else if (query.Contains("issue(", StringComparison.Ordinal))
            {
                var id = variables["id"]?.GetValue<string>();
                if (Find(id) is not { } issue)
                {
                    return Errors("INVALID_INPUT", "invalid input", "Entity not found: Issue", "Could not find referenced Issue.", 200);
                }

                data["issue"] = Json(issue);
            }

            return Results.Content(new JsonObject { ["data"] = data }.ToJsonString(), "application/json");
        }
    });

    private IResult Update(JsonObject variables)
    {
        var id = variables["id"]?.GetValue<string>();
        if (Find(id) is not { } issue)
        {
            return Errors("INVALID_INPUT", "invalid input", "Entity not found: Issue", "Could not find referenced Issue.", 200);
        }

        var estimate = variables["estimate"];
        if (estimate is JsonValue value && !value.TryGetValue<int>(out _))
        {
            return Errors("GRAPHQL_VALIDATION_FAILED", "graphql error", "Variable \"$estimate\" got invalid value; Int cannot represent non-integer value", "Invalid input.", 400);
        }

        issue.Estimate = estimate?.GetValue<int>();
        _writes.AddOrUpdate(issue.Identifier, 1, (_, n) => n + 1);
        return Results.Content(
            new JsonObject { ["data"] = new JsonObject { ["issueUpdate"] = new JsonObject { ["success"] = true, ["lastSyncId"] = 1234, ["issue"] = Json(issue) } } }.ToJsonString(),
            "application/json");
    }

    private JsonObject Issues(JsonObject variables, bool includeArchived)
    {
        var first = variables["first"]?.GetValue<int>() ?? 50;
        var after = variables["after"] is JsonValue a && a.TryGetValue<string>(out var cursor) ? cursor : null;
        var filter = variables["filter"] as JsonObject;
        var team = filter?["team"]?["key"]?["eq"]?.GetValue<string>();
        var notIn = filter?["state"]?["type"]?["nin"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        var active = filter?["cycle"]?["isActive"]?["eq"]?.GetValue<bool>();
        var cycle = filter?["cycle"]?["number"]?["eq"]?.GetValue<int>();
        var words = filter?["and"]?.AsArray().Select(n => n?["title"]?["containsIgnoreCase"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
        // or: [{ team: { key: { eq } }, number: { in: [...] } }, …]: an issue matching any of them.
        var any = filter?["or"]?.AsArray().Select(n => (
                Team: n?["team"]?["key"]?["eq"]?.GetValue<string>(),
                Numbers: n?["number"]?["in"]?.AsArray().Select(x => x!.GetValue<int>()).ToHashSet()))
            .ToList();
        var found = _issues
            .Where(i => !i.Deleted && (includeArchived || !i.Archived))
            .Where(i => any is null || any.Any(a => (a.Team is null || a.Team == i.Team) && (a.Numbers is null || a.Numbers.Contains(i.Number))))
            .Where(i => team is null || i.Team == team)
            .Where(i => !notIn.Contains(i.StateType))
            .Where(i => active != true || i.Cycle == ActiveCycle)
            .Where(i => cycle is null || i.Cycle == cycle)
            .Where(i => words.All(w => i.Title.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var start = after is null ? 0 : found.FindIndex(i => i.Id == after) + 1;
        var page = found.Skip(start).Take(Math.Clamp(first, 1, 250)).ToList();
        return new JsonObject
        {
            ["nodes"] = new JsonArray(page.Select(i => (JsonNode?)Json(i)).ToArray()),
            ["pageInfo"] = new JsonObject
            {
                ["hasNextPage"] = start + page.Count < found.Count,
                ["endCursor"] = page.Count > 0 ? page[^1].Id : null,
            },
        };
    }

    private FakeLinearIssue? Find(string? id) => _issues.FirstOrDefault(i => !i.Deleted && (i.Id == id || i.Identifier == id));

    private JsonObject Team() => new()
    {
        ["id"] = "team-eng",
        ["key"] = TeamKey,
        ["name"] = "Engineering",
        ["issueEstimationType"] = EstimationType,
        ["issueEstimationAllowZero"] = AllowZero,
        ["issueEstimationExtended"] = Extended,
    };

    private JsonObject Json(FakeLinearIssue issue) => new()
    {
        ["id"] = issue.Id,
        ["identifier"] = issue.Identifier,
        ["title"] = issue.Title,
        ["description"] = issue.Description,
        ["url"] = $"https://linear.app/acme/issue/{issue.Identifier}/{issue.Title.ToLowerInvariant().Replace(' ', '-')}",
        ["number"] = issue.Number,
        ["estimate"] = issue.Estimate,
        ["completedAt"] = issue.CompletedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["canceledAt"] = issue.CanceledAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["archivedAt"] = issue.Archived ? "2026-11-30T00:00:00.000Z" : null,
        ["state"] = new JsonObject { ["name"] = issue.StateName, ["type"] = issue.StateType },
        ["team"] = issue.Team == TeamKey ? Team() : new JsonObject { ["id"] = $"team-{issue.Team.ToLowerInvariant()}", ["key"] = issue.Team, ["name"] = issue.Team, ["issueEstimationType"] = "notUsed" },
    };

    private static IResult Errors(string code, string type, string message, string userMessage, int status) =>
        Results.Content(
            new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = message,
                    ["extensions"] = new JsonObject { ["type"] = type, ["code"] = code, ["userError"] = true, ["userPresentableMessage"] = userMessage },
                }),
                ["data"] = null,
            }.ToJsonString(),
            "application/json",
            statusCode: status);
}
