using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using PlanningPoker.Domain;

namespace PlanningPoker.Bench.Insights;

/// <summary>
/// Where the organisation-wide report's time goes, outside the server: the query the endpoint runs (written out by
/// hand after src/PlanningPoker.Server/Insights/EstimationInsights.cs), its plan, the time to read its rows with plain
/// ADO.NET (every column, as the endpoint reads them, and only the columns the KPIs use), and the time the domain's
/// <see cref="EstimationKpis.Of"/> takes over them (the organisation's, then each team's). What the endpoint takes
/// beyond these is EF Core's materialisation, JSON and HTTP.
/// </summary>
internal static class Diagnosis
{
    private const string AllColumns = "s.room_id, s.story_id, s.accepted_at, s.external_key, s.title, s.revealed_rounds, s.first_round_consensus, s.converged, "
        + "s.first_spread, s.seconds_to_accept, s.votes, s.missed_votes, s.unsure, s.breaks, s.final_label, s.final_value";

    private const string KpiColumns = "s.revealed_rounds, s.first_round_consensus, s.converged, s.first_spread, s.seconds_to_accept, s.votes, s.missed_votes, "
        + "s.unsure, s.breaks, s.final_label, s.final_value";

    private const string From = """
         FROM story_facts AS s INNER JOIN team_rooms AS r ON s.room_id = r.room_id
         WHERE EXISTS (SELECT 1 FROM teams AS t WHERE t.id = r.team_id AND t.organisation_id = @org) AND s.accepted_at >= @start AND s.accepted_at < @end
        """;

    public static async Task RunAsync(string provider, string connectionString, Guid organisation, long start, long end, TextWriter output, CancellationToken cancellationToken)
    {
        var postgres = provider == "postgres";
        await using DbConnection connection = postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        object org = postgres ? organisation : organisation.ToString("D").ToUpperInvariant();

        await output.WriteLineAsync();
        await output.WriteLineAsync("where the organisation-wide report's time goes (2 years, the endpoint's query written out by hand, read with plain ADO.NET):");
        var plan = await ReadAsync(connection, (postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") + "SELECT r.team_id, " + AllColumns + From,
            org, start, end, reader => postgres ? reader.GetString(0) : reader.GetString(3), cancellationToken);
        foreach (var line in plan)
        {
            await output.WriteLineAsync("  plan: " + line);
        }

        var all = new List<double>();
        var narrow = new List<double>();
        var kpis = new List<double>();
        var kpiCpu = new List<double>();
        var grouped = new List<double>();
        var rows = 0;
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            rows = (await ReadAsync(connection, "SELECT r.team_id, " + AllColumns + From, org, start, end, reader =>
            {
                // Every column, as the endpoint's query reads them.
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                return values;
            }, cancellationToken)).Count;
            all.Add(watch.Elapsed.TotalMilliseconds);

            watch.Restart();
            var facts = await ReadAsync(connection, "SELECT r.team_id, " + KpiColumns + From, org, start, end, reader => (
                Team: reader.GetValue(0).ToString()!,
                Facts: new StoryFacts(
                    reader.GetInt32(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : TimeSpan.FromSeconds(reader.GetDouble(5)), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8),
                    reader.GetInt32(9), reader.GetString(10), reader.IsDBNull(11) ? null : decimal.Parse(reader.GetValue(11).ToString()!, CultureInfo.InvariantCulture))),
                cancellationToken);
            narrow.Add(watch.Elapsed.TotalMilliseconds);

            watch.Restart();
            var cpu = Environment.CpuUsage.TotalTime;
            EstimationKpis.Of([.. facts.Select(f => f.Facts)]);
            foreach (var team in facts.ToLookup(f => f.Team, f => f.Facts))
            {
                EstimationKpis.Of([.. team]);
            }

            kpis.Add(watch.Elapsed.TotalMilliseconds);
            kpiCpu.Add((Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);

            // The alternative: sums and counts per team in SQL, the two distributions grouped there too, and only the
            // times to accept (for the medians) read row by row.
            watch.Restart();
            await ReadAsync(connection, "SELECT r.team_id, count(*), sum(s.revealed_rounds), sum(CASE WHEN s.first_round_consensus THEN 1 ELSE 0 END), "
                + "sum(s.votes), sum(s.missed_votes), sum(s.unsure), sum(s.breaks), sum(CASE WHEN s.revealed_rounds >= 2 AND s.converged THEN 1 ELSE 0 END)"
                + From + " GROUP BY r.team_id", org, start, end, reader => reader.GetValue(0), cancellationToken);
            await ReadAsync(connection, "SELECT r.team_id, s.final_label, count(*)" + From + " GROUP BY r.team_id, s.final_label", org, start, end, reader => reader.GetValue(0), cancellationToken);
            await ReadAsync(connection, "SELECT r.team_id, s.first_spread, count(*)" + From + " GROUP BY r.team_id, s.first_spread", org, start, end, reader => reader.GetValue(0), cancellationToken);
            await ReadAsync(connection, "SELECT r.team_id, s.seconds_to_accept" + From, org, start, end, reader => reader.IsDBNull(1) ? 0 : reader.GetDouble(1), cancellationToken);
            grouped.Add(watch.Elapsed.TotalMilliseconds);
        }

        await output.WriteLineAsync(Text.Invariant(
            $"  {rows:N0} rows; median of 5: aggregated in SQL per team (3 GROUP BY queries + the times to accept) {Median(grouped):0} ms; read every column {Median(all):0} ms, read the KPI columns into StoryFacts {Median(narrow):0} ms, EstimationKpis.Of (organisation + each team) {Median(kpis):0} ms ({Median(kpiCpu):0} ms of this process's CPU)"));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<List<T>> ReadAsync<T>(DbConnection connection, string sql, object org, long start, long end, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        foreach (var (name, value) in new (string Name, object Value)[] { ("@org", org), ("@start", start), ("@end", end) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }

        return list;
    }
}
