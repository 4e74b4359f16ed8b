using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrackerWriteBack : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "stories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "write_back_card",
                table: "stories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "write_back_link",
                table: "stories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "write_back_reason",
                table: "stories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "write_back_state",
                table: "stories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "tracker_connections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    base_url = table.Column<string>(type: "TEXT", nullable: false),
                    user_name = table.Column<string>(type: "TEXT", nullable: true),
                    scope = table.Column<string>(type: "TEXT", nullable: true),
                    estimate_field = table.Column<string>(type: "TEXT", nullable: true),
                    protected_secret = table.Column<string>(type: "TEXT", nullable: false),
                    points_json = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracker_connections", x => x.id);
                    table.ForeignKey(
                        name: "fk_tracker_connections_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracker_writebacks",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "TEXT", nullable: false),
                    story_id = table.Column<int>(type: "INTEGER", nullable: false),
                    connection_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    issue_key = table.Column<string>(type: "TEXT", nullable: false),
                    card = table.Column<string>(type: "TEXT", nullable: false),
                    card_value = table.Column<string>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    link = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    done_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracker_writebacks", x => new { x.room_id, x.story_id });
                    table.ForeignKey(
                        name: "fk_tracker_writebacks_stories_room_id_story_id",
                        columns: x => new { x.room_id, x.story_id },
                        principalTable: "stories",
                        principalColumns: new[] { "room_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tracker_connections_team_id",
                table: "tracker_connections",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "ix_tracker_writebacks_state_due_at",
                table: "tracker_writebacks",
                columns: new[] { "state", "due_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracker_connections");

            migrationBuilder.DropTable(
                name: "tracker_writebacks");

            migrationBuilder.DropColumn(
                name: "source",
                table: "stories");

            migrationBuilder.DropColumn(
                name: "write_back_card",
                table: "stories");

            migrationBuilder.DropColumn(
                name: "write_back_link",
                table: "stories");

            migrationBuilder.DropColumn(
                name: "write_back_reason",
                table: "stories");

            migrationBuilder.DropColumn(
                name: "write_back_state",
                table: "stories");
        }
    }
}
