using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>What <c>AddRoomStorage</c> does with the configuration it finds.</summary>
[Trait("Category", "Integration")]
public sealed class StorageWiringTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_WithoutConfiguration_MigratesASqliteFileUnderTheContentRoot()
    {
        var root = Directory.CreateTempSubdirectory("poker-wiring-").FullName;
        try
        {
            var host = Build(root, []);

            await host.StartAsync(Cancel);
            var loaded = await host.Services.GetRequiredService<IRoomStore>().LoadAsync("t-missing", Cancel);
            await StoreFixture.StopAsync(host);

            Assert.Null(loaded);
            Assert.True(File.Exists(Path.Combine(root, "data", "planning-poker.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Start_PostgresWithoutConnectionString_FailsValidation()
    {
        var host = Build(Path.GetTempPath(), new() { ["Storage:Provider"] = "Postgres" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancel));

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    [Fact]
    public async Task Start_BatchSizeOutOfRange_FailsValidation()
    {
        var host = Build(Path.GetTempPath(), new() { ["Storage:MaxBatchSize"] = "0" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancel));

        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    [Fact]
    public async Task Start_BusyTimeoutNotUnderAThirdOfTheGrainCallTimeout_FailsValidation()
    {
        var host = Build(Path.GetTempPath(), new() { ["Storage:BusyTimeout"] = "00:00:10" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancel));

        Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    private static IHost Build(string contentRoot, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddRoomStorage();
        return builder.Build();
    }
}
