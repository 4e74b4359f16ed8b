using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PlanningPoker.Server.Cluster;
using PlanningPoker.Server.Realtime;

namespace PlanningPoker.Server.Observability;

/// <summary>
/// The node's OpenTelemetry set-up, in one place (Program.cs calls <see cref="AddTelemetry"/>, the silo
/// <see cref="AddPokerTelemetry"/>, the app <see cref="MapTelemetry"/>). What is collected: our meter and activity source
/// (<see cref="PokerMetrics"/>, <see cref="PokerTracing"/>), Orleans' meter and activity sources, ASP.NET Core's
/// (requests, Kestrel, SignalR connections and hub calls), the runtime's, and Npgsql's meter. Where it goes: OTLP (all
/// three signals) when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, configured by the standard
/// <c>OTEL_*</c> variables; metrics also to a Prometheus scraping endpoint when <see cref="TelemetryOptions.Prometheus"/>
/// is on. With neither, no provider is built and nothing listens: the instruments cost a check.
/// </summary>
public static class Telemetry
{
    /// <summary>The standard variable whose presence turns OTLP export on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The Prometheus scraping path.</summary>
    public const string PrometheusPath = "/metrics";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> is not set.</summary>
    public const string DefaultServiceName = "planning-poker";

    /// <summary>Orleans' meter.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Headers that say a request came through a proxy: such a request never scrapes the metrics.</summary>
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "X-Original-For", "Forwarded"];

    /// <summary>True when OTLP export is on: traces, metrics and logs go to the OTLP endpoint.</summary>
    public static bool ExportsOtlp(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
    }

    /// <summary>Registers the telemetry: what is collected always, the exporters as configured.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<GaugeSources>();

        // Every log record carries the current trace and span ids (as a scope, which the console shows with
        // IncludeScopes; the OpenTelemetry provider exports them as the record's own fields), so logs meet traces.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        // What is collected, whichever exporter takes it (and a test's in-memory one).
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(PokerMetrics.MeterName, OrleansMeter, "Microsoft.AspNetCore.Http.Connections", "Npgsql")
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()

            // Kestrel's memory pool counts every buffer rented and returned: on the hub's hot path, for a figure
            // nobody watches (docs/performance.md, "Observability overhead").
            .AddView("aspnetcore.memory_pool.*", MetricStreamConfiguration.Drop));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(PokerTracing.SourceName, Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName,
                Orleans.Diagnostics.ActivitySources.RuntimeActivitySourceName, "Microsoft.AspNetCore.SignalR.Server")
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperatorPath(http.Request.Path))
            .AddProcessor(new SecretScrubber()));

        var prometheus = builder.Configuration.GetValue<bool>($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.Prometheus)}");
        var otlp = ExportsOtlp(builder.Configuration);
        if (!prometheus && !otlp)
        {
            return builder;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName;
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()));
        if (prometheus)
        {
            otel.WithMetrics(metrics => metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape fresh
        }

        if (otlp)
        {
            // Endpoint, protocol, headers, intervals: the standard OTEL_EXPORTER_OTLP_* variables.
            otel.WithMetrics().WithTracing().WithLogging().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Lets Orleans carry the trace through grain calls (a hub call's span is then the parent of the grain call's and of
    /// the room's command span), when traces are exported; otherwise its call filters would only cost.
    /// </summary>
    public static ISiloBuilder AddPokerTelemetry(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (ExportsOtlp(configuration))
        {
            silo.AddActivityPropagation();
        }

        return silo;
    }

    /// <summary>
    /// Maps <c>/metrics</c> when <see cref="TelemetryOptions.Prometheus"/> is on. It answers only requests from loopback
    /// or <see cref="TelemetryOptions.PrometheusNetworks"/> that did not come through a proxy; anyone else gets a 404, as
    /// if it were off.
    /// </summary>
    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!options.Prometheus)
        {
            return app;
        }

        var networks = options.PrometheusNetworks.Select(IPNetwork.Parse).ToArray();
        app.MapPrometheusScrapingEndpoint(PrometheusPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(next => context =>
        {
            if (MayScrape(context, networks))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }), optionsName: null);
        return app;
    }

    /// <summary>A scrape is answered to loopback and the listed networks, and never through a proxy.</summary>
    internal static bool MayScrape(HttpContext context, IReadOnlyList<IPNetwork> networks)
    {
        if (Array.Exists(ProxyHeaders, context.Request.Headers.ContainsKey) || context.Connection.RemoteIpAddress is not { } address)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address) || networks.Any(n => n.Contains(address));
    }

    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments(PrometheusPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    /// <summary>Counts this host's rooms and connections in <see cref="PokerMetrics"/>' gauges while it runs.</summary>
    private sealed class GaugeSources(LocalRooms rooms, HubConnections connections) : IHostedService, IDisposable
    {
        private IDisposable? _observation;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _observation = PokerMetrics.Observe(rooms, connections);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _observation?.Dispose();
            _observation = null;
        }
    }
}
