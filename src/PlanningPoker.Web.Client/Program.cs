using System.Globalization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using PlanningPoker.Web.Client;
using PlanningPoker.Web.Client.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<RoomApi>();
builder.Services.AddScoped<BrowserStore>();
builder.Services.AddScoped<SeatStore>();
builder.Services.AddScoped<RoomSession>();

var host = builder.Build();

// The language: the one chosen in this browser before, else the browser's own (French or English).
var culture = await host.Services.GetRequiredService<BrowserStore>().CultureAsync();
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = Languages.Pick(culture);

await host.RunAsync();
