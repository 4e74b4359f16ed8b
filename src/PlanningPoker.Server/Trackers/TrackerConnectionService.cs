using System.Linq.Expressions;
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

/// <summary>Whose tracker connections an endpoint works on: a team's, or the signed-in person's own.</summary>
internal abstract record TrackerOwner
{
    private TrackerOwner()
    {
    }

    /// <summary>The caller's personal connections (<c>/api/account/trackers</c>).</summary>
    public static TrackerOwner Personal { get; } = new PersonalOwner();

    /// <summary>A team's connections (<c>/api/orgs/{orgId}/teams/{teamId}/trackers</c>).</summary>
    /// <param name="OrganisationId">The team's organisation.</param>
    /// <param name="TeamId">The team.</param>
    public sealed record Team(Guid OrganisationId, Guid TeamId) : TrackerOwner;

    private sealed record PersonalOwner : TrackerOwner;
}

/// <summary>
/// Tracker connections (docs/api.md, "Tracker connections"), a team's or one person's (<see cref="TrackerOwner"/>):
/// kept in <c>tracker_connections</c> with the secret encrypted by ASP.NET Core Data Protection (never returned, never
/// logged); tested, searched and imported from through <see cref="TrackerClients"/>. Every method checks the caller's
/// place in the team (<see cref="OrganisationRules.MayInTeam"/>), or that a personal connection is the caller's own.
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

    /// <summary>The owner's connections, by name (a team's: members of the organisation; personal: their owner).</summary>
    public async Task<Reply<IReadOnlyList<TrackerConnectionDto>>> ListAsync(Guid actor, TrackerOwner owner)
    {
        await using var db = contexts.CreateDbContext();
        var (mine, refused) = await ScopeAsync(db, actor, owner, TeamAction.View);
        if (mine is null)
        {
            return Reply<IReadOnlyList<TrackerConnectionDto>>.From(refused!);
        }

        var rows = await db.Set<TrackerConnectionRow>().AsNoTracking().Where(mine).ToListAsync();
        return Reply<IReadOnlyList<TrackerConnectionDto>>.Of([.. rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).Select(ToDto)]);
    }

    /// <summary>Makes a connection (a team's: owner, admins, the team's facilitators; personal: any signed-in person, for themselves).</summary>
    public async Task<Reply<TrackerConnectionDto>> CreateAsync(Guid actor, TrackerOwner owner, SaveTrackerConnectionRequest? request)
    {
        var valid = Validate(request, secretRequired: true);
        if (!valid.IsSuccess)
        {
            return Reply<TrackerConnectionDto>.From(valid);
        }

        await using var db = contexts.CreateDbContext();
        var (mine, refused) = await ScopeAsync(db, actor, owner, TeamAction.ChangeSettings);
        if (mine is null)
        {
            return Reply<TrackerConnectionDto>.From(refused!);
        }

        var (max, whose) = owner is TrackerOwner.Team ? (options.Value.MaxConnectionsPerTeam, "a team") : (options.Value.MaxConnectionsPerAccount, "an account");
        if (await db.Set<TrackerConnectionRow>().CountAsync(mine) >= max)
        {
            return Reply<TrackerConnectionDto>.Fail(ErrorCodes.LimitExceeded, $"{whose} keeps at most {max} tracker connections");
        }

        var now = clock.GetUtcNow();
        var row = new TrackerConnectionRow { Id = Guid.CreateVersion7(now), CreatedAt = now };
        if (owner is TrackerOwner.Team team)
        {
            row.TeamId = team.TeamId;
        }
        else
        {
            row.OwnerAccountId = actor;
        }

        Apply(row, valid.Value!, now);
        db.Add(row);
        await db.SaveChangesAsync();
        LogSaved(row);
        return ToDto(row);
    }

    /// <summary>Changes a connection (as <see cref="CreateAsync"/>); an empty secret keeps the stored one.</summary>
    public async Task<Reply<TrackerConnectionDto>> UpdateAsync(Guid actor, TrackerOwner owner, Guid connectionId, SaveTrackerConnectionRequest? request)
    {
        var valid = Validate(request, secretRequired: false);
        if (!valid.IsSuccess)
        {
            return Reply<TrackerConnectionDto>.From(valid);
        }

        await using var db = contexts.CreateDbContext();
        var (mine, refused) = await ScopeAsync(db, actor, owner, TeamAction.ChangeSettings);
        if (mine is null)
        {
            return Reply<TrackerConnectionDto>.From(refused!);
        }

        var row = await db.Set<TrackerConnectionRow>().Where(mine).SingleOrDefaultAsync(c => c.Id == connectionId);
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
        LogSaved(row);
        return ToDto(row);
    }

    /// <summary>Deletes a connection (as <see cref="CreateAsync"/>).</summary>
    public async Task<Reply> DeleteAsync(Guid actor, TrackerOwner owner, Guid connectionId)
    {
        await using var db = contexts.CreateDbContext();
        var (mine, refused) = await ScopeAsync(db, actor, owner, TeamAction.ChangeSettings);
        if (mine is null)
        {
            return refused!;
        }

        var deleted = await db.Set<TrackerConnectionRow>().Where(mine).Where(c => c.Id == connectionId).ExecuteDeleteAsync();
        if (deleted == 0)
        {
            return NotFound<TrackerConnectionDto>();
        }

        if (owner is TrackerOwner.Team team)
        {
            Log.Deleted(logger, connectionId, team.TeamId);
        }
        else
        {
            Log.PersonalDeleted(logger, connectionId, actor);
        }

        return Reply.Ok;
    }

    /// <summary>Tests a connection: who its secret is and what it may do (as <see cref="CreateAsync"/>).</summary>
    public async Task<TrackerReply<TrackerCheckDto>> CheckAsync(Guid actor, TrackerOwner owner, Guid connectionId, CancellationToken cancellationToken)
    {
        var found = await ConnectionForAsync(actor, owner, connectionId, TeamAction.ChangeSettings);
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

    /// <summary>One page of what a query finds, to choose what to import (a team's: owner, admins, the team's members; personal: their owner).</summary>
    public async Task<TrackerReply<TrackerSearchPageDto>> SearchAsync(Guid actor, TrackerOwner owner, Guid connectionId, TrackerSearchRequest? request, CancellationToken cancellationToken)
    {
        var (query, pageSize, invalid) = ValidSearch(request);
        if (invalid is not null)
        {
            return invalid;
        }

        var found = await ConnectionForAsync(actor, owner, connectionId, TeamAction.OpenRoom);
        return found.Reply.IsSuccess
            ? await SearchAsync(found.Reply.Value!, query, request?.Page, pageSize, cancellationToken)
            : new TrackerReply<TrackerSearchPageDto>(Reply<TrackerSearchPageDto>.From(found.Reply), found.Failure);
    }

    /// <summary>
    /// The connections a room's facilitator seated at <paramref name="participant"/> may import from: the room's team's
    /// (none for an ad-hoc room), then the personal ones of the account that holds the seat (none for a guest's seat).
    /// </summary>
    public async Task<Reply<IReadOnlyList<RoomTrackerDto>>> ListForRoomAsync(IRoomGrain room, int participant)
    {
        var facilitates = await room.GetFacilitatorKey(participant);
        if (!facilitates.IsSuccess)
        {
            return Reply<IReadOnlyList<RoomTrackerDto>>.From(facilitates);
        }

        var (team, account) = (await room.GetTeam(), await room.GetSeatAccount(participant));
        if (team is null && account is null)
        {
            return Reply<IReadOnlyList<RoomTrackerDto>>.Of([]);
        }

        await using var db = contexts.CreateDbContext();
        var rows = await db.Set<TrackerConnectionRow>().AsNoTracking().Where(OfRoom(team, account)).ToListAsync();
        return Reply<IReadOnlyList<RoomTrackerDto>>.Of(
            [.. rows.OrderBy(r => r.OwnerAccountId is not null).ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
                .Select(r => new RoomTrackerDto(r.Id, r.Kind.ToString(), r.Name, r.Scope, r.OwnerAccountId is not null))]);
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
    /// Imports what a query finds into a room, for the facilitator seated at
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
    /// The connection a room's facilitator names, with its secret in clear: one of the room's team's, or one of the
    /// personal connections of the account that holds the facilitator's seat (in any room). Only a facilitator is shown the facilitator key: asking for it is the check, before the tracker is asked anything.
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
        var (team, account) = (await room.GetTeam(), await room.GetSeatAccount(participant));
        if (team is not null || account is not null)
        {
            await using var db = contexts.CreateDbContext();
            row = await db.Set<TrackerConnectionRow>().AsNoTracking().Where(OfRoom(team, account)).SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
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

    /// <summary>The connection, with its secret in clear, when the caller may do <paramref name="action"/> with the owner's connections.</summary>
    private async Task<TrackerReply<TrackerConnection>> ConnectionForAsync(Guid actor, TrackerOwner owner, Guid connectionId, TeamAction action)
    {
        await using var db = contexts.CreateDbContext();
        var (mine, refused) = await ScopeAsync(db, actor, owner, action);
        if (mine is null)
        {
            return Reply<TrackerConnection>.From(refused!);
        }

        var row = await db.Set<TrackerConnectionRow>().AsNoTracking().Where(mine).SingleOrDefaultAsync(c => c.Id == connectionId);
        return row is null ? NotFound<TrackerConnection>() : ConnectionOf(row);
    }

    /// <summary>
    /// The one place that says whose connections these are: a team's, when the caller may do <paramref name="action"/>
    /// in it (<see cref="OrganisationRules.MayInTeam"/>), or the caller's own personal ones. Null with the refusal otherwise.
    /// </summary>
    private static async Task<(Expression<Func<TrackerConnectionRow, bool>>? Mine, Reply? Refused)> ScopeAsync(PokerDbContext db, Guid actor, TrackerOwner owner, TeamAction action)
    {
        if (owner is TrackerOwner.Team of)
        {
            var (team, refused) = await TeamRooms.TeamForAsync(db, actor, of.OrganisationId, of.TeamId, action);
            return team is null ? (null, refused) : (c => c.TeamId == of.TeamId, null);
        }

        return (c => c.OwnerAccountId == actor, null);
    }

    /// <summary>A room's connections: its team's and the personal ones of the facilitator's account.</summary>
    private static Expression<Func<TrackerConnectionRow, bool>> OfRoom(Guid? team, Guid? account) =>
        c => (team != null && c.TeamId == team) || (account != null && c.OwnerAccountId == account);

    private void LogSaved(TrackerConnectionRow row)
    {
        if (row.TeamId is { } team)
        {
            Log.Saved(logger, row.Id, row.Kind, team);
        }
        else
        {
            Log.PersonalSaved(logger, row.Id, row.Kind, row.OwnerAccountId!.Value);
        }
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

    private static Reply<T> NotFound<T>() => Reply<T>.Fail(ErrorCodes.TrackerConnectionNotFound, "no such tracker connection");

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

        [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "Personal tracker connection {ConnectionId} ({Kind}) of account {AccountId} saved")]
        public static partial void PersonalSaved(ILogger logger, Guid connectionId, TrackerKind kind, Guid accountId);

        [LoggerMessage(EventId = 1408, Level = LogLevel.Information, Message = "Personal tracker connection {ConnectionId} of account {AccountId} deleted")]
        public static partial void PersonalDeleted(ILogger logger, Guid connectionId, Guid accountId);

        [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "The secret of tracker connection {ConnectionId} cannot be decrypted: its Data Protection key is missing")]
        public static partial void SecretUnreadable(ILogger logger, Guid connectionId);
    }
}
