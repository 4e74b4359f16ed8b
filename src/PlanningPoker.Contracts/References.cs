namespace PlanningPoker.Contracts;

/// <summary>
/// An estimated story of a team's rooms as calibration shows it: a reference story ("what a 3 looks like"), a similar
/// story or an earlier estimate (docs/api.md, "Reference and similar stories"). Untrusted text: render escaped.
/// </summary>
/// <param name="RoomId">The room (workshop) where it was estimated.</param>
/// <param name="RoomName">The workshop's name.</param>
/// <param name="StoryId">The story in that room.</param>
/// <param name="Title">Its title.</param>
/// <param name="ExternalKey">Its tracker key, if any.</param>
/// <param name="Estimate">The card accepted (its label).</param>
/// <param name="EstimatedAt">When the estimate was accepted.</param>
public sealed record EstimatedStoryDto(string RoomId, string RoomName, int StoryId, string Title, string? ExternalKey, string Estimate, DateTimeOffset EstimatedAt);

/// <summary>A team's reference story, as the team page lists it.</summary>
/// <param name="Story">The story.</param>
/// <param name="MarkedAt">When it was marked as a reference.</param>
/// <param name="MarkedBy">Who marked it (display name; null once their account is gone).</param>
public sealed record ReferenceStoryDto(EstimatedStoryDto Story, DateTimeOffset MarkedAt, string? MarkedBy);

/// <summary>
/// <c>GET /api/orgs/{orgId}/teams/{teamId}/references</c>: the team's reference stories, newest estimate first, and
/// whether the caller may mark and unmark them.
/// </summary>
/// <param name="MayManage">The caller may mark and unmark (the team's facilitators, the organisation's owner and admins).</param>
/// <param name="References">At most <see cref="Limits.ReferencesPerTeam"/>.</param>
public sealed record TeamReferencesDto(bool MayManage, IReadOnlyList<ReferenceStoryDto> References);

/// <summary>The reference stories of one card of a room's deck.</summary>
/// <param name="Card">The card's label.</param>
/// <param name="Stories">At most <see cref="Limits.ReferencesPerCard"/>, newest estimate first.</param>
public sealed record CardReferencesDto(string Card, IReadOnlyList<EstimatedStoryDto> Stories);

/// <summary>
/// <c>GET /api/rooms/{roomId}/references</c>: the room's team's reference stories for the cards of the room's deck,
/// in deck order; cards without any are left out (an ad-hoc room has none).
/// </summary>
/// <param name="Cards">Cards with references.</param>
public sealed record RoomReferencesDto(IReadOnlyList<CardReferencesDto> Cards);

/// <summary>A story like the one being estimated, with how alike they are.</summary>
/// <param name="Story">The story.</param>
/// <param name="Score">Text similarity, from 0 (nothing shared) to 1 (same words).</param>
public sealed record SimilarStoryDto(EstimatedStoryDto Story, double Score);

/// <summary><c>GET /api/rooms/{roomId}/stories/{storyId}/similar</c>: the team's most similar estimated stories, best first.</summary>
/// <param name="Stories">At most <see cref="Limits.SimilarStories"/>.</param>
public sealed record SimilarStoriesDto(IReadOnlyList<SimilarStoryDto> Stories);

/// <summary>
/// <c>GET /api/rooms/{roomId}/stories/{storyId}/earlier</c>: earlier estimates of the story's external key in the team's
/// rooms (this room's other stories included), newest first; empty for a story without a key.
/// </summary>
/// <param name="Estimates">At most <see cref="Limits.EarlierEstimates"/>.</param>
public sealed record EarlierEstimatesDto(IReadOnlyList<EstimatedStoryDto> Estimates);
