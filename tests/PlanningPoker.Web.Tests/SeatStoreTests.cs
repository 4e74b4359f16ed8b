using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

public sealed class SeatStoreTests
{
    private readonly RecordingBrowserStore _browser = new();
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ASavedSeatIsFoundAgain_ByCodeInAnyCase()
    {
        var seats = new SeatStore(_browser);
        await seats.SaveAsync(new SavedSeat("abc123", "Sprint 42", 2, "token-2", "Alice", T0));

        var found = await seats.FindAsync("ABC123");

        Assert.Equal(new SavedSeat("abc123", "Sprint 42", 2, "token-2", "Alice", T0), found);
    }

    [Fact]
    public async Task SeatsListMostRecentFirst_OnePerRoom_AndForgettingRemovesOne()
    {
        var seats = new SeatStore(_browser);
        await seats.SaveAsync(new SavedSeat("a", "A", 1, "t1", "Fanny", T0));
        await seats.SaveAsync(new SavedSeat("b", "B", 1, "t2", "Fanny", T0.AddMinutes(1)));
        await seats.SaveAsync(new SavedSeat("a", "A renamed", 1, "t1", "Fanny", T0.AddMinutes(2)));

        Assert.Equal(["A renamed", "B"], (await seats.AllAsync()).Select(s => s.RoomName));
        await seats.ForgetAsync("a");
        Assert.Equal(["b"], (await seats.AllAsync()).Select(s => s.RoomId));
    }

    [Fact]
    public async Task OnlyTheMostRecentRoomsAreKept()
    {
        var seats = new SeatStore(_browser);
        for (var i = 0; i < SeatStore.Capacity + 5; i++)
        {
            await seats.SaveAsync(new SavedSeat($"room{i}", $"Room {i}", 1, $"t{i}", "Fanny", T0.AddMinutes(i)));
        }

        var all = await seats.AllAsync();
        Assert.Equal(SeatStore.Capacity, all.Count);
        Assert.Equal($"room{SeatStore.Capacity + 4}", all[0].RoomId);
    }

    [Fact]
    public async Task DamagedStorageReadsAsEmpty()
    {
        _browser.Items["poker.seats"] = "{not json";

        Assert.Empty(await new SeatStore(_browser).AllAsync());
    }
}
