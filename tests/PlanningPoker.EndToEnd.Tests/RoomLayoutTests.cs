using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using PlanningPoker.Contracts;
using static Microsoft.Playwright.Assertions;

namespace PlanningPoker.EndToEnd.Tests;

/// <summary>
/// A 12-person room as people see it: the estimator on a phone has the hand on screen as soon as a round opens, and
/// after the reveal the facilitator sees the suggested estimate and Accept without scrolling, on a phone and a desktop.
/// Ten of the twelve are seated through the public API and hub (a browser each would only slow the test down).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class RoomLayoutTests(Browser browser) : BrowserTest(browser)
{
    private static readonly string[] Crowd = ["Alice", "Bob", "Chloé", "Dmitri", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jules"];

    [Theory]
    [InlineData(360, 740, ColorScheme.Dark, "fr-FR")]
    [InlineData(1280, 800, ColorScheme.Light, "en-US")]
    public async Task TwelvePeople_TheHandIsOnScreenWhenARoundOpens_AndTheResultWithAcceptAfterTheReveal(int width, int height, ColorScheme scheme, string locale)
    {
        Browser.RequireChromium();
        var french = locale.StartsWith("fr", StringComparison.Ordinal);
        string T(string en, string fr) => french ? fr : en;
        var shot = $"room-12-{ShotName(width, scheme, locale)}";
        var fanny = await PersonAsync(width, height, scheme, locale);
        var phone = await PersonAsync(360, 740, scheme, locale);
        await fanny.GotoAsync("/");
        await Browser.AppRunsAsync(fanny); // typing before the app runs is FirstVisitTests' subject
        await fanny.FillAsync("#room-name", "Sprint 12");
        await fanny.FillAsync("#your-name", "Fanny");
        await fanny.Keyboard.PressAsync("Enter");
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sprint 12");
        var roomId = new Uri(fanny.Url).Segments[^1];

        await using var crowd = await Crowd.SeatAsync(Browser.BaseAddress, roomId);
        await phone.GotoAsync($"/rooms/{roomId}");
        await Browser.AppRunsAsync(phone); // typing before the app runs is FirstVisitTests' subject
        await phone.FillAsync("#join-name", "Kim");
        await phone.Keyboard.PressAsync("Enter");
        await Expect(phone.Locator(".table .seat")).ToHaveCountAsync(12);
        await Expect(fanny.Locator(".table .seat.online")).ToHaveCountAsync(12);

        await fanny.GetByRole(AriaRole.Button, new() { Name = T("Start a quick vote", "Lancer un vote rapide") }).ClickAsync();

        // The phone estimator: the whole hand on the first screen, without scrolling.
        var cards = phone.Locator(".hand .playing-card");
        await Expect(cards.First).ToBeVisibleAsync();
        Assert.Equal(0, await phone.EvaluateAsync<double>("window.scrollY"));
        foreach (var card in await cards.AllAsync())
        {
            await Expect(card).ToBeInViewportAsync(new() { Ratio = 1 });
        }

        var handBottom = await cards.Last.EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"{shot}-estimator-voting.png") });
        await fanny.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"{shot}-facilitator-voting.png") });
        await phone.GetByRole(AriaRole.Radio, new() { Name = "8", Exact = true }).ClickAsync();
        await crowd.VoteAsync(i => i % 3 == 0 ? "3" : "5");
        await Expect(fanny.Locator(".table .face-down")).ToHaveCountAsync(11);

        await fanny.GetByRole(AriaRole.Button, new() { Name = T("Reveal the cards", "Retourner les cartes") }).ClickAsync();

        // The facilitator: the suggested estimate and Accept on the first screen; the disabled hand is gone.
        await Expect(fanny.Locator(".result .suggested")).ToHaveTextAsync("5");
        await Expect(fanny.Locator(".result .suggested")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(fanny.Locator("#accept-button")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(fanny.Locator("#accept-button")).ToBeFocusedAsync();
        await Expect(phone.Locator(".hand")).ToHaveCountAsync(0);
        await Expect(phone.Locator(".result .suggested")).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Equal(0, await fanny.EvaluateAsync<double>("window.scrollY"));
        var acceptBottom = await fanny.Locator("#accept-button").EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
        var suggestedTop = await fanny.Locator(".result .suggested").EvaluateAsync<double>("e => e.getBoundingClientRect().top");
        // The figures docs/performance.md quotes ("Room layout"), for people to read, not asserted beyond the viewport.
        await File.AppendAllTextAsync(Path.Combine(Browser.Screenshots, "layout.txt"),
            $"{shot}: phone estimator's hand ends at y={handBottom:0} of 740; facilitator ({width}x{height}) suggested estimate at y={suggestedTop:0}, Accept ends at y={acceptBottom:0} of {height}\n", TestContext.Current.CancellationToken);
        await fanny.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"{shot}-facilitator-revealed.png") });
        await phone.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, $"{shot}-estimator-revealed.png") });
        await Browser.ShotAsync(fanny, $"{shot}-facilitator-revealed-full");
        await fanny.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task ARefusalShowsWhereTheEyeIs_OnAPhone_AndCanBeDismissed()
    {
        Browser.RequireChromium();
        var phone = await PersonAsync(360, 740, ColorScheme.Dark);
        await Browser.CreateRoomAsync(phone, "Typed estimates", "Fanny");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Start a quick vote" }).ClickAsync();
        await phone.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true }).ClickAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Reveal the cards" }).ClickAsync();
        await phone.SelectOptionAsync("#accept-card", new SelectOptionValue { Label = "Another value…" });
        await phone.FillAsync("#accept-typed", "abc");

        await phone.Locator("#accept-button").ClickAsync();

        var alert = phone.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("a number from 0 to 1,000,000 of at most 8 characters");
        await Expect(alert).ToBeInViewportAsync(new() { Ratio = 1 });
        await phone.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, "room-refusal-phone-dark.png") });
        await phone.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Expect(alert).ToHaveCountAsync(0);
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task AFacilitatorRemovesSomeoneFromThePeoplePanel_AfterSayingYes_AndTheOnlyFacilitatorIsWarnedBeforeLeaving()
    {
        Browser.RequireChromium();
        var fanny = await PersonAsync();
        await Browser.CreateRoomAsync(fanny, "Tidy room", "Fanny");
        var roomId = new Uri(fanny.Url).Segments[^1];
        await using var crowd = await new[] { "Alice", "Bob" }.SeatAsync(Browser.BaseAddress, roomId);
        await Expect(fanny.Locator(".table .seat")).ToHaveCountAsync(3);
        Assert.Equal(0, await fanny.Locator(".table select, .table button").CountAsync()); // no admin clutter on the seats

        await fanny.GetByText("People (2)").ClickAsync();
        await fanny.GetByRole(AriaRole.Button, new() { Name = "Remove Bob from the room" }).ClickAsync();
        var yes = fanny.GetByRole(AriaRole.Group).GetByRole(AriaRole.Button, new() { Name = "Remove Bob from the room" });
        await Expect(yes).ToBeFocusedAsync();
        await Expect(fanny.Locator(".table .seat")).ToHaveCountAsync(3); // asked, not done
        await yes.ClickAsync();
        await Expect(fanny.Locator(".table .seat")).ToHaveCountAsync(2);
        await Expect(fanny.Locator("#people-summary")).ToBeFocusedAsync();

        await fanny.GetByRole(AriaRole.Button, new() { Name = "Leave the room" }).ClickAsync();
        await Expect(fanny.Locator("#leave-question")).ToContainTextAsync("You are the only facilitator");
        await Expect(fanny.Locator("#leave-no")).ToBeFocusedAsync();
        await Browser.ShotAsync(fanny, "room-leave-last-facilitator-desktop-light");
        await fanny.Locator("#leave-no").ClickAsync();
        await Expect(fanny.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Tidy room"); // still here
        await fanny.Context.CloseAsync();
    }
}

