using Microsoft.EntityFrameworkCore;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Trackers;

/// <summary>
/// A connection to a tracker (table <c>tracker_connections</c>): where it is, and its secret, encrypted. It is a team's
/// (<see cref="TeamId"/>) or one person's (<see cref="OwnerAccountId"/>), never both.
/// </summary>
internal sealed class TrackerConnectionRow
{
    public Guid Id { get; set; }

    /// <summary>The team whose connection it is, or null for a personal one.</summary>
    public Guid? TeamId { get; set; }

    /// <summary>The account whose personal connection it is (deleted with it), or null for a team's.</summary>
    public Guid? OwnerAccountId { get; set; }

    public TrackerKind Kind { get; set; }

    /// <summary>What the team calls it ("Jira – Payments").</summary>
    public string Name { get; set; } = string.Empty;

    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>Jira Cloud's account email.</summary>
    public string? UserName { get; set; }

    public string? Scope { get; set; }

    public string? EstimateField { get; set; }

    /// <summary>The token, PAT or API key, encrypted with ASP.NET Core Data Protection (keys in <c>data_protection_keys</c>, shared by a cluster's nodes).</summary>
    public string ProtectedSecret { get; set; } = string.Empty;

    /// <summary>The team's points for cards that are not numbers (a JSON object: card label → points), or null.</summary>
    public string? PointsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Tracker connections: the schema.</summary>
internal static partial class TrackerConnections
{
    /// <summary>The table's mapping.</summary>
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TrackerConnectionRow>(connection =>
        {
            connection.ToTable("tracker_connections", table => table.HasCheckConstraint(
                "ck_tracker_connections_one_owner", "(team_id IS NULL) <> (owner_account_id IS NULL)"));
            connection.HasKey(c => c.Id);
            connection.Property(c => c.Kind).HasConversion<string>();
            connection.HasIndex(c => c.TeamId);
            connection.HasOne<TeamRow>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
            connection.HasIndex(c => c.OwnerAccountId);
            connection.HasOne<Account>().WithMany().HasForeignKey(c => c.OwnerAccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
