using System.Globalization;
using System.Text;
using CsvHelper;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Trackers;

/// <summary>A story read from a backlog file, before it goes into a room.</summary>
/// <param name="Line">The line of the file it starts on (1-based), for the preview and its warnings.</param>
/// <param name="Title">Its title (required).</param>
/// <param name="Description">Its description, or null.</param>
/// <param name="Key">Its key in the tracker ("PAY-12"), or null.</param>
/// <param name="Link">Its link in the tracker, or null.</param>
/// <param name="Type">Its type ("Story", "Bug"), or null.</param>
/// <param name="Labels">Its labels, from one cell separated by <c>;</c> or from repeated columns.</param>
/// <param name="Estimate">An estimate it already has, as written ("3", "3,5", "XL"), or null.</param>
/// <param name="EstimateValue">That estimate as a number, when it is one ("3,5" in a French file is 3.5).</param>
public sealed record ImportedStory(
    int Line, string Title, string? Description, string? Key, string? Link, string? Type, IReadOnlyList<string> Labels, string? Estimate, decimal? EstimateValue);

/// <summary>What a backlog file holds: its stories, how it was read, and what was passed over and why.</summary>
/// <param name="Stories">The stories, in the file's order.</param>
/// <param name="Columns">Which column of the file each field came from (field → header as written), for the preview.</param>
/// <param name="Encoding">The text encoding found ("utf-8", "utf-16LE", "windows-1252"…).</param>
/// <param name="Delimiter">The separator found: <c>,</c>, <c>;</c>, a tab or <c>|</c>.</param>
/// <param name="Skipped">Rows passed over, each with its line and reason.</param>
/// <param name="HasHeader">Whether the first row was read as the columns' names.</param>
/// <param name="FirstRow">The first row's cells (the names when <paramref name="HasHeader"/>, else the first story's cells), for choosing columns by hand.</param>
public sealed record CsvBacklogPreview(
    IReadOnlyList<ImportedStory> Stories, IReadOnlyDictionary<string, string> Columns, string Encoding, string Delimiter, IReadOnlyList<string> Skipped,
    bool HasHeader, IReadOnlyList<string> FirstRow);

/// <summary>Columns chosen by a person, over the ones found: which column (0-based) each field comes from.</summary>
/// <param name="HasHeader">Whether the first row names the columns (and is not a story).</param>
/// <param name="Columns">Field (<c>title</c>, <c>description</c>, <c>key</c>, <c>link</c>, <c>type</c>, <c>labels</c>, <c>estimate</c>) → column; <c>title</c> is required.</param>
public sealed record CsvColumns(bool HasHeader, IReadOnlyDictionary<string, int> Columns);

/// <summary>
/// Reads a backlog exported as CSV by a tracker, a spreadsheet or another planning poker tool (docs/api.md, "CSV"):
/// UTF-8 or UTF-16 with or without a byte-order mark, else Windows-1252 (Excel's "CSV (séparateur: point-virgule)"
/// in French); <c>,</c>, <c>;</c>, tab or <c>|</c> separators, found by the reader; quoted cells over several lines; header
/// names matched case-insensitively in English and French with the usual trackers' aliases (Jira's "Summary", "Issue
/// key", "Custom field (Story Points)"…), or Thunderdome's header-less column order; decimal commas. Pure: no I/O.
/// </summary>
public static class CsvBacklog
{
    /// <summary>The largest file read.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>The fields a column can fill, and the headers (lower case) that name each.</summary>
    private static readonly (string Field, string[] Headers)[] Fields =
    [
        ("title", ["title", "summary", "name", "titre", "résumé", "resume", "nom", "intitulé"]),
        ("key", ["key", "issue key", "referenceid", "reference id", "id", "clé", "cle", "clé de ticket", "clé du ticket", "référence"]),
        ("description", ["description"]),
        ("link", ["link", "url", "lien"]),
        ("type", ["type", "issue type", "work item type", "type de ticket", "type d'élément de travail"]),
        ("labels", ["labels", "label", "tags", "étiquettes", "etiquettes"]),
        ("estimate", [
            "estimate", "story points", "story point estimate", "custom field (story points)", "custom field (story point estimate)",
            "effort", "size", "points", "estimation", "points d'histoire", "points de story", "taille"
        ]),
    ];

