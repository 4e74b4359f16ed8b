using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Ui;

/// <summary>A browser profile of the first visit: the machine as it is, or slowed through Chrome DevTools.</summary>
/// <param name="Name">Its name in the report.</param>
/// <param name="CpuSlowdown">Chromium's CPU throttling rate (1 = none; 4 = a mid-range phone's CPU, as Lighthouse).</param>
/// <param name="NetworkKbps">Bandwidth both ways in kbit/s, or null for loopback as it is.</param>
/// <param name="LatencyMs">Added round-trip latency, with <paramref name="NetworkKbps"/>.</param>
internal sealed record UiProfile(string Name, double CpuSlowdown, int? NetworkKbps = null, int LatencyMs = 0)
{
    /// <summary>The profiles the probe knows, by name.</summary>
    public static IReadOnlyList<UiProfile> Known { get; } =
    [
        new("desktop", 1),
        new("cpu4x", 4),
        new("cpu4x-9mbit-150ms", 4, 9_000, 150),
    ];
}

/// <summary>
/// The browser UI's first visit, measured in Chromium: a room is created through the API, then a fresh browser
/// context (empty cache, empty storage) opens the room's link as a newcomer would, under each profile in turn.
/// Per visit it records: when the join form is usable (the name field is visible and takes typing), the bytes and
/// responses that crossed the network until then (compressed bodies and headers, as Chromium reports them); the
/// name is typed at once; when the app is interactive (the WebAssembly app has rendered the join form itself: no
/// server-rendered <c>[data-prerendered]</c> element is left), the bytes until then, and whether the typed name is
/// still in the field; then "Take my seat" is clicked and the time until the room's cards can be played.
/// </summary>
internal static class UiProbe
{
    // Timed in the page, on its own clock (milliseconds since navigation started; CPU throttling slows the page's
    // work, not its clock), by a script Chromium runs before the page's own (not subject to its CSP):
    // - usable: the name field is in the document and laid out, and the page has painted (first contentful paint);
    // - interactive: the join form is there and no server-rendered (prerendered) content is left; a build without
    //   prerendering has no [data-prerendered] element, so there the form's appearance is its interactivity.
    private const string ProbeScript = """
        (() => {
          const probe = window.__probe = {};
          performance.setResourceTimingBufferSize(2000);
          const check = () => {
            const input = document.getElementById('join-name');
            if (!input) return;
            const t = performance.now();
            if (probe.form === undefined && input.getClientRects().length > 0) probe.form = t;
            if (probe.interactive === undefined && !document.querySelector('[data-prerendered]')) probe.interactive = t;
          };
          new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
          document.addEventListener('DOMContentLoaded', check);
        })();
        """;

    private const string ResponsesScript = """
        (until) => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
          .filter(e => e.responseEnd <= until && e.name.startsWith('http'))
        """;

    private const string SumScript = "(until) => { const all = (" + ResponsesScript + ")(until); return [all.length, all.reduce((sum, e) => sum + e.transferSize, 0)]; }";

    private const string UrlsScript = "(until) => (" + ResponsesScript + ")(until).map(e => e.name)";

    private const string InteractiveScript = "() => window.__probe.interactive !== undefined";

    private const string TimesScript = """
        () => {
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          return [Math.max(window.__probe.form, paint ? paint.startTime : 0), window.__probe.interactive];
        }
        """;

    private const string TypedName = "Newcomer";

