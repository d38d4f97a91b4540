namespace WebhookPortal.Features.Localization;

/// <summary>
/// Every code a <see cref="CodedMessage"/> may carry, with its English text (also the key of its Chinese text in
/// <c>Strings.zh-CN.resx</c>). The one list: a code is defined here or nowhere, and a test checks each has both texts.
/// A code, once stored, is never renamed or given other placeholders (old rows keep it); a new wording gets a new code.
/// </summary>
public static class MessageCodes
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal);

    /// <summary>Code → English text with <c>{0}</c>-style placeholders.</summary>
    public static IReadOnlyDictionary<string, string> English => Texts;

    // Attempt errors (WebhookSender, DeliveryDispatcher). {0}/{1} from outside (exception messages) stay as they are.

    /// <summary>{0} method, {1} URL.</summary>
    public static readonly string InvalidRequest = Define("delivery.invalid_request", "Cannot send: {0} {1} is not a valid http(s) request.");

    public static readonly string SecretsUndecryptable = Define("delivery.secrets_undecryptable",
        "Cannot decrypt the webhook's secrets: the Data Protection keys that encrypted them are missing. Enter the secrets again.");

    /// <summary>{0} target, {1} the signer's error.</summary>
    public static readonly string SignFailed = Define("delivery.sign_failed", "Cannot sign for {0}: {1}");

    /// <summary>{0} HTTP status, {1} the I/O error.</summary>
    public static readonly string BodyBroken = Define("delivery.body_broken", "HTTP {0}, then the connection broke while reading the response: {1}");

    /// <summary>{0} the Location header, or <see cref="NoLocation"/>.</summary>
    public static readonly string RedirectNotFollowed = Define("delivery.redirect_not_followed", "Redirect not followed (Location: {0}).");

    public static readonly string NoLocation = Define("delivery.no_location", "none");

    /// <summary>{0} seconds.</summary>
    public static readonly string TimedOut = Define("delivery.timed_out", "Timed out after {0} s.");

    /// <summary>{0} host:port, {1} the breaker's message. Rows stored before <see cref="CircuitOpenNotSent"/>; no longer written.</summary>
    public static readonly string CircuitOpen = Define("delivery.circuit_open",
        "Circuit open for host {0}: its recent attempts all failed, so this one was not sent ({1}).");

    /// <summary>{0} host:port.</summary>
    public static readonly string CircuitOpenNotSent = Define("delivery.circuit_open_not_sent",
        "Circuit open for host {0}: its recent attempts all failed, so this one was not sent.");

    /// <summary>{0} host:port. A delivery's last error while it waits for the circuit; not an attempt.</summary>
    public static readonly string CircuitWait = Define("delivery.circuit_wait",
        "Waiting for the circuit of host {0} to close (its recent attempts all failed); not sent, so no attempt is used.");

    /// <summary>{0} the guard's reason (a network.* message).</summary>
    public static readonly string GuardRefused = Define("delivery.guard_refused", "Refused by the network guard: {0}");

    /// <summary>{0} the HTTP client's error (e.g. "Connection refused (127.0.0.1:80)").</summary>
    public static readonly string RequestFailed = Define("delivery.request_failed", "Request failed: {0}");

    /// <summary>{0} the exception's message.</summary>
    public static readonly string InternalError = Define("delivery.internal_error", "Internal error while sending: {0}");

    /// <summary>{0} the template's errors (a list of template.* messages).</summary>
    public static readonly string TemplateError = Define("delivery.template_error", "Template error: {0}");

    /// <summary>{0} line, {1} column, {2} the problem (a template.* message).</summary>
    public static readonly string TemplateAt = Define("template.at", "Line {0}, column {1}: {2}");

    public static readonly string TemplateBackslash = Define("template.backslash", "A variable cannot follow a backslash inside a JSON string.");

    /// <summary>{0} the variable as written.</summary>
    public static readonly string TemplateUnknownVariable = Define("template.unknown_variable", "Unknown variable {0}.");

    /// <summary>{0} the variable as written, {1} the likely one.</summary>
    public static readonly string TemplateDidYouMean = Define("template.did_you_mean", "Unknown variable {0}; did you mean {1}?");

    public static readonly string TemplateMalformed = Define("template.malformed", "Malformed variable: write it as {{$$.Field$$}}.");

    /// <summary>{0} the most problems reported.</summary>
    public static readonly string TemplateTooMany = Define("template.too_many", "More than {0} problems; fix these first.");

    public static readonly string TemplateHeaderControl = Define("template.header_control", "A header value rendered with a line break or another control character.");

    public static readonly string WebhookDeleted = Define("delivery.cancelled_webhook_deleted", "Cancelled: the webhook was deleted.");

    /// <summary>{0} user name.</summary>
    public static readonly string CancelledPaused = Define("delivery.cancelled_paused", "Cancelled by {0}: the webhook was disabled.");

    /// <summary>{0} platform, {1} member name, {2} the body (or <see cref="EmptyBody"/>).</summary>
    public static readonly string NoNumericCode = Define("target.no_numeric_code", "{0} answered without a numeric \"{1}\": {2}");

    /// <summary>{0} the body (or <see cref="EmptyBody"/>).</summary>
    public static readonly string SlackNotOk = Define("target.slack_not_ok", "Slack did not answer \"ok\": {0}");

    public static readonly string EmptyBody = Define("target.empty_body", "(empty body)");

    // The network guard (NetworkGuard).

    /// <summary>{0} host, {1} socket error code.</summary>
    public static readonly string Unresolved = Define("network.unresolved", "Host {0} could not be resolved ({1}).");

    /// <summary>{0} host.</summary>
    public static readonly string NoAddresses = Define("network.no_addresses", "Host {0} has no addresses.");

    /// <summary>{0} host, {1} address, {2} why (a network.* reason).</summary>
    public static readonly string HostRefused = Define("network.host_refused", "Host {0} resolves to {1}, {2}; webhooks may only reach public addresses.");

    /// <summary>{0} address, {1} why (a network.* reason).</summary>
    public static readonly string AddressRefused = Define("network.address_refused", "{0} is {1}; webhooks may only reach public addresses.");

    public static readonly string ThisNetwork = Define("network.this_network", "an unspecified (\"this network\") address");
    public static readonly string PrivateAddress = Define("network.private", "a private (RFC 1918) address");
    public static readonly string CarrierGradeNat = Define("network.cgnat", "a carrier-grade NAT (RFC 6598) address");
    public static readonly string Loopback = Define("network.loopback", "a loopback address");
    public static readonly string LinkLocal = Define("network.link_local", "a link-local address (cloud metadata lives here)");
    public static readonly string ProtocolAssignment = Define("network.protocol_assignment", "an IETF protocol-assignment address");
    public static readonly string Benchmarking = Define("network.benchmarking", "a benchmarking address");
    public static readonly string Multicast = Define("network.multicast", "a multicast address");
    public static readonly string Reserved = Define("network.reserved", "a reserved or broadcast address");
    public static readonly string Unspecified = Define("network.unspecified", "the unspecified address");
    public static readonly string LocalNat64 = Define("network.local_nat64", "a local-use NAT64 address");
    public static readonly string UniqueLocal = Define("network.unique_local", "a unique-local (private) IPv6 address");
    public static readonly string LinkLocalV6 = Define("network.link_local_v6", "a link-local IPv6 address");
    public static readonly string SiteLocalV6 = Define("network.site_local_v6", "a site-local IPv6 address");
    public static readonly string NotAnAddress = Define("network.not_an_address", "not an IP address");

    // Why the portal disabled a webhook (AutoDisable).

    /// <summary>{0} UTC time (yyyy-MM-dd HH:mm), {1} why (<see cref="Failing"/> or <see cref="Gone"/>).</summary>
    public static readonly string DisabledOn = Define("autodisable.disabled_on", "Disabled on {0} UTC: {1}");

    /// <summary>{0} attempts, {1} UTC time of the first.</summary>
    public static readonly string Failing = Define("autodisable.failing", "{0} attempts failed since {1} UTC with no success.");

    public static readonly string Gone = Define("autodisable.gone", "the receiver answered 410 Gone.");

    // Audit details (AuditTrail).

    /// <summary>{0} a list of field labels (terms).</summary>
    public static readonly string AuditChanged = Define("audit.changed", "Changed: {0}");

    /// <summary>{0} count.</summary>
    public static readonly string AuditWithWebhooks = Define("audit.with_webhooks", "With {0} webhook(s).");

    /// <summary>{0} UTC time.</summary>
    public static readonly string AuditExpires = Define("audit.expires", "Expires {0}.");

    public static readonly string AuditNeverExpires = Define("audit.never_expires", "Never expires.");
    public static readonly string AuditConfidentialClient = Define("audit.confidential_client", "Confidential client.");
    public static readonly string AuditPublicClient = Define("audit.public_client", "Public client.");

    /// <summary>{0} target label (a term), {1} method, {2} a list of action labels (terms).</summary>
    public static readonly string AuditWebhookCreated = Define("audit.webhook_created", "{0}, {1}, actions: {2}");

    /// <summary>{0} count.</summary>
    public static readonly string AuditCancelledPaused = Define("audit.cancelled_paused", "Cancelled {0} paused deliveries.");

    /// <summary>{0} delivery id.</summary>
    public static readonly string AuditCancelledPausedOne = Define("audit.cancelled_paused_one", "Cancelled paused delivery {0}.");

    /// <summary>{0} count, {1} UTC time.</summary>
    public static readonly string AuditRecovered = Define("audit.recovered", "Requeued {0} failed deliveries since {1} UTC.");

    // Written by PortalUserManager.SetRoleAsync.
    public static readonly string AuditAdministratorGranted = Define("audit.administrator_granted", "Granted the Administrator role.");
    public static readonly string AuditAdministratorRevoked = Define("audit.administrator_revoked", "Took away the Administrator role.");
    public static readonly string AuditAuditorGranted = Define("audit.auditor_granted", "Granted the Auditor role.");
    public static readonly string AuditAuditorRevoked = Define("audit.auditor_revoked", "Took away the Auditor role.");

    /// <summary>{0} a list (separated by "; ") of the secret changes below.</summary>
    public static readonly string AuditSecrets = Define("audit.secrets", "{0}");

    public static readonly string SigningSecretGenerated = Define("audit.signing_secret_generated", "Signing secret generated");
    public static readonly string SigningSecretRotated = Define("audit.signing_secret_rotated", "Signing secret rotated");
    public static readonly string SigningSecretRemoved = Define("audit.signing_secret_removed", "Signing secret removed");
    public static readonly string RobotSecretSet = Define("audit.robot_secret_set", "Robot secret set");
    public static readonly string RobotSecretChanged = Define("audit.robot_secret_changed", "Robot secret changed");
    public static readonly string RobotSecretRemoved = Define("audit.robot_secret_removed", "Robot secret removed");

    /// <summary>{0} header name.</summary>
    public static readonly string SecretHeaderAdded = Define("audit.secret_header_added", "Secret header {0} added");

    /// <summary>{0} header name.</summary>
    public static readonly string SecretHeaderChanged = Define("audit.secret_header_changed", "Secret header {0} changed");

    /// <summary>{0} header name.</summary>
    public static readonly string SecretHeaderRemoved = Define("audit.secret_header_removed", "Secret header {0} removed");

    /// <summary>{0} endpoint (Token, Introspection …), {1} OpenIddict's error description.</summary>
    public static readonly string AuditClientAuthenticationFailed = Define("audit.client_authentication_failed", "{0} endpoint: {1}");

    private static string Define(string code, string english)
    {
        Texts.Add(code, english);
        return code;
    }
}
