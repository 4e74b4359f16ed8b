using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// Passkeys (WebAuthn) of local accounts, under <c>/api/account/passkeys</c>: sign up with one (no password), sign in
/// with one (discoverable: no email typed), and list, add, rename and remove those of the signed-in account. Each
/// ceremony is two requests: the options the browser hands to <c>navigator.credentials</c>, then what its authenticator
/// answered. Between the two, Identity's <see cref="SignInManager{TUser}"/> keeps the challenge (and, for a new
/// account, its id, email and name) sealed in its short-lived two-factor cookie: one ceremony per browser at a time,
/// used once.
/// </summary>
public static partial class AccountsApi
{
    /// <summary>The name of a passkey nobody named: "Passkey 2".</summary>
    private const string DefaultPasskeyName = "Passkey";

    /// <summary>Characters of a credential id in base64url (at most 1023 bytes: WebAuthn's limit).</summary>
    private const int PasskeyIdLength = 1_364;

    /// <summary>
    /// Signing up and in: on the local-accounts group, so that <c>Accounts:LocalAccounts</c> switches them off and the
    /// sign-in rate limit counts them.
    /// </summary>
    private static void MapPasskeyCeremonies(RouteGroupBuilder local)
    {
        var passkeys = local.MapGroup("/passkeys").WithMetadata(new RequestSizeLimitAttribute(Limits.PasskeyCredentialLength + 4_096));
        passkeys.MapPost("/sign-up/options", PasskeySignUpOptionsAsync).WithName("MakePasskeySignUpOptions");
        passkeys.MapPost("/sign-up", PasskeySignUpAsync).WithName("SignUpWithPasskey");
        passkeys.MapPost("/sign-in/options", PasskeySignInOptionsAsync).WithName("MakePasskeySignInOptions");
        passkeys.MapPost("/sign-in", PasskeySignInAsync).WithName("SignInWithPasskey");

        // Adding one to the signed-in account is a ceremony too: rate-limited as well.
        var adding = passkeys.MapGroup("/").RequireAuthorization();
        adding.MapPost("/options", AddPasskeyOptionsAsync).WithName("MakeAddPasskeyOptions");
        adding.MapPost("/", AddPasskeyAsync).WithName("AddPasskey");
    }

    /// <summary>The signed-in account's passkeys: with the sign-in cookie (not a token), while local accounts are on.</summary>
    private static void MapPasskeyList(RouteGroupBuilder account)
    {
        var passkeys = account.MapGroup("/passkeys").RequireAuthorization().AddEndpointFilter(LocalAccountsOnlyAsync)
            .WithMetadata(new RequestSizeLimitAttribute(4_096));
        passkeys.MapGet("/", ListPasskeysAsync).WithName("ListPasskeys");
        passkeys.MapPut("/{id}", RenamePasskeyAsync).WithName("RenamePasskey");
        passkeys.MapDelete("/{id}", RemovePasskeyAsync).WithName("RemovePasskey");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PasskeySignUpOptionsAsync(
        PasskeySignUpOptionsRequest request, HttpContext http, UserManager<Account> users, SignInManager<Account> signIn, IOptions<AccountOptions> options)
    {
        if (!options.Value.OpenSignUp)
        {
            return SignUpClosed();
        }

        if (CheckEmail(request.Email) is { } badEmail)
        {
            return badEmail;
        }

        if (CheckDisplayName(request.DisplayName, out var name) is { } badName)
        {
            return badName;
        }

        // Said now rather than after the person has made a passkey for nothing.
        var email = request.Email.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return Errors.Problem(ErrorCodes.EmailTaken, "an account with this email exists: sign in, or reset its password");
        }

        // The account's id is chosen now: it is the passkey's user handle, by which a later sign-in finds the account.
        var entity = new PasskeyUserEntity { Id = Guid.NewGuid().ToString(), Name = email, DisplayName = name };
        return Ceremony(http, await signIn.MakePasskeyCreationOptionsAsync(entity));
    }

