using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StoryFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "story_facts",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "text", nullable: false),
                    story_id = table.Column<int>(type: "integer", nullable: false),
                    accepted_at = table.Column<long>(type: "bigint", nullable: false),
                    external_key = table.Column<string>(type: "text", nullable: true),
                    title = table.Column<string>(type: "text", nullable: false),
                    revealed_rounds = table.Column<int>(type: "integer", nullable: false),
                    first_round_consensus = table.Column<bool>(type: "boolean", nullable: false),
                    converged = table.Column<bool>(type: "boolean", nullable: false),
                    first_spread = table.Column<int>(type: "integer", nullable: true),
                    seconds_to_accept = table.Column<double>(type: "double precision", nullable: true),
                    votes = table.Column<int>(type: "integer", nullable: false),
                    missed_votes = table.Column<int>(type: "integer", nullable: false),
                    unsure = table.Column<int>(type: "integer", nullable: false),
                    breaks = table.Column<int>(type: "integer", nullable: false),
                    final_label = table.Column<string>(type: "text", nullable: false),
                    final_value = table.Column<decimal>(type: "numeric", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_story_facts", x => new { x.room_id, x.story_id });
                    table.ForeignKey(
                        name: "fk_story_facts_stories_room_id_story_id",
                        columns: x => new { x.room_id, x.story_id },
                        principalTable: "stories",
                        principalColumns: new[] { "room_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_story_facts_external_key",
                table: "story_facts",
                column: "external_key");

            migrationBuilder.CreateIndex(
                name: "ix_story_facts_room_id_accepted_at",
                table: "story_facts",
                columns: new[] { "room_id", "accepted_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "story_facts");
        }
    }
}
