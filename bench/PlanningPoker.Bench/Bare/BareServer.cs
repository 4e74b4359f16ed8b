using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PlanningPoker.Contracts;

namespace PlanningPoker.Bench.Bare;

/// <summary>
/// <c>serve-bare</c>: a minimal Kestrel + SignalR app with <see cref="BareHub"/> and REST endpoints shaped like the
/// product's create and join (same request and response records, trivial ids and tokens), plus
/// <c>/health/ready</c>. Logging is at Warning so that nothing is written per request.
/// </summary>
internal static class BareServer
{
    public static async Task<int> RunAsync(string urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<BareRooms>();
        builder.Services.AddSignalR().AddJsonProtocol();

        await using var app = builder.Build();
        app.MapPost("/api/rooms", Create);
        app.MapPost("/api/rooms/{roomId}/participants", Join);
        app.MapGet("/health/ready", () => "Healthy");
        app.MapGet("/health/live", () => "Healthy");
        app.MapHub<BareHub>(BareHub.Path);

        await app.StartAsync(cancellationToken);
        await Console.Out.WriteLineAsync($"bare SignalR hub on {urls}{BareHub.Path} (pid {Environment.ProcessId}, server GC {System.Runtime.GCSettings.IsServerGC})");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static Created<CreateRoomResponse> Create(CreateRoomRequest request, BareRooms rooms, HttpRequest http)
    {
        var roomId = rooms.Create();
        return TypedResults.Created($"/api/rooms/{roomId}", new CreateRoomResponse(roomId, 1, "1", $"{http.Scheme}://{http.Host}/rooms/{roomId}"));
    }

    private static Results<Created<JoinRoomResponse>, NotFound> Join(string roomId, JoinRoomRequest request, BareRooms rooms)
    {
        if (rooms.Find(roomId) is not { } room)
        {
            return TypedResults.NotFound();
        }

        var seat = room.TakeSeat();
        return TypedResults.Created($"/api/rooms/{roomId}", new JoinRoomResponse(roomId, seat, seat.ToString(CultureInfo.InvariantCulture)));
    }
}
