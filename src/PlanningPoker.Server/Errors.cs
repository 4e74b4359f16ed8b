using Microsoft.AspNetCore.Http.HttpResults;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Observability;

namespace PlanningPoker.Server;

/// <summary>
/// The one mapping from a stable error code to what each edge says: the HTTP status and title of a ProblemDetails,
/// and the message of a hub error ("CODE: sentence").
/// </summary>
public static class Errors
{
    /// <summary>The HTTP status for an error code.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.InvalidToken or ErrorCodes.NotSignedIn or ErrorCodes.SignInFailed or ErrorCodes.InvalidApiToken
            or ErrorCodes.ExternalSignInFailed or ErrorCodes.ExternalSignInCancelled => StatusCodes.Status401Unauthorized,
        ErrorCodes.InsufficientScope or ErrorCodes.SignInRequired or ErrorCodes.NotAllowed or ErrorCodes.CsrfCheckFailed or ErrorCodes.AccountLockedOut or ErrorCodes.SignUpClosed
            or ErrorCodes.MembersOnly => StatusCodes.Status403Forbidden,
        ErrorCodes.ApiTokenNotFound or ErrorCodes.OrganisationNotFound or ErrorCodes.MemberNotFound or ErrorCodes.InvitationNotFound or ErrorCodes.TeamNotFound
            or ErrorCodes.DeckTemplateNotFound or ErrorCodes.PasskeyNotFound or ErrorCodes.LocalAccountsOff or ErrorCodes.ExternalAccountsOff or ErrorCodes.ProviderNotFound
            or ErrorCodes.TrackerConnectionNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.EmailTaken or ErrorCodes.LastOwner or ErrorCodes.AlreadyMember or ErrorCodes.LastSignInMethod
            or ErrorCodes.StoryNotEstimated or ErrorCodes.NotRevealedYet => StatusCodes.Status409Conflict,
        ErrorCodes.InvitationExpired or ErrorCodes.InvitationRevoked or ErrorCodes.InvitationUsedUp => StatusCodes.Status410Gone,
        ErrorCodes.NotFacilitator or ErrorCodes.NotAllowedToReveal or ErrorCodes.NotAVoter or ErrorCodes.WrongPasscode
            or ErrorCodes.WrongFacilitatorKey or ErrorCodes.RoomLocked or ErrorCodes.OriginNotAllowed => StatusCodes.Status403Forbidden,
        ErrorCodes.RoomNotFound or ErrorCodes.ParticipantNotFound or ErrorCodes.StoryNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.NameTaken or ErrorCodes.LastFacilitator or ErrorCodes.RoundNotOpen or ErrorCodes.RoundNotRevealed
            or ErrorCodes.RoundInProgress or ErrorCodes.NoCurrentRound or ErrorCodes.StoryInRound or ErrorCodes.VoteChangeNotAllowed
            or ErrorCodes.NoVote or ErrorCodes.TimerNotRunning or ErrorCodes.TimerNotExpired => StatusCodes.Status409Conflict,
        ErrorCodes.LimitExceeded => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.RateLimited or ErrorCodes.TooManyPasscodeAttempts => StatusCodes.Status429TooManyRequests,
        ErrorCodes.TrackerFailed => StatusCodes.Status502BadGateway,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.InternalError => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>A short, stable title for an error code.</summary>
    public static string TitleOf(string code) => code switch
    {
        ErrorCodes.InvalidToken => "The token opens no seat in this room.",
        ErrorCodes.NotFacilitator => "Only a facilitator may do this.",
        ErrorCodes.RoomNotFound => "There is no such room.",
        ErrorCodes.WrongPasscode => "The passcode is wrong.",
        ErrorCodes.WrongFacilitatorKey => "The facilitator link is wrong or was renewed.",
        ErrorCodes.RoomLocked => "The room is locked.",
        ErrorCodes.NameTaken => "That name is taken in this room.",
        ErrorCodes.RateLimited => "Too many requests: slow down.",
        ErrorCodes.TooManyPasscodeAttempts => "Too many wrong passcodes for this room: wait before trying again.",
        ErrorCodes.OriginNotAllowed => "This site's pages may not open the hub.",
        ErrorCodes.ValidationFailed => "The request is malformed.",
        ErrorCodes.NotSignedIn => "Sign in first.",
        ErrorCodes.SignInFailed => "The email or the password is wrong, or the passkey opens no account here.",
        ErrorCodes.AccountLockedOut => "Too many wrong passwords: this account is locked for a while.",
        ErrorCodes.EmailTaken => "An account with this email exists.",
        ErrorCodes.InvalidPassword => "The password is too weak.",
        ErrorCodes.InvalidEmail => "The email address is not valid.",
        ErrorCodes.InvalidResetToken => "The password reset link is wrong or has expired.",
        ErrorCodes.SignUpClosed => "Sign-up is by invitation only.",
        ErrorCodes.LocalAccountsOff => "Accounts with a password are switched off on this server.",
        ErrorCodes.CsrfCheckFailed => "The request did not come from this site's pages.",
        ErrorCodes.ProviderNotFound => "There is no such sign-in provider on this server.",
        ErrorCodes.ExternalAccountsOff => "Sign-in through an identity provider is switched off on this server.",
        ErrorCodes.ExternalSignInFailed => "The sign-in through the identity provider failed.",
        ErrorCodes.ExternalSignInCancelled => "The sign-in was cancelled at the identity provider.",
        ErrorCodes.NoPasskeyCeremony => "No passkey ceremony is under way in this browser: ask for its options first.",
        ErrorCodes.PasskeyRefused => "The passkey was not accepted.",
        ErrorCodes.PasskeyNotFound => "There is no such passkey.",
        ErrorCodes.LastSignInMethod => "This is the account's only way to sign in.",
        ErrorCodes.OrganisationNotFound => "There is no such organization, or you are not a member.",
        ErrorCodes.NotAllowed => "Your role does not allow this.",
        ErrorCodes.MemberNotFound => "There is no such member.",
        ErrorCodes.LastOwner => "An organization keeps one owner: transfer the ownership first.",
        ErrorCodes.AlreadyMember => "You are already a member.",
        ErrorCodes.InvitationNotFound => "There is no such invitation.",
        ErrorCodes.InvitationExpired => "This invitation has expired.",
        ErrorCodes.InvitationRevoked => "This invitation was revoked.",
        ErrorCodes.InvitationUsedUp => "This invitation has been used up.",
        ErrorCodes.TeamNotFound => "There is no such team.",
        ErrorCodes.DeckTemplateNotFound => "The organization has no such deck.",
        ErrorCodes.MembersOnly => "This team's rooms are for the members of its organization: sign in.",
        ErrorCodes.InvalidApiToken => "The API token is wrong, expired or revoked.",
        ErrorCodes.InsufficientScope => "The API token's scope does not allow this.",
        ErrorCodes.ApiTokenNotFound => "There is no such API token.",
        ErrorCodes.SignInRequired => "Sign in to do this: an API token may not.",
        ErrorCodes.TrackerConnectionNotFound => "No such tracker connection, or not one that may be used here.",
        ErrorCodes.TrackerFailed => "The tracker refused or failed: its reason is in the detail.",
        ErrorCodes.StoryNotEstimated => "The story is not an estimated story of the team's rooms.",
        ErrorCodes.NotRevealedYet => "Similar stories show once the story's cards are revealed.",
        ErrorCodes.Unavailable => "The service is busy: try again.",
        ErrorCodes.InternalError => "Something went wrong on our side.",
        _ => "The request breaks a rule of the room.",
    };

