using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TeamRooms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "deck_json",
                table: "teams",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "deck_template_id",
                table: "teams",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "guests_allowed",
                table: "teams",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "room_settings_json",
                table: "teams",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "account_key",
                table: "rooms",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "account_id",
                table: "participants",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "deck_templates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organisation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    deck_json = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deck_templates", x => x.id);
                    table.ForeignKey(
                        name: "fk_deck_templates_organisations_organisation_id",
                        column: x => x.organisation_id,
                        principalTable: "organisations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_rooms",
                columns: table => new
                {
                    room_id = table.Column<string>(type: "TEXT", nullable: false),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    attached_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_team_rooms", x => x.room_id);
                    table.ForeignKey(
                        name: "fk_team_rooms_rooms_room_id",
                        column: x => x.room_id,
                        principalTable: "rooms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_team_rooms_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_participants_account_id",
                table: "participants",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_deck_templates_organisation_id_name",
                table: "deck_templates",
                columns: new[] { "organisation_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_team_rooms_team_id",
                table: "team_rooms",
                column: "team_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deck_templates");

            migrationBuilder.DropTable(
                name: "team_rooms");

            migrationBuilder.DropIndex(
                name: "ix_participants_account_id",
                table: "participants");

            migrationBuilder.DropColumn(
                name: "deck_json",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "deck_template_id",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "guests_allowed",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "room_settings_json",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "account_key",
                table: "rooms");

            migrationBuilder.DropColumn(
                name: "account_id",
                table: "participants");
        }
    }
}
