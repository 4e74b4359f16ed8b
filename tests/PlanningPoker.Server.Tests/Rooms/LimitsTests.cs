using PlanningPoker.Contracts;
using PlanningPoker.Domain;

namespace PlanningPoker.Server.Tests.Rooms;

/// <summary>The UI reads its limits (fields' lengths, messages) from Contracts; the Domain enforces its own: they agree.</summary>
public sealed class LimitsTests
{
    [Fact]
    public void TheContractsLimitsAreTheDomains()
    {
        Assert.Equal(RoomLimits.DisplayNameLength, Limits.DisplayNameLength);
        Assert.Equal(RoomLimits.RoomNameLength, Limits.RoomNameLength);
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
}
