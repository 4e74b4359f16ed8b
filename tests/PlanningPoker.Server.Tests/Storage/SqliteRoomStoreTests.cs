namespace PlanningPoker.Server.Tests.Storage;

/// <summary>The store contract on SQLite, on a temporary file: always runs.</summary>
[Trait("Category", "Integration")]
public sealed class SqliteRoomStoreTests(SqliteStoreFixture fixture) : RoomStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