    public static async Task<int> RunAsync(Uri server, string chromium, int runs, IReadOnlyList<UiProfile> profiles, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });

        var samples = profiles.ToDictionary(p => p.Name, _ => new List<Visit>());
        IReadOnlyList<string> firstVisitUrls = [];
        for (var run = 0; run < runs; run++)
        {
            // Profiles take turns within a run, so that a noisy moment on the shared cores touches all of them alike.
            foreach (var profile in profiles)
            {
                Visit visit;
                try
                {
                    visit = await VisitAsync(http, browser, server, profile, run, cancellationToken);
                }
                catch (PlaywrightException e)
                {
                    // A visit that timed out is reported and left out of the medians, not the end of the whole run.
                    await output.WriteLineAsync($"run {run + 1} {profile.Name}: FAILED: {e.Message.Split('\n')[0]}");
                    continue;
                }

                samples[profile.Name].Add(visit);
                firstVisitUrls = visit.Urls;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"run {run + 1} {profile.Name}: usable after {visit.UsableMs:0} ms ({visit.UsableBytes / 1024.0:0.0} KiB, {visit.UsableRequests} responses); interactive after {visit.InteractiveMs:0} ms ({visit.InteractiveBytes / 1024.0:0.0} KiB, {visit.InteractiveRequests} responses); typed name {(visit.NameKept ? "kept" : "LOST")}; room playable {visit.RoomMs:0} ms after joining"));
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"first visit to a room link: median of {runs} (min–max), a fresh browser context each time"));
        await output.WriteLineAsync("| profile | join form usable | before usable | interactive (Blazor started) | before interactive | typed name kept | room playable after joining |");
        await output.WriteLineAsync("|---|---|---|---|---|---|---|");
        foreach (var profile in profiles)
        {
            var s = samples[profile.Name];
            if (s.Count == 0)
            {
                continue;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {profile.Name} | {Spread(s.Select(v => v.UsableMs))} | {Median(s.Select(v => (double)v.UsableBytes)) / 1024.0:#,0} KiB in {Median(s.Select(v => (double)v.UsableRequests)):0} | {Spread(s.Select(v => v.InteractiveMs))} | {Median(s.Select(v => (double)v.InteractiveBytes)) / 1024.0:#,0} KiB in {Median(s.Select(v => (double)v.InteractiveRequests)):0} | {s.Count(v => v.NameKept)}/{s.Count} | {Spread(s.Select(v => v.RoomMs))} |"));
        }

        // Chromium asks for Brotli only over HTTPS; behind a TLS proxy the same files travel as Brotli.
        long brotli = 0;
        using (var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }))
        {
            foreach (var url in firstVisitUrls.Where(u => u.StartsWith(server.ToString(), StringComparison.Ordinal)))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.AcceptEncoding.ParseAdd("br");
                using var response = await raw.SendAsync(request, cancellationToken);
                brotli += (await response.Content.ReadAsByteArrayAsync(cancellationToken)).Length;
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"the {firstVisitUrls.Count} responses of the last visit (until interactive), bodies fetched again with Accept-Encoding: br (as over HTTPS): {brotli / 1024.0:#,0.0} KiB"));
        await output.WriteLineAsync($"note: Chromium, the server and this probe share the machine's {Environment.ProcessorCount} cores; CPU throttling slows the page only, not the server");
        return 0;
    }

    private static async Task<Visit> VisitAsync(HttpClient http, IBrowser browser, Uri server, UiProfile profile, int run, CancellationToken cancellationToken)
    {
        var created = await http.PostAsJsonAsync(
            "/api/rooms", new CreateRoomRequest($"Probe {run}", "Fanny", Settings: new RoomSettingsDto()), cancellationToken);
        created.EnsureSuccessStatusCode();
        var room = (await created.Content.ReadFromJsonAsync<CreateRoomResponse>(cancellationToken))!;

        await using var context = await browser.NewContextAsync(new() { BaseURL = server.ToString() });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(ProbeScript);
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        if (profile.CpuSlowdown > 1)
        {
            await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = profile.CpuSlowdown });
        }

        if (profile.NetworkKbps is { } kbps)
        {
            await cdp.SendAsync("Network.enable");
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false,
                ["latency"] = profile.LatencyMs,
                ["downloadThroughput"] = kbps * 1000 / 8,
                ["uploadThroughput"] = kbps * 1000 / 8,
            });
        }

        await page.GotoAsync($"/rooms/{room.RoomId}", new() { WaitUntil = WaitUntilState.Commit });
        var name = page.Locator("#join-name");
        await name.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await name.PressSequentiallyAsync(TypedName);
        await page.WaitForFunctionAsync(InteractiveScript, null, new() { PollingInterval = 10 });
        var times = await page.EvaluateAsync<double[]>(TimesScript);
        var (usable, interactive) = (times[0], times[1]);
        // The page puts what was typed into the app's field a task after the app renders it: allow it a second.
        var kept = await page.WaitForFunctionAsync($"() => document.getElementById('join-name')?.value === '{TypedName}'", null, new() { PollingInterval = 10, Timeout = 1000 })
            .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

        var joined = Stopwatch.GetTimestamp();
        if (!kept)
        {
            await page.FillAsync("#join-name", TypedName);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
        await page.Locator("ul.table .seat", new() { HasText = TypedName }).WaitForAsync(); // seated (no round open: no hand)
        var roomMs = Stopwatch.GetElapsedTime(joined).TotalMilliseconds;

        // What crossed the network before each moment: the responses fully arrived by then, as the page's Resource
        // Timing reports them (transferSize: the compressed body and the headers).
        var usableSum = await page.EvaluateAsync<double[]>(SumScript, usable);
        var interactiveSum = await page.EvaluateAsync<double[]>(SumScript, interactive);
        var urls = await page.EvaluateAsync<string[]>(UrlsScript, interactive);
        return new Visit(usable, (long)usableSum[1], (int)usableSum[0], interactive, (long)interactiveSum[1], (int)interactiveSum[0], kept, roomMs, urls);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Spread(IEnumerable<double> values)
    {
        var list = values.ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{Median(list) / 1000:0.00} s ({list.Min() / 1000:0.00}–{list.Max() / 1000:0.00})");
    }

    private sealed record Visit(
        double UsableMs, long UsableBytes, int UsableRequests,
        double InteractiveMs, long InteractiveBytes, int InteractiveRequests,
        bool NameKept, double RoomMs, IReadOnlyList<string> Urls);
}
