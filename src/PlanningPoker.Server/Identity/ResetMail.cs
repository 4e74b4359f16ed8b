using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// The mail server password-reset links go through (section <c>Accounts:Smtp</c>). Without a <see cref="Host"/>, no
/// mail is sent and the server's log carries the link for the operator to pass on (event 1301).
/// </summary>
public sealed class SmtpOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Accounts:Smtp";

    /// <summary>The mail server's name or address, e.g. <c>smtp.example.com</c>; unset, no mail is sent.</summary>
    public string? Host { get; set; }

    /// <summary>Its port: 587 (submission, STARTTLS) unless told otherwise; 465 for TLS from the start.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>
    /// How the connection is protected: <c>StartTls</c> (the default: refuses a server that cannot), <c>SslOnConnect</c>
    /// (port 465), <c>Auto</c> (STARTTLS when offered), or <c>None</c> (a relay on the same machine or network only).
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>The account to sign in to the server with; unset, none (a relay that needs none).</summary>
    public string? UserName { get; set; }

    /// <summary>Its password. Keep it out of files: an environment variable or a secret store.</summary>
    public string? Password { get; set; }

    /// <summary>Who the mails come from, e.g. <c>Planning Poker &lt;poker@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>Whether mails are sent.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult(
                $"Accounts:Smtp:From must be the address mails come from, such as 'Planning Poker <poker@example.com>' (got '{From}').", [nameof(From)]);
        }

        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Accounts:Smtp:UserName and Accounts:Smtp:Password go together: set both, or neither.", [nameof(UserName)]);
        }
    }
}

/// <summary>Checks, at start, that a server that mails links knows its own public address (<c>Web:PublicBaseUrl</c>).</summary>
internal sealed class SmtpOptionsValidator(IOptions<WebOptions> web) : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
        options.Enabled && web.Value.PublicBaseUrl is null
            ? ValidateOptionsResult.Fail(
                "Accounts:Smtp needs Web:PublicBaseUrl (such as https://poker.example): a mailed link must not be built from the Host header of whoever asked for it.")
            : ValidateOptionsResult.Success;
}

/// <summary>A password-reset link to send, in the language of the person who asked for it.</summary>
internal sealed record ResetLink(Guid AccountId, string Email, string DisplayName, string Link, CultureInfo Culture);

/// <summary>
/// Sends password-reset links, one at a time, off the request: the request is answered at once, the same whether or
/// not the account exists and however slow the mail server is. At most <see cref="Capacity"/> wait; beyond that,
/// a request's link is dropped (and logged as dropped, without the link), as the rate limit on resets should make
/// that never happen.
/// </summary>
internal sealed partial class ResetMail(IOptions<SmtpOptions> options, ILogger<ResetMail> logger) : BackgroundService
{
    private const int Capacity = 1_000;

    private readonly Channel<ResetLink> _queue = Channel.CreateBounded<ResetLink>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues <paramref name="link"/> for sending.</summary>
    public void Send(ResetLink link)
    {
        if (!_queue.Writer.TryWrite(link))
        {
            Log.Dropped(logger, link.AccountId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var link in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(link, stoppingToken);
                Log.Sent(logger, link.AccountId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The exception's message, never the link: it opens the account.
                Log.Failed(logger, link.AccountId, ex.GetType().Name, ex.Message);
            }
        }
    }

    private async Task SendAsync(ResetLink link, CancellationToken cancel)
    {
        var smtp = options.Value;
        var message = Compose(link, MailboxAddress.Parse(smtp.From!));
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, cancel);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password!, cancel);
        }

        await client.SendAsync(message, cancel);
        await client.DisconnectAsync(quit: true, cancel);
    }

    /// <summary>The mail: a plain-text body in English or French, the link on a line of its own.</summary>
    internal static MimeMessage Compose(ResetLink link, MailboxAddress from)
    {
        var french = link.Culture.TwoLetterISOLanguageName == "fr";
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(link.DisplayName, link.Email));
        message.Subject = french ? "Choisir un nouveau mot de passe Planning Poker" : "Choose a new Planning Poker password";
        message.Body = new TextPart("plain")
        {
            Text = french
                ? $"""
                  Bonjour {link.DisplayName},

                  Quelqu’un, sans doute vous, a demandé à changer le mot de passe de votre compte Planning Poker. Pour en choisir un nouveau, ouvrez ce lien :

                  {link.Link}

                  Le lien ne sert qu’une fois et expire bientôt. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.
                  """
                : $"""
                  Hello {link.DisplayName},

                  Someone, probably you, asked to change the password of your Planning Poker account. To choose a new one, open this link:

                  {link.Link}

                  The link works once and expires soon. If you did not ask, ignore this mail: your password stays as it is.
                  """,
        };
        return message;
    }

    private static partial class Log
    {
        [LoggerMessage(1302, LogLevel.Information, "Password reset link mailed to the owner of account {AccountId}")]
        public static partial void Sent(ILogger logger, Guid accountId);

        [LoggerMessage(1303, LogLevel.Error, "Password reset link for account {AccountId} could not be mailed: {Error}: {Message}")]
        public static partial void Failed(ILogger logger, Guid accountId, string error, string message);

        [LoggerMessage(1304, LogLevel.Error, "Password reset link for account {AccountId} dropped: too many links wait for the mail server")]
        public static partial void Dropped(ILogger logger, Guid accountId);
    }
}
