using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Teams;

/// <summary>A team room as a join sees it: the team's name and guest rule, and the joiner's place in its organisation.</summary>
/// <param name="TeamName">The team.</param>
/// <param name="GuestsAllowed">People outside the organisation may join.</param>
/// <param name="Role">The joiner's role in the organisation, or null (outside it, or not signed in).</param>
/// <param name="TeamRole">The joiner's place in the team.</param>
internal sealed record TeamRoomAccess(string TeamName, bool GuestsAllowed, OrganisationRole? Role, TeamRole TeamRole);

/// <summary>
/// What teams do with rooms: their defaults (deck from the organisation's deck templates, room settings, guests), the
/// rooms they open and the ad-hoc rooms given to them, and what a join needs to know of a team room. The rooms
/// themselves stay their grains' (the team only lists them in <c>team_rooms</c>); every method checks the caller's
/// membership and role (<see cref="OrganisationRules.MayInTeam"/>) and a refusal changes nothing.
/// </summary>
internal sealed partial class TeamRooms(IDbContextFactory<PokerDbContext> contexts, IGrainFactory grains, IOptions<WebOptions> web, TimeProvider clock, ILogger<TeamRooms> logger)
{
    private static readonly TimeSpan ActiveFor = TimeSpan.FromDays(1);

