using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PlanningPoker.Contracts;
using PlanningPoker.Server.Identity;
using PlanningPoker.Server.Rooms;

namespace PlanningPoker.Server.Teams;

/// <summary>
/// The organisation endpoints: <c>/api/orgs</c> (organisations, members, invitations, teams) and
/// <c>/api/invitations</c> (what a link leads to, and accepting it). Every one but the preview needs a signed-in
/// caller; <see cref="Organisations"/> checks their membership and role on every call.
/// </summary>
public static class OrganisationsApi
{
    /// <summary>Registers the service.</summary>
    public static IServiceCollection AddOrganisations(this IServiceCollection services)
    {
        services.AddSingleton<Organisations>();
        services.AddSingleton<TeamRooms>();
        return services;
    }

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        var orgs = app.MapGroup("/api/orgs").WithTags("Organisations").RequireAuthorization();
        orgs.MapGet("/", async (ClaimsPrincipal user, Organisations service) => TypedResults.Ok(await service.ListAsync(Me(user)))).WithName("ListOrganisations");
        orgs.MapPost("/", async (CreateOrganisationRequest request, ClaimsPrincipal user, Organisations service) =>
            Created(await service.CreateAsync(Me(user), request.Name), o => $"/api/orgs/{o.Id}")).WithName("CreateOrganisation");
        orgs.MapGet("/{orgId:guid}", async (Guid orgId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.GetAsync(Me(user), orgId))).WithName("GetOrganisation");
        orgs.MapPut("/{orgId:guid}/name", async (Guid orgId, RenameOrganisationRequest request, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.RenameAsync(Me(user), orgId, request.Name))).WithName("RenameOrganisation");
        orgs.MapDelete("/{orgId:guid}", async (Guid orgId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.DeleteAsync(Me(user), orgId))).WithName("DeleteOrganisation");

        orgs.MapGet("/{orgId:guid}/members", async (Guid orgId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.MembersAsync(Me(user), orgId))).WithName("ListMembers");
        orgs.MapPut("/{orgId:guid}/members/{accountId:guid}/role", async (Guid orgId, Guid accountId, ChangeMemberRoleRequest request, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.ChangeRoleAsync(Me(user), orgId, accountId, request.Role))).WithName("ChangeMemberRole");
        orgs.MapDelete("/{orgId:guid}/members/{accountId:guid}", async (Guid orgId, Guid accountId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.RemoveAsync(Me(user), orgId, accountId))).WithName("RemoveMember");
        orgs.MapPost("/{orgId:guid}/transfer", async (Guid orgId, TransferOwnershipRequest request, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.TransferAsync(Me(user), orgId, request.AccountId))).WithName("TransferOwnership");

        orgs.MapPost("/{orgId:guid}/invitations", async (Guid orgId, CreateInvitationRequest request, ClaimsPrincipal user, Organisations service) =>
            Created(await service.InviteAsync(Me(user), orgId, request), i => $"/api/orgs/{orgId}/invitations/{i.Id}")).WithName("CreateInvitation");
        orgs.MapGet("/{orgId:guid}/invitations", async (Guid orgId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.InvitationsAsync(Me(user), orgId))).WithName("ListInvitations");
        orgs.MapDelete("/{orgId:guid}/invitations/{invitationId:guid}", async (Guid orgId, Guid invitationId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.RevokeAsync(Me(user), orgId, invitationId))).WithName("RevokeInvitation");

        orgs.MapGet("/{orgId:guid}/teams", async (Guid orgId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.TeamsAsync(Me(user), orgId))).WithName("ListTeams");
        orgs.MapPost("/{orgId:guid}/teams", async (Guid orgId, CreateTeamRequest request, ClaimsPrincipal user, Organisations service) =>
            Created(await service.CreateTeamAsync(Me(user), orgId, request.Name), t => $"/api/orgs/{orgId}/teams/{t.Id}")).WithName("CreateTeam");
        orgs.MapDelete("/{orgId:guid}/teams/{teamId:guid}", async (Guid orgId, Guid teamId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.DeleteTeamAsync(Me(user), orgId, teamId))).WithName("DeleteTeam");
        orgs.MapPut("/{orgId:guid}/teams/{teamId:guid}/members", async (Guid orgId, Guid teamId, SetTeamMemberRequest request, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.SetTeamMemberAsync(Me(user), orgId, teamId, request))).WithName("SetTeamMember");
        orgs.MapDelete("/{orgId:guid}/teams/{teamId:guid}/members/{accountId:guid}", async (Guid orgId, Guid teamId, Guid accountId, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.RemoveTeamMemberAsync(Me(user), orgId, teamId, accountId))).WithName("RemoveTeamMember");

