using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Remediation.Portal.Data;
using Remediation.Workflows.Persistence;

namespace Remediation.Portal.Infrastructure;

/// <summary>
/// Bulk rows in one transaction: the seed's complaints and the CSV import's reviews with the rows the engine would have
/// written for each (docs/performance.md). The caller takes its turn at the write gate when other writers may run.
/// </summary>
public static class BulkRows
{
    public static async Task SaveAsync(IServiceProvider services, IEnumerable<object> rows, CancellationToken ct)
    {
        // A fresh context per batch keeps the change tracker small; one transaction per batch keeps fsyncs few. The domain
        // aggregates go through EF; the engine's plain rows (most of the volume) through one parameterised INSERT per table,
        // which skips change tracking but binds values with EF's own type mappings and converters.
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var plain = rows.ToLookup(r => r.GetType().Namespace == typeof(WorkflowInstance).Namespace);
        db.AddRange(plain[false]);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        // One command per table, so SQLite prepares each statement once per batch rather than once per row.
        foreach (var table in plain[true].GroupBy(r => r.GetType()))
        {
            var columns = Columns(db.Model.FindEntityType(table.Key)!);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = InsertSql(db.Model.FindEntityType(table.Key)!, columns);
            foreach (var row in table)
            {
                command.Parameters.Clear();
                for (var i = 0; i < columns.Length; i++)
                    command.Parameters.Add(columns[i].GetRelationalTypeMapping()
                        .CreateParameter(command, "@p" + i, columns[i].PropertyInfo!.GetValue(row), columns[i].IsNullable));
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        await transaction.CommitAsync(ct);
    }

    // Database-generated keys (the journal's identity column) are left to the database.
    private static IProperty[] Columns(IEntityType entity) =>
        entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd || p.ClrType != typeof(long)).ToArray();

    private static string InsertSql(IEntityType entity, IProperty[] columns) =>
        $"INSERT INTO {entity.GetTableName()} ({string.Join(", ", columns.Select(c => c.GetColumnName()))}) " +
        $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";

}
