using Microsoft.Playwright;
using PlanningPoker.Contracts;

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

    /// <summary>
    /// Olivia, signed up in a browser of her own, owner of a fresh organisation ("Acme" and a run id) with a team
    /// "Payments" (the organisation journey shows those pages; the journeys that start from a team start here).
    /// </summary>
    protected async Task<(IPage Page, Guid Org, Guid Team)> TeamOwnerAsync(int width, int height, ColorScheme scheme, string locale)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var page = await PersonAsync(width, height, scheme, locale);
        await page.GotoAsync("/");
        await Browser.AppRunsAsync(page);
        await Browser.SendAsync(page, "POST", "/api/account/sign-up", new { email = $"olivia-{run}@example.test", password = "correct horse battery", displayName = "Olivia" }, 201);
        var org = (await Browser.SendAsync(page, "POST", "/api/orgs", new CreateOrganisationRequest($"Acme {run}"), 201)).GetProperty("id").GetGuid();
        var team = (await Browser.SendAsync(page, "POST", $"/api/orgs/{org}/teams", new CreateTeamRequest("Payments"), 201)).GetProperty("id").GetGuid();
        return (page, org, team);
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
