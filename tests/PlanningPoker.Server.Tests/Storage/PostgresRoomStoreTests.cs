namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// The store contract on PostgreSQL, in a fresh database on the server named by <c>POKER_TEST_POSTGRES</c>
/// (<c>.ci/run</c> installs and starts one). Skipped, with the reason, where no server is reachable.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Postgres")]
public sealed class PostgresRoomStoreTests(PostgresStoreFixture fixture) : RoomStoreContract(fixture), IClassFixture<PostgresStoreFixture>;
