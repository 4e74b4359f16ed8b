using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PlanningPoker.Server.Trackers.GitHub;

namespace PlanningPoker.Server.Trackers.Linear;

/// <summary>
/// Linear's GraphQL API (docs/trackers/linear.md): a team's open issues (<c>issues</c> with an <c>IssueFilter</c>, Relay
/// cursors), and the estimate written with <c>issueUpdate</c> after checking it against the team's estimation scale
/// (<c>issueEstimationType</c>, <c>issueEstimationAllowZero</c>, <c>issueEstimationExtended</c>).
/// </summary>
public sealed class LinearClient(IHttpClientFactory httpClientFactory) : ITrackerClient
{
    private const string TeamFields = "id key name issueEstimationType issueEstimationAllowZero issueEstimationExtended";

    private const string CheckQuery = $$"""
        query PlanningPokerCheck($team: String!) {
          viewer { id name email }
          teams(filter: { key: { eq: $team } }) { nodes { {{TeamFields}} } }
        }
        """;

    private const string SearchQuery = """
        query PlanningPokerIssues($first: Int!, $after: String, $filter: IssueFilter) {
          issues(first: $first, after: $after, filter: $filter) {
            nodes { id identifier title description url estimate state { name type } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private const string IssueQuery = $$"""
        query PlanningPokerIssue($id: String!) {
          issue(id: $id) { id identifier url estimate team { {{TeamFields}} } }
        }
        """;

    private const string UpdateMutation = """
        mutation PlanningPokerWriteEstimate($id: String!, $estimate: Int) {
          issueUpdate(id: $id, input: { estimate: $estimate }) { success issue { id identifier url estimate } }
        }
        """;

    private const string ActualsQuery = """
        query PlanningPokerActuals($first: Int!, $filter: IssueFilter) {
          issues(first: $first, filter: $filter, includeArchived: true) {
            nodes { identifier number team { key } completedAt canceledAt }
          }
        }
        """;

    /// <inheritdoc />
    public TrackerKind Kind => TrackerKind.Linear;

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerCheck>> CheckAsync(TrackerConnection connection, CancellationToken cancellationToken)
    {
        var team = TeamKey(connection.Scope);
        var result = await PostAsync(connection, CheckQuery, new JsonObject { ["team"] = team ?? "" }, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure;
        }

        var data = result.Value;
        var viewer = data.TryGetProperty("viewer", out var v) ? v : default;
        var account = TrackerHttp.StringAt(viewer, "email") ?? TrackerHttp.StringAt(viewer, "name") ?? "(unknown)";
        var notes = new List<string>();
        if (team is null || FirstTeam(data) is not { } found)
        {
            notes.Add(team is null ? "the scope must be a team key, e.g. ENG" : $"no team with the key {team} is visible to this key");
            return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(account, false, false, null, notes));
        }

        var scale = LinearScale.Of(found);
        notes.Add(scale.Describe());
        if (scale.Type == LinearScale.TShirt)
        {
            notes.Add("Linear keeps t-shirt sizes as numbers (XS=1, S=2, M=3, L=5, XL=8, XXL=13, XXXL=21): map the deck's sizes to these points");
        }

        return TrackerResult<TrackerCheck>.Ok(new TrackerCheck(
            account, true, scale.Values.Count == 0 ? false : null, scale.Values.Count == 0 ? null : $"estimate ({scale.Type})", notes));
    }

    /// <inheritdoc />
    public async Task<TrackerResult<TrackerPage>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken)
    {
        if (TeamKey(connection.Scope) is not { } team)
        {
            return TrackerResult<TrackerPage>.Fail(TrackerFailureKind.Refused, "the scope must be a team key, e.g. ENG");
        }

        var variables = new JsonObject
        {
            ["first"] = Math.Clamp(pageSize, 1, 100),
            ["after"] = page,
            ["filter"] = Filter(team, query),
        };
        var result = await PostAsync(connection, SearchQuery, variables, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure;
        }

        var issues = new List<TrackerIssue>();
        string? next = null;
        if (result.Value.TryGetProperty("issues", out var connectionNode) && connectionNode.ValueKind == JsonValueKind.Object)
        {
            if (connectionNode.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
            {
                issues.AddRange(nodes.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object).Select(IssueOf));
            }

            if (connectionNode.TryGetProperty("pageInfo", out var info) && info.ValueKind == JsonValueKind.Object
                && info.TryGetProperty("hasNextPage", out var more) && more.ValueKind == JsonValueKind.True)
            {
                next = TrackerHttp.StringAt(info, "endCursor");
            }
        }

        return TrackerResult<TrackerPage>.Ok(new TrackerPage(issues, next, null));
    }

    /// <inheritdoc />
    public async Task<TrackerResult<WriteBackDone>> WriteEstimateAsync(TrackerConnection connection, string issueKey, EstimateToWrite estimate, CancellationToken cancellationToken)
    {
        var key = issueKey.Trim();
        if (key.Length is 0 or > 100)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, "not a Linear issue identifier (e.g. ENG-42)");
        }

        if (estimate.Points is not { } points)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"the card \"{estimate.Card}\" has no value in points, and Linear's estimate is a number");
        }

        if (points != decimal.Truncate(points) || points < 0 || points > int.MaxValue)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, $"Linear's estimate is a whole number of points: {points.ToString(CultureInfo.InvariantCulture)} cannot be written");
        }

        var found = await PostAsync(connection, IssueQuery, new JsonObject { ["id"] = key }, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        if (!found.Value.TryGetProperty("issue", out var issue) || issue.ValueKind != JsonValueKind.Object)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.NotFound, $"{key} was not found");
        }

        var scale = issue.TryGetProperty("team", out var team) && team.ValueKind == JsonValueKind.Object ? LinearScale.Of(team) : null;
        if (scale is not null && !scale.Holds((int)points))
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.CannotHold, scale.Values.Count == 0
                ? $"team {scale.Team} does not use estimates"
                : $"team {scale.Team}'s {scale.Type} scale holds {string.Join(", ", scale.Values)}, not {(int)points}");
        }

        var updated = await PostAsync(connection, UpdateMutation, new JsonObject { ["id"] = TrackerHttp.StringAt(issue, "id") ?? key, ["estimate"] = (int)points }, cancellationToken);
        if (updated.Failure is { } updateFailure)
        {
            return updateFailure;
        }

        var payload = updated.Value.TryGetProperty("issueUpdate", out var p) ? p : default;
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("success", out var success) || success.ValueKind != JsonValueKind.True)
        {
            return TrackerResult<WriteBackDone>.Fail(TrackerFailureKind.Refused, $"Linear did not update {key}");
        }

        var url = payload.TryGetProperty("issue", out var written) && written.ValueKind == JsonValueKind.Object ? TrackerHttp.StringAt(written, "url") : null;
        return TrackerResult<WriteBackDone>.Ok(new WriteBackDone(UriOf(url ?? TrackerHttp.StringAt(issue, "url")), "estimate"));
    }

    /// <summary>
    /// One <c>issues</c> query (archived ones included) whose filter is, for each team of the keys, its key and the numbers
    /// asked (<c>or: [{ team: { key: { eq } }, number: { in } }]</c>): <c>completedAt</c>, unless <c>canceledAt</c> says
    /// it was canceled; never a time logged (Linear keeps none). Keys that are not identifiers (<c>ENG-42</c>), and
    /// issues not found (deleted, moved to another team), are left out.
    /// </summary>
    public async Task<TrackerResult<IReadOnlyList<TrackerActual>>> ActualsAsync(TrackerConnection connection, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (TrackerHttp.TooManyKeys(keys) is { } tooMany)
        {
            return tooMany;
        }

        var asked = new List<(string Key, string Team, int Number)>();
        foreach (var key in keys.Select(k => k.Trim()).Distinct(StringComparer.Ordinal))
        {
            var dash = key.LastIndexOf('-');
            if (dash > 0 && TeamKey(key[..dash]) is { } team && int.TryParse(key[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                asked.Add((key, team, number));
            }
        }

        if (asked.Count == 0)
        {
            return TrackerResult<IReadOnlyList<TrackerActual>>.Ok([]);
        }

        var teams = asked.GroupBy(k => k.Team).Select(g => (JsonNode)new JsonObject
        {
            ["team"] = new JsonObject { ["key"] = new JsonObject { ["eq"] = g.Key } },
            ["number"] = new JsonObject { ["in"] = new JsonArray([.. g.Select(k => (JsonNode)k.Number).Distinct()]) },
        });
        var result = await PostAsync(connection, ActualsQuery, new JsonObject { ["first"] = asked.Count, ["filter"] = new JsonObject { ["or"] = new JsonArray([.. teams]) } }, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure;
        }

        var found = new Dictionary<(string Team, int Number), DateTimeOffset?>();
        if (result.Value.TryGetProperty("issues", out var issues) && issues.ValueKind == JsonValueKind.Object
            && issues.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
        {
            foreach (var node in nodes.EnumerateArray())
            {
                var team = node.TryGetProperty("team", out var t) ? TrackerHttp.StringAt(t, "key") : null;
                if (team is not null && node.TryGetProperty("number", out var n) && n.TryGetInt32(out var number))
                {
                    found[(team.ToUpperInvariant(), number)] = TrackerHttp.DateAt(node, "canceledAt") is null ? TrackerHttp.DateAt(node, "completedAt") : null;
                }
            }
        }

        return TrackerResult<IReadOnlyList<TrackerActual>>.Ok([.. asked.Where(k => found.ContainsKey((k.Team, k.Number))).Select(k => new TrackerActual(k.Key, found[(k.Team, k.Number)], null))]);
    }

    /// <summary>
    /// The <c>IssueFilter</c> of a query: the team's issues not completed or canceled; <c>cycle:current</c> = the active
    /// cycle, <c>cycle:N</c> = cycle number N; every other word must be in the title (case-insensitive).
    /// </summary>
    internal static JsonObject Filter(string team, string? query)
    {
        var filter = new JsonObject
        {
            ["team"] = new JsonObject { ["key"] = new JsonObject { ["eq"] = team } },
            ["state"] = new JsonObject { ["type"] = new JsonObject { ["nin"] = new JsonArray("completed", "canceled") } },
        };
        var words = new JsonArray();
        foreach (var word in (query ?? "").Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("cycle:", StringComparison.OrdinalIgnoreCase))
            {
                var cycle = word["cycle:".Length..];
                if (cycle.Equals("current", StringComparison.OrdinalIgnoreCase))
                {
                    filter["cycle"] = new JsonObject { ["isActive"] = new JsonObject { ["eq"] = true } };
                    continue;
                }

                if (int.TryParse(cycle, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    filter["cycle"] = new JsonObject { ["number"] = new JsonObject { ["eq"] = number } };
                    continue;
                }
            }

            words.Add(new JsonObject { ["title"] = new JsonObject { ["containsIgnoreCase"] = word } });
        }

        if (words.Count > 0)
        {
            filter["and"] = words;
        }

        return filter;
    }

    private static TrackerIssue IssueOf(JsonElement node)
    {
        var estimate = node.TryGetProperty("estimate", out var e) && e.ValueKind == JsonValueKind.Number
            ? e.GetDecimal().ToString("0.##", CultureInfo.InvariantCulture) : null;
        var state = node.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.Object ? TrackerHttp.StringAt(s, "name") : null;
        return new TrackerIssue(
            TrackerHttp.StringAt(node, "identifier") ?? TrackerHttp.StringAt(node, "id") ?? "",
            MarkdownText.Title(TrackerHttp.StringAt(node, "title")),
            MarkdownText.Description(TrackerHttp.StringAt(node, "description")),
            UriOf(TrackerHttp.StringAt(node, "url")),
            null,
            state,
            estimate);
    }

    private static JsonElement? FirstTeam(JsonElement data) =>
        data.TryGetProperty("teams", out var teams) && teams.ValueKind == JsonValueKind.Object && teams.TryGetProperty("nodes", out var nodes)
            && nodes.ValueKind == JsonValueKind.Array && nodes.GetArrayLength() > 0 ? nodes[0] : null;

    /// <summary>
    /// Posts a GraphQL request with the API key as Linear wants it (<c>Authorization: &lt;key&gt;</c>; an OAuth token as
    /// <c>Bearer</c>). Linear's <c>errors</c> become failures by <c>extensions.code</c>, in a 200 or a 4xx answer alike.
    /// </summary>
    private async Task<TrackerResult<JsonElement>> PostAsync(TrackerConnection connection, string query, JsonObject variables, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(TrackerHttp.ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(connection.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/graphql"))
        {
            Content = new StringContent(new JsonObject { ["query"] = query, ["variables"] = variables }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var secret = connection.Secret.Trim();
        request.Headers.TryAddWithoutValidation("Authorization", secret.StartsWith("lin_oauth_", StringComparison.Ordinal) ? $"Bearer {secret}" : secret);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                string? code = null;
                var failure = await TrackerHttp.FailureOfAsync(response, body => ReasonOf(body, out code), cancellationToken);
                return Refine(failure, code, response);
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            var root = json.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var reason = ReasonOf(root, out var code) ?? "Linear refused the request";
                return Refine(new TrackerFailure(TrackerFailureKind.Refused, reason, response.StatusCode), code, response);
            }

            return root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? TrackerResult<JsonElement>.Ok(data.Clone())
                : TrackerResult<JsonElement>.Fail(TrackerFailureKind.Unavailable, "Linear answered without data", response.StatusCode);
        }
        catch (Exception e) when (TrackerHttp.NetworkFailure(e, request, cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>The failure Linear's error code means: RATELIMITED (with its reset), AUTHENTICATION_ERROR, FORBIDDEN; else as the status says.</summary>
    private static TrackerFailure Refine(TrackerFailure failure, string? code, HttpResponseMessage response)
    {
        var kind = code?.ToUpperInvariant() switch
        {
            "RATELIMITED" or "RATE_LIMITED" => TrackerFailureKind.RateLimited,
            "AUTHENTICATION_ERROR" => TrackerFailureKind.Unauthorized,
            "FORBIDDEN" => TrackerFailureKind.Forbidden,
            "ENTITY_NOT_FOUND" or "NOT_FOUND" => TrackerFailureKind.NotFound,
            _ => failure.Kind,
        };
        var wait = failure.RetryAfter ?? (kind == TrackerFailureKind.RateLimited ? ResetOf(response) : null);
        return failure with { Kind = kind, RetryAfter = wait };
    }

    /// <summary>When Linear's request budget refills: <c>X-RateLimit-Requests-Reset</c>, a Unix time in milliseconds (or seconds).</summary>
    private static TimeSpan? ResetOf(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-RateLimit-Requests-Reset", out var values)
            || !long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            return null;
        }

        var at = reset > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(reset, 253402300799000)) : DateTimeOffset.FromUnixTimeSeconds(Math.Min(reset, 253402300799));
        var wait = at - DateTimeOffset.UtcNow;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Linear's reason: the first error's <c>extensions.userPresentableMessage</c>, else its <c>message</c>; and its <c>extensions.code</c>.</summary>
    private static string? ReasonOf(JsonElement? body, out string? code)
    {
        code = null;
        if (body is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("errors", out var errors)
            || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0 || errors[0].ValueKind != JsonValueKind.Object)
        {
            return TrackerHttp.StringAt(body, "message");
        }

        var first = errors[0];
        var extensions = first.TryGetProperty("extensions", out var x) && x.ValueKind == JsonValueKind.Object ? x : (JsonElement?)null;
        code = TrackerHttp.StringAt(extensions, "code");
        if (TrackerHttp.StringAt(first, "message")?.StartsWith("Entity not found", StringComparison.OrdinalIgnoreCase) == true)
        {
            code = "ENTITY_NOT_FOUND";
        }

        return TrackerHttp.StringAt(extensions, "userPresentableMessage") ?? TrackerHttp.StringAt(first, "message");
    }

    private static string? TeamKey(string? scope) =>
        scope?.Trim() is { Length: > 0 and <= 20 } key && key.All(char.IsLetterOrDigit) ? key.ToUpperInvariant() : null;

    private static Uri? UriOf(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;
}

/// <summary>A Linear team's estimation scale: the whole numbers its issues' estimates may take.</summary>
internal sealed record LinearScale(string Team, string Type, IReadOnlyList<int> Values)
{
    /// <summary>The t-shirt scale's type name.</summary>
    public const string TShirt = "tShirt";

    /// <summary>The scale of a team object (<c>key issueEstimationType issueEstimationAllowZero issueEstimationExtended</c>).</summary>
    public static LinearScale Of(JsonElement team)
    {
        var type = TrackerHttp.StringAt(team, "issueEstimationType") ?? "notUsed";
        bool Flag(string name) => team.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
        int[] values = type switch
        {
            "exponential" => Flag("issueEstimationExtended") ? [1, 2, 4, 8, 16, 32, 64] : [1, 2, 4, 8, 16],
            "fibonacci" or TShirt => Flag("issueEstimationExtended") ? [1, 2, 3, 5, 8, 13, 21] : [1, 2, 3, 5, 8],
            "linear" => Flag("issueEstimationExtended") ? [1, 2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5],
            _ => [],
        };
        if (values.Length > 0 && Flag("issueEstimationAllowZero"))
        {
            values = [0, .. values];
        }

        return new LinearScale(TrackerHttp.StringAt(team, "key") ?? "?", type, values);
    }

    /// <summary>Whether an estimate is on the scale.</summary>
    public bool Holds(int points) => Values.Contains(points);

    /// <summary>The scale in words, for the check.</summary>
    public string Describe() => Values.Count == 0
        ? $"team {Team} does not use estimates (turn them on in the team's settings): write-back will be refused"
        : $"team {Team} estimates on the {Type} scale: {string.Join(", ", Values)}";
}
