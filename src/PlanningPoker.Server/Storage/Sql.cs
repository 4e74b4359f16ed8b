namespace PlanningPoker.Server.Storage;

/// <summary>
/// The statements of the write path. SQLite and PostgreSQL both accept every one of them as written
/// (<c>INSERT … ON CONFLICT … DO UPDATE</c>, <c>excluded.</c>, <c>@name</c> parameters); the column names are the
/// ones <see cref="PokerDbContext"/> maps, and parameters are bound in order to <c>@p0</c>, <c>@p1</c>…
/// </summary>
internal static class Sql
{
    public const string InsertRoom = """
        INSERT INTO rooms (id, name, deck_type, deck_cards, deck_specials, auto_reveal, facilitators_vote, who_may_reveal, statistic,
            round_timer_seconds, allow_vote_change, reveal_when_timer_ends, is_locked, created_at, next_participant_id, next_story_id,
            next_round_id, current_round_id, timer_started_at, timer_duration_seconds, passcode_hash, version, updated_at, facilitator_key,
            auto_advance, account_key)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20, @p21, @p22, @p23,
            @p24, @p25)
        ON CONFLICT (id) DO NOTHING
        """;

    // The id counters move only when an event allocated an id (null otherwise), and never backwards.
    private const string UpdateRoomColumns = """
        UPDATE rooms SET name = @p1, auto_reveal = @p2, facilitators_vote = @p3, who_may_reveal = @p4, statistic = @p5,
            round_timer_seconds = @p6, allow_vote_change = @p7, reveal_when_timer_ends = @p8, is_locked = @p9,
            next_participant_id = CASE WHEN @p10 > next_participant_id THEN @p10 ELSE next_participant_id END,
            next_story_id = CASE WHEN @p11 > next_story_id THEN @p11 ELSE next_story_id END,
            next_round_id = CASE WHEN @p12 > next_round_id THEN @p12 ELSE next_round_id END,
            current_round_id = @p13, timer_started_at = @p14, timer_duration_seconds = @p15, passcode_hash = @p16, version = @p17, updated_at = @p18,
            facilitator_key = @p20, auto_advance = @p21, account_key = @p22
        """;

    private const string WhereVersion = " WHERE id = @p0 AND version = @p19";

    public const string UpdateRoom = UpdateRoomColumns + WhereVersion;

    // A change of votes or presence alone leaves the room's columns as they are: the version moves, and the keys are
    // written as every change writes them (a key made in memory for a room stored before keys existed is stored by
    // the next change, whatever it is).
    public const string UpdateRoomVersion = "UPDATE rooms SET version = @p1, updated_at = @p2, facilitator_key = @p4, account_key = @p5 WHERE id = @p0 AND version = @p3";

    public const string UpdateRoomAndDeck = UpdateRoomColumns + ", deck_type = @p23, deck_cards = @p24, deck_specials = @p25" + WhereVersion;

    public const string UpsertParticipant = """
        INSERT INTO participants (room_id, id, name, role, is_present, joined_at, left_at, left_order, token_hash, account_id)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
        ON CONFLICT (room_id, id) DO UPDATE SET name = excluded.name, role = excluded.role, is_present = excluded.is_present,
            joined_at = excluded.joined_at, left_at = excluded.left_at, left_order = excluded.left_order, token_hash = excluded.token_hash,
            account_id = excluded.account_id
        """;

    public const string UpdateParticipant = "UPDATE participants SET name = @p2, role = @p3, is_present = @p4 WHERE room_id = @p0 AND id = @p1";

    public const string AnonymiseParticipant = "UPDATE participants SET name = @p2, account_id = NULL, token_hash = NULL WHERE room_id = @p0 AND id = @p1";

    public const string ParticipantLeft =
        "UPDATE participants SET name = @p2, is_present = @p3, left_at = @p4, left_order = @p5 WHERE room_id = @p0 AND id = @p1";

