using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Cluster;

/// <summary>
/// How this node's silo finds the others. Clustering follows storage: on PostgreSQL, the nodes sharing the database
/// and <see cref="NodeOptions.ClusterId"/> form one cluster through Orleans' ADO.NET clustering (its tables come with
/// the start-up migration); on SQLite the node is a cluster of one (localhost clustering).
/// </summary>
public static class Clustering
{
    /// <summary>The ADO.NET provider Orleans loads for PostgreSQL.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Configures the silo from <paramref name="configuration"/> (storage) and <see cref="NodeOptions"/>.</summary>
    public static ISiloBuilder UsePokerCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var shared = storage.Provider == StorageProvider.Postgres && !string.IsNullOrWhiteSpace(storage.ConnectionString);
        if (shared)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = storage.ConnectionString;
            });
        }
        else
        {
            silo.UseLocalhostClustering();
            silo.Services.AddOptions<DevelopmentClusterMembershipOptions>().PostConfigure<IOptions<NodeOptions>>((membership, node) =>
                membership.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, node.Value.SiloPort));
        }

        // Ports, address and ids come from NodeOptions when the options are built, not when this runs, so that every
        // configuration source (tests' included) counts.
        silo.Services.AddOptions<EndpointOptions>().PostConfigure<IOptions<NodeOptions>>((endpoints, node) =>
        {
            endpoints.SiloPort = node.Value.SiloPort;
            endpoints.GatewayPort = node.Value.GatewayPort;
            if (node.Value.AdvertisedAddress is { Length: > 0 } address)
            {
                endpoints.AdvertisedIPAddress = IPAddress.Parse(address);
            }
            else if (!shared)
            {
                endpoints.AdvertisedIPAddress = IPAddress.Loopback;
            }

            // Listen on every interface: the advertised address may be one a proxy or container maps.
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, node.Value.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, node.Value.GatewayPort);
        });
        silo.Services.AddOptions<ClusterOptions>().PostConfigure<IOptions<NodeOptions>>((cluster, node) =>
        {
            cluster.ClusterId = node.Value.ClusterId;
            cluster.ServiceId = node.Value.ClusterId;
        });

        // Failure detection, tuned so that a dead node's rooms answer again on the survivors within 10 s
        // (docs/operations.md, "When a node dies"): probes every ProbeTimeout, suspicion after MissedProbesLimit misses.
        silo.Services.AddOptions<ClusterMembershipOptions>().PostConfigure<IOptions<NodeOptions>>((membership, node) =>
        {
            membership.ProbeTimeout = node.Value.ProbeTimeout;
            membership.NumMissedProbesLimit = node.Value.MissedProbesLimit;
        });
        // What a node does when another dies (Cluster/NodeWatcher.cs).
        silo.Services.AddSingleton<LocalRooms>();
        silo.Services.AddHostedService<NodeWatcher>();
        return silo;
    }
}
