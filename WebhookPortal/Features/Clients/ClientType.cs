using System.Text.Json.Serialization;

namespace WebhookPortal.Features.Clients;

/// <summary>
/// How a client proves who it is at the token endpoint (OAuth 2.0, RFC 6749 §2.1). In JSON <c>"confidential"</c> or
/// <c>"public"</c>. Fixed once the client is created.
/// </summary>
public enum ClientType
{
    /// <summary>A server-side system that keeps a client secret; the default.</summary>
    [JsonStringEnumMemberName("confidential")]
    Confidential,

    /// <summary>A browser or mobile app that cannot keep a secret; it must use PKCE.</summary>
    [JsonStringEnumMemberName("public")]
    Public,
}
