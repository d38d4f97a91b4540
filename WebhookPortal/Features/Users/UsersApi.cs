using Microsoft.AspNetCore.Identity;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Users;

/// <summary>
/// The user endpoints, <c>/api/v1/users</c>; reads and changes go through <see cref="UserAdministration"/>, so they search,
/// refuse and fire webhooks as the Users page does.
/// </summary>
internal static class UsersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");

        users.MapGet("/", async (UserAdministration admin, string? search, int? page, int? pageSize, CancellationToken cancellationToken) =>
            {
                var paging = Paging.Of(page, pageSize);
                var (items, total) = await admin.ListAsync(search, paging.Index, paging.Size, cancellationToken);
                return TypedResults.Ok(paging.Result(items.Select(UserResponse.From).ToList(), total));
            })
            .AddEndpointFilter(Paging.Validate).ProducesValidationProblem()
            .WithName("ListUsers").WithSummary("List users")
            .WithDescription("Paged (page from 1, pageSize 1–100, default 25), ordered by user name; search matches part of the user name, email or full name " +
                "(given name first, family name first, or family name first without a space as Chinese writes it: 张伟).");

        users.MapGet("/{id}", async Task<Results<Ok<UserResponse>, ProblemHttpResult>> (
                UserAdministration admin, HttpResponse response, string id, CancellationToken cancellationToken) =>
            {
                if (await admin.FindAsync(id, cancellationToken) is not { } user)
                {
                    return UserNotFound(id);
                }

                EntityTags.Send(response, Tag(user));
                return TypedResults.Ok(UserResponse.From(user));
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("GetUser").WithSummary("Get a user")
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/", async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> (
                UserAdministration admin, CurrentActor actor, UserModel model) =>
            {
                if (model.Errors(creating: true) is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                var result = await admin.CreateAsync(model, await actor.GetAsync());
                if (PasswordRefused(result) is { } invalid)
                {
                    return invalid;
                }

                if (!result.Succeeded)
                {
                    return Refused(result, null);
                }

                var created = UserResponse.From((await admin.FindByNameAsync(model.UserName.Trim()))!);
                return TypedResults.Created($"/api/v1/users/{created.Id}", created);
            })
            .WithName("CreateUser").WithSummary("Create a user")
            .WithDescription("Fires the Created webhooks, as the Users page does. 409 when the user name or email is taken.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPut("/{id}", async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> (
                UserAdministration admin, CurrentActor actor, HttpContext http, string id, UserModel model) =>
            {
                var namesVersion = EntityTags.NamesVersion(http.Request);
                if (http.Request.Headers.IfMatch.Count > 0)
                {
                    if (await admin.FindAsync(id) is not { } current)
                    {
                        return UserNotFound(id);
                    }

                    if (EntityTags.Refusal(http.Request, Tag(current), $"User {id}") is { } refused)
                    {
                        return refused;
                    }

                    // The matched tag is the stamp the save must still find; If-Match wins over a concurrencyStamp in the body.
                    model.ConcurrencyStamp = namesVersion ? current.ConcurrencyStamp : model.ConcurrencyStamp;
                }

                if (model.Errors(creating: false) is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                var result = await admin.UpdateAsync(id, model, await actor.GetAsync());
                if (!result.Succeeded)
                {
                    return namesVersion && IsStale(result) ? EntityTags.Stale($"User {id}") : Refused(result, id);
                }

                var saved = (await admin.FindAsync(id))!;
                EntityTags.Send(http.Response, Tag(saved));
                return TypedResults.Ok(UserResponse.From(saved));
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("UpdateUser").WithSummary("Change a user's fields")
            .WithDescription("Replaces user name, email, names, phone and enabled (the password is ignored; use reset-password). " +
                "Fires one Updated webhook listing the changed fields and answers the new ETag. With If-Match, a user changed since " +
                "that ETag was read is refused with 412; with concurrencyStamp in the body, with 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        users.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (UserAdministration admin, CurrentActor actor, HttpRequest request, string id) =>
            {
                string? stamp = null;
                if (request.Headers.IfMatch.Count > 0)
                {
                    if (await admin.FindAsync(id) is not { } current)
                    {
                        return UserNotFound(id);
                    }

                    if (EntityTags.Refusal(request, Tag(current), $"User {id}") is { } refused)
                    {
                        return refused;
                    }

                    stamp = EntityTags.NamesVersion(request) ? current.ConcurrencyStamp : null;
                }

                var result = await admin.DeleteAsync(id, await actor.GetAsync(), stamp);
                return result.Succeeded ? TypedResults.NoContent()
                    : stamp is not null && IsStale(result) ? EntityTags.Stale($"User {id}")
                    : Refused(result, id);
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("DeleteUser").WithSummary("Delete a user")
            .WithDescription("Fires the Deleted webhooks with the user as they were. The last enabled administrator and the caller's own account cannot be deleted (409). " +
                "With If-Match, refused with 412 when the user changed since that ETag was read.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        MapSetEnabled(users, "enable", true);
        MapSetEnabled(users, "disable", false);

        users.MapPut("/{id}/role", async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> (
                UserAdministration admin, CurrentActor actor, string id, UserRoleRequest request) =>
            {
                if (!Enum.IsDefined(request.Role))
                {
                    return ApiResults.Invalid("role", UiText.Format("Role must be one of: {0}.", string.Join(", ", Enum.GetValues<PortalRole>())));
                }

                var result = await admin.SetRoleAsync(id, request.Role, await actor.GetAsync());
                return result.Succeeded ? TypedResults.Ok(UserResponse.From((await admin.FindAsync(id))!)) : Refused(result, id);
            })
            .WithName("SetUserRole").WithSummary("Make a user an administrator or auditor, or take the role away")
            .WithDescription("Gives the user exactly the role sent: Administrator (everything), Auditor (reads only; every change answers 403) " +
                "or None (no portal pages, no API). Writes an audit entry for each role granted or taken; taking rights away ends the " +
                "user's open sessions within a minute. The last enabled administrator keeps the role, and nobody changes their own (409).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPost("/{id}/reset-password", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (
                UserAdministration admin, CurrentActor actor, string id, ResetPasswordRequest request) =>
            {
                if (UserModel.ValidatePassword(request.Password).ToArray() is { Length: > 0 } errors)
                {
                    return ApiResults.Invalid("password", errors);
                }

                var result = await admin.ResetPasswordAsync(id, request.Password, await actor.GetAsync());
                if (PasswordRefused(result) is { } invalid)
                {
                    return invalid;
                }

                return result.Succeeded ? TypedResults.NoContent() : Refused(result, id);
            })
            .WithName("ResetUserPassword").WithSummary("Set a new password")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapSetEnabled(RouteGroupBuilder users, string verb, bool enabled) =>
        users.MapPost("/{id}/" + verb, async Task<Results<Ok<UserResponse>, ProblemHttpResult>> (
                UserAdministration admin, CurrentActor actor, string id) =>
            {
                var result = await admin.SetEnabledAsync(id, enabled, await actor.GetAsync());
                return result.Succeeded ? TypedResults.Ok(UserResponse.From((await admin.FindAsync(id))!)) : Refused(result, id);
            })
            .WithName(enabled ? "EnableUser" : "DisableUser").WithSummary(enabled ? "Enable a user" : "Disable a user (ends their sessions)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>A refusal for a password the policy rejects, as a 400 on <c>password</c>; null for other refusals.</summary>
    private static ValidationProblem? PasswordRefused(IdentityResult result) =>
        result.Errors.Any() && result.Errors.All(e => e.Code.StartsWith("Password", StringComparison.Ordinal))
            ? ApiResults.Invalid("password", [.. result.Errors.Select(e => e.Description)])
            : null;

    /// <summary>An Identity refusal as a problem: an unknown user 404, anything else (taken name or email, last administrator, own account, stale stamp) 409.</summary>
    private static ProblemHttpResult Refused(IdentityResult result, string? id) =>
        result.Errors.Any(e => e.Code == "NotFound")
            ? UserNotFound(id ?? "")
            : ApiResults.Conflict(string.Join(" ", result.Errors.Select(e => e.Description)));

    private static bool IsStale(IdentityResult result) => result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure));

    private static string Tag(UserSummary user) => EntityTags.Of(user.ConcurrencyStamp ?? "");

    private static ProblemHttpResult UserNotFound(string id) => ApiResults.Problem(StatusCodes.Status404NotFound, "Not found", UiText.Format("User {0} does not exist.", id));
}
