using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PlanningPoker.Domain;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.References;

/// <summary>An estimated story as the similarity index keeps it.</summary>
internal sealed record IndexedStory(string RoomId, int StoryId, string Title, string? ExternalKey, string Estimate, long AcceptedAt);

/// <summary>
/// One <see cref="SimilarityIndex{TKey}"/> per team over the titles of its estimated stories (<c>story_facts</c>),
/// kept in memory on each node (a singleton). Before each lookup one indexed query reads the team's facts count and
/// latest accept time (and a checksum); when they differ from the index's, the index reads only the facts accepted
/// since (a new accept, a re-estimate) and, when the count or checksum still differs (a story sent back, a room taken off the team, a room
/// given to it with its history), is rebuilt. So every node of a cluster sees the accepts of every other within one
/// lookup, and no node is told anything.
/// </summary>
internal sealed partial class SimilarStoriesIndex(IDbContextFactory<PokerDbContext> contexts, ILogger<SimilarStoriesIndex> logger)
{
    private readonly ConcurrentDictionary<Guid, TeamIndex> _teams = new();

    /// <summary>
    /// The team's estimated stories most similar to the text, best first, without <paramref name="skip"/> (the story
    /// being estimated).
    /// </summary>
    public async Task<IReadOnlyList<(IndexedStory Story, double Score)>> SearchAsync(Guid teamId, string title, string? description, (string RoomId, int StoryId) skip, int top, double minScore)
    {
        var team = _teams.GetOrAdd(teamId, _ => new TeamIndex());
        await team.Gate.WaitAsync();
        try
        {
            await RefreshAsync(teamId, team);
            return [.. team.Index.Search(title, description, top, minScore, key => key == skip).Select(f => (team.Stories[f.Key], f.Score))];
        }
        finally
        {
            team.Gate.Release();
        }
    }

    /// <summary>The same search over one ad-hoc room's estimated stories (at most 500: an index built for the call).</summary>
    public async Task<IReadOnlyList<(IndexedStory Story, double Score)>> SearchRoomAsync(string roomId, string title, string? description, int storyId, int top, double minScore)
    {
        await using var db = contexts.CreateDbContext();
        var stories = await Load(db.Set<StoryFactsRow>().Where(f => f.RoomId == roomId)).ToListAsync();
        var index = new SimilarityIndex<(string, int)>();
        foreach (var story in stories)
        {
            index.Add((story.RoomId, story.StoryId), story.Title);
        }

        var byKey = stories.ToDictionary(s => (s.RoomId, s.StoryId));
        return [.. index.Search(title, description, top, minScore, key => key == (roomId, storyId)).Select(f => (byKey[f.Key], f.Score))];
    }

    private async Task RefreshAsync(Guid teamId, TeamIndex team)
    {
        await using var db = contexts.CreateDbContext();
        var facts = db.Set<StoryFactsRow>().AsNoTracking().Where(f => TeamRooms.RoomsOf(db, teamId).Contains(f.RoomId));

        // One query: the count, the latest accept and the sum of the accept times (a checksum: the count alone
        // would miss a story sent back while a room came with one of its own), read from the index by room and time.
        var stamp = await db.Set<TeamRow>().Where(t => t.Id == teamId)
            .Select(t => new Stamp(facts.Count(), facts.Max(f => (long?)f.AcceptedAt) ?? 0, facts.Sum(f => (long?)f.AcceptedAt) ?? 0))
            .SingleOrDefaultAsync() ?? new Stamp(0, 0, 0);
        if (stamp == team.Stamp)
        {
            return;
        }

        if (stamp.LatestAccept >= team.Stamp.LatestAccept && team.Stamp.Count > 0)
        {
            var latest = team.Stamp.LatestAccept;
            var newer = await Load(facts.Where(f => f.AcceptedAt > latest)).ToListAsync();
            foreach (var story in newer)
            {
                team.Add(story);
            }

            if (team.Index.Count == stamp.Count && team.Stories.Values.Sum(s => s.AcceptedAt) == stamp.AcceptTimes)
            {
                team.Stamp = stamp;
                Log.Extended(logger, teamId, newer.Count, stamp.Count);
                return;
            }
        }

        var all = await Load(facts).ToListAsync();
        team.Clear();
        foreach (var story in all)
        {
            team.Add(story);
        }

        team.Stamp = new Stamp(team.Index.Count, all.Count == 0 ? 0 : all.Max(s => s.AcceptedAt), all.Sum(s => s.AcceptedAt));
        Log.Rebuilt(logger, teamId, team.Index.Count);
    }

    /// <summary>Oldest first, so that equal scores go to the newest story (the index prefers the story added last).</summary>
    private static IQueryable<IndexedStory> Load(IQueryable<StoryFactsRow> facts) =>
        facts.OrderBy(f => f.AcceptedAt).Select(f => new IndexedStory(f.RoomId, f.StoryId, f.Title, f.ExternalKey, f.FinalLabel, f.AcceptedAt));

    private sealed record Stamp(int Count, long LatestAccept, long AcceptTimes);

    private sealed class TeamIndex
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SimilarityIndex<(string RoomId, int StoryId)> Index { get; private set; } = new();

        public Dictionary<(string RoomId, int StoryId), IndexedStory> Stories { get; } = [];

        public Stamp Stamp { get; set; } = new(0, 0, 0);

        public void Add(IndexedStory story)
        {
            var key = (story.RoomId, story.StoryId);
            Index.Add(key, story.Title);
            Stories[key] = story;
        }

        public void Clear()
        {
            Index = new();
            Stories.Clear();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1440, Level = LogLevel.Debug, Message = "Similar-story index of team {TeamId} rebuilt: {Stories} stories")]
        public static partial void Rebuilt(ILogger logger, Guid teamId, int stories);

        [LoggerMessage(EventId = 1441, Level = LogLevel.Debug, Message = "Similar-story index of team {TeamId} extended by {Added} stories to {Stories}")]
        public static partial void Extended(ILogger logger, Guid teamId, int added, int stories);
    }
}
