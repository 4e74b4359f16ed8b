using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Ui;

/// <summary>
/// The browser UI's first visit, measured in Chromium: a room is created through the API, then a fresh browser
/// (empty cache, empty storage) opens the room's link as a newcomer would. It counts the bytes that crossed the
/// network (compressed bodies and headers, as Chromium reports them), the time until the join form answers, and,
/// after joining, the time until the room's cards can be played.
/// </summary>
internal static class UiProbe
{
    public static async Task<int> RunAsync(Uri server, string chromium, int runs, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });

        var samples = new List<(long Bytes, int Requests, double JoinFormMs, double RoomMs)>();
        IReadOnlyList<string> firstVisitUrls = [];
        for (var run = 0; run < runs; run++)
        {
            var created = await http.PostAsJsonAsync(
                "/api/rooms", new CreateRoomRequest($"Probe {run}", "Fanny", Settings: new RoomSettingsDto()), cancellationToken);
            created.EnsureSuccessStatusCode();
            var room = (await created.Content.ReadFromJsonAsync<CreateRoomResponse>(cancellationToken))!;

            await using var context = await browser.NewContextAsync(new() { BaseURL = server.ToString() });
            var page = await context.NewPageAsync();
            var responses = new List<IResponse>();
            page.Response += (_, response) => responses.Add(response);

            var start = Stopwatch.GetTimestamp();
            await page.GotoAsync($"/rooms/{room.RoomId}");
            await page.Locator("#join-name").WaitForAsync();
            var joinForm = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            long bytes = 0;
            foreach (var response in responses.ToArray())
            {
                var sizes = await response.Request.SizesAsync();
                bytes += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
            }

            firstVisitUrls = [.. responses.Select(r => r.Url)];
            await page.FillAsync("#join-name", "Newcomer");
            var joined = Stopwatch.GetTimestamp();
            await page.GetByRole(AriaRole.Button, new() { Name = "Take my seat" }).ClickAsync();
            await page.Locator(".hand").WaitForAsync();
            var roomMs = Stopwatch.GetElapsedTime(joined).TotalMilliseconds;
            samples.Add((bytes, responses.Count, joinForm, roomMs));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {bytes / 1024.0:0.0} KiB in {responses.Count} responses; join form interactive after {joinForm:0} ms; room playable {roomMs:0} ms after joining"));
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"first visit to a room (median of {runs}, fresh browser each time): {Median(samples.Select(s => (double)s.Bytes)) / 1024.0:0.0} KiB over the network, join form interactive after {Median(samples.Select(s => s.JoinFormMs)):0} ms, room playable {Median(samples.Select(s => s.RoomMs)):0} ms after joining"));
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

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"the same {firstVisitUrls.Count} responses' bodies with Accept-Encoding: br (as over HTTPS): {brotli / 1024.0:0.0} KiB"));
        await output.WriteLineAsync($"note: Chromium, the server and this probe share the machine's {Environment.ProcessorCount} cores; loopback, no network latency or bandwidth limit");
        return 0;
    }
}
