using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Teams;

/// <summary>
/// Organisations, their members, invitation links and teams: the feature's public service (other features use this,
/// never its tables). Every method takes the caller's account and checks it against the caller's own membership
/// (<see cref="OrganisationRules"/>); a refusal changes nothing.
/// </summary>
internal sealed class Organisations(IDbContextFactory<PokerDbContext> contexts, TimeProvider clock)
{
    /// <summary>Makes an organisation owned by <paramref name="actor"/>.</summary>
    public async Task<Reply<OrganisationDto>> CreateAsync(Guid actor, string? name)
    {
        if (CheckName(name) is { } bad)
        {
            return Reply<OrganisationDto>.From(bad);
        }

        await using var db = contexts.CreateDbContext();
        if (await db.Set<MembershipRow>().CountAsync(m => m.AccountId == actor) >= Limits.OrganisationsPerAccount)
        {
            return Reply<OrganisationDto>.Fail(ErrorCodes.LimitExceeded, $"one account belongs to at most {Limits.OrganisationsPerAccount} organizations");
        }

        var now = clock.GetUtcNow();
        var organisation = new OrganisationRow { Id = Guid.CreateVersion7(now), Name = name!.Trim(), CreatedAt = now };
        db.Add(organisation);
        db.Add(new MembershipRow { OrganisationId = organisation.Id, AccountId = actor, Role = OrganisationRole.Owner, JoinedAt = now });
        await db.SaveChangesAsync();
        return new OrganisationDto(organisation.Id, organisation.Name, OrganisationRole.Owner, 1);
    }

