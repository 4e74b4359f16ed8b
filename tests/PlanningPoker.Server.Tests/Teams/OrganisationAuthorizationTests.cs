using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Identity;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Teams;

/// <summary>The people of the authorisation matrix, signed up once for the class (password hashing is slow on purpose).</summary>
public sealed class OrganisationPeople(PokerApp app) : IAsyncLifetime
{
    public Person Owner { get; private set; } = null!;

    public Person Admin { get; private set; } = null!;

    public Person Member { get; private set; } = null!;

    public Person Mia { get; private set; } = null!;

    public Person Outsider { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var people = await Task.WhenAll(new[] { "Olga", "Adam", "Max", "Mia", "Otto" }.Select(n => Person.SignUpAsync(app, n)));
        (Owner, Admin, Member, Mia, Outsider) = (people[0], people[1], people[2], people[3], people[4]);
        var elsewhere = await Outsider.Http.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("Elsewhere"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var person in new[] { Owner, Admin, Member, Mia, Outsider })
        {
            person?.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Every organisation endpoint × every kind of caller (owner, admin, member, a member of another organisation, someone
/// not signed in), each on a fresh organisation: the caller gets the table's answer, and a refusal changes nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OrganisationAuthorizationTests(PokerApp app, OrganisationPeople people) : IClassFixture<OrganisationPeople>
{
    public enum Caller
    {
        Owner,
        Admin,
        Member,
        Outsider,
        Anonymous,
    }

    private const string Ok = "ok";

    // Columns: owner, admin, member, outsider, anonymous. "ok" is a 2xx, else the refusal's code.
    private static readonly Dictionary<string, string[]> Table = new()
    {
        ["get organization"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["list members"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["list teams"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["rename"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["delete"] = [Ok, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["make an invitation"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["make an owner's invitation"] = [ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["list invitations"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["revoke an invitation"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["make a team"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["add a team member"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["remove a team member"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["delete a team"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["make Mia an admin"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["make the owner a member"] = [ErrorCodes.LastOwner, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["remove Mia"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["remove the admin"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["remove the owner"] = [ErrorCodes.LastOwner, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["hand the organization to the admin"] = [Ok, ErrorCodes.NotAllowed, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["leave"] = [ErrorCodes.LastOwner, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["list decks"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["save a deck"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["change a deck"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["delete a deck"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["read team settings"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["change team settings"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["list team rooms"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["open a room of one's team"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["open a room of another team"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["read one's team's insights"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["read another team's insights"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["read one's team's estimate vs actual"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["refresh one's team's actuals"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["read every team's insights"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["export one's team's insights"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["export another team's insights"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["export every team's insights"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["read one's team's history"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["read another team's history"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["export one's team's history"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["export another team's history"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["list one's team's reference stories"] = [Ok, Ok, Ok, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["list another team's reference stories"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],

        // Owner and admins pass the rule, then learn that the room has no such estimated story.
        ["mark a reference story"] = [ErrorCodes.StoryNotEstimated, ErrorCodes.StoryNotEstimated, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
        ["unmark a reference story"] = [Ok, Ok, ErrorCodes.NotAllowed, ErrorCodes.OrganisationNotFound, ErrorCodes.NotSignedIn],
    };

    public static TheoryData<string, Caller> Matrix()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var action in Table.Keys)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(action, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EachCallerGetsTheTablesAnswer_AndARefusalChangesNothing(string action, Caller caller)
    {
        var org = await OrganisationAsync();
        var before = await SnapshotAsync(org.Id);
        using var anonymous = Person.Client(app);
        var http = caller switch
        {
            Caller.Owner => people.Owner.Http,
            Caller.Admin => people.Admin.Http,
            Caller.Member => people.Member.Http,
            Caller.Outsider => people.Outsider.Http,
            _ => anonymous,
        };
        var self = caller switch
        {
            Caller.Owner => people.Owner.Id,
            Caller.Admin => people.Admin.Id,
            Caller.Member => people.Member.Id,
            Caller.Outsider => people.Outsider.Id,
            _ => Guid.NewGuid(),
        };

        try
        {
            var response = await CallAsync(http, action, org, self);

            var expected = Table[action][(int)caller];
            if (expected == Ok)
            {
                Assert.True(response.IsSuccessStatusCode, $"{action} by {caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
            }
            else
            {
                var problem = await ProblemAssert.IsProblemAsync(response, response.StatusCode);
                Assert.Equal(ErrorCodes.TypePrefix + expected, problem.Type);
                Assert.Equal(before, await SnapshotAsync(org.Id));
            }
        }
        finally
        {
            // Each account belongs to at most 50 organisations: the case's own goes (by whoever owns it now).
            if (!(await people.Owner.Http.DeleteAsync($"/api/orgs/{org.Id}", Cancel)).IsSuccessStatusCode)
            {
                await people.Admin.Http.DeleteAsync($"/api/orgs/{org.Id}", Cancel);
            }
        }
    }

    [Fact]
    public void TheMatrixIsFull() => Assert.All(Table.Values, row => Assert.Equal(Enum.GetValues<Caller>().Length, row.Length));

    private static async Task<HttpResponseMessage> CallAsync(HttpClient http, string action, Organisation org, Guid self)
    {
        var o = $"/api/orgs/{org.Id}";
        return action switch
        {
            "get organization" => await http.GetAsync(o, Cancel),
            "list members" => await http.GetAsync($"{o}/members", Cancel),
            "list teams" => await http.GetAsync($"{o}/teams", Cancel),
            "rename" => await http.PutAsJsonAsync($"{o}/name", new RenameOrganisationRequest("Renamed"), Cancel),
            "delete" => await http.DeleteAsync(o, Cancel),
            "make an invitation" => await http.PostAsJsonAsync($"{o}/invitations", new CreateInvitationRequest(), Cancel),
            "make an owner's invitation" => await http.PostAsJsonAsync($"{o}/invitations", new CreateInvitationRequest(OrganisationRole.Owner), Cancel),
            "list invitations" => await http.GetAsync($"{o}/invitations", Cancel),
            "revoke an invitation" => await http.DeleteAsync($"{o}/invitations/{org.Invitation}", Cancel),
            "make a team" => await http.PostAsJsonAsync($"{o}/teams", new CreateTeamRequest("Another team"), Cancel),
            "add a team member" => await http.PutAsJsonAsync($"{o}/teams/{org.Team}/members", new SetTeamMemberRequest(org.Mia, true), Cancel),
            "remove a team member" => await http.DeleteAsync($"{o}/teams/{org.Team}/members/{org.Member}", Cancel),
            "delete a team" => await http.DeleteAsync($"{o}/teams/{org.Team}", Cancel),
            "make Mia an admin" => await http.PutAsJsonAsync($"{o}/members/{org.Mia}/role", new ChangeMemberRoleRequest(OrganisationRole.Admin), Cancel),
            "make the owner a member" => await http.PutAsJsonAsync($"{o}/members/{org.Owner}/role", new ChangeMemberRoleRequest(OrganisationRole.Member), Cancel),
            "remove Mia" => await http.DeleteAsync($"{o}/members/{org.Mia}", Cancel),
            "remove the admin" => await http.DeleteAsync($"{o}/members/{org.Admin}", Cancel),
            "remove the owner" => await http.DeleteAsync($"{o}/members/{org.Owner}", Cancel),
            "hand the organization to the admin" => await http.PostAsJsonAsync($"{o}/transfer", new TransferOwnershipRequest(org.Admin), Cancel),
            "leave" => await http.DeleteAsync($"{o}/members/{self}", Cancel),
            "list decks" => await http.GetAsync($"{o}/decks", Cancel),
            "save a deck" => await http.PostAsJsonAsync($"{o}/decks", new SaveDeckTemplateRequest("Powers", new DeckDto(DeckType.PowersOfTwo)), Cancel),
            "change a deck" => await http.PutAsJsonAsync($"{o}/decks/{org.Deck}", new SaveDeckTemplateRequest("Sizes", new DeckDto(DeckType.Fibonacci)), Cancel),
            "delete a deck" => await http.DeleteAsync($"{o}/decks/{org.Deck}", Cancel),
            "read team settings" => await http.GetAsync($"{o}/teams/{org.Team}/settings", Cancel),
            "change team settings" => await http.PutAsJsonAsync($"{o}/teams/{org.Team}/settings", new UpdateTeamSettingsRequest(null, new DeckDto(DeckType.PowersOfTwo), new RoomSettingsDto(AutoReveal: true), false), Cancel),
            "list team rooms" => await http.GetAsync($"{o}/teams/{org.Team}/rooms", Cancel),
            "open a room of one's team" => await http.PostAsJsonAsync($"{o}/teams/{org.Team}/rooms", new CreateTeamRoomRequest("Sprint 1"), Cancel),
            "open a room of another team" => await http.PostAsJsonAsync($"{o}/teams/{org.OtherTeam}/rooms", new CreateTeamRoomRequest("Sprint 1"), Cancel),
            "read one's team's insights" => await http.GetAsync($"{o}/teams/{org.Team}/insights", Cancel),
            "read another team's insights" => await http.GetAsync($"{o}/teams/{org.OtherTeam}/insights", Cancel),
            "read one's team's estimate vs actual" => await http.GetAsync($"{o}/teams/{org.Team}/insights/actuals", Cancel),
            "refresh one's team's actuals" => await http.PostAsync($"{o}/teams/{org.Team}/insights/actuals/refresh", null, Cancel),
            "read every team's insights" => await http.GetAsync($"{o}/insights", Cancel),
            "export one's team's insights" => await http.GetAsync($"{o}/teams/{org.Team}/insights/export", Cancel),
            "export another team's insights" => await http.GetAsync($"{o}/teams/{org.OtherTeam}/insights/export", Cancel),
            "export every team's insights" => await http.GetAsync($"{o}/insights/export", Cancel),
            "read one's team's history" => await http.GetAsync($"{o}/teams/{org.Team}/history", Cancel),
            "read another team's history" => await http.GetAsync($"{o}/teams/{org.OtherTeam}/history", Cancel),
            "export one's team's history" => await http.GetAsync($"{o}/teams/{org.Team}/history/export?format=json", Cancel),
            "export another team's history" => await http.GetAsync($"{o}/teams/{org.OtherTeam}/history/export", Cancel),
            "list one's team's reference stories" => await http.GetAsync($"{o}/teams/{org.Team}/references", Cancel),
            "list another team's reference stories" => await http.GetAsync($"{o}/teams/{org.OtherTeam}/references", Cancel),
            "mark a reference story" => await http.PutAsync($"{o}/teams/{org.Team}/references/abcdefghjkmnpqrs/1", null, Cancel),
            "unmark a reference story" => await http.DeleteAsync($"{o}/teams/{org.Team}/references/abcdefghjkmnpqrs/1", Cancel),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
    }

    /// <summary>A fresh organisation: the owner, an admin, two members (Max in its team), an open invitation and a team.</summary>
    private async Task<Organisation> OrganisationAsync()
    {
        var owner = people.Owner.Http;
        var org = await Read<OrganisationDto>(await owner.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("Acme"), Cancel));
        var o = $"/api/orgs/{org.Id}";
        foreach (var (person, role) in new[] { (people.Admin, OrganisationRole.Admin), (people.Member, OrganisationRole.Member), (people.Mia, OrganisationRole.Member) })
        {
            var link = await Read<InvitationDto>(await owner.PostAsJsonAsync($"{o}/invitations", new CreateInvitationRequest(role), Cancel));
            await Read<OrganisationDto>(await person.Http.PostAsJsonAsync("/api/invitations/accept", new InvitationTokenRequest(link.Token!), Cancel));
        }

        var open = await Read<InvitationDto>(await owner.PostAsJsonAsync($"{o}/invitations", new CreateInvitationRequest(MaxUses: 5), Cancel));
        var team = await Read<TeamDto>(await owner.PostAsJsonAsync($"{o}/teams", new CreateTeamRequest("Payments"), Cancel));
        var other = await Read<TeamDto>(await owner.PostAsJsonAsync($"{o}/teams", new CreateTeamRequest("Search"), Cancel));
        Assert.True((await owner.PutAsJsonAsync($"{o}/teams/{team.Id}/members", new SetTeamMemberRequest(people.Member.Id), Cancel)).IsSuccessStatusCode);
        var deck = await Read<DeckTemplateDto>(await owner.PostAsJsonAsync($"{o}/decks", new SaveDeckTemplateRequest("T-shirts", new DeckDto(DeckType.TShirt)), Cancel));
        return new Organisation(org.Id, open.Id, team.Id, other.Id, deck.Id, people.Owner.Id, people.Admin.Id, people.Member.Id, people.Mia.Id);
    }

    /// <summary>Everything the owner can see of an organisation, as text: two equal snapshots mean nothing changed.</summary>
    private async Task<string> SnapshotAsync(Guid org)
    {
        var owner = people.Owner.Http;
        var parts = new List<string>();
        var teams = await owner.GetFromJsonAsync<TeamDto[]>($"/api/orgs/{org}/teams", Cancel) ?? [];
        var teamPaths = teams.SelectMany(t => new[] { $"/teams/{t.Id}/settings", $"/teams/{t.Id}/rooms" });
        foreach (var path in new[] { "", "/members", "/invitations", "/teams", "/decks" }.Concat(teamPaths))
        {
            var response = await owner.GetAsync($"/api/orgs/{org}{path}", Cancel);
            parts.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        }

        return string.Join("\n", parts);
    }

    private static async Task<T> Read<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } }, Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Organisation(Guid Id, Guid Invitation, Guid Team, Guid OtherTeam, Guid Deck, Guid Owner, Guid Admin, Guid Member, Guid Mia);
}
