using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using PlanningPoker.Domain;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// A live room played the way the room grain plays it: each command goes through <see cref="Room.Execute"/>, and its
/// events are saved at the next version before the next command runs. Keeps the secrets the grain would keep.
/// </summary>
internal sealed class PlayedRoom
{
    /// <summary>Whole seconds: PostgreSQL keeps microseconds, so times the tests make read back exactly.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly IRoomStore _store;
    private readonly Dictionary<int, string> _tokens = [];
    private readonly Dictionary<int, Guid> _accounts = [];

    private PlayedRoom(IRoomStore store, Room room, string? passcodeHash)
    {
        _store = store;
        Room = room;
        PasscodeHash = passcodeHash;
    }

    public Room Room { get; }

    public long Version { get; private set; }

    public string? PasscodeHash { get; set; }

    public DateTimeOffset Now { get; private set; } = Start;

    public string? FacilitatorKey { get; set; } = NewHash();

    /// <summary>The key of signed-in people's seat tokens; null until a test sets it.</summary>
    public string? AccountKey { get; set; }

    public RoomSecrets Secrets => new(PasscodeHash, new Dictionary<int, string>(_tokens), FacilitatorKey, AccountKey, new Dictionary<int, Guid>(_accounts));

    public static string NewRoomId() => $"t-{Guid.NewGuid():N}";

    public static string NewHash() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Creates a room (facilitator "Fanny", id 1) and stores it at version 0.</summary>
    public static async Task<PlayedRoom> CreateAsync(IRoomStore store, RoomSettings? settings = null, Deck? deck = null, string? passcodeHash = null)
    {
        var room = Room.Create(NewRoomId(), "Sprint 42", deck ?? Deck.Default, settings ?? RoomSettings.Default, "Fanny", Start).GetValueOrThrow();
        var played = new PlayedRoom(store, room, passcodeHash);
        played._tokens[1] = NewHash();
        await store.CreateAsync(new StoredRoom(room.ToSnapshot(), played.Secrets, 0), TestContext.Current.CancellationToken);
        return played;
    }

    /// <summary>Runs a command that must succeed, saves what it did, and moves the clock on by a second.</summary>
    public async Task<IReadOnlyList<RoomEvent>> RunAsync(RoomCommand command)
    {
        var outcome = Room.Execute(command, Now);
        Assert.True(outcome.IsSuccess, $"{command} failed: {outcome.Error}");
        if (outcome.Events.Count > 0)
        {
            foreach (var joined in outcome.Events.OfType<ParticipantJoined>())
            {
                _tokens[joined.Participant.Id] = NewHash();
            }

            Version++;
            await _store.SaveAsync(Room, outcome.Events, Secrets, Version, cancellationToken: TestContext.Current.CancellationToken);
        }

        Now += TimeSpan.FromSeconds(1);
        return outcome.Events;
    }

    public async Task<int> JoinAsync(string name, Role role = Role.Estimator, Guid? account = null)
    {
        var outcome = Room.Execute(new Join(name, role), Now);
        Assert.True(outcome.IsSuccess, $"{name} could not join: {outcome.Error}");
        var id = outcome.Events.OfType<ParticipantJoined>().Single().Participant.Id;
        if (account is { } holder)
        {
            _accounts[id] = holder; // known before the save, as the grain knows it
        }

        _tokens[id] = NewHash();
        Version++;
        await _store.SaveAsync(Room, outcome.Events, Secrets, Version, cancellationToken: TestContext.Current.CancellationToken);
        Now += TimeSpan.FromSeconds(1);
        await RunAsync(new Connect(id));
        return id;
    }

    public void Advance(TimeSpan by) => Now += by;

    /// <summary>The secrets the store should give back: hashes of the participants still seated.</summary>
    public RoomSecrets ExpectedSecrets =>
        new(PasscodeHash, Room.Participants.Where(p => _tokens.ContainsKey(p.Id)).ToDictionary(p => p.Id, p => _tokens[p.Id]), FacilitatorKey);

    public string Snapshot() => Serialize(Room.ToSnapshot());

    public static string Serialize(RoomSnapshot snapshot) => JsonSerializer.Serialize(snapshot, Json);

    public static string Serialize(RoomSecrets secrets) =>
        JsonSerializer.Serialize(new { secrets.PasscodeHash, secrets.FacilitatorKey, Tokens = secrets.TokenHashes.OrderBy(t => t.Key).ToArray() }, Json);
}
