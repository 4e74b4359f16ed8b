using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.SignalR;

namespace PlanningPoker.Bench.Bare;

/// <summary>
/// The ceiling's hub: what SignalR alone costs for the product's round pattern, with no domain, grain or storage.
/// <c>Join(group, token)</c> adds the connection to the group (the token is the seat number the REST join handed
/// out, so pushes name voters by a small number as the product's do); <c>StartRound(group)</c> broadcasts a round
/// start; <c>Vote(group, card)</c> sends <c>(sender, card)</c> to the others in the group and, once every member
/// has voted, broadcasts the reveal. No filter, no rate limit, no logging per call.
/// </summary>
internal sealed class BareHub : Hub
{
    /// <summary>Where the hub listens.</summary>
    public const string Path = "/hubs/bare";

    /// <summary>Push: a round opened; argument: its number.</summary>
    public const string RoundStartedPush = "RoundStarted";

    /// <summary>Push to the others: someone voted; arguments: sender, card.</summary>
    public const string VoteCastPush = "VoteCast";

    /// <summary>Push to all: every member voted; argument: the round's number.</summary>
    public const string RevealedPush = "Revealed";

    private const string MemberKey = "member";

    private readonly BareRooms _rooms;

    public BareHub(BareRooms rooms) => _rooms = rooms;

    /// <summary>Takes a seat: joins the group; returns the number of members.</summary>
    public async Task<int> Join(string group, string token)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var participant))
        {
            throw new HubException("ValidationFailed: the token is a seat number");
        }

        if (_rooms.Find(group) is not { } room)
        {
            throw new HubException("RoomNotFound: there is no such room");
        }

        if (Context.Items.ContainsKey(MemberKey))
        {
            throw new HubException("ValidationFailed: this connection has joined already");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        Context.Items[MemberKey] = new Member(group, room, participant);
        return room.AddMember();
    }

    /// <summary>Opens a round: resets the group's votes and tells every member.</summary>
    public Task StartRound(string group)
    {
        var member = MemberOf(group);
        var round = member.Room.StartRound();
        return Clients.Group(group).SendAsync(RoundStartedPush, round);
    }

    /// <summary>Votes: the others see <c>(sender, card)</c>; the vote that completes the round reveals it to all.</summary>
    public async Task Vote(string group, string card)
    {
        var member = MemberOf(group);
        var (round, complete) = member.Room.Vote(member.Participant);
        await Clients.OthersInGroup(group).SendAsync(VoteCastPush, member.Participant, card);
        if (complete)
        {
            await Clients.Group(group).SendAsync(RevealedPush, round);
        }
    }

    /// <inheritdoc />
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(MemberKey, out var value) && value is Member member)
        {
            member.Room.RemoveMember();
        }

        return base.OnDisconnectedAsync(exception);
    }

    private Member MemberOf(string group) =>
        Context.Items.TryGetValue(MemberKey, out var value) && value is Member member && member.Group == group
            ? member
            : throw new HubException("NotJoined: join the group first");

    private sealed record Member(string Group, BareRoom Room, int Participant);
}

/// <summary>The bare rooms: trivial ids, a seat counter, and per-round vote counting. A singleton.</summary>
internal sealed class BareRooms
{
    private readonly ConcurrentDictionary<string, BareRoom> _rooms = new(StringComparer.Ordinal);
    private long _next;

    /// <summary>A new room; its creator has seat 1.</summary>
    public string Create()
    {
        var id = "r" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        _rooms[id] = new BareRoom();
        return id;
    }

    public BareRoom? Find(string id) => _rooms.TryGetValue(id, out var room) ? room : null;
}

/// <summary>One bare room's state, behind a lock (a handful of members, two calls per member per round).</summary>
internal sealed class BareRoom
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _voted = [];
    private int _seats = 1;
    private int _members;
    private int _round;

    /// <summary>Hands out the next seat number.</summary>
    public int TakeSeat() => Interlocked.Increment(ref _seats);

    public int AddMember()
    {
        lock (_gate)
        {
            return ++_members;
        }
    }

    public void RemoveMember()
    {
        lock (_gate)
        {
            _members--;
        }
    }

    public int StartRound()
    {
        lock (_gate)
        {
            _voted.Clear();
            return ++_round;
        }
    }

    /// <summary>Counts a vote (a change of card counts once); true when every member has voted.</summary>
    public (int Round, bool Complete) Vote(int participant)
    {
        lock (_gate)
        {
            var first = _voted.Add(participant);
            return (_round, first && _voted.Count == _members);
        }
    }
}
