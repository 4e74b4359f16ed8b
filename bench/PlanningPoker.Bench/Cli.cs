using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;
using PlanningPoker.Bench.Bare;
using PlanningPoker.Bench.Load;
using PlanningPoker.Bench.Reporting;
using PlanningPoker.Bench.Targets;

namespace PlanningPoker.Bench;

/// <summary>The commands: <c>run</c> (one target), <c>compare</c> (ours, then the bare hub), <c>serve-bare</c>.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        return new RootCommand(
            "Planning Poker load generator: R rooms x P participants play rounds through the public REST + SignalR API, "
            + "measuring vote and reveal latency, throughput, set-up time, push sizes, errors, and the server's CPU and RSS.")
        {
            RunCommand(),
            CompareCommand(),
            ServeBareCommand(),
            UiCommand(),
            FailoverCommand(),
            InsightsCommand(),
        };
    }

    private static Command RunCommand()
    {
        var command = new Command("run", "Load one server or the nodes of a cluster: the product (default) or a bare hub started with serve-bare.");
        var options = new LoadOptions();
        options.AddTo(command);
        var target = new Option<string>("--target")
        {
            Description = "What the server at --url is: 'ours' (the product) or 'bare' (serve-bare).",
            DefaultValueFactory = _ => "ours",
        };
        target.AcceptOnlyFromAmong("ours", "bare");
        command.Add(target);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = options.Bind(parse);
            var bare = parse.GetValue(target) == "bare";
            if (bare && settings.Urls.Count > 1)
            {
                await Console.Error.WriteLineAsync("--target bare takes one --url: bare hubs share no rooms");
                return 2;
            }

            var nodes = settings.Urls.Select(url => bare ? new BareTarget(url) : (ILoadTarget)new ProductTarget(url)).ToList();
            var result = await LoadRunner.RunAsync(nodes, settings, Console.Out, cancellationToken);
            return await FinishAsync(settings, [result], order: null);
        });
        return command;
    }

    private static Command CompareCommand()
    {
        var command = new Command(
            "compare",
            "Run the product's scenario, then the same against a bare SignalR hub this command launches (the ceiling), and print both side by side with ratios.");
        var options = new LoadOptions();
        options.AddTo(command);
        var barePort = new Option<int>("--bare-port")
        {
            Description = "Port for the bare hub (0: a free one).",
            DefaultValueFactory = _ => 0,
        };
        command.Add(barePort);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = options.Bind(parse);
            var ours = await LoadRunner.RunAsync([.. settings.Urls.Select(url => new ProductTarget(url))], settings, Console.Out, cancellationToken);
            Console.Out.Write(Report.Final([ours]));
            await Console.Out.WriteLineAsync();
            await Console.Out.WriteLineAsync("== starting the bare hub (serve-bare) for the same scenario");
            await using var bare = await BareProcess.StartAsync(parse.GetValue(barePort), Console.Out, cancellationToken);
            var bareSettings = settings with { Urls = [bare.Url], ServerPids = [bare.Pid] };
            var ceiling = await LoadRunner.RunAsync([new BareTarget(bare.Url)], bareSettings, Console.Out, cancellationToken);
            return await FinishAsync(
                settings,
                [ours, ceiling],
                order: "sequential, ours first, then the bare hub, launched after ours finished (ours stays up, idle, meanwhile); identical parameters, fresh connections");
        });
        return command;
    }

    private static Command UiCommand()
    {
        var command = new Command("ui", "Measure the browser UI's first visit to a room in Chromium, per profile: bytes over the network and time until the join form is usable, then until the app is interactive.");
        var url = new Option<string>("--url") { Description = "The server, e.g. http://127.0.0.1:5080.", Required = true };
        var chromium = new Option<string>("--chromium") { Description = "Chromium's executable.", DefaultValueFactory = _ => "/usr/bin/chromium" };
        var runs = new Option<int>("--runs") { Description = "Visits per profile, each in a fresh browser context.", DefaultValueFactory = _ => 5 };
        var profiles = new Option<string>("--profiles")
        {
            Description = "Comma-separated: " + string.Join(", ", Ui.UiProfile.Known.Select(p => p.Name)) + ".",
            DefaultValueFactory = _ => "desktop,cpu4x",
        };
        command.Add(url);
        command.Add(chromium);
        command.Add(runs);
        command.Add(profiles);
        command.SetAction((parse, cancellationToken) =>
        {
            var chosen = new List<Ui.UiProfile>();
            foreach (var name in parse.GetValue(profiles)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Ui.UiProfile.Known.FirstOrDefault(p => p.Name == name) is not { } profile)
                {
                    Console.Error.WriteLine($"unknown profile {name}; known: {string.Join(", ", Ui.UiProfile.Known.Select(p => p.Name))}");
                    return Task.FromResult(2);
                }

                chosen.Add(profile);
            }

            return Ui.UiProbe.RunAsync(new Uri(parse.GetValue(url)!), parse.GetValue(chromium)!, Math.Max(1, parse.GetValue(runs)), chosen, Console.Out, cancellationToken);
        });
        return command;
    }

    private static Command FailoverCommand()
    {
        var command = new Command(
            "failover",
            "Kill -9 a node of a running cluster K times (round-robin: the first started too) while rooms play, and measure per kill the time until every "
            + "participant acts again, the time until one who does not come back is shown away, and acknowledged votes lost; restarts the node each time. "
            + "Run it through bench/with-cluster.sh, which passes each node's --node-url, --server-pid and --restart-command.");
        var url = new Option<string[]>("--url", "--server-url", "-u")
        {
            Description = "Where participants connect: each node's address (participants spread over them), or one balancer in front of the nodes.",
            Required = true,
        };
        var nodeUrl = new Option<string[]>("--node-url")
        {
            Description = "Each node's own address (health, /metrics), in the order of --server-pid; default: --url.",
        };
        var pid = new Option<string[]>("--server-pid") { Description = "Each node's process id (repeat or separate with commas).", Required = true };
        var restart = new Option<string[]>("--restart-command")
        {
            Description = "Each node's start command (an executable, run again after the kill on the same ports), in the order of --server-pid.",
            Required = true,
        };
        var rooms = LoadOptions.Count("--rooms", 20, "Rooms (R).");
        var clients = LoadOptions.Count("--clients-per-room", 5, "Participants per room (P), the facilitator included; at least the number of nodes, so that each room has people on every node.", 2, "--participants", "-p");
        var kills = LoadOptions.Count("--kills", 10, "Nodes killed, one after the other (K).");
        var pick = new Option<string>("--pick")
        {
            Description = "'round-robin' (node 1, 2, …, N, 1, …) or 'hosting' (the next node in that order whose /metrics shows rooms).",
            DefaultValueFactory = _ => "round-robin",
        };
        pick.AcceptOnlyFromAmong("round-robin", "hosting");
        var think = new Option<string>("--think-ms") { Description = "Think time before each vote, uniform in min-max ms.", DefaultValueFactory = _ => "0-2000" };
        var pause = LoadOptions.Count("--round-pause-ms", 1000, "Pause between a round's reveal and the next round.", 0);
        var warmup = LoadOptions.Duration("--warmup", TimeSpan.FromSeconds(5), "Rounds played before the first kill.");
        var settle = LoadOptions.Duration("--settle", TimeSpan.FromSeconds(10), "After the killed node is ready again and its people are back on it, before the next kill.");
        var recovery = LoadOptions.Duration("--recovery-timeout", TimeSpan.FromSeconds(60), "A participant not acting again by then stops the run (exit 1).");
        var bound = LoadOptions.Duration("--bound", TimeSpan.FromSeconds(10), "The bound to report against (issue 11: 10 s).");
        var seed = new Option<int>("--seed") { Description = "Seed of the think times and cards.", DefaultValueFactory = _ => 1 };
        foreach (var option in new Option[] { url, nodeUrl, pid, restart, rooms, clients, kills, pick, think, pause, warmup, settle, recovery, bound, seed })
        {
            command.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var entries = LoadOptions.Split(parse.GetValue(url)).Select(u => new Uri(u)).ToList();
            var nodes = LoadOptions.Split(parse.GetValue(nodeUrl)).Select(u => new Uri(u)).ToList();
            if (nodes.Count == 0)
            {
                nodes = entries;
            }

            var pids = LoadOptions.Split(parse.GetValue(pid)).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
            var commands = LoadOptions.Split(parse.GetValue(restart)).ToList();
            if (pids.Count != nodes.Count || commands.Count != nodes.Count)
            {
                await Console.Error.WriteLineAsync(Text.Invariant($"one --server-pid and one --restart-command per node: {nodes.Count} nodes, {pids.Count} pids, {commands.Count} commands"));
                return 2;
            }

            if (MillisecondRange.Parse(parse.GetValue(think)!) is not { } thinkMs)
            {
                await Console.Error.WriteLineAsync("--think-ms takes min-max milliseconds, e.g. 0-2000");
                return 2;
            }

            var settings = new Failover.FailoverSettings
            {
                Entries = entries,
                NodeUrls = nodes,
                Pids = pids,
                RestartCommands = commands,
                Rooms = parse.GetValue(rooms),
                ClientsPerRoom = parse.GetValue(clients),
                Kills = parse.GetValue(kills),
                Pick = parse.GetValue(pick) == "hosting" ? Failover.KillPick.Hosting : Failover.KillPick.RoundRobin,
                ThinkMs = thinkMs,
                RoundPauseMs = parse.GetValue(pause),
                Warmup = parse.GetValue(warmup),
                Settle = parse.GetValue(settle),
                RecoveryTimeout = parse.GetValue(recovery),
                Bound = parse.GetValue(bound),
                Seed = parse.GetValue(seed),
            };
            return await Failover.FailoverRunner.RunAsync(settings, Console.Out, cancellationToken);
        });
        return command;
    }

    private static Command InsightsCommand()
    {
        var command = new Command(
            "insights",
            "Issue 14's estimation-insights benchmark: an organisation and its teams made through the API, years of their history seeded straight into "
            + "the server's database, then the insights and history endpoints measured one request at a time against their targets. "
            + "Run it through bench/insights.sh, which starts the server on a fresh database and passes --url, --provider and --connection-string.");
        var url = new Option<string>("--url", "--server-url", "-u") { Description = "The server's base address." };
        var provider = new Option<string>("--provider") { Description = "The server's database: sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        provider.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string>("--connection-string") { Description = "The server's database, which the seeder writes into." };
        var teams = LoadOptions.Count("--teams", 50, "Teams of the organisation.");
        var weeks = LoadOptions.Count("--weeks", 104, "Weeks of history, a workshop a week per team (a few skipped).");
        var storiesMin = LoadOptions.Count("--stories-min", 12, "Fewest stories in a workshop.");
        var storiesMax = LoadOptions.Count("--stories-max", 27, "Most stories in a workshop.");
        var warmup = LoadOptions.Count("--warmup", 20, "Requests of each kind before measuring.", 0);
        var requests = LoadOptions.Count("--requests", 200, "Requests of each kind measured.");
        var seed = new Option<int>("--seed") { Description = "Seed of the history.", DefaultValueFactory = _ => 1 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only generate the history and print what it holds (no server, no database)." };
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id: CPU time per request, from /proc." };
        foreach (var option in new Option[] { url, provider, connection, teams, weeks, storiesMin, storiesMax, warmup, requests, seed, dryRun, serverPid })
        {
            command.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var dry = parse.GetValue(dryRun);
            if (!dry && (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out _) || string.IsNullOrEmpty(parse.GetValue(connection))))
            {
                await Console.Error.WriteLineAsync("insights needs --url and --connection-string (or --dry-run)");
                return 2;
            }

            if (parse.GetValue(storiesMin) > parse.GetValue(storiesMax))
            {
                await Console.Error.WriteLineAsync("--stories-min is at most --stories-max");
                return 2;
            }

            var settings = new Insights.InsightsSettings
            {
                Url = dry ? null : new Uri(parse.GetValue(url)!),
                Provider = parse.GetValue(provider)!,
                ConnectionString = parse.GetValue(connection),
                Teams = parse.GetValue(teams),
                Weeks = parse.GetValue(weeks),
                StoriesMin = parse.GetValue(storiesMin),
                StoriesMax = parse.GetValue(storiesMax),
                Warmup = parse.GetValue(warmup),
                Requests = parse.GetValue(requests),
                Seed = parse.GetValue(seed),
                DryRun = dry,
                ServerPid = parse.GetValue(serverPid),
            };
            return await Insights.InsightsRunner.RunAsync(settings, Console.Out, cancellationToken);
        });
        return command;
    }

    private static Command ServeBareCommand()
    {
        var command = new Command("serve-bare", "Host the bare SignalR hub (no domain, grain or storage): the ceiling compare measures against.");
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen.",
            DefaultValueFactory = _ => "http://127.0.0.1:5090",
        };
        command.Add(urls);
        command.SetAction((parse, cancellationToken) => BareServer.RunAsync(parse.GetValue(urls)!, cancellationToken));
        return command;
    }

    private static async Task<int> FinishAsync(LoadSettings settings, IReadOnlyList<RunResult> results, string? order)
    {
        await Console.Out.WriteAsync(Report.Final(results, order));
        if (settings.JsonPath is { } path)
        {
            await Report.WriteJsonAsync(path, results, CancellationToken.None);
            await Console.Out.WriteLineAsync("results written to " + path);
        }

        if (!settings.Smoke)
        {
            return 0;
        }

        var failures = results.SelectMany(r => r.SmokeFailures().Select(f => r.Target + ": " + f)).ToList();
        await Console.Out.WriteLineAsync(failures.Count == 0 ? "SMOKE PASSED" : "SMOKE FAILED: " + string.Join("; ", failures));
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The load options shared by run and compare (a fresh set per command).</summary>
    private sealed class LoadOptions
    {
        private readonly Option<string[]> _url = new("--url", "--server-url", "-u")
        {
            Description = "The server's base address; for a cluster, each node's (repeat the option or separate with commas).",
            DefaultValueFactory = _ => ["http://127.0.0.1:5080"],
        };

        private readonly Option<string> _spread = new("--spread")
        {
            Description = "With several --url: 'room' (a room's participants all on one node, rooms round-robin over the nodes) or "
                + "'participant' (each room's participants round-robin over the nodes: most pushes cross nodes).",
            DefaultValueFactory = _ => "room",
        };

        private readonly Option<int> _rooms = Count("--rooms", 50, "Rooms (R); with --ramp, the first step.");

        private readonly Option<int> _clientsPerRoom = Count("--clients-per-room", 8, "Participants per room (P): one facilitator who votes, P-1 estimators.", "--participants", "-p");

        private readonly Option<TimeSpan> _duration = Duration("--duration", TimeSpan.FromSeconds(60), "Measured window after the set-up (with --ramp: the longest the ramp may run). 500ms, 10s, 2m, 1h.");

        private readonly Option<TimeSpan> _warmServer = Duration(
            "--warm-server",
            TimeSpan.Zero,
            "Before the measured run, play a throwaway workload (the same scenario on at most 100 rooms) for this long against the same server, then let it leave: "
            + "the set-up and the window then meet a server whose code the JIT has already optimised, as it is after its first minutes in service. 0 for none.");

        private readonly Option<TimeSpan> _warmup = new("--warmup")
        {
            Description = "Load after the set-up that is not measured (JIT, pools). 0 for none.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(5),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (LoadSettings.ParseDuration(text) is { } span)
                {
                    return span;
                }

                result.AddError($"--warmup takes a duration such as 0, 5s or 1m, not '{text}'");
                return default;
            },
        };

        private readonly Option<string> _transport = new("--transport")
        {
            Description = "websockets (negotiation skipped), sse or longpolling.",
            DefaultValueFactory = _ => "websockets",
        };

        private readonly Option<MillisecondRange> _think = new("--think-ms")
        {
            Description = "Think time before each vote, uniform in min-max ms (e.g. 0-2000; 0 for saturation).",
            DefaultValueFactory = _ => new MillisecondRange(0, 2000),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (MillisecondRange.Parse(text) is { } range)
                {
                    return range;
                }

                result.AddError($"--think-ms takes min-max milliseconds, e.g. 0-2000, not '{text}'");
                return default;
            },
        };

        private readonly Option<int> _pause = Count("--round-pause-ms", 1000, "Pause between a round's reveal and the next round (0 for saturation).", minimum: 0);

        private readonly Option<string[]> _serverPid = new("--server-pid")
        {
            Description = "The server's process id, or each node's (repeat the option or separate with commas): CPU seconds, RSS and RSS per participant from /proc, summed and per node.",
        };

        private readonly Option<bool> _ramp = new("--ramp")
        {
            Description = "Add --ramp-step rooms every --ramp-interval until p99 vote latency passes --p99-bound-ms or errors appear; report the capacity.",
        };

        private readonly Option<int> _rampStep = Count("--ramp-step", 50, "Rooms added per ramp step.");

        private readonly Option<TimeSpan> _rampInterval = Duration("--ramp-interval", TimeSpan.FromSeconds(10), "Measured time per ramp step (after its set-up).");

        private readonly Option<double> _p99Bound = new("--p99-bound-ms")
        {
            Description = "The ramp's bound on p99 vote latency.",
            DefaultValueFactory = _ => 100,
        };

        private readonly Option<int> _maxRooms = Count("--max-rooms", 5000, "The ramp stops here even if the bound holds.");

        private readonly Option<bool> _smoke = new("--smoke")
        {
            Description = "Exit 1 on any error, faulted or unexpectedly closed connection, unseated participant, or no completed round (for CI).",
        };

        private readonly Option<TimeSpan> _reportEvery = Duration("--report-every", TimeSpan.FromSeconds(5), "How often to print a line.");

        private readonly Option<bool> _quietSetup = new("--quiet-setup")
        {
            Description = "No room plays before every room is seated, so that joins/s measures joining alone (by default a seated room plays while the others join).",
        };

        private readonly Option<int> _setupConcurrency = Count("--setup-concurrency", 16, "Rooms set up at once (each seats its participants in parallel).");

        private readonly Option<TimeSpan> _roundTimeout = Duration("--round-timeout", TimeSpan.FromSeconds(30), "A round not revealed to everyone by then is an error, and its room stops.");

        private readonly Option<int> _seed = new("--seed")
        {
            Description = "Seed of the think times and cards.",
            DefaultValueFactory = _ => 1,
        };

        private readonly Option<string?> _json = new("--json")
        {
            Description = "Also write the final figures to this JSON file.",
        };

        public void AddTo(Command command)
        {
            Option[] all =
            [
                _url, _spread, _rooms, _clientsPerRoom, _duration, _warmServer, _warmup, _transport, _think, _pause, _serverPid, _ramp, _rampStep, _rampInterval,
                _p99Bound, _maxRooms, _smoke, _reportEvery, _quietSetup, _setupConcurrency, _roundTimeout, _seed, _json,
            ];
            foreach (var option in all)
            {
                command.Add(option);
            }

            _transport.AcceptOnlyFromAmong("websockets", "sse", "longpolling");
            _spread.AcceptOnlyFromAmong("room", "participant");
            _clientsPerRoom.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() > 100)
                {
                    r.AddError("a room holds at most 100 participants");
                }
            });
            _url.Validators.Add(r =>
            {
                if (!Split(r.GetValueOrDefault<string[]>()).Any())
                {
                    r.AddError("--url takes at least one address");
                }

                foreach (var url in Split(r.GetValueOrDefault<string[]>()))
                {
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    {
                        r.AddError($"--url takes absolute http(s) addresses, not '{url}'");
                    }
                }
            });
            _serverPid.Validators.Add(r =>
            {
                foreach (var pid in Split(r.GetValueOrDefault<string[]>()))
                {
                    if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
                    {
                        r.AddError($"--server-pid takes process ids, not '{pid}'");
                    }
                }
            });
        }

        public LoadSettings Bind(ParseResult parse) => new()
        {
            Urls = [.. Split(parse.GetValue(_url)).Select(url => new Uri(url))],
            Spread = parse.GetValue(_spread) == "participant" ? Spread.Participant : Spread.Room,
            Transport = parse.GetValue(_transport) switch
            {
                "sse" => HttpTransportType.ServerSentEvents,
                "longpolling" => HttpTransportType.LongPolling,
                _ => HttpTransportType.WebSockets,
            },
            Rooms = parse.GetValue(_rooms),
            ClientsPerRoom = parse.GetValue(_clientsPerRoom),
            Duration = parse.GetValue(_duration),
            WarmServer = parse.GetValue(_warmServer),
            Warmup = parse.GetValue(_warmup),
            ThinkMs = parse.GetValue(_think),
            RoundPauseMs = parse.GetValue(_pause),
            ServerPids = [.. Split(parse.GetValue(_serverPid)).Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))],
            Ramp = parse.GetValue(_ramp),
            RampStep = parse.GetValue(_rampStep),
            RampInterval = parse.GetValue(_rampInterval),
            P99BoundMs = parse.GetValue(_p99Bound),
            MaxRooms = parse.GetValue(_maxRooms),
            Smoke = parse.GetValue(_smoke),
            ReportInterval = parse.GetValue(_reportEvery),
            QuietSetup = parse.GetValue(_quietSetup),
            SetupConcurrency = parse.GetValue(_setupConcurrency),
            RoundTimeout = parse.GetValue(_roundTimeout),
            Seed = parse.GetValue(_seed),
            JsonPath = parse.GetValue(_json),
        };

        /// <summary>The values of a repeatable option, each of which may be a comma-separated list.</summary>
        internal static IEnumerable<string> Split(string[]? values) =>
            (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        internal static Option<int> Count(string name, int defaultValue, string description, params string[] aliases) =>
            Count(name, defaultValue, description, 1, aliases);

        internal static Option<int> Count(string name, int defaultValue, string description, int minimum, params string[] aliases)
        {
            var option = new Option<int>(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue };
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < minimum)
                {
                    r.AddError($"{name} is at least {minimum}");
                }
            });
            return option;
        }

        internal static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, string description) => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (LoadSettings.ParseDuration(text) is { } span && span > TimeSpan.Zero)
                {
                    return span;
                }

                result.AddError($"{name} takes a positive duration such as 500ms, 10s, 2m or 1h, not '{text}'");
                return default;
            },
        };
    }
}
