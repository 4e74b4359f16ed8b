using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using PlanningPoker.Contracts;
using PlanningPoker.Server;
using PlanningPoker.Server.Api;
using PlanningPoker.Server.Cluster;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Insights;
using PlanningPoker.Server.Observability;
using PlanningPoker.Server.Realtime;
using PlanningPoker.Server.References;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Server.Web;

var builder = WebApplication.CreateBuilder(args);

// The browser UI (PlanningPoker.Web.Client) is served from this process: from its build output when run from
// source (static web assets, in every environment), from wwwroot once published.
builder.WebHost.UseStaticWebAssets();

// Its pages, rendered here first so that a link shows a page that takes typing at once; then the WebAssembly app
// takes the page over (docs/architecture.md, "The first visit").
builder.Services.AddAppPages();

// Options: each validated at start, so that bad configuration fails at boot.
builder.Services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<RoomOptions>().BindConfiguration(RoomOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<LimitOptions>().BindConfiguration(LimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);

// Storage first: its migrations run before the silo starts.
builder.Services.AddRoomStorage();

// Accounts (sign-in cookie, Identity on our store, OpenID Connect providers) and organisations, teams, invitations.
builder.Services.AddAccounts(builder.Configuration);
builder.Services.AddOrganisations();

// Trackers: their clients (one typed HTTP client per tracker), the teams' connections to them (secrets encrypted), and
// the worker that writes accepted estimates back (on every node; each estimate under a lease in the database).
builder.Services.AddTrackerClients();
builder.Services.AddTrackerConnections();
builder.Services.AddInsights();
builder.Services.AddReferences();
builder.Services.AddOptions<WriteBackOptions>().BindConfiguration(WriteBackOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<WriteBackWorker>();
builder.Services.AddSingleton<FactsBackfill>().AddHostedService(sp => sp.GetRequiredService<FactsBackfill>());

// One Orleans silo in this process; on PostgreSQL, the nodes sharing the database form one cluster (Cluster/Clustering.cs).
builder.UseOrleans(silo =>
{
    silo.UsePokerCluster(builder.Configuration);
    silo.AddPokerTelemetry(builder.Configuration);
    silo.Services.AddSerializer(s => s.AddJsonSerializer(DomainJson.IsSupported, DomainJson.Options));
});

// SignalR logs every refused hub call as an error with its stack trace; refusals are answers, not faults, and
// HubGuard logs the real faults once.
builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Critical);

// Metrics and traces (OpenTelemetry): OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, Prometheus at /metrics when enabled.
builder.AddTelemetry();


// Real time.
builder.Services.AddSingleton<RoomRelay>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<RoomRelay>());
builder.Services.AddSingleton<HubConnections>();
builder.Services.AddSingleton<HubGuard>();
builder.Services.AddSignalR(o =>
{
    o.AddFilter<HubGuard>();
    o.EnableDetailedErrors = false;
}).AddJsonProtocol();
builder.Services.AddOptions<HubOptions>()
    .Configure<IOptions<LimitOptions>>((hub, limits) => hub.MaximumReceiveMessageSize = limits.Value.MaxHubMessageBytes);

// Client addresses, for every limit per address: X-Forwarded-For is believed from the configured proxies only.
builder.Services.AddClientAddresses();

// Browser security: the headers of every response (CSP, no framing, no Referer, nosniff, permissions).
builder.Services.AddBrowserSecurityHeaders();

// REST.
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Errors.AddCodeToFrameworkProblems);
builder.Services.AddOpenApi();
builder.Services.AddRoomsApi();
builder.Services.AddHealthChecks();

var app = builder.Build();

// First, so that everything after it (rate limits, connection cap, logs) sees the real client's address; it answers nothing.
app.UseClientAddresses();

// Then, so that every response gets the security headers: errors and static files too.
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseCsrfHeaderCheck();
app.UseAuthorization();
app.UseRateLimiter();
app.UseOriginCheck();
app.UseHubConnectionCap();
app.UseRequestLocalization();
app.UseAntiforgery();

// The UI's files, fingerprinted, with their Brotli and gzip copies made at build time (content negotiation, ETags).
app.MapStaticAssets();

app.MapOpenApi();
app.MapRooms();
app.MapImports();
app.MapAccounts();
app.MapOrganisations();
app.MapTrackers();
app.MapInsights();
app.MapReferences();
app.MapHub<RoomHub>(IRoomHub.Path).RequireOwnOrigin().LimitConnectionsPerAddress();
app.MapTelemetry();

// Liveness answers as long as the process serves requests; readiness runs every registered check (storage).
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready");

// The UI's own routes load the app; an unknown page a browser asks for gets the app's "not found" (with a 404), and
// anything else unknown stays a 404 problem (the API's included).
app.MapAppPages();

await app.RunAsync();

/// <summary>The server's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
