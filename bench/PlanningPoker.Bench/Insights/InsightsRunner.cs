using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Bench.Measurement;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Insights;

/// <summary>What <c>insights</c> was asked to do.</summary>
internal sealed record InsightsSettings
{
    public required Uri? Url { get; init; }

    public required string Provider { get; init; }

    public required string? ConnectionString { get; init; }

    public required int Teams { get; init; }

    public required int Weeks { get; init; }

    public required int StoriesMin { get; init; }

    public required int StoriesMax { get; init; }

    public required int Warmup { get; init; }

    public required int Requests { get; init; }

    public required int Seed { get; init; }

    public required bool DryRun { get; init; }

    /// <summary>The server's process, whose CPU time per request the report shows.</summary>
    public int? ServerPid { get; init; }
}

/// <summary>
/// The estimation-insights benchmark (issue 14, "Speed"): an organisation of teams made through the public API, two
/// years of their history seeded straight into the server's database, then the insights and history endpoints
/// measured one request at a time against their targets.
/// </summary>
internal static class InsightsRunner
{
    /// <summary>
    /// The requests measured, one line each: a name, the path ({org}, {team} and {from} — two years back — filled in; the
    /// team rotates), the p95 target in ms, and whether the endpoint may be absent (built in parallel: measured only when
    /// the server has the route).
    /// </summary>
    private static readonly Probe[] Probes =
    [
        new("team dashboard, 90 days", "/api/orgs/{org}/teams/{team}/insights", 300, Optional: false),
        new("team dashboard, 2 years", "/api/orgs/{org}/teams/{team}/insights?from={from}", 300, Optional: false),
        new("organisation, 90 days", "/api/orgs/{org}/insights", 1000, Optional: false),
        new("organisation, 2 years", "/api/orgs/{org}/insights?from={from}", 1000, Optional: false),
        new("team history, page 1 of 50", "/api/orgs/{org}/teams/{team}/history?page=1&pageSize=50", 300, Optional: true),
        new("team history, q=invoice", "/api/orgs/{org}/teams/{team}/history?page=1&pageSize=50&q=invoice", 300, Optional: true),
    ];

    public static async Task<int> RunAsync(InsightsSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(Text.Invariant(
            $"insights: {settings.Teams} teams x {settings.Weeks} weeks, {settings.StoriesMin}-{settings.StoriesMax} stories a workshop, seed {settings.Seed}, provider {settings.Provider}; {Environment.ProcessorCount} cores shared by the server, the database and this process"));
        var end = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var generator = new HistoryGenerator(settings.Weeks, settings.StoriesMin, settings.StoriesMax, settings.Seed, end);
        var stats = new SeedStats();

        if (settings.DryRun)
        {
            var watch = Stopwatch.StartNew();
            for (var t = 0; t < settings.Teams; t++)
            {
                generator.Team(t, Guid.NewGuid(), stats);
            }

            await output.WriteLineAsync(Text.Invariant($"generated in {watch.Elapsed.TotalSeconds:0.0} s (dry run, nothing written)"));
            await output.WriteLineAsync(Describe(stats));
            return 0;
        }

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = settings.Url,
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Add(SignInOptionsDto.CsrfHeader, "1");

        // 1. The organisation, through the public API: its owner signs up, creates it and its teams.
        var setup = Stopwatch.StartNew();
        var email = $"bench-owner-{Guid.NewGuid():N}@example.test";
        await ExpectAsync(await http.PostAsJsonAsync("/api/account/sign-up", new SignUpRequest(email, "correct horse battery", "Bench owner"), cancellationToken), HttpStatusCode.Created);
        var org = (await (await ExpectAsync(await http.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("Bench Org"), cancellationToken), HttpStatusCode.Created))
            .Content.ReadFromJsonAsync<OrganisationDto>(JsonSerializerOptions.Web, cancellationToken))!;
        var teams = new List<Guid>();
        for (var t = 0; t < settings.Teams; t++)
        {
            var response = await ExpectAsync(
                await http.PostAsJsonAsync($"/api/orgs/{org.Id}/teams", new CreateTeamRequest(Text.Invariant($"Team {t + 1:00}")), cancellationToken), HttpStatusCode.Created);
            teams.Add((await response.Content.ReadFromJsonAsync<TeamDto>(JsonSerializerOptions.Web, cancellationToken))!.Id);
        }

        await output.WriteLineAsync(Text.Invariant($"organisation {org.Id} and {teams.Count} teams made through the API in {setup.Elapsed.TotalSeconds:0.0} s"));

