using System.Text;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Teams;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// The product's schema as EF Core sees it: rooms (rooms, participants, stories, rounds, votes), accounts (ASP.NET Core
/// Identity's user tables, passkeys included, and the data-protection keys that sign-in cookies are sealed with) and
/// organisations (<see cref="TeamsModel"/>). Each provider has its own subclass with its own migrations
/// (<see cref="SqlitePokerDbContext"/>, <see cref="PostgresPokerDbContext"/>); <see cref="RoomStore"/> reads through it,
/// and history or KPI queries can use it or plain SQL over the same snake_case names. Each feature configures its own
/// entities; one context keeps one migration history per provider.
/// </summary>
internal abstract class PokerDbContext
    : IdentityUserContext<Account, Guid, IdentityUserClaim<Guid>, IdentityUserLogin<Guid>, IdentityUserToken<Guid>, IdentityUserPasskey<Guid>>,
    IDataProtectionKeyContext
{
    protected PokerDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The keys that seal sign-in cookies, shared by every node (a cookie made by one node opens on another).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// What the model is built with, the same at run time and for <c>dotnet ef</c>: Identity reads its schema version
    /// (3, with passkeys) from <see cref="IdentityOptions"/> in the context's application services, which would
    /// otherwise be the host's (absent for <c>dotnet ef</c>, giving another schema). Every options builder of this
    /// context calls <see cref="UseModelServices"/>.
    /// </summary>
    private static readonly IServiceProvider ModelServices = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
        .BuildServiceProvider();

    /// <summary>Builds the model with <see cref="ModelServices"/>.</summary>
    public static DbContextOptionsBuilder<TContext> UseModelServices<TContext>(DbContextOptionsBuilder<TContext> builder)
        where TContext : PokerDbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseApplicationServiceProvider(ModelServices);
    }

    public DbSet<RoomRow> Rooms => Set<RoomRow>();

    public DbSet<ParticipantRow> Participants => Set<ParticipantRow>();

    public DbSet<StoryRow> Stories => Set<StoryRow>();

    public DbSet<RoundRow> Rounds => Set<RoundRow>();

    public DbSet<VoteRow> Votes => Set<VoteRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Conventions.Replace<ForeignKeyIndexConvention>(services => new VoteIndexes(services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));
        base.ConfigureConventions(configurationBuilder);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Account>(account =>
        {
            account.ToTable("accounts");
            account.Property(a => a.DisplayName).HasMaxLength(Contracts.Limits.DisplayNameLength);
        });
        modelBuilder.Entity<IdentityUserClaim<Guid>>().ToTable("account_claims");
        modelBuilder.Entity<IdentityUserLogin<Guid>>().ToTable("account_logins");
        modelBuilder.Entity<IdentityUserToken<Guid>>().ToTable("account_tokens");
        modelBuilder.Entity<IdentityUserPasskey<Guid>>(passkey =>
        {
            passkey.ToTable("account_passkeys");
            passkey.OwnsOne(p => p.Data).ToJson("data");
        });
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        ApiTokens.Configure(modelBuilder);
        TeamsModel.Configure(modelBuilder);

        modelBuilder.Entity<RoomRow>(room =>
        {
            room.ToTable("rooms");
            room.HasKey(r => r.Id);
            room.Property(r => r.DeckType).HasConversion<string>();
            room.Property(r => r.WhoMayReveal).HasConversion<string>();
            room.Property(r => r.Statistic).HasConversion<string>();
        });

        modelBuilder.Entity<ParticipantRow>(participant =>
        {
            participant.ToTable("participants");
            participant.HasKey(p => new { p.RoomId, p.Id });
            participant.Property(p => p.Id).ValueGeneratedNever();
            participant.Property(p => p.Role).HasConversion<string>();
            participant.HasIndex(p => new { p.RoomId, p.TokenHash }).IsUnique();
            participant.HasIndex(p => p.AccountId);
            participant.HasOne<RoomRow>().WithMany().HasForeignKey(p => p.RoomId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<StoryRow>(story =>
        {
            story.ToTable("stories");
            story.HasKey(s => new { s.RoomId, s.Id });
            story.Property(s => s.Id).ValueGeneratedNever();
            story.Property(s => s.State).HasConversion<string>();
            story.Property(s => s.WriteBackState).HasConversion<string>();
            story.HasOne<RoomRow>().WithMany().HasForeignKey(s => s.RoomId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WriteBackRow>(writeBack =>
        {
            writeBack.ToTable("tracker_writebacks");
            writeBack.HasKey(w => new { w.RoomId, w.StoryId });
            writeBack.Property(w => w.StoryId).ValueGeneratedNever();
            writeBack.Property(w => w.State).HasConversion<string>();
            writeBack.HasIndex(w => new { w.State, w.DueAt });
            writeBack.HasOne<StoryRow>().WithMany().HasForeignKey(w => new { w.RoomId, w.StoryId }).OnDelete(DeleteBehavior.Cascade);
        });
        Trackers.TrackerConnections.Configure(modelBuilder);
        References.ReferenceStoryRow.Configure(modelBuilder);

        modelBuilder.Entity<RoundRow>(round =>
        {
            round.ToTable("rounds");
            round.HasKey(r => new { r.RoomId, r.Id });
            round.Property(r => r.Id).ValueGeneratedNever();
            round.Property(r => r.State).HasConversion<string>();
            round.Property(r => r.RevealedBy).HasConversion<string>();
            round.HasIndex(r => new { r.RoomId, r.StoryId });
            round.HasOne<RoomRow>().WithMany().HasForeignKey(r => r.RoomId).OnDelete(DeleteBehavior.Cascade);

            // A quick vote has no story: the composite key is then partly null and the constraint does not apply.
            round.HasOne<StoryRow>().WithMany().HasForeignKey(r => new { r.RoomId, r.StoryId }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<StoryFactsRow>(facts =>
        {
            facts.ToTable("story_facts");
            facts.HasKey(f => new { f.RoomId, f.StoryId });
            facts.Property(f => f.StoryId).ValueGeneratedNever();
            facts.HasIndex(f => new { f.RoomId, f.AcceptedAt });
            facts.HasIndex(f => f.ExternalKey);
            facts.HasIndex(f => new { f.DoneAt, f.AcceptedAt }); // the actuals worker: stories not done yet, accepted within its horizon
            facts.HasOne<StoryRow>().WithMany().HasForeignKey(f => new { f.RoomId, f.StoryId }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<VoteRow>(vote =>
        {
            vote.ToTable("votes");
            vote.HasKey(v => new { v.RoomId, v.RoundId, v.ParticipantId });
            vote.Property(v => v.CardKind).HasConversion<string>();
            vote.HasOne<RoundRow>().WithMany().HasForeignKey(v => new { v.RoomId, v.RoundId }).OnDelete(DeleteBehavior.Cascade);
            vote.HasOne<ParticipantRow>().WithMany().HasForeignKey(v => new { v.RoomId, v.ParticipantId }).OnDelete(DeleteBehavior.Cascade);
        });

        UseSnakeCaseNames(modelBuilder.Model);
    }

    /// <summary>Names every column, key, index and foreign key in snake_case, so SQL can be written by hand.</summary>
    private static void UseSnakeCaseNames(IMutableModel model)
    {
        foreach (var entity in model.GetEntityTypes())
        {
            if (entity.IsOwned())
            {
                continue; // stored as JSON in its owner's row (a passkey's data): named by its JSON properties
            }

            var table = entity.GetTableName();
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName($"pk_{table}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                var principal = foreignKey.PrincipalEntityType.GetTableName();
                foreignKey.SetConstraintName($"fk_{table}_{principal}_{string.Join('_', foreignKey.Properties.Select(p => ToSnakeCase(p.Name)))}");
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName($"ix_{table}_{string.Join('_', index.Properties.Select(p => ToSnakeCase(p.Name)))}");
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
