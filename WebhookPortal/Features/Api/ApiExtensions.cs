using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Api;

/// <summary>
/// The REST API's shared parts: the <c>/api/v1</c> route group, bearer-token and cookie authentication for it,
/// the read (administrator or auditor) and administer policies, the same-origin rule for cookie requests (<see cref="SameOriginRule"/>), <c>Idempotency-Key</c>,
/// the OpenAPI document at <c>/openapi/v1.json</c> and its interactive reference page at <see cref="ReferencePath"/>.
/// Failures are problem details through <see cref="ApiProblems"/>. The endpoints themselves are mapped by each feature (<c>MapClientsApi</c> …).
/// </summary>
public static class ApiExtensions
{
    /// <summary>The authentication scheme of API requests: the token handler for <c>Bearer</c> requests, else the sign-in cookie.</summary>
    public const string Scheme = "Api";

    /// <summary>The authorization policy of every API endpoint: an authenticated, enabled administrator or auditor.</summary>
    public const string Policy = "Api";

    /// <summary>
    /// The authorization policy every API endpoint that is not a GET or HEAD adds to <see cref="Policy"/>: an administrator.
    /// <see cref="MapApi"/> adds it by the endpoint's methods, so a new endpoint that changes something needs nothing of its own.
    /// </summary>
    public const string AdministerPolicy = "ApiAdminister";

    /// <summary>The interactive API reference (Scalar), served with its assets from the portal itself.</summary>
    public const string ReferencePath = "/api/reference";

    /// <summary>The OpenAPI document.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>
    /// The setting that opens <see cref="DocumentPath"/> and <see cref="ReferencePath"/> to visitors who are not signed in
    /// (true, as appsettings.Development.json sets it); false or absent, they need an administrator's sign-in (the document
    /// also takes an API token).
    /// </summary>
    public const string PublicReferenceSetting = "Api:PublicReference";

