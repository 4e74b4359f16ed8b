using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>
/// The organisation endpoints (<c>/api/orgs</c>, <c>/api/invitations</c>, docs/api.md), as the browser calls them with
/// its sign-in cookie. Registered in the browser only: the pages that use it ask for it once they run interactively
/// (<see cref="Components.OrganisationPage"/>), never while the server renders them first, so that the server
/// (Prerendering.cs) needs no stand-in for it.
/// </summary>
public class OrganisationApi(HttpClient http)
{
    /// <summary>Who this browser is signed in as (<c>GET /api/account/session</c>: never an error for a guest).</summary>
    public virtual async Task<ApiResult<AccountDto?>> SessionAsync()
    {
        var session = await SendAsync<SessionDto>(HttpMethod.Get, "api/account/session");
        return session.IsSuccess ? new ApiResult<AccountDto?>(session.Value!.Account, null) : new ApiResult<AccountDto?>(null, session.ErrorCode);
    }

    /// <summary>The caller's organisations, by name.</summary>
    public Task<ApiResult<IReadOnlyList<OrganisationDto>>> ListAsync() =>
        SendAsync<IReadOnlyList<OrganisationDto>>(HttpMethod.Get, "api/orgs");

    /// <summary>Makes an organisation; the caller is its owner.</summary>
    public Task<ApiResult<OrganisationDto>> CreateAsync(string name) =>
        SendAsync<OrganisationDto>(HttpMethod.Post, "api/orgs", new CreateOrganisationRequest(name));

    /// <summary>An organisation, with the caller's role in it.</summary>
    public Task<ApiResult<OrganisationDto>> GetAsync(Guid orgId) =>
        SendAsync<OrganisationDto>(HttpMethod.Get, $"api/orgs/{orgId}");

    /// <summary>Renames an organisation (owner, admins).</summary>
    public Task<ApiResult<bool>> RenameAsync(Guid orgId, string name) =>
        SendAsync(HttpMethod.Put, $"api/orgs/{orgId}/name", new RenameOrganisationRequest(name));

    /// <summary>Deletes an organisation, its teams and its invitations (owner).</summary>
    public Task<ApiResult<bool>> DeleteAsync(Guid orgId) =>
        SendAsync(HttpMethod.Delete, $"api/orgs/{orgId}");

    /// <summary>The members, owner first.</summary>
    public Task<ApiResult<IReadOnlyList<MemberDto>>> MembersAsync(Guid orgId) =>
        SendAsync<IReadOnlyList<MemberDto>>(HttpMethod.Get, $"api/orgs/{orgId}/members");

    /// <summary>Makes a member an admin or a plain member.</summary>
    public Task<ApiResult<bool>> ChangeRoleAsync(Guid orgId, Guid accountId, OrganisationRole role) =>
        SendAsync(HttpMethod.Put, $"api/orgs/{orgId}/members/{accountId}/role", new ChangeMemberRoleRequest(role));

    /// <summary>Removes a member; the caller's own id is leaving.</summary>
    public Task<ApiResult<bool>> RemoveAsync(Guid orgId, Guid accountId) =>
        SendAsync(HttpMethod.Delete, $"api/orgs/{orgId}/members/{accountId}");

    /// <summary>Hands the organisation to another member (owner).</summary>
    public Task<ApiResult<bool>> TransferAsync(Guid orgId, Guid accountId) =>
        SendAsync(HttpMethod.Post, $"api/orgs/{orgId}/transfer", new TransferOwnershipRequest(accountId));

    /// <summary>Makes an invitation link; its token is in this answer only.</summary>
    public Task<ApiResult<InvitationDto>> InviteAsync(Guid orgId, CreateInvitationRequest request) =>
        SendAsync<InvitationDto>(HttpMethod.Post, $"api/orgs/{orgId}/invitations", request);

    /// <summary>The invitation links (without their tokens), newest first.</summary>
    public Task<ApiResult<IReadOnlyList<InvitationDto>>> InvitationsAsync(Guid orgId) =>
        SendAsync<IReadOnlyList<InvitationDto>>(HttpMethod.Get, $"api/orgs/{orgId}/invitations");

    /// <summary>Revokes an invitation link.</summary>
    public Task<ApiResult<bool>> RevokeAsync(Guid orgId, Guid invitationId) =>
        SendAsync(HttpMethod.Delete, $"api/orgs/{orgId}/invitations/{invitationId}");

    /// <summary>What an invitation link leads to (the token travels in the body, never in a URL).</summary>
    public Task<ApiResult<InvitationPreviewDto>> PreviewAsync(string token) =>
        SendAsync<InvitationPreviewDto>(HttpMethod.Post, "api/invitations/preview", new InvitationTokenRequest(token));

