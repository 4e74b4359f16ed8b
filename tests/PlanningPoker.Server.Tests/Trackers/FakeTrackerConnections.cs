using System.Diagnostics.CodeAnalysis;
using PlanningPoker.Server.Trackers;
using PlanningPoker.Tests.Trackers;

namespace PlanningPoker.Server.Tests.Trackers;

/// <summary>
/// The connection to each fake tracker, in the server's types, with the secret and scope the fake accepts (kept here:
/// the fakes also compile into the browser tests, which do not reference the server's types).
/// </summary>
[SuppressMessage("Naming", "CA1708:Identifiers should differ by more than case", Justification = "The analyzer sees the compiler's names for the extension blocks, not ours.")]
public static class FakeTrackerConnections
{
    extension(FakeJira jira)
    {
        /// <summary>The connection to this Jira, with the right secret (and the account's email for Cloud).</summary>
        public TrackerConnection Connection => jira.IsCloud
            ? new TrackerConnection(TrackerKind.JiraCloud, jira.Host.BaseUrl, FakeJira.Token, FakeJira.Email)
            : new TrackerConnection(TrackerKind.JiraDataCenter, jira.Host.BaseUrl, FakeJira.Token);
    }

    extension(FakeAzureDevOps azure)
    {
        /// <summary>A connection with the right PAT and project.</summary>
        public TrackerConnection Connection => new(TrackerKind.AzureDevOps, azure.BaseUrl, azure.Pat, Scope: azure.Project);
    }

    extension(FakeGitLab gitlab)
    {
        /// <summary>A connection with the right token and project path.</summary>
        public TrackerConnection Connection => new(TrackerKind.GitLab, gitlab.Host.BaseUrl, gitlab.Token, Scope: gitlab.ProjectPath);
    }

    extension(FakeGitHub github)
    {
        /// <summary>A connection to the fake's repository with its token and the estimate field it was started with.</summary>
        public TrackerConnection Connection =>
            new(TrackerKind.GitHub, github.Host.BaseUrl, FakeGitHub.Token, Scope: FakeGitHub.Scope, EstimateField: github.EstimateField);
    }

    extension(FakeLinear linear)
    {
        /// <summary>A connection to the fake's team with its API key.</summary>
        public TrackerConnection Connection => new(TrackerKind.Linear, linear.Host.BaseUrl, FakeLinear.ApiKey, Scope: FakeLinear.TeamKey);
    }
}
