using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PlanningPoker.Server.Storage.Migrations.Postgres
{
    /// <summary>
    /// The tables, functions and queries of Orleans' ADO.NET clustering (Microsoft.Orleans.Clustering.AdoNet 10.4.2):
    /// nodes that share this database form one cluster (docs/operations.md, "Cluster mode"). Written after the
    /// provider's PostgreSQL-Main.sql and PostgreSQL-Clustering.sql with its "atomic writes" update, as the 10.4.2
    /// provider reads and writes them (its queries are read from <c>OrleansQuery</c> at start). Not part of the EF
    /// model: Orleans alone uses these.
    /// </summary>
    [DbContext(typeof(PostgresPokerDbContext))]
    [Migration("20261201030000_OrleansClustering")]
    public partial class OrleansClustering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OrleansClusteringSql.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OrleansClusteringSql.Drop);
        }
    }
}
