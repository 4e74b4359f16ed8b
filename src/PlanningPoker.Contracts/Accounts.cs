using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlanningPoker.Contracts;

/// <summary>Sign-up for a local account.</summary>
/// <param name="Email">The address the account signs in with.</param>
/// <param name="Password">At least the server's minimum length (10 by default); no composition rules.</param>
/// <param name="DisplayName">The name shown to others.</param>
public sealed record SignUpRequest(string Email, string Password, string DisplayName);

/// <summary>Sign-in with a local account's email and password.</summary>
/// <param name="Email">The account's email.</param>
/// <param name="Password">Its password.</param>
public sealed record SignInRequest(string Email, string Password);

/// <summary>Asks for a password reset link (sent by email when SMTP is configured, else written to the server's log).</summary>
/// <param name="Email">The account's email; the answer is the same whether or not it exists.</param>
public sealed record PasswordResetRequest(string Email);

/// <summary>Sets a new password with the token of a reset link.</summary>
/// <param name="Email">The account's email.</param>
/// <param name="Token">The token of the link.</param>
/// <param name="NewPassword">The new password.</param>
public sealed record PasswordResetConfirmRequest(string Email, string Token, string NewPassword);

/// <summary>Starts a sign-up with a passkey (no password): the server answers the options of <c>navigator.credentials.create</c>.</summary>
/// <param name="Email">The address of the new account (checked as for a sign-up with a password).</param>
/// <param name="DisplayName">The name shown to others.</param>
public sealed record PasskeySignUpOptionsRequest(string Email, string DisplayName);

/// <summary>
/// What a browser's authenticator answered (<c>PublicKeyCredential.toJSON()</c> of <c>navigator.credentials.create</c>
/// or <c>get</c>), to finish the ceremony whose options the server gave last to this browser.
/// </summary>
/// <param name="Credential">The credential, as the browser serialises it (at most <see cref="Limits.PasskeyCredentialLength"/> characters).</param>
/// <param name="Name">
/// For a new passkey: what to call it in the list (at most <see cref="Limits.PasskeyNameLength"/> characters); none gives
/// "Passkey" and its number. Ignored when signing in.
/// </param>
public sealed record PasskeyCredentialRequest(JsonElement Credential, string? Name = null);

/// <summary>Renames a passkey.</summary>
/// <param name="Name">1 to <see cref="Limits.PasskeyNameLength"/> characters.</param>
public sealed record RenamePasskeyRequest(string Name);

/// <summary>A passkey of the signed-in account, as its owner sees it (<c>GET /api/account/passkeys</c>).</summary>
/// <param name="Id">Its credential id, base64url (no padding): the id to rename or remove it by.</param>
/// <param name="Name">What it is called.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="Synced">The authenticator says it is backed up (a passkey synced by a password manager or a phone's account).</param>
public sealed record PasskeyDto(string Id, string Name, DateTimeOffset CreatedAt, bool Synced);

/// <summary>The signed-in person.</summary>
/// <param name="Id">The account's id.</param>
/// <param name="Email">Its email (null for an account made through a provider that gave none).</param>
/// <param name="DisplayName">The name shown to others.</param>
public sealed record AccountDto(Guid Id, string? Email, string DisplayName);

