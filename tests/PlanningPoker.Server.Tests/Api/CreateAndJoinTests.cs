using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Api;

[Trait("Category", "Integration")]
public sealed class CreateAndJoinTests(PokerApp app)
{
    private const string CrockfordBase32 = "0123456789abcdefghjkmnpqrstvwxyz";

    [Fact]
    public async Task CreatingARoomAnswersCreatedWithItsIdTokenAndJoinLink()
    {
        using var http = app.Http();

        var response = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Sprint 42", "Fanny"), Rest.Cancel).Timed();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<CreateRoomResponse>(Rest.Cancel).Timed();
        Assert.NotNull(created);
        Assert.Equal(16, created.RoomId.Length);
        Assert.All(created.RoomId, c => Assert.Contains(c, CrockfordBase32));
        Assert.Equal(1, created.ParticipantId);
        Assert.True(created.Token.Length >= 43, $"a token of {created.Token.Length} characters holds less than 256 bits");
        Assert.Matches("^[A-Za-z0-9_-]+$", created.Token);
        Assert.Contains(created.RoomId, created.JoinUrl, StringComparison.Ordinal);
        Assert.Equal($"/api/rooms/{created.RoomId}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TwoRoomsGetDifferentIdsAndTokens()
    {
        var first = await app.CreateRoomAsync().Timed();

        var second = await app.CreateRoomAsync().Timed();

        Assert.NotEqual(first.RoomId, second.RoomId);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task AVisitorSeesTheRoomsNameDeckAndThatItIsOpen()
    {
        var room = await app.CreateRoomAsync(name: "Sprint 43").Timed();
        using var http = app.Http();

        var info = await http.GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Rest.Cancel).Timed();

        Assert.NotNull(info);
        Assert.Equal(room.RoomId, info.RoomId);
        Assert.Equal("Sprint 43", info.Name);
        Assert.Equal(DeckType.Fibonacci, info.Deck.Type);
        Assert.Equal(["0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89", "?", "☕"], info.Deck.Cards!.Select(c => c.Label));
        Assert.False(info.PasscodeRequired);
        Assert.False(info.IsLocked);
    }

    [Fact]
    public async Task JoiningAnswersCreatedWithANewSeatAndItsOwnToken()
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Alice"), Rest.Cancel).Timed();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var joined = await response.Content.ReadFromJsonAsync<JoinRoomResponse>(Rest.Cancel).Timed();
        Assert.NotNull(joined);
        Assert.Equal(room.RoomId, joined.RoomId);
        Assert.Equal(2, joined.ParticipantId);
        Assert.True(joined.Token.Length >= 43);
        Assert.NotEqual(room.Token, joined.Token);
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task AnObserverJoinsAsAnObserverWhoDoesNotVote()
    {
        var room = await app.CreateRoomAsync().Timed();
        var seat = await app.JoinAsync(room.RoomId, "Olga", Role.Observer).Timed();
        await using var fanny = await app.ConnectAsync("Fanny").Timed();
        await fanny.JoinAsync(room.RoomId, room.Token); // present first, or the room promotes whoever comes first
        await using var olga = await app.ConnectAsync("Olga").Timed();

        var view = await olga.JoinAsync(room.RoomId, seat.Token);

        var me = Assert.Single(view.Participants, p => p.Id == seat.ParticipantId);
        Assert.Equal(Role.Observer, me.Role);
        Assert.False(me.IsVoter);
    }

    [Fact]
    public async Task ACustomDeckKeepsItsCardsInOrderThenTheChosenSpecialCards()
    {
        var deck = new DeckDto(DeckType.Custom, [new CardDto("S", 1), new CardDto("M", 3), new CardDto("L", 8), new CardDto("XL", null)], Unsure: true, Break: false, Infinity: true);
        var room = await app.CreateRoomAsync(deck: deck).Timed();
        using var http = app.Http();

        var info = await http.GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Rest.Cancel).Timed();

        Assert.NotNull(info);
        Assert.Equal(DeckType.Custom, info.Deck.Type);
        Assert.Equal(["S", "M", "L", "XL", "?", "∞"], info.Deck.Cards!.Select(c => c.Label));
        Assert.Equal([1m, 3m, 8m, null, null, null], info.Deck.Cards!.Select(c => c.Value));
        Assert.Equal([CardKind.Regular, CardKind.Regular, CardKind.Regular, CardKind.Regular, CardKind.Unsure, CardKind.Infinity], info.Deck.Cards!.Select(c => c.Kind));
        Assert.True(info.Deck.Unsure);
        Assert.False(info.Deck.Break);
        Assert.True(info.Deck.Infinity);
    }

    [Fact]
    public async Task APasscodeRoomSaysSoAndLetsInWhoeverGivesThePasscode()
    {
        var room = await app.CreateRoomAsync(passcode: "open sesame").Timed();
        using var http = app.Http();

        var info = await http.GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Rest.Cancel).Timed();
        var response = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Alice", Passcode: "open sesame"), Rest.Cancel).Timed();

        Assert.True(info!.PasscodeRequired);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task RequestsMayUseTheDocumentedCamelCaseEnumNames()
    {
        using var http = app.Http();

        var created = await http.PostRawAsync("/api/rooms", /*lang=json,strict*/ """
            { "name": "Sprint 42", "displayName": "Fanny",
              "deck": { "type": "tShirt", "unsure": true, "break": true, "infinity": false },
              "settings": { "autoReveal": true, "facilitatorsVote": true, "whoMayReveal": "voters", "statistic": "mean",
                            "roundTimerSeconds": 60, "allowVoteChange": true, "revealWhenTimerEnds": true } }
            """);
        var room = await created.Content.ReadFromJsonAsync<CreateRoomResponse>(Rest.Cancel).Timed();
        var joined = await http.PostRawAsync($"/api/rooms/{room!.RoomId}/participants", /*lang=json,strict*/ """{ "displayName": "Olga", "role": "observer" }""");
        var info = await http.GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Rest.Cancel).Timed();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        Assert.Equal(DeckType.TShirt, info!.Deck.Type);
    }

    [Fact]
    public async Task EnumsTravelAsCamelCaseStrings()
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        using var info = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/rooms/{room.RoomId}", UriKind.Relative), Rest.Cancel).Timed());

        var deck = info.RootElement.GetProperty("deck");
        Assert.Equal("fibonacci", deck.GetProperty("type").GetString());
        Assert.Equal("unsure", deck.GetProperty("cards").EnumerateArray().Single(c => c.GetProperty("label").GetString() == "?").GetProperty("kind").GetString());
    }
}
