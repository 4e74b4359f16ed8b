using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace PlanningPoker.Server.Trackers;

/// <summary>
/// What every tracker client shares: the one named <see cref="HttpClient"/> with its resilience pipeline, and the mapping of
/// an HTTP answer or a network failure to a <see cref="TrackerFailure"/>.
/// </summary>
public static class TrackerHttp
{
    /// <summary>The named client every tracker client uses.</summary>
    public const string ClientName = "trackers";

    /// <summary>The longest Retry-After waited for inside one call; a longer one comes back as <see cref="TrackerFailureKind.RateLimited"/> for the caller (the write-back worker) to schedule.</summary>
    public static readonly TimeSpan LongestInlineWait = TimeSpan.FromSeconds(5);

    /// <summary>The longest reason kept from a tracker's answer.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// Registers the trackers' <see cref="HttpClient"/>: a pipeline per tracker host (one host's outage does not open the
    /// circuit for another's), three retries of 408/429/5xx and network failures with exponential back-off and jitter that
    /// honour a Retry-After of up to <see cref="LongestInlineWait"/>, 10 s per attempt, 30 s in all.
    /// </summary>
    public static IServiceCollection AddTrackerHttp(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, client =>
            {
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("PlanningPoker", "1.0"));
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts rule
            })
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.MaxRetryAttempts = 3;
                options.Retry.BackoffType = DelayBackoffType.Exponential;
                options.Retry.UseJitter = true;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.ShouldRetryAfterHeader = true;
                var transient = options.Retry.ShouldHandle;
                options.Retry.ShouldHandle = async args =>
                    await transient(args) && !(args.Outcome.Result is { } r && RetryAfterOf(r, DateTimeOffset.UtcNow) > LongestInlineWait);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            })
            .SelectPipelineByAuthority();
        return services;
    }

    /// <summary>
    /// Sends a request and reads a success with <paramref name="read"/>; any other answer, or a network failure or timeout,
    /// becomes a <see cref="TrackerFailure"/> whose reason <paramref name="reasonOf"/> finds in the body (a JSON document, or
    /// null when the body is not JSON). Only the caller's cancellation throws.
    /// </summary>
    public static async Task<TrackerResult<T>> SendAsync<T>(
        HttpClient http,
        HttpRequestMessage request,
        Func<HttpResponseMessage, CancellationToken, Task<TrackerResult<T>>> read,
        Func<JsonElement?, string?> reasonOf,
        CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await read(response, cancellationToken);
            }

            return await FailureOfAsync(response, reasonOf, cancellationToken);
        }
        catch (Exception e) when (NetworkFailure(e, request, cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>
    /// The failure a call's exception means (a timeout, a host that cannot be reached or whose circuit is open, a body
    /// that is not the JSON expected), or null for any other exception, the caller's cancellation included.
    /// </summary>
    public static TrackerFailure? NetworkFailure(Exception exception, HttpRequestMessage request, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            new(TrackerFailureKind.Unavailable, $"{request.RequestUri?.Host} did not answer in time"),
        HttpRequestException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException =>
            new(TrackerFailureKind.Unavailable, $"{request.RequestUri?.Host} could not be reached ({Reason(exception.Message)})"),
        JsonException => new(TrackerFailureKind.Unavailable, $"{request.RequestUri?.Host} answered something unexpected ({Reason(exception.Message)})"),
        _ => null,
    };

    /// <summary>The failure an unsuccessful answer means, with the tracker's reason when its body has one.</summary>
    public static async Task<TrackerFailure> FailureOfAsync(HttpResponseMessage response, Func<JsonElement?, string?> reasonOf, CancellationToken cancellationToken)
    {
        JsonElement? body = null;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (bytes.Length is > 0 and < 1024 * 1024)
            {
                using var document = JsonDocument.Parse(bytes);
                body = document.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the status says it.
        }

        var status = response.StatusCode;
        var reason = Reason(reasonOf(body)) ?? $"{(int)status} {response.ReasonPhrase}".Trim();
        var kind = status switch
        {
            HttpStatusCode.Unauthorized => TrackerFailureKind.Unauthorized,
            HttpStatusCode.Forbidden when RetryAfterOf(response, DateTimeOffset.UtcNow) is not null => TrackerFailureKind.RateLimited, // GitHub's secondary limit
            HttpStatusCode.Forbidden => TrackerFailureKind.Forbidden,
            HttpStatusCode.NotFound or HttpStatusCode.Gone => TrackerFailureKind.NotFound,
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => TrackerFailureKind.Conflict,
            HttpStatusCode.TooManyRequests => TrackerFailureKind.RateLimited,
            HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => TrackerFailureKind.Unavailable,
            _ => TrackerFailureKind.Refused,
        };
        return new TrackerFailure(kind, reason, status, RetryAfterOf(response, DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// How long the tracker asks to wait: <c>Retry-After</c> in seconds or as a date, else <c>X-RateLimit-Reset</c>
    /// (a Unix time in seconds, as GitHub and GitLab send it, or an ISO 8601 date, as Jira Cloud does); null when it says nothing.
    /// </summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var values) && values.FirstOrDefault() is { } reset
            && (response.StatusCode == HttpStatusCode.TooManyRequests || RemainingIsZero(response)))
        {
            if (long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(Math.Min(unix, 253402300799));
                return at > now ? at - now : TimeSpan.Zero;
            }

            if (DateTimeOffset.TryParse(reset, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                return when > now ? when - now : TimeSpan.Zero;
            }
        }

        return null;
    }

    /// <summary>One line of at most <see cref="MaxReasonLength"/> characters, or null when blank.</summary>
    public static string? Reason(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxReasonLength ? line : string.Concat(line.AsSpan(0, MaxReasonLength - 1), "…");
    }

    /// <summary>The string at a property of a JSON object, or null.</summary>
    public static string? StringAt(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>
    /// Why an <see cref="ITrackerClient.ActualsAsync"/> call is refused before calling: more than
    /// <see cref="ITrackerClient.MaxActualKeys"/> keys; null when it may go.
    /// </summary>
    public static TrackerFailure? TooManyKeys(IReadOnlyList<string> keys) => keys.Count > ITrackerClient.MaxActualKeys
        ? new TrackerFailure(TrackerFailureKind.Refused, $"At most {ITrackerClient.MaxActualKeys} stories are asked at once ({keys.Count} were).")
        : null;

    /// <summary>
    /// The date at a property of a JSON object (ISO 8601, with an offset as <c>+00:00</c>, <c>Z</c> or Jira's <c>+0000</c>),
    /// or null when it is missing, null or not a date.
    /// </summary>
    public static DateTimeOffset? DateAt(JsonElement? element, string property)
    {
        if (StringAt(element, property) is not { Length: > 0 } text)
        {
            return null;
        }

        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var date))
        {
            return date;
        }

        // Jira writes the offset without a colon (2024-05-02T10:11:12.000+0200).
        return text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit)
            && DateTimeOffset.TryParse(string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2)), CultureInfo.InvariantCulture, styles, out date)
                ? date
                : null;
    }

    /// <summary>A number of seconds at a property of a JSON object as a time, or null when it is missing, null, 0 or less.</summary>
    public static TimeSpan? SecondsAt(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.Number
            && p.TryGetDouble(out var seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(Math.Round(seconds))
            : null;

    private static bool RemainingIsZero(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-RateLimit-Remaining", out var remaining) && remaining.FirstOrDefault() == "0";
}
