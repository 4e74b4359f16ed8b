using PlanningPoker.Server.Trackers;

namespace PlanningPoker.Tests.Trackers;

/// <summary>The connection to the fake, in the server's types (which the end-to-end tests, sharing the fake, do not reference).</summary>
public sealed partial class FakeAzureDevOps
{
    /// <summary>A connection with the right PAT and project.</summary>
    public TrackerConnection Connection => new(TrackerKind.AzureDevOps, BaseUrl, Pat, Scope: Project);
}

/// <summary>The connection to the fake, in the server's types.</summary>
public sealed partial class FakeGitLab
{
    /// <summary>A connection with the right token and project path.</summary>
    public TrackerConnection Connection => new(TrackerKind.GitLab, Host.BaseUrl, Token, Scope: ProjectPath);
}