    /// <summary>Adds the token scheme, the API policy, <see cref="ApiTokens"/>, the idempotency filter and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ApiTokens>();
        services.AddScoped<IdempotencyFilter>();
        services.AddSingleton<IdempotencyKeysInFlight>();
        services.AddProblemDetails();
        // Enums travel by name ("Created", "Failed"), as the UI and the docs spell them.
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // {"name":"x","name":"y"} is a 400, not whichever came last: two readers of one body must not see two requests.
            options.SerializerOptions.AllowDuplicateProperties = false;
            // "name": null for a field the model declares non-nullable is a bad request, not a null deep inside validation.
            options.SerializerOptions.RespectNullableAnnotations = true;
            // A missing field that a record's constructor requires ({"value":"x"} for a header) is a 400 naming it, not a null.
            options.SerializerOptions.RespectRequiredConstructorParameters = true;
        });
        // Unreadable bodies surface as BadHttpRequestException in every environment, so ApiProblems answers them the same way.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            // No display name: Identity lists every scheme that has one as an external login on the account pages.
            .AddPolicyScheme(Scheme, displayName: null, options =>
            {
                options.ForwardDefaultSelector = context => ApiTokenAuthenticationHandler.BearerToken(context.Request) is not null
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme;
                // An API client gets 401/403 problem details, never the cookie scheme's redirect to the sign-in page.
                options.ForwardChallenge = ApiTokenAuthenticationHandler.SchemeName;
                options.ForwardForbid = ApiTokenAuthenticationHandler.SchemeName;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(Users.PortalRoles.Administrator, Users.PortalRoles.Auditor))
            .AddPolicy(AdministerPolicy, policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(Users.PortalRoles.Administrator));

        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "WebhookPortal API",
                    Version = "v1",
                    Description = "Manage client IDs, their webhooks, users and deliveries. Authenticate with `Authorization: Bearer wp_…` " +
                        "(an administrator creates tokens on the API tokens page); a request acts with its owner's role as it is then, and an " +
                        "Auditor may only GET (anything else answers 403). Errors are RFC 9457 problem details. " +
                        "POST accepts an `Idempotency-Key` header: a repeat within 12 hours returns the first response. " +
                        "GET of one client ID, webhook or user sends a strong `ETag`; PUT and DELETE of it accept `If-Match` " +
                        "(that ETag, or `*`) and answer 412 when it changed meanwhile, so an edit never undoes one it did not see.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "wp_ token",
                    Description = "A personal API token (wp_…) from the API tokens page.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (RequestExamples.TryGetValue(context.JsonTypeInfo.Type, out var example))
                {
                    schema.Examples = [JsonNode.Parse(example)!];
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var method = context.Description.HttpMethod;
                operation.Responses ??= new OpenApiResponses();
                AddProblem(operation, "401", "No token, or an unknown, expired or revoked one.");
                AddProblem(operation, "403", IsRead(method)
                    ? "Signed in, but neither an administrator nor an auditor."
                    : "Signed in, but not an administrator (auditors only read); or a change sent with the sign-in cookie from another origin.");
                if (string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyFilter.Header,
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = "Any unique string (e.g. a UUID). A repeat within 12 hours returns the first response instead of acting twice; " +
                            "the same key with a different request is refused with 422.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyRecord.KeyMaxLength },
                    });
                    AddProblem(operation, "422", "The Idempotency-Key was used before with a different request.");
                }

                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ConditionalRequests>().Any())
                {
                    DescribeConditional(operation, method);
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Whether <paramref name="method"/> only reads (GET, HEAD), which an auditor may send.</summary>
    public static bool IsRead(string? method) => HttpMethods.IsGet(method ?? "") || HttpMethods.IsHead(method ?? "");

    // By method rather than by a call on each endpoint, so no endpoint that changes something can be left open to auditors.
    // An endpoint that declares no method (none exist) answers every method, so it counts as changing.
    private static void RequireAdministratorToChange(EndpointBuilder endpoint)
    {
        var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods;
        if (methods is null || methods.Count == 0 || !methods.All(IsRead))
        {
            endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(AdministerPolicy));
        }
    }

    // Examples of the request bodies, as the README's curl commands send them.
    private static readonly Dictionary<Type, string> RequestExamples = new()
    {
        [typeof(Clients.ClientModel)] = """
            {"clientId":"api-client","displayName":"API client","description":"Created through the API","type":"confidential",
             "redirectUris":["https://api-client.example.com/signin-oidc"],"postLogoutRedirectUris":["https://api-client.example.com/"]}
            """,
        [typeof(Webhooks.WebhookRequest)] = """
            {"name":"Inbox via API","actions":["Created"],"url":"http://localhost:5080/inbox/api","method":"POST",
             "headers":[{"name":"Authorization","value":"Bearer abc","secret":true}]}
            """,
        [typeof(Users.UserModel)] = """
            {"userName":"lisi","email":"lisi@example.com","firstName":"Si","lastName":"Li","phone":"+86 138 0000 0000","password":"Passw0rd!","enabled":true}
            """,
        [typeof(Users.ResetPasswordRequest)] = """{"password":"N3w-Passw0rd!"}""",
        [typeof(Users.UserRoleRequest)] = """{"role":"Auditor"}""",
    };

    private static void DescribeConditional(OpenApiOperation operation, string? method)
    {
        if (string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            if (operation.Responses!.TryGetValue("200", out var ok) && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["ETag"] = new OpenApiHeader
                {
                    Description = "A strong entity tag of this version; send it as If-Match with PUT or DELETE.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }

            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = EntityTags.IfMatch,
            In = ParameterLocation.Header,
            Required = false,
            Description = "The ETag from GET (or `*` for any existing version): the change is made only if the resource is still at that version. " +
                "Without it the change is made to whatever is stored.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        AddProblem(operation, "412", "If-Match names an older version: someone changed it since; nothing was changed.");
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing))
        {
            existing.Description = description;
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails") },
            },
        };
    }

    /// <summary>
    /// Maps the OpenAPI document and the reference page, and returns the <c>/api/v1</c> group (authorized with
    /// <see cref="Policy"/>, idempotent POSTs) for the features to add their endpoints to. Call it after authentication and
    /// the portal's error pages: it adds <see cref="SameOriginRule"/> and the API's own exception handling behind them.
    /// </summary>
    public static RouteGroupBuilder MapApi(this WebApplication app)
    {
        app.UseWhen(ApiProblems.IsApi, api =>
        {
            ApiProblems.UseBehindPortalErrorPages(api);
            // After authentication: only then is it known whether the sign-in cookie is what authenticates the request.
            api.Use(SameOriginRule.EnforceAsync);
        });

        // Open to anyone only where configured (Development sets it): elsewhere the document maps every endpoint of the
        // portal, which is for its administrators to read.
        var publicReference = app.Configuration.GetValue<bool>(PublicReferenceSetting);
        var document = app.MapOpenApi(DocumentPath);
        _ = publicReference ? document.AllowAnonymous() : document.RequireAuthorization(Policy);
        // Everything that would call out of the portal (AI chat, MCP, telemetry, a request proxy, the hosted developer
        // tools with their SDK generation) is off: the reference is read inside the network the portal runs in.
        var reference = app.MapScalarApiReference(ReferencePath, (options, context) =>
            {
                // The reference follows the portal's theme (the cookie its toggle sets) rather than keeping its own.
                options.ForceThemeMode = Components.Shared.BrowserPreferences.From(context.Request.Cookies).Dark ? ThemeMode.Dark : ThemeMode.Light;
                options.HideDarkModeToggle = true;
                options
                    .WithTitle("WebhookPortal API")
                    .WithOpenApiRoutePattern(DocumentPath)
                    .DisableDefaultFonts()
                    .AddPreferredSecuritySchemes("Bearer");
                options.Agent = new ScalarAgentOptions { Disabled = true };
                options.Mcp = new ScalarMcpOptions { Disabled = true };
                options.Telemetry = false;
                options.ProxyUrl = null;
                options.HideClientButton = true;
                options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            })
            .WithSecurityHeadersPolicy(Security.SecurityExtensions.InlineScriptsPolicy);
        // The page is opened in a browser: a visitor who is not signed in is sent to the sign-in page, not given a 401.
        _ = publicReference ? reference.AllowAnonymous() : reference.RequireAuthorization(policy => policy.RequireRole(AdminOptions.Role));

        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(Policy)
            .AddEndpointFilter<IdempotencyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        ((IEndpointConventionBuilder)api).Add(RequireAdministratorToChange);
        return api;
    }
}
