using System.Data.Common;
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
    private readonly Dictionary<(IEntityType Type, EntityState State, ulong Columns), Statement> statements = [];

    /// <summary>
    /// One row shape's SQL (also the key of its prepared command) and the properties bound in order: from
    /// <see cref="OriginalFrom"/> on with the values the command read; <see cref="Returning"/> is a generated key read back.
    /// </summary>
    private sealed record Statement(string Sql, IProperty[] Parameters, int OriginalFrom, IProperty? Returning);

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
                Write(entry, sql, transaction);
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

    private void Write(EntityEntry entry, ISqlGenerationHelper sql, DbTransaction transaction)
    {
        if (StatementFor(entry, sql) is not { } statement) return; // an update that changes no column
        var command = Command(statement.Sql, transaction);
        for (var i = 0; i < statement.Parameters.Length; i++)
        {
            var value = entry.Property(statement.Parameters[i]);
            Bind(command, i, statement.Parameters[i], i < statement.OriginalFrom ? value.CurrentValue : value.OriginalValue);
        }
        if (statement.Returning is { } key) entry.Property(key).CurrentValue = Convert.ChangeType(command.ExecuteScalar(), key.ClrType);
        else if (entry.State == EntityState.Added) command.ExecuteNonQuery();
        else Expect(command.ExecuteNonQuery(), entry);
    }

    /// <summary>
    /// The statement for this row's shape (its type, state and the columns it writes), built once: the writer is the
    /// serial step of every command, so the SQL text is not rebuilt per row.
    /// </summary>
    private Statement? StatementFor(EntityEntry entry, ISqlGenerationHelper sql)
    {
        var type = entry.Metadata;
        var state = entry.State;
        ulong columns = 0;
        var index = 0;
        foreach (var property in type.GetProperties())
        {
            var written = state switch
            {
                EntityState.Added => !(property.IsPrimaryKey() && entry.Property(property).IsTemporary),
                EntityState.Modified => !property.IsPrimaryKey() && entry.Property(property).IsModified,
                _ => false,
            };
            if (written) columns |= 1UL << index;
            index++;
        }
        if (state == EntityState.Modified && columns == 0) return null;
        if (!statements.TryGetValue((type, state, columns), out var statement))
            statements[(type, state, columns)] = statement = Build(type, state, columns, sql);
        return statement;
    }

    private static Statement Build(IEntityType type, EntityState state, ulong columns, ISqlGenerationHelper sql)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName(table)!);
        var all = type.GetProperties().ToList();
        IProperty[] written = [.. all.Where((_, i) => (columns & 1UL << i) != 0)];
        if (state == EntityState.Added)
        {
            // A key the database generates (the journal's) is left out and read back.
            var returning = type.FindPrimaryKey()!.Properties.SingleOrDefault(p => !written.Contains(p));
            var insert = $"INSERT INTO {tableName} ({string.Join(", ", written.Select(Column))}) VALUES ({string.Join(", ", written.Select((_, i) => "@p" + i))})"
                + (returning is null ? "" : $" RETURNING {Column(returning)}");
            return new(insert, written, written.Length, returning);
        }
        // The key, then any concurrency token, compared with the values the command read.
        IProperty[] where = [.. type.FindPrimaryKey()!.Properties, .. all.Where(p => p.IsConcurrencyToken && !p.IsPrimaryKey())];
        var head = state == EntityState.Modified
            ? $"UPDATE {tableName} SET {string.Join(", ", written.Select((p, i) => $"{Column(p)} = @p{i}"))}"
            : $"DELETE FROM {tableName}";
        var condition = $" WHERE {string.Join(" AND ", where.Select((p, i) => $"{Column(p)} = @p{written.Length + i}"))}";
        return new(head + condition, [.. written, .. where], written.Length, null);
    }

    private static void Expect(int rows, EntityEntry entry)
    {
        if (rows != 1)
            throw new DbUpdateConcurrencyException(
                $"The {entry.Metadata.DisplayName()} row was changed or deleted by another command since it was read.");
    }

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
                && type.GetProperties().Count() <= 64 // a row shape is a bit per column
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
