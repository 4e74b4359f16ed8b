using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;
using PlanningPoker.Server.Tests.Teams;

namespace PlanningPoker.Server.Tests.Insights;

/// <summary>
/// A team's estimation KPIs and an organisation's, on a real Kestrel, from workshops played through the hub as people
/// play them: the numbers are worked out by hand in the comments, and who may read them is the table's.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InsightsApiTests(PokerApp app)
{
    [Fact]
    public Task TwoWorkshops_GiveTheTeamTheHandWorkedKpis_TheOrganisationSeesEveryTeam() => TwoWorkshops_GiveTheTeamTheHandWorkedKpis_TheOrganisationSeesEveryTeamOn(app);

    /// <summary>The body of <see cref="TwoWorkshops_GiveTheTeamTheHandWorkedKpis_TheOrganisationSeesEveryTeam"/>, on either provider's server.</summary>
    internal static async Task TwoWorkshops_GiveTheTeamTheHandWorkedKpis_TheOrganisationSeesEveryTeamOn(PokerApp app)
    {
        await using var acme = await Acme.MakeAsync(app);
        var other = await Read<TeamDto>(await acme.Owner.Http.PostAsJsonAsync($"{acme.Path}/teams", new CreateTeamRequest("Web"), Cancel), HttpStatusCode.Created);

        // Sprint 1: A is 3 at once (3, 3); B is 2 and 8 (spread 2 → 8 = 3 positions), then 5 and 5 on the re-vote.
        await PlayAsync(app, acme, "Sprint 1", [("A", [["3", "3"]], "3"), ("B", [["2", "8"], ["5", "5"]], "5")]);

        // Sprint 2: C is ? and 13 (no consensus, spread 0, one unsure), accepted at 13.
        await PlayAsync(app, acme, "Sprint 2", [("C", [["?", "13"]], "13")]);

        var team = await Read<TeamInsightsDto>(await acme.Max.Http.GetAsync($"{acme.TeamPath}/insights", Cancel));

        // Three stories, 3 + 5 + 13 = 21; a first-round consensus for A only: 1 of 3; 4 revealed rounds for 3 stories;
        // 8 votes all expected; 1 unsure of 8; first spreads 0 (A), 3 (B), 0 (C); B re-voted and converged.
        var k = team.Kpis;
        Assert.Equal((3, 21m, 1), (k.StoriesEstimated, k.EstimatedTotal, k.RevotesConverged));
        Assert.Equal(1.0 / 3, k.FirstRoundConsensusRate!.Value, 9);
        Assert.Equal(4.0 / 3, k.RoundsPerStory!.Value, 9);
        Assert.Equal((1.0, 1.0 / 8, 0.0), (k.Participation, k.UnsureShare, k.BreakShare));
        Assert.Equal([new CountDto<int>(0, 2), new CountDto<int>(3, 1)], k.SpreadDistribution);
        Assert.Equal([new CountDto<string>("13", 1), new CountDto<string>("3", 1), new CountDto<string>("5", 1)], k.EstimateDistribution);
        Assert.NotNull(k.MedianMinutesPerStory);
        Assert.Equal(0.0, k.MedianFirstSpread); // 0, 0, 3

        // The hints: three stories are too few to say which cards go unused, or where consensus is heading.
        Assert.Empty(team.UnusedCards);
        Assert.Equal((null, false), (team.ConsensusChange, team.ConsensusDropping));

        // The trend: each workshop, oldest first.
        Assert.Equal(["Sprint 1", "Sprint 2"], team.Workshops.Select(w => w.Name));
        Assert.Equal((2, 8m, 0.5), (team.Workshops[0].Kpis.StoriesEstimated, team.Workshops[0].Kpis.EstimatedTotal, team.Workshops[0].Kpis.FirstRoundConsensusRate));
        Assert.Equal((1, 13m, 0.0), (team.Workshops[1].Kpis.StoriesEstimated, team.Workshops[1].Kpis.EstimatedTotal, team.Workshops[1].Kpis.FirstRoundConsensusRate));

        // A period that ended yesterday has none of it.
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var before = await Read<TeamInsightsDto>(await acme.Owner.Http.GetAsync($"{acme.TeamPath}/insights?from={yesterday.AddDays(-30):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}", Cancel));
        Assert.Equal((0, null, 0), (before.Kpis.StoriesEstimated, before.Kpis.FirstRoundConsensusRate, before.Workshops.Count));

        // The organisation: both teams by name, the one without workshops at zero.
        var org = await Read<OrganisationInsightsDto>(await acme.Owner.Http.GetAsync($"{acme.Path}/insights", Cancel));
        Assert.Equal((3, "Acme"), (org.Kpis.StoriesEstimated, org.Name));
        Assert.Equal([("Payments", 3, 2), ("Web", 0, 0)], org.Teams.Select(t => (t.Name, t.Kpis.StoriesEstimated, t.Workshops)));
        Assert.Equal(other.Id, org.Teams[1].TeamId);
        Assert.DoesNotContain(org.Teams, t => t.ConsensusDropping);

        // Both dashboards as CSV: the whole's line first, the same figures.
        var teamCsv = Csv.Parse(await acme.Max.Http.GetStringAsync($"{acme.TeamPath}/insights/export", Cancel));
        Assert.Equal(["scope", "name", "id", "first_accept", "workshops", "stories_estimated", "estimated_total", "first_round_consensus"], teamCsv[0][..8]);
        Assert.Equal(["team", "Payments", acme.Team.ToString(), "", "2", "3", "21", "0.3333"], teamCsv[1][..8]);
        Assert.Equal(["workshop", "Sprint 1"], teamCsv[2][..2]);
        Assert.Equal(["1", "2", "8", "0.5"], teamCsv[2][4..8]);
        Assert.Equal(["workshop", "Sprint 2"], teamCsv[3][..2]);
        var orgCsv = Csv.Parse(await acme.Owner.Http.GetStringAsync($"{acme.Path}/insights/export", Cancel));
        Assert.Equal([["organization", "Acme", "2", "3"], ["team", "Payments", "2", "3"], ["team", "Web", "0", "0"]],
            orgCsv.Skip(1).Select(r => new[] { r[0], r[1], r[4], r[5] }));
    }

    [Fact]
    public async Task TheTeamsMembersAndTheOrganisationsAdmins_ReadInsights_NobodyElse()
    {
        await using var acme = await Acme.MakeAsync(app);
        var teamPath = $"{acme.TeamPath}/insights";
        var orgPath = $"{acme.Path}/insights";

        Assert.Equal(HttpStatusCode.OK, (await acme.Owner.Http.GetAsync(teamPath, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await acme.Max.Http.GetAsync(teamPath, Cancel)).StatusCode);
        await ProblemAssert.IsAsync(await acme.Mia.Http.GetAsync(teamPath, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.GetAsync(teamPath, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        using (var anonymous = app.Http())
        {
            await ProblemAssert.IsAsync(await anonymous.GetAsync(teamPath, Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
            await ProblemAssert.IsAsync(await anonymous.GetAsync(orgPath, Cancel), HttpStatusCode.Unauthorized, ErrorCodes.NotSignedIn);
        }

        Assert.Equal(HttpStatusCode.OK, (await acme.Owner.Http.GetAsync(orgPath, Cancel)).StatusCode);
        await ProblemAssert.IsAsync(await acme.Max.Http.GetAsync(orgPath, Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Outsider.Http.GetAsync(orgPath, Cancel), HttpStatusCode.NotFound, ErrorCodes.OrganisationNotFound);
        await ProblemAssert.IsAsync(await acme.Max.Http.GetAsync($"{orgPath}/export", Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);
        await ProblemAssert.IsAsync(await acme.Mia.Http.GetAsync($"{teamPath}/export", Cancel), HttpStatusCode.Forbidden, ErrorCodes.NotAllowed);

        // Periods: backwards, longer than three years, not a date.
        await ProblemAssert.IsAsync(await acme.Owner.Http.GetAsync($"{teamPath}?from=2026-05-02&to=2026-05-01", Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        await ProblemAssert.IsAsync(await acme.Owner.Http.GetAsync($"{orgPath}?from=2020-01-01&to=2026-01-01", Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.Equal(HttpStatusCode.BadRequest, (await acme.Owner.Http.GetAsync($"{teamPath}?from=yesterday", Cancel)).StatusCode);
    }

    private static async Task PlayAsync(PokerApp app, Acme acme, string name, (string Title, string[][] Rounds, string Accepted)[] stories)
    {
        var (_, owner) = await Workshop.PlayAsync(app, acme, name, [.. stories.Select(s => new PlayedStory(s.Title, s.Rounds, s.Accepted))]);
        await owner.DisposeAsync();
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode? status = null)
    {
        Assert.True(status is null ? response.IsSuccessStatusCode : response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, Cancel))!;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
