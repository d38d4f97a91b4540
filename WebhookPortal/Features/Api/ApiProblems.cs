using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Api;

/// <summary>
/// Every failure under <c>/api</c> as an RFC 9457 problem (<c>application/problem+json</c> with <c>status</c> and
/// <c>title</c>), whatever the client's <c>Accept</c> says and in every environment: an exception in an endpoint (a 500
/// that names nothing inside the portal; the log has the exception), a request the endpoint could not read (400, 413, 415:
/// the field by its JSON path and what it must be, never a .NET type), and a bare status from routing (404 no such path,
/// 405 with <c>Allow</c>, 415 for a body that is not JSON). Built on <c>UseExceptionHandler</c> and <c>UseStatusCodePages</c>
/// in a branch for <c>/api</c> (<see cref="IsApi"/>) ahead of routing and authentication, and a second exception handler
/// behind the portal's HTML error pages (<see cref="UseBehindPortalErrorPages"/>). Every API answer is also
/// <c>Cache-Control: no-store</c>.
/// </summary>
public static class ApiProblems
{
    /// <summary>True for requests under <c>/api</c>: the REST API and its reference page.</summary>
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>Adds the <c>/api</c> branch; call it before routing and authentication, so it covers their failures too.</summary>
    public static WebApplication UseApiProblems(this WebApplication app)
    {
        app.UseWhen(IsApi, api =>
        {
            api.Use(NoStoreAsync);
            api.UseExceptionHandler(ExceptionHandling());
            api.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
            api.Use(ReadableAsync);
        });
        return app;
    }

    /// <summary>
    /// For the <c>/api</c> branch behind the portal's HTML error handling (the exception page and the status-code pages that
    /// re-execute to <c>/Error</c> and <c>/not-found</c>), so that an API failure never reaches them: exceptions are answered
    /// here, and the status-code pages are turned off for the request, leaving bare statuses to <see cref="UseApiProblems"/>.
    /// </summary>
    internal static void UseBehindPortalErrorPages(IApplicationBuilder api)
    {
        api.Use((context, next) =>
        {
            // The innermost status-code pages feature is the portal's; the one UseApiProblems added is its own object.
            if (context.Features.Get<IStatusCodePagesFeature>() is { } portalPages)
            {
                portalPages.Enabled = false;
            }

            return next(context);
        });
        api.UseExceptionHandler(ExceptionHandling());
    }

    private static ExceptionHandlerOptions ExceptionHandling() => new()
    {
        ExceptionHandler = WriteExceptionAsync,
        // An unreadable request is the client's error: its own status, and no error in the log.
        StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
    };