    /// <summary>The organisations <paramref name="actor"/> belongs to, by name.</summary>
    public async Task<IReadOnlyList<OrganisationDto>> ListAsync(Guid actor)
    {
        await using var db = contexts.CreateDbContext();
        var rows = await (
            from m in db.Set<MembershipRow>()
            where m.AccountId == actor
            join o in db.Set<OrganisationRow>() on m.OrganisationId equals o.Id
            select new { o.Id, o.Name, m.Role, Members = db.Set<MembershipRow>().Count(x => x.OrganisationId == o.Id) }).ToListAsync();
        return [.. rows.Select(r => new OrganisationDto(r.Id, r.Name, r.Role, r.Members)).OrderBy(o => o.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>The names of the organisations <paramref name="account"/> owns, by name: it cannot go while it owns one.</summary>
    public async Task<IReadOnlyList<string>> OwnedByAsync(Guid account)
    {
        await using var db = contexts.CreateDbContext();
        var names = await (
            from m in db.Set<MembershipRow>()
            where m.AccountId == account && m.Role == OrganisationRole.Owner
            join o in db.Set<OrganisationRow>() on m.OrganisationId equals o.Id
            select o.Name).ToListAsync();
        return [.. names.Order(StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>One organisation, for its members.</summary>
    public async Task<Reply<OrganisationDto>> GetAsync(Guid actor, Guid organisationId)
    {
        await using var db = contexts.CreateDbContext();
        var role = await RoleOfAsync(db, organisationId, actor);
        if (OrganisationRules.May(role, OrganisationAction.View) is { } refused)
        {
            return Refuse<OrganisationDto>(refused);
        }

        var organisation = await db.Set<OrganisationRow>().SingleAsync(o => o.Id == organisationId);
        return new OrganisationDto(organisation.Id, organisation.Name, role!.Value, await db.Set<MembershipRow>().CountAsync(m => m.OrganisationId == organisationId));
    }

    /// <summary>Renames an organisation (owner, admins).</summary>
    public async Task<Reply> RenameAsync(Guid actor, Guid organisationId, string? name)
    {
        if (CheckName(name) is { } bad)
        {
            return bad;
        }

        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.Rename) is { } refused)
        {
            return Refuse(refused);
        }

        await db.Set<OrganisationRow>().Where(o => o.Id == organisationId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Name, name!.Trim()));
        return Reply.Ok;
    }

    /// <summary>Deletes an organisation with its members, invitations and teams (the owner).</summary>
    public async Task<Reply> DeleteAsync(Guid actor, Guid organisationId)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.Delete) is { } refused)
        {
            return Refuse(refused);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        // Its teams' rooms stay, as ad-hoc rooms: their facilitators keep them.
        await db.Set<TeamRoomRow>().Where(r => db.Set<TeamRow>().Any(t => t.Id == r.TeamId && t.OrganisationId == organisationId)).ExecuteDeleteAsync();
        await db.Set<TeamMemberRow>().Where(m => db.Set<TeamRow>().Any(t => t.Id == m.TeamId && t.OrganisationId == organisationId)).ExecuteDeleteAsync();
        await db.Set<DeckTemplateRow>().Where(d => d.OrganisationId == organisationId).ExecuteDeleteAsync();
        await db.Set<TeamRow>().Where(t => t.OrganisationId == organisationId).ExecuteDeleteAsync();
        await db.Set<InvitationRow>().Where(i => i.OrganisationId == organisationId).ExecuteDeleteAsync();
        await db.Set<MembershipRow>().Where(m => m.OrganisationId == organisationId).ExecuteDeleteAsync();
        await db.Set<OrganisationRow>().Where(o => o.Id == organisationId).ExecuteDeleteAsync();
        await transaction.CommitAsync();
        return Reply.Ok;
    }

    /// <summary>The members of an organisation, owner first, then by name (members).</summary>
    public async Task<Reply<IReadOnlyList<MemberDto>>> MembersAsync(Guid actor, Guid organisationId)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.View) is { } refused)
        {
            return Refuse<IReadOnlyList<MemberDto>>(refused);
        }

        var rows = await (
            from m in db.Set<MembershipRow>()
            where m.OrganisationId == organisationId
            join a in db.Set<Account>() on m.AccountId equals a.Id
            select new { m.AccountId, a.DisplayName, m.Role, m.JoinedAt }).ToListAsync();
        return Reply<IReadOnlyList<MemberDto>>.Of([.. rows
            .OrderByDescending(r => r.Role).ThenBy(r => r.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Select(r => new MemberDto(r.AccountId, r.DisplayName, r.Role, r.JoinedAt))]);
    }

    /// <summary>Changes a member's role (see <see cref="OrganisationRules.MayChangeRole"/>).</summary>
    public async Task<Reply> ChangeRoleAsync(Guid actor, Guid organisationId, Guid target, OrganisationRole role)
    {
        if (!Enum.IsDefined(role))
        {
            return Reply.Fail(ErrorCodes.InvalidRole, "the role is Member or Admin");
        }

        await using var db = contexts.CreateDbContext();
        var actorRole = await RoleOfAsync(db, organisationId, actor);
        var current = await RoleOfAsync(db, organisationId, target);
        if (OrganisationRules.MayChangeRole(actor, actorRole, target, current, role) is { } refused)
        {
            return Refuse(refused);
        }

        await db.Set<MembershipRow>().Where(m => m.OrganisationId == organisationId && m.AccountId == target).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, role));
        return Reply.Ok;
    }

    /// <summary>Removes a member, or lets one leave (see <see cref="OrganisationRules.MayRemove"/>); they leave its teams too.</summary>
    public async Task<Reply> RemoveAsync(Guid actor, Guid organisationId, Guid target)
    {
        await using var db = contexts.CreateDbContext();
        var actorRole = await RoleOfAsync(db, organisationId, actor);
        var current = await RoleOfAsync(db, organisationId, target);
        if (OrganisationRules.MayRemove(actor, actorRole, target, current) is { } refused)
        {
            return Refuse(refused);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Set<TeamMemberRow>().Where(m => m.AccountId == target && db.Set<TeamRow>().Any(t => t.Id == m.TeamId && t.OrganisationId == organisationId)).ExecuteDeleteAsync();
        await db.Set<MembershipRow>().Where(m => m.OrganisationId == organisationId && m.AccountId == target).ExecuteDeleteAsync();
        await transaction.CommitAsync();
        return Reply.Ok;
    }

    /// <summary>Hands the organisation to another member (the owner, who becomes an admin).</summary>
    public async Task<Reply> TransferAsync(Guid actor, Guid organisationId, Guid target)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.TransferOwnership) is { } refused)
        {
            return Refuse(refused);
        }

        if (target == actor || await RoleOfAsync(db, organisationId, target) is null)
        {
            return Reply.Fail(ErrorCodes.MemberNotFound, "ownership goes to another member of the organization");
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Set<MembershipRow>().Where(m => m.OrganisationId == organisationId && m.AccountId == target).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, OrganisationRole.Owner));
        await db.Set<MembershipRow>().Where(m => m.OrganisationId == organisationId && m.AccountId == actor).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, OrganisationRole.Admin));
        await transaction.CommitAsync();
        return Reply.Ok;
    }

    /// <summary>Makes an invitation link (owner, admins); its token is in this answer only.</summary>
    public async Task<Reply<InvitationDto>> InviteAsync(Guid actor, Guid organisationId, CreateInvitationRequest request)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.MayInvite(await RoleOfAsync(db, organisationId, actor), request.Role) is { } refused)
        {
            return Refuse<InvitationDto>(refused);
        }

        if (!Enum.IsDefined(request.Role))
        {
            return Reply<InvitationDto>.Fail(ErrorCodes.InvalidRole, "an invitation gives the role Member or Admin");
        }

        if (request.MaxUses is < 1 or > Limits.InvitationMaxUses || request.ValidForDays is < 1 or > Limits.InvitationMaxDays)
        {
            return Reply<InvitationDto>.Fail(ErrorCodes.ValidationFailed, $"an invitation has 1 to {Limits.InvitationMaxUses} uses and lasts 1 to {Limits.InvitationMaxDays} days");
        }

        var now = clock.GetUtcNow();
        var open = (await db.Set<InvitationRow>().Where(i => i.OrganisationId == organisationId && i.RevokedAt == null && i.Uses < i.MaxUses).ToListAsync())
            .Count(i => i.ExpiresAt > now);
        if (open >= Limits.OpenInvitationsPerOrganisation)
        {
            return Reply<InvitationDto>.Fail(ErrorCodes.LimitExceeded, $"an organization has at most {Limits.OpenInvitationsPerOrganisation} open invitations: revoke some");
        }

        var token = Secrets.NewToken();
        var row = new InvitationRow
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = organisationId,
            TokenHash = Secrets.HashToken(token),
            Role = request.Role,
            MaxUses = request.MaxUses,
            CreatedBy = actor,
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ValidForDays),
        };
        db.Add(row);
        await db.SaveChangesAsync();
        return ToDto(row) with { Token = token };
    }

    /// <summary>The invitation links of an organisation, newest first (owner, admins).</summary>
    public async Task<Reply<IReadOnlyList<InvitationDto>>> InvitationsAsync(Guid actor, Guid organisationId)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.Invite) is { } refused)
        {
            return Refuse<IReadOnlyList<InvitationDto>>(refused);
        }

        var rows = await db.Set<InvitationRow>().Where(i => i.OrganisationId == organisationId).ToListAsync();
        return Reply<IReadOnlyList<InvitationDto>>.Of([.. rows.OrderByDescending(i => i.CreatedAt).Select(ToDto)]);
    }

    /// <summary>Revokes an invitation link (owner, admins).</summary>
    public async Task<Reply> RevokeAsync(Guid actor, Guid organisationId, Guid invitationId)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.Invite) is { } refused)
        {
            return Refuse(refused);
        }

        var now = clock.GetUtcNow();
        var changed = await db.Set<InvitationRow>().Where(i => i.Id == invitationId && i.OrganisationId == organisationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, i => i.RevokedAt ?? now));
        return changed == 0 ? Reply.Fail(ErrorCodes.InvitationNotFound, "this organization has no such invitation") : Reply.Ok;
    }

    /// <summary>What an invitation link leads to, for whoever holds it.</summary>
    public async Task<Reply<InvitationPreviewDto>> PreviewAsync(string? token)
    {
        await using var db = contexts.CreateDbContext();
        var (invitation, refused) = await FindUsableAsync(db, token);
        if (refused is not null)
        {
            return Reply<InvitationPreviewDto>.From(refused);
        }

        var name = await db.Set<OrganisationRow>().Where(o => o.Id == invitation!.OrganisationId).Select(o => o.Name).SingleAsync();
        return new InvitationPreviewDto(name, invitation!.Role);
    }

    /// <summary>Joins the organisation of an invitation link; each use is counted once, even when two race for the last one.</summary>
    public async Task<Reply<OrganisationDto>> AcceptAsync(Guid actor, string? token)
    {
        await using var db = contexts.CreateDbContext();
        var (invitation, refused) = await FindUsableAsync(db, token);
        if (refused is not null)
        {
            return Reply<OrganisationDto>.From(refused);
        }

        if (await RoleOfAsync(db, invitation!.OrganisationId, actor) is not null)
        {
            return Reply<OrganisationDto>.Fail(ErrorCodes.AlreadyMember, "you are already a member of this organization");
        }

        if (await db.Set<MembershipRow>().CountAsync(m => m.AccountId == actor) >= Limits.OrganisationsPerAccount)
        {
            return Reply<OrganisationDto>.Fail(ErrorCodes.LimitExceeded, $"one account belongs to at most {Limits.OrganisationsPerAccount} organizations");
        }

        if (await db.Set<MembershipRow>().CountAsync(m => m.OrganisationId == invitation.OrganisationId) >= Limits.MembersPerOrganisation)
        {
            return Reply<OrganisationDto>.Fail(ErrorCodes.LimitExceeded, $"an organization has at most {Limits.MembersPerOrganisation} members");
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var counted = await db.Set<InvitationRow>()
            .Where(i => i.Id == invitation.Id && i.RevokedAt == null && i.Uses < i.MaxUses)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Uses, i => i.Uses + 1));
        if (counted == 0)
        {
            return Reply<OrganisationDto>.Fail(ErrorCodes.InvitationUsedUp, "this invitation has just been used up");
        }

        db.Add(new MembershipRow { OrganisationId = invitation.OrganisationId, AccountId = actor, Role = invitation.Role, JoinedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            return Reply<OrganisationDto>.Fail(ErrorCodes.AlreadyMember, "you are already a member of this organization");
        }

        await transaction.CommitAsync();
        return await GetAsync(actor, invitation.OrganisationId);
    }

    /// <summary>Makes a team (owner, admins).</summary>
    public async Task<Reply<TeamDto>> CreateTeamAsync(Guid actor, Guid organisationId, string? name)
    {
        if (CheckName(name) is { } bad)
        {
            return Reply<TeamDto>.From(bad);
        }

        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.CreateTeam) is { } refused)
        {
            return Refuse<TeamDto>(refused);
        }

        var trimmed = name!.Trim();
        var teams = await db.Set<TeamRow>().Where(t => t.OrganisationId == organisationId).Select(t => t.Name).ToListAsync();
        if (teams.Count >= Limits.TeamsPerOrganisation)
        {
            return Reply<TeamDto>.Fail(ErrorCodes.LimitExceeded, $"an organization has at most {Limits.TeamsPerOrganisation} teams");
        }

        if (teams.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
        {
            return Reply<TeamDto>.Fail(ErrorCodes.NameTaken, "the organization has a team of that name");
        }

        var now = clock.GetUtcNow();
        var team = new TeamRow { Id = Guid.CreateVersion7(now), OrganisationId = organisationId, Name = trimmed, CreatedAt = now };
        db.Add(team);
        await db.SaveChangesAsync();
        return new TeamDto(team.Id, organisationId, team.Name, []);
    }

    /// <summary>The teams of an organisation with their members (members).</summary>
    public async Task<Reply<IReadOnlyList<TeamDto>>> TeamsAsync(Guid actor, Guid organisationId)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.View) is { } refused)
        {
            return Refuse<IReadOnlyList<TeamDto>>(refused);
        }

        var teams = await db.Set<TeamRow>().Where(t => t.OrganisationId == organisationId).ToListAsync();
        var members = await (
            from m in db.Set<TeamMemberRow>()
            join t in db.Set<TeamRow>() on m.TeamId equals t.Id
            where t.OrganisationId == organisationId
            join a in db.Set<Account>() on m.AccountId equals a.Id
            select new { m.TeamId, m.AccountId, a.DisplayName, m.IsFacilitator }).ToListAsync();
        var byTeam = members.ToLookup(m => m.TeamId);
        return Reply<IReadOnlyList<TeamDto>>.Of([.. teams
            .OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(t => new TeamDto(t.Id, organisationId, t.Name, [.. byTeam[t.Id]
                .OrderByDescending(m => m.IsFacilitator).ThenBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase)
                .Select(m => new TeamMemberDto(m.AccountId, m.DisplayName, m.IsFacilitator))]))]);
    }

    /// <summary>Adds a member of the organisation to a team, or sets whether they facilitate it (owner, admins).</summary>
    public async Task<Reply> SetTeamMemberAsync(Guid actor, Guid organisationId, Guid teamId, SetTeamMemberRequest request)
    {
        await using var db = contexts.CreateDbContext();
        if (await TeamRefusalAsync(db, actor, organisationId, teamId) is { } refused)
        {
            return refused;
        }

        if (await RoleOfAsync(db, organisationId, request.AccountId) is null)
        {
            return Reply.Fail(ErrorCodes.MemberNotFound, "a team's members are members of its organization");
        }

        var row = await db.Set<TeamMemberRow>().SingleOrDefaultAsync(m => m.TeamId == teamId && m.AccountId == request.AccountId);
        if (row is null)
        {
            db.Add(new TeamMemberRow { TeamId = teamId, AccountId = request.AccountId, IsFacilitator = request.IsFacilitator });
        }
        else
        {
            row.IsFacilitator = request.IsFacilitator;
        }

        await db.SaveChangesAsync();
        return Reply.Ok;
    }

    /// <summary>Takes a member off a team (owner, admins).</summary>
    public async Task<Reply> RemoveTeamMemberAsync(Guid actor, Guid organisationId, Guid teamId, Guid member)
    {
        await using var db = contexts.CreateDbContext();
        if (await TeamRefusalAsync(db, actor, organisationId, teamId) is { } refused)
        {
            return refused;
        }

        var removed = await db.Set<TeamMemberRow>().Where(m => m.TeamId == teamId && m.AccountId == member).ExecuteDeleteAsync();
        return removed == 0 ? Reply.Fail(ErrorCodes.MemberNotFound, "the team has no such member") : Reply.Ok;
    }

    /// <summary>Deletes a team (owner, admins).</summary>
    public async Task<Reply> DeleteTeamAsync(Guid actor, Guid organisationId, Guid teamId)
    {
        await using var db = contexts.CreateDbContext();
        if (await TeamRefusalAsync(db, actor, organisationId, teamId) is { } refused)
        {
            return refused;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Set<TeamRoomRow>().Where(r => r.TeamId == teamId).ExecuteDeleteAsync(); // its rooms stay, ad hoc
        await db.Set<TeamMemberRow>().Where(m => m.TeamId == teamId).ExecuteDeleteAsync();
        await db.Set<TeamRow>().Where(t => t.Id == teamId).ExecuteDeleteAsync();
        await transaction.CommitAsync();
        return Reply.Ok;
    }

    private static async Task<Reply?> TeamRefusalAsync(PokerDbContext db, Guid actor, Guid organisationId, Guid teamId)
    {
        if (OrganisationRules.May(await RoleOfAsync(db, organisationId, actor), OrganisationAction.ManageTeams) is { } refused)
        {
            return Refuse(refused);
        }

        return await db.Set<TeamRow>().AnyAsync(t => t.Id == teamId && t.OrganisationId == organisationId)
            ? null
            : Reply.Fail(ErrorCodes.TeamNotFound, "this organization has no such team");
    }

    private async Task<(InvitationRow? Invitation, Reply? Refused)> FindUsableAsync(PokerDbContext db, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return (null, Reply.Fail(ErrorCodes.InvitationNotFound, "there is no such invitation"));
        }

        var hash = Secrets.HashToken(token);
        var invitation = await db.Set<InvitationRow>().AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash);
        return invitation switch
        {
            null => (null, Reply.Fail(ErrorCodes.InvitationNotFound, "there is no such invitation")),
            { RevokedAt: not null } => (null, Reply.Fail(ErrorCodes.InvitationRevoked, "this invitation was revoked: ask for a new one")),
            _ when invitation.ExpiresAt <= clock.GetUtcNow() => (null, Reply.Fail(ErrorCodes.InvitationExpired, "this invitation has expired: ask for a new one")),
            _ when invitation.Uses >= invitation.MaxUses => (null, Reply.Fail(ErrorCodes.InvitationUsedUp, "this invitation has been used up: ask for a new one")),
            _ => (invitation, null),
        };
    }

    /// <summary>Someone's role in an organisation, or null when they are not a member.</summary>
    internal static async Task<OrganisationRole?> RoleOfAsync(PokerDbContext db, Guid organisationId, Guid account)
    {
        var role = await db.Set<MembershipRow>().Where(m => m.OrganisationId == organisationId && m.AccountId == account).Select(m => (OrganisationRole?)m.Role).SingleOrDefaultAsync();
        return role;
    }

    private static Reply? CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        return trimmed.Length is 0 or > Limits.OrganisationNameLength || trimmed.Any(char.IsControl)
            ? Reply.Fail(ErrorCodes.InvalidOrganisationName, $"a name has 1 to {Limits.OrganisationNameLength} characters")
            : null;
    }

    private static Reply Refuse(string code) => Reply.Fail(code, MessageOf(code));

    private static Reply<T> Refuse<T>(string code) => Reply<T>.Fail(code, MessageOf(code));

    private static string MessageOf(string code) => code switch
    {
        ErrorCodes.OrganisationNotFound => "there is no such organization, or you are not a member",
        ErrorCodes.LastOwner => "the owner cannot leave or step down: transfer the ownership first",
        ErrorCodes.MemberNotFound => "the organization has no such member",
        _ => "your role in this organization does not allow this",
    };

    private static InvitationDto ToDto(InvitationRow row) => new(row.Id, row.Role, row.MaxUses, row.Uses, row.ExpiresAt, row.RevokedAt is not null);
}
