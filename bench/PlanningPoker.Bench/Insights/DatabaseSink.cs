using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace PlanningPoker.Bench.Insights;

/// <summary>Writes the seeder's rows into the server's database, the way the server's own writes store each type.</summary>
internal abstract class DatabaseSink : IAsyncDisposable
{
    public static async Task<DatabaseSink> OpenAsync(string provider, string connectionString, CancellationToken cancellationToken) =>
        provider == "postgres" ? await PostgresSink.OpenAsync(connectionString, cancellationToken) : await SqliteSink.OpenAsync(connectionString, cancellationToken);

    /// <summary>Writes one batch (a team's rows).</summary>
    public abstract Task WriteAsync(RowBatch batch, CancellationToken cancellationToken);

    /// <summary>Commits, and brings the planner's statistics up to date where the provider keeps them.</summary>
    public abstract Task FinishAsync(CancellationToken cancellationToken);

    /// <summary>Rows per table, counted by the database.</summary>
    public abstract Task<IReadOnlyList<(string Table, long Rows)>> CountAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>SQLite: one transaction, one prepared INSERT per table, parameters reused.</summary>
    private sealed class SqliteSink : DatabaseSink
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly Dictionary<Table, SqliteCommand> _inserts = [];

        private SqliteSink(SqliteConnection connection, SqliteTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
        }

        public static async Task<DatabaseSink> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using (var pragma = connection.CreateCommand())
            {
                // The server has the file open too (it migrated it): wait for its lock rather than fail.
                pragma.CommandText = "PRAGMA busy_timeout = 30000;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var sink = new SqliteSink(connection, transaction);
            foreach (var table in Table.All)
            {
                var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)))})";
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    command.Parameters.Add(new SqliteParameter("@p" + i.ToString(CultureInfo.InvariantCulture), null));
                }

                command.Prepare();
                sink._inserts[table] = command;
            }

            return sink;
        }

        public override async Task WriteAsync(RowBatch batch, CancellationToken cancellationToken)
        {
            foreach (var table in Table.All)
            {
                var command = _inserts[table];
                foreach (var row in batch.Rows[table])
                {
                    for (var i = 0; i < row.Length; i++)
                    {
                        command.Parameters[i].Value = ToSqlite(row[i], table.Columns[i].Type) ?? DBNull.Value;
                    }

                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }

        public override async Task FinishAsync(CancellationToken cancellationToken)
        {
            // No ANALYZE: the server never runs one on SQLite, so the planner sees what a production file has.
            await _transaction.CommitAsync(cancellationToken);
        }

        public override async Task<IReadOnlyList<(string Table, long Rows)>> CountAsync(CancellationToken cancellationToken)
        {
            var counts = new List<(string, long)>();
            foreach (var table in Table.All)
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = $"SELECT count(*) FROM {table.Name}";
                counts.Add((table.Name, Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture)));
            }

            return counts;
        }

        public override async ValueTask DisposeAsync()
        {
            foreach (var command in _inserts.Values)
            {
                await command.DisposeAsync();
            }

            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }

        private static object? ToSqlite(object? value, ColumnType type) => value switch
        {
            null => null,
            Guid g => g.ToString("D").ToUpperInvariant(),
            decimal d => d.ToString(CultureInfo.InvariantCulture),
            DateTimeOffset t => t.ToUniversalTime(), // Microsoft.Data.Sqlite writes EF's text form
            _ when type == ColumnType.Bool => (bool)value ? 1 : 0,
            _ => value,
        };
    }

    /// <summary>PostgreSQL: binary COPY per table per batch.</summary>
    private sealed class PostgresSink : DatabaseSink
    {
        private readonly NpgsqlConnection _connection;

        private PostgresSink(NpgsqlConnection connection) => _connection = connection;

        public static async Task<DatabaseSink> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return new PostgresSink(connection);
        }

        public override async Task WriteAsync(RowBatch batch, CancellationToken cancellationToken)
        {
            foreach (var table in Table.All)
            {
                var rows = batch.Rows[table];
                if (rows.Count == 0)
                {
                    continue;
                }

                await using var import = await _connection.BeginBinaryImportAsync(
                    $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
                foreach (var row in rows)
                {
                    await import.StartRowAsync(cancellationToken);
                    for (var i = 0; i < row.Length; i++)
                    {
                        if (row[i] is null)
                        {
                            await import.WriteNullAsync(cancellationToken);
                        }
                        else
                        {
                            await import.WriteAsync(row[i] is DateTimeOffset t ? t.ToUniversalTime() : row[i], TypeOf(table.Columns[i].Type), cancellationToken);
                        }
                    }
                }

                await import.CompleteAsync(cancellationToken);
            }
        }

        public override async Task FinishAsync(CancellationToken cancellationToken)
        {
            // What autovacuum's analyze would do shortly after such a load: the planner's row estimates.
            await using var command = new NpgsqlCommand("ANALYZE", _connection);
            command.CommandTimeout = 600;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public override async Task<IReadOnlyList<(string Table, long Rows)>> CountAsync(CancellationToken cancellationToken)
        {
            var counts = new List<(string, long)>();
            foreach (var table in Table.All)
            {
                await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table.Name}", _connection);
                counts.Add((table.Name, Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture)));
            }

            return counts;
        }

        public override ValueTask DisposeAsync() => _connection.DisposeAsync();

        private static NpgsqlDbType TypeOf(ColumnType type) => type switch
        {
            ColumnType.Text => NpgsqlDbType.Text,
            ColumnType.Int => NpgsqlDbType.Integer,
            ColumnType.Long => NpgsqlDbType.Bigint,
            ColumnType.Bool => NpgsqlDbType.Boolean,
            ColumnType.Time => NpgsqlDbType.TimestampTz,
            ColumnType.Decimal => NpgsqlDbType.Numeric,
            ColumnType.Double => NpgsqlDbType.Double,
            _ => NpgsqlDbType.Uuid,
        };
    }
}
