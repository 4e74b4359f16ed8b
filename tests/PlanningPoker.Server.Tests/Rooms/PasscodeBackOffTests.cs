using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>
/// Passcode guessing, per room: five wrong passcodes in a row cost nothing, then each attempt waits 1 s, 2 s, 4 s…
/// up to 15 min, on a silo whose clock only the test moves. A locked room answers every passcode alike.
/// </summary>
[Collection(nameof(FakeClockRoomCluster))]
[Trait("Category", "Integration")]
public sealed class PasscodeBackOffTests(FakeClockRoomCluster cluster) : IAsyncLifetime
{
    private const string Passcode = "4711";
    private static readonly TimeSpan Timeout = RoomClusterBase.Timeout;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(7, 4)]
    [InlineData(14, 512)]
    [InlineData(15, 900)]
    [InlineData(1000, 900)]
    public void PasscodeWait_AfterWrongPasscodesInARow_IsNoneThenDoublesFromOneSecondToFifteenMinutes(int wrong, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RoomGrain.PasscodeWait(wrong));

    [Fact]
    public async Task Join_AfterFiveWrongPasscodes_IsRefusedUncheckedUntilTheWaitIsOver()
    {
        var (roomId, _) = await cluster.CreateRoomAsync(passcode: Passcode);
        var free = new List<Reply<Seat>>();
        for (var i = 0; i < 5; i++)
        {
            free.Add(await JoinAsync(roomId, "0000"));
        }

        var early = await JoinAsync(roomId, Passcode);
        cluster.Time.Advance(TimeSpan.FromSeconds(1) - Tick);
        var stillEarly = await JoinAsync(roomId, Passcode);
        cluster.Time.Advance(Tick);
        var sixth = await JoinAsync(roomId, "0001");
        var afterSixth = await JoinAsync(roomId, Passcode);

        Assert.All(free, r => Assert.Equal(ErrorCodes.WrongPasscode, r.ErrorCode));
        Assert.Contains("the next try waits 1 s", free[^1].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.TooManyPasscodeAttempts, early.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(1), early.RetryAfter);
        Assert.Contains("try again in 1 s", early.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.TooManyPasscodeAttempts, stillEarly.ErrorCode);
        Assert.Equal(ErrorCodes.WrongPasscode, sixth.ErrorCode);
        Assert.Equal(ErrorCodes.TooManyPasscodeAttempts, afterSixth.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(2), afterSixth.RetryAfter);
    }

    [Fact]
    public async Task Join_WithTheRightPasscodeAfterTheWait_SeatsAndForgetsTheWrongOnes()
    {
        var (roomId, _) = await cluster.CreateRoomAsync(passcode: Passcode);
        for (var i = 0; i < 5; i++)
        {
            await JoinAsync(roomId, "0000");
        }

        cluster.Time.Advance(TimeSpan.FromSeconds(1));
        var admitted = await JoinAsync(roomId, Passcode, "Alice");
        var again = new List<Reply<Seat>>();
        for (var i = 0; i < 5; i++)
        {
            again.Add(await JoinAsync(roomId, "0000"));
        }

        var refused = await JoinAsync(roomId, Passcode);

        Assert.True(admitted.IsSuccess, admitted.ErrorMessage);
        Assert.All(again, r => Assert.Equal(ErrorCodes.WrongPasscode, r.ErrorCode));
        Assert.Equal(ErrorCodes.TooManyPasscodeAttempts, refused.ErrorCode);
    }

    [Fact]
    public async Task Join_WithTheFacilitatorKey_PassesDuringTheWait()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(passcode: Passcode);
        var key = (await cluster.Room(roomId).GetFacilitatorKey(fanny.ParticipantId).WaitAsync(Timeout, Cancel)).Value;
        for (var i = 0; i < 8; i++)
        {
            await JoinAsync(roomId, "0000");
        }

        var refused = await JoinAsync(roomId, Passcode);
        var withKey = await cluster.Room(roomId).Join(new JoinRoomRequest("Gus", FacilitatorKey: key)).WaitAsync(Timeout, Cancel);

        Assert.Equal(ErrorCodes.TooManyPasscodeAttempts, refused.ErrorCode);
        Assert.True(withKey.IsSuccess, withKey.ErrorMessage);
    }

    [Fact]
    public async Task Join_ALockedRoom_AnswersARightAndAWrongPasscodeAlike_AndCountsNoGuess()
    {
        var (roomId, fanny) = await cluster.CreateRoomAsync(passcode: Passcode);
        await cluster.OkAsync(roomId, new LockRoom(fanny.ParticipantId, true));

        var right = await JoinAsync(roomId, Passcode);
        var wrong = new List<Reply<Seat>>();
        for (var i = 0; i < 10; i++)
        {
            wrong.Add(await JoinAsync(roomId, "0000"));
        }

        await cluster.OkAsync(roomId, new LockRoom(fanny.ParticipantId, false));
        var admitted = await JoinAsync(roomId, Passcode, "Alice");

        Assert.Equal(ErrorCodes.RoomLocked, right.ErrorCode);
        Assert.All(wrong, r => Assert.Equal((right.ErrorCode, right.ErrorMessage, right.RetryAfter), (r.ErrorCode, r.ErrorMessage, r.RetryAfter)));
        Assert.True(admitted.IsSuccess, admitted.ErrorMessage);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        cluster.AssertNoErrorLogs();
        return ValueTask.CompletedTask;
    }

    private async Task<Reply<Seat>> JoinAsync(string roomId, string passcode, string name = "Mallory") =>
        await cluster.Room(roomId).Join(new JoinRoomRequest(name, Passcode: passcode)).WaitAsync(Timeout, Cancel);
}