        // 2. The history, straight into the database.
        var seeding = Stopwatch.StartNew();
        var generating = TimeSpan.Zero;
        var sampleRooms = new List<string>();
        await using (var sink = await DatabaseSink.OpenAsync(settings.Provider, settings.ConnectionString!, cancellationToken))
        {
            for (var t = 0; t < teams.Count; t++)
            {
                var made = Stopwatch.StartNew();
                var batch = generator.Team(t, teams[t], stats);
                generating += made.Elapsed;
                var rooms = batch.Rows[Table.Rooms];
                sampleRooms.Add((string)rooms[t % rooms.Count][0]!);
                await sink.WriteAsync(batch, cancellationToken);
                if ((t + 1) % 10 == 0 || t + 1 == teams.Count)
                {
                    await output.WriteLineAsync(Text.Invariant($"  seeded {t + 1}/{teams.Count} teams, {stats.Votes:N0} votes, {seeding.Elapsed.TotalSeconds:0} s"));
                }
            }

            var finishing = Stopwatch.StartNew();
            await sink.FinishAsync(cancellationToken);
            await output.WriteLineAsync(Text.Invariant(
                $"seeded in {seeding.Elapsed.TotalSeconds:0.0} s (generating {generating.TotalSeconds:0.0} s, commit{(settings.Provider == "postgres" ? " and ANALYZE" : "")} {finishing.Elapsed.TotalSeconds:0.0} s)"));
            await output.WriteLineAsync(Describe(stats));
            var counts = await sink.CountAsync(cancellationToken);
            await output.WriteLineAsync("rows: " + string.Join(", ", counts.Select(c => Text.Invariant($"{c.Table} {c.Rows:N0}"))));
        }

