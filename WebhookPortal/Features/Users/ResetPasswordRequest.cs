namespace WebhookPortal.Features.Users;

/// <summary>A new password for <c>reset-password</c>.</summary>
/// <param name="Password">Must satisfy the password policy (6+ characters with upper and lower case, a digit and a symbol).</param>
public sealed record ResetPasswordRequest(string Password);
