using PlanningPoker.Contracts;
using PlanningPoker.Domain;
using PlanningPoker.Web.Client.Components;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>
/// The UI reads its limits (fields' lengths, messages) from Contracts, and shows the built-in decks' cards from its own
/// list; the Domain enforces its own: they agree.
/// </summary>
public sealed class LimitsTests
{
    [Fact]
    public void TheContractsLimitsAreTheDomains()
    {
        Assert.Equal(RoomLimits.DisplayNameLength, Limits.DisplayNameLength);
        Assert.Equal(RoomLimits.RoomNameLength, Limits.RoomNameLength);
        Assert.Equal(RoomLimits.MaxStories, Limits.MaxStories);
        Assert.Equal(RoomLimits.StoryTitleLength, Limits.StoryTitleLength);
        Assert.Equal(RoomLimits.StoryDescriptionLength, Limits.StoryDescriptionLength);
        Assert.Equal(RoomLimits.ExternalKeyLength, Limits.ExternalKeyLength);
        Assert.Equal(RoomLimits.UrlLength, Limits.UrlLength);
        Assert.Equal(RoomLimits.CardLabelLength, Limits.CardLabelLength);
        Assert.Equal(RoomLimits.MaxEstimateValue, Limits.MaxEstimateValue);
        Assert.Equal(RoomLimits.CustomDeckMinCards, Limits.CustomDeckMinCards);
        Assert.Equal(RoomLimits.CustomDeckMaxCards, Limits.CustomDeckMaxCards);
        Assert.Equal(RoomLimits.MinTimer, TimeSpan.FromSeconds(Limits.MinTimerSeconds));
        Assert.Equal(RoomLimits.MaxTimer, TimeSpan.FromSeconds(Limits.MaxTimerSeconds));
    }

    [Theory]
    [InlineData(Contracts.DeckType.Fibonacci)]
    [InlineData(Contracts.DeckType.ModifiedFibonacci)]
    [InlineData(Contracts.DeckType.TShirt)]
    [InlineData(Contracts.DeckType.PowersOfTwo)]
    [InlineData(Contracts.DeckType.Hours)]
    public void TheCreateFormShowsTheCardsOfTheDomainsBuiltInDecks(Contracts.DeckType type)
    {
        var deck = Deck.Standard(Enum.Parse<Domain.DeckType>(type.ToString()), SpecialCards.None);

        Assert.Equal(deck.RegularCards.Select(c => c.Label), DeckModel.CardsOf(type));
    }
}
