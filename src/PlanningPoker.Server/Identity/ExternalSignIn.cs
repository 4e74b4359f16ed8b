using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// Sign-in through OpenID Connect providers (<c>Accounts:Providers</c>), as a backend for the browser: the server runs
/// the authorization-code flow with PKCE, reads the ID token, keeps no provider token, and signs the person in with
/// the same cookie as a local sign-in. The browser only navigates:
/// <c>GET /api/account/providers/{name}/sign-in?returnUrl=</c> → the provider → <c>/signin-oidc-{name}</c> (the
/// handler, which puts the person in the short-lived external cookie) → <c>GET /api/account/providers/{name}/done</c>
/// (finds, links or makes the account, signs in) → <c>returnUrl</c>. A failure ends on
/// <c>/account?signInError={code}</c>.
/// </summary>
public static partial class ExternalSignIn
{
    /// <summary>Where a failed sign-in ends, with <c>?signInError={code}</c>.</summary>
    public const string FailurePath = "/account";

    /// <summary>The authentication scheme of provider <paramref name="name"/> (the name in lower case).</summary>
    public static string SchemeOf(string name) => "oidc-" + name.ToLowerInvariant();

    /// <summary>Registers a handler per configured provider, unless <c>Accounts:ExternalAccounts</c> is off.</summary>
    internal static AuthenticationBuilder AddExternalProviders(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var accounts = configuration.GetSection(AccountOptions.SectionName).Get<AccountOptions>() ?? new AccountOptions();
        if (!accounts.ExternalAccounts)
        {
            return authentication;
        }

        foreach (var (name, provider) in accounts.Providers)
        {
            authentication.AddOpenIdConnect(SchemeOf(name), provider.DisplayName, oidc => Configure(oidc, name.ToLowerInvariant(), provider));
        }

        return authentication;
    }

    /// <summary>Maps the two navigations under <c>/api/account</c>.</summary>
    internal static void MapExternalSignIn(this RouteGroupBuilder group)
    {
        // Only the start counts against the sign-in limit: the completion needs the external cookie that only a
        // provider's answer to a started sign-in gives, so one sign-in is one attempt (many people behind one company
        // address sign in at nine).
        group.MapGet("/providers/{name}/sign-in", Start).RequireRateLimiting(AccountsSetup.SignInPolicy).WithName("StartExternalSignIn");
        group.MapGet("/providers/{name}/done", CompleteAsync).WithName("CompleteExternalSignIn");
    }

