using System.Text;

namespace WebhookPortal.Features.Inbox;

/// <summary>
/// The built-in receiver: <c>/inbox/{name}</c> accepts any method, keeps what arrived, and answers like a
/// WeCom robot, so the whole loop can be tried on one machine. On in Development, elsewhere only with <c>Inbox:Enabled</c>.
/// </summary>
public static class InboxExtensions
{
    /// <summary>Largest body kept, in bytes; a larger request is answered 413.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Adds the inbox's change feed, its <see cref="InboxStore"/> and its options.</summary>
    public static IHostApplicationBuilder AddInbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InboxFeed>();
        builder.Services.AddSingleton<InboxStore>();
        builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section)
            .PostConfigure(o => o.Enabled ??= builder.Environment.IsDevelopment());
        return builder;
    }

    /// <summary>Maps the receiving endpoint <c>/inbox/{name}</c> when the inbox is enabled.</summary>
    public static WebApplication MapInbox(this WebApplication app)
    {
        app.MapMethods("/inbox/{name}", ["GET", "POST", "PUT", "PATCH", "DELETE"], ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("InboxReceive");
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        string name, HttpRequest request, InboxStore store, InboxFeed feed, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<InboxOptions> options, CancellationToken cancellationToken)
    {
        if (options.Value.Enabled != true)
        {
            return Results.Json(new { errcode = 404, errmsg = "the inbox is off; set Inbox:Enabled to true" }, statusCode: StatusCodes.Status404NotFound);
        }

        if (name.Length > 100)
        {
            return Results.BadRequest(new { errcode = 400, errmsg = "inbox name longer than 100 characters" });
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return Results.Json(new { errcode = 413, errmsg = "body too large" }, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            body.Write(buffer, 0, read);
        }

        var headers = new StringBuilder();
        foreach (var (key, values) in request.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            headers.Append(key).Append(": ").AppendJoin(", ", values.AsEnumerable()).Append('\n');
        }

        await store.AddAsync(new InboxMessage
        {
            Name = name,
            Method = request.Method,
            Target = request.Path + request.QueryString,
            Headers = headers.ToString(),
            Body = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length),
            ReceivedAt = time.GetUtcNow().UtcDateTime,
        }, cancellationToken);

        feed.Publish();
        return Results.Json(new { errcode = 0, errmsg = "ok" });
    }
}
