using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;
using PlanningPoker.Web.Client.Services;

namespace PlanningPoker.Web.Tests;

/// <summary>The create form shows each error beside what caused it (issue 10, item 9): a field, else the button.</summary>
public sealed class CreateFormTests
{
    [Theory]
    [InlineData(ErrorCodes.InvalidName, " ", "Fanny", null, DeckType.Fibonacci, "room-name")]
    [InlineData(ErrorCodes.InvalidName, "Sprint", "Fanny\u200B", null, DeckType.Fibonacci, "your-name")]
    [InlineData(ErrorCodes.ValidationFailed, "Sprint", "", null, DeckType.Fibonacci, "your-name")]
    [InlineData(ErrorCodes.ValidationFailed, "Sprint", "Fanny", "abc", DeckType.Fibonacci, "passcode")]
    [InlineData(ErrorCodes.InvalidDeck, "Sprint", "Fanny", null, DeckType.Custom, "deck-cards")]
    [InlineData(ErrorCodes.InvalidDeck, "Sprint", "Fanny", null, DeckType.TShirt, "deck-type")]
    [InlineData(ErrorCodes.InvalidTimer, "Sprint", "Fanny", null, DeckType.Fibonacci, "timer")]
    [InlineData(ErrorCodes.InvalidSettings, "Sprint", "Fanny", null, DeckType.Fibonacci, "statistic")]
    [InlineData(ErrorCodes.Unavailable, "Sprint", "Fanny", null, DeckType.Fibonacci, Home.ButtonError)]
    [InlineData(ErrorCodes.RateLimited, "Sprint", "Fanny", null, DeckType.Fibonacci, Home.ButtonError)]
    public void AnErrorBelongsToTheFieldThatCausedIt_ElseToTheButton(string code, string room, string name, string? passcode, DeckType deck, string field) =>
        Assert.Equal(field, Home.FieldOf(code, room, name, passcode, deck));
}

/// <summary>What the create form sends: the settings under "More options" reach the request.</summary>
public sealed class CreateFormRequestTests : UiTest
{
    private readonly List<CreateRoomRequest> _sent = [];

    public CreateFormRequestTests()
    {
        Services.AddSingleton(new RoomApi(new HttpClient(new CreateHandler(_sent)) { BaseAddress = new Uri("http://localhost/") }));
        Services.AddSingleton<SeatStore>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheAutoAdvanceCheckbox_IsSentWithTheRoomsSettings(bool check)
    {
        var home = Render<Home>();
        home.Find("#room-name").Change("Sprint 42");
        home.Find("#your-name").Change("Fanny");
        home.Find("#more-options-toggle").Click();
        var box = home.FindAll("#more-options label.check").Single(l => l.TextContent.Trim() == "Start the next story after an accept").QuerySelector("input[type=checkbox]")!;
        Assert.False(box.HasAttribute("checked")); // off unless chosen, as in a room's settings

        if (check)
        {
            box.Change(true);
        }

        home.Find("form.create-form").Submit();

        home.WaitForAssertion(() => Assert.Single(_sent));
        Assert.Equal(check, _sent[0].Settings?.AutoAdvance);
    }

    /// <summary>The server's answer to <c>POST /api/rooms</c>; keeps each request.</summary>
    private sealed class CreateHandler(List<CreateRoomRequest> sent) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add((await request.Content!.ReadFromJsonAsync<CreateRoomRequest>(cancellationToken))!);
            return new HttpResponseMessage(HttpStatusCode.Created)
            {
                Content = JsonContent.Create(new CreateRoomResponse("r1", 1, "token", "http://localhost/rooms/r1")),
            };
        }
    }
}