    private static async Task<Results<Created<AccountDto>, ProblemHttpResult>> PasskeySignUpAsync(
        PasskeyCredentialRequest request, UserManager<Account> users, SignInManager<Account> signIn, IOptions<AccountOptions> options, TimeProvider clock,
        ILogger<Account> logger)
    {
        var accounts = options.Value;
        if (!accounts.OpenSignUp)
        {
            return SignUpClosed();
        }

        if (CheckPasskeyName(request.Name, out var passkeyName) is { } badName)
        {
            return badName;
        }

        var (attested, refused) = await AttestAsync(request, signIn, logger);
        if (refused is not null)
        {
            return refused;
        }

        // The entity comes from the sealed ceremony state: the email and name checked when the options were made. A
        // ceremony begun to add a passkey to an existing account (its id taken) does not make an account here.
        var entity = attested!.UserEntity;
        if (!Guid.TryParse(entity.Id, CultureInfo.InvariantCulture, out var id) || await users.FindByIdAsync(entity.Id) is not null)
        {
            return Errors.Problem(ErrorCodes.NoPasskeyCeremony, "no passkey sign-up is under way in this browser: ask for its options first");
        }

        var account = new Account { Id = id, UserName = entity.Name, Email = entity.Name, DisplayName = entity.DisplayName, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(account);
        if (!created.Succeeded)
        {
            return Refusal(created, accounts);
        }

        attested.Passkey.Name = passkeyName ?? $"{DefaultPasskeyName} 1";
        var added = await users.AddOrUpdatePasskeyAsync(account, attested.Passkey);
        if (!added.Succeeded)
        {
            // An account nobody can sign in to is worth nothing: undone.
            await users.DeleteAsync(account);
            return Errors.Problem(ErrorCodes.PasskeyRefused, "the passkey could not be kept: try again");
        }

        await signIn.SignInAsync(account, isPersistent: true);
        return TypedResults.Created("/api/account/me", ToDto(account));
    }

    private static async Task<ContentHttpResult> PasskeySignInOptionsAsync(HttpContext http, SignInManager<Account> signIn) =>
        Ceremony(http, await signIn.MakePasskeyRequestOptionsAsync(null));

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> PasskeySignInAsync(
        PasskeyCredentialRequest request, UserManager<Account> users, SignInManager<Account> signIn, ILogger<Account> logger)
    {
        // The same answer whether the passkey is unknown here, someone else's, or its signature wrong.
        var failed = Errors.Problem(ErrorCodes.SignInFailed, "this passkey does not open an account here");
        if (CredentialJson(request) is not { } json)
        {
            return failed;
        }

        PasskeyAssertionResult<Account> assertion;
        try
        {
            assertion = await signIn.PerformPasskeyAssertionAsync(json);
        }
        catch (InvalidOperationException)
        {
            return NoCeremony();
        }

        if (assertion is not { Succeeded: true, User: { } account, Passkey: { } used })
        {
            Log.PasskeyRefused(logger, "sign-in", assertion.Failure?.Message ?? "no account");
            return failed;
        }

        if (await users.IsLockedOutAsync(account))
        {
            return Errors.Problem(ErrorCodes.AccountLockedOut, "too many wrong passwords: try again later, or reset the password");
        }

        // The passkey's new signature count is kept: a clone that replays an older one is refused next time.
        if (!await signIn.CanSignInAsync(account) || !(await users.AddOrUpdatePasskeyAsync(account, used)).Succeeded)
        {
            return failed;
        }

        await signIn.SignInAsync(account, isPersistent: true);
        return TypedResults.Ok(ToDto(account));
    }

    private static async Task<Results<Ok<PasskeyDto[]>, ProblemHttpResult>> ListPasskeysAsync(HttpContext http, UserManager<Account> users)
    {
        http.Response.Headers.CacheControl = "no-store";
        var (account, refused) = await SignedInAccountAsync(http.User, users);
        if (refused is not null)
        {
            return refused;
        }

        var passkeys = await users.GetPasskeysAsync(account!);
        return TypedResults.Ok(passkeys.OrderBy(p => p.CreatedAt).Select(ToDto).ToArray());
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> AddPasskeyOptionsAsync(
        HttpContext http, UserManager<Account> users, SignInManager<Account> signIn)
    {
        var (account, refused) = await SignedInAccountAsync(http.User, users);
        if (refused is not null)
        {
            return refused;
        }

        if ((await users.GetPasskeysAsync(account!)).Count >= Limits.PasskeysPerAccount)
        {
            return TooManyPasskeys();
        }

        // The options list the account's passkeys, so that an authenticator holding one already says so.
        var entity = new PasskeyUserEntity { Id = account!.Id.ToString(), Name = account.Email ?? account.UserName!, DisplayName = account.DisplayName };
        return Ceremony(http, await signIn.MakePasskeyCreationOptionsAsync(entity));
    }

    private static async Task<Results<Created<PasskeyDto>, ProblemHttpResult>> AddPasskeyAsync(
        PasskeyCredentialRequest request, HttpContext http, UserManager<Account> users, SignInManager<Account> signIn, ILogger<Account> logger)
    {
        var (account, refused) = await SignedInAccountAsync(http.User, users);
        if (refused is not null)
        {
            return refused;
        }

        if (CheckPasskeyName(request.Name, out var name) is { } badName)
        {
            return badName;
        }

        var (attested, failed) = await AttestAsync(request, signIn, logger);
        if (failed is not null)
        {
            return failed;
        }

        // A ceremony begun for someone else (a sign-up's new account) adds nothing to this one.
        if (attested!.UserEntity.Id != account!.Id.ToString())
        {
            return Errors.Problem(ErrorCodes.NoPasskeyCeremony, "no passkey for this account is being made in this browser: ask for its options first");
        }

        var count = (await users.GetPasskeysAsync(account)).Count;
        if (count >= Limits.PasskeysPerAccount)
        {
            return TooManyPasskeys();
        }

        attested.Passkey.Name = name ?? $"{DefaultPasskeyName} {count + 1}";
        var added = await users.AddOrUpdatePasskeyAsync(account, attested.Passkey);
        if (!added.Succeeded)
        {
            return Errors.Problem(ErrorCodes.PasskeyRefused, "the passkey could not be kept: try again");
        }

        await signIn.RefreshSignInAsync(account);
        var made = ToDto(attested.Passkey);
        return TypedResults.Created($"/api/account/passkeys/{made.Id}", made);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RenamePasskeyAsync(
        string id, RenamePasskeyRequest request, ClaimsPrincipal user, UserManager<Account> users)
    {
        var (account, refused) = await SignedInAccountAsync(user, users);
        if (refused is not null)
        {
            return refused;
        }

        if (CheckPasskeyName(request.Name, out var name) is { } badName || name is null)
        {
            return Errors.Problem(ErrorCodes.InvalidName, $"a passkey's name has 1 to {Limits.PasskeyNameLength} characters");
        }

        if (await FindPasskeyAsync(users, account!, id) is not { } passkey)
        {
            return PasskeyNotFound();
        }

        passkey.Name = name;
        var renamed = await users.AddOrUpdatePasskeyAsync(account!, passkey);
        return renamed.Succeeded ? TypedResults.NoContent() : Errors.Problem(ErrorCodes.ValidationFailed, string.Join(" ", renamed.Errors.Select(e => e.Description)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemovePasskeyAsync(
        string id, ClaimsPrincipal user, UserManager<Account> users, SignInManager<Account> signIn)
    {
        var (account, refused) = await SignedInAccountAsync(user, users);
        if (refused is not null)
        {
            return refused;
        }

        if (await FindPasskeyAsync(users, account!, id) is not { } passkey)
        {
            return PasskeyNotFound();
        }

        // Nobody locks themselves out: the last passkey of an account with no password and no provider stays.
        if ((await users.GetPasskeysAsync(account!)).Count == 1 && !await users.HasPasswordAsync(account!) && (await users.GetLoginsAsync(account!)).Count == 0)
        {
            return Errors.Problem(ErrorCodes.LastSignInMethod, "this passkey is the account's only way to sign in: add another passkey, or set a password, first");
        }

        var removed = await users.RemovePasskeyAsync(account!, passkey.CredentialId);
        if (!removed.Succeeded)
        {
            return Errors.Problem(ErrorCodes.ValidationFailed, string.Join(" ", removed.Errors.Select(e => e.Description)));
        }

        await signIn.RefreshSignInAsync(account!);
        return TypedResults.NoContent();
    }

    /// <summary>The options of a ceremony, as Identity wrote them (JSON for <c>PublicKeyCredential.parse…OptionsFromJSON</c>).</summary>
    private static ContentHttpResult Ceremony(HttpContext http, string optionsJson)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(optionsJson, "application/json", statusCode: StatusCodes.Status200OK);
    }

    /// <summary>Checks a new passkey (attestation): a refusal, or the passkey and the user entity of the ceremony.</summary>
    private static async Task<(Attested? Attested, ProblemHttpResult? Refused)> AttestAsync(
        PasskeyCredentialRequest request, SignInManager<Account> signIn, ILogger logger)
    {
        if (CredentialJson(request) is not { } json)
        {
            return (null, Errors.Problem(ErrorCodes.PasskeyRefused, $"the credential is a JSON object of at most {Limits.PasskeyCredentialLength} characters"));
        }

        PasskeyAttestationResult attestation;
        try
        {
            attestation = await signIn.PerformPasskeyAttestationAsync(json);
        }
        catch (InvalidOperationException)
        {
            // Identity's way of saying that this browser has no ceremony under way (none asked, expired, or used).
            return (null, NoCeremony());
        }

        if (attestation is not { Succeeded: true, Passkey: { } passkey, UserEntity: { } entity })
        {
            Log.PasskeyRefused(logger, "creation", attestation.Failure?.Message ?? "no passkey");
            return (null, Errors.Problem(ErrorCodes.PasskeyRefused, "the authenticator's answer does not check out for this site: try again"));
        }

        return (new Attested(passkey, entity), null);
    }

    /// <summary>A new passkey that checked out, and the user entity of its ceremony.</summary>
    private sealed record Attested(UserPasskeyInfo Passkey, PasskeyUserEntity UserEntity);

    /// <summary>The credential's JSON text, or null when it is not an object or is too long.</summary>
    private static string? CredentialJson(PasskeyCredentialRequest? request) =>
        request?.Credential is { ValueKind: JsonValueKind.Object } credential && credential.GetRawText() is { Length: <= Limits.PasskeyCredentialLength } json ? json : null;

    /// <summary>The signed-in account, with the sign-in cookie: a token manages no passkeys.</summary>
    private static async Task<(Account? Account, ProblemHttpResult? Refused)> SignedInAccountAsync(ClaimsPrincipal user, UserManager<Account> users)
    {
        if (SignedInOnly(user) is { } token)
        {
            return (null, token);
        }

        return await users.GetUserAsync(user) is { } account ? (account, null) : (null, Errors.Problem(ErrorCodes.NotSignedIn, "sign in first"));
    }

    private static async Task<UserPasskeyInfo?> FindPasskeyAsync(UserManager<Account> users, Account account, string id)
    {
        if (id.Length is 0 or > PasskeyIdLength)
        {
            return null;
        }

        byte[] credentialId;
        try
        {
            credentialId = Base64Url.DecodeFromChars(id);
        }
        catch (FormatException)
        {
            return null;
        }

        // Only among this account's own: another's passkey is "not found", as an unknown one.
        return await users.GetPasskeyAsync(account, credentialId);
    }

    /// <summary>A passkey's name: null for none given (a default is chosen), else 1 to <see cref="Limits.PasskeyNameLength"/> visible characters.</summary>
    private static ProblemHttpResult? CheckPasskeyName(string? name, out string? trimmed)
    {
        trimmed = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        return trimmed is { Length: > Limits.PasskeyNameLength } || (trimmed?.Any(char.IsControl) ?? false)
            ? Errors.Problem(ErrorCodes.InvalidName, $"a passkey's name has 1 to {Limits.PasskeyNameLength} characters")
            : null;
    }

    private static PasskeyDto ToDto(UserPasskeyInfo passkey) =>
        new(Base64Url.EncodeToString(passkey.CredentialId), passkey.Name ?? DefaultPasskeyName, passkey.CreatedAt, passkey.IsBackedUp);

    private static ProblemHttpResult NoCeremony() =>
        Errors.Problem(ErrorCodes.NoPasskeyCeremony, "no passkey ceremony is under way in this browser (none was asked, it expired, or it was used): ask for its options again");

    private static ProblemHttpResult PasskeyNotFound() => Errors.Problem(ErrorCodes.PasskeyNotFound, "this account has no such passkey");

    private static ProblemHttpResult TooManyPasskeys() =>
        Errors.Problem(ErrorCodes.LimitExceeded, $"an account has at most {Limits.PasskeysPerAccount} passkeys: remove one first");
}
