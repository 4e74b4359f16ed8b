using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Tests.Infrastructure;

/// <summary>
/// A participant's SignalR connection that records every push it receives, raw (for leak checks) and typed
/// (to wait on), and can rebuild its view by applying those pushes like a real client (<see cref="ViewFromPushes"/>).
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<RoomChangedDto> _changes = Channel.CreateUnbounded<RoomChangedDto>();
    private readonly List<string> _raw = [];
    private readonly List<RoomChangedDto> _received = [];
    private TaskCompletionSource _arrival = NewSignal();

    public TestClient(string name, HubConnection connection)
    {
        Name = name;
        Connection = connection;
        Connection.On<JsonElement>(nameof(IRoomClient.RoomChanged), raw =>
        {
            var change = raw.Deserialize<RoomChangedDto>(JsonSerializerOptions.Web)!;
            TaskCompletionSource arrived;
            lock (_raw)
            {
                _raw.Add(raw.GetRawText());
                _received.Add(change);
                arrived = _arrival;
                _arrival = NewSignal();
            }

            arrived.TrySetResult();
            _changes.Writer.TryWrite(change);
        });
    }

    public string Name { get; }

    public HubConnection Connection { get; }

    public int ParticipantId { get; private set; }

    /// <summary>The view <see cref="JoinAsync"/> returned: the start of <see cref="ViewFromPushes"/>.</summary>
    public RoomViewDto? JoinedView { get; private set; }

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

    /// <summary>Every push received so far, typed, in the order of arrival.</summary>
    public IReadOnlyList<RoomChangedDto> Received
    {
        get
        {
            lock (_raw)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Connects a client to any server (the shared <see cref="PokerApp"/> has its own shortcut).</summary>
    /// <param name="server">The server, or a load balancer in front of several.</param>
    /// <param name="name">The participant's name, for messages.</param>
    /// <param name="webSocketsOnly">WebSockets with no negotiation first, as the browser app connects (any node may take it).</param>
    public static async Task<TestClient> ConnectAsync(Uri server, string name, bool webSocketsOnly = false)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, IRoomHub.Path), webSocketsOnly ? HttpTransportType.WebSockets : HttpTransportType.WebSockets | HttpTransportType.LongPolling | HttpTransportType.ServerSentEvents, o => o.SkipNegotiation = webSocketsOnly)
            .Build();
        var client = new TestClient(name, connection);
        await connection.StartAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        return client;
    }

    public async Task<RoomViewDto> JoinAsync(string roomId, string token)
    {
        var view = await InvokeAsync<RoomViewDto>(nameof(IRoomHub.JoinRoom), roomId, token);
        ParticipantId = view.ViewerId;
        JoinedView = view;
        return view;
    }

    public Task InvokeAsync(string method, params object?[] args) =>
        Connection.InvokeCoreAsync(method, args, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

    public Task<T> InvokeAsync<T>(string method, params object?[] args) =>
        Connection.InvokeCoreAsync<T>(method, args, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

    /// <summary>The full view, fresh from the server.</summary>
    public Task<RoomViewDto> GetViewAsync() => InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView));

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

    /// <summary>
    /// Waits until every push after the joined view, up to <paramref name="version"/>, has arrived (in any order).
    /// Independent of <see cref="WaitForAsync{T}"/>: it reads the record, not the queue.
    /// </summary>
    public async Task WaitForVersionAsync(long version)
    {
        var from = JoinedView?.Version ?? throw new InvalidOperationException("Join first.");
        try
        {
            await WaitUntilAsync(received => received.Select(c => c.Version).Where(v => v > from && v <= version).Distinct().LongCount() == version - from);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var got = Received.Select(c => c.Version).Order();
            throw new TimeoutException($"{Name} joined at version {from} and waited for every push up to {version}; it got: {string.Join(", ", got)}.");
        }
    }

    /// <summary>Waits until the pushes received so far satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<RoomChangedDto>, bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        while (true)
        {
            Task next;
            lock (_raw)
            {
                if (condition(_received))
                {
                    return;
                }

                next = _arrival.Task;
            }

            await next.WaitAsync(timeout.Token);
        }
    }

    /// <summary>
    /// The view this client holds if it started from <see cref="JoinedView"/> and applied every push it received
    /// since, in version order, skipping those already in the joined view. Throws on a gap.
    /// </summary>
    public RoomViewDto ViewFromPushes() =>
        RoomViewReducer.ApplyAll(JoinedView ?? throw new InvalidOperationException("Join first."), Received);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
