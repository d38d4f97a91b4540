using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Api;

/// <summary>
/// <c>Idempotency-Key</c> on POST (after draft-ietf-httpapi-idempotency-key-header): the first response
/// (status, Location, body) to a key is stored in the database and replayed, with <c>Idempotent-Replayed: true</c>, for a repeat
/// within <see cref="Lifetime"/>, so a retried create does not create twice. Keys are scoped per API token (per user for
/// cookie sessions). A repeat with another method, path or body is refused with 422. A repeat that arrives while the first
/// request with the key is still running, in this instance or another on the same database (<see cref="IdempotencyKeysInFlight"/>),
/// is refused with 409 (the draft's "concurrent request" answer) and can be retried.
/// Server errors (5xx) are not stored, so they can be retried. The answers of endpoints marked <see cref="CarriesSecret"/>
/// are stored encrypted with Data Protection.
/// </summary>
public sealed class IdempotencyFilter(
    IDbContextFactory<PortalDbContext> dbFactory, IdempotencyKeysInFlight inFlight, IDataProtectionProvider dataProtection, TimeProvider time,
    ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    /// <summary>The request header.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>Set on a replayed response.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>How long a key's first response is kept.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Headers[Header].ToString() is not { Length: > 0 } key)
        {
            return await next(context);
        }

        if (key.Length > IdempotencyRecord.KeyMaxLength)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
                $"The {Header} header must be at most {IdempotencyRecord.KeyMaxLength} characters.");
        }

        var scope = http.User.FindFirstValue(ApiTokenAuthenticationHandler.TokenIdClaim) is { } tokenId
            ? "token:" + tokenId
            : "user:" + http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var claim = await inFlight.TryBeginAsync(scope, key, http.RequestAborted);
        if (claim is null)
        {
            return ApiResults.Problem(StatusCodes.Status409Conflict, "Idempotency-Key in use",
                $"A request with this {Header} is still being processed; retry it once that one has been answered.");
        }

        return await RunOnceAsync(context, next, scope, key);
    }

    private async ValueTask<object?> RunOnceAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string scope, string key)
    {
        var http = context.HttpContext;
        var fingerprint = await FingerprintAsync(http.Request);
        // The same method and path (the fingerprint holds them) always reach the same endpoint, so a replay unprotects what was protected.
        var protector = http.GetEndpoint()?.Metadata.GetMetadata<CarriesSecret>() is null ? null : dataProtection.CreateProtector("WebhookPortal.Idempotency.SecretAnswers");
        var now = time.GetUtcNow().UtcDateTime;

        await using (var db = await dbFactory.CreateDbContextAsync(http.RequestAborted))
        {
            var stored = await db.IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key && r.ExpiresAt > now, http.RequestAborted);
            if (stored is not null)
            {
                return stored.Fingerprint == fingerprint
                    ? new ReplayResult(stored, protector?.Unprotect(stored.Body) ?? stored.Body)
                    : ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                        $"The {Header} was already used with a different request in the last {Lifetime.TotalHours:0} hours; use a new key.");
            }
        }

        var result = await next(context);
        if (result is not IResult executable)
        {
            return result;
        }

        // Run the result into a buffer to keep what it writes, then pass the bytes on.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await executable.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        // Written to the buffer, not to the response: a 204's empty body is never written at all.
        var body = buffer.ToArray();
        if (http.Response.StatusCode < 500)
        {
            await StoreAsync(new IdempotencyRecord
            {
                Scope = scope,
                Key = key,
                Fingerprint = fingerprint,
                StatusCode = http.Response.StatusCode,
                ContentType = http.Response.ContentType,
                Location = http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                Body = protector?.Protect(body) ?? body,
                CreatedAt = now,
                ExpiresAt = now + Lifetime,
            });
        }

        if (body.Length > 0)
        {
            await original.WriteAsync(body, http.RequestAborted);
        }

        return Results.Empty;
    }

    private async Task StoreAsync(IdempotencyRecord record)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        // Expired keys are dropped as new ones arrive; the index on ExpiresAt keeps that cheap.
        await db.IdempotencyRecords.Where(r => r.ExpiresAt <= record.CreatedAt).ExecuteDeleteAsync();
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException ex) when (ex.IsConstraintViolation())
        {
            // Only an expired record under the same key can be left (a running request holds the key, on every instance).
            logger.LogInformation("Idempotency key of scope {Scope} was stored by another request", record.Scope);
        }
    }

    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                hash.AppendData(chunk, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class ReplayResult(IdempotencyRecord record, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = record.StatusCode;
            httpContext.Response.Headers[ReplayedHeader] = "true";
            if (record.ContentType is { } contentType)
            {
                httpContext.Response.ContentType = contentType;
            }

            if (record.Location is { } location)
            {
                httpContext.Response.Headers.Location = location;
            }

            // A 204 or 304 has no body, and Kestrel reports any write to one, even of nothing.
            if (body.Length > 0)
            {
                await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}
