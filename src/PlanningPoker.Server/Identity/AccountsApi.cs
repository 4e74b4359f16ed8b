using System.Globalization;
using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Security;
using PlanningPoker.Server.Web;

namespace PlanningPoker.Server.Identity;

/// <summary>The account endpoints under <c>/api/account</c>: sign-up, sign-in and out, the signed-in person, password resets.</summary>
public static partial class AccountsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account").WithTags("Accounts");
        group.MapGet("/options", GetOptions).WithName("GetSignInOptions");
        group.MapGet("/me", MeAsync).WithName("GetAccount");
        group.MapGet("/session", SessionAsync).WithName("GetSession");
        group.MapPost("/sign-out", SignOutAsync).WithName("SignOut");
        group.MapPost("/delete", DeleteAccountAsync).RequireAuthorization().WithName("DeleteAccount");

        // OpenID Connect providers: browser navigations (ExternalSignIn.cs); switched off with Accounts:ExternalAccounts.
        group.MapExternalSignIn();

        // Email and password: switched off with Accounts:LocalAccounts.
        var local = group.MapGroup("/").RequireRateLimiting(AccountsSetup.SignInPolicy).AddEndpointFilter(LocalAccountsOnlyAsync);
        local.MapPost("/sign-up", SignUpAsync).WithName("SignUp");
        local.MapPost("/sign-in", SignInAsync).WithName("SignIn");
        local.MapPost("/password-reset", RequestResetAsync).WithName("RequestPasswordReset");
        local.MapPost("/password-reset/confirm", ConfirmResetAsync).WithName("ResetPassword");

        // Passkeys (AccountsApi.Passkeys.cs): the ceremonies on the local group, the list beside it.
        MapPasskeyCeremonies(local);
        MapPasskeyList(group);

        // Personal API tokens: managed with the sign-in cookie only (a token makes no tokens).
        var tokens = group.MapGroup("/tokens").RequireAuthorization();
        tokens.MapGet("/", async (ClaimsPrincipal user, ApiTokens service) =>
            SignedInOnly(user) ?? (IResult)TypedResults.Ok(await service.ListAsync(AccountsSetup.AccountIdOf(user)!.Value))).WithName("ListApiTokens");
        tokens.MapPost("/", async (CreateApiTokenRequest request, ClaimsPrincipal user, ApiTokens service) =>
        {
            if (SignedInOnly(user) is { } refused)
            {
                return refused;
            }

            var made = await service.CreateAsync(AccountsSetup.AccountIdOf(user)!.Value, request);
            return made.IsSuccess ? TypedResults.Created($"/api/account/tokens/{made.Value!.Id}", made.Value) : (IResult)Errors.Problem(made.ErrorCode!, made.ErrorMessage);
        }).WithName("CreateApiToken");
        tokens.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, ApiTokens service) =>
        {
            if (SignedInOnly(user) is { } refused)
            {
                return refused;
            }

            var revoked = await service.RevokeAsync(AccountsSetup.AccountIdOf(user)!.Value, id);
            return revoked.IsSuccess ? TypedResults.NoContent() : (IResult)Errors.Problem(revoked.ErrorCode!, revoked.ErrorMessage);
        }).WithName("RevokeApiToken");
        return group;
    }

    private static Ok<SignInOptionsDto> GetOptions(IOptions<AccountOptions> options, IOptions<SmtpOptions> smtp)
    {
        var accounts = options.Value;
        return TypedResults.Ok(new SignInOptionsDto(
            accounts.LocalAccounts, accounts.LocalAccounts && accounts.OpenSignUp, accounts.MinimumPasswordLength, ExternalSignIn.Offered(accounts), smtp.Value.Enabled,
            Passkeys: accounts.LocalAccounts));
    }

    private static async Task<Ok<SessionDto>> SessionAsync(HttpContext http, UserManager<Account> users)
    {
        http.Response.Headers.CacheControl = "no-store";
        var account = http.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(http.User) : null;
        return TypedResults.Ok(new SessionDto(account is null ? null : ToDto(account)));
    }

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> MeAsync(HttpContext http, UserManager<Account> users)
    {
        http.Response.Headers.CacheControl = "no-store";
        var account = await users.GetUserAsync(http.User);
        return account is null ? Errors.Problem(ErrorCodes.NotSignedIn, "sign in first") : TypedResults.Ok(ToDto(account));
    }

    private static async Task<Results<Created<AccountDto>, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, UserManager<Account> users, SignInManager<Account> signIn, IOptions<AccountOptions> options, TimeProvider clock)
    {
        var accounts = options.Value;
        if (!accounts.OpenSignUp)
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

        if (request.Password is null || request.Password.Length > Limits.PasswordMaxLength)
        {
            return PasswordRefused(accounts);
        }

        var email = request.Email.Trim();
        var account = new Account { UserName = email, Email = email, DisplayName = name, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(account, request.Password);
        if (!created.Succeeded)
        {
            return Refusal(created, accounts);
        }

        await signIn.SignInAsync(account, isPersistent: true);
        return TypedResults.Created("/api/account/me", ToDto(account));
    }

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, UserManager<Account> users, SignInManager<Account> signIn)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > Limits.EmailLength
            || request.Password is null || request.Password.Length > Limits.PasswordMaxLength)
        {
            return Errors.Problem(ErrorCodes.SignInFailed, "the email or the password is wrong");
        }

        // The same answer whether the email is unknown or the password wrong: no one learns who has an account.
        var account = await users.FindByEmailAsync(request.Email.Trim());
        if (account is null)
        {
            return Errors.Problem(ErrorCodes.SignInFailed, "the email or the password is wrong");
        }

        var result = await signIn.PasswordSignInAsync(account, request.Password, isPersistent: true, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Errors.Problem(ErrorCodes.AccountLockedOut, "too many wrong passwords: try again later, or reset the password");
        }

        return result.Succeeded ? TypedResults.Ok(ToDto(account)) : Errors.Problem(ErrorCodes.SignInFailed, "the email or the password is wrong");
    }

    private static async Task<NoContent> SignOutAsync(SignInManager<Account> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAccountAsync(
        ClaimsPrincipal user, UserManager<Account> users, SignInManager<Account> signIn, AccountDeletion deletion)
    {
        if (SignedInOnly(user) is { } refused)
        {
            return refused;
        }

        if (await users.GetUserAsync(user) is not { } account)
        {
            return Errors.Problem(ErrorCodes.NotSignedIn, "sign in first");
        }

        var deleted = await deletion.DeleteAsync(account, users);
        if (!deleted.IsSuccess)
        {
            return Errors.Problem(deleted.ErrorCode!, deleted.ErrorMessage);
        }

        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RequestResetAsync(
        PasswordResetRequest request, HttpContext http, UserManager<Account> users, IOptions<SmtpOptions> smtp, IOptions<WebOptions> web, ResetMail mail, ILogger<Account> logger)
    {
        if (CheckEmail(request.Email) is { } badEmail)
        {
            return badEmail;
        }

        // Answered the same whether or not the account exists.
        if (await users.FindByEmailAsync(request.Email.Trim()) is { } account)
        {
            var token = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(account)));
            var path = $"/account/reset?email={Uri.EscapeDataString(account.Email!)}&token={token}";
            if (smtp.Value.Enabled)
            {
                // Mailed on the public address only (required with a mail server): never on the Host header of whoever asked.
                mail.Send(new ResetLink(account.Id, account.Email!, account.DisplayName, web.Value.LinkTo(path), CultureInfo.GetCultureInfo(Prerendering.CultureOf(http.Request))));
            }
            else
            {
                // No mail server is configured: the operator passes the link on (docs/operations.md, "Accounts").
                Log.ResetLink(logger, account.Id, $"{http.Request.Scheme}://{http.Request.Host}{path}");
            }
        }

        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmResetAsync(
        PasswordResetConfirmRequest request, UserManager<Account> users, IOptions<AccountOptions> options)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > Limits.EmailLength || string.IsNullOrEmpty(request.Token) || request.Token.Length > 2_000
            || await users.FindByEmailAsync(request.Email.Trim()) is not { } account)
        {
            return Errors.Problem(ErrorCodes.InvalidResetToken, "the link is wrong or has expired");
        }

        if (request.NewPassword is null || request.NewPassword.Length > Limits.PasswordMaxLength)
        {
            return PasswordRefused(options.Value);
        }

        string token;
        try
        {
            token = System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(request.Token));
        }
        catch (FormatException)
        {
            return Errors.Problem(ErrorCodes.InvalidResetToken, "the link is wrong or has expired");
        }

        var reset = await users.ResetPasswordAsync(account, token, request.NewPassword);
        if (!reset.Succeeded)
        {
            return reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? Errors.Problem(ErrorCodes.InvalidResetToken, "the link is wrong or has expired")
                : Refusal(reset, options.Value);
        }

        // A reset ends a lockout: the person proved they hold the mailbox.
        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        return TypedResults.NoContent();
    }

    private static async ValueTask<object?> LocalAccountsOnlyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.RequestServices.GetRequiredService<IOptions<AccountOptions>>().Value.LocalAccounts
            ? await next(context)
            : Errors.Problem(ErrorCodes.LocalAccountsOff, "accounts with a password are switched off on this server");

    private static ProblemHttpResult SignUpClosed() => Errors.Problem(ErrorCodes.SignUpClosed, "sign-up is by invitation only on this server");

    private static ProblemHttpResult PasswordRefused(AccountOptions accounts) =>
        Errors.Problem(ErrorCodes.InvalidPassword, $"a password has {accounts.MinimumPasswordLength} to {Limits.PasswordMaxLength} characters");

    private static ProblemHttpResult? SignedInOnly(ClaimsPrincipal user) =>
        ApiTokenAuthentication.IsToken(user) ? Errors.Problem(ErrorCodes.SignInRequired, "tokens are managed signed in, not with a token") : null;

    private static ProblemHttpResult? CheckEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.Length > Limits.EmailLength || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim()
            ? Errors.Problem(ErrorCodes.InvalidEmail, "give a valid email address")
            : null;

    private static ProblemHttpResult? CheckDisplayName(string? displayName, out string name)
    {
        name = displayName?.Trim() ?? string.Empty;
        return name.Length is 0 or > Limits.DisplayNameLength || name.Any(char.IsControl)
            ? Errors.Problem(ErrorCodes.InvalidName, $"a display name has 1 to {Limits.DisplayNameLength} characters")
            : null;
    }

    private static ProblemHttpResult Refusal(IdentityResult result, AccountOptions accounts)
    {
        var codes = result.Errors.Select(e => e.Code).ToList();
        if (codes.Any(c => c is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            return Errors.Problem(ErrorCodes.EmailTaken, "an account with this email exists: sign in, or reset its password");
        }

        if (codes.Any(c => c.StartsWith("Password", StringComparison.Ordinal)))
        {
            return PasswordRefused(accounts);
        }

        if (codes.Any(c => c.Contains("Email", StringComparison.Ordinal) || c.Contains("UserName", StringComparison.Ordinal)))
        {
            return Errors.Problem(ErrorCodes.InvalidEmail, "give a valid email address");
        }

        return Errors.Problem(ErrorCodes.ValidationFailed, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private static AccountDto ToDto(Account account) => new(account.Id, account.Email, account.DisplayName);

    private static partial class Log
    {
        [LoggerMessage(1301, LogLevel.Warning, "Password reset asked for account {AccountId}; no mail server is configured, so pass this link on to its owner: {Link}")]
        public static partial void ResetLink(ILogger logger, Guid accountId, string link);

        [LoggerMessage(1305, LogLevel.Information, "A passkey {Ceremony} was refused: {Reason}")]
        public static partial void PasskeyRefused(ILogger logger, string ceremony, string reason);
    }
}
