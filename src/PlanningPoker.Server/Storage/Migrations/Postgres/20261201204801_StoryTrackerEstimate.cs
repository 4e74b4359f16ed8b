using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StoryTrackerEstimate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "tracker_estimate",
                table: "stories",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "tracker_estimate",
                table: "stories");
        }
    }
}