        // 3. Seeded rooms load: the server reads the room's rows, every round's result_json included, into its domain.
        var loaded = 0;
        foreach (var room in sampleRooms.Take(5))
        {
            using var response = await http.GetAsync($"/api/rooms/{room}", cancellationToken);
            loaded += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await output.WriteLineAsync(Text.Invariant($"  GET /api/rooms/{room}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}"));
            }
        }

        await output.WriteLineAsync(Text.Invariant($"seeded rooms the server loads (GET /api/rooms/{{id}}, result_json read back): {loaded}/{Math.Min(5, sampleRooms.Count)}"));

        // 4. The requests, one at a time.
        var from = DateOnly.FromDateTime(end.UtcDateTime).AddDays(-(settings.Weeks * 7) + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        var missed = 0;
        var loadBefore = LoadAverage();
        foreach (var probe in Probes)
        {
            string Path(int i) => probe.Template.Replace("{org}", org.Id.ToString(), StringComparison.Ordinal)
                .Replace("{team}", teams[i % teams.Count].ToString(), StringComparison.Ordinal).Replace("{from}", from, StringComparison.Ordinal);

            using (var first = await http.GetAsync(Path(0), cancellationToken))
            {
                var body = await first.Content.ReadAsStringAsync(cancellationToken);
                if (first.StatusCode == HttpStatusCode.NotFound && probe.Optional && !body.Contains("\"code\"", StringComparison.Ordinal))
                {
                    rows.Add([probe.Name, Text.Invariant($"{probe.TargetMs:0}"), "-", "-", "-", "-", "-", "not available"]);
                    continue;
                }

                if (!first.IsSuccessStatusCode)
                {
                    rows.Add([probe.Name, Text.Invariant($"{probe.TargetMs:0}"), "-", "-", "-", "-", "-", Text.Invariant($"error {(int)first.StatusCode}: {Shorten(body)}")]);
                    missed++;
                    continue;
                }
            }

            var times = new List<double>(settings.Requests);
            var failures = 0;
            ProcessSample? cpuBefore = null;
            for (var i = 0; i < settings.Warmup + settings.Requests; i++)
            {
                if (i == settings.Warmup && settings.ServerPid is { } pid)
                {
                    cpuBefore = ProcessProbe.Read(pid);
                }

                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(Path(i + 1), HttpCompletionOption.ResponseContentRead, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                failures += response.IsSuccessStatusCode ? 0 : 1;
                if (i >= settings.Warmup)
                {
                    times.Add(elapsed);
                }
            }

            var cpu = cpuBefore is { } before && ProcessProbe.Read(settings.ServerPid!.Value) is { } after
                ? Text.Ms((after.CpuSeconds - before.CpuSeconds) * 1000 / settings.Requests)
                : "-";
            times.Sort();
            var p95 = Percentile(times, 0.95);
            var verdict = p95 <= probe.TargetMs ? "meets" : Text.Invariant($"misses by {p95 - probe.TargetMs:0} ms");
            if (p95 > probe.TargetMs || failures > 0)
            {
                missed++;
            }

            rows.Add([probe.Name, Text.Invariant($"{probe.TargetMs:0}"), Text.Ms(Percentile(times, 0.50)), Text.Ms(p95), Text.Ms(Percentile(times, 0.99)),
                Text.Ms(times[^1]), cpu, failures == 0 ? verdict : Text.Invariant($"{verdict}; {failures} failed")]);
        }

        rows.Add(SimilarStoriesRow(settings.Requests));

        await output.WriteLineAsync();
        await output.WriteLineAsync(Text.Invariant(
            $"{settings.Warmup} warm-up + {settings.Requests} measured requests each, sequential, the team rotating over {teams.Count}; from = {from}; times in ms ({settings.Provider})"));
        await output.WriteLineAsync(Markdown(["request", "p95 target", "p50", "p95", "p99", "max", "server CPU per request", "verdict"], rows));
        await output.WriteLineAsync(Text.Invariant($"load average before the requests: {loadBefore}; after: {LoadAverage()} ({Environment.ProcessorCount} cores)"));

        // The endpoint's bounds for ?from=…: the first day's start to the day after today (EstimationInsights.Bounds).
        var fromDay = DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Diagnosis.RunAsync(
            settings.Provider, settings.ConnectionString!, org.Id,
            new DateTimeOffset(fromDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(), end.AddDays(1).ToUnixTimeMilliseconds(), output, cancellationToken);
        return missed == 0 ? 0 : 1;
    }

    /// <summary>
    /// The similar-story lookup as the server makes it (the Domain's <see cref="Domain.SimilarityIndex{TKey}"/>, one per
    /// team in each node's memory), over 100,000 stories of the seeding's vocabulary in one index: the issue's bound
    /// (p95 ≤ 100 ms). In process: a room's similar stories take a seat token, which seeded rooms do not hand out.
    /// </summary>
    private static string[] SimilarStoriesRow(int requests)
    {
        const double Target = 100;
        var random = new Random(7);
        var index = new Domain.SimilarityIndex<int>();
        for (var i = 0; i < 100_000; i++)
        {
            var french = random.Next(3) == 0;
            index.Add(i, Vocabulary.Title(french, random), Vocabulary.Description(french, random));
        }

        index.Search("warm up", null, 5, 0);
        var times = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var french = random.Next(3) == 0;
            var (title, description) = (Vocabulary.Title(french, random), Vocabulary.Description(french, random));
            var start = Stopwatch.GetTimestamp();
            index.Search(title, description, 5, 0.2);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        times.Sort();
        var p95 = Percentile(times, 0.95);
        return ["similar stories, 100,000 in one index (in process)", Text.Invariant($"{Target:0}"), Text.Ms(Percentile(times, 0.50)), Text.Ms(p95),
            Text.Ms(Percentile(times, 0.99)), Text.Ms(times[^1]), "-", p95 <= Target ? "meets" : Text.Invariant($"misses by {p95 - Target:0} ms")];
    }

    private static string Describe(SeedStats s) => Text.Invariant(
        $"made: {s.Rooms:N0} workshops, {s.Participants:N0} seats, {s.Stories:N0} stories ({s.Estimated:N0} estimated, {s.Recurring:N0} recurring keys), {s.Rounds:N0} rounds ({s.Cancelled:N0} cancelled), {s.Votes:N0} votes; {(double)s.RevealedRounds / Math.Max(1, s.Estimated):0.00} revealed rounds per estimated story, first-round consensus {100.0 * s.FirstRoundConsensus / Math.Max(1, s.Estimated):0.0} %");

    /// <summary>The machine's 1, 5 and 15 minute load averages: how shared the cores were.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "-";
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";

    private static string Markdown(string[] header, List<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        return string.Join(Environment.NewLine, new[] { Line(header), "|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|" }.Concat(rows.Select(Line)));
    }

    private static async Task<HttpResponseMessage> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException(Text.Invariant(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)status}: {await response.Content.ReadAsStringAsync()}"));
        }

        return response;
    }

    private sealed record Probe(string Name, string Template, double TargetMs, bool Optional);
}
