using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.JSInterop;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;
using PlanningPoker.Server.Teams;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Server.Web;

/// <summary>
/// What the server needs to render the app's pages before the WebAssembly app runs (Program.cs calls it): the
/// services those pages inject, answered from this process (a room's info from its grain, not an HTTP call to
/// itself), no browser storage (a seat is this browser's secret: the app finds it once it runs), and the
/// language picked as the app picks it.
/// </summary>
public static class Prerendering
{
    /// <summary>The name of the cookie that holds the language chosen in the browser (set by <c>js/poker.js</c>).</summary>
    public const string CultureCookie = "poker.culture";

    /// <summary>Registers the Razor components, the pages' services and the request's language.</summary>
    public static IServiceCollection AddAppPages(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveWebAssemblyComponents();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddHttpContextAccessor();
        services.AddScoped<RoomApi, PrerenderedRoomApi>();
        services.AddScoped<AccountApi, PrerenderedAccountApi>();
        services.AddScoped<AccountState>();
        services.AddScoped<PasskeyBrowser>(); // never called while the server renders: the browser's half runs once the app does
        services.AddScoped<BrowserStore, PrerenderedBrowserStore>();
        services.AddScoped<SeatStore>();
        services.AddScoped<RoomSession>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            CultureInfo[] cultures = [.. Languages.Supported.Select(CultureInfo.GetCultureInfo)];
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new CustomRequestCultureProvider(http => Task.FromResult<ProviderCultureResult?>(new(CultureOf(http.Request))))];
        });
        return services;
    }

    /// <summary>
    /// The language of a request, as <c>js/poker.js</c> picks the app's: the one chosen in this browser (its cookie),
    /// else the browser's first language (the first of Accept-Language, as <c>navigator.language</c>), when French
    /// or English; English otherwise. The full tag keeps its regional formats ("fr-CA").
    /// </summary>
    public static string CultureOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tag = request.Cookies[CultureCookie];
        if (string.IsNullOrWhiteSpace(tag))
        {
            var first = request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
            tag = first?.Value.Value;
        }

        return Languages.Pick(tag).Name;
    }

    /// <summary>A room's info for its join form, from the grain; a miss counts against the address as the API's do.</summary>
    private sealed class PrerenderedRoomApi(IGrainFactory grains, RoomMisses misses, TeamRooms teams, IHttpContextAccessor http)
        : RoomApi(new HttpClient(new NoCalls()))
    {
        public override async Task<ApiResult<RoomInfoDto>> InfoAsync(string roomId)
        {
            var id = Secrets.NormalizeRoomId(roomId);
            if (id is null || !Secrets.IsRoomId(id))
            {
                return new ApiResult<RoomInfoDto>(null, ErrorCodes.RoomNotFound);
            }

            var reply = await misses.LookUpAsync(ClientAddress.Of(http.HttpContext), id, () => grains.Room(id).GetInfo());
            return reply.IsSuccess ? new ApiResult<RoomInfoDto>(await teams.DescribeAsync(reply.Value!), null) : new ApiResult<RoomInfoDto>(null, reply.ErrorCode);
        }
    }

    /// <summary>
    /// Who the request is signed in as, from its sign-in cookie (as <c>GET /api/account/session</c> answers), so that
    /// the header shows the right link on the first paint; every other account call is the app's, once it runs.
    /// </summary>
    private sealed class PrerenderedAccountApi(IHttpContextAccessor http, UserManager<Account> users)
        : AccountApi(new HttpClient(new NoCalls()))
    {
        public override async Task<ApiResult<SessionDto>> SessionAsync()
        {
            var user = http.HttpContext?.User;
            var account = user?.Identity?.IsAuthenticated == true ? await users.GetUserAsync(user) : null;
            return new ApiResult<SessionDto>(new SessionDto(account is null ? null : new AccountDto(account.Id, account.Email, account.DisplayName)), null);
        }
    }

    /// <summary>No browser storage on the server: no seats, no chosen language, nothing kept.</summary>
    private sealed class PrerenderedBrowserStore(IJSRuntime js) : BrowserStore(js)
    {
        public override ValueTask<string?> GetAsync(string key) => ValueTask.FromResult<string?>(null);

        public override ValueTask SetAsync(string key, string value) => ValueTask.CompletedTask;

        public override ValueTask<string?> CultureAsync() => ValueTask.FromResult<string?>(null);

        public override ValueTask SetCultureAsync(string name) => ValueTask.CompletedTask;

        public override ValueTask DownloadAsync(string fileName, string contentType, byte[] content) => ValueTask.CompletedTask;

        public override ValueTask<bool> CopyAsync(string text) => ValueTask.FromResult(false);

        public override ValueTask SelectAsync(string id) => ValueTask.CompletedTask;

        public override ValueTask DropFragmentAsync() => ValueTask.CompletedTask;

        public override ValueTask BeepAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Rendering a page calls no API but the room's info, which <see cref="PrerenderedRoomApi"/> answers itself.</summary>
    private sealed class NoCalls : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"a page rendered on the server called the API ({request.RequestUri}); only the room's info is answered there");
    }
}
