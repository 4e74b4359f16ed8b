using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.References;

/// <summary>
/// Calibration from a team's history (issue 14): the reference stories a team marks, and for a story in a room the
/// team's similar estimated stories and its earlier estimates (same external key). Team side: the team's members read,
/// its facilitators and the organisation's owner and admins mark (<see cref="TeamAction.ManageReferences"/>). Room
/// side: any seat of the room reads its team's; an ad-hoc room has no references, and its similar stories and earlier
/// estimates come from its own estimated stories.
/// </summary>
internal sealed partial class ReferenceStories(IDbContextFactory<PokerDbContext> contexts, SimilarStoriesIndex index, TimeProvider clock, ILogger<ReferenceStories> logger)
{
    /// <summary>The lowest score of a similar story shown (0 to 1): below it, stories share only a word or two of many.</summary>
    public const double MinScore = 0.2;

    /// <summary>The team's reference stories, newest estimate first.</summary>
    public async Task<Reply<TeamReferencesDto>> ListAsync(Guid actor, Guid organisationId, Guid teamId)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ReadReferences);
        if (team is null)
        {
            return Reply<TeamReferencesDto>.From(refused!);
        }

        var (manager, _) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ManageReferences);
        return new TeamReferencesDto(manager is not null, await ReferencesOfAsync(db, teamId));
    }

    /// <summary>Marks an estimated story of one of the team's rooms as a reference (again: nothing changes).</summary>
    public async Task<Reply<ReferenceStoryDto>> MarkAsync(Guid actor, Guid organisationId, Guid teamId, string? roomId, int storyId)
    {
        roomId = Secrets.NormalizeRoomId(roomId);
        if (roomId is null || !Secrets.IsRoomId(roomId) || storyId <= 0)
        {
            return Reply<ReferenceStoryDto>.Fail(ErrorCodes.ValidationFailed, "a room id and a story id are required");
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ManageReferences);
        if (team is null)
        {
            return Reply<ReferenceStoryDto>.From(refused!);
        }

        var estimated = await db.Set<StoryFactsRow>()
            .AnyAsync(f => f.RoomId == roomId && f.StoryId == storyId && TeamRooms.RoomsOf(db, teamId).Contains(f.RoomId));
        if (!estimated)
        {
            return Reply<ReferenceStoryDto>.Fail(ErrorCodes.StoryNotEstimated, "the team's rooms have no such estimated story");
        }

        if (!await db.Set<ReferenceStoryRow>().AnyAsync(r => r.RoomId == roomId && r.StoryId == storyId))
        {
            if (await db.Set<ReferenceStoryRow>().CountAsync(r => r.TeamId == teamId) >= Limits.ReferencesPerTeam)
            {
                return Reply<ReferenceStoryDto>.Fail(ErrorCodes.LimitExceeded, $"a team keeps at most {Limits.ReferencesPerTeam} reference stories");
            }

            db.Add(new ReferenceStoryRow { RoomId = roomId, StoryId = storyId, TeamId = teamId, MarkedBy = actor, MarkedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() });
            try
            {
                await db.SaveChangesAsync();
                Log.Marked(logger, teamId, roomId, storyId);
            }
            catch (DbUpdateException)
            {
                // Marked at the same moment by someone else (the key is the story), or gone back to the backlog since.
                if (!await db.Set<ReferenceStoryRow>().AsNoTracking().AnyAsync(r => r.RoomId == roomId && r.StoryId == storyId))
                {
                    return Reply<ReferenceStoryDto>.Fail(ErrorCodes.StoryNotEstimated, "the team's rooms have no such estimated story");
                }
            }
        }

        return (await ReferencesOfAsync(db, teamId, (roomId, storyId))).Single();
    }

    /// <summary>Unmarks a reference story (one that is not: nothing changes).</summary>
    public async Task<Reply> UnmarkAsync(Guid actor, Guid organisationId, Guid teamId, string? roomId, int storyId)
    {
        roomId = Secrets.NormalizeRoomId(roomId);
        if (roomId is null || !Secrets.IsRoomId(roomId))
        {
            return Reply.Fail(ErrorCodes.ValidationFailed, "a room id and a story id are required");
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ManageReferences);
        if (team is null)
        {
            return refused!;
        }

        if (await db.Set<ReferenceStoryRow>().Where(r => r.TeamId == teamId && r.RoomId == roomId && r.StoryId == storyId).ExecuteDeleteAsync() > 0)
        {
            Log.Unmarked(logger, teamId, roomId, storyId);
        }

        return Reply.Ok;
    }

    /// <summary>The room's team's references for the cards of the room's deck, in deck order, a few per card, newest first.</summary>
    public async Task<Reply<RoomReferencesDto>> ForRoomAsync(IRoomGrain room, int participant)
    {
        var view = await room.GetView(participant);
        if (!view.IsSuccess)
        {
            return Reply<RoomReferencesDto>.From(view);
        }

        await using var db = contexts.CreateDbContext();
        if (await TeamOfAsync(db, room) is not { } team)
        {
            return new RoomReferencesDto([]);
        }

        var references = (await ReferencesOfAsync(db, team.Id)).ToLookup(r => r.Story.Estimate, StringComparer.Ordinal);
        return new RoomReferencesDto([.. view.Value!.Deck.Cards!
            .Where(c => c.Kind == CardKind.Regular && references.Contains(c.Label))
            .Select(c => new CardReferencesDto(c.Label, [.. references[c.Label].Take(Limits.ReferencesPerCard).Select(r => r.Story)]))]);
    }

    /// <summary>
    /// The estimated stories most similar to a story of the room: the team's (an ad-hoc room's own), best first, the
    /// story itself left out; refused while its round is not revealed, unless the team shows them before.
    /// </summary>
    public async Task<Reply<SimilarStoriesDto>> SimilarAsync(IRoomGrain room, int participant, int storyId)
    {
        var view = await room.GetView(participant);
        if (!view.IsSuccess)
        {
            return Reply<SimilarStoriesDto>.From(view);
        }

        var story = await room.GetStory(participant, storyId);
        if (!story.IsSuccess)
        {
            return Reply<SimilarStoriesDto>.From(story);
        }

        await using var db = contexts.CreateDbContext();
        var team = await TeamOfAsync(db, room);
        if (SimilarRule.Refusal(view.Value!, storyId, team?.SimilarBeforeReveal ?? false) is { } refusal)
        {
            return Reply<SimilarStoriesDto>.Fail(refusal, "similar stories show once the story's cards are revealed");
        }

        var roomId = room.GetPrimaryKeyString();
        var (title, description) = (story.Value!.Title, story.Value.Description);
        var found = team is null
            ? await index.SearchRoomAsync(roomId, title, description, storyId, Limits.SimilarStories, MinScore)
            : await index.SearchAsync(team.Id, title, description, (roomId, storyId), Limits.SimilarStories, MinScore);
        var names = await NamesAsync(db, found.Select(f => f.Story.RoomId));
        return new SimilarStoriesDto([.. found.Select(f => new SimilarStoryDto(Dto(f.Story, names), Math.Round(f.Score, 3)))]);
    }

    /// <summary>Earlier estimates of the story's external key in the team's rooms (an ad-hoc room's own), newest first, this one left out.</summary>
    public async Task<Reply<EarlierEstimatesDto>> EarlierAsync(IRoomGrain room, int participant, int storyId)
    {
        var story = await room.GetStory(participant, storyId);
        if (!story.IsSuccess)
        {
            return Reply<EarlierEstimatesDto>.From(story);
        }

        if (story.Value!.ExternalKey is not { Length: > 0 } key)
        {
            return new EarlierEstimatesDto([]);
        }

        await using var db = contexts.CreateDbContext();
        var roomId = room.GetPrimaryKeyString();
        var team = await TeamOfAsync(db, room);
        var facts = db.Set<StoryFactsRow>().AsNoTracking().Where(f => f.ExternalKey == key && !(f.RoomId == roomId && f.StoryId == storyId));
        facts = team is null ? facts.Where(f => f.RoomId == roomId) : facts.Where(f => TeamRooms.RoomsOf(db, team.Id).Contains(f.RoomId));
        var rows = await facts.OrderByDescending(f => f.AcceptedAt).Take(Limits.EarlierEstimates)
            .Select(f => new IndexedStory(f.RoomId, f.StoryId, f.Title, f.ExternalKey, f.FinalLabel, f.AcceptedAt)).ToListAsync();
        var names = await NamesAsync(db, rows.Select(r => r.RoomId));
        return new EarlierEstimatesDto([.. rows.Select(r => Dto(r, names))]);
    }

    /// <summary>The room's team, read here (the grain's word alone would keep a deleted team's rooms in it); null for an ad-hoc room.</summary>
    private static async Task<TeamRow?> TeamOfAsync(PokerDbContext db, IRoomGrain room)
    {
        if (await room.GetTeam() is not { } teamId)
        {
            return null;
        }

        var roomId = room.GetPrimaryKeyString();
        return await (
            from tr in db.Set<TeamRoomRow>()
            where tr.RoomId == roomId && tr.TeamId == teamId
            join t in db.Set<TeamRow>() on tr.TeamId equals t.Id
            select t).AsNoTracking().SingleOrDefaultAsync();
    }

    /// <summary>The team's references with their stories, newest estimate first (while their rooms are the team's).</summary>
    private static async Task<List<ReferenceStoryDto>> ReferencesOfAsync(PokerDbContext db, Guid teamId, (string RoomId, int StoryId)? only = null)
    {
        var references = db.Set<ReferenceStoryRow>().AsNoTracking().Where(r => r.TeamId == teamId && TeamRooms.RoomsOf(db, teamId).Contains(r.RoomId));
        if (only is var (roomId, storyId))
        {
            references = references.Where(r => r.RoomId == roomId && r.StoryId == storyId);
        }

        var rows = await (
            from r in references
            join f in db.Set<StoryFactsRow>() on new { r.RoomId, r.StoryId } equals new { f.RoomId, f.StoryId }
            join room in db.Set<RoomRow>() on r.RoomId equals room.Id
            select new { r.RoomId, r.StoryId, r.MarkedBy, r.MarkedAt, RoomName = room.Name, f.Title, f.ExternalKey, f.FinalLabel, f.AcceptedAt }).ToListAsync();
        var markers = rows.Where(r => r.MarkedBy is not null).Select(r => r.MarkedBy!.Value).Distinct().ToArray();
        var names = await db.Set<Account>().AsNoTracking().Where(a => markers.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName);
        return [.. rows.OrderByDescending(r => r.AcceptedAt).ThenByDescending(r => r.StoryId).Select(r => new ReferenceStoryDto(
            new EstimatedStoryDto(r.RoomId, r.RoomName, r.StoryId, r.Title, r.ExternalKey, r.FinalLabel, DateTimeOffset.FromUnixTimeMilliseconds(r.AcceptedAt)),
            DateTimeOffset.FromUnixTimeMilliseconds(r.MarkedAt),
            r.MarkedBy is { } by ? names.GetValueOrDefault(by) : null))];
    }

    private static async Task<Dictionary<string, string>> NamesAsync(PokerDbContext db, IEnumerable<string> roomIds)
    {
        var ids = roomIds.Distinct().ToArray();
        return await db.Set<RoomRow>().AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name);
    }

    private static EstimatedStoryDto Dto(IndexedStory s, Dictionary<string, string> names) =>
        new(s.RoomId, names.GetValueOrDefault(s.RoomId, s.RoomId), s.StoryId, s.Title, s.ExternalKey, s.Estimate, DateTimeOffset.FromUnixTimeMilliseconds(s.AcceptedAt));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1442, Level = LogLevel.Information, Message = "Story {StoryId} of room {RoomCode} marked as a reference of team {TeamId}")]
        public static partial void Marked(ILogger logger, Guid teamId, string roomCode, int storyId);

        [LoggerMessage(EventId = 1443, Level = LogLevel.Information, Message = "Story {StoryId} of room {RoomCode} no longer a reference of team {TeamId}")]
        public static partial void Unmarked(ILogger logger, Guid teamId, string roomCode, int storyId);
    }
}

/// <summary>When a room may show a story's similar stories: anchoring is why not before the reveal.</summary>
public static class SimilarRule
{
    /// <summary>
    /// Null when allowed: the story is estimated, or the room's round on it is revealed, or the team shows similar
    /// stories before the reveal; else <see cref="ErrorCodes.NotRevealedYet"/> (a story waiting or being voted on).
    /// </summary>
    public static string? Refusal(RoomViewDto view, int storyId, bool beforeReveal)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (beforeReveal)
        {
            return null;
        }

        if (view.CurrentRound is { } round && round.StoryId == storyId)
        {
            return round.State is RoundState.Voting ? ErrorCodes.NotRevealedYet : null;
        }

        return view.Stories.FirstOrDefault(s => s.Id == storyId)?.State is StoryState.Estimated ? null : ErrorCodes.NotRevealedYet;
    }
}
