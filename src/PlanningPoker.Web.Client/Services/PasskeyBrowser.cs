using System.Text.Json;
using Microsoft.JSInterop;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>
/// Passkey ceremonies as the pages run them: the server's options (<see cref="AccountApi"/>), the browser's
/// authenticator (<c>wwwroot/js/passkeys.js</c>), then the server's check. A ceremony that ends in the browser says
/// why in one of the <c>Browser…</c> codes of <see cref="PasskeyOutcome"/>, never as an exception.
/// </summary>
public class PasskeyBrowser(AccountApi api, IJSRuntime js) : IAsyncDisposable
{
    /// <summary>The person cancelled, or let the browser's prompt time out.</summary>
    public const string Cancelled = "BrowserCancelled";

    /// <summary>The authenticator holds a passkey of this account already.</summary>
    public const string Exists = "BrowserExists";

    /// <summary>This browser cannot make or use passkeys.</summary>
    public const string Unsupported = "BrowserUnsupported";

    /// <summary>The browser refused for another reason (a page not on HTTPS, say).</summary>
    public const string Failed = "BrowserFailed";

    private IJSObjectReference? _module;

    /// <summary>Whether this browser can make and use passkeys (false until the app runs in the browser).</summary>
    public virtual async Task<bool> SupportedAsync()
    {
        try
        {
            return await ModuleAsync() is { } module && await module.InvokeAsync<bool>("supported");
        }
        catch (JSException)
        {
            return false;
        }
    }

    /// <summary>Signs in with a passkey the person picks.</summary>
    public async Task<ApiResult<AccountDto>> SignInAsync()
    {
        var options = await api.PasskeySignInOptionsAsync();
        if (!options.IsSuccess)
        {
            return new(default, options.ErrorCode);
        }

        var (credential, error) = await CeremonyAsync("get", options.Value!);
        return credential is { } made ? await api.PasskeySignInAsync(new PasskeyCredentialRequest(made)) : new(default, error);
    }

    /// <summary>Makes an account with a passkey and no password, and signs it in.</summary>
    public async Task<ApiResult<AccountDto>> SignUpAsync(PasskeySignUpOptionsRequest request, string passkeyName)
    {
        var options = await api.PasskeySignUpOptionsAsync(request);
        if (!options.IsSuccess)
        {
            return new(default, options.ErrorCode);
        }

        var (credential, error) = await CeremonyAsync("create", options.Value!);
        return credential is { } made ? await api.PasskeySignUpAsync(new PasskeyCredentialRequest(made, passkeyName)) : new(default, error);
    }

    /// <summary>Adds a passkey to the signed-in account.</summary>
    public async Task<ApiResult<PasskeyDto>> AddAsync(string name)
    {
        var options = await api.AddPasskeyOptionsAsync();
        if (!options.IsSuccess)
        {
            return new(default, options.ErrorCode);
        }

        var (credential, error) = await CeremonyAsync("create", options.Value!);
        return credential is { } made ? await api.AddPasskeyAsync(new PasskeyCredentialRequest(made, name)) : new(default, error);
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The page is gone, and the module with it.
            }
        }

        GC.SuppressFinalize(this);
    }

    private async Task<(JsonElement? Credential, string? Error)> CeremonyAsync(string kind, string optionsJson)
    {
        if (await ModuleAsync() is not { } module)
        {
            return (null, Unsupported);
        }

        var outcome = await module.InvokeAsync<PasskeyOutcome>(kind, optionsJson);
        if (outcome.Credential is { } json)
        {
            using var document = JsonDocument.Parse(json);
            return (document.RootElement.Clone(), null);
        }

        return (null, outcome.Error switch
        {
            "cancelled" => Cancelled,
            "exists" => Exists,
            "unsupported" => Unsupported,
            _ => Failed,
        });
    }

    private async Task<IJSObjectReference?> ModuleAsync() => _module ??= await js.InvokeAsync<IJSObjectReference?>("import", "./js/passkeys.js");

    /// <summary>What <c>passkeys.js</c> answers: the credential's JSON, or why there is none.</summary>
    internal sealed record PasskeyOutcome(string? Credential, string? Error);
}
