using System.Text;
using System.Text.Json;
using PlanningPoker.Bench.Measurement;
using static PlanningPoker.Bench.Text;

namespace PlanningPoker.Bench.Reporting;

/// <summary>Prints the periodic lines and the final tables (one target, or two side by side with ratios).</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    /// <summary>One line every few seconds: what happened in the last interval.</summary>
    public static string Interval(string target, TimeSpan elapsed, string phase, MetricsSnapshot total, MetricsSnapshot delta, double seconds, CoreSplit cores)
    {
        var sent = delta.VoteSentToAll.Summary();
        var vote = delta.VoteLatency.Summary();
        var reveal = delta.RevealLatency.Summary();
        var c = total.Connections;
        var line = new StringBuilder();
        line.Append(Invariant($"[{target} {elapsed.TotalSeconds,5:0}s {phase}] clients {c.Connected}"));
        if (c.Connecting > 0 || c.Faulted > 0 || c.Unexpected > 0)
        {
            line.Append(Invariant($" (connecting {c.Connecting}, faulted {c.Faulted}, lost {c.Unexpected})"));
        }

        line.Append(Invariant($" | {delta.Rounds / seconds:0.0} rounds/s {delta.Votes / seconds:0.0} votes/s"));
        line.Append(Invariant($" | vote sent->all ms p50 {Ms(sent.P50)} p99 {Ms(sent.P99)}"));
        line.Append(Invariant($" | ack->all ms p50 {Ms(vote.P50)} p95 {Ms(vote.P95)} p99 {Ms(vote.P99)} max {Ms(vote.Max)}"));
        line.Append(Invariant($" | reveal ms p50 {Ms(reveal.P50)} p99 {Ms(reveal.P99)} max {Ms(reveal.Max)}"));
        var call = delta.VoteCall.Summary();
        line.Append(Invariant($" | vote call ms p50 {Ms(call.P50)} p99 {Ms(call.P99)}"));
        line.Append(Invariant($" | errors {total.Errors}"));
        if (total.VersionGaps > 0)
        {
            line.Append(Invariant($" (version gaps {total.VersionGaps})"));
        }

        line.Append(" | cores");
        if (cores.ServerCores is { } server)
        {
            line.Append(Invariant($" server {server:0.00}"));
            if (cores.NodeCores.Count > 1)
            {
                line.Append(" = ").AppendJoin('+', cores.NodeCores.Select(n => n is { } c ? Invariant($"{c:0.00}") : "?"));
            }

            line.Append(Invariant($" (rss {Mb(cores.ServerRssBytes ?? 0)} MB)"));
        }

        line.Append(Invariant($" bench {cores.BenchCores:0.00}"));
        if (cores.MachineCores is { } machine)
        {
            line.Append(Invariant($" machine {machine:0.00} of {Environment.ProcessorCount} shared"));
        }

        return line.ToString();
    }

    /// <summary>The final table: one column per result, and ours/bare ratios when there are two.</summary>
    public static string Final(IReadOnlyList<RunResult> results, string? order = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("== results " + string.Join(" vs ", results.Select(r => r.Target)));
        text.AppendLine(Invariant($"parameters: {results[0].Parameters}"));
        foreach (var r in results)
        {
            text.AppendLine(Invariant($"{r.Target}: {r.Url}") + (r.Server is { } s
                ? Invariant($" (server pid {string.Join(", ", s.Pids)})")
                : r.Nodes.Count > 0 ? " (a server pid was not readable to the end: the totals are missing, the nodes' figures are below)"
                : " (no --server-pid: server CPU and RSS not measured)"));
        }

        if (order is not null)
        {
            text.AppendLine("order: " + order);
        }

        text.AppendLine("note: " + SharedCores("every figure includes the load generator's own load on the same cores"));
        text.AppendLine();

        var rows = Rows(results.Any(r => r.Ramp is not null), results.Max(r => r.Nodes.Count)).ToList();
        var header = new List<string> { "metric" };
        header.AddRange(results.Select(r => r.Target));
        if (results.Count == 2)
        {
            header.Add(results[0].Target + "/" + results[1].Target);
        }

        List<string[]> table = [[.. header]];
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Label };
            cells.AddRange(results.Select(r => row.Format(r)));
            if (results.Count == 2)
            {
                cells.Add(row.Value is { } value && value(results[0]) is { } a && value(results[1]) is { } b ? Number(Ratio(a, b)) : "");
            }

            table.Add([.. cells]);
        }

        var widths = Enumerable.Range(0, table[0].Length).Select(i => table.Max(r => r[i].Length)).ToArray();
        foreach (var row in table)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == 0 ? row[i].PadRight(widths[i]) : "  " + row[i].PadLeft(widths[i]));
            }

            text.AppendLine();
        }

        foreach (var r in results)
        {
            if (r.ErrorsByKind.Count > 0)
            {
                text.AppendLine();
                text.AppendLine(r.Target + " errors by kind:");
                foreach (var (kind, n) in r.ErrorsByKind)
                {
                    text.AppendLine(Invariant($"  {kind}: {n}"));
                }
            }

            if (r.Ramp is { } ramp)
            {
                text.AppendLine();
                text.AppendLine(Invariant($"{r.Target} ramp: capacity {ramp.CapacityParticipants} participants ({ramp.StopReason})"));
                foreach (var step in ramp.Steps)
                {
                    text.AppendLine(Invariant($"  {step.Rooms,6} rooms {step.Participants,7} participants  {step.VotesPerSecond,8:0.0} votes/s  p99 vote {Ms(step.VoteP99Ms),7} ms  errors {step.Errors}  {(step.Held ? "held" : "FAILED")}"));
                }
            }
        }

        return text.ToString();
    }

    public static async Task WriteJsonAsync(string path, IReadOnlyList<RunResult> results, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, results, Json, cancellationToken);
    }

    private static IEnumerable<Row> Rows(bool ramp, int nodes)
    {
        yield return new("participants seated", r => Invariant($"{r.Participants}"), r => r.Participants);
        yield return new("rooms x clients", r => Invariant($"{r.Rooms} x {r.ClientsPerRoom}"), null);
        yield return new("measured window (s)", r => Number(r.WindowSeconds), null);
        yield return new("rounds/s", r => Number(r.RoundsPerSecond), r => r.RoundsPerSecond);
        yield return new("votes/s", r => Number(r.VotesPerSecond), r => r.VotesPerSecond);
        foreach (var (name, pick) in new (string, Func<RunResult, LatencySummary>)[]
        {
            ("vote sent->all others", r => r.VoteSentToAll),
            ("CastVote call sent->ack", r => r.VoteCall),
            ("vote ack->all others", r => r.VoteLatency),
            ("reveal latency", r => r.RevealLatency),
            ("StartRound call sent->ack", r => r.StartRoundCall),
        })
        {
            yield return new($"{name} p50 (ms)", r => Ms(pick(r).P50), r => pick(r).P50);
            yield return new($"{name} p95 (ms)", r => Ms(pick(r).P95), r => pick(r).P95);
            yield return new($"{name} p99 (ms)", r => Ms(pick(r).P99), r => pick(r).P99);
            yield return new($"{name} max (ms)", r => Ms(pick(r).Max), r => pick(r).Max);
            yield return new($"{name} samples", r => Invariant($"{pick(r).Count}"), null);
        }

        yield return new("set-up p50 (ms)", r => Ms(r.SetupTotal.P50), r => r.SetupTotal.P50);
        yield return new("set-up p99 (ms)", r => Ms(r.SetupTotal.P99), r => r.SetupTotal.P99);
        yield return new("  create/join REST p99 (ms)", r => Ms(r.SetupRest.P99), r => r.SetupRest.P99);
        yield return new("  connect p99 (ms)", r => Ms(r.SetupConnect.P99), r => r.SetupConnect.P99);
        yield return new("  hub join p99 (ms)", r => Ms(r.SetupJoin.P99), r => r.SetupJoin.P99);
        yield return new("joins/s (set-up)", r => Number(r.JoinsPerSecond), r => r.JoinsPerSecond);
        yield return new("server CPU per join (us, quiet set-up)", r => r.ServerCpuUsPerJoin is { } v ? Number(v) : "-", r => r.ServerCpuUsPerJoin);
        yield return new("bytes/push (avg)", r => Number(r.BytesPerPush), r => r.BytesPerPush);
        yield return new("  round start push (B)", r => Number(r.RoundStartedBytes), r => r.RoundStartedBytes);
        yield return new("  vote push (B)", r => Number(r.VoteCastBytes), r => r.VoteCastBytes);
        yield return new("  reveal push (B)", r => Number(r.RevealedBytes), r => r.RevealedBytes);
        yield return new("bytes/round/client", r => Number(r.BytesPerRoundPerClient), r => r.BytesPerRoundPerClient);
        yield return new("errors", r => Invariant($"{r.Errors}"), null);
        yield return new("version gaps (pushes after skipped changes), run / window", r => Invariant($"{r.VersionGaps} / {r.VersionGapsInWindow}"), null);
        yield return new("connections connected/disconnected/faulted", r => Invariant($"{r.Connections.Connected}/{r.Connections.Disconnected}/{r.Connections.Faulted}"), null);
        yield return new("unexpected disconnects", r => Invariant($"{r.Connections.Unexpected}"), null);
        yield return new("server CPU (s in window)", r => r.Server is { } s ? Number(s.CpuSeconds) : "-", r => r.Server?.CpuSeconds);
        yield return new("server cores busy", r => r.Cores.ServerCores is { } c ? Number(c) : "-", r => r.Cores.ServerCores);
        yield return new("server CPU per round (ms)", r => r.ServerCpuMsPerRound is { } v ? Number(v) : "-", r => r.ServerCpuMsPerRound);
        yield return new("server CPU per vote (us)", r => r.ServerCpuUsPerVote is { } v ? Number(v) : "-", r => r.ServerCpuUsPerVote);
        yield return new("  above idle (us)", r => r.ServerCpuUsPerVoteAboveIdle is { } v ? Number(v) : "-", r => r.ServerCpuUsPerVoteAboveIdle);
        yield return new("server idle cores (before set-up)", r => r.Server?.IdleCores is { } c ? Invariant($"{c:0.000}") : "-", null);
        yield return new("server RSS idle (MB)", r => r.Server is { } s ? Mb(s.IdleRssBytes) : "-", null);
        yield return new("server RSS after set-up (MB)", r => r.Server is { } s ? Mb(s.SetupRssBytes) : "-", null);
        yield return new("server RSS peak (MB)", r => r.Server is { } s ? Mb(s.PeakRssBytes) : "-", r => r.Server?.PeakRssBytes);
        yield return new("server RSS per participant (KB)", r => r.RssPerParticipantKb is { } v ? Number(v) : "-", r => r.RssPerParticipantKb);
        for (var i = 0; i < nodes; i++)
        {
            var n = i;
            ServerUsage? Node(RunResult r) => n < r.Nodes.Count ? r.Nodes[n] : null;
            yield return new(Invariant($"node {n + 1}: pid"), r => Node(r) is { } u ? Invariant($"{u.Pids[0]}") : "-", null);
            yield return new(Invariant($"node {n + 1}: CPU per vote (us)"), r => r.NodeCpuUsPerVote(n) is { } v ? Number(v) : "-", r => r.NodeCpuUsPerVote(n));
            yield return new(Invariant($"node {n + 1}: cores busy"), r => Node(r) is { WindowSeconds: > 0 } u ? Number(u.CpuSeconds / u.WindowSeconds) : "-", null);
            yield return new(Invariant($"node {n + 1}: RSS idle / peak (MB)"), r => Node(r) is { } u ? Mb(u.IdleRssBytes) + " / " + Mb(u.PeakRssBytes) : "-", null);
        }

        yield return new("bench cores busy", r => Number(r.Cores.BenchCores), null);
        yield return new("machine cores busy (all processes)", r => r.Cores.MachineCores is { } m ? Invariant($"{Number(m)}/{r.ProcessorCount}") : "-", null);
        yield return new("  other processes' cores", r => r.Cores.OtherCores is { } o ? Number(o) : "-", null);
        if (ramp)
        {
            yield return new("ramp capacity (participants)", r => r.Ramp is { } o ? Invariant($"{o.CapacityParticipants}") : "-", r => r.Ramp?.CapacityParticipants);
        }
    }

    private sealed record Row(string Label, Func<RunResult, string> Format, Func<RunResult, double?>? Value);
}
