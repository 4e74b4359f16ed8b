using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Api;

/// <summary>Every refusal of the REST API is a ProblemDetails with the documented status, type, title and code.</summary>
[Trait("Category", "Integration")]
public sealed class ProblemTests(PokerApp app)
{
    [Fact]
    public async Task AnUnknownRoomIsNotFound()
    {
        using var http = app.Http();
        var unknown = "zzzzzzzzzzzzzzzz";

        var info = await http.GetAsync($"/api/rooms/{unknown}", authorization: null);
        var join = await http.PostAsJsonAsync($"/api/rooms/{unknown}/participants", new JoinRoomRequest("Alice"), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(info, HttpStatusCode.NotFound, ErrorCodes.RoomNotFound);
        await ProblemAssert.IsAsync(join, HttpStatusCode.NotFound, ErrorCodes.RoomNotFound);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("bad!room")]
    [InlineData("with.dots.in.it")]
    [InlineData("%C3%A9t%C3%A9-room")]
    [InlineData("a-room-id-that-is-far-too-long-to-be-one-a-room-id-that-is-far-too-long")]
    public async Task AMalformedRoomIdIsNotFound(string roomId)
    {
        using var http = app.Http();

        var info = await http.GetAsync($"/api/rooms/{roomId}", authorization: null);
        var join = await http.PostAsJsonAsync($"/api/rooms/{roomId}/participants", new JoinRoomRequest("Alice"), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(info, HttpStatusCode.NotFound, ErrorCodes.RoomNotFound);
        await ProblemAssert.IsAsync(join, HttpStatusCode.NotFound, ErrorCodes.RoomNotFound);
    }

    public static readonly TheoryData<string, string> BadNames = new()
    {
        { "", "Fanny" },
        { "   ", "Fanny" },
        { "Sprint\n42", "Fanny" },
        { new string('r', 81), "Fanny" },
        { "Sprint 42", "" },
        { "Sprint 42", " \t " },
        { "Sprint 42", "Fan\nny" },
        { "Sprint 42", "Fan\u0007ny" },
        { "Sprint 42", new string('f', 41) },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task CreatingWithABadRoomOrDisplayNameIsInvalidName(string name, string displayName)
    {
        using var http = app.Http();

        var response = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest(name, displayName), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Ali\r\nce")]
    [InlineData("0123456789012345678901234567890123456789x")]
    public async Task JoiningWithABadDisplayNameIsInvalidName(string displayName)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest(displayName), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidName);
    }

    [Fact]
    public async Task ADisplayNameOfOneLetterAndThousandsOfCombiningMarksIsInvalidName()
    {
        using var http = app.Http();

        var response = await http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Sprint 42", "A" + new string('\u0301', 20_000)), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidName);
    }

    [Theory]
    [InlineData("Fanny")]
    [InlineData("fanny")]
    [InlineData("  FANNY ")]
    public async Task ANameAlreadyUsedInTheRoomIsTakenWhateverItsCase(string displayName)
    {
        var room = await app.CreateRoomAsync(displayName: "Fanny").Timed();
        using var http = app.Http();

        var response = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest(displayName), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(response, HttpStatusCode.Conflict, ErrorCodes.NameTaken);
    }

    [Theory]
    [InlineData("facilitator")]
    [InlineData("Facilitator")]
    public async Task JoiningAsAFacilitatorIsInvalidRole(string role)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.PostRawAsync($"/api/rooms/{room.RoomId}/participants", $$"""{ "displayName": "Alice", "role": "{{role}}" }""");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRole);
    }