    /// <summary>Accepts an invitation: the caller becomes a member.</summary>
    public Task<ApiResult<OrganisationDto>> AcceptAsync(string token) =>
        SendAsync<OrganisationDto>(HttpMethod.Post, "api/invitations/accept", new InvitationTokenRequest(token));

    /// <summary>The organisation's teams.</summary>
    public Task<ApiResult<IReadOnlyList<TeamDto>>> TeamsAsync(Guid orgId) =>
        SendAsync<IReadOnlyList<TeamDto>>(HttpMethod.Get, $"api/orgs/{orgId}/teams");

    /// <summary>Makes a team (owner, admins).</summary>
    public Task<ApiResult<TeamDto>> CreateTeamAsync(Guid orgId, string name) =>
        SendAsync<TeamDto>(HttpMethod.Post, $"api/orgs/{orgId}/teams", new CreateTeamRequest(name));

    /// <summary>Deletes a team (owner, admins).</summary>
    public Task<ApiResult<bool>> DeleteTeamAsync(Guid orgId, Guid teamId) =>
        SendAsync(HttpMethod.Delete, $"api/orgs/{orgId}/teams/{teamId}");

    /// <summary>Adds a member of the organisation to a team, or sets whether they facilitate it.</summary>
    public Task<ApiResult<bool>> SetTeamMemberAsync(Guid orgId, Guid teamId, Guid accountId, bool isFacilitator) =>
        SendAsync(HttpMethod.Put, $"api/orgs/{orgId}/teams/{teamId}/members", new SetTeamMemberRequest(accountId, isFacilitator));

    /// <summary>Takes someone off a team.</summary>
    public Task<ApiResult<bool>> RemoveTeamMemberAsync(Guid orgId, Guid teamId, Guid accountId) =>
        SendAsync(HttpMethod.Delete, $"api/orgs/{orgId}/teams/{teamId}/members/{accountId}");

    /// <summary>The organisation's deck template library.</summary>
    public Task<ApiResult<IReadOnlyList<DeckTemplateDto>>> DecksAsync(Guid orgId) =>
        SendAsync<IReadOnlyList<DeckTemplateDto>>(HttpMethod.Get, $"api/orgs/{orgId}/decks");

    /// <summary>Saves a new deck template.</summary>
    public Task<ApiResult<DeckTemplateDto>> CreateDeckAsync(Guid orgId, SaveDeckTemplateRequest request) =>
        SendAsync<DeckTemplateDto>(HttpMethod.Post, $"api/orgs/{orgId}/decks", request);

    /// <summary>Changes a deck template.</summary>
    public Task<ApiResult<bool>> UpdateDeckAsync(Guid orgId, Guid deckId, SaveDeckTemplateRequest request) =>
        SendAsync(HttpMethod.Put, $"api/orgs/{orgId}/decks/{deckId}", request);

    /// <summary>Deletes a deck template.</summary>
    public Task<ApiResult<bool>> DeleteDeckAsync(Guid orgId, Guid deckId) =>
        SendAsync(HttpMethod.Delete, $"api/orgs/{orgId}/decks/{deckId}");

    /// <summary>A team's defaults for the rooms it opens.</summary>
    public Task<ApiResult<TeamSettingsDto>> TeamSettingsAsync(Guid orgId, Guid teamId) =>
        SendAsync<TeamSettingsDto>(HttpMethod.Get, $"api/orgs/{orgId}/teams/{teamId}/settings");

    /// <summary>Changes a team's defaults.</summary>
    public Task<ApiResult<bool>> UpdateTeamSettingsAsync(Guid orgId, Guid teamId, UpdateTeamSettingsRequest request) =>
        SendAsync(HttpMethod.Put, $"api/orgs/{orgId}/teams/{teamId}/settings", request);

    /// <summary>A team's reference stories, newest estimate first, and whether the caller may mark and unmark them.</summary>
    public Task<ApiResult<TeamReferencesDto>> TeamReferencesAsync(Guid orgId, Guid teamId) =>
        SendAsync<TeamReferencesDto>(HttpMethod.Get, $"api/orgs/{orgId}/teams/{teamId}/references");

    /// <summary>Marks an estimated story of one of the team's rooms as a reference (the team's facilitators, owner, admins).</summary>
    public Task<ApiResult<bool>> MarkReferenceAsync(Guid orgId, Guid teamId, string roomId, int storyId) =>
        SendAsync(HttpMethod.Put, $"api/orgs/{orgId}/teams/{teamId}/references/{Uri.EscapeDataString(roomId)}/{storyId}");

    /// <summary>Unmarks a reference story.</summary>
    public Task<ApiResult<bool>> UnmarkReferenceAsync(Guid orgId, Guid teamId, string roomId, int storyId) =>
        SendAsync(HttpMethod.Delete, $"api/orgs/{orgId}/teams/{teamId}/references/{Uri.EscapeDataString(roomId)}/{storyId}");

