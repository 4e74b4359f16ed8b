using System.Buffers;
using System.Net;
using System.Threading.Channels;
using MimeKit;
using PlanningPoker.Testing;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>
/// A mail server on loopback in the test process (SmtpServer, a real SMTP implementation), with no TLS: what the
/// product sends is read back as the MIME message a mailbox would get. <see cref="Settings"/> points the product at it.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private readonly Channel<MimeMessage> _received = Channel.CreateUnbounded<MimeMessage>();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _running;

    private MailServer(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("mail.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, _) => _listening.TrySetResult();
        var services = new ServiceProvider();
        services.Add(new Store(_received.Writer));
        services.Add(listeners);
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The settings that send the product's mails here (with <c>Web:PublicBaseUrl</c>, which mailing needs).</summary>
    public Dictionary<string, string?> Settings(string publicBaseUrl) => new()
    {
        ["Accounts:Smtp:Host"] = "127.0.0.1",
        ["Accounts:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Accounts:Smtp:Security"] = "None",
        ["Accounts:Smtp:From"] = "Planning Poker <poker@example.test>",
        ["Web:PublicBaseUrl"] = publicBaseUrl,
    };

    /// <summary>Starts a server on a free port and waits until it listens.</summary>
    public static async Task<MailServer> StartAsync()
    {
        var server = new MailServer(ServerProcess.FreePort());
        await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return server;
    }

    /// <summary>The next mail received (waits for it, at most 10 s).</summary>
    public async Task<MimeMessage> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private sealed class Store(ChannelWriter<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            await received.WriteAsync(await MimeMessage.LoadAsync(stream, cancellationToken), cancellationToken);
            return SmtpResponse.Ok;
        }
    }
}
