using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Components.Shared;
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
    public void Search_boxes_and_the_delivery_filter_take_junk_without_throwing()
    {
        foreach (var junk in Junk.All())
        {
            _ = SearchPattern.Contains(junk);
            var filter = DeliveryFilter.Parse(junk, junk, junk, junk, junk, junk);
            _ = filter.ToQuery();
        }
    }

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
