using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Api;

/// <summary>
/// The limits, each on a server of its own (the shared server lifts them): its own SQLite file, silo ports and
/// rate-limiter state, disposed at the end of the test.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RateLimitTests
{
    [Fact]
    public async Task TheThirdRoomCreationInAMinuteIsRateLimited()
    {
        await using var app = await StartAsync(("Limits:RoomCreationsPerMinute", "2"), ("Limits:JoinsPerMinute", "3"));
        using var http = app.Http();
        var request = new CreateRoomRequest("Sprint 42", "Fanny");

        var first = await http.PostAsJsonAsync("/api/rooms", request, Rest.Cancel).Timed();
        var second = await http.PostAsJsonAsync("/api/rooms", request, Rest.Cancel).Timed();
        var third = await http.PostAsJsonAsync("/api/rooms", request, Rest.Cancel).Timed();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        await ProblemAssert.IsAsync(third, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
    }

    [Fact]
    public async Task TheFourthJoinOrRoomReadInAMinuteIsRateLimited()
    {
        await using var app = await StartAsync(("Limits:RoomCreationsPerMinute", "2"), ("Limits:JoinsPerMinute", "3"));
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var join = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Alice"), Rest.Cancel).Timed();
        var read = await http.GetAsync($"/api/rooms/{room.RoomId}", authorization: null);
        var summary = await http.GetAsBearerAsync($"/api/rooms/{room.RoomId}/summary", room.Token);
        var fourth = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Bob"), Rest.Cancel).Timed();

        Assert.Equal(HttpStatusCode.Created, join.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        await ProblemAssert.IsAsync(fourth, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
    }

    [Fact]
    public async Task RapidHubCallsOnOneConnectionAreRateLimited()
    {
        await using var app = await StartAsync(("Limits:HubCallsPerSecond", "2"), ("Limits:HubCallBurst", "2"));
        var room = await app.CreateRoomAsync().Timed();
        await using var fanny = await app.ConnectAsync("Fanny").Timed();
        await fanny.JoinAsync(room.RoomId, room.Token);

        var calls = Enumerable.Range(0, 8).Select(_ => fanny.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView))).ToList();
        var refusals = new List<HubException>();
        foreach (var call in calls)
        {
            try
            {
                await call;
            }
            catch (HubException ex)
            {
                refusals.Add(ex);
            }
        }

        Assert.NotEmpty(refusals);
        Assert.All(refusals, ex => Assert.Equal(ErrorCodes.RateLimited, ProblemAssert.CodeOf(ex)));
        Assert.All(refusals, ex => Assert.Contains("HubException: RateLimited:", ex.Message, StringComparison.Ordinal));
    }

    private static async Task<PokerApp> StartAsync(params (string Key, string Value)[] settings)
    {
        var app = new PokerApp();
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }

        try
        {
            await app.InitializeAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
