using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>The connection to a <see cref="FakeJira"/> (kept here: the fake also compiles in the browser tests, which do not reference the server's types).</summary>
public static class FakeJiraConnection
{
    extension(FakeJira jira)
    {
        /// <summary>The connection to this fake, with the right secret (and the account's email for Cloud).</summary>
        public TrackerConnection Connection => jira.IsCloud
            ? new TrackerConnection(TrackerKind.JiraCloud, jira.Host.BaseUrl, FakeJira.Token, FakeJira.Email)
            : new TrackerConnection(TrackerKind.JiraDataCenter, jira.Host.BaseUrl, FakeJira.Token);
    }
}
