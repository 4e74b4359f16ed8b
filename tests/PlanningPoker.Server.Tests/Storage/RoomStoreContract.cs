using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PlanningPoker.Domain;
using PlanningPoker.Server.Storage;

namespace PlanningPoker.Server.Tests.Storage;

/// <summary>
/// What every <see cref="IRoomStore"/> provider must do. One subclass per provider supplies the database; every test
/// makes its own rooms (<c>t-{guid}</c>), so tests and classes run in parallel.
/// </summary>
public abstract class RoomStoreContract(StoreFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IRoomStore Store => fixture.Store;

    [Fact]
    public async Task Load_MissingRoom_ReturnsNull()
    {
        var store = Store;

        var loaded = await store.LoadAsync(PlayedRoom.NewRoomId(), Cancel);

        Assert.Null(loaded);
    }

    [Fact]
    public async Task Votes_AreIndexedByTheirKeyAlone()
    {
        _ = Store; // skips when the provider is unavailable
        await using var db = fixture.Services.GetRequiredService<PokerDbContextFactory>().CreateDbContext();

        // Every index of a table is written with each row: a vote must write its key and nothing that no query reads.
        var indexes = await db.Database.SqlQueryRaw<string>(fixture.Provider == StorageProvider.Sqlite
            ? "SELECT name AS \"Value\" FROM pragma_index_list('votes') ORDER BY name"
            : "SELECT indexname AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'votes' ORDER BY indexname")
            .ToListAsync(Cancel);

        Assert.Equal([fixture.Provider == StorageProvider.Sqlite ? "sqlite_autoindex_votes_1" : "pk_votes"], indexes);
    }

    [Fact]
    public async Task Create_ThenLoad_RoundTripsExactly()
    {
        var store = Store;
        var source = await PlayedRoom.CreateAsync(store, passcodeHash: PlayedRoom.NewHash());
        await PlayARichRoomAsync(source);
        var copy = new StoredRoom(Room.FromSnapshot(source.Room.ToSnapshot() with { Id = PlayedRoom.NewRoomId() }).ToSnapshot(), source.Secrets, 7);

        await store.CreateAsync(copy, Cancel);
        var loaded = await store.LoadAsync(copy.Snapshot.Id, Cancel);

        Assert.NotNull(loaded);
        Assert.Equal(PlayedRoom.Serialize(copy.Snapshot), PlayedRoom.Serialize(loaded.Snapshot));
        Assert.Equal(7, loaded.Version);
        Assert.Equal(PlayedRoom.Serialize(source.ExpectedSecrets), PlayedRoom.Serialize(loaded.Secrets));
    }

    [Fact]
    public async Task Create_SameIdTwice_Conflicts()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);

        var again = store.CreateAsync(new StoredRoom(played.Room.ToSnapshot(), played.Secrets, 0), Cancel);

        await Assert.ThrowsAsync<RoomConflictException>(() => again);
        Assert.Equal(played.Snapshot(), PlayedRoom.Serialize((await store.LoadAsync(played.Room.Id, Cancel))!.Snapshot));
    }

    [Fact]
    public async Task Create_SameIdConcurrently_OneWinsOneConflicts()
    {
        var store = Store;
        var room = Room.Create(PlayedRoom.NewRoomId(), "Race", Deck.Default, RoomSettings.Default, "Fanny", PlayedRoom.Start).GetValueOrThrow();
        var stored = new StoredRoom(room.ToSnapshot(), new RoomSecrets(null, new Dictionary<int, string> { [1] = PlayedRoom.NewHash() }), 0);

        var results = await Task.WhenAll(Attempt(store.CreateAsync(stored, Cancel)), Attempt(store.CreateAsync(stored, Cancel)));

        Assert.Equal([false, true], results.Order());
    }

    [Fact]
    public async Task Workshop_SavedCommandByCommand_LoadsAsTheLiveRoomAfterEveryCommand()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store, passcodeHash: PlayedRoom.NewHash());
        var checkpoints = 0;

        await PlayARichRoomAsync(played, async () =>
        {
            var loaded = await store.LoadAsync(played.Room.Id, Cancel);
            Assert.NotNull(loaded);
            Assert.Equal(played.Snapshot(), PlayedRoom.Serialize(loaded.Snapshot));
            Assert.Equal(played.Version, loaded.Version);
            Assert.Equal(PlayedRoom.Serialize(played.ExpectedSecrets), PlayedRoom.Serialize(loaded.Secrets));
            checkpoints++;
        });

        Assert.True(checkpoints > 50, $"only {checkpoints} commands were checked");
    }

    [Fact]
    public async Task LoadRounds_OfSomeStories_AreTheirStoredRoundsWithTheirVotes_OldestFirst()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        await PlayARichRoomAsync(played);
        var rounds = played.Room.ToSnapshot().Rounds;
        int?[] keys = [.. rounds.Select(r => r.StoryId).Distinct()];
        Assert.Contains(null, keys);
        Assert.True(keys.Length >= 3, "the rich room has quick votes and rounds on two stories or more");

        foreach (var key in keys)
        {
            var loaded = await store.LoadRoundsAsync(played.Room.Id, [key], Cancel);
            Assert.Equal(Serialize(rounds.Where(r => r.StoryId == key)), Serialize(loaded));
        }

        var some = await store.LoadRoundsAsync(played.Room.Id, [keys[^1], null], Cancel);
        Assert.Equal(Serialize(rounds.Where(r => r.StoryId == keys[^1] || r.StoryId is null)), Serialize(some));
        Assert.Empty(await store.LoadRoundsAsync(played.Room.Id, [], Cancel));
        Assert.Empty(await store.LoadRoundsAsync(PlayedRoom.NewRoomId(), [null], Cancel));

        static string Serialize(IEnumerable<RoundSnapshot> rounds) =>
            PlayedRoom.Serialize(new RoomSnapshot("r", "r", new DeckSnapshot(DeckType.Fibonacci, [], SpecialCards.None), RoomSettings.Default, false, PlayedRoom.Start, 1, 1, 1, null, [], [], [], [.. rounds], null));
    }

    [Fact]
    public async Task Save_OfAVoteAlone_StoresTheKeysItIsGiven_AndLeavesTheRestOfTheRoomAsItWas()
    {
        // A vote writes only the room row's version and keys; a key made in memory (a room stored before keys existed)
        // must still be stored by it, whatever the next change is.
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        var alice = await played.JoinAsync("Alice");
        await played.RunAsync(new StartRound(1, null));
        played.FacilitatorKey = PlayedRoom.NewHash();
        played.AccountKey = PlayedRoom.NewHash();

        var events = await played.RunAsync(new CastVote(alice, "5"));
        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;

        Assert.IsType<VoteCast>(Assert.Single(events));
        Assert.Equal((played.FacilitatorKey, played.AccountKey), (loaded.Secrets.FacilitatorKey, loaded.Secrets.AccountKey));
        Assert.Equal(played.Snapshot(), PlayedRoom.Serialize(loaded.Snapshot));
        Assert.Equal(played.Version, loaded.Version);
    }

    [Fact]
    public async Task LoadedRoom_PlaysOnAndSavesLikeTheOriginal()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        var alice = await played.JoinAsync("Alice");
        await played.RunAsync(new StartRound(1, null));
        await played.RunAsync(new CastVote(alice, "5"));
        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
        var resumed = Room.FromSnapshot(loaded.Snapshot);

        var outcome = resumed.Execute(new CastVote(1, "8"), played.Now);
        await store.SaveAsync(resumed, outcome.Events, loaded.Secrets, loaded.Version + 1, cancellationToken: Cancel);
        var reloaded = (await store.LoadAsync(played.Room.Id, Cancel))!;

        Assert.Equal(PlayedRoom.Serialize(resumed.ToSnapshot()), PlayedRoom.Serialize(reloaded.Snapshot));
        Assert.Equal(loaded.Version + 1, reloaded.Version);
    }

    [Fact]
    public async Task Save_TwoWritersAtTheSameVersion_OneCommitsTheOtherConflicts()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        var alice = await played.JoinAsync("Alice");
        await played.RunAsync(new StartRound(1, null));
        var stored = (await store.LoadAsync(played.Room.Id, Cancel))!;
        var first = Room.FromSnapshot(stored.Snapshot);
        var second = Room.FromSnapshot(stored.Snapshot);
        var firstEvents = first.Execute(new CastVote(alice, "3"), played.Now).Events;
        var secondEvents = second.Execute(new CastVote(alice, "13"), played.Now).Events;

        var results = await Task.WhenAll(
            Attempt(store.SaveAsync(first, firstEvents, stored.Secrets, stored.Version + 1, cancellationToken: Cancel)),
            Attempt(store.SaveAsync(second, secondEvents, stored.Secrets, stored.Version + 1, cancellationToken: Cancel)));

        Assert.Equal([false, true], results.Order());
        var winner = results[0] ? first : second;
        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
        Assert.Equal(PlayedRoom.Serialize(winner.ToSnapshot()), PlayedRoom.Serialize(loaded.Snapshot));
        Assert.Equal(stored.Version + 1, loaded.Version);
    }

    [Fact]
    public async Task Save_StaleVersion_ConflictsAndChangesNothing()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        await played.RunAsync(new AddStories(1, [new StoryDraft("Login")]));
        var before = played.Snapshot();
        var stale = Room.FromSnapshot(played.Room.ToSnapshot());
        var events = stale.Execute(new RenameRoom(1, "Sprint 99"), played.Now).Events;

        var save = store.SaveAsync(stale, events, played.Secrets, played.Version, cancellationToken: Cancel);

        await Assert.ThrowsAsync<RoomConflictException>(() => save);
        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
        Assert.Equal(before, PlayedRoom.Serialize(loaded.Snapshot));
        Assert.Equal(played.Version, loaded.Version);
    }

    [Fact]
    public async Task Save_ConflictInOneRoom_DoesNotFailTheOthersWrittenWithIt()
    {
        var store = Store;
        var rooms = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PlayedRoom.CreateAsync(store)));
        var victim = rooms[0];
        await victim.RunAsync(new RenameRoom(1, "Taken"));
        var stale = Room.FromSnapshot(victim.Room.ToSnapshot());
        var staleEvents = stale.Execute(new RenameRoom(1, "Lost"), victim.Now).Events;

        // Queued together, so that the writer most likely takes them in one batch.
        var staleSave = Attempt(store.SaveAsync(stale, staleEvents, victim.Secrets, victim.Version, cancellationToken: Cancel));
        var others = rooms.Skip(1).Select(r => r.RunAsync(new AddStories(1, [new StoryDraft("Story")]))).ToArray();

        Assert.False(await staleSave);
        await Task.WhenAll(others);
        foreach (var room in rooms)
        {
            Assert.Equal(room.Snapshot(), PlayedRoom.Serialize((await store.LoadAsync(room.Room.Id, Cancel))!.Snapshot));
        }
    }

    [Fact]
    public async Task Save_ChangeTheDatabaseRefuses_FailsAloneAndTheOthersCommit()
    {
        var store = Store;
        var rooms = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PlayedRoom.CreateAsync(store)));
        var broken = rooms[0];
        var before = broken.Snapshot();
        var joined = broken.Room.Execute(new Join("Mallory", Role.Estimator), broken.Now).Events;
        var newcomer = joined.OfType<ParticipantJoined>().Single().Participant.Id;

        // The newcomer's token hash is the facilitator's: the unique index on (room_id, token_hash) refuses the row.
        var secrets = new RoomSecrets(null, new Dictionary<int, string>(broken.Secrets.TokenHashes) { [newcomer] = broken.Secrets.TokenHashes[1] });
        var refused = store.SaveAsync(broken.Room, joined, secrets, broken.Version + 1, cancellationToken: Cancel);
        var others = rooms.Skip(1).Select(r => r.RunAsync(new AddStories(1, [new StoryDraft("Story")]))).ToArray();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => refused);
        Assert.IsNotType<RoomConflictException>(error);
        await Task.WhenAll(others);
        foreach (var room in rooms.Skip(1))
        {
            Assert.Equal(room.Snapshot(), PlayedRoom.Serialize((await store.LoadAsync(room.Room.Id, Cancel))!.Snapshot));
        }

        var stored = (await store.LoadAsync(broken.Room.Id, Cancel))!;
        Assert.Equal(before, PlayedRoom.Serialize(stored.Snapshot));
        Assert.Equal(0, stored.Version);
    }

    [Fact]
    public async Task Save_ManyRoomsConcurrently_AllCommitAndReloadExactly()
    {
        var store = Store;
        var rooms = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => PlayedRoom.CreateAsync(store)));

        await Task.WhenAll(rooms.Select(async (played, i) =>
        {
            var alice = await played.JoinAsync("Alice");
            var bob = await played.JoinAsync("Bob");
            await played.RunAsync(new AddStories(1, [new StoryDraft($"Story {i}"), new StoryDraft("Second")]));
            await played.RunAsync(new StartRound(1, played.Room.Stories[0].Id));
            for (var vote = 0; vote < 6; vote++)
            {
                await played.RunAsync(new CastVote(vote % 2 == 0 ? alice : bob, vote % 3 == 0 ? "3" : "5"));
            }

            await played.RunAsync(new Reveal(1));
            await played.RunAsync(new Accept(1, "5"));
        }));

        foreach (var played in rooms)
        {
            var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
            Assert.Equal(played.Snapshot(), PlayedRoom.Serialize(loaded.Snapshot));
            Assert.Equal(played.Version, loaded.Version);
        }
    }

    [Fact]
    public async Task Secrets_TokenHashesAndPasscode_AreStoredAndReloaded()
    {
        var store = Store;
        var passcode = PlayedRoom.NewHash();
        var played = await PlayedRoom.CreateAsync(store, passcodeHash: passcode);
        var alice = await played.JoinAsync("Alice");
        var bob = await played.JoinAsync("Bob", Role.Observer);

        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;

        Assert.Equal(passcode, loaded.Secrets.PasscodeHash);
        Assert.Equal([1, alice, bob], loaded.Secrets.TokenHashes.Keys.Order());
        Assert.Equal(played.Secrets.TokenHashes[alice], loaded.Secrets.TokenHashes[alice]);
        Assert.Equal(played.Secrets.TokenHashes[bob], loaded.Secrets.TokenHashes[bob]);
        Assert.Equal(played.FacilitatorKey, loaded.Secrets.FacilitatorKey);
    }

    [Fact]
    public async Task Secrets_SeatsHeldByAccounts_AreStoredAndReloaded_AndALeaverHoldsNone()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        played.AccountKey = PlayedRoom.NewHash();
        Guid ann = Guid.NewGuid(), cat = Guid.NewGuid();
        var alice = await played.JoinAsync("Alice", account: ann);
        await played.JoinAsync("Bob");
        var carol = await played.JoinAsync("Carol", account: cat);
        await played.RunAsync(new Leave(carol));

        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;

        Assert.Equal(played.AccountKey, loaded.Secrets.AccountKey);
        Assert.Equal(new Dictionary<int, Guid> { [alice] = ann }, loaded.Secrets.Accounts);
    }

    [Fact]
    public async Task Anonymise_OfASeatedVoterAndOfALeaver_ReloadsUnderTheNewNames_WithTheVotesKept()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        played.AccountKey = PlayedRoom.NewHash();
        var account = Guid.NewGuid();
        var alice = await played.JoinAsync("Alice", account: account);
        var carol = await played.JoinAsync("Carol", account: account);
        await played.RunAsync(new StartRound(1, null));
        await played.RunAsync(new CastVote(alice, "8"));
        await played.RunAsync(new CastVote(carol, "3"));
        await played.RunAsync(new Reveal(1));
        await played.RunAsync(new Leave(carol));

        await played.RunAsync(new Anonymise(alice, "Former member"));
        await played.RunAsync(new Anonymise(carol, "Former member"));

        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
        Assert.Equal(played.Snapshot(), PlayedRoom.Serialize(loaded.Snapshot));
        Assert.Equal([(carol, "Former member 2"), (alice, "Former member")], loaded.Snapshot.FormerParticipants.Select(f => (f.Id, f.Name))); // in leaving order
        Assert.Equal(["3", "8"], loaded.Snapshot.Rounds.Single().Votes.Select(v => v.Card.Label).Order(StringComparer.Ordinal));
        Assert.Empty(loaded.Secrets.Accounts ?? new Dictionary<int, Guid>());
    }

    [Fact]
    public async Task Save_AfterAJump_FollowsTheStoredVersion_AndAStaleOneStillConflicts()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        var stored = played.Version;
        var events = played.Room.Execute(new RenameRoom(1, "Sprint 99"), played.Now).Events;

        // A room that loaded at `stored` skips versions: its first change follows `stored` and lands 34 on.
        await store.SaveAsync(played.Room, events, played.Secrets, stored + 34, after: stored, cancellationToken: Cancel);
        var stale = store.SaveAsync(played.Room, [], played.Secrets, stored + 35, after: stored, cancellationToken: Cancel);

        await Assert.ThrowsAsync<RoomConflictException>(() => stale);
        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
        Assert.Equal(stored + 34, loaded.Version);
        Assert.Equal("Sprint 99", loaded.Snapshot.Name);
    }

    [Fact]
    public async Task Secrets_RenewedFacilitatorKey_IsStoredWithAChangeOfNoEvents()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        played.FacilitatorKey = PlayedRoom.NewHash();

        await store.SaveAsync(played.Room, [], played.Secrets, played.Version + 1, cancellationToken: Cancel);

        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
        Assert.Equal(played.FacilitatorKey, loaded.Secrets.FacilitatorKey);
        Assert.Equal(played.Version + 1, loaded.Version);
    }

    [Fact]
    public async Task Secrets_PasscodeRemoved_ReadsBackNull()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store, passcodeHash: PlayedRoom.NewHash());

        played.PasscodeHash = null;
        await played.RunAsync(new LockRoom(1, true));

        Assert.Null((await store.LoadAsync(played.Room.Id, Cancel))!.Secrets.PasscodeHash);
    }

    [Fact]
    public async Task FormerParticipants_KeepTheirLeavingOrder_AndTheirTokensNoLongerAuthenticate()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        var alice = await played.JoinAsync("Alice");
        var bob = await played.JoinAsync("Bob");
        var carol = await played.JoinAsync("Carol");

        await played.RunAsync(new Kick(1, carol));
        await played.RunAsync(new Leave(alice));
        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;

        Assert.Equal([carol, alice], loaded.Snapshot.FormerParticipants.Select(p => p.Id));
        Assert.Equal(["Carol", "Alice"], loaded.Snapshot.FormerParticipants.Select(p => p.Name));
        Assert.Equal([1, bob], loaded.Secrets.TokenHashes.Keys.Order());
        Assert.DoesNotContain(played.Secrets.TokenHashes[alice], loaded.Secrets.TokenHashes.Values);
        Assert.DoesNotContain(played.Secrets.TokenHashes[carol], loaded.Secrets.TokenHashes.Values);
    }

    [Fact]
    public async Task Votes_KeepTheOrderTheyWereFirstCast_ThroughChangesAndWithdrawals()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store);
        var alice = await played.JoinAsync("Alice");
        var bob = await played.JoinAsync("Bob");
        var carol = await played.JoinAsync("Carol");
        await played.RunAsync(new StartRound(1, null));

        await played.RunAsync(new CastVote(alice, "1"));
        await played.RunAsync(new CastVote(bob, "2"));
        await played.RunAsync(new CastVote(carol, "3"));
        await played.RunAsync(new CastVote(alice, "5"));
        await played.RunAsync(new WithdrawVote(bob));
        await played.RunAsync(new CastVote(1, "8"));
        await played.RunAsync(new CastVote(bob, "13"));
        var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;

        Assert.Equal([alice, carol, 1, bob], loaded.Snapshot.Rounds[^1].Votes.Select(v => v.ParticipantId));
        Assert.Equal(played.Snapshot(), PlayedRoom.Serialize(loaded.Snapshot));
    }

    [Fact]
    public async Task AutoAdvance_OnAtCreation_SurvivesReloads_ThroughADeckChange_AnAdvancingAccept_AndTurningItOff()
    {
        var store = Store;
        var played = await PlayedRoom.CreateAsync(store, RoomSettings.Default with { AutoAdvance = true });
        var alice = await played.JoinAsync("Alice");
        await played.RunAsync(new AddStories(1, [new StoryDraft("Login"), new StoryDraft("Logout")]));
        var stories = played.Room.Stories.Select(s => s.Id).ToArray();
        Assert.True((await store.LoadAsync(played.Room.Id, Cancel))!.Snapshot.Settings.AutoAdvance);

        await played.RunAsync(new ChangeDeck(1, Deck.Standard(DeckType.TShirt)));
        var afterDeck = (await store.LoadAsync(played.Room.Id, Cancel))!;
        await played.RunAsync(new StartRound(1, stories[0]));
        await played.RunAsync(new CastVote(alice, "M"));
        await played.RunAsync(new Reveal(1));
        await played.RunAsync(new Accept(1, "M"));
        var afterAccept = (await store.LoadAsync(played.Room.Id, Cancel))!;
        var afterAcceptSnapshot = played.Snapshot();
        await played.RunAsync(new ChangeSettings(1, played.Room.Settings with { AutoAdvance = false }));
        var afterOff = (await store.LoadAsync(played.Room.Id, Cancel))!;

        Assert.True(afterDeck.Snapshot.Settings.AutoAdvance);
        Assert.Equal(DeckType.TShirt, afterDeck.Snapshot.Deck.Type);
        Assert.Equal(afterAcceptSnapshot, PlayedRoom.Serialize(afterAccept.Snapshot));
        Assert.Equal(stories[1], afterAccept.Snapshot.Rounds[^1].StoryId);
        Assert.Equal(afterAccept.Snapshot.Rounds[^1].Id, afterAccept.Snapshot.CurrentRoundId);
        Assert.False(afterOff.Snapshot.Settings.AutoAdvance);
        Assert.Equal(played.Snapshot(), PlayedRoom.Serialize(afterOff.Snapshot));
    }

    [Fact]
    public async Task CommittedSave_SurvivesClosingTheStoreAndOpeningAnother()
    {
        var host = await fixture.StartHostAsync();
        var played = await PlayedRoom.CreateAsync(host.Services.GetRequiredService<IRoomStore>());
        var alice = await played.JoinAsync("Alice");
        await played.RunAsync(new StartRound(1, null));
        await played.RunAsync(new CastVote(alice, "8"));
        await StoreFixture.StopAsync(host);

        var reopened = await fixture.StartHostAsync();
        var loaded = await reopened.Services.GetRequiredService<IRoomStore>().LoadAsync(played.Room.Id, Cancel);
        await StoreFixture.StopAsync(reopened);

        Assert.NotNull(loaded);
        Assert.Equal(played.Snapshot(), PlayedRoom.Serialize(loaded.Snapshot));
    }

    [Fact]
    public async Task DatabaseUnreachable_ReadsAndWritesThrowStorageUnavailable()
    {
        var store = fixture.DetachedStore(fixture.UnreachableConnectionString, TimeSpan.FromSeconds(1));
        var room = Room.Create(PlayedRoom.NewRoomId(), "Outage", Deck.Default, RoomSettings.Default, "Fanny", PlayedRoom.Start).GetValueOrThrow();
        try
        {
            var load = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.LoadAsync(room.Id, Cancel));
            var create = await Assert.ThrowsAsync<StorageUnavailableException>(
                () => store.CreateAsync(new StoredRoom(room.ToSnapshot(), new RoomSecrets(null, new Dictionary<int, string>()), 0), Cancel));

            Assert.False(load.OutcomeUnknown);
            Assert.False(create.OutcomeUnknown);
        }
        finally
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }
    }

    [Fact]
    public async Task Save_CommitReplyLostButCommitted_Succeeds_AndStoresTheStoriesOnce()
    {
        var faults = new CommitFaults();
        var host = await fixture.StartHostAsync(services: s => s.AddSingleton<IInterceptor>(faults));
        try
        {
            var store = host.Services.GetRequiredService<IRoomStore>();
            var played = await PlayedRoom.CreateAsync(store);

            faults.LoseNextReply();
            await played.RunAsync(new AddStories(1, [new StoryDraft("Login"), new StoryDraft("Logout")]));
            var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;

            Assert.Equal(1, faults.RepliesLost);
            Assert.Equal(["Login", "Logout"], loaded.Snapshot.Stories.Select(s => s.Title));
            Assert.Equal(played.Version, loaded.Version);
        }
        finally
        {
            await StoreFixture.StopAsync(host);
        }
    }

    [Fact]
    public async Task Save_CommitFailsBeforeReachingTheDatabase_ThrowsStorageUnavailable_AndStoresNothing()
    {
        var faults = new CommitFaults();
        var host = await fixture.StartHostAsync(services: s => s.AddSingleton<IInterceptor>(faults));
        try
        {
            var store = host.Services.GetRequiredService<IRoomStore>();
            var played = await PlayedRoom.CreateAsync(store);
            var before = played.Snapshot();
            var events = played.Room.Execute(new AddStories(1, [new StoryDraft("Login")]), played.Now).Events;

            faults.FailNextCommit();
            var save = store.SaveAsync(played.Room, events, played.Secrets, played.Version + 1, cancellationToken: Cancel);

            var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => save);
            Assert.False(error.OutcomeUnknown);
            Assert.Equal(1, faults.CommitsFailed);
            var loaded = (await store.LoadAsync(played.Room.Id, Cancel))!;
            Assert.Equal(before, PlayedRoom.Serialize(loaded.Snapshot));
            Assert.Equal(played.Version, loaded.Version);
        }
        finally
        {
            await StoreFixture.StopAsync(host);
        }
    }

    [Fact]
    public async Task HealthCheck_TaggedReady_ReportsHealthy()
    {
        _ = Store;
        var health = fixture.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), Cancel);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains("storage", report.Entries.Keys);
    }

    /// <summary>
    /// A workshop that touches every kind of event: seats, roles, presence, backlog edits and moves, rounds with votes,
    /// changes and withdrawals, revote, reveal (manual, automatic, timer), accept, cancel, skip, removal, settings,
    /// deck, lock, rename, and the facilitator leaving. <paramref name="check"/> runs after every command.
    /// </summary>
    private static async Task PlayARichRoomAsync(PlayedRoom played, Func<Task>? check = null)
    {
        async Task Run(RoomCommand command)
        {
            await played.RunAsync(command);
            if (check is not null)
            {
                await check();
            }
        }

        async Task<int> Seat(string name, Role role = Role.Estimator)
        {
            var id = (await played.RunAsync(new Join(name, role))).OfType<ParticipantJoined>().Single().Participant.Id;
            await Run(new Connect(id));
            return id;
        }

        const int fanny = 1;
        await Run(new Connect(fanny));
        var alice = await Seat("Alice");
        var bob = await Seat("Bob");
        var carol = await Seat("Carol", Role.Observer);
        var dave = await Seat("Dave");
        await Run(new Rename(bob, "Bobby"));
        await Run(new ChangeRole(fanny, carol, Role.Estimator));
        await Run(new AddStories(fanny,
        [
            new StoryDraft("Login page", "As a user I want to log in", "PP-1", "https://tracker.example/PP-1"),
            new StoryDraft("Logout"),
            new StoryDraft("Password reset", "Mail a link"),
            new StoryDraft("Audit log"),
        ]));
        var stories = played.Room.Stories.Select(s => s.Id).ToArray();
        await Run(new EditStory(fanny, stories[1], new StoryDraft("Logout everywhere", "All sessions", "PP-2")));
        await Run(new MoveStory(fanny, stories[3], 0));

        // Story 1: votes, a change, a withdrawal and a re-cast, a kick, reveal, revote, accept.
        await Run(new StartRound(fanny, stories[0]));
        await Run(new CastVote(alice, "5"));
        await Run(new CastVote(bob, "8"));
        await Run(new CastVote(carol, "?"));
        await Run(new CastVote(fanny, "3"));
        await Run(new CastVote(bob, "5"));
        await Run(new WithdrawVote(alice));
        await Run(new CastVote(alice, "13"));
        await Run(new Kick(fanny, dave));
        await Run(new Reveal(fanny));
        await Run(new Revote(fanny));
        await Run(new CastVote(alice, "5"));
        await Run(new CastVote(bob, "5"));
        await Run(new CastVote(carol, "☕"));
        await Run(new Reveal(fanny));
        await Run(new Accept(fanny, "5"));

        // Story 2: a countdown, someone leaves mid-vote (their vote goes), the round is cancelled, then the story is removed.
        await Run(new StartRound(fanny, stories[1]));
        await Run(new StartTimer(fanny, TimeSpan.FromSeconds(30)));
        await Run(new CastVote(carol, "2"));
        await Run(new CastVote(alice, "3"));
        await Run(new Leave(carol));
        await Run(new CancelRound(fanny));
        await Run(new SkipStory(fanny, stories[2]));
        await Run(new RemoveStory(fanny, stories[1]));

        // A quick vote with a typed estimate.
        await Run(new StartRound(fanny, null));
        await Run(new CastVote(alice, "2"));
        await Run(new CastVote(bob, "3"));
        await Run(new Reveal(fanny));
        await Run(new Accept(fanny, "2,5"));

        // New rules and a custom deck, then an automatic reveal and one by the round timer.
        await Run(new ChangeSettings(fanny, new RoomSettings(
            AutoReveal: true, FacilitatorsVote: false, WhoMayReveal: RevealPolicy.Voters, Statistic: Statistic.Mean,
            RoundTimer: TimeSpan.FromSeconds(90), AllowVoteChange: true, RevealWhenTimerEnds: true)));
        var custom = Deck.Custom([new Card("½", 0.5m), new Card("1", 1m), new Card("1.50", 1.50m), new Card("XL", null)], SpecialCards.All).GetValueOrThrow();
        await Run(new ChangeDeck(fanny, custom));
        await Run(new StartRound(fanny, stories[2]));
        await Run(new CastVote(alice, "½"));
        await Run(new CastVote(bob, "1.50"));
        await Run(new Accept(fanny, "1.50"));
        await Run(new Disconnect(bob));
        await Run(new Connect(bob));
        await Run(new StartRound(fanny, stories[3]));
        await Run(new CastVote(alice, "∞"));
        played.Advance(TimeSpan.FromMinutes(2));
        await Run(new TimeUp());
        await Run(new Revote(fanny));
        await Run(new CastVote(alice, "XL"));
        await Run(new StopTimer(fanny));

        // The room itself.
        await Run(new LockRoom(fanny, true));
        await Run(new RenameRoom(fanny, "Sprint 43"));
        await Run(new Leave(fanny));
    }

    private static async Task<bool> Attempt(Task save)
    {
        try
        {
            await save;
            return true;
        }
        catch (RoomConflictException)
        {
            return false;
        }
    }
}
