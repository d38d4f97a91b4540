using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WebhookPortal.Data;

/// <summary>Registers the database.</summary>
public static class DataExtensions
{
    /// <summary>The database used when <c>ConnectionStrings:Portal</c> is not set (relative to the content root).</summary>
    public const string DefaultConnectionString = "Data Source=App_Data/portal.db";

    /// <summary>The Data Protection application name: the same on every instance, so each can read what another protected.</summary>
    public const string ApplicationName = "WebhookPortal";

    /// <summary>
    /// Adds <see cref="PortalDbContext"/> (a factory for components and services, a scoped instance for Identity) on SQLite
    /// or PostgreSQL (<see cref="DatabaseProvider"/>), Data Protection with its key ring in that database, and the start-up
    /// step that migrates it, imports the keys of the old key folder (<see cref="LegacyKeyImport"/>) and creates the
    /// administrator. PostgreSQL needs <c>ConnectionStrings:Portal</c> (an Npgsql connection string); SQLite defaults to
    /// <see cref="DefaultConnectionString"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPortalData(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Portal");
        string? databaseFolder;
        if (builder.Configuration.IsPostgreSql())
        {
            var connectionString = configured is { Length: > 0 }
                ? WithAutoPrepare(configured)
                : throw new InvalidOperationException($"{DatabaseProvider.Section} is {DatabaseProvider.PostgreSql} but ConnectionStrings:Portal is not set.");
            builder.Services.AddDbContextFactory<PortalDbContext, PostgreSqlContextFactory>(options => options.UseNpgsql(connectionString));
            databaseFolder = null;
        }
        else
        {
            var connectionString = ResolveConnectionString(configured ?? DefaultConnectionString, builder.Environment.ContentRootPath);
            builder.Services.AddDbContextFactory<PortalDbContext>(options => options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas()));
            databaseFolder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(connectionString).DataSource);
        }

        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddHostedService<DatabaseInitializer>();

        // Secrets in the database are encrypted with these keys, so they live in the database too: every instance on it reads
        // the same key ring (and the same application name), and a backup of the database carries its keys. Keys that
        // earlier versions kept in a folder (DataProtection:KeysPath, else "keys" beside the database) are imported once.
        var legacyKeys = builder.Configuration["DataProtection:KeysPath"] is { Length: > 0 } keysPath
            ? Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, keysPath))
            : Path.Combine(databaseFolder is { Length: > 0 } folder ? folder : Path.Combine(builder.Environment.ContentRootPath, "App_Data"), "keys");
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<PortalDbContext>();
        builder.Services.AddSingleton(new LegacyKeyImport(legacyKeys));
        return builder;
    }

    /// <summary>
    /// Names the configured database without its credentials: the absolute SQLite connection string, or PostgreSQL's
    /// host, port and database (e.g. <c>db1:5432/portal</c>). Instances on one database give the same name.
    /// </summary>
    internal static string DatabaseName(IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Portal");
        if (!builder.Configuration.IsPostgreSql())
        {
            return ResolveConnectionString(configured ?? DefaultConnectionString, builder.Environment.ContentRootPath);
        }

        var csb = new NpgsqlConnectionStringBuilder(configured);
        return $"{csb.Host}:{csb.Port}/{csb.Database}";
    }

    /// <summary>
    /// <paramref name="connectionString"/> with Npgsql's automatic preparation on (<c>Max Auto Prepare=64</c>) unless it sets
    /// its own: the delivery engine repeats a few statements (its claim, its records) many times a second, and PostgreSQL
    /// then plans each once per connection instead of on every run. See Npgsql's "Prepared statements" documentation.
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    /// <summary>Makes a relative SQLite file path absolute under <paramref name="contentRoot"/> and creates its folder.</summary>
    internal static string ResolveConnectionString(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (csb.DataSource is { Length: > 0 } source && source != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(source) ? source : Path.GetFullPath(Path.Combine(contentRoot, source));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            csb.DataSource = path;
        }

        return csb.ToString();
    }
}
