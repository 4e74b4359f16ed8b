using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace PlanningPoker.Server.Storage;

/// <summary>Registers room storage; the host calls <see cref="AddRoomStorage"/> once.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds everything rooms need to be stored: <see cref="StorageOptions"/> (section <c>Storage</c>, validated at
    /// start-up), the <see cref="PokerDbContext"/> of the configured provider (SQLite by default, PostgreSQL by
    /// configuration), the <see cref="IRoomStore"/>, the start-up migration (done before the Orleans silo and the web
    /// server start, see <see cref="StorageMigrator"/>) and a readiness health check tagged <c>ready</c>.
    /// </summary>
    public static IServiceCollection AddRoomStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IOptions<SiloMessagingOptions>>(
                (storage, messaging) => storage.BusyTimeout * 3 < messaging.Value.ResponseTimeout,
                "Storage:BusyTimeout must be under a third of the grain call timeout (Orleans' ResponseTimeout, 30 s by default): "
                + "a change may wait for the attempt before its own, then its own, then the check of a lost COMMIT reply.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PokerDbContextFactory>();
        services.TryAddSingleton<IDbContextFactory<PokerDbContext>>(sp => sp.GetRequiredService<PokerDbContextFactory>());
        services.TryAddScoped(sp => sp.GetRequiredService<PokerDbContextFactory>().CreateDbContext());
        services.TryAddSingleton<RoomStore>();
        services.TryAddSingleton<IRoomStore>(sp => sp.GetRequiredService<RoomStore>());

        // A lifecycle service: it migrates in StartingAsync, before any hosted service (the silo, Kestrel) starts.
        services.AddHostedService<StorageMigrator>();

        services.AddHealthChecks().AddDbContextCheck<PokerDbContext>("storage", tags: ["ready"]);
        return services;
    }
}
