using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Security;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Identity;

/// <summary>Registers accounts: ASP.NET Core Identity on our store, the sign-in cookie, and the keys that seal it.</summary>
public static class AccountsSetup
{
    /// <summary>Rate-limit policy of sign-in, sign-up and password resets, per client address.</summary>
    public const string SignInPolicy = "sign-in";

    /// <summary>The default scheme: the cookie, or an API token when the request presents one.</summary>
    public const string SignedInScheme = "SignedIn";

    /// <summary>The sign-in cookie's name.</summary>
    public const string CookieName = "planning-poker.session";

    /// <summary>
    /// Adds <see cref="AccountOptions"/> (section <c>Accounts</c>), Identity with its EF Core stores on
    /// <see cref="PokerDbContext"/> (passkeys included), the sign-in cookie (HttpOnly, SameSite=Lax, Secure over HTTPS;
    /// a 401/403 problem rather than a redirect), an OpenID Connect handler per provider of <c>Accounts:Providers</c>
    /// (<see cref="ExternalSignIn"/>), data-protection keys kept in the database (so that every node opens
    /// every node's cookie, and a restart signs nobody out) and the sign-in rate limit.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountOptions>, AccountOptionsValidator>();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<ResetMail>();
        services.AddHostedService(sp => sp.GetRequiredService<ResetMail>());

        // Before Identity's own (which it then does not add): an account made through a provider may have no email.
        services.AddScoped<IUserValidator<Account>, AccountValidator>();
        services.AddIdentityCore<Account>()
            .AddEntityFrameworkStores<PokerDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, options) =>
        {
            var accounts = options.Value;
            identity.User.RequireUniqueEmail = true;
            identity.Password.RequiredLength = accounts.MinimumPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 1;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = accounts.LockoutDuration;
            identity.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
        });

        // Passkeys (AccountsApi.Passkeys.cs; table account_passkeys, schema version 3).
        services.TryAddScoped<IPasskeyHandler<Account>, PasskeyHandler<Account>>();
        services.AddOptions<IdentityPasskeyOptions>().Configure<IOptions<WebOptions>>((passkeys, options) =>
        {
            var web = options.Value;

            // The relying party is the site people use: its host on Web:PublicBaseUrl, else the host each request names
            // (as browsers then reach the app directly). Passkeys are bound to it: moving the site to another host
            // orphans them (docs/operations.md, "Passkeys").
            passkeys.ServerDomain = web.PublicBaseUrl?.IdnHost;
            passkeys.UserVerificationRequirement = "required";
            passkeys.ResidentKeyRequirement = "required"; // discoverable: signing in needs no email
            passkeys.AuthenticatorTimeout = TimeSpan.FromMinutes(5);

            // The page that made the passkey or signed with it must be one of ours, as for the hub (OriginCheck): the
            // origin of Web:PublicBaseUrl when set, else the one the request was sent to; never a frame in another site.
            var publicOrigin = web.PublicOrigin;
            passkeys.ValidateOrigin = context => ValueTask.FromResult(
                !context.CrossOrigin && Origin.Parse(context.Origin) is { } origin && origin == (publicOrigin ?? Origin.OfRequest(context.HttpContext.Request)));
        });

        // A request is signed in by the cookie, or by a personal API token (Authorization: Bearer pp_…).
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<AccountDeletion>();

        // A sign-in cookie is checked against its account every minute: a deleted account, or one whose password was
        // reset, is signed out on every device within that minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SignedInScheme;
                o.DefaultChallengeScheme = SignedInScheme;
            })
            .AddPolicyScheme(SignedInScheme, "The sign-in cookie or a personal API token", policy => policy.ForwardDefaultSelector =
                http => ApiTokenAuthentication.Presents(http.Request) ? ApiTokenAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null)
            .AddExternalProviders(configuration)
            .AddIdentityCookies();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<AccountOptions>>((cookie, options) =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax; // Strict would hide the sign-in on the redirect back from a provider
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.Value.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, ErrorCodes.NotSignedIn);
            cookie.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, ErrorCodes.NotAllowed);
        });
        services.AddAuthorization();

        services.AddDataProtection().SetApplicationName("PlanningPoker").PersistKeysToDbContext<PokerDbContext>();

        services.AddRateLimiter(o => o.AddPolicy(SignInPolicy, http =>
        {
            var accounts = http.RequestServices.GetRequiredService<IOptions<AccountOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = accounts.SignInsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }));
        return services;
    }

    /// <summary>
    /// Refuses a state-changing request (POST, PUT, PATCH, DELETE) to the API that is made with the sign-in cookie, or
    /// to the account endpoints, unless it carries <see cref="SignInOptionsDto.CsrfHeader"/>: another site's page can
    /// make a browser send the cookie, but not that header without this server's leave (CORS, which it never gives).
    /// </summary>
    /// <remarks>
    /// A request with a personal API token needs no such header (a page cannot make a browser send one), but a
    /// read-scoped token may only read: its other requests are answered <c>403 InsufficientScope</c>.
    /// </remarks>
    public static IApplicationBuilder UseCsrfHeaderCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        var changes = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
        if (changes && ApiTokenAuthentication.IsToken(http.User))
        {
            if (http.User.FindFirst(ApiTokenAuthentication.ScopeClaim)?.Value != nameof(ApiTokenScope.Write))
            {
                await Errors.Problem(ErrorCodes.InsufficientScope, "this token may only read (GET)").ExecuteAsync(http);
                return;
            }
        }
        else if (changes && !ApiTokenAuthentication.Presents(request)
            && (request.Cookies.ContainsKey(CookieName) || request.Path.StartsWithSegments("/api/account", StringComparison.Ordinal))
            && request.Headers[SignInOptionsDto.CsrfHeader] != "1")
        {
            await Errors.Problem(ErrorCodes.CsrfCheckFailed, $"send the header {SignInOptionsDto.CsrfHeader}: 1 with this request").ExecuteAsync(http);
            return;
        }

        await next(http);
    });

    private static Task Refuse(HttpContext http, string code)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Errors.Problem(code, code == ErrorCodes.NotSignedIn ? "sign in first" : "your role does not allow this").ExecuteAsync(http);
    }

    /// <summary>The signed-in account's id, or null for a guest.</summary>
    public static Guid? AccountIdOf(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        return user.Identity?.IsAuthenticated == true && Guid.TryParse(id, CultureInfo.InvariantCulture, out var guid) ? guid : null;
    }
}