    public const string UpsertStory = """
        INSERT INTO stories (room_id, id, position, title, description, external_key, url, state, final_label, final_value, tracker_estimate,
            source, write_back_state, write_back_card, write_back_link, write_back_reason)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15)
        ON CONFLICT (room_id, id) DO UPDATE SET position = excluded.position, title = excluded.title, description = excluded.description,
            external_key = excluded.external_key, url = excluded.url, state = excluded.state, final_label = excluded.final_label,
            final_value = excluded.final_value, tracker_estimate = excluded.tracker_estimate, source = excluded.source,
            write_back_state = excluded.write_back_state, write_back_card = excluded.write_back_card, write_back_link = excluded.write_back_link,
            write_back_reason = excluded.write_back_reason
        """;

    /// <summary>Queues (or queues again) a story's estimate for its tracker: in the transaction of the accept or the retry.</summary>
    public const string QueueWriteBack = """
        INSERT INTO tracker_writebacks (room_id, story_id, connection_id, issue_key, card, card_value, state, attempts, due_at, created_at)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, 'Pending', 0, @p6, @p7)
        ON CONFLICT (room_id, story_id) DO UPDATE SET connection_id = excluded.connection_id, issue_key = excluded.issue_key, card = excluded.card,
            card_value = excluded.card_value, state = 'Pending', attempts = 0, due_at = excluded.due_at, lease_until = NULL, lease_owner = NULL,
            last_error = NULL, link = NULL, done_at = NULL
        """;

    /// <summary>Keeps an estimated story's facts (<see cref="Domain.StoryFacts"/>): in the transaction of its accept. A new estimate is followed in its tracker afresh.</summary>
    public const string UpsertStoryFacts = """
        INSERT INTO story_facts (room_id, story_id, accepted_at, external_key, title, revealed_rounds, first_round_consensus, converged, first_spread,
            seconds_to_accept, votes, missed_votes, unsure, breaks, final_label, final_value)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15)
        ON CONFLICT (room_id, story_id) DO UPDATE SET accepted_at = excluded.accepted_at, external_key = excluded.external_key, title = excluded.title,
            revealed_rounds = excluded.revealed_rounds, first_round_consensus = excluded.first_round_consensus, converged = excluded.converged,
            first_spread = excluded.first_spread, seconds_to_accept = excluded.seconds_to_accept, votes = excluded.votes,
            missed_votes = excluded.missed_votes, unsure = excluded.unsure, breaks = excluded.breaks, final_label = excluded.final_label,
            final_value = excluded.final_value, done_at = NULL, logged_seconds = NULL, actuals_checked_at = NULL
        """;

    /// <summary>Forgets the facts of a story that is no longer estimated (sent back to the backlog, re-estimated).</summary>
    public const string DeleteStoryFacts = "DELETE FROM story_facts WHERE room_id = @p0 AND story_id = @p1";

    public const string UpdateStoryPosition = "UPDATE stories SET position = @p2 WHERE room_id = @p0 AND id = @p1";

    public const string DeleteVotesOfStory =
        "DELETE FROM votes WHERE room_id = @p0 AND round_id IN (SELECT id FROM rounds WHERE room_id = @p0 AND story_id = @p1)";

    public const string DeleteRoundsOfStory = "DELETE FROM rounds WHERE room_id = @p0 AND story_id = @p1";

    public const string DeleteStory = "DELETE FROM stories WHERE room_id = @p0 AND id = @p1";

    public const string UpsertRound = """
        INSERT INTO rounds (room_id, id, story_id, number, state, started_at, revealed_at, revealed_by, result_json, estimate_label, estimate_value)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)
        ON CONFLICT (room_id, id) DO UPDATE SET story_id = excluded.story_id, number = excluded.number, state = excluded.state,
            started_at = excluded.started_at, revealed_at = excluded.revealed_at, revealed_by = excluded.revealed_by,
            result_json = excluded.result_json, estimate_label = excluded.estimate_label, estimate_value = excluded.estimate_value
        """;

    public const string UpsertVote = """
        INSERT INTO votes (room_id, round_id, participant_id, position, card_label, card_value, card_kind, cast_at)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)
        ON CONFLICT (room_id, round_id, participant_id) DO UPDATE SET position = excluded.position, card_label = excluded.card_label,
            card_value = excluded.card_value, card_kind = excluded.card_kind, cast_at = excluded.cast_at
        """;

    public const string DeleteVote = "DELETE FROM votes WHERE room_id = @p0 AND round_id = @p1 AND participant_id = @p2";
}
