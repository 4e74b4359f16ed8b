using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Trackers;

/// <summary>A tracker call's outcome at the edge: the reply, and the tracker's failure when that is why it failed.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Reply">The reply (<see cref="ErrorCodes.TrackerFailed"/> with the tracker's reason when <paramref name="Failure"/> is set).</param>
/// <param name="Failure">What the tracker answered, when it failed.</param>
internal sealed record TrackerReply<T>(Reply<T> Reply, TrackerFailure? Failure = null)
{
    public static implicit operator TrackerReply<T>(Reply<T> reply) => new(reply);

    public static TrackerReply<T> Failed(TrackerFailure failure) => new(Reply<T>.Fail(ErrorCodes.TrackerFailed, failure.Reason), failure);
}

/// <summary>
/// A team's tracker connections (docs/api.md, "Tracker connections"): kept in <c>tracker_connections</c> with the secret
/// encrypted by ASP.NET Core Data Protection (never returned, never logged); tested, searched and imported from through
/// <see cref="TrackerClients"/>. Every method checks the caller's place in the team (<see cref="OrganisationRules.MayInTeam"/>).
/// </summary>
internal sealed partial class TrackerConnectionService(
    IDbContextFactory<PokerDbContext> contexts,
    IDataProtectionProvider protection,
    TrackerClients clients,
    IOptions<TrackerOptions> options,
    TimeProvider clock,
    ILogger<TrackerConnectionService> logger)
{
    /// <summary>The Data Protection purpose of the secrets.</summary>
    public const string SecretPurpose = "PlanningPoker.Trackers.Secret.v1";

    public const int NameLength = 60;
    public const int BaseUrlLength = 500;
    public const int SecretLength = 2_000;
    public const int FieldLength = 200;
    public const int MaxPoints = 50;
    public const int QueryLength = 2_000;
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    private readonly IDataProtector _protector = protection.CreateProtector(SecretPurpose);

    /// <summary>The team's connections, by name (members of the organisation).</summary>
    public async Task<Reply<IReadOnlyList<TrackerConnectionDto>>> ListAsync(Guid actor, Guid organisationId, Guid teamId)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.View);
        if (team is null)
        {
            return Reply<IReadOnlyList<TrackerConnectionDto>>.From(refused!);
        }

        var rows = await db.Set<TrackerConnectionRow>().AsNoTracking().Where(c => c.TeamId == teamId).ToListAsync();
        return Reply<IReadOnlyList<TrackerConnectionDto>>.Of([.. rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).Select(ToDto)]);
    }

    /// <summary>Makes a connection (owner, admins, the team's facilitators).</summary>
    public async Task<Reply<TrackerConnectionDto>> CreateAsync(Guid actor, Guid organisationId, Guid teamId, SaveTrackerConnectionRequest? request)
    {
        var valid = Validate(request, secretRequired: true);
        if (!valid.IsSuccess)
        {
            return Reply<TrackerConnectionDto>.From(valid);
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ChangeSettings);
        if (team is null)
        {
            return Reply<TrackerConnectionDto>.From(refused!);
        }

        var max = options.Value.MaxConnectionsPerTeam;
        if (await db.Set<TrackerConnectionRow>().CountAsync(c => c.TeamId == teamId) >= max)
        {
            return Reply<TrackerConnectionDto>.Fail(ErrorCodes.LimitExceeded, $"a team keeps at most {max} tracker connections");
        }

        var now = clock.GetUtcNow();
        var row = new TrackerConnectionRow { Id = Guid.CreateVersion7(now), TeamId = teamId, CreatedAt = now };
        Apply(row, valid.Value!, now);
        db.Add(row);
        await db.SaveChangesAsync();
        Log.Saved(logger, row.Id, row.Kind, teamId);
        return ToDto(row);
    }

    /// <summary>Changes a connection (owner, admins, the team's facilitators); an empty secret keeps the stored one.</summary>
    public async Task<Reply<TrackerConnectionDto>> UpdateAsync(Guid actor, Guid organisationId, Guid teamId, Guid connectionId, SaveTrackerConnectionRequest? request)
    {
        var valid = Validate(request, secretRequired: false);
        if (!valid.IsSuccess)
        {
            return Reply<TrackerConnectionDto>.From(valid);
        }

        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ChangeSettings);
        if (team is null)
        {
            return Reply<TrackerConnectionDto>.From(refused!);
        }

        var row = await db.Set<TrackerConnectionRow>().SingleOrDefaultAsync(c => c.Id == connectionId && c.TeamId == teamId);
        if (row is null)
        {
            return NotFound<TrackerConnectionDto>();
        }

        // The stored secret goes only where it was given for: sending it elsewhere needs it typed again.
        if (valid.Value!.Secret is null && (valid.Value.Kind != row.Kind || !string.Equals(valid.Value.BaseUrl, row.BaseUrl, StringComparison.OrdinalIgnoreCase)))
        {
            return Reply<TrackerConnectionDto>.Fail(ErrorCodes.ValidationFailed, "a connection moved to another tracker or base URL needs its secret again");
        }

        Apply(row, valid.Value, clock.GetUtcNow());
        await db.SaveChangesAsync();
        Log.Saved(logger, row.Id, row.Kind, teamId);
        return ToDto(row);
    }

    /// <summary>Deletes a connection (owner, admins, the team's facilitators).</summary>
    public async Task<Reply> DeleteAsync(Guid actor, Guid organisationId, Guid teamId, Guid connectionId)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, TeamAction.ChangeSettings);
        if (team is null)
        {
            return refused!;
        }

        var deleted = await db.Set<TrackerConnectionRow>().Where(c => c.Id == connectionId && c.TeamId == teamId).ExecuteDeleteAsync();
        if (deleted == 0)
        {
            return NotFound<TrackerConnectionDto>();
        }

        Log.Deleted(logger, connectionId, teamId);
        return Reply.Ok;
    }

    /// <summary>Tests a connection: who its secret is and what it may do (owner, admins, the team's facilitators).</summary>
    public async Task<TrackerReply<TrackerCheckDto>> CheckAsync(Guid actor, Guid organisationId, Guid teamId, Guid connectionId, CancellationToken cancellationToken)
    {
        var found = await ConnectionForAsync(actor, organisationId, teamId, connectionId, TeamAction.ChangeSettings);
        if (!found.Reply.IsSuccess)
        {
            return new TrackerReply<TrackerCheckDto>(Reply<TrackerCheckDto>.From(found.Reply), found.Failure);
        }

        var connection = found.Reply.Value!;
        var check = await clients.For(connection.Kind).CheckAsync(connection, cancellationToken);
        return check.IsSuccess
            ? Reply<TrackerCheckDto>.Of(new TrackerCheckDto(check.Value!.Account, check.Value.CanRead, check.Value.CanWrite, check.Value.EstimateField, check.Value.Notes))
            : TrackerReply<TrackerCheckDto>.Failed(check.Failure!);
    }

    /// <summary>One page of what a query finds, to choose what to import (owner, admins, the team's members).</summary>
    public async Task<TrackerReply<TrackerSearchPageDto>> SearchAsync(Guid actor, Guid organisationId, Guid teamId, Guid connectionId, TrackerSearchRequest? request, CancellationToken cancellationToken)
    {
        var (query, pageSize, invalid) = ValidSearch(request);
        if (invalid is not null)
        {
            return invalid;
        }

        var found = await ConnectionForAsync(actor, organisationId, teamId, connectionId, TeamAction.OpenRoom);
        return found.Reply.IsSuccess
            ? await SearchAsync(found.Reply.Value!, query, request?.Page, pageSize, cancellationToken)
            : new TrackerReply<TrackerSearchPageDto>(Reply<TrackerSearchPageDto>.From(found.Reply), found.Failure);
    }

    /// <summary>The connections of the room's team, for the facilitator seated at <paramref name="participant"/> (none for an ad-hoc room).</summary>
    public async Task<Reply<IReadOnlyList<RoomTrackerDto>>> ListForRoomAsync(IRoomGrain room, int participant)
    {
        var facilitates = await room.GetFacilitatorKey(participant);
        if (!facilitates.IsSuccess)
        {
            return Reply<IReadOnlyList<RoomTrackerDto>>.From(facilitates);
        }

        if (await room.GetTeam() is not { } team)
        {
            return Reply<IReadOnlyList<RoomTrackerDto>>.Of([]);
        }

        await using var db = contexts.CreateDbContext();
        var rows = await db.Set<TrackerConnectionRow>().AsNoTracking().Where(c => c.TeamId == team).ToListAsync();
        return Reply<IReadOnlyList<RoomTrackerDto>>.Of(
            [.. rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).Select(r => new RoomTrackerDto(r.Id, r.Kind.ToString(), r.Name, r.Scope))]);
    }

    /// <summary>One page of what a query finds, for a room's facilitator choosing what to import.</summary>
    public async Task<TrackerReply<TrackerSearchPageDto>> SearchForRoomAsync(IRoomGrain room, int participant, Guid connectionId, TrackerSearchRequest? request, CancellationToken cancellationToken)
    {
        var (query, pageSize, invalid) = ValidSearch(request);
        if (invalid is not null)
        {
            return invalid;
        }

        var found = await RoomConnectionAsync(room, participant, connectionId, cancellationToken);
        return found.Reply.IsSuccess
            ? await SearchAsync(found.Reply.Value.Connection, query, request?.Page, pageSize, cancellationToken)
            : new TrackerReply<TrackerSearchPageDto>(Reply<TrackerSearchPageDto>.From(found.Reply), found.Failure);
    }

    /// <summary>
    /// Imports what a query finds into a room of the connection's team, for the facilitator seated at
    /// <paramref name="participant"/>, from the request's page on, up to its limit: the pages are all read first, so
    /// that a tracker's failure imports nothing of this call. The report says where to go on (<see cref="ImportReportDto.Next"/>).
    /// </summary>
    public async Task<TrackerReply<ImportReportDto>> ImportAsync(IRoomGrain room, int participant, ImportFromTrackerRequest? request, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxImport;
        var query = request?.Query?.Trim() ?? string.Empty;
        var limit = request?.Limit ?? max;
        if (request is null || request.TrackerId == Guid.Empty || query.Length > QueryLength || limit < 1 || limit > max || request.Page is { Length: > QueryLength })
        {
            return Reply<ImportReportDto>.Fail(ErrorCodes.ValidationFailed, $"a tracker connection is required, a query has at most {QueryLength} characters and an import 1 to {max} stories");
        }

        var found = await RoomConnectionAsync(room, participant, request.TrackerId, cancellationToken);
        if (!found.Reply.IsSuccess)
        {
            return new TrackerReply<ImportReportDto>(Reply<ImportReportDto>.From(found.Reply), found.Failure);
        }

        var (row, connection) = found.Reply.Value;
        var client = clients.For(row.Kind);
        var issues = new List<TrackerIssue>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var next = string.IsNullOrEmpty(request.Page) ? null : request.Page;
        int? total = null;
        do
        {
            var page = await client.SearchAsync(connection, query, next, Math.Min(MaxPageSize, limit - issues.Count), cancellationToken);
            if (!page.IsSuccess)
            {
                Log.ImportFailed(logger, row.Id, page.Failure!.Kind);
                return TrackerReply<ImportReportDto>.Failed(page.Failure);
            }

            // A page that brings nothing new ends it, whatever the tracker says of a next one.
            var before = issues.Count;
            issues.AddRange(page.Value!.Issues.Where(i => keys.Add(i.Key)).Take(limit - issues.Count));
            total ??= page.Value.Total;
            next = issues.Count == before || page.Value.Next == next ? null : page.Value.Next;
        }
        while (next is not null && issues.Count < limit);

        if (issues.Count == 0)
        {
            // A step past the last story imports nothing; a query that finds nothing at all is said.
            return string.IsNullOrEmpty(request.Page)
                ? Reply<ImportReportDto>.Fail(ErrorCodes.InvalidStory, "the query finds no story")
                : Reply<ImportReportDto>.Of(new ImportReportDto(0, 0, 0, Total: total));
        }

        var source = row.Id.ToString("D");
        var drafts = issues.Select(i => new StoryDraft(
            Cut(i.Title, RoomLimits.StoryTitleLength)!,
            Cut(i.Description, RoomLimits.StoryDescriptionLength),
            Cut(i.Key, RoomLimits.ExternalKeyLength),
            i.Link is { } link && link.OriginalString.Length <= RoomLimits.UrlLength ? link.OriginalString : null,
            Cut(i.Estimate, RoomLimits.TrackerEstimateLength),
            source)).ToArray();
        var report = await room.Import(new Orleans.Concurrency.Immutable<ImportStories>(new ImportStories(participant, drafts)));
        if (!report.IsSuccess)
        {
            return report;
        }

        Log.Imported(logger, row.Id, report.Value!.Added, report.Value.Updated);
        return Reply<ImportReportDto>.Of(report.Value with { Next = next, Total = total });
    }

    /// <summary>A search request's query and page size, or why it is refused.</summary>
    private static (string Query, int PageSize, TrackerReply<TrackerSearchPageDto>? Invalid) ValidSearch(TrackerSearchRequest? request)
    {
        var query = request?.Query?.Trim() ?? string.Empty;
        var pageSize = request?.PageSize ?? DefaultPageSize;
        if (query.Length > QueryLength || pageSize is < 1 or > MaxPageSize || request?.Page is { Length: > QueryLength })
        {
            TrackerReply<TrackerSearchPageDto> refused = Reply<TrackerSearchPageDto>.Fail(ErrorCodes.ValidationFailed, $"a query has at most {QueryLength} characters and a page 1 to {MaxPageSize} stories");
            return (query, pageSize, refused);
        }

        return (query, pageSize, null);
    }

    private async Task<TrackerReply<TrackerSearchPageDto>> SearchAsync(TrackerConnection connection, string query, string? page, int pageSize, CancellationToken cancellationToken)
    {
        var found = await clients.For(connection.Kind).SearchAsync(connection, query, string.IsNullOrEmpty(page) ? null : page, pageSize, cancellationToken);
        return found.IsSuccess
            ? Reply<TrackerSearchPageDto>.Of(new TrackerSearchPageDto([.. found.Value!.Issues.Select(ToDto)], found.Value.Next, found.Value.Total))
            : TrackerReply<TrackerSearchPageDto>.Failed(found.Failure!);
    }

    /// <summary>
    /// The connection a room's facilitator names, with its secret in clear: one of the room's team's. Only a
    /// facilitator is shown the facilitator key: asking for it is the check, before the tracker is asked anything.
    /// </summary>
    private async Task<TrackerReply<(TrackerConnectionRow Row, TrackerConnection Connection)>> RoomConnectionAsync(
        IRoomGrain room, int participant, Guid connectionId, CancellationToken cancellationToken)
    {
        var facilitates = await room.GetFacilitatorKey(participant);
        if (!facilitates.IsSuccess)
        {
            return Reply<(TrackerConnectionRow, TrackerConnection)>.From(facilitates);
        }

        TrackerConnectionRow? row = null;
        if (await room.GetTeam() is { } team)
        {
            await using var db = contexts.CreateDbContext();
            row = await db.Set<TrackerConnectionRow>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == connectionId && c.TeamId == team, cancellationToken);
        }

        if (row is null)
        {
            return NotFound<(TrackerConnectionRow, TrackerConnection)>();
        }

        var connection = ConnectionOf(row);
        return connection.Reply.IsSuccess
            ? Reply<(TrackerConnectionRow, TrackerConnection)>.Of((row, connection.Reply.Value!))
            : new TrackerReply<(TrackerConnectionRow, TrackerConnection)>(Reply<(TrackerConnectionRow, TrackerConnection)>.From(connection.Reply), connection.Failure);
    }

    /// <summary>The connection, with its secret in clear, when the caller may do <paramref name="action"/> in its team.</summary>
    private async Task<TrackerReply<TrackerConnection>> ConnectionForAsync(Guid actor, Guid organisationId, Guid teamId, Guid connectionId, TeamAction action)
    {
        await using var db = contexts.CreateDbContext();
        var (team, refused) = await TeamRooms.TeamForAsync(db, actor, organisationId, teamId, action);
        if (team is null)
        {
            return Reply<TrackerConnection>.From(refused!);
        }

        var row = await db.Set<TrackerConnectionRow>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == connectionId && c.TeamId == teamId);
        return row is null ? NotFound<TrackerConnection>() : ConnectionOf(row);
    }

    /// <summary>A stored connection with its secret decrypted, or <see cref="ErrorCodes.TrackerFailed"/> ("enter it again") when its key is gone.</summary>
    internal TrackerReply<TrackerConnection> ConnectionOf(TrackerConnectionRow row)
    {
        string secret;
        try
        {
            secret = _protector.Unprotect(row.ProtectedSecret);
        }
        catch (CryptographicException)
        {
            // The key that encrypted it is gone (a new database of keys, a node with keys of its own).
            Log.SecretUnreadable(logger, row.Id);
            return TrackerReply<TrackerConnection>.Failed(new TrackerFailure(TrackerFailureKind.Unauthorized, "the stored secret can no longer be read: enter it again"));
        }

        return Reply<TrackerConnection>.Of(new TrackerConnection(row.Kind, new Uri(row.BaseUrl), secret, row.UserName, row.Scope, row.EstimateField));
    }

    private void Apply(TrackerConnectionRow row, ValidConnection valid, DateTimeOffset now)
    {
        row.Kind = valid.Kind;
        row.Name = valid.Name;
        row.BaseUrl = valid.BaseUrl;
        row.UserName = valid.User;
        row.Scope = valid.Scope;
        row.EstimateField = valid.EstimateField;
        row.PointsJson = valid.Points is null ? null : JsonSerializer.Serialize(valid.Points, JsonSerializerOptions.Web);
        if (valid.Secret is not null)
        {
            row.ProtectedSecret = _protector.Protect(valid.Secret);
        }

        row.UpdatedAt = now;
    }

    /// <summary>Checks a request's fields and normalises them (trimmed, blank as null).</summary>
    private Reply<ValidConnection> Validate(SaveTrackerConnectionRequest? request, bool secretRequired)
    {
        if (request is null)
        {
            return Invalid("a connection is required");
        }

        var kindName = request.Kind?.Trim();
        if (Enum.GetNames<TrackerKind>().SingleOrDefault(n => string.Equals(n, kindName, StringComparison.OrdinalIgnoreCase)) is not { } known)
        {
            return Invalid($"the kind is one of {string.Join(", ", Enum.GetNames<TrackerKind>())}");
        }

        var kind = Enum.Parse<TrackerKind>(known);
        var name = request.Name?.Trim() ?? string.Empty;
        if (!IsLine(name, NameLength))
        {
            return Invalid($"a connection's name has 1 to {NameLength} characters on one line");
        }

        var baseUrl = request.BaseUrl?.Trim() ?? string.Empty;
        if (baseUrl.Length is 0 or > BaseUrlLength || baseUrl.Any(char.IsControl)
            || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0)
        {
            return Invalid($"the base URL is an absolute http(s) URL without a user name or password, at most {BaseUrlLength} characters");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !options.Value.AllowHttp)
        {
            return Invalid("the base URL must use https");
        }

        var secret = string.IsNullOrWhiteSpace(request.Secret) ? null : request.Secret.Trim();
        if (secret is null ? secretRequired : secret.Length > SecretLength || secret.Any(char.IsControl))
        {
            return Invalid($"the secret (token, PAT or API key) has 1 to {SecretLength} characters");
        }

        var user = Blank(request.User);
        if (kind == TrackerKind.JiraCloud ? !IsLine(user, FieldLength) : user is not null && !IsLine(user, FieldLength))
        {
            return Invalid($"Jira Cloud needs the account's email, at most {FieldLength} characters");
        }

        var scope = Blank(request.Scope);
        var needsScope = kind is TrackerKind.AzureDevOps or TrackerKind.GitHub or TrackerKind.GitLab or TrackerKind.Linear;
        if (needsScope ? !IsLine(scope, FieldLength) : scope is not null && !IsLine(scope, FieldLength))
        {
            return Invalid($"{kind} needs a scope (the project, owner/repo or team key), at most {FieldLength} characters");
        }

        var estimateField = Blank(request.EstimateField);
        if (estimateField is not null && !IsLine(estimateField, FieldLength))
        {
            return Invalid($"the estimate field has at most {FieldLength} characters on one line");
        }

        Dictionary<string, decimal>? points = null;
        if (request.Points is { Count: > 0 } given)
        {
            if (given.Count > MaxPoints)
            {
                return Invalid($"at most {MaxPoints} cards are given points");
            }

            points = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var (card, value) in given)
            {
                var label = card?.Trim();
                if (!IsLine(label, RoomLimits.CardLabelLength) || value < 0 || !points.TryAdd(label!, value))
                {
                    return Invalid($"points are given to distinct card labels (1 to {RoomLimits.CardLabelLength} characters) and are 0 or more");
                }
            }
        }

        return new ValidConnection(kind, name, baseUrl, secret, kind == TrackerKind.JiraCloud ? user : null, scope, estimateField, points);

        static Reply<ValidConnection> Invalid(string message) => Reply<ValidConnection>.Fail(ErrorCodes.ValidationFailed, message);
    }

    private static bool IsLine(string? text, int maxLength) => text is { Length: > 0 } && text.Length <= maxLength && !text.Any(char.IsControl);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? Cut(string? text, int length) => text is null || text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private static Reply<T> NotFound<T>() => Reply<T>.Fail(ErrorCodes.TrackerConnectionNotFound, "the team has no such tracker connection");

    private static TrackerConnectionDto ToDto(TrackerConnectionRow row) => new(
        row.Id,
        row.Kind.ToString(),
        row.Name,
        row.BaseUrl,
        row.UserName,
        row.Scope,
        row.EstimateField,
        row.PointsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, decimal>>(row.PointsJson, JsonSerializerOptions.Web),
        row.CreatedAt,
        row.UpdatedAt,
        row.ProtectedSecret.Length > 0);

    private static TrackerIssueDto ToDto(TrackerIssue issue) =>
        new(issue.Key, issue.Title, Cut(issue.Description, ImportApi.PreviewDescriptionLength), issue.Link?.OriginalString, issue.Type, issue.Status, issue.Estimate);

    /// <summary>A request's fields, checked; <see cref="Secret"/> null keeps the stored one.</summary>
    private sealed record ValidConnection(TrackerKind Kind, string Name, string BaseUrl, string? Secret, string? User, string? Scope, string? EstimateField, Dictionary<string, decimal>? Points);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Tracker connection {ConnectionId} ({Kind}) of team {TeamId} saved")]
        public static partial void Saved(ILogger logger, Guid connectionId, TrackerKind kind, Guid teamId);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Tracker connection {ConnectionId} of team {TeamId} deleted")]
        public static partial void Deleted(ILogger logger, Guid connectionId, Guid teamId);

        [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "Imported from tracker connection {ConnectionId}: {Added} added, {Updated} updated")]
        public static partial void Imported(ILogger logger, Guid connectionId, int added, int updated);

        [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "Import from tracker connection {ConnectionId} failed: {Failure}")]
        public static partial void ImportFailed(ILogger logger, Guid connectionId, TrackerFailureKind failure);

        [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "The secret of tracker connection {ConnectionId} cannot be decrypted: its Data Protection key is missing")]
        public static partial void SecretUnreadable(ILogger logger, Guid connectionId);
    }
}
