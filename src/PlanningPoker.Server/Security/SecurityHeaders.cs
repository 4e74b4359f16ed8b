namespace PlanningPoker.Server.Security;

/// <summary>
/// The browser security headers of every response (the UI, its static files, the API, the exports, the errors),
/// with NetEscapades.AspNetCore.SecurityHeaders. Program.cs registers them here and puts <c>UseSecurityHeaders()</c>
/// first in the pipeline. The values are listed in docs/operations.md.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Registers the one header policy that every response gets.</summary>
    public static IServiceCollection AddBrowserSecurityHeaders(this IServiceCollection services)
    {
        services.AddSecurityHeaderPolicies().SetDefaultPolicy(policy => policy
            .AddContentTypeOptionsNoSniff()
            .AddFrameOptionsDeny()
            // Room links are secrets (whoever has one may take a seat): no page sends its address anywhere.
            .AddReferrerPolicyNoReferrer()
            .AddCrossOriginOpenerPolicy(coop => coop.SameOrigin())
            .AddCrossOriginResourcePolicy(corp => corp.SameOrigin())
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                // Blazor WebAssembly compiles the runtime's .wasm: 'wasm-unsafe-eval' allows exactly that, not eval().
                // No inline script anywhere: index.html starts Blazor from js/start.js.
                csp.AddScriptSrc().Self().WasmUnsafeEval();
                csp.AddStyleSrc().Self();
                // Blazor writes style attributes through the DOM (the result bars' width, --share); attributes only,
                // never <style> elements, and Razor escapes the values it writes.
                csp.AddStyleSrcAttr().UnsafeInline();
                // The favicon is a data: URI.
                csp.AddImgSrc().Self().Data();
                // REST, the runtime's downloads and the hub's WebSocket: all on this origin ('self' covers ws(s): on it).
                csp.AddConnectSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            })
            // Nothing the app uses (the clipboard and sound are not governed here) and nothing a third party should get.
            .AddPermissionsPolicy(permissions =>
            {
                permissions.AddAccelerometer().None();
                permissions.AddCamera().None();
                permissions.AddDisplayCapture().None();
                permissions.AddGeolocation().None();
                permissions.AddGyroscope().None();
                permissions.AddHid().None();
                permissions.AddMagnetometer().None();
                permissions.AddMicrophone().None();
                permissions.AddMidi().None();
                permissions.AddPayment().None();
                permissions.AddSerialPermissions().None();
                permissions.AddUsb().None();
            }));
        return services;
    }
}