    /// <summary>The ProblemDetails <c>type</c> of an error code.</summary>
    public static string TypeOf(string code) => ErrorCodes.TypePrefix + code;

    /// <summary>A ProblemDetails result for an error code.</summary>
    public static ProblemHttpResult Problem(string code, string? detail) => Problem(code, detail, null);

    /// <summary>A ProblemDetails result for an error code, with more extensions beside <c>code</c>.</summary>
    public static ProblemHttpResult Problem(string code, string? detail, IReadOnlyDictionary<string, object?>? extensions)
    {
        PokerMetrics.Error(code, PokerMetrics.HttpEdge);
        var all = new Dictionary<string, object?> { ["code"] = code };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            all[key] = value;
        }

        return TypedResults.Problem(detail: detail, statusCode: StatusOf(code), title: TitleOf(code), type: TypeOf(code), extensions: all);
    }

    /// <summary>The message of a hub error: the code first, so that clients can parse it.</summary>
    public static string HubMessage(string code, string? detail)
    {
        PokerMetrics.Error(code, PokerMetrics.HubEdge);
        return $"{code}: {detail ?? TitleOf(code)}";
    }

    /// <summary>
    /// Gives the framework's own problems (a body that is not JSON, an unknown route, an unhandled exception) the
    /// same stable <c>type</c> and <c>code</c> as ours.
    /// </summary>
    public static void AddCodeToFrameworkProblems(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        var code = problem.Status switch
        {
            StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType => ErrorCodes.ValidationFailed,
            StatusCodes.Status429TooManyRequests => ErrorCodes.RateLimited,
            >= 500 => ErrorCodes.InternalError,
            _ => null,
        };
        if (code is not null)
        {
            PokerMetrics.Error(code, PokerMetrics.HttpEdge);
            problem.Type = TypeOf(code);
            problem.Title = TitleOf(code);
            problem.Extensions["code"] = code;
        }
    }
}
