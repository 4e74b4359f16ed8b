using System.Globalization;
using System.Net.Mail;
using System.Security.Claims;
using System.Text;
using PlanningPoker.Contracts;

namespace PlanningPoker.Server.Identity;

/// <summary>
/// Who an OpenID Connect provider says signed in, reduced to what we keep: the subject (the login's key), the email
/// only when the provider vouches for it, and a display name. Pure: table-tested in ExternalPersonTests.
/// </summary>
/// <param name="Subject">The provider's stable id of the person (<c>sub</c>).</param>
/// <param name="VerifiedEmail">The email, when the provider says it is verified (or is trusted to); else null.</param>
/// <param name="DisplayName">The name shown to others, made from <c>name</c>, <c>preferred_username</c> or the email.</param>
public sealed record ExternalPerson(string Subject, string? VerifiedEmail, string DisplayName)
{
    /// <summary>The claim type of <see cref="VerifiedEmail"/> in the external cookie (the email itself).</summary>
    public const string VerifiedEmailClaim = "planning-poker:verified-email";

    /// <summary>The longest subject kept (the <c>account_logins.provider_key</c> column).</summary>
    public const int SubjectLength = 128;

    /// <summary>The display name when the provider gives no usable one.</summary>
    public const string FallbackName = "Member";

    /// <summary>
    /// Reads an ID token's claims (OpenID Connect names: <c>sub</c>, <c>email</c>, <c>email_verified</c>,
    /// <c>name</c>, <c>preferred_username</c>); null when the subject is missing or too long.
    /// </summary>
    public static ExternalPerson? FromIdToken(IEnumerable<Claim> claims, bool trustEmails)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var list = claims.ToList();
        string? Value(string type) => list.FirstOrDefault(c => c.Type == type)?.Value;

        var subject = Value("sub");
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > SubjectLength)
        {
            return null;
        }

        var email = CleanEmail(Value("email"));
        var verified = trustEmails || string.Equals(Value("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
        var name = CleanName(Value("name")) ?? CleanName(Value("preferred_username")) ?? CleanName(email) ?? FallbackName;
        return new ExternalPerson(subject, verified ? email : null, name);
    }

    /// <summary>The claims of the external cookie (between the provider's answer and our sign-in).</summary>
    public ClaimsIdentity ToIdentity(string scheme)
    {
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, Subject));
        identity.AddClaim(new Claim(ClaimTypes.Name, DisplayName));
        if (VerifiedEmail is not null)
        {
            identity.AddClaim(new Claim(VerifiedEmailClaim, VerifiedEmail));
        }

        return identity;
    }

    /// <summary>Reads back <see cref="ToIdentity"/>.</summary>
    public static ExternalPerson? FromExternalCookie(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var subject = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var name = principal.FindFirst(ClaimTypes.Name)?.Value;
        return subject is null || name is null ? null : new ExternalPerson(subject, principal.FindFirst(VerifiedEmailClaim)?.Value, name);
    }

    /// <summary>
    /// Where to go after a sign-in: <paramref name="returnUrl"/> when it is a path of this site ("/rooms/abc?x=1"),
    /// else "/". Refuses "//evil.example" and "/\evil.example" (which browsers read as another site), absolute
    /// addresses, control characters and anything longer than 2,000 characters.
    /// </summary>
    public static string LocalPathOrRoot(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2_000 || returnUrl[0] != '/'
            || (returnUrl.Length > 1 && returnUrl[1] is '/' or '\\')
            || returnUrl.Any(c => char.IsControl(c) || c == '\\'))
        {
            return "/";
        }

        return returnUrl;
    }

    private static string? CleanEmail(string? email)
    {
        var trimmed = email?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > Limits.EmailLength || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed
            ? null
            : trimmed;
    }

    /// <summary>
    /// One line of at most <see cref="Limits.DisplayNameLength"/> UTF-16 units (the column's): control and format characters dropped
    /// (the emoji joiner kept), runs of white space made one space, NFC, cut at a character boundary; null when
    /// nothing is left.
    /// </summary>
    internal static string? CleanName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string normalized;
        try
        {
            normalized = text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return null; // a lone surrogate
        }

        var line = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c))
            {
                if (line.Length > 0 && line[^1] != ' ')
                {
                    line.Append(' ');
                }
            }
            else if (!char.IsControl(c) && (char.GetUnicodeCategory(c) != UnicodeCategory.Format || c == '\u200D'))
            {
                line.Append(c);
            }
        }

        var cleaned = line.ToString().Trim();
        var kept = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(cleaned);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (kept.Length + element.Length > Limits.DisplayNameLength)
            {
                break;
            }

            if (element.Length <= 12)
            {
                kept.Append(element);
            }
        }

        var name = kept.ToString().Trim();
        return name.Length == 0 ? null : name;
    }
}
