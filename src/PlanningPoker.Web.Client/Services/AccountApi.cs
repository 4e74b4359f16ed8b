using System.Net;
using System.Net.Http.Json;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>
/// The account endpoints of the REST API (docs/api.md, "Accounts"), and the organisations and rooms a signed-in person
/// sees on the home page, as the browser calls them. The server, rendering a page before the app runs, answers
/// <see cref="SessionAsync"/> itself from the request's cookie (PlanningPoker.Server's Web/Prerendering.cs); pages
/// call the rest only once they run in the browser.
/// </summary>
public class AccountApi(HttpClient http)
{
    /// <summary>Who this browser is signed in as: never an error for a guest (<c>GET /api/account/session</c>).</summary>
    public virtual Task<ApiResult<SessionDto>> SessionAsync() => SendAsync<SessionDto>(Get("api/account/session"));

    /// <summary>The kinds of sign-in this server offers.</summary>
    public Task<ApiResult<SignInOptionsDto>> OptionsAsync() => SendAsync<SignInOptionsDto>(Get("api/account/options"));

    /// <summary>Makes a local account and signs it in.</summary>
    public Task<ApiResult<AccountDto>> SignUpAsync(SignUpRequest request) => SendAsync<AccountDto>(Post("api/account/sign-up", request));

    /// <summary>Signs in with an email and a password.</summary>
    public Task<ApiResult<AccountDto>> SignInAsync(SignInRequest request) => SendAsync<AccountDto>(Post("api/account/sign-in", request));

    /// <summary>Signs this browser out.</summary>
    public Task<ApiResult<bool>> SignOutAsync() => SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/account/sign-out"));

    /// <summary>Deletes the signed-in account for good (and signs this browser out).</summary>
    public Task<ApiResult<bool>> DeleteAccountAsync() => SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/account/delete"));

    /// <summary>Asks for a password reset link (the same answer whether or not the account exists).</summary>
    public Task<ApiResult<bool>> RequestResetAsync(PasswordResetRequest request) => SendAsync(Post("api/account/password-reset", request));

    /// <summary>Sets a new password with a reset link's token.</summary>
    public Task<ApiResult<bool>> ConfirmResetAsync(PasswordResetConfirmRequest request) => SendAsync(Post("api/account/password-reset/confirm", request));

    /// <summary>The signed-in person's personal API tokens, newest first.</summary>
    public Task<ApiResult<IReadOnlyList<ApiTokenDto>>> TokensAsync() => SendAsync<IReadOnlyList<ApiTokenDto>>(Get("api/account/tokens"));

    /// <summary>Makes a personal API token; the answer holds its secret, this once.</summary>
    public Task<ApiResult<ApiTokenDto>> CreateTokenAsync(CreateApiTokenRequest request) => SendAsync<ApiTokenDto>(Post("api/account/tokens", request));

    /// <summary>Revokes a personal API token.</summary>
    public Task<ApiResult<bool>> RevokeTokenAsync(Guid id) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/account/tokens/{id}"));

    /// <summary>The options of a sign-up with a passkey (JSON for the browser), once the email and name are checked.</summary>
    public Task<ApiResult<string>> PasskeySignUpOptionsAsync(PasskeySignUpOptionsRequest request) => SendTextAsync(Post("api/account/passkeys/sign-up/options", request));

    /// <summary>Makes the account with the passkey the browser made, and signs it in.</summary>
    public Task<ApiResult<AccountDto>> PasskeySignUpAsync(PasskeyCredentialRequest request) => SendAsync<AccountDto>(Post("api/account/passkeys/sign-up", request));

    /// <summary>The options of a sign-in with a passkey (JSON for the browser).</summary>
    public Task<ApiResult<string>> PasskeySignInOptionsAsync() => SendTextAsync(new HttpRequestMessage(HttpMethod.Post, "api/account/passkeys/sign-in/options"));

    /// <summary>Signs in with the passkey the browser signed with.</summary>
    public Task<ApiResult<AccountDto>> PasskeySignInAsync(PasskeyCredentialRequest request) => SendAsync<AccountDto>(Post("api/account/passkeys/sign-in", request));

