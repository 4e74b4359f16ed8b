using System.Globalization;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using PlanningPoker.Web.Client.Services;

// The server renders every page first (PlanningPoker.Server's Web/App.razor); this app then takes the page over.
var builder = WebAssemblyHostBuilder.CreateDefault(args);

builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
builder.Services.AddScoped(_ =>
{
    // The header that the server asks of every state-changing call made with the sign-in cookie (CSRF).
    var http = new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) };
    http.DefaultRequestHeaders.Add(PlanningPoker.Contracts.SignInOptionsDto.CsrfHeader, "1");
    return http;
});
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<RoomApi>();
builder.Services.AddScoped<OrganisationApi>(); // asked for by the organisation pages once they run (Components/OrganisationPage.cs)
builder.Services.AddScoped<AccountApi>();
builder.Services.AddScoped<AccountState>();
builder.Services.AddScoped<PasskeyBrowser>();
builder.Services.AddScoped<BrowserStore>();
builder.Services.AddScoped<SeatStore>();
builder.Services.AddScoped<RoomSession>();

var host = builder.Build();

// The language: the one chosen in this browser before, else the browser's own (French or English); the server picks
// it the same way from the cookie poker.js keeps and the Accept-Language header (Server's Web/UiCulture.cs).
var culture = await host.Services.GetRequiredService<BrowserStore>().CultureAsync();
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = Languages.Pick(culture);

await host.RunAsync();