    /// <summary>Thunderdome's export, header-less: Type, Title, ReferenceId, Link, Description, AcceptanceCriteria.</summary>
    private static readonly string[] HeaderlessOrder = ["type", "title", "key", "link", "description"];

    /// <summary>The most columns a file may have.</summary>
    public const int MaxColumns = 200;

    /// <summary>The fields a column can fill.</summary>
    public static IEnumerable<string> FieldNames => Fields.Select(f => f.Field);

    /// <summary>
    /// Reads <paramref name="file"/>, with the columns found from its header unless <paramref name="chosen"/> says
    /// which; a refusal (<c>ValidationFailed</c> with the reason) when nothing can be read from it.
    /// </summary>
    public static Reply<CsvBacklogPreview> Read(ReadOnlySpan<byte> file, CsvColumns? chosen = null)
    {
        if (file.Length > MaxBytes)
        {
            return Reply<CsvBacklogPreview>.Fail(ErrorCodes.ValidationFailed, $"a file has at most {MaxBytes / 1024 / 1024} MB");
        }

        var (encoding, text) = Decode(file);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Reply<CsvBacklogPreview>.Fail(ErrorCodes.ValidationFailed, "the file is empty");
        }

        // The separator (, ; tab or |) is the reader's to find, from the first lines.
        using var csv = CsvReader.Create(new StringReader(text), new CsvReaderOptions
        {
            HasHeader = false,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        }, leaveOpen: false);

        if (!csv.Read())
        {
            return Reply<CsvBacklogPreview>.Fail(ErrorCodes.ValidationFailed, "the file is empty");
        }

        var first = csv.Current.ToArray();
        if (first.Length > MaxColumns)
        {
            return Reply<CsvBacklogPreview>.Fail(ErrorCodes.ValidationFailed, $"a file has at most {MaxColumns} columns");
        }

        var columns = chosen is null ? ColumnsOf(first) : [];
        var headerless = chosen is null ? !columns.ContainsKey("title") : !chosen.HasHeader;
        if (chosen is not null)
        {
            foreach (var (field, column) in chosen.Columns)
            {
                if (!Fields.Any(f => f.Field == field) || column < 0 || column >= MaxColumns)
                {
                    return Reply<CsvBacklogPreview>.Fail(ErrorCodes.ValidationFailed, $"there is no field {field} or no column {column + 1}");
                }

                columns[field] = [column];
            }

            if (!columns.ContainsKey("title"))
            {
                return Reply<CsvBacklogPreview>.Fail(ErrorCodes.ValidationFailed, "choose the column that holds the stories' titles");
            }
        }
        else if (headerless)
        {
            if (first.Length < 2)
            {
                return Reply<CsvBacklogPreview>.Fail(ErrorCodes.ValidationFailed, "no column is a story's title: name one Title (or Summary, Name, Titre)");
            }

            columns = HeaderlessOrder.Select((field, i) => (field, i)).Where(c => c.i < first.Length).ToDictionary(c => c.field, c => new List<int> { c.i });
        }

        var stories = new List<ImportedStory>();
        var skipped = new List<string>();
        var record = headerless ? first : null;
        var line = headerless ? (int)csv.LineNumber : 0;
        do
        {
            if (record is null)
            {
                if (!csv.Read())
                {
                    break;
                }

                record = csv.Current.ToArray();
                line = (int)csv.LineNumber;
            }

            if (record.All(string.IsNullOrWhiteSpace))
            {
                record = null;
                continue;
            }

            var title = Cell(record, columns, "title");
            if (title is null)
            {
                skipped.Add($"line {line}: no title");
            }
            else if (stories.Count >= Domain.RoomLimits.MaxStories)
            {
                skipped.Add($"line {line}: a room holds at most {Domain.RoomLimits.MaxStories} stories");
            }
            else
            {
                var estimate = Cell(record, columns, "estimate");
                stories.Add(new ImportedStory(
                    line, Clip(title, Limits.StoryTitleLength)!, Clip(Cell(record, columns, "description"), Limits.StoryDescriptionLength),
                    Clip(Cell(record, columns, "key"), Limits.ExternalKeyLength), LinkOf(Cell(record, columns, "link")), Cell(record, columns, "type"),
                    LabelsOf(record, columns), estimate, NumberOf(estimate)));
            }

            record = null;
        }
        while (true);

