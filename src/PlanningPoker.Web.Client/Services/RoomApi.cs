using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;

namespace PlanningPoker.Web.Client.Services;

/// <summary>An API answer: a value, or an error code from docs/api.md (shown to people through <c>Error.{code}</c>).</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value on success.</param>
/// <param name="ErrorCode">The error's code on failure.</param>
public sealed record ApiResult<T>(T? Value, string? ErrorCode)
{
    /// <summary>True when <see cref="Value"/> holds the answer.</summary>
    public bool IsSuccess => ErrorCode is null;

    /// <summary>The problem's <c>detail</c> on failure where it is worth showing (a tracker's own reason, the server's words), else null.</summary>
    public string? Detail { get; init; }
}

/// <summary>
/// The server's REST API (docs/api.md), as the browser calls it. The server, rendering a page before the app runs,
/// answers <see cref="InfoAsync"/> itself (PlanningPoker.Server's Web/Prerendering.cs).
/// </summary>
public class RoomApi(HttpClient http)
{
    /// <summary>Creates a room; its creator is the first facilitator.</summary>
    public Task<ApiResult<CreateRoomResponse>> CreateAsync(CreateRoomRequest request) =>
        SendAsync<CreateRoomResponse>(new HttpRequestMessage(HttpMethod.Post, "api/rooms") { Content = JsonContent.Create(request) });

    /// <summary>What a visitor may know before joining.</summary>
    public virtual Task<ApiResult<RoomInfoDto>> InfoAsync(string roomId) =>
        SendAsync<RoomInfoDto>(new HttpRequestMessage(HttpMethod.Get, $"api/rooms/{Uri.EscapeDataString(roomId)}"));

    /// <summary>Takes a seat.</summary>
    public Task<ApiResult<JoinRoomResponse>> JoinAsync(string roomId, JoinRoomRequest request) =>
        SendAsync<JoinRoomResponse>(new HttpRequestMessage(HttpMethod.Post, $"api/rooms/{Uri.EscapeDataString(roomId)}/participants") { Content = JsonContent.Create(request) });

    /// <summary>The summary (facilitators).</summary>
    public Task<ApiResult<RoomSummaryDto>> SummaryAsync(string roomId, string token) =>
        SendAsync<RoomSummaryDto>(Authorized(HttpMethod.Get, $"api/rooms/{Uri.EscapeDataString(roomId)}/summary", token));

    /// <summary>An export's bytes: <c>csv</c> or <c>json</c> (facilitators).</summary>
    public async Task<ApiResult<byte[]>> ExportAsync(string roomId, string token, string format)
    {
        try
        {
            using var response = await http.SendAsync(Authorized(HttpMethod.Get, $"api/rooms/{Uri.EscapeDataString(roomId)}/export.{format}", token));
            return response.IsSuccessStatusCode
                ? new ApiResult<byte[]>(await response.Content.ReadAsByteArrayAsync(), null)
                : new ApiResult<byte[]>(null, await ErrorOfAsync(response));
        }
        catch (HttpRequestException)
        {
            return new ApiResult<byte[]>(null, ErrorCodes.Unavailable);
        }
    }

    /// <summary>What a backlog file holds, read by the server with the columns it finds or those chosen (no room changes).</summary>
    public Task<ApiResult<CsvPreviewDto>> PreviewFileAsync(byte[] file, CsvColumnChoice? columns) =>
        SendAsync<CsvPreviewDto>(new HttpRequestMessage(HttpMethod.Post, "api/backlog/csv" + columns?.Query) { Content = FileContent(file) });

    /// <summary>Imports a backlog file into a room (facilitators).</summary>
    public Task<ApiResult<ImportReportDto>> ImportFileAsync(string roomId, string token, byte[] file, CsvColumnChoice? columns)
    {
        var request = Authorized(HttpMethod.Post, $"api/rooms/{Uri.EscapeDataString(roomId)}/stories/import.csv{columns?.Query}", token);
        request.Content = FileContent(file);
        return SendAsync<ImportReportDto>(request);
    }

    /// <summary>The room's team's reference stories for the cards of its deck (none for an ad-hoc room).</summary>
    public Task<ApiResult<RoomReferencesDto>> ReferencesAsync(string roomId, string token) =>
        SendAsync<RoomReferencesDto>(Authorized(HttpMethod.Get, $"api/rooms/{Uri.EscapeDataString(roomId)}/references", token));

