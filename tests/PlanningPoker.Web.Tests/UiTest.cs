using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>A bUnit context with the UI's real localization (English unless a test says otherwise) and a fake clock.</summary>
public abstract class UiTest : BunitContext
{
    protected UiTest(string culture = "en")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<BrowserStore, RecordingBrowserStore>();
        Services.AddSingleton(_ => new AccountApi(new HttpClient(Server) { BaseAddress = new Uri("http://localhost/") }));
        Services.AddSingleton<AccountState>();
        Services.AddSingleton(_ => new RoomApi(new HttpClient(Server) { BaseAddress = new Uri("http://localhost/") }));
        Services.AddSingleton(_ => new OrganisationApi(new HttpClient(Server) { BaseAddress = new Uri("http://localhost/") }));
        Services.AddSingleton<PasskeyBrowser>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>
    /// Renders as the app does once it runs in the browser (the server's first render is PlanningPoker.Server's
    /// subject). Call it after the test's services are added: it builds the service provider.
    /// </summary>
    protected void RunsInTheBrowser() => SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("WebAssembly", isInteractive: true));

    /// <summary>The server's API as the account service sees it: a guest's unless a test says otherwise.</summary>
    protected FakeApi Server { get; } = FakeApi.Guest();

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    protected static IReadOnlyList<CardDto> Fibonacci { get; } =
        [new("1", 1), new("2", 2), new("3", 3), new("5", 5), new("8", 8), new("13", 13), new("?", null, CardKind.Unsure)];

    protected static ParticipantDto Person(int id, string name, bool voted = false, string? card = null, Role role = Role.Estimator, bool present = true) =>
        new(id, name, role, present, role != Role.Observer, voted, card);

    protected static RoomViewDto Room(RoomState state, IReadOnlyList<ParticipantDto> people, RoundDto? round = null, int viewer = 1, IReadOnlyList<StoryDto>? stories = null) =>
        new("r1", "Sprint 42", new DeckDto(DeckType.Fibonacci, Fibonacci), new RoomSettingsDto(), false, false, state, viewer,
            people, stories ?? [], round, null, 0m, 7);
}

/// <summary>The browser's storage kept in memory; records downloads.</summary>
public sealed class RecordingBrowserStore() : BrowserStore(null!)
{
    public Dictionary<string, string> Items { get; } = [];

    public List<(string Name, string Type, byte[] Content)> Downloads { get; } = [];

    public override ValueTask<string?> GetAsync(string key) => ValueTask.FromResult(Items.GetValueOrDefault(key));

    public override ValueTask SetAsync(string key, string value)
    {
        Items[key] = value;
        return ValueTask.CompletedTask;
    }

    /// <summary>This tab's storage (sessionStorage).</summary>
    public Dictionary<string, string> TabItems { get; } = [];

    public override ValueTask<string?> GetForTabAsync(string key) => ValueTask.FromResult(TabItems.GetValueOrDefault(key));

    public override ValueTask SetForTabAsync(string key, string? value)
    {
        if (value is null)
        {
            TabItems.Remove(key);
        }
        else
        {
            TabItems[key] = value;
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask DropFragmentAsync() => ValueTask.CompletedTask;

    public override ValueTask<string?> CultureAsync() => ValueTask.FromResult<string?>("en");

    public override ValueTask SetCultureAsync(string name) => ValueTask.CompletedTask;

    public override ValueTask DownloadAsync(string fileName, string contentType, byte[] content)
    {
        Downloads.Add((fileName, contentType, content));
        return ValueTask.CompletedTask;
    }

    public override ValueTask<bool> CopyAsync(string text) => ValueTask.FromResult(true);

    public override ValueTask BeepAsync() => ValueTask.CompletedTask;
}
