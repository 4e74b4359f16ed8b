using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Components;

/// <summary>
/// What was just accepted, for the stage ("Accepted: PP-101: 5" between rounds, "Accepted: PP-101 · 5" above the next
/// round): follows the rounds a page sees, one view after another (RoomPage feeds it every view). A round that ends
/// with its story estimated names that story until a round ends otherwise (cancelled, skipped) or another estimate is
/// accepted; a re-vote keeps it. With auto-advance the accept and the next story's round come in one push, so the page
/// never sees a lobby in between: the ended round's story is read from the view that replaced it.
/// </summary>
internal sealed class LastAccepted
{
    private int? _roundSeen;
    private int? _roundStorySeen;

    /// <summary>The story whose estimate was accepted last, or null.</summary>
    public int? StoryId { get; private set; }

    /// <summary>Takes the next view; true when the open round changed (one started, ended, or took another's place).</summary>
    public bool Follow(RoomViewDto view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var round = view.CurrentRound;
        if (round?.Id == _roundSeen)
        {
            return false;
        }

        if (_roundSeen is not null && !(round is not null && round.StoryId == _roundStorySeen))
        {
            // A round ended (or gave way to one on another story): accepted if its story is estimated now.
            StoryId = _roundStorySeen is { } ended && view.Stories.FirstOrDefault(s => s.Id == ended) is { State: StoryState.Estimated } ? ended : null;
        }

        _roundSeen = round?.Id;
        _roundStorySeen = round?.StoryId;
        return true;
    }

    /// <summary>The accepted story as the view has it, while it is estimated and not on the table again; else null.</summary>
    public StoryDto? Story(RoomViewDto view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return StoryId is { } id && view.CurrentRound?.StoryId != id
            && view.Stories.FirstOrDefault(s => s.Id == id) is { State: StoryState.Estimated, Estimate: not null } story
            ? story
            : null;
    }
}