    [Theory]
    [InlineData("/api/rooms/{room}/participants", /*lang=json,strict*/ """{ "displayName": "Alice", "role": 0 }""")]
    [InlineData("/api/rooms/{room}/participants", /*lang=json,strict*/ """{ "displayName": "Alice", "role": 7 }""")]
    [InlineData("/api/rooms/{room}/participants", /*lang=json,strict*/ """{ "displayName": "Alice", "role": "boss" }""")]
    [InlineData("/api/rooms", /*lang=json,strict*/ """{ "name": "Sprint 42", "displayName": "Fanny", "deck": { "type": 99 } }""")]
    [InlineData("/api/rooms", /*lang=json,strict*/ """{ "name": "Sprint 42", "displayName": "Fanny", "deck": { "type": "joker" } }""")]
    [InlineData("/api/rooms", /*lang=json,strict*/ """{ "name": "Sprint 42", "displayName": "Fanny", "settings": { "whoMayReveal": 5 } }""")]
    [InlineData("/api/rooms", /*lang=json,strict*/ """{ "name": "Sprint 42", "displayName": "Fanny", "settings": { "statistic": "everybody" } }""")]
    public async Task AnEnumAsANumberOrAnUnknownNameIsValidationFailed(string path, string body)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.PostRawAsync(path.Replace("{room}", room.RoomId, StringComparison.Ordinal), body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    public static readonly TheoryData<string> BadDecks =
    [
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }] }""",
        /*lang=json,strict*/ """{ "type": "custom" }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, { "label": "s", "value": 2 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, { "label": "?", "value": 2 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, { "label": "123456789", "value": 2 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, { "label": "", "value": 2 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, { "label": null, "value": 2 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, { "label": "M\nL", "value": 2 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": -1 }, { "label": "M", "value": 2 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, { "label": "M", "value": 1000001 }] }""",
        /*lang=json,strict*/ """{ "type": "custom", "cards": [{ "label": "S", "value": 1 }, null] }""",
        "{ \"type\": \"custom\", \"cards\": [" + string.Join(", ", Enumerable.Range(1, 31).Select(i => $"{{ \"label\": \"c{i}\", \"value\": {i} }}")) + "] }",
    ];

    [Theory]
    [MemberData(nameof(BadDecks))]
    public async Task CreatingWithAMalformedDeckIsInvalidDeck(string deck)
    {
        using var http = app.Http();

        var response = await http.PostRawAsync("/api/rooms", $$"""{ "name": "Sprint 42", "displayName": "Fanny", "deck": {{deck}} }""");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidDeck);
    }

    [Theory]
    [InlineData(/*lang=json,strict*/ """{ "roundTimerSeconds": 9 }""")]
    [InlineData(/*lang=json,strict*/ """{ "roundTimerSeconds": 3601 }""")]
    [InlineData(/*lang=json,strict*/ """{ "roundTimerSeconds": -30 }""")]
    [InlineData(/*lang=json,strict*/ """{ "roundTimerSeconds": 2147483647 }""")]
    public async Task CreatingWithASettingOutOfRangeIsInvalidSettings(string settings)
    {
        using var http = app.Http();

        var response = await http.PostRawAsync("/api/rooms", $$"""{ "name": "Sprint 42", "displayName": "Fanny", "settings": {{settings}} }""");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidSettings);
    }

    [Theory]
    [InlineData(/*lang=json,strict*/ """{ "displayName": "Fanny" }""")]
    [InlineData(/*lang=json,strict*/ """{ "name": "Sprint 42" }""")]
    [InlineData(/*lang=json,strict*/ """{ "name": "Sprint 42", "displayName": "Fanny", "passcode": "abc" }""")]
    [InlineData(/*lang=json,strict*/ """{ "name": "Sprint 42", "displayName": "Fanny", "passcode": "0123456789012345678901234567890123456789012345678901234567890123x" }""")]
    public async Task CreatingWithoutANameOrWithAPasscodeOutOfBoundsIsValidationFailed(string body)
    {
        using var http = app.Http();

        var response = await http.PostRawAsync("/api/rooms", body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task JoiningWithoutADisplayNameIsValidationFailed()
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.PostRawAsync($"/api/rooms/{room.RoomId}/participants", /*lang=json,strict*/ """{ "role": "estimator" }""");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("open sesam")]
    [InlineData("OPEN SESAME")]
    public async Task JoiningAPasscodeRoomWithoutTheRightPasscodeIsWrongPasscode(string? passcode)
    {
        var room = await app.CreateRoomAsync(passcode: "open sesame").Timed();
        using var http = app.Http();

        var response = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Alice", Passcode: passcode), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(response, HttpStatusCode.Forbidden, ErrorCodes.WrongPasscode);
    }

    [Fact]
    public async Task GuessingAPasscodeIsSlowedDownWithRetryAfter()
    {
        var room = await app.CreateRoomAsync(passcode: "open sesame").Timed();
        using var http = app.Http();
        HttpResponseMessage? refused = null;

        // Five free guesses, then waits from 1 s doubling: a slow machine may let a wait pass, but not all of them.
        for (var i = 0; i < 12 && refused is null; i++)
        {
            var response = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Mallory", Passcode: $"guess {i}"), Rest.Cancel).Timed();
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsAsync(refused, HttpStatusCode.TooManyRequests, ErrorCodes.TooManyPasscodeAttempts);
    }

    [Fact]
    public async Task ALockedRoomTakesNobodyNewUntilItIsUnlocked()
    {
        var room = await app.CreateRoomAsync().Timed();
        await using var fanny = await app.ConnectAsync("Fanny").Timed();
        await fanny.JoinAsync(room.RoomId, room.Token);
        using var http = app.Http();

        await fanny.InvokeAsync(nameof(IRoomHub.LockRoom), true);
        var refused = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Alice"), Rest.Cancel).Timed();
        var info = await http.GetFromJsonAsync<RoomInfoDto>($"/api/rooms/{room.RoomId}", Rest.Cancel).Timed();
        await fanny.InvokeAsync(nameof(IRoomHub.LockRoom), false);
        var admitted = await http.PostAsJsonAsync($"/api/rooms/{room.RoomId}/participants", new JoinRoomRequest("Alice"), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(refused, HttpStatusCode.Forbidden, ErrorCodes.RoomLocked);
        Assert.True(info!.IsLocked);
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
    }

    [Theory]
    [InlineData("/api/rooms")]
    [InlineData("/api/rooms/{room}/participants")]
    public async Task AMalformedJsonBodyIsValidationFailed(string path)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.PostRawAsync(path.Replace("{room}", room.RoomId, StringComparison.Ordinal), """{ "name": "Sprint 42", "displayName": """);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Theory]
    [InlineData("/api/rooms")]
    [InlineData("/api/rooms/{room}/participants")]
    public async Task AnEmptyBodyIsValidationFailed(string path)
    {
        var room = await app.CreateRoomAsync().Timed();
        using var http = app.Http();

        var response = await http.PostRawAsync(path.Replace("{room}", room.RoomId, StringComparison.Ordinal), "");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsValidationFailedWhateverItsMediaType()
    {
        using var http = app.Http();

        var response = await http.PostAsync("/api/rooms", new StringContent("name=Sprint", System.Text.Encoding.UTF8, "text/plain"), Rest.Cancel).Timed();

        await ProblemAssert.IsAsync(response, HttpStatusCode.UnsupportedMediaType, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task AProblemNeverEchoesServerInternals()
    {
        using var http = app.Http();

        var response = await http.PostRawAsync("/api/rooms", "{ \"name\": ");

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var text = JsonSerializer.Serialize(problem);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
