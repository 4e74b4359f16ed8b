using System.Diagnostics;
using System.Diagnostics.Metrics;
using PlanningPoker.Domain;
using PlanningPoker.Server.Cluster;
using PlanningPoker.Server.Realtime;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Observability;

/// <summary>
/// The server's own meter, <c>PlanningPoker</c>: what rooms, connections, commands, commits and the fan-out do on this
/// node. The grain, the relay, the error mapping and the group-commit writer record through it; the OpenTelemetry SDK
/// (<see cref="Telemetry"/>) exports it when an exporter is configured. While nothing listens, each record is a check of
/// <see cref="Instrument.Enabled"/>; while something does, it allocates nothing beyond what its tags need (a
/// <see cref="System.Diagnostics.TagList"/> on the stack, strings that exist already). Tags never carry a room id, a name, a card or a
/// token: only command types, error codes and the edge.
/// </summary>
internal static class PokerMetrics
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "PlanningPoker";

    /// <summary>The tag of a command's type (<c>CastVote</c>) on <see cref="Commands"/>.</summary>
    public const string CommandTag = "command";

    /// <summary>The tag of an outcome: <c>ok</c> or an error code from <c>ErrorCodes</c>.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>The tag of an error code on <see cref="Errors"/>.</summary>
    public const string CodeTag = "code";

    /// <summary>The tag of the edge that answered an error: <c>hub</c> or <c>http</c>.</summary>
    public const string EdgeTag = "edge";

    /// <summary>The edge of an error answered to a hub call or connection.</summary>
    public const string HubEdge = "hub";

    /// <summary>The edge of an error answered as an HTTP problem.</summary>
    public const string HttpEdge = "http";

    /// <summary>The outcome of a command that succeeded, and of a commit that did.</summary>
    public const string Ok = "ok";

    /// <summary>The outcome of a commit that did not (the caller got <c>Unavailable</c>).</summary>
    public const string Failed = "failed";

    private static readonly Meter PokerMeter = new(MeterName, "1.0");

    private static readonly Lock SourcesLock = new();
    private static (LocalRooms Rooms, HubConnections Connections)[] _sources = [];

    /// <summary>Room commands executed by this node's room grains, by command type and outcome.</summary>
    public static readonly Counter<long> Commands = PokerMeter.CreateCounter<long>(
        "poker.commands", "{command}", "Room commands executed by the room grains of this node, by command type and outcome (ok or the error code).");

    /// <summary>Errors answered to clients, by code and edge.</summary>
    public static readonly Counter<long> Errors = PokerMeter.CreateCounter<long>(
        "poker.errors", "{error}", "Errors answered to clients by this node, by error code and edge (hub or http).");

    /// <summary>From a room handing its change to the store to the change being committed (or failing).</summary>
    public static readonly Histogram<double> CommitDuration = PokerMeter.CreateHistogram(
        "poker.commit.duration", "ms", "Time a room grain waits for its change to commit: queue, group commit and fsync.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] });

    /// <summary>From the relay receiving a room's change to its sends to this node's connections completing.</summary>
    public static readonly Histogram<double> FanOutDuration = PokerMeter.CreateHistogram(
        "poker.fanout.duration", "ms", "Time the relay takes from receiving a room's change to its sends to this node's connections completing.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] });

    /// <summary>Changes in each transaction of the group-commit writer.</summary>
    public static readonly Histogram<int> BatchSize = PokerMeter.CreateHistogram(
        "poker.storage.batch.size", "{change}", "Room changes written in one transaction by the group-commit writer.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    /// <summary>How long one transaction of the group-commit writer takes, commit included.</summary>
    public static readonly Histogram<double> BatchDuration = PokerMeter.CreateHistogram(
        "poker.storage.batch.duration", "ms", "Time the group-commit writer takes to write and commit one transaction.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] });

    /// <summary>Room grains active on this node.</summary>
    public static readonly ObservableGauge<int> RoomsActive = PokerMeter.CreateObservableGauge(
        "poker.rooms.active", () => Sum(static s => s.Rooms.Ids.Count), "{room}", "Room grains active on this node.");

    /// <summary>Hub connections open on this node.</summary>
    public static readonly ObservableGauge<int> ConnectionsOpen = PokerMeter.CreateObservableGauge(
        "poker.connections.open", () => Sum(static s => s.Connections.Open), "{connection}", "Hub connections open on this node.");

    /// <summary>Counts a command and returns its reply, so that a grain can record where it returns.</summary>
    public static Reply Executed(RoomCommand command, Reply reply, Activity? activity)
    {
        var outcome = reply.ErrorCode ?? Ok;
        if (activity is not null)
        {
            PokerTracing.Ended(activity, outcome);
        }

        if (Commands.Enabled)
        {
            var tags = new TagList { { CommandTag, command.GetType().Name }, { OutcomeTag, outcome } };
            Commands.Add(1, tags);
        }

        return reply;
    }

    /// <summary>Records a commit that started at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void Committed(long started, bool succeeded)
    {
        if (CommitDuration.Enabled)
        {
            CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>(OutcomeTag, succeeded ? Ok : Failed));
        }
    }

    /// <summary>Records a fan-out whose change reached the relay at <paramref name="received"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void FannedOut(long received)
    {
        if (FanOutDuration.Enabled)
        {
            FanOutDuration.Record(Stopwatch.GetElapsedTime(received).TotalMilliseconds);
        }
    }

    /// <summary>Counts an error answered to a client.</summary>
    public static void Error(string code, string edge)
    {
        if (Errors.Enabled)
        {
            var tags = new TagList { { CodeTag, code }, { EdgeTag, edge } };
            Errors.Add(1, tags);
        }
    }

    /// <summary>Records one transaction of the group-commit writer.</summary>
    public static void BatchCommitted(int changes, double milliseconds)
    {
        BatchSize.Record(changes);
        BatchDuration.Record(milliseconds);
    }

    /// <summary>
    /// Makes a host's rooms and connections count in the gauges until the result is disposed. One host per process
    /// in production; tests run several, and the gauges then add them up.
    /// </summary>
    public static IDisposable Observe(LocalRooms rooms, HubConnections connections)
    {
        var source = (rooms, connections);
        lock (SourcesLock)
        {
            _sources = [.. _sources, source];
        }

        return new Observation(source);
    }

    private static int Sum(Func<(LocalRooms Rooms, HubConnections Connections), int> count)
    {
        var total = 0;
        foreach (var source in Volatile.Read(ref _sources))
        {
            total += count(source);
        }

        return total;
    }

    private sealed class Observation((LocalRooms, HubConnections) source) : IDisposable
    {
        public void Dispose()
        {
            lock (SourcesLock)
            {
                _sources = [.. _sources.Where(s => s != source)];
            }
        }
    }
}
