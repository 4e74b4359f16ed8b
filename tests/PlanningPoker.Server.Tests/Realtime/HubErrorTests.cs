using Microsoft.AspNetCore.SignalR;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Realtime;

/// <summary>How a refusal reaches a SignalR .NET client.</summary>
[Trait("Category", "Integration")]
public sealed class HubErrorTests(PokerApp app)
{
    [Fact]
    public async Task AHubErrorsCode_IsReadWithTheContractsParser_AsDocumented()
    {
        await using var table = await Table.OpenAsync(app);

        var error = await Assert.ThrowsAsync<HubException>(() => table.Facilitator.InvokeAsync(nameof(IRoomHub.CastVote), "5"));

        Assert.Equal((ErrorCodes.RoundNotOpen, "cannot CastVote while Lobby"), HubErrors.Parse(error.Message));
    }

    [Fact]
    public async Task AHubErrorCarriesItsCodeAndSentence_AfterSignalRsWrapper_AndNothingElse()
    {
        await using var table = await Table.OpenAsync(app);

        var error = await Assert.ThrowsAsync<HubException>(() => table.Facilitator.InvokeAsync(nameof(IRoomHub.CastVote), "5"));

        Assert.Equal(
            "An unexpected error occurred invoking 'CastVote' on the server. HubException: RoundNotOpen: cannot CastVote while Lobby",
            error.Message);
    }
}
