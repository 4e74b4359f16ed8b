using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// The connections to the GitHub and Linear fakes, with the secret and scope each accepts (here, because the fakes also
/// compile into the end-to-end tests, which do not reference the server's types).
/// </summary>
internal static class GitHubLinearFakeConnections
{
    /// <summary>A connection to the fake's repository with its token and the estimate field it was started with.</summary>
    public static TrackerConnection Connection(this FakeGitHub fake) =>
        new(TrackerKind.GitHub, fake.Host.BaseUrl, FakeGitHub.Token, Scope: FakeGitHub.Scope, EstimateField: fake.EstimateField);

    /// <summary>A connection to the fake's team with its API key.</summary>
    public static TrackerConnection Connection(this FakeLinear fake) =>
        new(TrackerKind.Linear, fake.Host.BaseUrl, FakeLinear.ApiKey, Scope: FakeLinear.TeamKey);
}
