using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Bench.Measurement;
using PlanningPoker.Bench.Reporting;
using PlanningPoker.Bench.Targets;
using static PlanningPoker.Bench.Text;

namespace PlanningPoker.Bench.Load;

/// <summary>
/// Runs R rooms × P participants against one <see cref="ILoadTarget"/>, or one per node of a cluster (each
/// participant talks to the node <see cref="LoadSettings.NodeOf"/> gives it): sets the rooms up (REST create or join,
/// connect, hub join: each timed), drives each room's rounds, prints a line every report interval, and measures a
/// window after the set-up (or ramps rooms up until the p99 bound or an error). One process, many connections.
/// </summary>
internal sealed class LoadRunner : IAsyncDisposable
{
    private readonly IReadOnlyList<ILoadTarget> _nodes;

    // Calls on an open connection, and the pushes, are the same whichever node it is on.
    private readonly ILoadTarget _target;
    private readonly LoadSettings _settings;
    private readonly TextWriter _out;
    private readonly Metrics _metrics = new();
    private readonly HttpClient _http;
    private readonly List<RoomRun> _rooms = [];
    private readonly List<Task> _drivers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private volatile bool _closing;
    private volatile string _phase = "set-up";
    private long _startedAt;
    private int _expectedClients;

    private LoadRunner(IReadOnlyList<ILoadTarget> nodes, LoadSettings settings, TextWriter output)
    {
        _nodes = nodes;
        _target = nodes[0];
        _settings = settings;
        _out = output;

        // REST is only the set-up; WebSockets open their own connections. Keep-alive, and no cap on connections.
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>One run; <paramref name="cancellationToken"/> (Ctrl+C) ends the window early and still reports.</summary>
    /// <param name="nodes">One target per URL of <paramref name="settings"/>, in the same order, all of one kind.</param>
    /// <param name="settings">The load.</param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="cancellationToken">Ends the window early.</param>
    public static async Task<RunResult> RunAsync(IReadOnlyList<ILoadTarget> nodes, LoadSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(settings);
        if (nodes.Count == 0 || nodes.Count != settings.Urls.Count)
        {
            throw new ArgumentException("one target per URL", nameof(nodes));
        }

        if (settings.WarmServer > TimeSpan.Zero)
        {
            await WarmAsync(nodes, settings, output, cancellationToken);
        }

        await using var runner = new LoadRunner(nodes, settings, output);
        return await runner.RunCoreAsync(cancellationToken);
    }

    /// <summary>
    /// Plays the scenario on a few rooms for <see cref="LoadSettings.WarmServer"/>, then closes its connections: the
    /// server's hot paths have then been called often enough for the JIT to have optimised them (on a fresh process, the
    /// first minute of load also pays for compiling them, which a server in service has long done).
    /// </summary>
    private static async Task WarmAsync(IReadOnlyList<ILoadTarget> nodes, LoadSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var warm = settings with
        {
            Rooms = Math.Min(settings.Rooms, LoadSettings.WarmServerRooms),
            Duration = settings.WarmServer,
            Warmup = TimeSpan.Zero,
            WarmServer = TimeSpan.Zero,
            Ramp = false,
            Smoke = false,
            QuietSetup = false,
            JsonPath = null,
            ReportInterval = TimeSpan.FromDays(1),
        };
        await output.WriteLineAsync(Invariant($"   warming the server: {warm.Rooms} rooms for {Duration(warm.Duration)} (not measured)"));
        await using var runner = new LoadRunner(nodes, warm, TextWriter.Null);
        var result = await runner.RunCoreAsync(cancellationToken);
        await output.WriteLineAsync(Invariant($"   warmed: {result.Rounds / Math.Max(result.WindowSeconds, 1e-3):0} rounds/s, {result.Errors} errors; the measured run follows"));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task<RunResult> RunCoreAsync(CancellationToken cancellationToken)
    {
        await _out.WriteLineAsync(Invariant($"== {_target.Name}: {HubUrls} ({_settings.Transport})"));
        await _out.WriteLineAsync("   " + _settings.Describe());
        if (_nodes.Count > 1)
        {
            var seats = new int[_nodes.Count];
            for (var room = 0; room < _settings.Rooms; room++)
            {
                for (var p = 0; p < _settings.ClientsPerRoom; p++)
                {
                    seats[_settings.NodeOf(room, p)]++;
                }
            }

            await _out.WriteLineAsync("   participants per node (first step): " + string.Join(", ", _nodes.Select((n, i) => Invariant($"{n.HubUrl.Authority} {seats[i]}"))));
        }

        await _out.WriteLineAsync("   note: " + SharedCores());

        await using var watch = new ResourceWatch(_settings.ServerPids);
        await watch.StartAsync(TimeSpan.FromSeconds(2), cancellationToken);
        if (watch.ServerPids.Count > 0)
        {
            var pids = string.Join(", ", watch.ServerPids);
            await _out.WriteLineAsync(watch.GonePids is { Count: > 0 } gone
                ? Invariant($"   server pid {string.Join(", ", gone)}: not readable in /proc; server CPU and RSS will be missing")
                : Invariant($"   server pid {pids}: idle RSS {Mb(watch.IdleRssBytes)} MB, idle CPU {watch.IdleCores ?? 0:0.000} cores (sampled 2 s before the set-up)"));
        }

        _startedAt = Stopwatch.GetTimestamp();
        using var reporting = new CancellationTokenSource();
        var reporter = ReportAsync(watch, reporting.Token);

        var baseline = _metrics.Snapshot();
        var setupStart = Stopwatch.GetTimestamp();
        var cpuBeforeSetup = watch.ServerCpuSeconds();
        try
        {
            await AddRoomsAsync(_settings.Rooms, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _out.WriteLineAsync("   interrupted during the set-up");
        }

        var setupSeconds = Stopwatch.GetElapsedTime(setupStart).TotalSeconds;
        var afterSetup = _metrics.Snapshot();
        var setupCpu = watch.ServerCpuSeconds() - cpuBeforeSetup;
        await _out.WriteLineAsync(Invariant(
            $"   set-up: {afterSetup.ClientsReady}/{_expectedClients} participants seated in {setupSeconds:0.0} s ({afterSetup.ClientsReady / Math.Max(setupSeconds, 1e-3):0} joins/s), {afterSetup.Errors} errors") +
            (setupCpu is { } cpu ? Invariant($", server CPU {cpu:0.0} s") : ""));

        if (_settings.Warmup > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
        {
            _phase = "warm-up";
            await Task.Delay(_settings.Warmup, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var windowBegin = _metrics.Snapshot();
        watch.BeginWindow();
        var windowStart = Stopwatch.GetTimestamp();
        _phase = "load";
        RampOutcome? ramp = null;
        if (!cancellationToken.IsCancellationRequested)
        {
            if (_settings.Ramp)
            {
                ramp = await RampAsync(baseline, cancellationToken);
            }
            else
            {
                await Task.Delay(_settings.Duration, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        var end = _metrics.Snapshot();
        var windowSeconds = Stopwatch.GetElapsedTime(windowStart).TotalSeconds;
        var (cores, server, nodes) = watch.EndWindow();
        await reporting.CancelAsync();
        await reporter;

        _phase = "stopping";
        await StopAsync();

        var window = end.Minus(windowBegin);
        var roundBytes = window.BytesOf(PushKind.RoundStarted) + window.BytesOf(PushKind.VoteCast) + window.BytesOf(PushKind.Revealed);
        return new RunResult
        {
            Target = _target.Name,
            Url = HubUrls,
            Parameters = _settings.Describe(),
            Rooms = _rooms.Count,
            ClientsPerRoom = _settings.ClientsPerRoom,
            Participants = end.ClientsReady,
            SetupSeconds = setupSeconds,
            JoinsPerSecond = afterSetup.ClientsReady / Math.Max(setupSeconds, 1e-3),
            SetupServerCpuSeconds = setupCpu,
            QuietSetup = _settings.QuietSetup,
            SetupRest = end.SetupRest.Summary(),
            SetupConnect = end.SetupConnect.Summary(),
            SetupJoin = end.SetupJoin.Summary(),
            SetupTotal = end.SetupTotal.Summary(),
            WindowSeconds = windowSeconds,
            Rounds = window.Rounds,
            Votes = window.Votes,
            VoteSentToAll = window.VoteSentToAll.Summary(),
            VoteLatency = window.VoteLatency.Summary(),
            RevealLatency = window.RevealLatency.Summary(),
            VoteCall = window.VoteCall.Summary(),
            StartRoundCall = window.StartRoundCall.Summary(),
            Pushes = window.Pushes,
            PushBytes = window.Bytes,
            BytesPerRoundPerClient = window.Rounds > 0 ? (double)roundBytes / (window.Rounds * _settings.ClientsPerRoom) : 0,
            RoundStartedBytes = AverageBytes(window, PushKind.RoundStarted),
            VoteCastBytes = AverageBytes(window, PushKind.VoteCast),
            RevealedBytes = AverageBytes(window, PushKind.Revealed),
            Errors = end.Errors,
            VersionGaps = end.VersionGaps,
            VersionGapsInWindow = window.VersionGaps,
            ErrorsByKind = end.ErrorsByKind,
            Connections = end.Connections,
            Server = server,
            Nodes = nodes,
            Cores = cores,
            Ramp = ramp,
        };
    }

    private string HubUrls => string.Join(", ", _nodes.Select(n => n.HubUrl));

    private static double AverageBytes(MetricsSnapshot window, PushKind kind) =>
        window.PushesOf(kind) > 0 ? (double)window.BytesOf(kind) / window.PushesOf(kind) : 0;

    /// <summary>
    /// Adds rooms step by step: after each interval, the step holds if the interval's p99 vote latency is within the
    /// bound and the step (its set-up included) had no error; the capacity is the last step that held.
    /// </summary>
    private async Task<RampOutcome> RampAsync(MetricsSnapshot baseline, CancellationToken cancellationToken)
    {
        var steps = new List<RampStep>();
        var capacity = 0;
        var stepBaseline = baseline;
        var deadline = Stopwatch.GetTimestamp() + (long)(_settings.Duration.TotalSeconds * Stopwatch.Frequency);
        string reason;
        while (true)
        {
            var measureStart = _metrics.Snapshot();
            try
            {
                await Task.Delay(_settings.RampInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                reason = "interrupted";
                break;
            }

            var end = _metrics.Snapshot();
            var interval = end.Minus(measureStart);
            var p99 = interval.VoteSentToAll.Summary().P99;
            var errors = end.Errors - stepBaseline.Errors
                + (end.Connections.Unexpected - stepBaseline.Connections.Unexpected)
                + (end.Connections.Faulted - stepBaseline.Connections.Faulted);
            var held = p99 <= _settings.P99BoundMs && errors == 0 && interval.VoteSentToAll.Count > 0;
            var step = new RampStep(_rooms.Count, (int)end.ClientsReady, interval.Votes / _settings.RampInterval.TotalSeconds, p99, errors, held);
            steps.Add(step);
            await _out.WriteLineAsync(Invariant(
                $"   ramp step {steps.Count}: {step.Rooms} rooms, {step.Participants} participants, {step.VotesPerSecond:0.0} votes/s, p99 vote sent->all {Ms(p99)} ms, errors {errors}: {(held ? "held" : "FAILED")}"));
            if (!held)
            {
                reason = errors > 0 ? Invariant($"{errors} errors at {step.Participants} participants")
                    : interval.VoteSentToAll.Count == 0 ? Invariant($"no vote measured at {step.Participants} participants")
                    : Invariant($"p99 vote sent->all {Ms(p99)} ms > {_settings.P99BoundMs} ms at {step.Participants} participants");
                break;
            }

            capacity = step.Participants;
            if (_rooms.Count + _settings.RampStep > _settings.MaxRooms)
            {
                reason = Invariant($"--max-rooms {_settings.MaxRooms} reached: the bound was never passed");
                break;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                reason = Invariant($"--duration {Duration(_settings.Duration)} reached: the bound was never passed");
                break;
            }

            stepBaseline = _metrics.Snapshot();
            _phase = "ramp set-up";
            try
            {
                await AddRoomsAsync(_settings.RampStep, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                reason = "interrupted";
                break;
            }

            _phase = "ramp";
        }

        return new RampOutcome(steps, capacity, reason);
    }

    private async Task AddRoomsAsync(int count, CancellationToken cancellationToken)
    {
        var added = new List<RoomRun>(count);
        for (var i = 0; i < count; i++)
        {
            added.Add(new RoomRun(_rooms.Count + i, _settings.ClientsPerRoom, _target, _metrics, _settings));
        }

        _rooms.AddRange(added);
        Interlocked.Add(ref _expectedClients, count * _settings.ClientsPerRoom);
        var options = new ParallelOptions { MaxDegreeOfParallelism = _settings.SetupConcurrency, CancellationToken = cancellationToken };
        var waiting = new List<RoomRun>();
        await Parallel.ForEachAsync(added, options, async (room, token) =>
        {
            if (await SetUpRoomAsync(room, token))
            {
                if (_settings.QuietSetup)
                {
                    lock (waiting)
                    {
                        waiting.Add(room);
                    }
                }
                else
                {
                    Drive(room);
                }
            }
        });

        // With a quiet set-up, no room plays until every room is seated: the joins/s figure is the join path's alone.
        waiting.ForEach(Drive);
    }

    private void Drive(RoomRun room)
    {
        room.Seated();
        lock (_drivers)
        {
            _drivers.Add(room.DriveAsync(_stopping.Token, _abort.Token));
        }
    }

    /// <summary>Creates the room (its facilitator), then seats every participant in parallel; false if any failed.</summary>
    private async Task<bool> SetUpRoomAsync(RoomRun room, CancellationToken cancellationToken)
    {
        var facilitator = room.Participants[0];
        var start = Stopwatch.GetTimestamp();
        try
        {
            facilitator.Seat = await _nodes[facilitator.Node].CreateRoomAsync(_http, Invariant($"bench room {room.Number}"), "p0", cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            _metrics.Error("CreateRoom", ErrorCode.Of(ex));
            return false;
        }

        _metrics.SetupRest.Record(RoomRun.MicrosBetween(start, Stopwatch.GetTimestamp()));
        var roomId = facilitator.Seat.RoomId;
        var seated = await Task.WhenAll(room.Participants.Select(p => SetUpParticipantAsync(p, roomId, p.Index == 0 ? start : 0, cancellationToken)));
        return seated.All(ok => ok);
    }

    private async Task<bool> SetUpParticipantAsync(Participant participant, string roomId, long startedAt, CancellationToken cancellationToken)
    {
        var start = startedAt != 0 ? startedAt : Stopwatch.GetTimestamp();
        var stage = "JoinRest";
        try
        {
            if (participant.Index > 0)
            {
                participant.Seat = await _nodes[participant.Node].JoinAsync(_http, roomId, Invariant($"p{participant.Index}"), cancellationToken);
                _metrics.SetupRest.Record(RoomRun.MicrosBetween(start, Stopwatch.GetTimestamp()));
            }

            stage = "Connect";
            var connection = Connect(_nodes[participant.Node].HubUrl, _settings.Transport);
            _target.RegisterHandlers(connection, participant);
            connection.Closed += error =>
            {
                _metrics.Closed(faulted: error is not null, expected: _closing);
                return Task.CompletedTask;
            };
            participant.Connection = connection;
            var connectStart = Stopwatch.GetTimestamp();
            _metrics.Connecting();
            try
            {
                await connection.StartAsync(cancellationToken);
            }
            catch
            {
                _metrics.ConnectFailed();
                throw;
            }

            _metrics.Connected();
            var joinStart = Stopwatch.GetTimestamp();
            _metrics.SetupConnect.Record(RoomRun.MicrosBetween(connectStart, joinStart));

            stage = "JoinRoom";
            participant.Joined(await _target.JoinHubAsync(connection, participant.Seat!, cancellationToken));
            var done = Stopwatch.GetTimestamp();
            _metrics.SetupJoin.Record(RoomRun.MicrosBetween(joinStart, done));
            _metrics.SetupTotal.Record(RoomRun.MicrosBetween(start, done));
            _metrics.ClientReady();
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            _metrics.Error(stage, ErrorCode.Of(ex));
            return false;
        }
    }

    /// <summary>
    /// A connection as a browser would open it: WebSockets straight away (no negotiate round trip, so no sticky
    /// session needed), no automatic reconnect (a reconnect would hide a drop: drops are counted instead).
    /// </summary>
    internal static HubConnection Connect(Uri hub, HttpTransportType transport) => new HubConnectionBuilder()
        .WithUrl(hub, transport, o =>
        {
            o.SkipNegotiation = transport == HttpTransportType.WebSockets;
            o.HttpMessageHandlerFactory = handler =>
            {
                if (handler is HttpClientHandler http)
                {
                    http.MaxConnectionsPerServer = int.MaxValue;
                }

                return handler;
            };
        })
        .Build();

    private async Task ReportAsync(ResourceWatch watch, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_settings.ReportInterval);
        var previous = _metrics.Snapshot();
        var previousAt = Stopwatch.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = _metrics.Snapshot();
                var at = Stopwatch.GetTimestamp();
                var phase = _phase;
                if (phase.EndsWith("set-up", StringComparison.Ordinal))
                {
                    phase = Invariant($"{phase} {now.ClientsReady}/{Volatile.Read(ref _expectedClients)}");
                }

                await _out.WriteLineAsync(Report.Interval(
                    _target.Name, Stopwatch.GetElapsedTime(_startedAt, at), phase, now, now.Minus(previous), Stopwatch.GetElapsedTime(previousAt, at).TotalSeconds, watch.Interval()));
                if (watch.GonePids is { Count: > 0 } gone)
                {
                    await _out.WriteLineAsync(Invariant($"   warning: server pid {string.Join(", ", gone)} is gone"));
                }

                previous = now;
                previousAt = at;
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }

    /// <summary>Stops the rounds, lets the drivers end, then closes every connection (those closes are expected).</summary>
    private async Task StopAsync()
    {
        if (_closing)
        {
            return;
        }

        await _stopping.CancelAsync();
        Task[] drivers;
        lock (_drivers)
        {
            drivers = [.. _drivers];
        }

        await Task.WhenAll(drivers).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _closing = true;
        var connections = _rooms.SelectMany(r => r.Participants).Select(p => p.Connection).OfType<HubConnection>().ToList();
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (connection, _) => await connection.DisposeAsync())
            .WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _abort.CancelAsync();
    }
}
