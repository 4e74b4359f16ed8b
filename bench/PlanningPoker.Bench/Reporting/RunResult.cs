using PlanningPoker.Bench.Measurement;

namespace PlanningPoker.Bench.Reporting;

/// <summary>One ramp step: the load after adding rooms, and whether it held.</summary>
/// <param name="Rooms">Rooms under load.</param>
/// <param name="Participants">Participants connected and seated.</param>
/// <param name="VotesPerSecond">Over the step's interval.</param>
/// <param name="VoteP99Ms">p99 vote latency over the step's interval.</param>
/// <param name="Errors">Errors over the step (its set-up included).</param>
/// <param name="Held">Within the bound and without errors.</param>
internal sealed record RampStep(int Rooms, int Participants, double VotesPerSecond, double VoteP99Ms, long Errors, bool Held);

/// <summary>What a ramp found.</summary>
/// <param name="Steps">Every step.</param>
/// <param name="CapacityParticipants">Participants of the last step that held (0 if none did).</param>
/// <param name="StopReason">Why the ramp ended.</param>
internal sealed record RampOutcome(IReadOnlyList<RampStep> Steps, int CapacityParticipants, string StopReason);

/// <summary>The final figures of one run against one target.</summary>
internal sealed record RunResult
{
    public required string Target { get; init; }

    public required string Url { get; init; }

    public required string Parameters { get; init; }

    public int ProcessorCount { get; init; } = Environment.ProcessorCount;

    public int Rooms { get; init; }

    public int ClientsPerRoom { get; init; }

    /// <summary>Participants connected and seated at the end of the set-up (the last step's, on a ramp).</summary>
    public long Participants { get; init; }

    public double SetupSeconds { get; init; }

    public double JoinsPerSecond { get; init; }

    /// <summary>The server's CPU seconds during the set-up (null when its pid was not readable).</summary>
    public double? SetupServerCpuSeconds { get; init; }

    /// <summary>True when no room played during the set-up (<c>--quiet-setup</c>).</summary>
    public bool QuietSetup { get; init; }

    /// <summary>
    /// The server's CPU per seat over the set-up (REST create or join, connect, hub join), in microseconds; with a quiet
    /// set-up only, since otherwise the seated rooms' votes are in it, and not on a ramp, whose later steps seat more.
    /// </summary>
    public double? ServerCpuUsPerJoin =>
        QuietSetup && Ramp is null && SetupServerCpuSeconds is { } cpu && Participants > 0 ? cpu * 1e6 / Participants : null;

    public required LatencySummary SetupRest { get; init; }

    public required LatencySummary SetupConnect { get; init; }

    public required LatencySummary SetupJoin { get; init; }

    public required LatencySummary SetupTotal { get; init; }

    public double WindowSeconds { get; init; }

    public long Rounds { get; init; }

    public long Votes { get; init; }

    public double RoundsPerSecond => WindowSeconds > 0 ? Rounds / WindowSeconds : 0;

    public double VotesPerSecond => WindowSeconds > 0 ? Votes / WindowSeconds : 0;

    public required LatencySummary VoteSentToAll { get; init; }

    public required LatencySummary VoteLatency { get; init; }

    public required LatencySummary RevealLatency { get; init; }

    public required LatencySummary VoteCall { get; init; }

    public required LatencySummary StartRoundCall { get; init; }

    public long Pushes { get; init; }

    public long PushBytes { get; init; }

    public double BytesPerPush => Pushes > 0 ? (double)PushBytes / Pushes : 0;

    /// <summary>Bytes of round pushes (start, votes, reveal) one client received per round.</summary>
    public double BytesPerRoundPerClient { get; init; }

    public double RoundStartedBytes { get; init; }

    public double VoteCastBytes { get; init; }

    public double RevealedBytes { get; init; }

    public long Errors { get; init; }

    /// <summary>Pushes that skipped versions (see <see cref="Metrics.VersionGap"/>), over the whole run.</summary>
    public long VersionGaps { get; init; }

    /// <summary>Of those, in the measured window.</summary>
    public long VersionGapsInWindow { get; init; }

    public required IReadOnlyDictionary<string, long> ErrorsByKind { get; init; }

    public required ConnectionCounts Connections { get; init; }

    /// <summary>The server's usage: one process, or the sum over the nodes (every node readable to the end).</summary>
    public ServerUsage? Server { get; init; }

    /// <summary>Each node's usage, in <c>--server-pid</c> order, when there are several.</summary>
    public IReadOnlyList<ServerUsage> Nodes { get; init; } = [];

    public required CoreSplit Cores { get; init; }

    public RampOutcome? Ramp { get; init; }

    /// <summary>RSS the server holds per participant above its idle RSS (peak in the window).</summary>
    public double? RssPerParticipantKb => Server is { } s && Participants > 0 ? (s.PeakRssBytes - s.IdleRssBytes) / 1024.0 / Participants : null;

    public double? ServerCpuMsPerRound => Server is { } s && Rounds > 0 ? s.CpuSeconds * 1000 / Rounds : null;

    public double? ServerCpuUsPerVote => Server is { } s && Votes > 0 ? s.CpuSeconds * 1_000_000 / Votes : null;

    /// <summary>One node's CPU per vote of the whole run (the nodes' figures add up to <see cref="ServerCpuUsPerVote"/>).</summary>
    public double? NodeCpuUsPerVote(int node) => node < Nodes.Count && Votes > 0 ? Nodes[node].CpuSeconds * 1_000_000 / Votes : null;

    /// <summary>Server CPU per vote once its idle background (timers, runtime) is taken out.</summary>
    public double? ServerCpuUsPerVoteAboveIdle => Server is { IdleCores: not null } s && Votes > 0 ? s.CpuSecondsAboveIdle * 1_000_000 / Votes : null;

    /// <summary>What a smoke run fails on: any error, any unexpected close, a missing participant, or no round at all.</summary>
    public IReadOnlyList<string> SmokeFailures()
    {
        var failures = new List<string>();
        if (Errors > 0)
        {
            failures.Add(Text.Invariant($"{Errors} errors"));
        }

        if (Connections.Unexpected > 0)
        {
            failures.Add(Text.Invariant($"{Connections.Unexpected} unexpected disconnects"));
        }

        if (Connections.Faulted > 0)
        {
            failures.Add(Text.Invariant($"{Connections.Faulted} faulted connections"));
        }

        if (Participants < (long)Rooms * ClientsPerRoom)
        {
            failures.Add(Text.Invariant($"only {Participants} of {Rooms * ClientsPerRoom} participants seated"));
        }

        if (Rounds == 0)
        {
            failures.Add("no round completed");
        }

        return failures;
    }
}
