using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;

namespace PlanningPoker.Server.Teams;

/// <summary>An organisation (table <c>organisations</c>).</summary>
internal sealed class OrganisationRow
{
    public Guid Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A person's membership of an organisation (table <c>organisation_members</c>).</summary>
internal sealed class MembershipRow
{
    public Guid OrganisationId { get; set; }

    public Guid AccountId { get; set; }

    public OrganisationRole Role { get; set; }

    public DateTimeOffset JoinedAt { get; set; }
}

/// <summary>An invitation link (table <c>invitations</c>): its secret is stored hashed.</summary>
internal sealed class InvitationRow
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public string TokenHash { get; set; } = string.Empty;

    public OrganisationRole Role { get; set; }

    public int MaxUses { get; set; }

    public int Uses { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A team of an organisation (table <c>teams</c>).</summary>
internal sealed class TeamRow
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The organisation's deck template the team's deck came from, if any.</summary>
    public Guid? DeckTemplateId { get; set; }

    /// <summary>The team's deck (a <see cref="DeckDto"/> as JSON), or null for the product's default.</summary>
    public string? DeckJson { get; set; }

    /// <summary>The team's room settings (a <see cref="RoomSettingsDto"/> as JSON), or null for the product's defaults.</summary>
    public string? RoomSettingsJson { get; set; }

    /// <summary>People outside the organisation may join the team's rooms by link.</summary>
    public bool GuestsAllowed { get; set; } = true;

    /// <summary>The team's rooms show similar stories before a round's reveal (off by default: they anchor votes).</summary>
    public bool SimilarBeforeReveal { get; set; }
}

/// <summary>A deck an organisation saved for its teams (table <c>deck_templates</c>).</summary>
internal sealed class DeckTemplateRow
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>The deck, a <see cref="DeckDto"/> as JSON.</summary>
    public string DeckJson { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A room that belongs to a team (table <c>team_rooms</c>; the room itself lives in <c>rooms</c>, owned by its grain).</summary>
internal sealed class TeamRoomRow
{
    public string RoomId { get; set; } = string.Empty;

    public Guid TeamId { get; set; }

    public DateTimeOffset AttachedAt { get; set; }
}

/// <summary>A member of a team (table <c>team_members</c>), who is a member of its organisation.</summary>
internal sealed class TeamMemberRow
{
    public Guid TeamId { get; set; }

    public Guid AccountId { get; set; }

    public bool IsFacilitator { get; set; }
}

/// <summary>The organisations' part of the schema, configured by this feature (the context calls <see cref="Configure"/>).</summary>
internal static class TeamsModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrganisationRow>(organisation =>
        {
            organisation.ToTable("organisations");
            organisation.HasKey(o => o.Id);
            organisation.Property(o => o.Name).HasMaxLength(Limits.OrganisationNameLength);
        });

        modelBuilder.Entity<MembershipRow>(member =>
        {
            member.ToTable("organisation_members");
            member.HasKey(m => new { m.OrganisationId, m.AccountId });
            member.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
            member.HasIndex(m => m.AccountId);
            member.HasOne<OrganisationRow>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
            member.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<InvitationRow>(invitation =>
        {
            invitation.ToTable("invitations");
            invitation.HasKey(i => i.Id);
            invitation.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
            invitation.Property(i => i.TokenHash).HasMaxLength(64);
            invitation.HasIndex(i => i.TokenHash).IsUnique();
            invitation.HasIndex(i => i.OrganisationId);
            invitation.HasOne<OrganisationRow>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TeamRow>(team =>
        {
            team.ToTable("teams");
            team.HasKey(t => t.Id);
            team.Property(t => t.Name).HasMaxLength(Limits.OrganisationNameLength);
            team.HasIndex(t => new { t.OrganisationId, t.Name }).IsUnique();
            team.HasOne<OrganisationRow>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DeckTemplateRow>(deck =>
        {
            deck.ToTable("deck_templates");
            deck.HasKey(d => d.Id);
            deck.Property(d => d.Name).HasMaxLength(Limits.DeckTemplateNameLength);
            deck.HasIndex(d => new { d.OrganisationId, d.Name }).IsUnique();
            deck.HasOne<OrganisationRow>().WithMany().HasForeignKey(d => d.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TeamRoomRow>(room =>
        {
            room.ToTable("team_rooms");
            room.HasKey(r => r.RoomId);
            room.HasIndex(r => r.TeamId);

            // Deleting a team leaves its rooms as ad-hoc rooms; deleting a room takes it off its team.
            room.HasOne<TeamRow>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Cascade);
            room.HasOne<Storage.RoomRow>().WithMany().HasForeignKey(r => r.RoomId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TeamMemberRow>(member =>
        {
            member.ToTable("team_members");
            member.HasKey(m => new { m.TeamId, m.AccountId });
            member.HasIndex(m => m.AccountId);
            member.HasOne<TeamRow>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
            member.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
