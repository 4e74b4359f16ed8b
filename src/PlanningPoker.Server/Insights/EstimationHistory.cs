using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;
using DomainRoundState = PlanningPoker.Domain.RoundState;
using DomainStoryState = PlanningPoker.Domain.StoryState;

namespace PlanningPoker.Server.Insights;

/// <summary>What a team's history is narrowed to: a period, a search text, a workshop, a story state.</summary>
/// <param name="From">The period's first day (UTC), or null for the default period.</param>
/// <param name="To">The period's last day (UTC), or null for today.</param>
/// <param name="Text">Words the title or tracker key contains (case and accents ignored), or null.</param>
/// <param name="RoomId">One workshop, or null for all.</param>
/// <param name="State">One story state, or null for all.</param>
internal sealed record HistoryFilter(DateOnly? From, DateOnly? To, string? Text, string? RoomId, StoryState? State);

/// <summary>
/// A team's estimation history (issue 14; docs/api.md, "Insights"): every story of its workshops with how its
/// estimation went, searchable and filtered, a story's rounds and votes, and exports. The database narrows by team,
/// period, workshop and state (indexed: <c>team_rooms</c>, <c>stories</c>' key, <c>story_facts</c>); a period's
/// stories of one team are few enough (thousands) to search and sort in memory, where accents and case can be
/// ignored the same way on both providers. Votes are shown only for rounds whose cards turned over. Who may read:
/// those who may read the team's insights (<see cref="TeamAction.ReadInsights"/>).
/// </summary>
internal sealed class EstimationHistory(IDbContextFactory<PokerDbContext> contexts, TimeProvider clock)
{
    private static readonly CompareInfo Compare = CultureInfo.InvariantCulture.CompareInfo;

    /// <summary>A page of the team's stories matching <paramref name="filter"/>, newest first.</summary>
    public async Task<Reply<HistoryPageDto>> PageAsync(Guid actor, Guid organisationId, Guid teamId, HistoryFilter filter, int page, int pageSize)
    {
        if (page < 1 || pageSize < 1 || pageSize > Limits.HistoryPageSize)
        {
            return Reply<HistoryPageDto>.Fail(ErrorCodes.ValidationFailed, $"page counts from 1; a page holds 1 to {Limits.HistoryPageSize} stories");
        }

        await using var db = contexts.CreateDbContext();
        var found = await MatchAsync(db, actor, organisationId, teamId, filter);
        if (!found.IsSuccess)
        {
            return Reply<HistoryPageDto>.From(found);
        }

        var (team, period, workshops, stories) = found.Value!;
        return new HistoryPageDto(
            team.Id, team.Name, period.From, period.To, stories.Count, page, pageSize,
            workshops, [.. stories.Skip((page - 1) * pageSize).Take(pageSize)]);
    }

    /// <summary>Every story matching <paramref name="filter"/>, with its rounds and votes (the export), at most <see cref="Limits.HistoryExportStories"/>.</summary>
    public async Task<Reply<TeamHistoryExport>> ExportAsync(Guid actor, Guid organisationId, Guid teamId, HistoryFilter filter)
    {
        await using var db = contexts.CreateDbContext();
        var found = await MatchAsync(db, actor, organisationId, teamId, filter);
        if (!found.IsSuccess)
        {
            return Reply<TeamHistoryExport>.From(found);
        }

        var (team, period, _, stories) = found.Value!;
        if (stories.Count > Limits.HistoryExportStories)
        {
            return Reply<TeamHistoryExport>.Fail(
                ErrorCodes.ValidationFailed,
                $"{stories.Count} stories match; an export holds at most {Limits.HistoryExportStories}: choose a shorter period or a workshop");
        }

        var details = await DetailsAsync(db, stories);
        return new TeamHistoryExport(team.Name, period.From, period.To, [.. stories.Select(s => details[(s.RoomId, s.StoryId)])]);
    }

