using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PlanningPoker.Tests.Trackers;

/// <summary>One request a fake tracker received, as it came.</summary>
public sealed record FakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A header's value, or null (names are case-insensitive).</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A failure a fake answers instead of its normal answer, once per queued entry.</summary>
/// <param name="Status">The status to answer.</param>
/// <param name="Body">The body (JSON) to answer, in the vendor's documented error shape.</param>
/// <param name="Headers">Headers to add (Retry-After, X-RateLimit-Reset…).</param>
/// <param name="Matches">Which requests it applies to (method and path); null = the next request of any kind.</param>
public sealed record FakeFault(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, Func<FakeRequest, bool>? Matches = null);

/// <summary>
/// Kestrel on loopback (port 0) serving a fake tracker's routes; records every request and answers queued
/// <see cref="FakeFault"/>s before the normal answer. Each fake (FakeJira, FakeGitLab…) maps the vendor's documented
/// routes on it and keeps its issues in memory, so that a write is seen in the issue it changed.
/// </summary>
public sealed class FakeTrackerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly List<FakeFault> _faults = [];
    private TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeTrackerHost(WebApplication app) => _app = app;

    /// <summary>The fake's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    /// <summary>Starts a fake whose routes <paramref name="map"/> adds.</summary>
    public static async Task<FakeTrackerHost> StartAsync(Action<WebApplication> map, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new FakeTrackerHost(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            var request = new FakeRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body);
            host._requests.Enqueue(request);
            if (host.TakeFault(request) is { } fault)
            {
                context.Response.StatusCode = fault.Status;
                foreach (var (name, value) in fault.Headers ?? new Dictionary<string, string>())
                {
                    context.Response.Headers[name] = value;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(fault.Body, context.RequestAborted);
                host.Answered();
                return;
            }

            await next(context);
            host.Answered();
        });
        map(app);
        await app.StartAsync();
        host.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return host;
    }

    /// <summary>Answers <paramref name="fault"/> to the next matching request (queue several for several).</summary>
    public void Fail(FakeFault fault)
    {
        lock (_faults)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking it after each request the fake has answered, for at most <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            Task next;
            lock (_faults)
            {
                next = _answered.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the fake tracker did not see the awaited state within {timeout}");
            }
        }
    }

    /// <summary>Forgets the failures still queued: the tracker is back.</summary>
    public void ClearFaults()
    {
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    /// <summary>Forgets the requests recorded so far.</summary>
    public void ClearRequests() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Answered()
    {
        TaskCompletionSource done;
        lock (_faults)
        {
            done = _answered;
            _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private FakeFault? TakeFault(FakeRequest request)
    {
        lock (_faults)
        {
            var index = _faults.FindIndex(f => f.Matches is null || f.Matches(request));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }
}
