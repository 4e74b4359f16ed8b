namespace PlanningPoker.Server.Trackers;

/// <summary>The client of each tracker kind.</summary>
public sealed class TrackerClients(IEnumerable<ITrackerClient> clients)
{
    private readonly Dictionary<TrackerKind, ITrackerClient> _byKind = clients.ToDictionary(c => c.Kind);

    /// <summary>The kinds a client exists for.</summary>
    public IEnumerable<TrackerKind> Kinds => _byKind.Keys;

    /// <summary>The client of a kind.</summary>
    public ITrackerClient For(TrackerKind kind) =>
        _byKind.TryGetValue(kind, out var client) ? client : throw new InvalidOperationException($"no client for {kind}");
}

/// <summary>Registers the tracker clients.</summary>
public static class TrackerClientsServiceCollectionExtensions
{
    /// <summary>The trackers' <see cref="HttpClient"/>, every <see cref="ITrackerClient"/> and <see cref="TrackerClients"/>.</summary>
    public static IServiceCollection AddTrackerClients(this IServiceCollection services)
    {
        services.AddTrackerHttp();
        services.AddSingleton<TrackerClients>();

        // One line per tracker (keep in TrackerKind's order).
        services.AddSingleton<ITrackerClient, Jira.JiraCloudClient>();
        services.AddSingleton<ITrackerClient, Jira.JiraDataCenterClient>();
        services.AddSingleton<ITrackerClient, AzureDevOps.AzureDevOpsClient>();
        services.AddSingleton<ITrackerClient, GitLab.GitLabClient>();
        services.AddSingleton<ITrackerClient, GitHub.GitHubClient>();
        services.AddSingleton<ITrackerClient, Linear.LinearClient>();
        return services;
    }
}