    /// <summary>The team's estimated stories most like a story (refused with <c>NotRevealedYet</c> before its reveal, unless the team allows it).</summary>
    public Task<ApiResult<SimilarStoriesDto>> SimilarAsync(string roomId, string token, int storyId) =>
        SendAsync<SimilarStoriesDto>(Authorized(HttpMethod.Get, $"api/rooms/{Uri.EscapeDataString(roomId)}/stories/{storyId}/similar", token));

    /// <summary>Earlier estimates of a story's external key in the team's rooms, newest first.</summary>
    public Task<ApiResult<EarlierEstimatesDto>> EarlierAsync(string roomId, string token, int storyId) =>
        SendAsync<EarlierEstimatesDto>(Authorized(HttpMethod.Get, $"api/rooms/{Uri.EscapeDataString(roomId)}/stories/{storyId}/earlier", token));

    /// <summary>The tracker connections a room's facilitator may import from (none for an ad-hoc room).</summary>
    public Task<ApiResult<IReadOnlyList<RoomTrackerDto>>> TrackersAsync(string roomId, string token) =>
        SendAsync<IReadOnlyList<RoomTrackerDto>>(Authorized(HttpMethod.Get, $"api/rooms/{Uri.EscapeDataString(roomId)}/trackers", token));

    /// <summary>One page of what a query finds in a tracker, to preview an import (facilitators).</summary>
    public Task<ApiResult<TrackerSearchPageDto>> SearchTrackerAsync(string roomId, string token, Guid trackerId, TrackerSearchRequest search)
    {
        var request = Authorized(HttpMethod.Post, $"api/rooms/{Uri.EscapeDataString(roomId)}/trackers/{trackerId}/search", token);
        request.Content = JsonContent.Create(search);
        return SendAsync<TrackerSearchPageDto>(request);
    }

    /// <summary>Imports one step of what a query finds in a tracker (facilitators); the report says where to go on.</summary>
    public Task<ApiResult<ImportReportDto>> ImportFromTrackerAsync(string roomId, string token, ImportFromTrackerRequest import)
    {
        var request = Authorized(HttpMethod.Post, $"api/rooms/{Uri.EscapeDataString(roomId)}/stories/import", token);
        request.Content = JsonContent.Create(import);
        return SendAsync<ImportReportDto>(request);
    }

    private static ByteArrayContent FileContent(byte[] file)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request)
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

                var (code, detail) = await ProblemOfAsync(response);
                return new ApiResult<T>(default, code) { Detail = code == ErrorCodes.TrackerFailed ? detail : null };
            }
        }
        catch (HttpRequestException)
        {
            return new ApiResult<T>(default, ErrorCodes.Unavailable);
        }
    }

    /// <summary>The <c>code</c> of a ProblemDetails answer, or a code for the status when the body has none.</summary>
    internal static async Task<string> ErrorOfAsync(HttpResponseMessage response) => (await ProblemOfAsync(response)).Code;

    /// <summary>The <c>code</c> and <c>detail</c> of a ProblemDetails answer; a code for the status when the body has none.</summary>
    private static async Task<(string Code, string? Detail)> ProblemOfAsync(HttpResponseMessage response)
    {
        try
        {
            using var problem = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            if (problem.RootElement.ValueKind == JsonValueKind.Object
                && problem.RootElement.TryGetProperty("code", out var code)
                && code.GetString() is { Length: > 0 } value)
            {
                var detail = problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return (value, detail);
            }
        }
        catch (JsonException)
        {
            // Not a problem document: fall back on the status.
        }

        return (response.StatusCode switch
        {
            HttpStatusCode.NotFound => ErrorCodes.RoomNotFound,
            HttpStatusCode.TooManyRequests => ErrorCodes.RateLimited,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ErrorCodes.InvalidToken,
            _ => ErrorCodes.Unavailable,
        }, null);
    }
}

/// <summary>Columns chosen by hand for a backlog file: whether its first row names them, and field → column (0-based).</summary>
/// <param name="HasHeader">The first row names the columns.</param>
/// <param name="Columns">Field (<c>title</c>, <c>key</c>, <c>description</c>, <c>link</c>, <c>estimate</c>) → column.</param>
public sealed record CsvColumnChoice(bool HasHeader, IReadOnlyDictionary<string, int> Columns)
{
    /// <summary>The query string that says it (<c>?header=true&amp;title=0…</c>).</summary>
    public string Query =>
        "?header=" + (HasHeader ? "true" : "false")
        + string.Concat(Columns.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"&{Uri.EscapeDataString(c.Key)}={c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
}