    /// <summary>The providers offered, by name.</summary>
    internal static IReadOnlyList<SignInProviderDto> Offered(AccountOptions accounts) =>
        accounts.ExternalAccounts
            ? [.. accounts.Providers.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => new SignInProviderDto(p.Key.ToLowerInvariant(), p.Value.DisplayName))]
            : [];

    private static void Configure(OpenIdConnectOptions oidc, string name, ExternalProviderOptions provider)
    {
        oidc.SignInScheme = IdentityConstants.ExternalScheme;
        oidc.Authority = provider.Authority;
        oidc.RequireHttpsMetadata = provider.RequireHttpsMetadata;
        oidc.ClientId = provider.ClientId;
        oidc.ClientSecret = string.IsNullOrEmpty(provider.ClientSecret) ? null : provider.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.UsePkce = true;

        // The code comes back in the query of a top-level GET: the correlation and nonce cookies can then be
        // SameSite=Lax (form_post needs SameSite=None, which browsers drop without HTTPS), and the callback is a GET.
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.MapInboundClaims = false;
        oidc.DisableTelemetry = true;
        oidc.Scope.Clear();
        foreach (var scope in provider.ScopeList)
        {
            oidc.Scope.Add(scope);
        }

        oidc.CallbackPath = provider.CallbackPathOf(name);
        oidc.SignedOutCallbackPath = "/signout-callback-oidc-" + name;
        oidc.RemoteSignOutPath = "/signout-oidc-" + name;
        foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.HttpOnly = true;
        }

        oidc.Events.OnRedirectToIdentityProvider = context =>
        {
            // Behind a reverse proxy that ends TLS, the request says http: the provider must send people back to the
            // address they use (and that is registered there).
            var web = context.HttpContext.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value;
            if (web.PublicBaseUrl is { } publicBase)
            {
                context.ProtocolMessage.RedirectUri = new Uri(publicBase, oidc.CallbackPath.Value).ToString();
            }

            return Task.CompletedTask;
        };
        oidc.Events.OnTokenValidated = context =>
        {
            // Only what we use goes into the external cookie: no provider token, no other claim.
            var person = ExternalPerson.FromIdToken(context.Principal?.Claims ?? [], provider.TrustEmails);
            if (person is null)
            {
                context.Fail("the ID token has no usable subject (sub)");
                return Task.CompletedTask;
            }

            context.Principal = new System.Security.Claims.ClaimsPrincipal(person.ToIdentity(context.Scheme.Name));
            return Task.CompletedTask;
        };
        oidc.Events.OnAccessDenied = context =>
        {
            Log.Cancelled(Logger(context.HttpContext), name);
            context.Response.Redirect(FailureUrl(ErrorCodes.ExternalSignInCancelled));
            context.HandleResponse();
            return Task.CompletedTask;
        };
        oidc.Events.OnRemoteFailure = context =>
        {
            Log.Failed(Logger(context.HttpContext), name, context.Failure?.Message ?? "no reason given");
            context.Response.Redirect(FailureUrl(ErrorCodes.ExternalSignInFailed));
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    private static IResult Start(string name, string? returnUrl, HttpContext http, IOptions<AccountOptions> options, SignInManager<Account> signIn)
    {
        http.Response.Headers.CacheControl = "no-store";
        var accounts = options.Value;
        if (!accounts.ExternalAccounts)
        {
            return Fail(ErrorCodes.ExternalAccountsOff);
        }

        if (!AccountOptionsValidator.IsValidName(name) || !accounts.Providers.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)))
        {
            return Errors.Problem(ErrorCodes.ProviderNotFound, $"no sign-in provider is named '{(AccountOptionsValidator.IsValidName(name) ? name : "…")}' on this server");
        }

        var provider = name.ToLowerInvariant();
        var back = ExternalPerson.LocalPathOrRoot(returnUrl);
        var done = $"/api/account/providers/{provider}/done?returnUrl={Uri.EscapeDataString(back)}";
        var properties = signIn.ConfigureExternalAuthenticationProperties(provider, done);
        return TypedResults.Challenge(properties, [SchemeOf(provider)]);
    }

    private static async Task<IResult> CompleteAsync(
        string name, string? returnUrl, HttpContext http, IOptions<AccountOptions> options, SignInManager<Account> signIn, UserManager<Account> users,
        TimeProvider clock, ILogger<Account> logger)
    {
        http.Response.Headers.CacheControl = "no-store";
        var back = ExternalPerson.LocalPathOrRoot(returnUrl);
        if (!options.Value.ExternalAccounts)
        {
            return Fail(ErrorCodes.ExternalAccountsOff);
        }

        var provider = name.ToLowerInvariant();
        var login = await signIn.GetExternalLoginInfoAsync();

        // The external cookie has done its job, whatever comes next.
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (login is null || login.LoginProvider != provider || ExternalPerson.FromExternalCookie(login.Principal) is not { } person)
        {
            return Fail(ErrorCodes.ExternalSignInFailed);
        }

        // 1. The account this login was linked to before.
        var account = await users.FindByLoginAsync(provider, person.Subject);
        if (account is null && person.VerifiedEmail is { } email && await users.FindByEmailAsync(email) is { } owner)
        {
            // 2. The account with the email the provider vouches for: linked from now on.
            if (!(await users.AddLoginAsync(owner, new UserLoginInfo(provider, person.Subject, provider))).Succeeded)
            {
                return Fail(ErrorCodes.ExternalSignInFailed);
            }

            Log.Linked(logger, owner.Id, provider);
            account = owner;
        }
        else if (account is null)
        {
            // 3. A new account, made from what the provider says.
            account = new Account
            {
                UserName = person.VerifiedEmail ?? ("oidc-" + Guid.NewGuid().ToString("N")),
                Email = person.VerifiedEmail,
                EmailConfirmed = person.VerifiedEmail is not null,
                DisplayName = person.DisplayName,
                CreatedAt = clock.GetUtcNow(),
            };
            var created = await users.CreateAsync(account);
            if (!created.Succeeded || !(await users.AddLoginAsync(account, new UserLoginInfo(provider, person.Subject, provider))).Succeeded)
            {
                Log.NotCreated(logger, provider, string.Join(", ", created.Errors.Select(e => e.Code)));
                return Fail(ErrorCodes.ExternalSignInFailed);
            }

            Log.Created(logger, account.Id, provider);
        }

        if (await users.IsLockedOutAsync(account))
        {
            return Fail(ErrorCodes.AccountLockedOut);
        }

        await signIn.SignInAsync(account, isPersistent: true, authenticationMethod: provider);
        return TypedResults.Redirect(back);
    }

    private static RedirectHttpResult Fail(string code) => TypedResults.Redirect(FailureUrl(code));

    private static string FailureUrl(string code) => $"{FailurePath}?signInError={code}";

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILogger<Account>>();

    private static partial class Log
    {
        [LoggerMessage(1310, LogLevel.Information, "Account {AccountId} made at its first sign-in through provider {Provider}")]
        public static partial void Created(ILogger logger, Guid accountId, string provider);

        [LoggerMessage(1311, LogLevel.Information, "Account {AccountId} linked to provider {Provider} by the email the provider verified")]
        public static partial void Linked(ILogger logger, Guid accountId, string provider);

        [LoggerMessage(1312, LogLevel.Warning, "A sign-in through provider {Provider} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string provider, string reason);

        [LoggerMessage(1313, LogLevel.Information, "A sign-in through provider {Provider} was cancelled at the provider")]
        public static partial void Cancelled(ILogger logger, string provider);

        [LoggerMessage(1314, LogLevel.Warning, "No account could be made for a sign-in through provider {Provider}: {Errors}")]
        public static partial void NotCreated(ILogger logger, string provider, string errors);
    }
}
