using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ActualsOnFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "actuals_checked_at",
                table: "story_facts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "done_at",
                table: "story_facts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "logged_seconds",
                table: "story_facts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_story_facts_done_at_accepted_at",
                table: "story_facts",
                columns: new[] { "done_at", "accepted_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_story_facts_done_at_accepted_at",
                table: "story_facts");

            migrationBuilder.DropColumn(
                name: "actuals_checked_at",
                table: "story_facts");

            migrationBuilder.DropColumn(
                name: "done_at",
                table: "story_facts");

            migrationBuilder.DropColumn(
                name: "logged_seconds",
                table: "story_facts");
        }
    }
}
