using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReferenceStories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "similar_before_reveal",
                table: "teams",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "reference_stories",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "text", nullable: false),
                    story_id = table.Column<int>(type: "integer", nullable: false),
                    team_id = table.Column<Guid>(type: "uuid", nullable: false),
                    marked_by = table.Column<Guid>(type: "uuid", nullable: true),
                    marked_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reference_stories", x => new { x.room_id, x.story_id });
                    table.ForeignKey(
                        name: "fk_reference_stories_accounts_marked_by",
                        column: x => x.marked_by,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_reference_stories_story_facts_room_id_story_id",
                        columns: x => new { x.room_id, x.story_id },
                        principalTable: "story_facts",
                        principalColumns: new[] { "room_id", "story_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_reference_stories_team_rooms_room_id",
                        column: x => x.room_id,
                        principalTable: "team_rooms",
                        principalColumn: "room_id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_reference_stories_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_reference_stories_marked_by",
                table: "reference_stories",
                column: "marked_by");

            migrationBuilder.CreateIndex(
                name: "ix_reference_stories_team_id",
                table: "reference_stories",
                column: "team_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reference_stories");

            migrationBuilder.DropColumn(
                name: "similar_before_reveal",
                table: "teams");
        }
    }
}
