using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PlanningPoker.Server.Identity;

/// <summary>One OpenID Connect provider (<c>Accounts:Providers:{name}</c>): Entra ID, Google, Keycloak, Okta…</summary>
public sealed class ExternalProviderOptions
{
    /// <summary>The scopes asked for when <see cref="Scopes"/> is not set.</summary>
    public const string DefaultScopes = "openid profile email";

    /// <summary>What the sign-in button says ("Contoso Entra ID").</summary>
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>
    /// The issuer's address, where <c>/.well-known/openid-configuration</c> is found
    /// (<c>https://login.microsoftonline.com/{tenant}/v2.0</c>, <c>https://accounts.google.com</c>). HTTPS, except on
    /// a loopback address with <see cref="RequireHttpsMetadata"/> off (tests, a provider on the same machine).
    /// </summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>The client (application) id registered at the provider.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The client secret; none for a public client (the code is then protected by PKCE alone).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for, separated by spaces; <c>openid</c> is required. Default <see cref="DefaultScopes"/>.</summary>
    public string Scopes { get; set; } = DefaultScopes;

    /// <summary>The path the provider sends the person back to (register it there). Default <c>/signin-oidc-{name}</c>.</summary>
    public string? CallbackPath { get; set; }

    /// <summary>The metadata and the authority must be HTTPS. Off only for a loopback authority.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The provider's <c>email</c> claim counts as verified even without <c>email_verified: true</c>. Only for a
    /// provider whose directory the operator controls (a single-tenant Entra ID, which sends no <c>email_verified</c>):
    /// a verified email signs in the account that has it, so a provider that lets people choose their email must not
    /// be trusted this way.
    /// </summary>
    public bool TrustEmails { get; set; }

    /// <summary>The scopes as a list.</summary>
    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The callback path of provider <paramref name="name"/>.</summary>
    public string CallbackPathOf(string name) => string.IsNullOrWhiteSpace(CallbackPath) ? "/signin-oidc-" + name : CallbackPath;
}

/// <summary>Checks <see cref="AccountOptions.Providers"/> at start, so that a provider set up wrong fails at boot.</summary>
public sealed partial class AccountOptionsValidator : IValidateOptions<AccountOptions>
{
    /// <summary>The longest provider name.</summary>
    public const int NameLength = 32;

    /// <summary>Tells whether a provider name is letters, digits and single dashes between them.</summary>
    public static bool IsValidName(string? name) => name is { Length: > 0 and <= NameLength } && NamePattern().IsMatch(name);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var callbacks = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, provider) in options.Providers)
        {
            var where = $"Accounts:Providers:{key}";
            if (!IsValidName(key))
            {
                failures.Add($"{where}: a provider's name has 1 to {NameLength} letters, digits and dashes");
            }

            if (string.IsNullOrWhiteSpace(provider.DisplayName) || provider.DisplayName.Length > 60)
            {
                failures.Add($"{where}:DisplayName: 1 to 60 characters, what the sign-in button says");
            }

            if (!Uri.TryCreate(provider.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            {
                failures.Add($"{where}:Authority: the provider's absolute https address");
            }
            else if (authority.Scheme == "http" && (provider.RequireHttpsMetadata || !IsLoopback(authority)))
            {
                failures.Add($"{where}:Authority: https is required (http only on a loopback address, with RequireHttpsMetadata false)");
            }
            else if (!provider.RequireHttpsMetadata && !IsLoopback(authority))
            {
                failures.Add($"{where}:RequireHttpsMetadata: may be false only for a loopback authority");
            }

            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                failures.Add($"{where}:ClientId: the client id registered at the provider");
            }

            if (!provider.ScopeList.Contains("openid", StringComparer.Ordinal))
            {
                failures.Add($"{where}:Scopes: openid is required");
            }

            var callback = provider.CallbackPathOf(key);
            if (!callback.StartsWith('/') || callback.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || callback.Contains('?', StringComparison.Ordinal))
            {
                failures.Add($"{where}:CallbackPath: a path of this server outside /api, like /signin-oidc-{key}");
            }
            else if (!callbacks.Add(callback))
            {
                failures.Add($"{where}:CallbackPath: another provider has {callback}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    [GeneratedRegex("^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
