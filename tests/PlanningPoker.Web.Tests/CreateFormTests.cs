using PlanningPoker.Contracts;
using PlanningPoker.Web.Client.Pages;

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
