using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>
/// Who this browser is signed in as, for every component of the page (the header's account link, the home page, the
/// account pages): asked once, then changed by signing in or out. The server's answer while it renders the page
/// travels with the page (<see cref="PersistentComponentState"/>), so the app starts with the header it was shown,
/// without asking again.
/// </summary>
public sealed class AccountState : IDisposable
{
    private const string Key = "poker.account-session";
    private readonly AccountApi _api;
    private readonly PersistentComponentState? _persisted;
    private readonly PersistingComponentStateSubscription? _persisting;
    private Task? _loading;

    /// <summary>Takes the session the server rendered the page with, when there is one.</summary>
    public AccountState(AccountApi api, PersistentComponentState? persisted = null)
    {
        _api = api;
        _persisted = persisted;
        _persisting = persisted?.RegisterOnPersisting(Persist, RenderMode.InteractiveWebAssembly);
    }

    /// <summary>Raised when <see cref="Account"/> changes (on the renderer's thread of whoever changed it).</summary>
    public event Action? Changed;

    /// <summary>True once the session is known (before that, show neither "Sign in" nor a name).</summary>
    public bool Known { get; private set; }

    /// <summary>The signed-in person, or null for a guest.</summary>
    public AccountDto? Account { get; private set; }

    /// <summary>Finds out who is signed in, once; later calls wait for the first.</summary>
    public Task LoadAsync() => _loading ??= LoadCoreAsync();

    /// <summary>Records a sign-in (with the account) or a sign-out (null).</summary>
    public void Set(AccountDto? account)
    {
        _loading ??= Task.CompletedTask;
        Known = true;
        Account = account;
        Changed?.Invoke();
    }

    public void Dispose() => _persisting?.Dispose();

    private async Task LoadCoreAsync()
    {
        if (_persisted is not null && _persisted.TryTakeFromJson<SessionDto>(Key, out var rendered) && rendered is not null)
        {
            Known = true;
            Account = rendered.Account;
            return;
        }

        // An unreachable server: treated as a guest's page (sign-in says what is wrong when tried).
        var session = await _api.SessionAsync();
        Set(session.Value?.Account);
    }

    private Task Persist()
    {
        if (Known)
        {
            _persisted!.PersistAsJson(Key, new SessionDto(Account));
        }

        return Task.CompletedTask;
    }
}
