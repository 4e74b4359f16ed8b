using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Client.Components;

/// <summary>
/// What the organisation pages share: they load nothing while the server renders them first (the page shows a calm
/// "Loading…" until the app runs), then ask who is signed in and, for a signed-in person, load their data. A guest
/// is offered the sign-in page, with a way back here. <see cref="OrganisationApi"/> is asked for only then, so that
/// the server, which cannot call the API for a browser, needs no stand-in for it.
/// </summary>
public abstract class OrganisationPage : ComponentBase
{
    private string? _loadedKey;

    /// <summary>Whether the page is still finding out who is signed in, or loading its data.</summary>
    protected bool Loading { get; set; } = true;

    /// <summary>The signed-in person, or null (a guest, or not known yet).</summary>
    protected AccountDto? Account { get; private set; }

    /// <summary>An error that leaves the page nothing to show (a refusal, the server unreachable), or null.</summary>
    protected string? PageError { get; set; }

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>The app's navigation.</summary>
    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    /// <summary>The API; only once the page runs in the browser (never while the server renders it).</summary>
    protected OrganisationApi Api => field ??= Services.GetRequiredService<OrganisationApi>();

    /// <summary>Moves focus after the next render.</summary>
    private protected PendingFocus Focus => field ??= new(JS);

    /// <summary>What the page's data depends on (its route's ids): a change loads it again.</summary>
    protected virtual string LoadKey => "";

    /// <summary>
    /// The sign-in page, coming back to this one once signed in (without the fragment: a secret there stays out of
    /// every URL that reaches a server).
    /// </summary>
    protected string SignInHref
    {
        get
        {
            var here = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
            var cut = here.IndexOf('#', StringComparison.Ordinal);
            return "account?returnUrl=" + Uri.EscapeDataString(cut < 0 ? here : here[..cut]);
        }
    }

    /// <summary>Loads the page's data for the signed-in <see cref="Account"/>.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Loads the data again (after a change), keeping what is on screen until the answer comes.</summary>
    protected async Task ReloadAsync()
    {
        if (Account is not null)
        {
            await LoadAsync();
        }
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedKey is not null && _loadedKey != LoadKey)
        {
            // Another organisation or team at the same page: start again.
            _loadedKey = LoadKey;
            Loading = true;
            PageError = null;
            await LoadAsync();
            Loading = false;
        }
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await StartAsync();
            StateHasChanged();
        }

        await Focus.ApplyAsync();
    }

    /// <summary>A guest (or a browser that cannot reach the server) stops here; a signed-in person's data loads.</summary>
    protected virtual async Task StartAsync()
    {
        _loadedKey = LoadKey;
        var session = await Api.SessionAsync();
        if (!session.IsSuccess)
        {
            PageError = session.ErrorCode;
        }
        else if ((Account = session.Value) is not null)
        {
            await LoadAsync();
        }

        Loading = false;
    }

    /// <summary>Whether an error means the page has nothing to show (not signed in any more, or not let in).</summary>
    protected static bool IsRefusal(string? code) =>
        code is ErrorCodes.NotSignedIn or ErrorCodes.OrganisationNotFound or ErrorCodes.TeamNotFound or ErrorCodes.NotAllowed;
}
