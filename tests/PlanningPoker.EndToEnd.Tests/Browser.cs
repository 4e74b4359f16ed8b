using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using PlanningPoker.Testing;

[assembly: AssemblyFixture(typeof(PlanningPoker.EndToEnd.Tests.Browser))]

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// The real server in its own process, published as people should get it (SQLite in a temp folder), and Debian's Chromium driven by Playwright, shared by
/// every test; each test opens its own browser contexts (one per person). The server offers one OpenID Connect
/// provider, <see cref="ProviderName"/>: <see cref="Provider"/>, running in this process on loopback. Without Chromium at
/// <see cref="ChromiumPath"/> the tests are reported as skipped, with the reason; CI installs it.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Debian's Chromium (package <c>chromium</c>), or <c>POKER_CHROMIUM</c>.</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("POKER_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The longest a step waits for the page (milliseconds).</summary>
    private const int Wait = 30_000;

    private readonly string _data = Directory.CreateTempSubdirectory("poker-e2e-").FullName;
    private readonly StringBuilder _log = new();
    private IPlaywright? _playwright;
    private ServerProcess? _server;

    /// <summary>The name of <see cref="Provider"/> in the server's settings (<c>Accounts:Providers:test-id</c>).</summary>
    public const string ProviderName = "test-id";

    /// <summary>What the sign-in button of <see cref="Provider"/> says.</summary>
    public const string ProviderDisplayName = "Test ID";

    public IBrowser Chromium { get; private set; } = null!;

    public Uri BaseAddress => _server!.BaseAddress;

    /// <summary>
    /// The OpenID Connect provider people sign in with: its form has the fields "Email" and "Name" and the button
    /// "Sign in" (see <see cref="OidcProvider"/>).
    /// </summary>
    public OidcProvider Provider { get; private set; } = null!;

    public string ServerLog => _log.ToString();

    /// <summary>The first line of the server's log so far, or to come, that matches <paramref name="pattern"/> (its match).</summary>
    public async Task<string> LogMatchAsync(System.Text.RegularExpressions.Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Look(string line)
        {
            if (pattern.Match(line) is { Success: true } match)
            {
                found.TrySetResult(match.Value);
            }
        }

        _server!.LineWritten += Look;
        try
        {
            foreach (var line in ServerLog.Split('\n'))
            {
                Look(line);
            }

            return await found.Task.WaitAsync(TimeSpan.FromMilliseconds(Wait), TestContext.Current.CancellationToken);
        }
        finally
        {
            _server.LineWritten -= Look;
        }
    }

    /// <summary>Console errors and warnings, and uncaught errors, of every page so far.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Where screenshots go: artifacts/screenshots (ignored by git), for people to look at.</summary>
    public static string Screenshots { get; } = FindScreenshots();

    public static bool Available => File.Exists(ChromiumPath);

    public async ValueTask InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        // Generous waits: a cold WebAssembly start on 2 shared cores, with other test projects running, takes seconds;
        // while the server tests' three-node cluster runs beside (CI runs the projects together), a click held until
        // the app starts was seen to wait more than 15 s. A passing test waits no longer for it.
        Assertions.SetDefaultExpectTimeout(Wait);
        Provider = await OidcProvider.StartAsync();
        // Trackers are fakes on loopback (http), and estimates are written back within a blink rather than every 2 s.
        var settings = new Dictionary<string, string>(Provider.Settings(ProviderName, ProviderDisplayName, separator: "__"))
        {
            ["Trackers__AllowHttp"] = "true",
            ["Trackers__WriteBack__PollInterval"] = "00:00:00.200",
        };
        _server = await ServerProcess.StartAsync(_data, _log, settings, assembly: ServerProcess.PublishedServerAssembly());
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Skips the calling test, with the reason, when the machine has no Chromium.</summary>
    public static void RequireChromium() =>
        Assert.SkipUnless(Available, $"Chromium is not installed at {ChromiumPath} (apt-get install chromium; .ci/run does it).");

    /// <summary>A new person: a fresh context (own storage), desktop-sized unless told otherwise.</summary>
    public async Task<IPage> PersonAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light, string locale = "en-US")
    {
        var context = await Chromium.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            ColorScheme = scheme,
            Locale = locale,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(Wait);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Errors.Enqueue($"{page.Url}: {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Errors.Enqueue($"{page.Url}: uncaught: {error}");
        return page;
    }

    /// <summary>Saves a full-page screenshot under <see cref="Screenshots"/>, for people to look at.</summary>
    public static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>Creates a room from the home page as its facilitator, and waits for the room.</summary>
    public static async Task CreateRoomAsync(IPage page, string room, string name)
    {
        await page.GotoAsync("/");
        await AppRunsAsync(page);
        await page.FillAsync("#room-name", room);
        await page.FillAsync("#your-name", name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the room" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(room);
    }

    /// <summary>
    /// Waits until the app has taken the server-rendered page over. The journeys use the app; what happens before it
    /// runs is FirstVisitTests' subject.
    /// </summary>
    public static Task AppRunsAsync(IPage page) => Assertions.Expect(page.Locator("main#main:not([data-prerendered])")).ToHaveCountAsync(1);

    /// <summary>
    /// Waits until a redirect (a provider's sign-in, a link) has brought the page to <paramref name="path"/> and the app
    /// runs there. It waits for the app, not for the page's load event: the journeys need the app, and once, under CI's
    /// load, a page reached after a sign-in was idle on the network for 30 s without its load event being reported.
    /// </summary>
    public async Task ArrivesAsync(IPage page, string path)
    {
        await page.WaitForURLAsync(new Uri(BaseAddress, path).ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await AppRunsAsync(page);
    }

    /// <summary>Signs in through <see cref="Provider"/>, from the server's start of its flow, and comes back to <paramref name="path"/>.</summary>
    public async Task SignInAtTheProviderAsync(IPage page, string email, string name, string path)
    {
        await page.GotoAsync($"/api/account/providers/{ProviderName}/sign-in?returnUrl={Uri.EscapeDataString(path)}");
        await AnswerTheProviderAsync(page, email, name, path);
    }

    /// <summary>Fills <see cref="Provider"/>'s own sign-in form, on the page, sends it, and waits to be back at <paramref name="path"/>.</summary>
    public async Task AnswerTheProviderAsync(IPage page, string email, string name, string path)
    {
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ArrivesAsync(page, path);
    }

    /// <summary>
    /// Calls the API from the page as the app does (its cookie, the CSRF header), checks the status, and returns the
    /// answer's JSON (an empty object when there is none).
    /// </summary>
    public static async Task<JsonElement> SendAsync(IPage page, string method, string path, object? body, int status)
    {
        var answer = await page.EvaluateAsync<JsonElement>(
            """
            async ([method, path, json]) => {
                const response = await fetch(path, {
                    method,
                    credentials: "same-origin",
                    headers: { "Content-Type": "application/json", "X-Planning-Poker": "1" },
                    body: json ?? undefined,
                });
                const text = await response.text();
                return { status: response.status, text };
            }
            """,
            new[] { method, path, body is null ? null : JsonSerializer.Serialize(body) });
        var text = answer.GetProperty("text").GetString();
        Assert.True(answer.GetProperty("status").GetInt32() == status, $"{method} {path}: {answer.GetProperty("status").GetInt32()} {text}");
        return string.IsNullOrEmpty(text) ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(text).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the system later.
        }
    }

    private static string FindScreenshots()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PlanningPoker.slnx")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }
}