/// <summary>People seated through the public API (REST join, then the hub), kept connected until disposed.</summary>
internal sealed class Seated(List<HubConnection> connections) : IAsyncDisposable
{
    public async Task VoteAsync(Func<int, string> card)
    {
        for (var i = 0; i < connections.Count; i++)
        {
            await connections[i].InvokeAsync(nameof(IRoomHub.CastVote), card(i));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }
}

internal static class SeatingExtensions
{
    public static async Task<Seated> SeatAsync(this IEnumerable<string> names, Uri server, string roomId)
    {
        using var http = new HttpClient { BaseAddress = server };
        var connections = new List<HubConnection>();
        foreach (var name in names)
        {
            var joined = await http.PostAsJsonAsync($"api/rooms/{roomId}/participants", new JoinRoomRequest(name));
            joined.EnsureSuccessStatusCode();
            var seat = await joined.Content.ReadFromJsonAsync<JoinRoomResponse>();
            var connection = new HubConnectionBuilder().WithUrl(new Uri(server, IRoomHub.Path)).Build();
            await connection.StartAsync();
            await connection.InvokeAsync<RoomViewDto>(nameof(IRoomHub.JoinRoom), roomId, seat!.Token);
            connections.Add(connection);
        }

        return new Seated(connections);
    }
}
