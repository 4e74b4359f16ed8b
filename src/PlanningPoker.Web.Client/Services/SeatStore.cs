using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlanningPoker.Web.Client.Services;

/// <summary>A seat this browser holds: how a reload or a later visit finds its way back without typing anything.</summary>
/// <param name="RoomId">The room.</param>
/// <param name="RoomName">Its name when last seen.</param>
/// <param name="ParticipantId">The seat.</param>
/// <param name="Token">The seat's token (kept only in this browser).</param>
/// <param name="DisplayName">The name used.</param>
/// <param name="LastUsed">When it was last opened.</param>
public sealed record SavedSeat(string RoomId, string RoomName, int ParticipantId, string Token, string DisplayName, DateTimeOffset LastUsed);

/// <summary>The seats of this browser, most recent first (at most <see cref="Capacity"/>).</summary>
public sealed class SeatStore(BrowserStore store)
{
    /// <summary>How many rooms are remembered.</summary>
    public const int Capacity = 20;

    private const string Key = "poker.seats";

    /// <summary>Every saved seat, most recent first.</summary>
    public async Task<IReadOnlyList<SavedSeat>> AllAsync()
    {
        var json = await store.GetAsync(Key);
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            var seats = JsonSerializer.Deserialize(json, SeatJson.Default.ListSavedSeat) ?? [];
            return [.. seats.Where(s => s is { RoomId.Length: > 0, Token.Length: > 0 }).OrderByDescending(s => s.LastUsed)];
        }
        catch (JsonException)
        {
            return []; // Damaged storage: start afresh rather than fail.
        }
    }

    /// <summary>The seat held in a room, if any.</summary>
    public async Task<SavedSeat?> FindAsync(string roomId) =>
        (await AllAsync()).FirstOrDefault(s => string.Equals(s.RoomId, roomId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Saves or refreshes a seat.</summary>
    public async Task SaveAsync(SavedSeat seat)
    {
        ArgumentNullException.ThrowIfNull(seat);
        var others = (await AllAsync()).Where(s => !string.Equals(s.RoomId, seat.RoomId, StringComparison.OrdinalIgnoreCase));
        List<SavedSeat> seats = [seat, .. others.Take(Capacity - 1)];
        await store.SetAsync(Key, JsonSerializer.Serialize(seats, SeatJson.Default.ListSavedSeat));
    }

    /// <summary>Forgets the seat of a room (left, kicked, or the room is gone).</summary>
    public async Task ForgetAsync(string roomId)
    {
        List<SavedSeat> seats = [.. (await AllAsync()).Where(s => !string.Equals(s.RoomId, roomId, StringComparison.OrdinalIgnoreCase))];
        await store.SetAsync(Key, JsonSerializer.Serialize(seats, SeatJson.Default.ListSavedSeat));
    }
}

/// <summary>Source-generated JSON for what the browser stores (no reflection after trimming).</summary>
[JsonSerializable(typeof(List<SavedSeat>))]
internal sealed partial class SeatJson : JsonSerializerContext;
