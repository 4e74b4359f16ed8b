using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Tests.Infrastructure;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>Personal API tokens end to end: made signed in, shown once, scoped, revocable, with their last use.</summary>
[Trait("Category", "Integration")]
public sealed class ApiTokensTests(PokerApp app)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    [Fact]
    public async Task ATokenIsShownOnce_OpensTheApiAsItsAccount_AndNotesItsLastUse()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        var made = await CreateAsync(ann, "CI export", ApiTokenScope.Read);
        Assert.StartsWith("pp_", made.Token, StringComparison.Ordinal);

        using var script = Script(made.Token!);
        var me = await script.GetFromJsonAsync<AccountDto>("/api/account/me", Json, Cancel);
        Assert.Equal(ann.Id, me!.Id);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/orgs", Cancel)).StatusCode);

        var listed = Assert.Single((await ann.Http.GetFromJsonAsync<ApiTokenDto[]>("/api/account/tokens", Json, Cancel))!);
        Assert.Null(listed.Token);
        Assert.Equal(("CI export", ApiTokenScope.Read), (listed.Name, listed.Scope));
        Assert.NotNull(listed.LastUsedAt);
    }

    [Fact]
    public async Task AReadToken_MayNotChangeAnything_AWriteTokenMay_WithoutTheCsrfHeader()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var reader = Script((await CreateAsync(ann, "read", ApiTokenScope.Read)).Token!);
        using var writer = Script((await CreateAsync(ann, "write", ApiTokenScope.Write)).Token!);

        await ProblemAssert.IsAsync(await reader.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("By a reader"), Cancel), HttpStatusCode.Forbidden, ErrorCodes.InsufficientScope);
        Assert.Empty((await reader.GetFromJsonAsync<OrganisationDto[]>("/api/orgs", Json, Cancel))!);

        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsJsonAsync("/api/orgs", new CreateOrganisationRequest("By a writer"), Cancel)).StatusCode);
        Assert.Equal("By a writer", Assert.Single((await reader.GetFromJsonAsync<OrganisationDto[]>("/api/orgs", Json, Cancel))!).Name);
    }

    [Fact]
    public async Task ATokenMakesNoTokens()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var writer = Script((await CreateAsync(ann, "write", ApiTokenScope.Write)).Token!);

        await ProblemAssert.IsAsync(await writer.PostAsJsonAsync("/api/account/tokens", new CreateApiTokenRequest("more", ApiTokenScope.Write), Cancel), HttpStatusCode.Forbidden, ErrorCodes.SignInRequired);
        await ProblemAssert.IsAsync(await writer.GetAsync("/api/account/tokens", Cancel), HttpStatusCode.Forbidden, ErrorCodes.SignInRequired);
        Assert.Single((await ann.Http.GetFromJsonAsync<ApiTokenDto[]>("/api/account/tokens", Json, Cancel))!);
    }

    [Fact]
    public async Task ARevokedOrUnknownToken_Gets401_AndOthersCannotRevokeMine()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var bob = await Person.SignUpAsync(app, "Bob");
        var made = await CreateAsync(ann, "soon gone", ApiTokenScope.Read);

        await ProblemAssert.IsAsync(await bob.Http.DeleteAsync($"/api/account/tokens/{made.Id}", Cancel), HttpStatusCode.NotFound, ErrorCodes.ApiTokenNotFound);
        using (var script = Script(made.Token!))
        {
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/orgs", Cancel)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"/api/account/tokens/{made.Id}", Cancel)).StatusCode);

        using var revoked = Script(made.Token!);
        using var unknown = Script("pp_not-a-token-of-anyone");
        await ProblemAssert.IsAsync(await revoked.GetAsync("/api/orgs", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiToken);
        await ProblemAssert.IsAsync(await unknown.GetAsync("/api/orgs", Cancel), HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiToken);
    }

    [Theory]
    [InlineData("", ApiTokenScope.Read, 30, ErrorCodes.InvalidName)]
    [InlineData("ok", ApiTokenScope.Read, 0, ErrorCodes.ValidationFailed)]
    [InlineData("ok", ApiTokenScope.Read, 366, ErrorCodes.ValidationFailed)]
    public async Task ABadTokenRequest_IsRefused_AndMakesNoToken(string name, ApiTokenScope scope, int days, string code)
    {
        using var ann = await Person.SignUpAsync(app, "Ann");

        var response = await ann.Http.PostAsJsonAsync("/api/account/tokens", new CreateApiTokenRequest(name, scope, days), Cancel);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Empty((await ann.Http.GetFromJsonAsync<ApiTokenDto[]>("/api/account/tokens", Json, Cancel))!);
    }

    [Fact]
    public async Task AnUnknownScope_IsRefused()
    {
        using var ann = await Person.SignUpAsync(app, "Ann");
        using var body = JsonContent.Create(new { name = "ok", scope = "admin", validForDays = 30 });

        await ProblemAssert.IsAsync(await ann.Http.PostAsync("/api/account/tokens", body, Cancel), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.Empty((await ann.Http.GetFromJsonAsync<ApiTokenDto[]>("/api/account/tokens", Json, Cancel))!);
    }

    [Fact]
    public async Task ASeatsTokenStillOpensItsRoomsSummary_BesideApiTokens()
    {
        var room = await app.CreateRoomAsync();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", room.Token);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/rooms/{room.RoomId}/summary", Cancel)).StatusCode);
    }

    private static async Task<ApiTokenDto> CreateAsync(Person person, string name, ApiTokenScope scope)
    {
        var response = await person.Http.PostAsJsonAsync("/api/account/tokens", new CreateApiTokenRequest(name, scope), Json, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<ApiTokenDto>(Json, Cancel))!;
    }

    private HttpClient Script(string token)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