    /// <summary>The signed-in account's passkeys, oldest first.</summary>
    public Task<ApiResult<IReadOnlyList<PasskeyDto>>> PasskeysAsync() => SendAsync<IReadOnlyList<PasskeyDto>>(Get("api/account/passkeys"));

    /// <summary>The options of a new passkey for the signed-in account (JSON for the browser).</summary>
    public Task<ApiResult<string>> AddPasskeyOptionsAsync() => SendTextAsync(new HttpRequestMessage(HttpMethod.Post, "api/account/passkeys/options"));

    /// <summary>Adds the passkey the browser made to the signed-in account.</summary>
    public Task<ApiResult<PasskeyDto>> AddPasskeyAsync(PasskeyCredentialRequest request) => SendAsync<PasskeyDto>(Post("api/account/passkeys", request));

    /// <summary>Renames a passkey of the signed-in account.</summary>
    public Task<ApiResult<bool>> RenamePasskeyAsync(string id, RenamePasskeyRequest request) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, $"api/account/passkeys/{Uri.EscapeDataString(id)}") { Content = JsonContent.Create(request) });

    /// <summary>Removes a passkey of the signed-in account.</summary>
    public Task<ApiResult<bool>> RemovePasskeyAsync(string id) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/account/passkeys/{Uri.EscapeDataString(id)}"));

    /// <summary>
    /// The rooms the signed-in person has a seat in, most recently active first. A server without this endpoint
    /// (404) has none to show.
    /// </summary>
    public async Task<ApiResult<IReadOnlyList<AccountRoomDto>>> RoomsAsync()
    {
        var rooms = await SendAsync<IReadOnlyList<AccountRoomDto>>(Get("api/account/rooms"), notFoundIsEmpty: true);
        return rooms.IsSuccess ? new(rooms.Value ?? [], null) : rooms;
    }

    /// <summary>The signed-in person's organisations, by name.</summary>
    public Task<ApiResult<IReadOnlyList<OrganisationDto>>> OrganisationsAsync() => SendAsync<IReadOnlyList<OrganisationDto>>(Get("api/orgs"));

    /// <summary>The teams of an organisation the signed-in person is a member of.</summary>
    public Task<ApiResult<IReadOnlyList<TeamDto>>> TeamsAsync(Guid organisationId) => SendAsync<IReadOnlyList<TeamDto>>(Get($"api/orgs/{organisationId}/teams"));

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post<T>(string path, T body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, bool notFoundIsEmpty = false)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request))
            {
                if (response.IsSuccessStatusCode)
                {
                    return new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(), null);
                }

                if (notFoundIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
                {
                    return new ApiResult<T>(default, null);
                }

                return new ApiResult<T>(default, await ErrorOfAsync(response));
            }
        }
        catch (HttpRequestException)
        {
            return new ApiResult<T>(default, ErrorCodes.Unavailable);
        }
    }

    /// <summary>A call whose answer is JSON handed on as it is (a passkey ceremony's options).</summary>
    private async Task<ApiResult<string>> SendTextAsync(HttpRequestMessage request)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request))
            {
                return response.IsSuccessStatusCode
                    ? new ApiResult<string>(await response.Content.ReadAsStringAsync(), null)
                    : new ApiResult<string>(null, await ErrorOfAsync(response));
            }
        }
        catch (HttpRequestException)
        {
            return new ApiResult<string>(null, ErrorCodes.Unavailable);
        }
    }

    /// <summary>A call whose answer has no body (<c>202</c>, <c>204</c>): true on success.</summary>
    private async Task<ApiResult<bool>> SendAsync(HttpRequestMessage request)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request))
            {
                return response.IsSuccessStatusCode ? new ApiResult<bool>(true, null) : new ApiResult<bool>(false, await ErrorOfAsync(response));
            }
        }
        catch (HttpRequestException)
        {
            return new ApiResult<bool>(false, ErrorCodes.Unavailable);
        }
    }

    /// <summary>The problem's code; a bare 401 means no sign-in here (a room's 401 means a seat's token).</summary>
    private static async Task<string> ErrorOfAsync(HttpResponseMessage response)
    {
        var code = await RoomApi.ErrorOfAsync(response);
        return code == ErrorCodes.InvalidToken && response.StatusCode == HttpStatusCode.Unauthorized ? ErrorCodes.NotSignedIn : code;
    }
}
