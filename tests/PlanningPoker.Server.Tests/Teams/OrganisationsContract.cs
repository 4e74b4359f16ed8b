using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Storage;
using PlanningPoker.Server.Teams;
using PlanningPoker.Server.Tests.Storage;

namespace PlanningPoker.Server.Tests.Teams;

/// <summary>
/// Organisations, members, invitations and teams on a real database of each provider, through the feature's service
/// (with a clock of the test's own, to let invitations expire). Every test makes its own accounts.
/// </summary>
public abstract class OrganisationsContract(StoreFixture fixture)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private IDbContextFactory<PokerDbContext> Contexts
    {
        get
        {
            _ = fixture.Store; // skips when the provider is unavailable
            return fixture.Services.GetRequiredService<IDbContextFactory<PokerDbContext>>();
        }
    }

    private Organisations Service => new(Contexts, _clock);

    [Fact]
    public async Task AnOrganisationIsMadeWithItsMakerAsOwner_AndListedForMembersOnly()
    {
        var (owner, stranger) = (await AccountAsync("Olga"), await AccountAsync("Sam"));

        var made = Value(await Service.CreateAsync(owner, "  Acme  "));

        Assert.Equal(("Acme", OrganisationRole.Owner, 1), (made.Name, made.Role, made.Members));
        Assert.Equal([made.Id], (await Service.ListAsync(owner)).Select(o => o.Id));
        Assert.Empty(await Service.ListAsync(stranger));
        Assert.Equal(ErrorCodes.OrganisationNotFound, (await Service.GetAsync(stranger, made.Id)).ErrorCode);
    }

    [Fact]
    public async Task AnInvitationLink_JoinsWithItsRole_CountsEachUse_AndStopsWhenUsedUp()
    {
        var owner = await AccountAsync("Olga");
        var (ann, bob, cat) = (await AccountAsync("Ann"), await AccountAsync("Bob"), await AccountAsync("Cat"));
        var org = Value(await Service.CreateAsync(owner, "Acme")).Id;
        var link = Value(await Service.InviteAsync(owner, org, new CreateInvitationRequest(OrganisationRole.Admin, MaxUses: 2)));

        Assert.Equal(new InvitationPreviewDto("Acme", OrganisationRole.Admin), Value(await Service.PreviewAsync(link.Token)));
        Assert.Equal(OrganisationRole.Admin, Value(await Service.AcceptAsync(ann, link.Token)).Role);
        Assert.Equal(ErrorCodes.AlreadyMember, (await Service.AcceptAsync(ann, link.Token)).ErrorCode);
        Value(await Service.AcceptAsync(bob, link.Token));
        Assert.Equal(ErrorCodes.InvitationUsedUp, (await Service.AcceptAsync(cat, link.Token)).ErrorCode);

        var members = Value(await Service.MembersAsync(owner, org));
        Assert.Equal(["Olga", "Ann", "Bob"], members.Select(m => m.DisplayName));
        Assert.Equal(2, Assert.Single(Value(await Service.InvitationsAsync(owner, org))).Uses);
    }

    [Fact]
    public async Task TheLastUseOfALink_RacedByMany_LetsExactlyOneIn()
    {
        var owner = await AccountAsync("Olga");
        var people = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => AccountAsync($"P{i}")));
        var org = Value(await Service.CreateAsync(owner, "Acme")).Id;
        var link = Value(await Service.InviteAsync(owner, org, new CreateInvitationRequest(MaxUses: 1)));

        var answers = await Task.WhenAll(people.Select(p => Service.AcceptAsync(p, link.Token)));

        Assert.Equal(1, answers.Count(a => a.IsSuccess));
        Assert.All(answers.Where(a => !a.IsSuccess), a => Assert.Equal(ErrorCodes.InvitationUsedUp, a.ErrorCode));
        Assert.Equal(2, Value(await Service.MembersAsync(owner, org)).Count);
    }

    [Fact]
    public async Task ExpiredRevokedAndUnknownLinks_AreRefused_AndJoinNobody()
    {
        var owner = await AccountAsync("Olga");
        var sam = await AccountAsync("Sam");
        var org = Value(await Service.CreateAsync(owner, "Acme")).Id;
        var expiring = Value(await Service.InviteAsync(owner, org, new CreateInvitationRequest(ValidForDays: 1)));
        var revoked = Value(await Service.InviteAsync(owner, org, new CreateInvitationRequest(ValidForDays: 7)));
        Assert.True((await Service.RevokeAsync(owner, org, revoked.Id)).IsSuccess);
        _clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(ErrorCodes.InvitationExpired, (await Service.AcceptAsync(sam, expiring.Token)).ErrorCode);
        Assert.Equal(ErrorCodes.InvitationRevoked, (await Service.AcceptAsync(sam, revoked.Token)).ErrorCode);
        Assert.Equal(ErrorCodes.InvitationNotFound, (await Service.AcceptAsync(sam, "no-such-token")).ErrorCode);
        Assert.Equal(ErrorCodes.InvitationNotFound, (await Service.PreviewAsync(expiring.Token + "x")).ErrorCode);
        Assert.Empty(await Service.ListAsync(sam));
    }

    [Fact]
    public async Task ARemovedMember_LeavesTheOrganisationsTeams_AndAnOwnerHandsOverBeforeLeaving()
    {
        var owner = await AccountAsync("Olga");
        var ann = await AccountAsync("Ann");
        var org = Value(await Service.CreateAsync(owner, "Acme")).Id;
        Value(await Service.AcceptAsync(ann, Value(await Service.InviteAsync(owner, org, new CreateInvitationRequest())).Token));
        var team = Value(await Service.CreateTeamAsync(owner, org, "Payments")).Id;
        Assert.True((await Service.SetTeamMemberAsync(owner, org, team, new SetTeamMemberRequest(ann, IsFacilitator: true))).IsSuccess);
        Assert.Equal(["Ann"], Value(await Service.TeamsAsync(owner, org)).Single().Members.Select(m => m.DisplayName));

        Assert.Equal(ErrorCodes.LastOwner, (await Service.RemoveAsync(owner, org, owner)).ErrorCode);
        Assert.True((await Service.TransferAsync(owner, org, ann)).IsSuccess);
        Assert.True((await Service.RemoveAsync(ann, org, owner)).IsSuccess);
        Assert.Equal(ErrorCodes.OrganisationNotFound, (await Service.GetAsync(owner, org)).ErrorCode);
        Assert.Equal(OrganisationRole.Owner, Value(await Service.GetAsync(ann, org)).Role);

        Assert.True((await Service.ChangeRoleAsync(ann, org, ann, OrganisationRole.Member)).ErrorCode == ErrorCodes.LastOwner);
        Assert.True((await Service.DeleteTeamAsync(ann, org, team)).IsSuccess);
        Assert.Empty(Value(await Service.TeamsAsync(ann, org)));
    }

    [Fact]
    public async Task DeletingAnOrganisation_TakesItsMembersInvitationsAndTeams()
    {
        var owner = await AccountAsync("Olga");
        var org = Value(await Service.CreateAsync(owner, "Acme")).Id;
        var link = Value(await Service.InviteAsync(owner, org, new CreateInvitationRequest()));
        Value(await Service.CreateTeamAsync(owner, org, "Payments"));

        Assert.True((await Service.DeleteAsync(owner, org)).IsSuccess);

        Assert.Empty(await Service.ListAsync(owner));
        Assert.Equal(ErrorCodes.InvitationNotFound, (await Service.PreviewAsync(link.Token)).ErrorCode);
        await using var db = Contexts.CreateDbContext();
        Assert.False(await db.Set<TeamRow>().AnyAsync(t => t.OrganisationId == org, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TeamNamesAreUniqueInAnOrganisation_AndTeamMembersAreItsMembers()
    {
        var owner = await AccountAsync("Olga");
        var stranger = await AccountAsync("Sam");
        var org = Value(await Service.CreateAsync(owner, "Acme")).Id;
        var team = Value(await Service.CreateTeamAsync(owner, org, "Payments")).Id;

        Assert.Equal(ErrorCodes.NameTaken, (await Service.CreateTeamAsync(owner, org, "payments")).ErrorCode);
        Assert.Equal(ErrorCodes.MemberNotFound, (await Service.SetTeamMemberAsync(owner, org, team, new SetTeamMemberRequest(stranger))).ErrorCode);
        Assert.Equal(ErrorCodes.TeamNotFound, (await Service.SetTeamMemberAsync(owner, org, Guid.NewGuid(), new SetTeamMemberRequest(owner))).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidOrganisationName, (await Service.CreateTeamAsync(owner, org, new string('x', Limits.OrganisationNameLength + 1))).ErrorCode);
    }

    private static T Value<T>(Server.Rooms.Reply<T> reply)
    {
        Assert.True(reply.IsSuccess, $"{reply.ErrorCode}: {reply.ErrorMessage}");
        return reply.Value!;
    }

    private async Task<Guid> AccountAsync(string name)
    {
        await using var db = Contexts.CreateDbContext();
        var id = Guid.NewGuid();
        var email = $"{name.ToLowerInvariant()}-{id:N}@example.test";
        db.Add(new Account { Id = id, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), DisplayName = name, CreatedAt = _clock.GetUtcNow() });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return id;
    }
}

/// <summary>The organisations contract on SQLite.</summary>
[Trait("Category", "Integration")]
public sealed class SqliteOrganisationsTests(SqliteStoreFixture fixture) : OrganisationsContract(fixture), IClassFixture<SqliteStoreFixture>;

/// <summary>The organisations contract on PostgreSQL (skipped, with the reason, without <c>POKER_TEST_POSTGRES</c>).</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Postgres")]
public sealed class PostgresOrganisationsTests(PostgresStoreFixture fixture) : OrganisationsContract(fixture), IClassFixture<PostgresStoreFixture>;
