using Microsoft.Playwright;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// A browser test: the people it opens (<see cref="PersonAsync"/>) are closed when it ends, passed or failed. A page
/// left open keeps its app running (its connection, its renders) while the next tests start theirs: on 2 shared cores
/// the pages of earlier tests, failed ones first, were seen slowing the later ones past their waits.
/// </summary>
public abstract class BrowserTest(Browser browser) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    protected Browser Browser { get; } = browser;

    /// <summary>The two looks a journey runs in: a desktop, light, in English; a 360 px phone, dark, in French.</summary>
    public static TheoryData<int, int, ColorScheme, string> DesktopAndPhone { get; } = new()
    {
        { 1280, 800, ColorScheme.Light, "en-US" },
        { 360, 740, ColorScheme.Dark, "fr-FR" },
    };

    /// <summary>What a look's screenshots are named by: <c>phone-dark-fr</c>, <c>desktop-light-en</c>.</summary>
    protected static string ShotName(int width, ColorScheme scheme, string locale) =>
        $"{(width < 600 ? "phone" : "desktop")}-{scheme.ToString().ToLowerInvariant()}-{locale[..2]}";

    /// <summary>The words of a locale: <c>T("Save", "Enregistrer")</c> is the French one in French.</summary>
    protected static Func<string, string, string> Words(string locale) =>
        locale.StartsWith("fr", StringComparison.Ordinal) ? (_, french) => french : (english, _) => english;

    /// <summary>A new person (see <see cref="Browser.PersonAsync"/>), closed at the end of the test.</summary>
    protected async Task<IPage> PersonAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light, string locale = "en-US")
    {
        var page = await Browser.PersonAsync(width, height, scheme, locale);
        lock (_contexts)
        {
            _contexts.Add(page.Context);
        }

        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }
}