    /// <summary>One story of the team's workshops with its rounds and votes.</summary>
    public async Task<Reply<HistoryStoryDetailDto>> StoryAsync(Guid actor, Guid organisationId, Guid teamId, string roomId, int storyId)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ReadInsights);
        if (team is null)
        {
            return Reply<HistoryStoryDetailDto>.From(refused!);
        }

        var row = await (
            from s in db.Set<StoryRow>().AsNoTracking()
            where s.RoomId == roomId && s.Id == storyId && TeamRooms.RoomsOf(db, teamId).Contains(s.RoomId)
            join r in db.Set<RoomRow>() on s.RoomId equals r.Id
            join f0 in db.Set<StoryFactsRow>() on new { s.RoomId, StoryId = s.Id } equals new { f0.RoomId, f0.StoryId } into fs
            from f in fs.DefaultIfEmpty()
            select new StoryLine(s.RoomId, r.Name, r.CreatedAt, s.Id, s.Title, s.ExternalKey, s.Url, s.State, s.FinalLabel, f)).SingleOrDefaultAsync();
        if (row is null)
        {
            return Reply<HistoryStoryDetailDto>.Fail(ErrorCodes.StoryNotFound, "this team's workshops have no such story");
        }

        var story = LineOf(row);
        return (await DetailsAsync(db, [story]))[(story.RoomId, story.StoryId)];
    }

    /// <summary>The team's stories matching the filter, newest first, and the period's workshops; or the refusal.</summary>
    private async Task<Reply<Matches>> MatchAsync(PokerDbContext db, Guid actor, Guid organisationId, Guid teamId, HistoryFilter filter)
    {
        if (EstimationInsights.PeriodOf(filter.From, filter.To, clock) is not { } period)
        {
            return Reply<Matches>.Fail(ErrorCodes.ValidationFailed, $"a period runs from a day to a later one, {EstimationInsights.MaxDays} days at most");
        }

        if (filter.Text is { Length: > Limits.HistorySearchLength })
        {
            return Reply<Matches>.Fail(ErrorCodes.ValidationFailed, $"search for {Limits.HistorySearchLength} characters at most");
        }

        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ReadInsights);
        if (team is null)
        {
            return Reply<Matches>.From(refused!);
        }

        var (start, end) = EstimationInsights.BoundsOf(period);
        var rooms = await (
            from tr in db.Set<TeamRoomRow>().AsNoTracking()
            where tr.TeamId == teamId
            join r in db.Set<RoomRow>() on tr.RoomId equals r.Id
            select new { r.Id, r.Name, r.CreatedAt }).ToListAsync();
        var openedInPeriod = rooms
            .Where(r => r.CreatedAt.ToUnixTimeMilliseconds() >= start && r.CreatedAt.ToUnixTimeMilliseconds() < end)
            .Select(r => r.Id)
            .ToList();
        var state = filter.State is { } wanted ? Enum.Parse<DomainStoryState>(wanted.ToString()) : (DomainStoryState?)null;
        var rows = await (
            from s in db.Set<StoryRow>().AsNoTracking()
            where TeamRooms.RoomsOf(db, teamId).Contains(s.RoomId)
                && (filter.RoomId == null || s.RoomId == filter.RoomId)
                && (state == null || s.State == state)
            join r in db.Set<RoomRow>() on s.RoomId equals r.Id
            join f0 in db.Set<StoryFactsRow>() on new { s.RoomId, StoryId = s.Id } equals new { f0.RoomId, f0.StoryId } into fs
            from f in fs.DefaultIfEmpty()
            where (f != null && f.AcceptedAt >= start && f.AcceptedAt < end) || (f == null && openedInPeriod.Contains(s.RoomId))
            select new StoryLine(s.RoomId, r.Name, r.CreatedAt, s.Id, s.Title, s.ExternalKey, s.Url, s.State, s.FinalLabel, f)).ToListAsync();

        var text = filter.Text?.Trim();
        var stories = rows
            .Where(s => string.IsNullOrEmpty(text) || Contains(s.Title, text) || (s.ExternalKey is { } key && Contains(key, text)))
            .Select(LineOf)
            .OrderByDescending(s => s.Date)
            .ThenBy(s => s.RoomId, StringComparer.Ordinal)
            .ThenByDescending(s => s.StoryId)
            .ToList();
        var withFacts = rows.Where(s => s.Facts is not null).Select(s => s.RoomId).ToHashSet(StringComparer.Ordinal);
        var workshops = rooms
            .Where(r => openedInPeriod.Contains(r.Id) || withFacts.Contains(r.Id))
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new HistoryWorkshopDto(r.Id, r.Name, r.CreatedAt))
            .ToList();
        return new Matches(team, period, workshops, stories);
    }

    /// <summary>The stories' rounds (every estimation, oldest first) and their votes once revealed, and who voted.</summary>
    private static async Task<Dictionary<(string RoomId, int StoryId), HistoryStoryDetailDto>> DetailsAsync(PokerDbContext db, IReadOnlyCollection<HistoryStoryDto> stories)
    {
        var roomIds = stories.Select(s => s.RoomId).Distinct(StringComparer.Ordinal).ToList();
        var wanted = stories.Select(s => (s.RoomId, s.StoryId)).ToHashSet();
        var rounds = (await db.Set<RoundRow>().AsNoTracking()
                .Where(r => roomIds.Contains(r.RoomId) && r.StoryId != null)
                .ToListAsync())
            .Where(r => wanted.Contains((r.RoomId, r.StoryId!.Value)))
            .ToList();
        var revealed = rounds.Where(r => r.State is DomainRoundState.Revealed or DomainRoundState.Accepted).Select(r => (r.RoomId, r.Id)).ToHashSet();

        // One story (the detail) asks for its rounds' votes only; many (an export), for their rooms'.
        var roundIds = roomIds.Count == 1 ? rounds.Select(r => r.Id).ToList() : null;
        var votes = (await (
                from v in db.Set<VoteRow>().AsNoTracking()
                where roomIds.Contains(v.RoomId) && (roundIds == null || roundIds.Contains(v.RoundId))
                join p in db.Set<ParticipantRow>() on new { v.RoomId, Id = v.ParticipantId } equals new { p.RoomId, p.Id }
                select new { v.RoomId, v.RoundId, v.Position, v.CardLabel, p.Name }).ToListAsync())
            .Where(v => revealed.Contains((v.RoomId, v.RoundId)))
            .ToLookup(v => (v.RoomId, v.RoundId));
        var storyIds = roomIds.Count == 1 ? stories.Select(s => s.StoryId).ToList() : null;
        var descriptions = await db.Set<StoryRow>().AsNoTracking()
            .Where(s => roomIds.Contains(s.RoomId) && s.Description != null && (storyIds == null || storyIds.Contains(s.Id)))
            .Select(s => new { s.RoomId, s.Id, s.Description })
            .ToListAsync();
        var descriptionOf = descriptions.ToDictionary(d => (d.RoomId, d.Id), d => d.Description);
        var roundsOf = rounds.ToLookup(r => (r.RoomId, r.StoryId!.Value));
        return stories.ToDictionary(
            s => (s.RoomId, s.StoryId),
            s =>
            {
                var its = roundsOf[(s.RoomId, s.StoryId)].OrderBy(r => r.Number).Select(r => new HistoryRoundDto(
                    r.Number,
                    Enum.Parse<RoundState>(r.State.ToString()),
                    r.StartedAt,
                    r.RevealedAt,
                    [.. votes[(r.RoomId, r.Id)].OrderBy(v => v.Position).Select(v => new HistoryVoteDto(v.Name, v.CardLabel))],
                    r.EstimateLabel)).ToList();
                var people = its.SelectMany(r => r.Votes).Select(v => v.Participant).Distinct(StringComparer.Ordinal).Order(StringComparer.CurrentCultureIgnoreCase).ToList();
                return new HistoryStoryDetailDto(s, descriptionOf.GetValueOrDefault((s.RoomId, s.StoryId)), people, its);
            });
    }

    private static bool Contains(string text, string words) =>
        Compare.IndexOf(text, words, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) >= 0;

    private static HistoryStoryDto LineOf(StoryLine s)
    {
        var f = s.Facts;
        return new HistoryStoryDto(
            s.RoomId,
            s.Workshop,
            s.StoryId,
            s.Title,
            s.ExternalKey,
            s.Url,
            Enum.Parse<StoryState>(s.State.ToString()),
            s.State == DomainStoryState.Estimated ? s.FinalLabel : null,
            f is null ? s.OpenedAt : DateTimeOffset.FromUnixTimeMilliseconds(f.AcceptedAt),
            f?.RevealedRounds ?? 0,
            f is null || f.RevealedRounds == 0 ? null : f.FirstRoundConsensus,
            f?.SecondsToAccept is { } seconds ? Math.Round(seconds / 60, 1) : null,
            f?.Votes ?? 0);
    }

    private sealed record StoryLine(
        string RoomId, string Workshop, DateTimeOffset OpenedAt, int StoryId, string Title, string? ExternalKey, string? Url,
        DomainStoryState State, string? FinalLabel, StoryFactsRow? Facts);

    private sealed record Matches(TeamRow Team, (DateOnly From, DateOnly To) Period, IReadOnlyList<HistoryWorkshopDto> Workshops, List<HistoryStoryDto> Stories);
}

/// <summary>A team's history as exported: its stories with their rounds and votes.</summary>
/// <param name="Team">The team's name.</param>
/// <param name="From">The period's first day.</param>
/// <param name="To">The period's last day.</param>
/// <param name="Stories">The stories, newest first.</param>
internal sealed record TeamHistoryExport(string Team, DateOnly From, DateOnly To, IReadOnlyList<HistoryStoryDetailDto> Stories);
