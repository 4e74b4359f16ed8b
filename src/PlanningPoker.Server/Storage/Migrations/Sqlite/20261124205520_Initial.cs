using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rooms",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    deck_type = table.Column<string>(type: "TEXT", nullable: false),
                    deck_cards = table.Column<string>(type: "TEXT", nullable: false),
                    deck_specials = table.Column<int>(type: "INTEGER", nullable: false),
                    auto_reveal = table.Column<bool>(type: "INTEGER", nullable: false),
                    facilitators_vote = table.Column<bool>(type: "INTEGER", nullable: false),
                    who_may_reveal = table.Column<string>(type: "TEXT", nullable: false),
                    statistic = table.Column<string>(type: "TEXT", nullable: false),
                    round_timer_seconds = table.Column<double>(type: "REAL", nullable: true),
                    allow_vote_change = table.Column<bool>(type: "INTEGER", nullable: false),
                    reveal_when_timer_ends = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_locked = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    next_participant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    next_story_id = table.Column<int>(type: "INTEGER", nullable: false),
                    next_round_id = table.Column<int>(type: "INTEGER", nullable: false),
                    current_round_id = table.Column<int>(type: "INTEGER", nullable: true),
                    timer_started_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    timer_duration_seconds = table.Column<double>(type: "REAL", nullable: true),
                    passcode_hash = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rooms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "participants",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "TEXT", nullable: false),
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", nullable: false),
                    is_present = table.Column<bool>(type: "INTEGER", nullable: false),
                    joined_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    left_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    left_order = table.Column<int>(type: "INTEGER", nullable: true),
                    token_hash = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_participants", x => new { x.room_id, x.id });
                    table.ForeignKey(
                        name: "fk_participants_rooms_room_id",
                        column: x => x.room_id,
                        principalTable: "rooms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stories",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "TEXT", nullable: false),
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    external_key = table.Column<string>(type: "TEXT", nullable: true),
                    url = table.Column<string>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    final_label = table.Column<string>(type: "TEXT", nullable: true),
                    final_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stories", x => new { x.room_id, x.id });
                    table.ForeignKey(
                        name: "fk_stories_rooms_room_id",
                        column: x => x.room_id,
                        principalTable: "rooms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "rounds",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "TEXT", nullable: false),
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    story_id = table.Column<int>(type: "INTEGER", nullable: true),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    revealed_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    revealed_by = table.Column<string>(type: "TEXT", nullable: true),
                    result_json = table.Column<string>(type: "TEXT", nullable: true),
                    estimate_label = table.Column<string>(type: "TEXT", nullable: true),
                    estimate_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rounds", x => new { x.room_id, x.id });
                    table.ForeignKey(
                        name: "fk_rounds_rooms_room_id",
                        column: x => x.room_id,
                        principalTable: "rooms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_rounds_stories_room_id_story_id",
                        columns: x => new { x.room_id, x.story_id },
                        principalTable: "stories",
                        principalColumns: new[] { "room_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "votes",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "TEXT", nullable: false),
                    round_id = table.Column<int>(type: "INTEGER", nullable: false),
                    participant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    card_label = table.Column<string>(type: "TEXT", nullable: false),
                    card_value = table.Column<string>(type: "TEXT", nullable: true),
                    card_kind = table.Column<string>(type: "TEXT", nullable: false),
                    cast_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_votes", x => new { x.room_id, x.round_id, x.participant_id });
                    table.ForeignKey(
                        name: "fk_votes_participants_room_id_participant_id",
                        columns: x => new { x.room_id, x.participant_id },
                        principalTable: "participants",
                        principalColumns: new[] { "room_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_votes_rounds_room_id_round_id",
                        columns: x => new { x.room_id, x.round_id },
                        principalTable: "rounds",
                        principalColumns: new[] { "room_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_participants_room_id_token_hash",
                table: "participants",
                columns: new[] { "room_id", "token_hash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_rounds_room_id_story_id",
                table: "rounds",
                columns: new[] { "room_id", "story_id" });

            migrationBuilder.CreateIndex(
                name: "ix_votes_room_id_participant_id",
                table: "votes",
                columns: new[] { "room_id", "participant_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "votes");

            migrationBuilder.DropTable(
                name: "participants");

            migrationBuilder.DropTable(
                name: "rounds");

            migrationBuilder.DropTable(
                name: "stories");

            migrationBuilder.DropTable(
                name: "rooms");
        }
    }
}
