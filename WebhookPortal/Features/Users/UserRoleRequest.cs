namespace WebhookPortal.Features.Users;

/// <summary>The role to give a user with <c>PUT /api/v1/users/{id}/role</c>.</summary>
/// <param name="Role">Administrator, Auditor or None, by name.</param>
public sealed record UserRoleRequest(PortalRole Role);
