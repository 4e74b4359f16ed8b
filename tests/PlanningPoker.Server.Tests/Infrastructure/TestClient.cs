using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Tests.Infrastructure;

/// <summary>
/// A participant's SignalR connection that records every push it receives, raw (for leak checks) and typed
/// (to wait on), and keeps its own view up to date by applying pushes like a real client.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<RoomChangedDto> _changes = Channel.CreateUnbounded<RoomChangedDto>();
    private readonly List<string> _raw = [];

    public TestClient(string name, HubConnection connection)
    {
        Name = name;
        Connection = connection;
        Connection.On<JsonElement>(nameof(IRoomClient.RoomChanged), raw =>
        {
            lock (_raw)
            {
                _raw.Add(raw.GetRawText());
            }

            _changes.Writer.TryWrite(raw.Deserialize<RoomChangedDto>(JsonSerializerOptions.Web)!);
        });
    }

    public string Name { get; }

    public HubConnection Connection { get; }

    public int ParticipantId { get; private set; }

    /// <summary>Every push received so far, as the JSON text that came over the wire.</summary>
    public IReadOnlyList<string> RawPushes
    {
        get
        {
            lock (_raw)
            {
                return [.. _raw];
            }
        }
    }

    public async Task<RoomViewDto> JoinAsync(string roomId, string token)
    {
        var view = await InvokeAsync<RoomViewDto>(nameof(IRoomHub.JoinRoom), roomId, token);
        ParticipantId = view.ViewerId;
        return view;
    }

    public Task InvokeAsync(string method, params object?[] args) =>
        Connection.InvokeCoreAsync(method, args, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

    public Task<T> InvokeAsync<T>(string method, params object?[] args) =>
        Connection.InvokeCoreAsync<T>(method, args, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

    /// <summary>Reads pushes until one holds an event matching <paramref name="match"/>; returns that event.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null)
        where T : RoomEventDto
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        while (true)
        {
            var change = await _changes.Reader.ReadAsync(timeout.Token);
            foreach (var e in change.Events)
            {
                if (e is T typed && (match is null || match(typed)))
                {
                    return typed;
                }
            }
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