    /// <summary>The organisation's deck templates, by name (members).</summary>
    public async Task<Reply<IReadOnlyList<DeckTemplateDto>>> DecksAsync(Guid actor, Guid organisationId)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await Organisations.RoleOfAsync(db, organisationId, actor), OrganisationAction.View) is { } refused)
        {
            return Reply<IReadOnlyList<DeckTemplateDto>>.Fail(refused, MessageOf(refused));
        }

        var rows = await db.Set<DeckTemplateRow>().Where(d => d.OrganisationId == organisationId).ToListAsync();
        return Reply<IReadOnlyList<DeckTemplateDto>>.Of([.. rows.OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase).Select(ToDto)]);
    }

    /// <summary>Saves a new deck template (<paramref name="deckId"/> null) or changes one (owner, admins).</summary>
    public async Task<Reply<DeckTemplateDto>> SaveDeckAsync(Guid actor, Guid organisationId, Guid? deckId, SaveDeckTemplateRequest? request)
    {
        var name = request?.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > Limits.DeckTemplateNameLength || name.Any(char.IsControl))
        {
            return Reply<DeckTemplateDto>.Fail(ErrorCodes.ValidationFailed, $"a deck's name has 1 to {Limits.DeckTemplateNameLength} characters");
        }

        var deck = request!.Deck.ToDomain();
        if (!deck.IsSuccess)
        {
            return Reply<DeckTemplateDto>.Fail(deck.Error!);
        }

        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await Organisations.RoleOfAsync(db, organisationId, actor), OrganisationAction.ManageDecks) is { } refused)
        {
            return Reply<DeckTemplateDto>.Fail(refused, MessageOf(refused));
        }

        var others = await db.Set<DeckTemplateRow>().Where(d => d.OrganisationId == organisationId && d.Id != deckId).Select(d => d.Name).ToListAsync();
        if (others.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return Reply<DeckTemplateDto>.Fail(ErrorCodes.NameTaken, "the organization has a deck of that name");
        }

        DeckTemplateRow? row;
        if (deckId is null)
        {
            if (others.Count >= Limits.DeckTemplatesPerOrganisation)
            {
                return Reply<DeckTemplateDto>.Fail(ErrorCodes.LimitExceeded, $"an organization keeps at most {Limits.DeckTemplatesPerOrganisation} decks");
            }

            var now = clock.GetUtcNow();
            row = new DeckTemplateRow { Id = Guid.CreateVersion7(now), OrganisationId = organisationId, CreatedAt = now };
            db.Add(row);
        }
        else if ((row = await db.Set<DeckTemplateRow>().SingleOrDefaultAsync(d => d.Id == deckId && d.OrganisationId == organisationId)) is null)
        {
            return Reply<DeckTemplateDto>.Fail(ErrorCodes.DeckTemplateNotFound, "the organization has no such deck");
        }

        // Stored as the deck the room would use, so that a template always opens a room.
        row.Name = name;
        row.DeckJson = JsonSerializer.Serialize(deck.Value!.ToDto(), JsonSerializerOptions.Web);
        await db.SaveChangesAsync();
        return ToDto(row);
    }

    /// <summary>Deletes a deck template (owner, admins); teams that took their deck from it keep the deck.</summary>
    public async Task<Reply> DeleteDeckAsync(Guid actor, Guid organisationId, Guid deckId)
    {
        await using var db = contexts.CreateDbContext();
        if (OrganisationRules.May(await Organisations.RoleOfAsync(db, organisationId, actor), OrganisationAction.ManageDecks) is { } refused)
        {
            return Reply.Fail(refused, MessageOf(refused));
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var deleted = await db.Set<DeckTemplateRow>().Where(d => d.Id == deckId && d.OrganisationId == organisationId).ExecuteDeleteAsync();
        await db.Set<TeamRow>().Where(t => t.OrganisationId == organisationId && t.DeckTemplateId == deckId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.DeckTemplateId, (Guid?)null));
        await transaction.CommitAsync();
        return deleted == 0 ? Reply.Fail(ErrorCodes.DeckTemplateNotFound, "the organization has no such deck") : Reply.Ok;
    }

    /// <summary>A team's defaults (members of the organisation).</summary>
    public async Task<Reply<TeamSettingsDto>> SettingsAsync(Guid actor, Guid organisationId, Guid teamId)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamForAsync(db, actor, organisationId, teamId, TeamAction.View);
        return team is null ? Reply<TeamSettingsDto>.From(refused!) : SettingsOf(team);
    }

    /// <summary>Changes a team's defaults (owner, admins, the team's facilitators); rooms already open keep theirs.</summary>
    public async Task<Reply<TeamSettingsDto>> UpdateSettingsAsync(Guid actor, Guid organisationId, Guid teamId, UpdateTeamSettingsRequest? request)
    {
        if (request is null)
        {
            return Reply<TeamSettingsDto>.Fail(ErrorCodes.ValidationFailed, "settings are required");
        }

        if (request.Room.ToDomain().Validate() is { } invalid)
        {
            return Reply<TeamSettingsDto>.Fail(invalid);
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamForAsync(db, actor, organisationId, teamId, TeamAction.ChangeSettings);
        if (team is null)
        {
            return Reply<TeamSettingsDto>.From(refused!);
        }

        DeckDto deck;
        if (request.DeckTemplateId is { } templateId)
        {
            var template = await db.Set<DeckTemplateRow>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == templateId && d.OrganisationId == organisationId);
            if (template is null)
            {
                return Reply<TeamSettingsDto>.Fail(ErrorCodes.DeckTemplateNotFound, "the organization has no such deck");
            }

            deck = ToDto(template).Deck;
        }
        else
        {
            var own = request.Deck.ToDomain();
            if (!own.IsSuccess)
            {
                return Reply<TeamSettingsDto>.Fail(own.Error!);
            }

            deck = own.Value!.ToDto();
        }

        team.DeckTemplateId = request.DeckTemplateId;
        team.DeckJson = JsonSerializer.Serialize(deck, JsonSerializerOptions.Web);
        team.RoomSettingsJson = JsonSerializer.Serialize(request.Room, JsonSerializerOptions.Web);
        team.GuestsAllowed = request.GuestsAllowed;
        team.SimilarBeforeReveal = request.SimilarBeforeReveal ?? team.SimilarBeforeReveal;
        await db.SaveChangesAsync();
        return SettingsOf(team);
    }

    /// <summary>Opens a room with the team's defaults; the caller is its first facilitator, seated as their account (owner, admins, the team's members).</summary>
    public async Task<Reply<CreateRoomResponse>> OpenRoomAsync(Guid actor, Guid organisationId, Guid teamId, CreateTeamRoomRequest? request)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamForAsync(db, actor, organisationId, teamId, TeamAction.OpenRoom);
        if (team is null)
        {
            return Reply<CreateRoomResponse>.From(refused!);
        }

        var name = await db.Set<Account>().Where(a => a.Id == actor).Select(a => a.DisplayName).SingleAsync();
        var settings = SettingsOf(team);
        var roomId = Secrets.NewRoomId();
        var created = await grains.Room(roomId).CreateAs(new CreateRoomRequest(request?.Name!, name, settings.Deck, settings.Room), new SeatHolder(actor, true));
        if (!created.IsSuccess)
        {
            return Reply<CreateRoomResponse>.From(created);
        }

        db.Add(new TeamRoomRow { RoomId = roomId, TeamId = teamId, AttachedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync();
        await grains.Room(roomId).SetTeam(teamId);
        Log.RoomOpened(logger, roomId, teamId);
        var seat = created.Value!;
        return new CreateRoomResponse(roomId, seat.ParticipantId, seat.Token, web.Value.LinkTo($"rooms/{roomId}"));
    }

    /// <summary>Gives the team an ad-hoc room: the caller proves they facilitate it with their seat's token (owner, admins, the team's members).</summary>
    public async Task<Reply> AttachAsync(Guid actor, Guid organisationId, Guid teamId, AttachRoomRequest? request)
    {
        var roomId = Secrets.NormalizeRoomId(request?.RoomId);
        if (roomId is null || !Secrets.IsRoomId(roomId) || string.IsNullOrEmpty(request!.Token))
        {
            return Reply.Fail(ErrorCodes.ValidationFailed, "a room id and your seat's token in it are required");
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamForAsync(db, actor, organisationId, teamId, TeamAction.OpenRoom);
        if (team is null)
        {
            return refused!;
        }

        var grain = grains.Room(roomId);
        var seat = await grain.Authenticate(request.Token);
        if (!seat.IsSuccess)
        {
            return seat;
        }

        // Only a facilitator is shown the facilitator key: asking for it is the check.
        var facilitates = await grain.GetFacilitatorKey(seat.Value);
        if (!facilitates.IsSuccess)
        {
            return facilitates;
        }

        var current = await db.Set<TeamRoomRow>().SingleOrDefaultAsync(r => r.RoomId == roomId);
        if (current is not null)
        {
            return current.TeamId == teamId ? Reply.Ok : Reply.Fail(ErrorCodes.NotAllowed, "the room belongs to another team");
        }

        db.Add(new TeamRoomRow { RoomId = roomId, TeamId = teamId, AttachedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync();
        await grain.SetTeam(teamId);
        return Reply.Ok;
    }

    /// <summary>A team's rooms: active ones (changed within a day) first, then past ones, most recent first (members of the organisation).</summary>
    public async Task<Reply<IReadOnlyList<TeamRoomDto>>> RoomsAsync(Guid actor, Guid organisationId, Guid teamId)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamForAsync(db, actor, organisationId, teamId, TeamAction.View);
        if (team is null)
        {
            return Reply<IReadOnlyList<TeamRoomDto>>.From(refused!);
        }

        var rows = await (
            from t in db.Set<TeamRoomRow>()
            where t.TeamId == teamId
            join r in db.Set<RoomRow>() on t.RoomId equals r.Id
            select new
            {
                r.Id,
                r.Name,
                r.CreatedAt,
                r.UpdatedAt,
                Stories = db.Set<StoryRow>().Count(s => s.RoomId == r.Id),
                Estimated = db.Set<StoryRow>().Count(s => s.RoomId == r.Id && s.State == Domain.StoryState.Estimated),
            }).ToListAsync();

        // Ordered here: SQLite cannot order by a time with an offset.
        var now = clock.GetUtcNow();
        return Reply<IReadOnlyList<TeamRoomDto>>.Of([.. rows
            .Select(r => new TeamRoomDto(r.Id, r.Name, r.CreatedAt, r.UpdatedAt, now - r.UpdatedAt < ActiveFor, r.Stories, r.Estimated))
            .OrderByDescending(r => r.LastActiveAt).Take(Limits.RoomsListed)]);
    }

    /// <summary>The rooms where <paramref name="account"/> holds a seat, most recently active first.</summary>
    public async Task<IReadOnlyList<AccountRoomDto>> RoomsOfAsync(Guid account)
    {
        await using var db = contexts.CreateDbContext();
        var rows = await (
            from p in db.Set<ParticipantRow>()
            where p.AccountId == account && p.LeftAt == null
            join r in db.Set<RoomRow>() on p.RoomId equals r.Id
            join tr in db.Set<TeamRoomRow>() on r.Id equals tr.RoomId into teamRooms
            from tr in teamRooms.DefaultIfEmpty()
            join t in db.Set<TeamRow>() on tr.TeamId equals t.Id into teams
            from t in teams.DefaultIfEmpty()
            select new { r.Id, r.Name, TeamId = (Guid?)t.Id, TeamName = t.Name, r.UpdatedAt }).ToListAsync();
        return [.. rows.OrderByDescending(r => r.UpdatedAt).Take(Limits.RoomsListed).Select(r => new AccountRoomDto(r.Id, r.Name, r.TeamId, r.TeamName, r.UpdatedAt))];
    }

    /// <summary>
    /// Decides a join of <paramref name="roomId"/> by <paramref name="account"/> (null for a guest): refused when the
    /// room's team allows no guests and the joiner is not in its organisation; else the request (a signed-in person
    /// who typed no name is given their account's; one who typed one keeps it, on a seat they already hold too) and the seat's holder (null for a guest; a facilitator for the
    /// team's facilitators).
    /// </summary>
    public async Task<(Reply? Refused, JoinRoomRequest Request, SeatHolder? Holder)> PrepareJoinAsync(string roomId, JoinRoomRequest request, Guid? account)
    {
        var facilitates = false;
        if (await AccessAsync(roomId, account) is { } access)
        {
            (var refusal, facilitates) = OrganisationRules.TeamRoomSeat(access.Role, access.TeamRole, access.GuestsAllowed);
            if (refusal is not null)
            {
                return (Reply.Fail(refusal, "this team's rooms are for the members of its organization: sign in"), request, null);
            }
        }

        if (account is not { } id)
        {
            return (null, request, null);
        }

        var chosen = !string.IsNullOrWhiteSpace(request.DisplayName);
        if (!chosen)
        {
            await using var db = contexts.CreateDbContext();
            request = request with { DisplayName = await db.Set<Account>().Where(a => a.Id == id).Select(a => a.DisplayName).SingleAsync() };
        }

        return (null, request, new SeatHolder(id, facilitates, chosen));
    }

    /// <summary>A room's public info with its team's name, and whether only members of the organisation may join.</summary>
    public async Task<RoomInfoDto> DescribeAsync(RoomInfoDto info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return await AccessAsync(info.RoomId, null) is { } access ? info with { TeamName = access.TeamName, MembersOnly = !access.GuestsAllowed } : info;
    }

    /// <summary>
    /// What a join of <paramref name="roomId"/> must know when the room belongs to a team; null for an ad-hoc room. The
    /// room's grain knows its team (no query for an ad-hoc room, the usual case); the team itself is read here, so that
    /// a deleted team's rooms are ad-hoc at once.
    /// </summary>
    public async Task<TeamRoomAccess?> AccessAsync(string roomId, Guid? account)
    {
        if (await grains.Room(roomId).GetTeam() is not { } teamId)
        {
            return null;
        }

        await using var db = contexts.CreateDbContext();
        var team = await (
            from tr in db.Set<TeamRoomRow>()
            where tr.RoomId == roomId && tr.TeamId == teamId
            join t in db.Set<TeamRow>() on tr.TeamId equals t.Id
            select new { t.Id, t.OrganisationId, t.Name, t.GuestsAllowed }).SingleOrDefaultAsync();
        if (team is null)
        {
            return null;
        }

        if (account is not { } id)
        {
            return new TeamRoomAccess(team.Name, team.GuestsAllowed, null, TeamRole.None);
        }

        var role = await Organisations.RoleOfAsync(db, team.OrganisationId, id);
        var teamRole = await TeamRoleOfAsync(db, team.Id, id);
        return new TeamRoomAccess(team.Name, team.GuestsAllowed, role, teamRole);
    }

    /// <summary>The rooms of a team, as a query to compose (other features' reports join it rather than read <c>team_rooms</c>).</summary>
    internal static IQueryable<string> RoomsOf(PokerDbContext db, Guid teamId) =>
        db.Set<TeamRoomRow>().Where(r => r.TeamId == teamId).Select(r => r.RoomId);

    /// <summary>The rooms of an organisation's teams (room and team), as a query to compose.</summary>
    internal static IQueryable<TeamRoomRow> RoomsOfOrganisation(PokerDbContext db, Guid organisationId) =>
        db.Set<TeamRoomRow>().Where(room => db.Set<TeamRow>().Any(team => team.Id == room.TeamId && team.OrganisationId == organisationId));

    internal static async Task<(TeamRow? Team, Reply? Refused)> TeamForAsync(PokerDbContext db, Guid actor, Guid organisationId, Guid teamId, TeamAction action)
    {
        var role = await Organisations.RoleOfAsync(db, organisationId, actor);
        if (role is null)
        {
            return (null, Reply.Fail(ErrorCodes.OrganisationNotFound, MessageOf(ErrorCodes.OrganisationNotFound)));
        }

        var team = await db.Set<TeamRow>().SingleOrDefaultAsync(t => t.Id == teamId && t.OrganisationId == organisationId);
        if (team is null)
        {
            return (null, Reply.Fail(ErrorCodes.TeamNotFound, "this organization has no such team"));
        }

        return OrganisationRules.MayInTeam(role, await TeamRoleOfAsync(db, teamId, actor), action) is { } refused
            ? (null, Reply.Fail(refused, MessageOf(refused)))
            : (team, null);
    }

    private static async Task<TeamRole> TeamRoleOfAsync(PokerDbContext db, Guid teamId, Guid account)
    {
        var facilitates = await db.Set<TeamMemberRow>().Where(m => m.TeamId == teamId && m.AccountId == account).Select(m => (bool?)m.IsFacilitator).SingleOrDefaultAsync();
        return facilitates switch
        {
            null => TeamRole.None,
            true => TeamRole.Facilitator,
            false => TeamRole.Member,
        };
    }

    private static TeamSettingsDto SettingsOf(TeamRow team) => new(
        team.DeckTemplateId,
        team.DeckJson is null ? Deck.Default.ToDto() : JsonSerializer.Deserialize<DeckDto>(team.DeckJson, JsonSerializerOptions.Web)!,
        team.RoomSettingsJson is null ? RoomSettings.Default.ToDto() : JsonSerializer.Deserialize<RoomSettingsDto>(team.RoomSettingsJson, JsonSerializerOptions.Web)!,
        team.GuestsAllowed,
        team.SimilarBeforeReveal);

    private static DeckTemplateDto ToDto(DeckTemplateRow row) =>
        new(row.Id, row.Name, JsonSerializer.Deserialize<DeckDto>(row.DeckJson, JsonSerializerOptions.Web)!);

    private static string MessageOf(string code) => code switch
    {
        ErrorCodes.OrganisationNotFound => "there is no such organization, or you are not a member",
        _ => "your role in this organization or team does not allow this",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Team {TeamId} opened room {RoomId}")]
        public static partial void RoomOpened(ILogger logger, string roomId, Guid teamId);
    }
}