        orgs.MapGet("/{orgId:guid}/decks", async (Guid orgId, ClaimsPrincipal user, TeamRooms service) =>
            Answer(await service.DecksAsync(Me(user), orgId))).WithName("ListDeckTemplates");
        orgs.MapPost("/{orgId:guid}/decks", async (Guid orgId, SaveDeckTemplateRequest request, ClaimsPrincipal user, TeamRooms service) =>
            Created(await service.SaveDeckAsync(Me(user), orgId, null, request), d => $"/api/orgs/{orgId}/decks/{d.Id}")).WithName("CreateDeckTemplate");
        orgs.MapPut("/{orgId:guid}/decks/{deckId:guid}", async (Guid orgId, Guid deckId, SaveDeckTemplateRequest request, ClaimsPrincipal user, TeamRooms service) =>
            Answer(await service.SaveDeckAsync(Me(user), orgId, deckId, request))).WithName("UpdateDeckTemplate");
        orgs.MapDelete("/{orgId:guid}/decks/{deckId:guid}", async (Guid orgId, Guid deckId, ClaimsPrincipal user, TeamRooms service) =>
            Answer(await service.DeleteDeckAsync(Me(user), orgId, deckId))).WithName("DeleteDeckTemplate");

        orgs.MapGet("/{orgId:guid}/teams/{teamId:guid}/settings", async (Guid orgId, Guid teamId, ClaimsPrincipal user, TeamRooms service) =>
            Answer(await service.SettingsAsync(Me(user), orgId, teamId))).WithName("GetTeamSettings");
        orgs.MapPut("/{orgId:guid}/teams/{teamId:guid}/settings", async (Guid orgId, Guid teamId, UpdateTeamSettingsRequest request, ClaimsPrincipal user, TeamRooms service) =>
            Answer(await service.UpdateSettingsAsync(Me(user), orgId, teamId, request))).WithName("UpdateTeamSettings");
        orgs.MapGet("/{orgId:guid}/teams/{teamId:guid}/rooms", async (Guid orgId, Guid teamId, ClaimsPrincipal user, TeamRooms service) =>
            Answer(await service.RoomsAsync(Me(user), orgId, teamId))).WithName("ListTeamRooms");
        orgs.MapPost("/{orgId:guid}/teams/{teamId:guid}/rooms", async (Guid orgId, Guid teamId, CreateTeamRoomRequest request, ClaimsPrincipal user, TeamRooms service) =>
            Created(await service.OpenRoomAsync(Me(user), orgId, teamId, request), r => $"/api/rooms/{r.RoomId}"))
            .RequireRateLimiting(Api.RoomsApi.CreatePolicy).WithName("CreateTeamRoom");
        orgs.MapPost("/{orgId:guid}/teams/{teamId:guid}/rooms/attach", async (Guid orgId, Guid teamId, AttachRoomRequest request, ClaimsPrincipal user, TeamRooms service) =>
            Answer(await service.AttachAsync(Me(user), orgId, teamId, request))).WithName("AttachRoomToTeam");

        app.MapGet("/api/account/rooms", async (ClaimsPrincipal user, TeamRooms service) => TypedResults.Ok(await service.RoomsOfAsync(Me(user))))
            .RequireAuthorization().WithTags("Accounts").WithName("ListMyRooms");

        var invitations = app.MapGroup("/api/invitations").WithTags("Organisations").RequireRateLimiting(AccountsSetup.SignInPolicy);
        invitations.MapPost("/preview", async (InvitationTokenRequest request, Organisations service) =>
            Answer(await service.PreviewAsync(request.Token))).WithName("PreviewInvitation");
        invitations.MapPost("/accept", async (InvitationTokenRequest request, ClaimsPrincipal user, Organisations service) =>
            Answer(await service.AcceptAsync(Me(user), request.Token))).RequireAuthorization().WithName("AcceptInvitation");
        return app;
    }

    private static Guid Me(ClaimsPrincipal user) =>
        AccountsSetup.AccountIdOf(user) ?? throw new InvalidOperationException("an endpoint that requires authorization ran without a signed-in account");

    private static Results<NoContent, ProblemHttpResult> Answer(Reply reply) =>
        reply.IsSuccess ? TypedResults.NoContent() : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Reply<T> reply) =>
        reply.IsSuccess ? TypedResults.Ok(reply.Value!) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);

    private static Results<Created<T>, ProblemHttpResult> Created<T>(Reply<T> reply, Func<T, string> location) =>
        reply.IsSuccess ? TypedResults.Created(location(reply.Value!), reply.Value!) : Errors.Problem(reply.ErrorCode!, reply.ErrorMessage);
}
