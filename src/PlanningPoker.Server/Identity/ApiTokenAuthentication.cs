using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// The authentication scheme of personal API tokens: <c>Authorization: Bearer pp_…</c>. Any other bearer value (a
/// room seat's token, read by the room endpoints themselves) is not its business. A token that opens nothing is
/// answered <c>401 InvalidApiToken</c>; a read-scoped token's POST, PUT, PATCH or DELETE <c>403 InsufficientScope</c>.
/// </summary>
internal sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    /// <summary>The claim holding the token's scope.</summary>
    public const string ScopeClaim = "planning-poker/scope";

    /// <summary>The claim holding the token's id.</summary>
    public const string TokenIdClaim = "planning-poker/token";

    /// <summary>Whether a request presents an API token (rather than the sign-in cookie, or a seat's token).</summary>
    public static bool Presents(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer " + ApiTokens.Prefix, StringComparison.Ordinal);
    }

    /// <summary>Whether a signed-in caller came with an API token (not the cookie).</summary>
    public static bool IsToken(System.Security.Claims.ClaimsPrincipal user) => user?.FindFirst(TokenIdClaim) is not null;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Presents(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var principal = await tokens.AuthenticateAsync(secret, SchemeName);
        return principal is null
            ? AuthenticateResult.Fail("the API token is wrong, expired or revoked")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Errors.Problem(Presents(Request) ? ErrorCodes.InvalidApiToken : ErrorCodes.NotSignedIn, Presents(Request) ? "the API token is wrong, expired or revoked" : "sign in first")
            .ExecuteAsync(Context);

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Errors.Problem(ErrorCodes.NotAllowed, "your role does not allow this").ExecuteAsync(Context);
}
