using Microsoft.EntityFrameworkCore;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.References;

/// <summary>
/// The <c>reference_stories</c> table: an estimated story a team marked as a reference ("what a 3 looks like"). It
/// goes with the story's facts (a story sent back to the backlog is no longer a reference) and with the room's place
/// in the team (a room taken off the team takes its references along), by the database's cascades.
/// </summary>
internal sealed class ReferenceStoryRow
{
    public required string RoomId { get; set; }

    public int StoryId { get; set; }

    public Guid TeamId { get; set; }

    /// <summary>Who marked it; null once their account is deleted.</summary>
    public Guid? MarkedBy { get; set; }

    /// <summary>When, in Unix milliseconds.</summary>
    public long MarkedAt { get; set; }

    /// <summary>Maps the table.</summary>
    public static void Configure(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<ReferenceStoryRow>(reference =>
        {
            reference.ToTable("reference_stories");
            reference.HasKey(r => new { r.RoomId, r.StoryId });
            reference.Property(r => r.StoryId).ValueGeneratedNever();
            reference.HasIndex(r => r.TeamId);
            reference.HasOne<StoryFactsRow>().WithMany().HasForeignKey(r => new { r.RoomId, r.StoryId }).OnDelete(DeleteBehavior.Cascade);
            reference.HasOne<TeamRoomRow>().WithMany().HasForeignKey(r => r.RoomId).OnDelete(DeleteBehavior.Cascade);
            reference.HasOne<TeamRow>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Cascade);
            reference.HasOne<Account>().WithMany().HasForeignKey(r => r.MarkedBy).OnDelete(DeleteBehavior.SetNull);
        });
}
