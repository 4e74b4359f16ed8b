namespace PlanningPoker.Contracts;

/// <summary>
/// Every stable error code of the API. The hub puts it first in its error message ("CODE: sentence"); REST puts it
/// in the ProblemDetails <c>type</c> as <see cref="TypePrefix"/> + code, and in the <c>code</c> extension.
/// </summary>
public static class ErrorCodes
{
    /// <summary>Prefix of the ProblemDetails <c>type</c>.</summary>
    public const string TypePrefix = "urn:planning-poker:error:";

    // Rules of the workshop (the Domain's RoomErrorCode names).
#pragma warning disable CS1591 // each code is documented in docs/api.md
    public const string NotFacilitator = nameof(NotFacilitator);
    public const string NotAllowedToReveal = nameof(NotAllowedToReveal);
    public const string NotAVoter = nameof(NotAVoter);
    public const string ParticipantNotFound = nameof(ParticipantNotFound);
    public const string NameTaken = nameof(NameTaken);
    public const string InvalidName = nameof(InvalidName);
    public const string InvalidRole = nameof(InvalidRole);
    public const string LastFacilitator = nameof(LastFacilitator);
    public const string CannotKickSelf = nameof(CannotKickSelf);
    public const string RoomLocked = nameof(RoomLocked);
    public const string RoundNotOpen = nameof(RoundNotOpen);
    public const string RoundNotRevealed = nameof(RoundNotRevealed);
    public const string RoundInProgress = nameof(RoundInProgress);
    public const string NoCurrentRound = nameof(NoCurrentRound);
    public const string CardNotInDeck = nameof(CardNotInDeck);
    public const string VoteChangeNotAllowed = nameof(VoteChangeNotAllowed);
    public const string NoVote = nameof(NoVote);
    public const string StoryNotFound = nameof(StoryNotFound);
    public const string StoryInRound = nameof(StoryInRound);
    public const string InvalidStory = nameof(InvalidStory);
    public const string InvalidEstimate = nameof(InvalidEstimate);
    public const string InvalidDeck = nameof(InvalidDeck);
    public const string InvalidSettings = nameof(InvalidSettings);
    public const string InvalidTimer = nameof(InvalidTimer);
    public const string TimerNotRunning = nameof(TimerNotRunning);
    public const string TimerNotExpired = nameof(TimerNotExpired);
    public const string LimitExceeded = nameof(LimitExceeded);

    // The host's own.
    public const string RoomNotFound = nameof(RoomNotFound);
    public const string InvalidToken = nameof(InvalidToken);
    public const string WrongPasscode = nameof(WrongPasscode);
    public const string TooManyPasscodeAttempts = nameof(TooManyPasscodeAttempts);
    public const string WrongFacilitatorKey = nameof(WrongFacilitatorKey);
    public const string NotJoined = nameof(NotJoined);
    public const string ValidationFailed = nameof(ValidationFailed);
    public const string RateLimited = nameof(RateLimited);
    public const string OriginNotAllowed = nameof(OriginNotAllowed);
    public const string Unavailable = nameof(Unavailable);
    public const string InternalError = nameof(InternalError);

    // Accounts (docs/api.md, "Accounts").
    public const string NotSignedIn = nameof(NotSignedIn);
    public const string SignInFailed = nameof(SignInFailed);
    public const string AccountLockedOut = nameof(AccountLockedOut);
    public const string EmailTaken = nameof(EmailTaken);
    public const string InvalidPassword = nameof(InvalidPassword);
    public const string InvalidEmail = nameof(InvalidEmail);
    public const string InvalidResetToken = nameof(InvalidResetToken);
    public const string SignUpClosed = nameof(SignUpClosed);
    public const string LocalAccountsOff = nameof(LocalAccountsOff);
    public const string CsrfCheckFailed = nameof(CsrfCheckFailed);
    public const string InvalidApiToken = nameof(InvalidApiToken);
    public const string InsufficientScope = nameof(InsufficientScope);
    public const string ApiTokenNotFound = nameof(ApiTokenNotFound);
    public const string SignInRequired = nameof(SignInRequired);
    public const string ProviderNotFound = nameof(ProviderNotFound);
    public const string ExternalAccountsOff = nameof(ExternalAccountsOff);
    public const string ExternalSignInFailed = nameof(ExternalSignInFailed);
    public const string ExternalSignInCancelled = nameof(ExternalSignInCancelled);
    public const string NoPasskeyCeremony = nameof(NoPasskeyCeremony);
    public const string PasskeyRefused = nameof(PasskeyRefused);
    public const string PasskeyNotFound = nameof(PasskeyNotFound);
    public const string LastSignInMethod = nameof(LastSignInMethod);

    // Organisations and teams (docs/api.md, "Organisations and teams").
    public const string OrganisationNotFound = nameof(OrganisationNotFound);
    public const string NotAllowed = nameof(NotAllowed);
    public const string MemberNotFound = nameof(MemberNotFound);
    public const string LastOwner = nameof(LastOwner);
    public const string AlreadyMember = nameof(AlreadyMember);
    public const string InvitationNotFound = nameof(InvitationNotFound);
    public const string InvitationExpired = nameof(InvitationExpired);
    public const string InvitationRevoked = nameof(InvitationRevoked);
    public const string InvitationUsedUp = nameof(InvitationUsedUp);
    public const string TeamNotFound = nameof(TeamNotFound);
    public const string InvalidOrganisationName = nameof(InvalidOrganisationName);
    public const string DeckTemplateNotFound = nameof(DeckTemplateNotFound);
    public const string MembersOnly = nameof(MembersOnly);

    // Trackers (docs/api.md, "Tracker connections").
    public const string TrackerConnectionNotFound = nameof(TrackerConnectionNotFound);
    public const string TrackerFailed = nameof(TrackerFailed);

    // Reference and similar stories (docs/api.md, "Reference and similar stories").
    public const string StoryNotEstimated = nameof(StoryNotEstimated);
    public const string NotRevealedYet = nameof(NotRevealedYet);
#pragma warning restore CS1591
}

/// <summary>Reads the stable code out of a hub error's message.</summary>
public static class HubErrors
{
    private const string Wrapper = "HubException: ";

    /// <summary>
    /// The server's message is <c>"CODE: detail"</c>; SignalR clients put their own words before it (the .NET client:
    /// <c>"An unexpected error occurred invoking 'CastVote' on the server. HubException: RoundNotOpen: cannot CastVote while Lobby"</c>).
    /// Returns the code and the detail, or null when the message holds no code (a transport or binding failure).
    /// </summary>
    public static (string Code, string Detail)? Parse(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return null;
        }

        var start = message.LastIndexOf(Wrapper, StringComparison.Ordinal);
        var text = start < 0 ? message : message[(start + Wrapper.Length)..];
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !text[..colon].All(char.IsAsciiLetter))
        {
            return null;
        }

        return (text[..colon], text[(colon + 1)..].Trim());
    }
}