    /// <summary>A team's rooms, active ones first.</summary>
    public Task<ApiResult<IReadOnlyList<TeamRoomDto>>> TeamRoomsAsync(Guid orgId, Guid teamId) =>
        SendAsync<IReadOnlyList<TeamRoomDto>>(HttpMethod.Get, $"api/orgs/{orgId}/teams/{teamId}/rooms");

    /// <summary>A team's estimation KPIs over a period (UTC days, both included; the last 90 days when not given).</summary>
    public Task<ApiResult<TeamInsightsDto>> TeamInsightsAsync(Guid orgId, Guid teamId, DateOnly? from = null, DateOnly? to = null) =>
        SendAsync<TeamInsightsDto>(HttpMethod.Get, $"api/orgs/{orgId}/teams/{teamId}/insights{PeriodQuery(from, to)}");

    /// <summary>Every team's estimation KPIs side by side over a period (the organisation's owner and admins).</summary>
    public Task<ApiResult<OrganisationInsightsDto>> OrganisationInsightsAsync(Guid orgId, DateOnly? from = null, DateOnly? to = null) =>
        SendAsync<OrganisationInsightsDto>(HttpMethod.Get, $"api/orgs/{orgId}/insights{PeriodQuery(from, to)}");

    /// <summary>Where a team's dashboard downloads as CSV (the team's line and each workshop's), relative to the base address.</summary>
    public static string TeamInsightsExportPath(Guid orgId, Guid teamId, DateOnly from, DateOnly to) =>
        $"api/orgs/{orgId}/teams/{teamId}/insights/export{PeriodQuery(from, to)}";

    /// <summary>Where the organisation's dashboard downloads as CSV (its line and each team's), relative to the base address.</summary>
    public static string OrganisationInsightsExportPath(Guid orgId, DateOnly from, DateOnly to) =>
        $"api/orgs/{orgId}/insights/export{PeriodQuery(from, to)}";

    private static string PeriodQuery(DateOnly? from, DateOnly? to) => from is { } f && to is { } t
        ? $"?from={f.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}&to={t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}"
        : "";

    /// <summary>A page of a team's estimation history.</summary>
    public Task<ApiResult<HistoryPageDto>> TeamHistoryAsync(Guid orgId, Guid teamId, HistorySearch search, int page) =>
        SendAsync<HistoryPageDto>(HttpMethod.Get, $"api/orgs/{orgId}/teams/{teamId}/history?{search.Query()}&page={page}&pageSize={HistorySearch.PageSize}");

    /// <summary>One story of a team's history, with its rounds and votes.</summary>
    public Task<ApiResult<HistoryStoryDetailDto>> TeamHistoryStoryAsync(Guid orgId, Guid teamId, string roomId, int storyId) =>
        SendAsync<HistoryStoryDetailDto>(HttpMethod.Get, $"api/orgs/{orgId}/teams/{teamId}/history/{Uri.EscapeDataString(roomId)}/{storyId}");

    /// <summary>Where the browser downloads a team's history as <paramref name="format"/> (csv, json): a link, the sign-in cookie goes with it.</summary>
    public static string TeamHistoryExportPath(Guid orgId, Guid teamId, HistorySearch search, string format) =>
        $"api/orgs/{orgId}/teams/{teamId}/history/export?format={format}&{search.Query()}";

    /// <summary>Opens a room with the team's defaults; the caller takes the first seat, as with <c>POST /api/rooms</c>.</summary>
    public Task<ApiResult<CreateRoomResponse>> CreateTeamRoomAsync(Guid orgId, Guid teamId, string name) =>
        SendAsync<CreateRoomResponse>(HttpMethod.Post, $"api/orgs/{orgId}/teams/{teamId}/rooms", new CreateTeamRoomRequest(name));

    /// <summary>Where a team's tracker connections are (<c>api/orgs/{orgId}/teams/{teamId}/trackers</c>): the path the tracker calls below take.</summary>
    public static string TeamTrackersPath(Guid orgId, Guid teamId) => $"api/orgs/{orgId}/teams/{teamId}/trackers";

    /// <summary>Where the signed-in person's own tracker connections are: the path the tracker calls below take.</summary>
    public const string PersonalTrackersPath = "api/account/trackers";

    /// <summary>
    /// The tracker connections at <paramref name="trackers"/> (<see cref="TeamTrackersPath"/>: any member who may view
    /// the team; <see cref="PersonalTrackersPath"/>: their owner), by name, never their secrets.
    /// </summary>
    public Task<ApiResult<IReadOnlyList<TrackerConnectionDto>>> TrackersAsync(string trackers) =>
        SendAsync<IReadOnlyList<TrackerConnectionDto>>(HttpMethod.Get, trackers);

