using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Trace;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Observability;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Realtime;

namespace PlanningPoker.Server.Tests.Observability;

/// <summary>
/// Our meter and spans, as an operator reads them: scraped from <c>/metrics</c>, exported over OTLP, and seen by a
/// plain <see cref="MeterListener"/>. The meter is the process's, so these tests run alone (their collection is not
/// parallel) and compare scrapes before and after what they do.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(TelemetryRunsAlone))]
public sealed class TelemetryTests(PokerApp shared)
{
    [Fact]
    public async Task MetricsEndpoint_CountsCommandsByTypeAndOutcome_CommitsAndFanOut_AndNamesNobody()
    {
        await using var app = new PokerApp();
        app.Settings["Telemetry:Prometheus"] = "true";
        await app.InitializeAsync();
        var before = await ScrapeAsync(app);
        await using var table = await Table.OpenAsync(app);
        var alice = await table.SeatAsync("Alice");

        await HubAssert.RefusedAsync(ErrorCodes.RoundNotOpen, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.CastVote), "5"));
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.CastVote), "3");
        await alice.InvokeAsync(nameof(IRoomHub.CastVote), "8");
        await table.Facilitator.WaitForAsync<VoteCastDto>(v => v.ParticipantId == alice.ParticipantId);
        var after = await ScrapeAsync(app);

        Assert.Equal(2, after.Delta(before, "poker_commands_total", ("command", "CastVote"), ("outcome", "ok")));
        Assert.Equal(1, after.Delta(before, "poker_commands_total", ("command", "CastVote"), ("outcome", ErrorCodes.RoundNotOpen)));
        Assert.Equal(1, after.Delta(before, "poker_commands_total", ("command", "StartRound"), ("outcome", "ok")));
        Assert.Equal(1, after.Delta(before, "poker_errors_total", ("code", ErrorCodes.RoundNotOpen), ("edge", "hub")));

        // The seat taken, the two connections' arrivals, the round and the two votes: each one commit, then one fan-out.
        Assert.True(after.Delta(before, "poker_commit_duration_milliseconds_count", ("outcome", "ok")) >= 5, after.Text);
        Assert.True(after.Delta(before, "poker_commit_duration_milliseconds_sum") > 0, after.Text);
        Assert.True(after.Delta(before, "poker_fanout_duration_milliseconds_count") >= 3, after.Text);
        Assert.True(after.Delta(before, "poker_storage_batch_size_count") >= 1, after.Text);
        Assert.True(after.Value("poker_rooms_active") >= 1, after.Text);
        Assert.True(after.Value("poker_connections_open") >= 2, after.Text);
        Assert.True(after.Has("orleans_catalog_activations"), "Orleans' meter is exported");
        Assert.True(after.Has("http_server_request_duration_seconds_count"), "ASP.NET Core's meter is exported");
        Assert.True(after.Has("signalr_server_active_connections"), "SignalR's meter is exported");
        Assert.False(after.Has("aspnetcore_memory_pool_rented_bytes_total"), "Kestrel's memory-pool counters are dropped");
        Assert.DoesNotContain(table.RoomId, after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Fanny", after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsEndpoint_IsNotFound_WhenPrometheusIsOff()
    {
        using var http = shared.Http();

        var response = await http.GetAsync("/metrics", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task MetricsEndpoint_IsNotFound_ToARequestThatCameThroughAProxy()
    {
        await using var app = new PokerApp();
        app.Settings["Telemetry:Prometheus"] = "true";
        await app.InitializeAsync();
        using var http = app.Http();
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var direct = await http.GetAsync("/metrics", Cancel);
        var throughProxy = await http.SendAsync(proxied, Cancel);

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, throughProxy.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("10.1.2.3", null, true)]
    [InlineData("::ffff:10.1.2.3", null, true)]
    [InlineData("192.168.1.9", null, false)]
    [InlineData("127.0.0.1", "X-Forwarded-For", false)]
    [InlineData("10.1.2.3", "X-Original-For", false)]
    [InlineData("10.1.2.3", "Forwarded", false)]
    public void MayScrape_LoopbackAndListedNetworks_NeverThroughAProxy(string address, string? header, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (header is not null)
        {
            context.Request.Headers[header] = "203.0.113.7";
        }

        Assert.Equal(allowed, Telemetry.MayScrape(context, [IPNetwork.Parse("10.0.0.0/8")]));
    }

    [Fact]
    public async Task AMeterListener_SeesEveryInstrument_AndACommandWithItsTypeAndOutcome()
    {
        var published = new List<string>();
        var commands = new List<(string? Command, string? Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PokerMetrics.MeterName)
            {
                lock (published)
                {
                    published.Add(instrument.Name);
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "poker.commands")
            {
                string? command = null, outcome = null;
                foreach (var tag in tags)
                {
                    command = tag.Key == PokerMetrics.CommandTag ? tag.Value as string : command;
                    outcome = tag.Key == PokerMetrics.OutcomeTag ? tag.Value as string : outcome;
                }

                lock (commands)
                {
                    commands.Add((command, outcome));
                }
            }
        });
        listener.Start();
        await using var table = await Table.OpenAsync(shared);

        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await HubAssert.RefusedAsync(ErrorCodes.RoundInProgress, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null));

        Assert.Equal(
            ["poker.commands", "poker.commit.duration", "poker.connections.open", "poker.errors", "poker.fanout.duration", "poker.rooms.active", "poker.storage.batch.duration", "poker.storage.batch.size"],
            published.Order(StringComparer.Ordinal));
        lock (commands)
        {
            Assert.Contains(("StartRound", "ok"), commands);
            Assert.Contains(("StartRound", ErrorCodes.RoundInProgress), commands);
        }
    }

    [Fact]
    public async Task WithOtlp_AHubCallsTraceReachesTheRoomsCommandSpan_LogsCarryItsIds_AndNoSpanNamesTheRoom()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var spans = new SpanCollection();
        await using var app = new PokerApp { ConfigureLogs = l => l.AddFakeLogging() };
        app.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString();
        app.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        app.Settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        app.Settings["OTEL_BLRP_SCHEDULE_DELAY"] = "100";
        app.Settings["OTEL_METRIC_EXPORT_INTERVAL"] = "200";
        app.Settings["Logging:LogLevel:Default"] = "Debug";
        app.ConfigureServices = s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
        await app.InitializeAsync();
        await using var table = await Table.OpenAsync(app);

        await HubAssert.RefusedAsync(ErrorCodes.RoundNotOpen, () => table.Facilitator.InvokeAsync(nameof(IRoomHub.CastVote), "5"));
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.StartRound), (int?)null);
        await table.Facilitator.InvokeAsync(nameof(IRoomHub.CastVote), "5");

        var done = await spans.WaitUntilAsync(all => all.Count(IsCastVoteCommand) == 2 && all.Count(IsCastVoteHubCall) == 2);
        var voted = done.Single(a => IsCastVoteCommand(a) && (a.GetTagItem(PokerTracing.OutcomeTag) as string) == "ok");
        var refused = done.Single(a => IsCastVoteCommand(a) && (a.GetTagItem(PokerTracing.OutcomeTag) as string) == ErrorCodes.RoundNotOpen);
        var hubCalls = done.Where(IsCastVoteHubCall).ToArray();
        Assert.Contains(hubCalls, h => h.TraceId == voted.TraceId);
        Assert.Contains(hubCalls, h => h.TraceId == refused.TraceId);
        Assert.Contains(done, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.TraceId == voted.TraceId);
        foreach (var span in done)
        {
            var text = string.Join(" ", [span.DisplayName, .. span.TagObjects.Select(t => $"{t.Key}={t.Value}")]);
            Assert.DoesNotContain(table.RoomId, text, StringComparison.Ordinal);
        }

        // The grain's log of the refusal carries the trace and span of the refused command.
        var refusal = app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Single(r => r.Id.Id == 1102 && r.Message.Contains(table.RoomId, StringComparison.Ordinal));
        var scope = refusal.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).ToDictionary(kv => kv.Key, kv => kv.Value?.ToString(), StringComparer.Ordinal);
        Assert.Equal(refused.TraceId.ToHexString(), scope["TraceId"]);
        Assert.Equal(refused.SpanId.ToHexString(), scope["SpanId"]);

        // And every signal reached the OTLP endpoint, our meter and source among them.
        await receiver.WaitUntilAsync(r => r.Contains("traces", "CastVote") && r.Contains("metrics", "poker.commands") && r.Contains("logs", "PlanningPoker.Server.Rooms.RoomGrain"));
        Assert.False(receiver.Contains("traces", table.RoomId), "a room id was exported in a span");

        static bool IsCastVoteCommand(Activity a) => a.Source.Name == PokerTracing.SourceName && a.DisplayName == "CastVote";
        static bool IsCastVoteHubCall(Activity a) => a.Source.Name == "Microsoft.AspNetCore.SignalR.Server" && a.DisplayName.EndsWith("/CastVote", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/rooms/4f7k0c2m9x1qa8zt/participants", "/api/rooms/{roomId}/participants")]
    [InlineData("room/4f7k0c2m9x1qa8zt", "room/{roomId}")]
    [InlineData("/rooms/4F7K0C2M9X1QA8ZT", "/rooms/{roomId}")]
    [InlineData("4f7k0c2m9x1qa8zt/x/4f7k0c2m9x1qa8zo/", "{roomId}/x/{roomId}/")]
    [InlineData("PlanningPoker.Server.Rooms.IRoomGrain/Execute", null)]
    [InlineData("/api/rooms", null)]
    [InlineData("nodedirectory/directory", null)]
    public void SecretScrubber_ReplacesRoomIds(string text, string? expected)
    {
        Assert.Equal(expected, SecretScrubber.Scrub(text));
    }

    private static async Task<Scrape> ScrapeAsync(PokerApp app)
    {
        using var http = app.Http();
        var response = await http.GetAsync("/metrics", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Scrape.Parse(await response.Content.ReadAsStringAsync(Cancel));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}

/// <summary>The telemetry tests run alone: the meter and the activity source are the process's.</summary>
[CollectionDefinition(nameof(TelemetryRunsAlone), DisableParallelization = true)]
public sealed class TelemetryRunsAlone;
