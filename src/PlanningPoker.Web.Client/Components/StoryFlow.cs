using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Components;

/// <summary>What comes next in the backlog, and where focus goes once a round moves on.</summary>
internal static class StoryFlow
{
    /// <summary>The first pending story in backlog order, or null when none is left.</summary>
    public static StoryDto? NextPending(IReadOnlyList<StoryDto> stories) => stories.FirstOrDefault(s => s.State == StoryState.Pending);

    /// <summary>Every story has been estimated or skipped (and there is at least one).</summary>
    public static bool BacklogDone(IReadOnlyList<StoryDto> stories) =>
        stories.Count > 0 && stories.All(s => s.State is not (StoryState.Pending or StoryState.Estimating));

    /// <summary>How a story is named in one line: its tracker key, else its title.</summary>
    public static string ShortName(StoryDto story) => story.ExternalKey ?? story.Title;

    /// <summary>
    /// The control that comes next in the room's state, by id: voters their hand (the card played, else the first),
    /// facilitators Reveal while voting, Accept once revealed, "Estimate next" (else the quick vote) in the lobby.
    /// </summary>
    public static string? FocusTarget(RoomViewDto view, ParticipantDto? me)
    {
        var facilitator = me?.Role == Role.Facilitator;
        switch (view.State)
        {
            case RoomState.Voting when me?.IsVoter == true:
                var cards = view.Deck.Cards ?? [];
                var played = cards.ToList().FindIndex(c => c.Label == me.Card);
                return $"card-{Math.Max(played, 0)}";
            case RoomState.Voting:
                return facilitator ? "reveal-button" : null;
            case RoomState.Revealed:
                return facilitator ? "accept-button" : null;
            default:
                return facilitator ? NextPending(view.Stories) is null ? "quick-vote" : "estimate-next" : "room-title";
        }
    }
}
