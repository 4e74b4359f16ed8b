namespace PlanningPoker.Bench.Insights;

/// <summary>How a column is written: the server's mapping (src/PlanningPoker.Server/Storage/SqlValues.cs) on each provider.</summary>
internal enum ColumnType
{
    /// <summary>text on both.</summary>
    Text,

    /// <summary>integer.</summary>
    Int,

    /// <summary>bigint on PostgreSQL.</summary>
    Long,

    /// <summary>boolean; 0/1 on SQLite.</summary>
    Bool,

    /// <summary>timestamptz (UTC); EF's text form on SQLite.</summary>
    Time,

    /// <summary>numeric; invariant text on SQLite (scale kept).</summary>
    Decimal,

    /// <summary>double precision.</summary>
    Double,

    /// <summary>uuid; upper-case text on SQLite.</summary>
    Guid,
}

/// <summary>A table the seeder writes, with its columns in the order rows give them.</summary>
internal sealed record Table(string Name, IReadOnlyList<(string Name, ColumnType Type)> Columns)
{
    // The column names of src/PlanningPoker.Server/Storage/Sql.cs (the server's own inserts) and of the migrations.
    public static readonly Table Rooms = new("rooms",
    [
        ("id", ColumnType.Text), ("name", ColumnType.Text), ("deck_type", ColumnType.Text), ("deck_cards", ColumnType.Text),
        ("deck_specials", ColumnType.Int), ("auto_reveal", ColumnType.Bool), ("facilitators_vote", ColumnType.Bool), ("who_may_reveal", ColumnType.Text),
        ("statistic", ColumnType.Text), ("round_timer_seconds", ColumnType.Double), ("allow_vote_change", ColumnType.Bool),
        ("reveal_when_timer_ends", ColumnType.Bool), ("is_locked", ColumnType.Bool), ("created_at", ColumnType.Time), ("next_participant_id", ColumnType.Int),
        ("next_story_id", ColumnType.Int), ("next_round_id", ColumnType.Int), ("current_round_id", ColumnType.Int), ("timer_started_at", ColumnType.Time),
        ("timer_duration_seconds", ColumnType.Double), ("passcode_hash", ColumnType.Text), ("version", ColumnType.Long), ("updated_at", ColumnType.Time),
        ("facilitator_key", ColumnType.Text), ("auto_advance", ColumnType.Bool), ("account_key", ColumnType.Text),
    ]);

    public static readonly Table TeamRooms = new("team_rooms", [("room_id", ColumnType.Text), ("team_id", ColumnType.Guid), ("attached_at", ColumnType.Time)]);

    public static readonly Table Participants = new("participants",
    [
        ("room_id", ColumnType.Text), ("id", ColumnType.Int), ("name", ColumnType.Text), ("role", ColumnType.Text), ("is_present", ColumnType.Bool),
        ("joined_at", ColumnType.Time), ("left_at", ColumnType.Time), ("left_order", ColumnType.Int), ("token_hash", ColumnType.Text), ("account_id", ColumnType.Guid),
    ]);

    public static readonly Table Stories = new("stories",
    [
        ("room_id", ColumnType.Text), ("id", ColumnType.Int), ("position", ColumnType.Int), ("title", ColumnType.Text), ("description", ColumnType.Text),
        ("external_key", ColumnType.Text), ("url", ColumnType.Text), ("state", ColumnType.Text), ("final_label", ColumnType.Text), ("final_value", ColumnType.Decimal),
        ("tracker_estimate", ColumnType.Text), ("source", ColumnType.Text), ("write_back_state", ColumnType.Text), ("write_back_card", ColumnType.Text),
        ("write_back_link", ColumnType.Text), ("write_back_reason", ColumnType.Text),
    ]);

    public static readonly Table Rounds = new("rounds",
    [
        ("room_id", ColumnType.Text), ("id", ColumnType.Int), ("story_id", ColumnType.Int), ("number", ColumnType.Int), ("state", ColumnType.Text),
        ("started_at", ColumnType.Time), ("revealed_at", ColumnType.Time), ("revealed_by", ColumnType.Text), ("result_json", ColumnType.Text),
        ("estimate_label", ColumnType.Text), ("estimate_value", ColumnType.Decimal),
    ]);

    public static readonly Table Votes = new("votes",
    [
        ("room_id", ColumnType.Text), ("round_id", ColumnType.Int), ("participant_id", ColumnType.Int), ("position", ColumnType.Int),
        ("card_label", ColumnType.Text), ("card_value", ColumnType.Decimal), ("card_kind", ColumnType.Text), ("cast_at", ColumnType.Time),
    ]);

    public static readonly Table StoryFacts = new("story_facts",
    [
        ("room_id", ColumnType.Text), ("story_id", ColumnType.Int), ("accepted_at", ColumnType.Long), ("external_key", ColumnType.Text), ("title", ColumnType.Text),
        ("revealed_rounds", ColumnType.Int), ("first_round_consensus", ColumnType.Bool), ("converged", ColumnType.Bool), ("first_spread", ColumnType.Int),
        ("seconds_to_accept", ColumnType.Double), ("votes", ColumnType.Int), ("missed_votes", ColumnType.Int), ("unsure", ColumnType.Int),
        ("breaks", ColumnType.Int), ("final_label", ColumnType.Text), ("final_value", ColumnType.Decimal),
    ]);

    /// <summary>In the order foreign keys need.</summary>
    public static readonly IReadOnlyList<Table> All = [Rooms, TeamRooms, Participants, Stories, Rounds, Votes, StoryFacts];
}

/// <summary>One team's rows, table by table, in <see cref="Table.All"/>'s order.</summary>
internal sealed class RowBatch
{
    public Dictionary<Table, List<object?[]>> Rows { get; } = Table.All.ToDictionary(t => t, _ => new List<object?[]>());

    public void Add(Table table, params object?[] row)
    {
        if (row.Length != table.Columns.Count)
        {
            throw new InvalidOperationException($"{table.Name}: {row.Length} values for {table.Columns.Count} columns");
        }

        Rows[table].Add(row);
    }
}
