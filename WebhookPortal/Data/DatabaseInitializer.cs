using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Data;

/// <summary>
/// Runs before the web server and the dispatcher start: applies migrations (on PostgreSQL under an advisory lock, so
/// instances starting together take turns), switches SQLite to WAL, imports the Data
/// Protection keys of a key folder (<see cref="LegacyKeyImport"/>), and creates the Admin and Auditor roles and the
/// administrator from <see cref="AdminOptions"/> when they do not exist yet.
/// </summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes, IOptions<AdminOptions> admin, LegacyKeyImport keyImport, ILogger<DatabaseInitializer> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (!db.Database.IsPostgreSql())
        {
            // WAL lets the dispatcher read while a page writes; the setting is kept in the database file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await InitializeAsync(scope.ServiceProvider, db, cancellationToken);
            return;
        }

        // Held by this connection's session until unlocked (or the connection dies), around the migration and the
        // administrator alike: a second instance waits here, then finds both done instead of creating them twice. No command
        // timeout: the wait lasts as long as another instance's migration, and a migration as long as its data needs.
        db.Database.SetCommandTimeout(TimeSpan.Zero);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await InitializeAsync(scope.ServiceProvider, db, cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    /// <summary>The PostgreSQL advisory lock key taken around start-up (any fixed number no other application uses).</summary>
    private const long MigrationLock = 0x5765_6268_6F6F_6B50; // "WebhookP"

    private async Task InitializeAsync(IServiceProvider services, PortalDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.GetDbConnection() is Npgsql.NpgsqlConnection connection)
        {
            // Npgsql learned the database's types when this process first connected, which may have been before another
            // instance's migration (run while this one waited for the lock) created the citext extension; EF Core reloads
            // them only after a migration of its own. Without citext every Client ID parameter would fail.
            await connection.ReloadTypesAsync(cancellationToken);
        }

        // Before anything reads the key ring: the first read would otherwise make a new key and leave the old secrets unreadable.
        if (await keyImport.ImportAsync(db, cancellationToken) is > 0 and var imported)
        {
            logger.LogInformation("Imported {Count} Data Protection key files from {Folder} into the database", imported, keyImport.Folder);
        }

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var users = services.GetRequiredService<PortalUserManager>();
        if ((await users.GetUsersInRoleAsync(AdminOptions.Role)).Count > 0)
        {
            return;
        }

        var settings = admin.Value;
        var generated = string.IsNullOrEmpty(settings.Password);
        var password = generated ? GeneratePassword() : settings.Password!;
        var existing = await users.FindByNameAsync(settings.UserName);
        var user = existing
            ?? new PortalUser { UserName = settings.UserName, Email = settings.Email, EmailConfirmed = true, FirstName = "Portal", LastName = "Administrator" };
        IdentityResult result;
        try
        {
            result = existing is null ? await users.CreateAsync(user, password) : IdentityResult.Success;
            if (result.Succeeded)
            {
                result = await users.AddToRoleAsync(user, AdminOptions.Role);
            }
        }
        catch (DbUpdateException ex) when (ex.IsConstraintViolation())
        {
            // Checked again below: another instance starting at the same moment on SQLite (which has no start-up lock) may
            // have made the administrator between the check above and this write.
            result = IdentityResult.Failed(new IdentityError { Code = "Concurrent", Description = ex.InnerException?.Message ?? ex.Message });
        }

        if (!result.Succeeded && (await users.GetUsersInRoleAsync(AdminOptions.Role)).Count > 0)
        {
            logger.LogInformation("Another instance created the administrator while this one started");
            return;
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                "The administrator could not be created from the Admin settings: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        if (existing is not null)
        {
            // An account of that name existed (e.g. a start that stopped between creating it and granting the role): its password stays.
            logger.LogWarning("No administrator existed; user {UserName} was made administrator with their existing password", settings.UserName);
        }
        else if (generated)
        {
            // Shown once so the first sign-in is possible; set Admin:Password to choose it instead.
            logger.LogWarning("Created administrator {UserName} with generated password {Password} — change it after signing in",
                settings.UserName, password);
        }
        else
        {
            logger.LogInformation("Created administrator {UserName}", settings.UserName);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        // Random letters and digits plus fixed classes so Identity's default policy always accepts it.
        return RandomNumberGenerator.GetString(alphabet, 20) + "-a9Z";
    }
}
