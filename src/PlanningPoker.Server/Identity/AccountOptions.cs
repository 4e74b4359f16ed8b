using System.ComponentModel.DataAnnotations;

namespace PlanningPoker.Server.Identity;

/// <summary>Accounts (section <c>Accounts</c>): which kinds of sign-in are on, and their limits.</summary>
public sealed class AccountOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Accounts";

    /// <summary>Local accounts (email and password): sign-up, sign-in, password reset. On by default.</summary>
    public bool LocalAccounts { get; set; } = true;

    /// <summary>Anyone may sign up for a local account (off: only through an organisation's invitation link).</summary>
    public bool OpenSignUp { get; set; } = true;

    /// <summary>The shortest password accepted (length is what makes a password strong; no composition rules).</summary>
    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;

    /// <summary>Wrong passwords in a row before an account is locked out for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked-out account refuses every sign-in.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in and sign-up attempts per client address per minute (every kind counts).</summary>
    [Range(1, 1_000_000)]
    public int SignInsPerMinute { get; set; } = 20;

    /// <summary>How long a sign-in lasts without use (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Sign-in through the OpenID Connect providers of <see cref="Providers"/>. On by default; off, the providers are
    /// neither offered nor registered, whatever the settings list.
    /// </summary>
    public bool ExternalAccounts { get; set; } = true;

    /// <summary>
    /// The OpenID Connect providers people may sign in with (<c>Accounts:Providers:{name}</c>), by name: letters,
    /// digits and dashes, used in paths (<c>/api/account/providers/{name}/sign-in</c>, <c>/signin-oidc-{name}</c>).
    /// </summary>
    public Dictionary<string, ExternalProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
