using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>Where the live connection stands, as the reconnection banner shows it.</summary>
public enum LinkStatus
{
    /// <summary>Not opened yet.</summary>
    Idle,

    /// <summary>Opening for the first time.</summary>
    Connecting,

    /// <summary>Live.</summary>
    Connected,

    /// <summary>Lost; trying again on its own.</summary>
    Reconnecting,

    /// <summary>The seat no longer opens the room (left, removed, or the room is gone).</summary>
    SeatLost,
}

/// <summary>
/// The room as this participant sees it, live: opens the hub connection with the seat's token, keeps the view
/// current from the pushes (<see cref="RoomViewReducer"/>; a version gap fetches a full view), reconnects on its
/// own forever and then joins again with the same token, so the participant finds the same seat and vote.
/// </summary>
public sealed class RoomSession(NavigationManager navigation) : IAsyncDisposable
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    // Stories' descriptions and links, which views and pushes leave out: asked for when shown, kept until the story
    // is edited or removed, or the view is taken anew (a gap or a rejoin may hide an edit).
    private readonly Dictionary<int, StoryDetailsDto> _details = [];
    private int _detailsEpoch;
    private HubConnection? _connection;

    /// <summary>Raised after every change of <see cref="View"/>, <see cref="Status"/> or <see cref="Error"/>.</summary>
    public event Action? Changed;

    /// <summary>The room as this participant may see it.</summary>
    public RoomViewDto? View { get; private set; }

    /// <summary>The connection's state.</summary>
    public LinkStatus Status { get; private set; }

    /// <summary>The code of the last refused call, until the next call.</summary>
    public string? Error { get; private set; }

    /// <summary>The seat in use.</summary>
    public SavedSeat? Seat { get; private set; }

    /// <summary>This participant's seat in the view.</summary>
    public ParticipantDto? Me => View?.Participants.FirstOrDefault(p => p.Id == View.ViewerId);

    /// <summary>Opens the room with a seat; returns the error code when the seat no longer opens it.</summary>
    public async Task<string?> OpenAsync(SavedSeat seat)
    {
        ArgumentNullException.ThrowIfNull(seat);
        if (Seat?.RoomId == seat.RoomId && Seat.Token == seat.Token && _connection is not null)
        {
            return null;
        }

        await CloseAsync();
        Seat = seat;
        _connection = new HubConnectionBuilder()
            // WebSockets straight away, with no negotiation request first: every request stands alone, so that any
            // node behind a load balancer can take it, with no sticky sessions (docs/operations.md, "Cluster mode").
            .WithUrl(navigation.ToAbsoluteUri(IRoomHub.Path.TrimStart('/')), HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
            .WithAutomaticReconnect(new ForeverRetry())
            .Build();
        _connection.On<RoomChangedDto>(nameof(IRoomClient.RoomChanged), OnChangedAsync);
        _connection.Reconnecting += _ =>
        {
            SetStatus(LinkStatus.Reconnecting);
            return Task.CompletedTask;
        };
        _connection.Reconnected += async _ => await JoinCoreAsync();
        _connection.Closed += async _ =>
        {
            if (Status != LinkStatus.SeatLost)
            {
                await StartAsync();
            }
        };
        SetStatus(LinkStatus.Connecting);
        return await StartAsync();
    }

    /// <summary>The reader has read the refusal: <see cref="Error"/> is cleared.</summary>
    public void DismissError()
    {
        if (Error is not null)
        {
            Error = null;
            Changed?.Invoke();
        }
    }

    /// <summary>Calls a hub method; on refusal keeps its code in <see cref="Error"/> and returns it.</summary>
    public async Task<string?> CallAsync(string method, params object?[] args)
    {
        if (_connection is null)
        {
            return ErrorCodes.NotJoined;
        }

        Error = null;
        try
        {
            await _connection.InvokeCoreAsync(method, args);
            return null;
        }
        catch (HubException ex)
        {
            Error = HubErrors.Parse(ex.Message)?.Code ?? ErrorCodes.InternalError;
        }
        catch (InvalidOperationException)
        {
            Error = ErrorCodes.Unavailable; // Not connected at this instant.
        }

        Changed?.Invoke();
        return Error;
    }

    /// <summary>Calls a hub method that answers a value; on refusal keeps its code in <see cref="Error"/> and returns default.</summary>
    public async Task<T?> AskAsync<T>(string method, params object?[] args)
    {
        if (_connection is null)
        {
            return default;
        }

        Error = null;
        try
        {
            return await _connection.InvokeCoreAsync<T>(method, args);
        }
        catch (HubException ex)
        {
            Error = HubErrors.Parse(ex.Message)?.Code ?? ErrorCodes.InternalError;
        }
        catch (InvalidOperationException)
        {
            Error = ErrorCodes.Unavailable;
        }

        Changed?.Invoke();
        return default;
    }

    /// <summary>A story's details already at hand (description and link), or null.</summary>
    public StoryDetailsDto? CachedStory(int storyId) => _details.GetValueOrDefault(storyId);

    /// <summary>A story's details (description and link), from the cache or asked of the server; null when refused.</summary>
    public async Task<StoryDetailsDto?> StoryAsync(int storyId)
    {
        if (_details.TryGetValue(storyId, out var cached))
        {
            return cached;
        }

        var epoch = _detailsEpoch;
        var details = await AskAsync<StoryDetailsDto>(nameof(IRoomHub.GetStory), storyId);
        if (details is not null && epoch == _detailsEpoch)
        {
            // Kept only if no edit arrived meanwhile: the answer might be older than that edit.
            _details[storyId] = details;
        }

        return details;
    }

    /// <summary>A story's rounds (null for quick votes), or null when refused.</summary>
    public async Task<StoryHistoryDto?> HistoryAsync(int? storyId)
    {
        if (_connection is null)
        {
            return null;
        }

        try
        {
            return await _connection.InvokeAsync<StoryHistoryDto>(nameof(IRoomHub.GetHistory), storyId);
        }
        catch (Exception ex) when (ex is HubException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(CloseAsync());

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }

        View = null;
        Seat = null;
        Status = LinkStatus.Idle;
        ForgetDetails();
    }

    private async Task<string?> StartAsync()
    {
        for (var attempt = 0; _connection is { } connection; attempt++)
        {
            try
            {
                if (connection.State == HubConnectionState.Disconnected)
                {
                    await connection.StartAsync();
                }

                return await JoinCoreAsync();
            }
            catch (HttpRequestException)
            {
                SetStatus(LinkStatus.Reconnecting);
                await Task.Delay(Backoff[Math.Min(attempt, Backoff.Length - 1)]);
            }
        }

        return ErrorCodes.Unavailable;
    }

    private async Task<string?> JoinCoreAsync()
    {
        if (_connection is not { } connection || Seat is not { } seat)
        {
            return ErrorCodes.NotJoined;
        }

        try
        {
            View = await connection.InvokeAsync<RoomViewDto>(nameof(IRoomHub.JoinRoom), seat.RoomId, seat.Token);
            ForgetDetails();
            SetStatus(LinkStatus.Connected);
            return null;
        }
        catch (HubException ex)
        {
            var code = HubErrors.Parse(ex.Message)?.Code ?? ErrorCodes.InternalError;
            if (code is ErrorCodes.InvalidToken or ErrorCodes.RoomNotFound)
            {
                SetStatus(LinkStatus.SeatLost);
                await connection.StopAsync();
            }

            return code;
        }
    }

    private async Task OnChangedAsync(RoomChangedDto change)
    {
        if (View is not { } view || change.Version <= view.Version)
        {
            return; // Not joined yet, or already in the view.
        }

        if (change.Version == view.Version + 1)
        {
            View = RoomViewReducer.Apply(view, change);
            foreach (var e in change.Events)
            {
                var changed = e switch
                {
                    StoryEditedDto edited => edited.Story.Id,
                    StoryRemovedDto removed => removed.StoryId,
                    _ => (int?)null,
                };
                if (changed is { } storyId)
                {
                    _details.Remove(storyId);
                    _detailsEpoch++;
                }
            }
        }
        else if (_connection is { } connection)
        {
            // A gap (a push lost while the node re-subscribed): take the whole view again.
            View = await connection.InvokeAsync<RoomViewDto>(nameof(IRoomHub.GetView));
            ForgetDetails();
        }

        if (View is { } now && now.Participants.All(p => p.Id != now.ViewerId))
        {
            SetStatus(LinkStatus.SeatLost); // Left, or removed by a facilitator.
            return;
        }

        Changed?.Invoke();
    }

    private void ForgetDetails()
    {
        _details.Clear();
        _detailsEpoch++;
    }

    private void SetStatus(LinkStatus status)
    {
        Status = status;
        Changed?.Invoke();
    }

    /// <summary>Tries again forever: 0, 1, 2, 5 s, then every 5 s.</summary>
    private sealed class ForeverRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            Backoff[(int)Math.Min(retryContext.PreviousRetryCount, Backoff.Length - 1)];
    }
}