    private static Task NoStoreAsync(HttpContext context, RequestDelegate next)
    {
        // At the last moment, so the exception handler's reset of the headers cannot drop it.
        context.Response.OnStarting(() =>
        {
            if (!context.Response.Headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>
    /// Refuses a body in a charset the JSON reader does not know (it would throw deep inside binding), and buffers the body:
    /// the idempotency fingerprint reads it again after binding.
    /// </summary>
    private static async Task ReadableAsync(HttpContext context, RequestDelegate next)
    {
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media) && media.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(media.Charset).Value ?? "";
            if (!IsReadableCharset(charset))
            {
                await ApiResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                        UiText.Format("The charset \"{0}\" is not one the portal reads; send JSON as UTF-8 (Content-Type: application/json; charset=utf-8).",
                            charset.Length > 40 ? charset[..40] + "…" : charset))
                    .ExecuteAsync(context);
                return;
            }

            // RFC 9110 allows the charset as a quoted string (charset="utf-8"), which the JSON reader would take for a name.
            media.Charset = charset;
            context.Request.ContentType = media.ToString();
        }

        context.Request.EnableBuffering();
        await next(context);
    }

    // The same test HttpRequestJsonExtensions applies before reading (utf-8, else a name Encoding knows).
    private static bool IsReadableCharset(string charset)
    {
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        if (feature?.Error is BadHttpRequestException bad)
        {
            // The handler runs with the endpoint cleared; the feature keeps the one that failed.
            return UnreadableRequest(context, feature.Endpoint, bad).ExecuteAsync(context);
        }

        // The exception's text and type stay in the log (the middleware logged them); the trace id finds them there.
        return TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: UiText.Get("Internal server error"),
                detail: UiText.Get("The portal failed to answer this request. The error is in its log under this traceId."),
                extensions: new Dictionary<string, object?> { ["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier })
            .ExecuteAsync(context);
    }

    private static Task WriteStatusAsync(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        var (title, detail) = status switch
        {
            StatusCodes.Status404NotFound => ("Not found", UiText.Format("No API endpoint matches {0} {1}.", request.Method, request.Path)),
            StatusCodes.Status405MethodNotAllowed =>
                ("Method not allowed", UiText.Format("{0} does not take {1}; it takes {2}.", request.Path, request.Method, context.Response.Headers.Allow)),
            StatusCodes.Status415UnsupportedMediaType =>
                ("Unsupported media type", UiText.Get(SendJson)),
            _ => (ReasonPhrases.GetReasonPhrase(status), UiText.Format("The API answered {0}.", status)),
        };
        return ApiResults.Problem(status, title, detail).ExecuteAsync(context);
    }

    /// <summary>
    /// The problem for a request whose body or parameters could not be read: malformed JSON, a value of the wrong kind, a
    /// missing required field, null where a value is required, a body in another format, a query value that is not one.
    /// Names the field by its JSON path (<c>headers[0].name</c>) or parameter name and says what it must be; never a .NET
    /// type (the binder's own messages name them, so they are not passed on).
    /// </summary>
    internal static IResult UnreadableRequest(HttpContext context, Endpoint? endpoint, BadHttpRequestException ex)
    {
        if (ex.InnerException is JsonException json)
        {
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            return Invalid("The request body could not be read as this operation's JSON.", JsonErrors.Describe(json, bodyType, options));
        }

        if (ex.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ApiResults.Problem(ex.StatusCode, "Unsupported media type", UiText.Get(SendJson));
        }

        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiResults.Problem(ex.StatusCode, "Request body too large", UiText.Get("The request body is larger than the portal accepts."));
        }

        // RequestDelegateFactory's messages quote the parameter as "Type name" first: take the name, leave the type.
        var message = ex.Message;
        var quoted = message.Split('"');
        var parameter = quoted.Length > 1 ? quoted[1].Split(' ')[^1] : null;
        var binding = parameter is null ? null
            : endpoint?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>().FirstOrDefault(p => p.Name == parameter);
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal)
            || (message.StartsWith("Required parameter", StringComparison.Ordinal) && message.EndsWith("from body.", StringComparison.Ordinal)))
        {
            return Invalid("The request needs a body.", new() { ["body"] = [UiText.Get("A JSON body is required (Content-Type: application/json).")] });
        }

        if (parameter is not null && message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return Invalid("A required parameter is missing.", new() { [parameter] = [UiText.Format("{0} is required.", parameter)] });
        }

        if (parameter is not null && message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            var what = binding is null ? UiText.Get("a valid value") : JsonErrors.Expected(binding.ParameterInfo.ParameterType);
            return Invalid("A parameter could not be read.", new() { [parameter] = [UiText.Format("{0} must be {1}.", parameter, what)] });
        }

        return ApiResults.Problem(ex.StatusCode, ReasonPhrases.GetReasonPhrase(ex.StatusCode), UiText.Get("The request could not be read."));
    }

    private const string SendJson = "Send the body as JSON: Content-Type: application/json (UTF-8).";

    // Every status the binder gives these is 400.
    private static ValidationProblem Invalid(string title, Dictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors, title: UiText.Get(title));
}
