using System.Text;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Components;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// Issue 5 §5: generated junk through every form model. A validator never throws; it answers with clear messages or
/// accepts; what it accepts is text that storage keeps as typed (valid UTF-16, no NUL or control characters in one-line
/// fields), and saving an accepted model through the real path on SQLite round-trips it.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class FormJunkTests : PortalDatabaseContext
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public FormJunkTests()
    {
        Services.AddSingleton<UserAdministration>();
        var admin = AddAuthorization();
        admin.SetAuthorized("admin");
        admin.SetRoles(AdminOptions.Role);
    }

    /// <summary>
    /// Every text field's validator, with the control characters it may keep (line breaks in multi-line fields, tab in a
    /// header value, which HTTP allows) and whether the value is trimmed when saved (so surrounding whitespace is not kept).
    /// </summary>
    private static readonly (string Field, Func<string, IEnumerable<string>> Validate, string AllowedControls, bool Trimmed)[] Fields =
    [
        ("Client ID", ClientModel.ValidateClientId, "", true),
        ("Client description", ClientModel.ValidateDescription, "\t\r\n", true),
        ("Webhook name", WebhookModel.ValidateName, "", true),
        ("Webhook URL", WebhookModel.ValidateUrl, "", true),
        ("Webhook method", WebhookModel.ValidateMethod, "", false),
        ("Message Body", WebhookModel.ValidateBody, "\t\r\n", false),
        ("Robot secret", WebhookModel.ValidateRobotSecret, "", true),
        ("Header name", name => WebhookHeaders.Validate([new WebhookHeader(name, "v")]), "", true),
        ("Header value", value => WebhookHeaders.Validate([new WebhookHeader("X-Junk", value)]), "\t", false),
        ("User name", UserModel.ValidateUserName, "", true),
        ("Email", UserModel.ValidateEmail, "", true),
        ("First or last name", UserModel.ValidatePersonName, "", true),
        ("Phone", UserModel.ValidatePhone, "", true),
        ("Password", UserModel.ValidatePassword, "", false),
    ];

    [Fact]
    public void Every_validator_answers_junk_with_clear_messages_or_accepts_only_text_that_storage_keeps()
    {
        var problems = new List<string>();
        foreach (var (field, validate, allowedControls, trimmed) in Fields)
        {
            foreach (var junk in Junk.All())
            {
                List<string> errors;
                try
                {
                    errors = validate(junk).ToList();
                }
                catch (Exception ex)
                {
                    problems.Add($"{field}: {Junk.Describe(junk)} threw {ex.GetType().Name}: {ex.Message}");
                    continue;
                }

                if (errors.Any(string.IsNullOrWhiteSpace))
                {
                    problems.Add($"{field}: {Junk.Describe(junk)} gave an empty message.");
                }
                else if (errors.Count == 0 && !StorageKeeps(trimmed ? junk.Trim() : junk, allowedControls))
                {
                    problems.Add($"{field}: accepted {Junk.Describe(junk)}, which is not valid text for it.");
                }
            }
        }

        var byField = problems.GroupBy(p => p[..p.IndexOf(':', StringComparison.Ordinal)])
            .Select(g => $"{g.Key}: {g.Count()} problem(s), e.g.\n  " + string.Join("\n  ", g.Take(3)));
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):\n" + string.Join("\n", byField));
    }

    [Fact]
    public void Passwords_have_a_length_limit_with_a_clear_message()
    {
        Assert.Equal([$"Password must be at most {UserModel.PasswordMaxLength} characters."],
            UserModel.ValidatePassword(new string('a', UserModel.PasswordMaxLength + 1)));
        Assert.Empty(UserModel.ValidatePassword(new string('a', UserModel.PasswordMaxLength)));
    }

    [Fact]
    public async Task Search_boxes_and_the_delivery_filter_take_junk_without_throwing()
    {
        await SeedSearchablesAsync();
        await using var db = await NewDbContextAsync();
        var clients = await db.Clients.AsNoTracking().ToListAsync();
        var deliveries = await db.Deliveries.AsNoTracking().ToListAsync();
        var names = deliveries.ToDictionary(d => d.Id, d => $"{d.WebhookName} {d.Status}");
        var administration = Services.GetRequiredService<ClientAdministration>();
        var problems = new List<string>();
        foreach (var junk in Probes(Junk.All()))
        {
            // The client search of the Docking Portal and of GET /api/clients?search=.
            var (items, total) = await administration.ListAsync(junk, 0, 100);
            var expected = clients.Where(c => string.IsNullOrWhiteSpace(junk) || LikeContains(c.ClientId, junk.Trim()) || LikeContains(c.Description, junk.Trim()))
                .Select(c => c.ClientId).Order(StringComparer.Ordinal).ToList();
            Expect(problems, $"client search {Junk.Describe(junk)}", expected, [.. items.Select(c => c.ClientId).Order(StringComparer.Ordinal)]);
            if (total != expected.Count)
            {
                problems.Add($"client search {Junk.Describe(junk)}: a total of {total} for {expected.Count} client(s)");
            }

            // The Deliveries page's filters and GET /api/deliveries: each text filter alone, then the same junk in every filter.
            foreach (var filter in new[]
            {
                DeliveryFilter.Parse(null, junk, null, null, null, null),
                DeliveryFilter.Parse(null, null, junk, null, null, null),
                DeliveryFilter.Parse(junk, junk, junk, junk, junk, junk),
            })
            {
                var found = await filter.Apply(db.Deliveries.AsNoTracking()).Select(d => d.Id).ToListAsync();
                Expect(problems, $"delivery filter {filter} from {Junk.Describe(junk)}",
                    [.. deliveries.Where(d => Matches(filter, d)).Select(d => names[d.Id]).Order(StringComparer.Ordinal)], [.. found.Select(id => names[id]).Order(StringComparer.Ordinal)]);
                // The filter survives the trip through the page's URL.
                var query = filter.ToQuery();
                Assert.Equal(filter, DeliveryFilter.Parse(
                    (string?)query[DeliveryFilter.StatusKey], (string?)query[DeliveryFilter.ClientKey], (string?)query[DeliveryFilter.WebhookKey],
                    (string?)query[DeliveryFilter.ActionKey], (string?)query[DeliveryFilter.FromKey], (string?)query[DeliveryFilter.ToKey]));
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} search(es) found the wrong rows:\n" + string.Join("\n", problems.Take(40)));
    }

    [Fact]
    public async Task The_search_boxes_of_the_clients_users_and_audit_pages_show_what_the_junk_matches()
    {
        await SeedSearchablesAsync();
        await using var db = await NewDbContextAsync();
        var clients = await db.Clients.AsNoTracking().ToListAsync();
        var users = await db.Users.AsNoTracking().ToListAsync();
        var entries = await db.AuditEntries.AsNoTracking().ToListAsync();
        var problems = new List<string>();

        await SearchEveryProbeAsync(RenderWithProviders<ClientsPage>(), "Search client IDs", "Client ID", "No client ID matches the search.",
            junk => clients.Where(c => LikeContains(c.ClientId, junk) || LikeContains(c.Description, junk)).Select(c => c.ClientId), problems);
        await SearchEveryProbeAsync(RenderWithProviders<UsersPage>(), "Search users", "User name", "No user matches the search.",
            junk => users.Where(u => LikeContains(u.UserName, junk) || LikeContains(u.Email, junk) || LikeContains(u.FirstName + " " + u.LastName, junk)
                || LikeContains(u.LastName + " " + u.FirstName, junk) || LikeContains(u.LastName + u.FirstName, junk)).Select(u => u.UserName!), problems);
        await SearchEveryProbeAsync(RenderWithProviders<AuditPage>(), "Search", "Action", "No entries match the filters.",
            junk => entries.Where(a => LikeContains(a.ActorName, junk) || LikeContains(a.Subject, junk) || LikeContains(a.Action, junk)
                || (AuditText.Actions.Any(n => n.Action == a.Action) && AuditText.Action(a.Action).Contains(junk, StringComparison.CurrentCultureIgnoreCase)))
                .Select(a => a.Action), problems);

        Assert.True(problems.Count == 0, $"{problems.Count} search(es) showed the wrong rows:\n" + string.Join("\n", problems.Take(40)));
    }

    /// <summary>
    /// Types each fixed piece of junk (and the probes that match) into the page's search box and compares the rows of
    /// <paramref name="column"/> with <paramref name="expected"/> for the trimmed text; a blank search shows every row.
    /// </summary>
    private async Task SearchEveryProbeAsync(
        IRenderedComponent<MudProviders> cut, string searchBox, string column, string noMatch, Func<string, IEnumerable<string>> expected, List<string> problems)
    {
        // The Audit page names an action in the UI language; the stored action is the chip's title.
        List<string> Shown() => [.. cut.FindAll($"tbody tr td[data-label='{column}']")
            .Select(td => td.QuerySelector("[title]")?.GetAttribute("title") ?? td.TextContent.Trim()).Order(StringComparer.Ordinal)];
        var all = expected("").Order(StringComparer.Ordinal).ToList();
        cut.WaitForAssertion(() => Assert.Equal(all, Shown()), Timeout);
        // bUnit's parsed markup loses an input whose value holds a lone surrogate half or a noncharacter (U+FFFE, U+FFFF), so
        // the pages get the other text; the test above sends all of it through the same queries.
        foreach (var junk in Probes(Junk.Fixed).Where(j => IsWellFormed(j) && !j.Any(c => c is '\ufffe' or '\uffff')))
        {
            var want = string.IsNullOrWhiteSpace(junk) ? all : [.. expected(junk.Trim()).Order(StringComparer.Ordinal)];
            // Awaiting the input awaits the page's reload, so a query that throws fails here.
            await cut.FillAsync(".mud-table", searchBox, junk);
            var shown = Shown();
            Expect(problems, $"{column} search {Junk.Describe(junk)}", want, shown);
            if (want.Count == 0 && !cut.Find(".mud-table").TextContent.Contains(noMatch, StringComparison.Ordinal))
            {
                problems.Add($"{column} search {Junk.Describe(junk)}: no \"{noMatch}\"");
            }
        }

        // The providers render once per context: the next page gets them afresh.
        await DisposeComponentsAsync();
    }

    private static bool IsWellFormed(string text)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static void Expect(List<string> problems, string what, List<string> expected, List<string> actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            problems.Add($"{what}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }
    }

    /// <summary>Junk, then text that matches the seeded rows in another case or with spaces around, so matches are checked too.</summary>
    private static IEnumerable<string> Probes(IEnumerable<string> junk) =>
        junk.Concat(["JUNK-CLIENT", "  junk-client  ", "HOOK", "100%", "_TESTS_", "\\ kept", "zhang WEI", "SECRET_ROTATED", "\t张伟\t"]);

    /// <summary>
    /// Clients, webhooks, deliveries, users and audit entries whose text holds LIKE's wildcards, its escape character,
    /// quotes and Chinese, so the junk both matches and misses.
    /// </summary>
    private async Task SeedSearchablesAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            foreach (var user in new[]
            {
                new PortalUser { UserName = "searcher", Email = "searcher@example.com", FirstName = "张伟", LastName = "O'Brien" },
                new PortalUser { UserName = "under_score", Email = "under_score@example.com", FirstName = "Wei", LastName = "Zhang" },
            })
            {
                var created = await manager.CreateAsync(user);
                Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }

        await using var db = await NewDbContextAsync();
        var at = new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);
        var junkClient = new Client { ClientId = "junk-client", Description = "100% of 张伟's _tests_ \\ kept", CreatedAt = at };
        var otherClient = new Client { ClientId = "other-client", Description = "", CreatedAt = at };
        var junkHook = NewWebhook("Junk hook", at);
        var otherHook = NewWebhook("Other 100%_\\ hook", at);
        junkClient.Webhooks.Add(junkHook);
        otherClient.Webhooks.Add(otherHook);
        db.Clients.AddRange(junkClient, otherClient);
        await db.SaveChangesAsync();
        foreach (var (client, hook, status) in new[]
        {
            (junkClient, junkHook, DeliveryStatus.Succeeded), (junkClient, junkHook, DeliveryStatus.Failed), (otherClient, otherHook, DeliveryStatus.Pending),
        })
        {
            db.Deliveries.Add(new WebhookPortal.Features.Delivery.Delivery
            {
                Id = Guid.CreateVersion7(), WebhookId = hook.Id, ClientId = client.ClientId, WebhookName = hook.Name, EventId = Guid.NewGuid(),
                Action = UserAction.Created, EventType = "user.created", UserId = "u1", UserName = "searcher", Url = hook.Url, Status = status,
                CreatedAt = at, NextAttemptAt = status == DeliveryStatus.Pending ? at.AddHours(1) : null,
            });
        }

        AuditTrail.Add(db, new AuditActor("admin-id", "admin", "203.0.113.7"), at, "client.created", "client junk-client");
        AuditTrail.Add(db, new AuditActor("alice-id", "alice", null), at.AddMinutes(1), "user.created", "user 100%_\\ tester");
        AuditTrail.Add(db, AuditActor.System, at.AddMinutes(2), "webhook.secret_rotated", "webhook Junk hook (client junk-client)");
        await db.SaveChangesAsync();
    }

    /// <summary>What <see cref="DeliveryFilter.Apply"/> is to keep, worked out in memory.</summary>
    private static bool Matches(DeliveryFilter filter, WebhookPortal.Features.Delivery.Delivery d) =>
        (filter.Status is not { } status || d.Status == status)
        && (filter.ClientId is not { } client || LikeContains(d.ClientId, client))
        && (filter.WebhookName is not { } name || LikeContains(d.WebhookName, name))
        && (filter.Action is not { } action || d.Action == action)
        && (filter.From is not { } from || d.CreatedAt >= from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))
        && (filter.To is not { } to || d.CreatedAt < to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    /// <summary>SQLite's LIKE '%text%' with every wildcard escaped: a substring, case folded for ASCII letters only.</summary>
    private static bool LikeContains(string? value, string text) =>
        value is not null && AsciiLower(value).Contains(AsciiLower(text), StringComparison.Ordinal);

    private static string AsciiLower(string text) => string.Concat(text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c));

    [Fact]
    public async Task Accepted_clients_are_saved_and_read_back_as_typed()
    {
        await using var db = await NewDbContextAsync();
        var saved = new List<(int Id, ClientModel Model)>();
        var junk = Junk.All(200);
        for (var i = 0; i < junk.Count; i++)
        {
            // One field of junk at a time, the other valid, so accepted junk is actually saved.
            foreach (var model in new[] { new ClientModel { ClientId = junk[i], Description = "" }, new ClientModel { ClientId = $"client-{i}", Description = junk[i] } })
            {
                if (model.Validate().Count > 0 || saved.Any(s => string.Equals(s.Model.ClientId, model.ClientId.Trim(), StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                // As CreateClientDialog and ClientsPage do.
                model.ClientId = model.ClientId.Trim();
                var client = new Client { ClientId = model.ClientId, Description = model.Description.Trim(), CreatedAt = DateTime.UtcNow };
                db.Clients.Add(client);
                await db.SaveChangesAsync();
                saved.Add((client.Id, model));
            }
        }

        db.ChangeTracker.Clear();
        Assert.True(saved.Count > 40, $"only {saved.Count} clients were accepted");
        foreach (var (id, model) in saved)
        {
            var stored = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Equal((model.ClientId, model.Description.Trim()), (stored.ClientId, stored.Description));
        }
    }

    [Fact]
    public async Task Accepted_webhooks_are_saved_and_read_back_as_typed()
    {
        await using var db = await NewDbContextAsync();
        var client = new Client { ClientId = "junk-client", CreatedAt = DateTime.UtcNow };
        db.Clients.Add(client);
        await db.SaveChangesAsync();

        var variants = new List<Func<string, WebhookModel>>
        {
            junk => Valid(m => m.Name = junk),
            junk => Valid(m => m.Url = junk),
            junk => Valid(m => m.Method = junk),
            junk => Valid(m => m.Body = junk),
            junk => Valid(m => m.Headers = [new WebhookHeader(junk, "value")]),
            junk => Valid(m => m.Headers = [new WebhookHeader("X-Junk", junk, Secret: junk.Length % 2 == 0)]),
            junk => Valid(m => (m.Url, m.RobotSecret) = ("https://oapi.dingtalk.com/robot/send?access_token=t", junk)),
        };
        var saved = new List<(int Id, Webhook Expected)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var junk in Junk.All(150))
        {
            foreach (var variant in variants)
            {
                var model = variant(junk);
                IReadOnlyList<string> errors = model.Validate();
                if (errors.Count > 0)
                {
                    Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e)));
                    continue;
                }

                var now = DateTime.UtcNow;
                var webhook = new Webhook { ClientKey = client.Id, CreatedAt = now, UpdatedAt = now };
                model.ApplyTo(webhook, now);
                // A name is unique within a client (the save-time rule and an index): the variants that keep the base name
                // get a numbered one, and a junk name met again is refused as the portal would.
                if (!names.Add(webhook.Name))
                {
                    if (variant == variants[0])
                    {
                        continue;
                    }

                    webhook.Name = $"Junk {saved.Count}";
                    names.Add(webhook.Name);
                }

                db.Webhooks.Add(webhook);
                await db.SaveChangesAsync();
                saved.Add((webhook.Id, Copy(webhook)));
            }
        }

        db.ChangeTracker.Clear();
        Assert.True(saved.Count > 50, $"only {saved.Count} webhooks were accepted");
        foreach (var (id, expected) in saved)
        {
            var stored = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == id);
            Assert.Equal(
                (expected.Name, expected.Url, expected.Method, expected.Body, expected.RobotSecret),
                (stored.Name, stored.Url, stored.Method, stored.Body, stored.RobotSecret));
            Assert.Equal(expected.Headers, stored.Headers);
        }
    }

    [Fact]
    public async Task Accepted_users_are_created_through_the_user_administration_and_read_back_as_typed()
    {
        var users = Services.GetRequiredService<UserAdministration>();
        var actor = new AuditActor(null, "junk-test", "127.0.0.1");
        var variants = new List<Func<int, string, UserModel>>
        {
            (i, junk) => ValidUser(i, m => m.UserName = junk),
            (i, junk) => ValidUser(i, m => m.Email = junk),
            (i, junk) => ValidUser(i, m => m.FirstName = junk),
            (i, junk) => ValidUser(i, m => m.LastName = junk),
            (i, junk) => ValidUser(i, m => m.Phone = junk),
            (i, junk) => ValidUser(i, m => m.Password = junk),
        };
        var created = new List<UserModel>();
        var junkList = Junk.All(40);
        for (var i = 0; i < junkList.Count; i++)
        {
            for (var v = 0; v < variants.Count; v++)
            {
                var model = variants[v](i * variants.Count + v, junkList[i]);
                if (!UserModelIsValid(model))
                {
                    continue;
                }

                var result = await users.CreateAsync(model, actor);
                if (result.Succeeded)
                {
                    created.Add(model);
                }
                else
                {
                    Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
                }
            }
        }

        Assert.True(created.Count > 20, $"only {created.Count} users were created");
        await using var db = await NewDbContextAsync();
        foreach (var model in created)
        {
            var stored = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == model.UserName.Trim());
            Assert.Equal(
                (model.Email.Trim(), model.FirstName.Trim(), model.LastName.Trim(), string.IsNullOrWhiteSpace(model.Phone) ? null : model.Phone.Trim()),
                (stored.Email, stored.FirstName, stored.LastName, stored.PhoneNumber));
        }
    }

    private static bool UserModelIsValid(UserModel model) =>
        !UserModel.ValidateUserName(model.UserName).Any() && !UserModel.ValidateEmail(model.Email).Any()
        && !UserModel.ValidatePersonName(model.FirstName).Any() && !UserModel.ValidatePersonName(model.LastName).Any()
        && !UserModel.ValidatePhone(model.Phone).Any() && !UserModel.ValidatePassword(model.Password).Any();

    private static UserModel ValidUser(int i, Action<UserModel> change)
    {
        var model = new UserModel
        {
            UserName = $"junk{i}", Email = $"junk{i}@example.com", FirstName = "Wei", LastName = "Zhang", Password = "Junk-Passw0rd!",
        };
        change(model);
        return model;
    }

    private static WebhookModel Valid(Action<WebhookModel> change)
    {
        var model = new WebhookModel { Name = "Junk", Url = "http://127.0.0.1:9/junk", Method = "POST", Actions = [UserAction.Created] };
        change(model);
        return model;
    }

    private static Webhook Copy(Webhook w) => new()
    {
        Name = w.Name, Url = w.Url, Method = w.Method, Body = w.Body, RobotSecret = w.RobotSecret, Headers = [.. w.Headers],
    };

    /// <summary>
    /// Whether <paramref name="text"/> is what a text column keeps exactly: valid UTF-16 (so it encodes to UTF-8) and no
    /// control characters but <paramref name="allowedControls"/>.
    /// </summary>
    private static bool StorageKeeps(string text, string allowedControls)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        return !text.Any(c => char.IsControl(c) && !allowedControls.Contains(c));
    }
}
