using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Identity;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Teams;

/// <summary>An organisation: Olga owns it; Max is a plain member of its team Payments; Mia is a member outside the team; Otto is elsewhere.</summary>
internal sealed class Acme : IAsyncDisposable
{
    private Acme(Person owner, Person max, Person mia, Person outsider, Guid id, Guid team)
    {
        (Owner, Max, Mia, Outsider, Id, Team) = (owner, max, mia, outsider, id, team);
    }

    public Person Owner { get; }

    public Person Max { get; }

    public Person Mia { get; }

    public Person Outsider { get; }

    public Guid Id { get; }

    public Guid Team { get; }

    public string Path => $"/api/orgs/{Id}";

    public string TeamPath => $"{Path}/teams/{Team}";

    public string TrackersPath => $"{TeamPath}/trackers";

    public static async Task<Acme> MakeAsync(PokerApp app)
    {
        var people = await Task.WhenAll(new[] { "Olga", "Max", "Mia", "Otto" }.Select(n => Person.SignUpAsync(app, n)));
        var (owner, max, mia, outsider) = (people[0], people[1], people[2], people[3]);
        var org = await Read<OrganisationDto>(await owner.Http.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("Acme"), Cancel), HttpStatusCode.Created);
        foreach (var person in new[] { max, mia })
        {
            var link = await Read<InvitationDto>(await owner.Http.PostAsJsonAsync($"/api/orgs/{org.Id}/invitations", new CreateInvitationRequest(), Cancel), HttpStatusCode.Created);
            await Read<OrganisationDto>(await person.Http.PostAsJsonAsync("/api/invitations/accept", new InvitationTokenRequest(link.Token!), Cancel));
        }

        var team = await Read<TeamDto>(await owner.Http.PostAsJsonAsync($"/api/orgs/{org.Id}/teams", new CreateTeamRequest("Payments"), Cancel), HttpStatusCode.Created);
        Assert.True((await owner.Http.PutAsJsonAsync($"/api/orgs/{org.Id}/teams/{team.Id}/members", new SetTeamMemberRequest(max.Id), Cancel)).IsSuccessStatusCode);
        return new Acme(owner, max, mia, outsider, org.Id, team.Id);
    }

    public async Task<CreateRoomResponse> OpenRoomAsync(Person opener, string name) =>
        await Read<CreateRoomResponse>(await opener.Http.PostAsJsonAsync($"{TeamPath}/rooms", new CreateTeamRoomRequest(name), Cancel), HttpStatusCode.Created);

    public ValueTask DisposeAsync()
    {
        foreach (var person in new[] { Owner, Max, Mia, Outsider })
        {
            person.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode? status = null)
    {
        Assert.True(status is null ? response.IsSuccessStatusCode : response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