/// <summary>
/// Which kinds of sign-in this server offers (for the sign-in page), and the header every state-changing request made
/// with the sign-in cookie must carry (<see cref="CsrfHeader"/>).
/// </summary>
/// <param name="LocalAccounts">Email and password accounts are on.</param>
/// <param name="OpenSignUp">Anyone may sign up (else by invitation only).</param>
/// <param name="MinimumPasswordLength">The shortest password accepted.</param>
/// <param name="Providers">
/// The OpenID Connect providers configured (<c>Accounts:Providers</c>), ordered by name (configuration keys have no
/// order); empty when <c>Accounts:ExternalAccounts</c> is off. The sign-in page shows a button for each: a link (a
/// navigation, not a fetch) to <c>GET /api/account/providers/{Name}/sign-in?returnUrl=/local/path</c>. A failed
/// sign-in comes back to <c>/account?signInError={code}</c>.
/// </param>
/// <param name="ResetByMail">A password-reset link is mailed to the account's address (else the operator passes it on).</param>
/// <param name="Passkeys">
/// Passkeys (WebAuthn) are offered: to sign in, to sign up without a password (when <paramref name="OpenSignUp"/>), and
/// to add to an account. On with local accounts; a browser without WebAuthn hides them all the same.
/// </param>
public sealed record SignInOptionsDto(
    bool LocalAccounts, bool OpenSignUp, int MinimumPasswordLength, IReadOnlyList<SignInProviderDto> Providers, bool ResetByMail = false, bool Passkeys = false)
{
    /// <summary>
    /// The header (value <c>1</c>) that a cookie-authenticated POST, PUT, PATCH or DELETE must carry: a page of another
    /// site cannot send it without the browser asking this server first (CORS), which it refuses.
    /// </summary>
    public const string CsrfHeader = "X-Planning-Poker";
}

/// <summary>An OpenID Connect provider people may sign in with.</summary>
/// <param name="Name">Its key in settings in lower case, used in paths (letters, digits and dashes).</param>
/// <param name="DisplayName">What the button says ("Contoso Entra ID").</param>
public sealed record SignInProviderDto(string Name, string DisplayName);

/// <summary>
/// Answer of <c>GET /api/account/session</c>: who the browser is signed in as, if anyone. Never an error, so that a
/// guest's page logs no failed request.
/// </summary>
/// <param name="Account">The signed-in person, or null for a guest.</param>
public sealed record SessionDto(AccountDto? Account);

/// <summary>A room the signed-in person has a seat in (<c>GET /api/account/rooms</c>), most recently active first.</summary>
/// <param name="RoomId">Room id.</param>
/// <param name="Name">Room name (untrusted text: render escaped).</param>
/// <param name="TeamId">The team the room belongs to, or null for an ad-hoc room.</param>
/// <param name="TeamName">That team's name.</param>
/// <param name="LastActiveAt">When the room last changed.</param>
public sealed record AccountRoomDto(string RoomId, string Name, Guid? TeamId, string? TeamName, DateTimeOffset LastActiveAt);

/// <summary>What a personal API token may do.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ApiTokenScope>))]
public enum ApiTokenScope
{
    /// <summary>GET requests only.</summary>
    Read,

    /// <summary>Every request its account may make, except managing tokens and the sign-in.</summary>
    Write,
}

/// <summary>Makes a personal API token, for scripts (<c>Authorization: Bearer pp_…</c>).</summary>
/// <param name="Name">What it is for, shown in the list.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="ValidForDays">How long it lasts, 1 to <see cref="Limits.ApiTokenMaxDays"/> days.</param>
public sealed record CreateApiTokenRequest(string Name, ApiTokenScope Scope = ApiTokenScope.Read, int ValidForDays = 90);

/// <summary>A personal API token as its owner sees it.</summary>
/// <param name="Id">Its id (to revoke it).</param>
/// <param name="Name">What it is for.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="LastUsedAt">When it was last used (to the minute), or null.</param>
/// <param name="Token">The secret: only in the answer that made it (it is stored hashed).</param>
public sealed record ApiTokenDto(Guid Id, string Name, ApiTokenScope Scope, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, string? Token = null);

/// <summary>
/// What a deleted account's seats are called in the rooms they sat in: <see cref="Name"/>, or "Former member 2"… where
/// a room has several. Stored as such (the server writes it in English); the app shows it in the reader's language.
/// </summary>
public static partial class FormerMember
{
    /// <summary>The name, before any number.</summary>
    public const string Name = "Former member";

    /// <summary>The number after <see cref="Name"/> ("" for none, " 2"…), or null when <paramref name="name"/> is not a former member's.</summary>
    public static string? SuffixOf(string? name)
    {
        var match = name is null ? System.Text.RegularExpressions.Match.Empty : Pattern().Match(name);
        return match.Success ? match.Groups["n"].Value : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Former member(?<n> [0-9]{1,4})?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Pattern();
}
