using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PlanningPoker.Server.Tests.Observability;

/// <summary>
/// A stand-in for an OpenTelemetry collector: Kestrel on loopback taking OTLP/HTTP (protobuf) posts on
/// <c>/v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c>, and keeping their bodies (not decoded: the tests look for
/// names in them).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Signal, byte[] Body)> _posts = [];
    private TaskCompletionSource _arrival = NewSignal();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>Where the exporter sends (it adds <c>/v1/{signal}</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Record(signal, body.ToArray());

            // An empty Export…ServiceResponse: full success.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>True when a post of this signal (<c>traces</c>, <c>metrics</c>, <c>logs</c>) holds the text.</summary>
    public bool Contains(string signal, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        lock (_posts)
        {
            return _posts.Exists(p => p.Signal == signal && p.Body.AsSpan().IndexOf(bytes) >= 0);
        }
    }

    /// <summary>Waits until the posts so far satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<OtlpReceiver, bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Infrastructure.TestClient.Timeout);
        while (true)
        {
            Task next;
            lock (_posts)
            {
                next = _arrival.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                lock (_posts)
                {
                    throw new TimeoutException("The OTLP posts never met the condition; got: " + string.Join(", ", _posts.Select(p => $"{p.Signal} ({p.Body.Length} bytes)")));
                }
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Record(string signal, byte[] body)
    {
        TaskCompletionSource arrived;
        lock (_posts)
        {
            _posts.Add((signal, body));
            arrived = _arrival;
            _arrival = NewSignal();
        }

        arrived.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
