using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FacilitatorKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "facilitator_key",
                table: "rooms",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "facilitator_key",
                table: "rooms");
        }
    }
}
