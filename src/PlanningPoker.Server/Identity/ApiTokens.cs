using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Rooms;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Identity;

/// <summary>A personal API token (table <c>api_tokens</c>): its secret is stored hashed.</summary>
internal sealed class ApiTokenRow
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public string Name { get; set; } = string.Empty;

    public string TokenHash { get; set; } = string.Empty;

    public ApiTokenScope Scope { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>
/// Personal API tokens, for scripts: made by a signed-in person (shown once, stored as a SHA-256), scoped (read or
/// write), expiring, revocable, with the time of last use. A request presents one as <c>Authorization: Bearer pp_…</c>
/// (<see cref="ApiTokenAuthentication"/>).
/// </summary>
internal sealed class ApiTokens(IDbContextFactory<PokerDbContext> contexts, TimeProvider clock)
{
    /// <summary>What every token starts with, so that it is told from a seat token and found by secret scanners.</summary>
    public const string Prefix = "pp_";

    /// <summary>How often the time of last use is written: at most once a minute per token.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    public static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<ApiTokenRow>(token =>
    {
        token.ToTable("api_tokens");
        token.HasKey(t => t.Id);
        token.Property(t => t.Name).HasMaxLength(Limits.ApiTokenNameLength);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.Scope).HasConversion<string>().HasMaxLength(16);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasIndex(t => t.AccountId);
        token.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
    });

    /// <summary>Makes a token for <paramref name="account"/>; its secret is in this answer only.</summary>
    public async Task<Reply<ApiTokenDto>> CreateAsync(Guid account, CreateApiTokenRequest request)
    {
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > Limits.ApiTokenNameLength || name.Any(char.IsControl))
        {
            return Reply<ApiTokenDto>.Fail(ErrorCodes.InvalidName, $"a token's name has 1 to {Limits.ApiTokenNameLength} characters");
        }

        if (!Enum.IsDefined(request.Scope) || request.ValidForDays is < 1 or > Limits.ApiTokenMaxDays)
        {
            return Reply<ApiTokenDto>.Fail(ErrorCodes.ValidationFailed, $"a token's scope is read or write, and it lasts 1 to {Limits.ApiTokenMaxDays} days");
        }

        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var live = (await db.Set<ApiTokenRow>().Where(t => t.AccountId == account).Select(t => t.ExpiresAt).ToListAsync()).Count(e => e > now);
        if (live >= Limits.ApiTokensPerAccount)
        {
            return Reply<ApiTokenDto>.Fail(ErrorCodes.LimitExceeded, $"an account has at most {Limits.ApiTokensPerAccount} live tokens: revoke some");
        }

        var secret = Prefix + Secrets.NewToken();
        var row = new ApiTokenRow
        {
            Id = Guid.CreateVersion7(now),
            AccountId = account,
            Name = name,
            TokenHash = Secrets.HashToken(secret),
            Scope = request.Scope,
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ValidForDays),
        };
        db.Add(row);
        await db.SaveChangesAsync();
        return ToDto(row) with { Token = secret };
    }

    /// <summary>The tokens of <paramref name="account"/>, newest first (expired ones too, until revoked).</summary>
    public async Task<IReadOnlyList<ApiTokenDto>> ListAsync(Guid account)
    {
        await using var db = contexts.CreateDbContext();
        var rows = await db.Set<ApiTokenRow>().Where(t => t.AccountId == account).ToListAsync();
        return [.. rows.OrderByDescending(t => t.CreatedAt).Select(ToDto)];
    }

    /// <summary>Revokes (deletes) one of <paramref name="account"/>'s tokens.</summary>
    public async Task<Reply> RevokeAsync(Guid account, Guid id)
    {
        await using var db = contexts.CreateDbContext();
        var removed = await db.Set<ApiTokenRow>().Where(t => t.Id == id && t.AccountId == account).ExecuteDeleteAsync();
        return removed == 0 ? Reply.Fail(ErrorCodes.ApiTokenNotFound, "you have no such token") : Reply.Ok;
    }

    /// <summary>The identity a presented token stands for, or null when it is unknown or expired; notes its use.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string secret, string scheme)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = Secrets.HashToken(secret);
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var token = await db.Set<ApiTokenRow>().AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash);
        if (token is null || token.ExpiresAt <= now)
        {
            return null;
        }

        if (token.LastUsedAt is not { } last || now - last >= LastUseResolution)
        {
            await db.Set<ApiTokenRow>().Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, token.AccountId.ToString()),
                new Claim(ApiTokenAuthentication.ScopeClaim, token.Scope.ToString()),
                new Claim(ApiTokenAuthentication.TokenIdClaim, token.Id.ToString()),
            ],
            scheme);
        return new ClaimsPrincipal(identity);
    }

    private static ApiTokenDto ToDto(ApiTokenRow row) => new(row.Id, row.Name, row.Scope, row.CreatedAt, row.ExpiresAt, row.LastUsedAt);
}
