using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Remediation.Workflows.Persistence;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// Writes an engine command's rows on the commit writer's long-lived connection, each statement prepared once and
/// reused. EF Core's SaveChanges builds, prepares and disposes a command per row, and on SQLite that was most of the
/// serial writer's CPU (docs/engine.md, "Benchmark"). The SQL, column names and value conversions come from the EF
/// model, so the mapping stays in one place. Only the engine's own tables take this path (no foreign keys, owned or
/// complex types, computed or database-default columns); a change set with anything else goes through SaveChanges.
/// </summary>
internal sealed class RowWriter(DbConnection connection) : IDisposable
{
    private readonly Dictionary<string, DbCommand> commands = [];
    private readonly Dictionary<IEntityType, bool> plain = [];

    /// <summary>
    /// Writes the pending changes of <paramref name="db"/> inside <paramref name="transaction"/> as
    /// SaveChanges(acceptAllChangesOnSuccess: false) would: a stale concurrency token throws
    /// <see cref="DbUpdateConcurrencyException"/>, a constraint violation <see cref="DbUpdateException"/>; store-generated
    /// keys are read back into the entities. Returns false, having written nothing, when a change is not an engine row.
    /// </summary>
    public bool TryWrite(DbContext db, DbTransaction transaction)
    {
        var changes = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        if (!changes.TrueForAll(e => IsPlain(e.Metadata))) return false;
        var sql = db.GetService<ISqlGenerationHelper>();
        foreach (var entry in changes)
        {
            try
            {
                switch (entry.State)
                {
                    case EntityState.Added: Insert(entry, sql, transaction); break;
                    case EntityState.Modified: Update(entry, sql, transaction); break;
                    case EntityState.Deleted: Delete(entry, sql, transaction); break;
                }
            }
            catch (DbException e)
            {
                throw new DbUpdateException($"Saving a {entry.Metadata.DisplayName()} row failed: {e.Message}", e);
            }
        }
        return true;
    }

    /// <summary>Runs a fixed statement (a savepoint) through the same prepared-statement cache.</summary>
    public void Execute(string text, DbTransaction transaction) => Command(text, transaction).ExecuteNonQuery();

    private void Insert(EntityEntry entry, ISqlGenerationHelper sql, DbTransaction transaction)
    {
        var type = entry.Metadata;
        var table = Table(type);
        var generated = type.FindPrimaryKey()!.Properties.SingleOrDefault(p => entry.Property(p.Name).IsTemporary);
        var columns = type.GetProperties().Where(p => p != generated).ToList();
        var text = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))
            .Append(") VALUES (").AppendJoin(", ", columns.Select((_, i) => "@p" + i)).Append(')');
        if (generated is not null) text.Append(" RETURNING ").Append(sql.DelimitIdentifier(generated.GetColumnName(table)!));

        var command = Command(text.ToString(), transaction);
        for (var i = 0; i < columns.Count; i++) Bind(command, i, columns[i], entry.Property(columns[i].Name).CurrentValue);
        if (generated is null) command.ExecuteNonQuery();
        else entry.Property(generated.Name).CurrentValue = Convert.ChangeType(command.ExecuteScalar(), generated.ClrType);
    }

    private void Update(EntityEntry entry, ISqlGenerationHelper sql, DbTransaction transaction)
    {
        var type = entry.Metadata;
        var table = Table(type);
        var set = type.GetProperties().Where(p => !p.IsPrimaryKey() && entry.Property(p.Name).IsModified).ToList();
        if (set.Count == 0) return;
        var where = Where(type);
        var text = new StringBuilder("UPDATE ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" SET ")
            .AppendJoin(", ", set.Select((p, i) => sql.DelimitIdentifier(p.GetColumnName(table)!) + " = @p" + i));
        AppendWhere(text, where, table, sql, set.Count);

        var command = Command(text.ToString(), transaction);
        for (var i = 0; i < set.Count; i++) Bind(command, i, set[i], entry.Property(set[i].Name).CurrentValue);
        BindWhere(command, entry, where, set.Count);
        Expect(command.ExecuteNonQuery(), entry);
    }

    private void Delete(EntityEntry entry, ISqlGenerationHelper sql, DbTransaction transaction)
    {
        var type = entry.Metadata;
        var table = Table(type);
        var where = Where(type);
        var text = new StringBuilder("DELETE FROM ").Append(sql.DelimitIdentifier(table.Name, table.Schema));
        AppendWhere(text, where, table, sql, 0);

        var command = Command(text.ToString(), transaction);
        BindWhere(command, entry, where, 0);
        Expect(command.ExecuteNonQuery(), entry);
    }

    // The key, then any concurrency token compared with the value the command read.
    private static List<IProperty> Where(IEntityType type) =>
        [.. type.FindPrimaryKey()!.Properties, .. type.GetProperties().Where(p => p.IsConcurrencyToken && !p.IsPrimaryKey())];

    private static void AppendWhere(StringBuilder text, List<IProperty> where, StoreObjectIdentifier table, ISqlGenerationHelper sql, int first) =>
        text.Append(" WHERE ").AppendJoin(" AND ", where.Select((p, i) => sql.DelimitIdentifier(p.GetColumnName(table)!) + " = @p" + (first + i)));

    private static void BindWhere(DbCommand command, EntityEntry entry, List<IProperty> where, int first)
    {
        for (var i = 0; i < where.Count; i++) Bind(command, first + i, where[i], entry.Property(where[i].Name).OriginalValue);
    }

    private static void Expect(int rows, EntityEntry entry)
    {
        if (rows != 1)
            throw new DbUpdateConcurrencyException(
                $"The {entry.Metadata.DisplayName()} row was changed or deleted by another command since it was read.");
    }

    private static StoreObjectIdentifier Table(IEntityType type) => StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());

    // Parameters are re-created per execution (through the property's type mapping, so converters and provider types
    // apply exactly as in SaveChanges); the prepared statement behind the command text is kept.
    private static void Bind(DbCommand command, int index, IProperty property, object? value)
    {
        var parameter = property.GetRelationalTypeMapping().CreateParameter(command, "@p" + index, value, property.IsNullable);
        if (index < command.Parameters.Count) command.Parameters[index] = parameter;
        else command.Parameters.Add(parameter);
    }

    private DbCommand Command(string text, DbTransaction transaction)
    {
        if (!commands.TryGetValue(text, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = text;
            // Explicitly: Microsoft.Data.Sqlite keeps a statement prepared on first use only when that use read every
            // result, which a RETURNING insert read through ExecuteScalar does not.
            command.Prepare();
            commands[text] = command;
        }
        command.Transaction = transaction;
        return command;
    }

    private bool IsPlain(IEntityType type)
    {
        if (!plain.TryGetValue(type, out var ok))
        {
            ok = type.ClrType.Namespace == typeof(WorkflowInstance).Namespace
                && type.GetTableName() is not null
                && !type.IsOwned()
                && type.BaseType is null
                && !type.GetForeignKeys().Any()
                && !type.GetComplexProperties().Any()
                && type.FindPrimaryKey() is not null
                && type.GetProperties().All(p => p.GetComputedColumnSql() is null && p.GetDefaultValueSql() is null && !p.TryGetDefaultValue(out _));
            plain[type] = ok;
        }
        return ok;
    }

    public void Dispose()
    {
        foreach (var command in commands.Values) command.Dispose();
        commands.Clear();
    }
}
