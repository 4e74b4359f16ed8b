using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PersonalTrackerConnections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "team_id",
                table: "tracker_connections",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "owner_account_id",
                table: "tracker_connections",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tracker_connections_owner_account_id",
                table: "tracker_connections",
                column: "owner_account_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_tracker_connections_one_owner",
                table: "tracker_connections",
                sql: "(team_id IS NULL) <> (owner_account_id IS NULL)");

            migrationBuilder.AddForeignKey(
                name: "fk_tracker_connections_accounts_owner_account_id",
                table: "tracker_connections",
                column: "owner_account_id",
                principalTable: "accounts",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Personal connections have no team to go back to.
            migrationBuilder.Sql("DELETE FROM tracker_connections WHERE team_id IS NULL;");

            migrationBuilder.DropForeignKey(
                name: "fk_tracker_connections_accounts_owner_account_id",
                table: "tracker_connections");

            migrationBuilder.DropIndex(
                name: "ix_tracker_connections_owner_account_id",
                table: "tracker_connections");

            migrationBuilder.DropCheckConstraint(
                name: "ck_tracker_connections_one_owner",
                table: "tracker_connections");

            migrationBuilder.DropColumn(
                name: "owner_account_id",
                table: "tracker_connections");

            migrationBuilder.AlterColumn<Guid>(
                name: "team_id",
                table: "tracker_connections",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
