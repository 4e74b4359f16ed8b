using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlanningPoker.Domain.Tests;

/// <summary>A room and a clock for tests: builds the usual cast and runs commands that must succeed.</summary>
internal sealed class Workshop
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public Workshop(RoomSettings? settings = null, Deck? deck = null)
    {
        Room = Room.Create("r-test", "Sprint 42", deck ?? Deck.Default, settings ?? RoomSettings.Default, "Fanny", Now).GetValueOrThrow();
        Facilitator = 1;
        Ok(new Connect(Facilitator));
    }

    public Room Room { get; }

    public int Facilitator { get; }

    public DateTimeOffset Now { get; private set; } = Start;

    /// <summary>Joins and connects an estimator (or observer), returning the seat id.</summary>
    public int Seat(string name, Role role = Role.Estimator)
    {
        var joined = Ok(new Join(name, role)).OfType<ParticipantJoined>().Single().Participant.Id;
        Ok(new Connect(joined));
        return joined;
    }

    public IReadOnlyList<int> AddStories(params string[] titles) =>
        Ok(new AddStories(Facilitator, [.. titles.Select(t => new StoryDraft(t))])).OfType<StoriesAdded>().Single().Stories.Select(s => s.Id).ToArray();

    public void Advance(TimeSpan by) => Now += by;

    public Outcome Run(RoomCommand command) => Room.Execute(command, Now);

    public IReadOnlyList<RoomEvent> Ok(RoomCommand command)
    {
        var outcome = Run(command);
        Assert.True(outcome.IsSuccess, $"{command} failed: {outcome.Error}");
        return outcome.Events;
    }

    public RoomError Fails(RoomCommand command, RoomErrorCode expected)
    {
        var before = Snapshot(Room);
        var outcome = Run(command);
        Assert.False(outcome.IsSuccess, $"{command} should fail with {expected}");
        Assert.Equal(expected, outcome.Error!.Code);
        Assert.Empty(outcome.Events);
        Assert.Equal(before, Snapshot(Room));
        return outcome.Error;
    }

    public RoomView View(int viewer) => Room.ViewFor(viewer).GetValueOrThrow();

    /// <summary>A structural image of the whole room, for "nothing changed" and round-trip comparisons.</summary>
    public static string Snapshot(Room room) => JsonSerializer.Serialize(room.ToSnapshot(), Json);

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Json);
}