        var found = columns.ToDictionary(
            c => c.Key, c => !headerless && c.Value[0] < first.Length ? first[c.Value[0]].Trim() : $"#{c.Value[0] + 1}", StringComparer.Ordinal);
        return new CsvBacklogPreview(
            stories, found, encoding.WebName, csv.Separator.ToString(), skipped, !headerless, [.. first.Select(c => Clip(c.Trim(), 100)!)]);
    }

    /// <summary>The text of the file: by its byte-order mark, else UTF-16 when every other byte is zero, else UTF-8 when valid, else Windows-1252.</summary>
    private static (Encoding Encoding, string Text) Decode(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Encoding.UTF8, Encoding.UTF8.GetString(file[3..]));
        }

        if (file.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode, Encoding.Unicode.GetString(file[2..]));
        }

        if (file.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Encoding.BigEndianUnicode, Encoding.BigEndianUnicode.GetString(file[2..]));
        }

        if (file.Length >= 4 && file.Length % 2 == 0)
        {
            // ASCII text in UTF-16 without a mark: a zero byte beside each character.
            if (file[1] == 0 && file[3] == 0 && file[0] != 0)
            {
                return (Encoding.Unicode, Encoding.Unicode.GetString(file));
            }

            if (file[0] == 0 && file[2] == 0 && file[1] != 0)
            {
                return (Encoding.BigEndianUnicode, Encoding.BigEndianUnicode.GetString(file));
            }
        }

        try
        {
            return (Encoding.UTF8, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file));
        }
        catch (DecoderFallbackException)
        {
            var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
            return (windows1252, windows1252.GetString(file));
        }
    }

    private static Dictionary<string, List<int>> ColumnsOf(string[] header)
    {
        var columns = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().ToLowerInvariant().Replace('’', '\'');
            if (Fields.FirstOrDefault(f => f.Headers.Contains(name)) is { Field: { } field })
            {
                if (!columns.TryGetValue(field, out var at))
                {
                    columns[field] = at = [];
                }

                at.Add(i); // Jira repeats "Labels" once per label
            }
        }

        return columns;
    }

    private static string? Cell(string[] record, Dictionary<string, List<int>> columns, string field)
    {
        if (!columns.TryGetValue(field, out var at))
        {
            return null;
        }

        foreach (var i in at)
        {
            if (i < record.Length && !string.IsNullOrWhiteSpace(record[i]))
            {
                return record[i].Trim();
            }
        }

        return null;
    }

    private static string[] LabelsOf(string[] record, Dictionary<string, List<int>> columns) =>
        columns.TryGetValue("labels", out var at)
            ? [.. at.Where(i => i < record.Length).SelectMany(i => record[i].Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)]
            : [];

    private static string? LinkOf(string? link) =>
        link is not null && link.Length <= Limits.UrlLength && Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? link
            : null;

    /// <summary>A number written with a decimal point or a decimal comma ("3.5", "3,5", "1 000"), or null.</summary>
    private static decimal? NumberOf(string? estimate)
    {
        if (estimate is null)
        {
            return null;
        }

        var plain = estimate.Replace("\u00a0", string.Empty, StringComparison.Ordinal).Replace("\u202f", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (plain.Count(c => c is ',' or '.') > 1)
        {
            return null;
        }

        return decimal.TryParse(plain.Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= 0 && value <= Limits.MaxEstimateValue
            ? value
            : null;
    }

    private static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
