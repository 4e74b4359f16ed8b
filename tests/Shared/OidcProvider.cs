using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PlanningPoker.Testing;

/// <summary>
/// An OpenID Connect provider in the test process, on a free loopback port (OpenIddict's server in degraded mode:
/// no database, ephemeral keys). One client, <see cref="ClientId"/> / <see cref="ClientSecret"/>, may use any loopback
/// redirect URI; the authorization-code flow with PKCE (S256) is the only flow.
/// </summary>
/// <remarks>
/// Its authorize endpoint shows a small form where a person types an email and a name and presses
/// <b>Sign in</b> (or <b>Cancel</b>, which answers <c>access_denied</c>); the ID token then carries <c>sub</c>
/// (<see cref="SubjectOf"/> the email, unless the form's Subject field says otherwise), <c>email</c>,
/// <c>email_verified</c> (the form's check box, ticked by default) and <c>name</c>.
/// A browser test fills the form (labels "Email", "Name", button "Sign in"); an HTTP test calls
/// <see cref="SignInAsync"/> with the authorize address the app redirected to.
/// </remarks>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "planning-poker-tests";
    public const string ClientSecret = "not-a-real-secret";
    public const string AuthorizePath = "/connect/authorize";

    private readonly WebApplication _app;

    private OidcProvider(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
    }

    /// <summary>The issuer, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Authority { get; }

    /// <summary>The query of every authorize request a browser made (GET), oldest first.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string?>> AuthorizeRequests { get; } = new();

    /// <summary>Starts a provider on a free loopback port.</summary>
    public static async Task<OidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                .SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.Email, Scopes.Profile);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();

            // No application or token store: this provider checks its one client itself.
            server.EnableDegradedMode();
            server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "unknown client_id");
                }
                else if (!Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var redirect) || !redirect.IsLoopback)
                {
                    context.Reject(Errors.InvalidRequest, "the redirect_uri must be a loopback address");
                }
                else
                {
                    context.SetRedirectUri(context.RedirectUri);
                }

                return default;
            }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                // A confidential client proves itself with the secret; a public one (no secret) with PKCE alone.
                if (context.ClientId != ClientId || (context.ClientSecret is not null && context.ClientSecret != ClientSecret))
                {
                    context.Reject(Errors.InvalidClient, "wrong client credentials");
                }

                return default;
            }));
        });

        var app = builder.Build();
        OidcProvider? provider = null;
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], async http => await (await provider!.AuthorizeAsync(http)).ExecuteAsync(http));
        await app.StartAsync();
        provider = new OidcProvider(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
        return provider;
    }

    /// <summary>
    /// The app's settings for this provider as <c>Accounts:Providers:{name}:*</c> (or with "__" as
    /// <paramref name="separator"/>, for environment variables).
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings(string name, string displayName = "Test ID", string separator = ":", bool publicClient = false)
    {
        var prefix = string.Join(separator, "Accounts", "Providers", name) + separator;
        var settings = new Dictionary<string, string>
        {
            [prefix + "DisplayName"] = displayName,
            [prefix + "Authority"] = Authority.ToString(),
            [prefix + "ClientId"] = ClientId,
            [prefix + "RequireHttpsMetadata"] = "false",
        };
        if (!publicClient)
        {
            settings[prefix + "ClientSecret"] = ClientSecret;
        }

        return settings;
    }

    /// <summary>The <c>sub</c> the form gives an email when its Subject field is left empty.</summary>
    public static string SubjectOf(string email) =>
        "sub-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..24];

    /// <summary>
    /// Does what a person does at the provider: opens the authorize address the app sent the browser to, fills the
    /// form and presses Sign in. Returns where the provider sends the browser next (the app's callback, with the code).
    /// </summary>
    public async Task<Uri> SignInAsync(Uri authorize, string email, string name, bool emailVerified = true, string? subject = null, CancellationToken cancel = default)
    {
        var fields = new Dictionary<string, string> { ["action"] = "sign-in", ["email"] = email, ["name"] = name };
        if (emailVerified)
        {
            fields["email_verified"] = "true";
        }

        if (subject is not null)
        {
            fields["subject"] = subject;
        }

        return await SubmitAsync(authorize, fields, cancel);
    }

    /// <summary>Opens the authorize address and presses Cancel: the provider answers <c>access_denied</c>.</summary>
    public Task<Uri> DenyAsync(Uri authorize, CancellationToken cancel = default) =>
        SubmitAsync(authorize, new Dictionary<string, string> { ["action"] = "deny" }, cancel);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<Uri> SubmitAsync(Uri authorize, Dictionary<string, string> fields, CancellationToken cancel)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var page = await http.GetAsync(authorize, cancel);
        var html = await page.Content.ReadAsStringAsync(cancel);
        if (page.StatusCode != HttpStatusCode.OK || !html.Contains("<form", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The provider answered {(int)page.StatusCode} to {authorize}: {html}");
        }

        var form = QueryHelpers.ParseQuery(authorize.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }

        using var content = new FormUrlEncodedContent(form);
        using var answer = await http.PostAsync(new Uri(Authority, AuthorizePath), content, cancel);
        if (answer.StatusCode != HttpStatusCode.Redirect || answer.Headers.Location is null)
        {
            throw new InvalidOperationException($"The provider answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(cancel)}");
        }

        return answer.Headers.Location;
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        if (HttpMethods.IsGet(http.Request.Method))
        {
            AuthorizeRequests.Enqueue(http.Request.Query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString()));
            return Results.Content(FormPage(http.Request.Query), "text/html; charset=utf-8");
        }

        var form = await http.Request.ReadFormAsync();
        if (form["action"] == "deny")
        {
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The person cancelled the sign-in.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var email = form["email"].ToString().Trim();
        var subject = form["subject"].ToString() is { Length: > 0 } given ? given : SubjectOf(email);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, subject));
        identity.AddClaim(new Claim(Claims.Email, email));
        identity.AddClaim(new Claim(Claims.EmailVerified, form["email_verified"] == "true" ? "true" : "false", ClaimValueTypes.Boolean));
        identity.AddClaim(new Claim(Claims.Name, form["name"].ToString()));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string FormPage(IQueryCollection query)
    {
        var html = HtmlEncoder.Default;
        var hidden = new StringBuilder();
        foreach (var (key, value) in query)
        {
            hidden.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{html.Encode(key)}\" value=\"{html.Encode(value.ToString())}\">");
        }

        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Test ID: sign in</title></head>
            <body><main><h1>Test ID</h1>
            <form method="post" action="{{AuthorizePath}}">{{hidden}}
            <p><label for="email">Email</label> <input id="email" name="email" type="email" required></p>
            <p><label for="name">Name</label> <input id="name" name="name"></p>
            <p><label for="subject">Subject</label> <input id="subject" name="subject"></p>
            <p><input id="email_verified" name="email_verified" type="checkbox" value="true" checked> <label for="email_verified">Email verified</label></p>
            <p><button type="submit" name="action" value="sign-in">Sign in</button> <button type="submit" name="action" value="deny" formnovalidate>Cancel</button></p>
            </form></main></body></html>
            """;
    }
}
