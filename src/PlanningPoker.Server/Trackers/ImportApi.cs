using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Concurrency;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Api;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Security;

namespace PlanningPoker.Server.Trackers;

/// <summary>
/// Backlog files in (docs/api.md, "Importing a backlog"): read one to see what it holds, then import it into a room.
/// The file is the request's body, as it is on disk (any encoding, at most <see cref="CsvBacklog.MaxBytes"/>); the
/// columns are found from its header unless the query names them (<c>?header=true&amp;title=0&amp;key=2…</c>).
/// </summary>
public static class ImportApi
{
    /// <summary>The longest description a preview carries (the import takes it whole).</summary>
    public const int PreviewDescriptionLength = 300;

    /// <summary>Maps <c>POST /api/backlog/csv</c> and <c>POST /api/rooms/{roomId}/stories/import.csv</c>.</summary>
    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/backlog/csv", PreviewAsync).RequireRateLimiting(RoomsApi.RoomPolicy).WithTags("Import").WithName("PreviewBacklogFile");
        app.MapPost("/api/rooms/{roomId}/stories/import.csv", ImportCsvAsync).RequireRateLimiting(RoomsApi.RoomPolicy).WithTags("Import").WithName("ImportBacklogFile");
        return app;
    }

    private static async Task<Results<Ok<CsvPreviewDto>, ProblemHttpResult>> PreviewAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var read = await ReadFileAsync(http, cancellationToken);
        if (!read.IsSuccess)
        {
            return Errors.Problem(read.ErrorCode!, read.ErrorMessage);
        }

        var p = read.Value!;
        return TypedResults.Ok(new CsvPreviewDto(
            [.. p.Stories.Select(s => new ImportedStoryDto(s.Line, s.Title, Cut(s.Description), s.Key, s.Link, s.Type, EstimateOf(s)))],
            p.Columns, p.Encoding, p.Delimiter, p.Skipped, p.HasHeader, p.FirstRow));
    }

    private static async Task<Results<Ok<ImportReportDto>, ProblemHttpResult>> ImportCsvAsync(
        string roomId, HttpRequest http, IGrainFactory grains, RoomMisses misses, CancellationToken cancellationToken)
    {
        var seat = await RoomsApi.SeatOfAsync(roomId, http, grains, misses);
        if (!seat.IsSuccess)
        {
            return Errors.Problem(seat.ErrorCode!, seat.ErrorMessage);
        }

        var read = await ReadFileAsync(http, cancellationToken);
        if (!read.IsSuccess)
        {
            return Errors.Problem(read.ErrorCode!, read.ErrorMessage);
        }

        var file = read.Value!;
        if (file.Stories.Count == 0)
        {
            return Errors.Problem(ErrorCodes.InvalidStory, file.Skipped.Count > 0 ? $"no row holds a story ({file.Skipped[0]})" : "the file holds no story");
        }

        var drafts = file.Stories.Select(s => new StoryDraft(s.Title, s.Description, s.Key, s.Link, EstimateOf(s))).ToArray();
        var (grain, participant) = seat.Value;
        var report = await grain.Import(new Immutable<ImportStories>(new ImportStories(participant, drafts)));
        return report.IsSuccess
            ? TypedResults.Ok(report.Value! with { Skipped = file.Skipped })
            : Errors.Problem(report.ErrorCode!, report.ErrorMessage);
    }

    /// <summary>Reads the body (refusing more than <see cref="CsvBacklog.MaxBytes"/>) and the file in it, with the columns the query chose.</summary>
    private static async Task<Reply<CsvBacklogPreview>> ReadFileAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var columns = ColumnsOf(http.Query);
        if (!columns.IsSuccess)
        {
            return Reply<CsvBacklogPreview>.From(columns);
        }

        if (http.ContentLength > CsvBacklog.MaxBytes)
        {
            return TooLarge();
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > CsvBacklog.MaxBytes)
            {
                return TooLarge();
            }

            body.Write(buffer, 0, read);
        }

        return CsvBacklog.Read(body.GetBuffer().AsSpan(0, (int)body.Length), columns.Value);

        static Reply<CsvBacklogPreview> TooLarge() =>
            Reply<CsvBacklogPreview>.Fail(ErrorCodes.LimitExceeded, $"a file has at most {CsvBacklog.MaxBytes / 1024 / 1024} MB");
    }

    /// <summary>The columns named in the query (<c>header</c>, then a field name per column), or null to find them.</summary>
    private static Reply<CsvColumns?> ColumnsOf(IQueryCollection query)
    {
        var named = CsvBacklog.FieldNames.Where(query.ContainsKey).ToArray();
        if (named.Length == 0 && !query.ContainsKey("header"))
        {
            return Reply<CsvColumns?>.Of(null);
        }

        if (!bool.TryParse(query["header"], out var header))
        {
            return Reply<CsvColumns?>.Fail(ErrorCodes.ValidationFailed, "with columns chosen, say whether the first row names them: header=true or header=false");
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var field in named)
        {
            if (!int.TryParse(query[field], NumberStyles.None, CultureInfo.InvariantCulture, out var column) || column >= CsvBacklog.MaxColumns)
            {
                return Reply<CsvColumns?>.Fail(ErrorCodes.ValidationFailed, $"{field} is a column number from 0 to {CsvBacklog.MaxColumns - 1}");
            }

            columns[field] = column;
        }

        return new CsvColumns(header, columns);
    }

    /// <summary>The estimate as it is shown: the number in invariant form when it is one ("3,5" → "3.5"), else as written, cut to the room's limit.</summary>
    private static string? EstimateOf(ImportedStory s)
    {
        var text = s.EstimateValue is { } value ? value.ToString(CultureInfo.InvariantCulture) : s.Estimate;
        return text is null || text.Length <= RoomLimits.TrackerEstimateLength ? text : text[..RoomLimits.TrackerEstimateLength];
    }

    private static string? Cut(string? text) =>
        text is null || text.Length <= PreviewDescriptionLength ? text : string.Concat(text.AsSpan(0, PreviewDescriptionLength - 1), "…");
}
