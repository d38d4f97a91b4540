using System.Data;
using System.Data.Common;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace WebhookPortal.Data;

/// <summary>
/// Copies the Data Protection key files that earlier versions kept in <paramref name="folder"/> (<c>key-GUID.xml</c>,
/// <c>revocation-*.xml</c>, as written by the file-system key store) into <see cref="PortalDbContext.DataProtectionKeys"/>,
/// so secrets they encrypted stay readable once keys live in the database.
/// </summary>
/// <remarks>
/// Each file is imported under its file name (the name the database key store gives the same element), and only when no row
/// of that name exists: the import runs at every start but copies a file once. The folder is left as it is.
/// </remarks>
/// <param name="folder">The absolute path of the old key folder; it need not exist.</param>
public sealed class LegacyKeyImport(string folder)
{
    /// <summary>The old key folder.</summary>
    public string Folder { get; } = folder;

    /// <summary>Imports the files not imported yet and returns how many; 0 when the folder does not exist.</summary>
    /// <exception cref="System.Xml.XmlException">A key file is not XML: the folder is not a key folder, so nothing is imported.</exception>
    public async Task<int> ImportAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            return 0;
        }

        var files = new List<DataProtectionKey>();
        foreach (var path in Directory.EnumerateFiles(Folder, "*.xml").Order(StringComparer.Ordinal))
        {
            var element = XElement.Parse(await File.ReadAllTextAsync(path, cancellationToken));
            files.Add(new DataProtectionKey { FriendlyName = Path.GetFileNameWithoutExtension(path), Xml = element.ToString(SaveOptions.DisableFormatting) });
        }

        if (files.Count == 0)
        {
            return 0;
        }

        // Serializable, so that of two instances starting at once only one copies a file: a key ring holding the same key
        // twice is refused by Data Protection as a whole. The other's transaction waits (SQLite) or fails and is retried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                var names = files.Select(f => f.FriendlyName).ToList();
                var present = await db.DataProtectionKeys.Where(k => names.Contains(k.FriendlyName)).Select(k => k.FriendlyName).ToListAsync(cancellationToken);
                var missing = files.Where(f => !present.Contains(f.FriendlyName)).Select(f => new DataProtectionKey { FriendlyName = f.FriendlyName, Xml = f.Xml }).ToList();
                db.DataProtectionKeys.AddRange(missing);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return missing.Count;
            }
            catch (Exception ex) when (attempt < 3 && ex is DbUpdateException or DbException)
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
