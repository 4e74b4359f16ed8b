using Microsoft.AspNetCore.Identity;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// A person's account (table <c>accounts</c>): signed in with an email and a password or a passkey (a local account),
/// or through an OpenID Connect provider (a row of <c>account_logins</c>). Guests have none: their seat is a token.
/// </summary>
public sealed class Account : IdentityUser<Guid>
{
    /// <summary>The name shown to others (in rooms, teams): what a signed-in member joins a room as.</summary>
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>When the account was made.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
