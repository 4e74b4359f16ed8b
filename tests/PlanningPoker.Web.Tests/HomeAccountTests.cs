using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;
using PlanningPoker.Web.Client.Services;
using static PlanningPoker.Web.Tests.FakeApi;

namespace PlanningPoker.Web.Tests;

/// <summary>
/// The home page of a signed-in person shows their teams and recent rooms first, with their name in the create form;
/// a guest's asks the server nothing about accounts and shows neither.
/// </summary>
public sealed class HomeAccountTests : UiTest
{
    private static readonly AccountDto Fanny = new(Guid.NewGuid(), "fanny@example.com", "Fanny");
    private static readonly OrganisationDto Acme = new(Guid.Parse("a0000000-0000-0000-0000-000000000001"), "Acme", OrganisationRole.Owner, 3);
    private static readonly OrganisationDto Globex = new(Guid.Parse("a0000000-0000-0000-0000-000000000002"), "Globex", OrganisationRole.Member, 9);
    private static readonly TeamDto Payments = new(Guid.Parse("b0000000-0000-0000-0000-000000000001"), Acme.Id, "Payments", []);

    public HomeAccountTests()
    {
        Services.AddSingleton(new RoomApi(new HttpClient(Server) { BaseAddress = new Uri("http://localhost/") }));
        Services.AddSingleton<SeatStore>();
    }

    [Fact]
    public void ASignedInPerson_SeesTheirTeamsAndRecentRoomsFirst_AndTheirNameInTheCreateForm()
    {
        SignedIn();
        Server.On(HttpMethod.Get, "/api/account/rooms", _ => Json(HttpStatusCode.OK, new[]
        {
            new AccountRoomDto("r2", "Sprint 43", Payments.Id, "Payments", new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero)),
            new AccountRoomDto("r1", "Ad hoc", null, null, new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero)),
        }));
        RunsInTheBrowser();

        var home = Render<Home>();

        home.WaitForAssertion(() => Assert.Equal(2, home.FindAll("#account-rooms li").Count));
        home.WaitForAssertion(() => Assert.Equal(2, home.FindAll("#your-teams .org-name").Count));
        Assert.Equal(["orgs/" + Acme.Id, "orgs/" + Globex.Id], home.FindAll("#your-teams .org-name a").Select(a => a.GetAttribute("href")));
        Assert.Equal($"orgs/{Acme.Id}/teams/{Payments.Id}", home.Find("#your-teams .team-list a").GetAttribute("href"));
        Assert.Equal("Payments", home.Find("#your-teams .team-list a").TextContent);
        Assert.Equal("No team yet.", home.FindAll("#your-teams p.muted").Single().TextContent); // Globex
        Assert.Equal(["rooms/r2", "rooms/r1"], home.FindAll("#account-rooms li a").Select(a => a.GetAttribute("href")));
        Assert.StartsWith("Payments · ", home.FindAll("#account-rooms li .muted")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Fanny", home.Find("#your-name").GetAttribute("value"));

        // The account's things come before the create form.
        var markup = home.Markup;
        Assert.True(markup.IndexOf("id=\"your-teams\"", StringComparison.Ordinal) < markup.IndexOf("id=\"create-title\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ASignedInPerson_OnAServerWithoutTheRoomsList_SeesNoRoomsYet()
    {
        SignedIn();
        Server.On(HttpMethod.Get, "/api/account/rooms", _ => Empty(HttpStatusCode.NotFound));
        RunsInTheBrowser();

        var home = Render<Home>();

        home.WaitForAssertion(() => Assert.NotNull(home.Find("#no-account-rooms")));
        Assert.Empty(home.FindAll("#account-rooms [role=alert]"));
    }

    [Fact]
    public void AGuest_SeesTheHomePageAsBefore_AndTheServerIsAskedNothingButTheSession()
    {
        RunsInTheBrowser();

        var home = Render<Home>();

        home.WaitForAssertion(() => Assert.NotNull(home.Find("#create-title")));
        Assert.Empty(home.FindAll("#your-teams"));
        Assert.Empty(home.FindAll("#account-rooms"));
        Assert.Equal("", home.Find("#your-name").GetAttribute("value") ?? "");
        Assert.All(Server.Requests, r => Assert.Equal("/api/account/session", r.Path));
    }

    private void SignedIn()
    {
        Server.On(HttpMethod.Get, "/api/account/session", _ => Json(HttpStatusCode.OK, new SessionDto(Fanny)));
        Server.On(HttpMethod.Get, "/api/orgs", _ => Json(HttpStatusCode.OK, new[] { Acme, Globex }));
        Server.On(HttpMethod.Get, $"/api/orgs/{Acme.Id}/teams", _ => Json(HttpStatusCode.OK, new[] { Payments }));
        Server.On(HttpMethod.Get, $"/api/orgs/{Globex.Id}/teams", _ => Json(HttpStatusCode.OK, Array.Empty<TeamDto>()));
    }
}
