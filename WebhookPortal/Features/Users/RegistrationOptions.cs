namespace WebhookPortal.Features.Users;

/// <summary>Public self-registration (section <c>Identity:Registration</c>); off unless <see cref="Enabled"/> is set.</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Identity:Registration";

    public bool Enabled { get; set; }
}
