namespace PlanningPoker.Contracts;

/// <summary>
/// The limits a client needs to know (form fields' <c>maxlength</c>, error messages). The Domain's <c>RoomLimits</c>
/// enforces them; a server test holds the two equal.
/// </summary>
public static class Limits
{
    /// <summary>Characters of a display name.</summary>
    public const int DisplayNameLength = 40;

    /// <summary>Characters of a room name.</summary>
    public const int RoomNameLength = 80;

    /// <summary>Stories in a backlog.</summary>
    public const int MaxStories = 500;

    /// <summary>Characters of a story title.</summary>
    public const int StoryTitleLength = 200;

    /// <summary>Characters of a story description.</summary>
    public const int StoryDescriptionLength = 10_000;

    /// <summary>Characters of a story's external key.</summary>
    public const int ExternalKeyLength = 50;

    /// <summary>Characters of a story's URL.</summary>
    public const int UrlLength = 2_000;

    /// <summary>Characters of a card label, and of a typed final estimate.</summary>
    public const int CardLabelLength = 8;

    /// <summary>Largest value of a card or a typed final estimate.</summary>
    public const decimal MaxEstimateValue = 1_000_000m;

    /// <summary>Fewest cards of a custom deck.</summary>
    public const int CustomDeckMinCards = 2;

    /// <summary>Most cards of a custom deck.</summary>
    public const int CustomDeckMaxCards = 30;

    /// <summary>Shortest countdown, in seconds.</summary>
    public const int MinTimerSeconds = 10;

    /// <summary>Longest countdown, in seconds.</summary>
    public const int MaxTimerSeconds = 3_600;

    /// <summary>Fewest characters of a room's passcode.</summary>
    public const int PasscodeMinLength = 4;

    /// <summary>Most characters of a room's passcode.</summary>
    public const int PasscodeMaxLength = 64;

    /// <summary>Characters of an email address (RFC 5321's path limit).</summary>
    public const int EmailLength = 254;

    /// <summary>Most characters of a password (a passphrase fits; hashing stays cheap).</summary>
    public const int PasswordMaxLength = 128;

    /// <summary>Characters of an organisation's or a team's name.</summary>
    public const int OrganisationNameLength = 80;

    /// <summary>Organisations one account may belong to.</summary>
    public const int OrganisationsPerAccount = 50;

    /// <summary>Members of one organisation.</summary>
    public const int MembersPerOrganisation = 5_000;

    /// <summary>Teams of one organisation.</summary>
    public const int TeamsPerOrganisation = 500;

    /// <summary>Open (not expired, not revoked, not used up) invitation links of one organisation.</summary>
    public const int OpenInvitationsPerOrganisation = 100;

    /// <summary>Most uses of one invitation link.</summary>
    public const int InvitationMaxUses = 1_000;

    /// <summary>Longest life of an invitation link, in days.</summary>
    public const int InvitationMaxDays = 30;

    /// <summary>Live personal API tokens of one account.</summary>
    public const int ApiTokensPerAccount = 20;

    /// <summary>Characters of a personal API token's name.</summary>
    public const int ApiTokenNameLength = 80;

    /// <summary>Longest life of a personal API token, in days.</summary>
    public const int ApiTokenMaxDays = 365;

    /// <summary>Passkeys of one account.</summary>
    public const int PasskeysPerAccount = 20;

    /// <summary>Characters of a passkey's name.</summary>
    public const int PasskeyNameLength = 60;

    /// <summary>Characters of the JSON a browser's authenticator answers with (a passkey's public key and signatures fit many times over).</summary>
    public const int PasskeyCredentialLength = 16_000;

    /// <summary>Characters of a deck template's name.</summary>
    public const int DeckTemplateNameLength = 60;

    /// <summary>Deck templates an organisation keeps.</summary>
    public const int DeckTemplatesPerOrganisation = 100;

    /// <summary>Rooms listed on a team's page, and on a person's home page.</summary>
    public const int RoomsListed = 50;

    /// <summary>Most stories on a page of a team's estimation history.</summary>
    public const int HistoryPageSize = 100;

    /// <summary>Most stories in one export of a team's estimation history (a narrower period exports more).</summary>
    public const int HistoryExportStories = 20_000;

    /// <summary>Characters of the history's search text.</summary>
    public const int HistorySearchLength = 200;

    /// <summary>Reference stories a team keeps (docs/api.md, "Reference and similar stories").</summary>
    public const int ReferencesPerTeam = 200;

    /// <summary>Reference stories a room shows for one card of its deck, newest first.</summary>
    public const int ReferencesPerCard = 3;

    /// <summary>Similar stories a room is shown for one story, best first.</summary>
    public const int SimilarStories = 5;

    /// <summary>Earlier estimates of a story (same external key) a room is shown, newest first.</summary>
    public const int EarlierEstimates = 10;
}