    /// <summary>Makes a tracker connection at <paramref name="trackers"/> (a team's: owner, admins, the team's facilitators).</summary>
    public Task<ApiResult<TrackerConnectionDto>> CreateTrackerAsync(string trackers, SaveTrackerConnectionRequest request) =>
        SendAsync<TrackerConnectionDto>(HttpMethod.Post, trackers, request);

    /// <summary>Changes a tracker connection; a null or empty secret keeps the stored one (not when the kind or base URL changes).</summary>
    public Task<ApiResult<TrackerConnectionDto>> UpdateTrackerAsync(string trackers, Guid trackerId, SaveTrackerConnectionRequest request) =>
        SendAsync<TrackerConnectionDto>(HttpMethod.Put, $"{trackers}/{trackerId}", request);

    /// <summary>Deletes a tracker connection.</summary>
    public Task<ApiResult<bool>> DeleteTrackerAsync(string trackers, Guid trackerId) =>
        SendAsync(HttpMethod.Delete, $"{trackers}/{trackerId}");

    /// <summary>
    /// Tests a tracker connection: who its secret acts as and what it may do. When the tracker refuses or does not
    /// answer, the error is <see cref="ErrorCodes.TrackerFailed"/> and <see cref="ApiResult{T}.Detail"/> holds its reason.
    /// </summary>
    public Task<ApiResult<TrackerCheckDto>> CheckTrackerAsync(string trackers, Guid trackerId) =>
        SendAsync<TrackerCheckDto>(HttpMethod.Post, $"{trackers}/{trackerId}/check");

    /// <summary>A call whose answer has no body worth reading (<c>204</c>): true on success.</summary>
    private async Task<ApiResult<bool>> SendAsync(HttpMethod method, string path, object? body = null)
    {
        try
        {
            using var request = Request(method, path, body);
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode ? new ApiResult<bool>(true, null) : new ApiResult<bool>(false, await ErrorOfAsync(response));
        }
        catch (HttpRequestException)
        {
            return new ApiResult<bool>(false, ErrorCodes.Unavailable);
        }
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body = null)
    {
        try
        {
            using var request = Request(method, path, body);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                var (code, detail) = await ProblemOfAsync(response);
                return new ApiResult<T>(default, code) { Detail = detail };
            }

            var value = await response.Content.ReadFromJsonAsync<T>();
            return value is null ? new ApiResult<T>(default, ErrorCodes.Unavailable) : new ApiResult<T>(value, null);
        }
        catch (HttpRequestException)
        {
            return new ApiResult<T>(default, ErrorCodes.Unavailable);
        }
        catch (JsonException)
        {
            return new ApiResult<T>(default, ErrorCodes.Unavailable);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, object? body) =>
        new(method, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };

    /// <summary>The <c>code</c> of a ProblemDetails answer, or a code for the status when the body has none.</summary>
    internal static async Task<string> ErrorOfAsync(HttpResponseMessage response) => (await ProblemOfAsync(response)).Code;

    /// <summary>
    /// The <c>code</c> of a ProblemDetails answer (a code for the status when the body has none) and its <c>detail</c>,
    /// or null (a tracker's reason for <see cref="ErrorCodes.TrackerFailed"/>: the server's words, in English).
    /// </summary>
    internal static async Task<(string Code, string? Detail)> ProblemOfAsync(HttpResponseMessage response)
    {
        string? detail = null;
        try
        {
            using var problem = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (problem.RootElement.TryGetProperty("detail", out var said) && said.ValueKind == JsonValueKind.String)
                {
                    detail = said.GetString() is { Length: > 0 } text ? text : null;
                }

                if (problem.RootElement.TryGetProperty("code", out var code)
                    && code.ValueKind == JsonValueKind.String
                    && code.GetString() is { Length: > 0 } value)
                {
                    return (value, detail);
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document: fall back on the status.
        }

        return (response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => ErrorCodes.NotSignedIn,
            HttpStatusCode.Forbidden => ErrorCodes.NotAllowed,
            HttpStatusCode.TooManyRequests => ErrorCodes.RateLimited,
            _ => ErrorCodes.Unavailable,
        }, detail);
    }

    /// <summary>A team's estimate vs actual over a period.</summary>
    public Task<ApiResult<TeamActualsDto>> TeamActualsAsync(Guid orgId, Guid teamId, DateOnly from, DateOnly to) =>
        SendAsync<TeamActualsDto>(HttpMethod.Get, $"api/orgs/{orgId}/teams/{teamId}/insights/actuals"
            + $"?from={from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>Asks the team's trackers now about its estimated stories (those who manage its trackers).</summary>
    public Task<ApiResult<ActualsRefreshDto>> RefreshActualsAsync(Guid orgId, Guid teamId) =>
        SendAsync<ActualsRefreshDto>(HttpMethod.Post, $"api/orgs/{orgId}/teams/{teamId}/insights/actuals/refresh");
}
