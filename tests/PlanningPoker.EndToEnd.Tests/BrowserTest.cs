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
