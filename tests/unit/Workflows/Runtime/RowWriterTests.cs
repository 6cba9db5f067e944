using Xunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Portal.Data;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;
using Remediation.Workflows.Runtime;

namespace Remediation.UnitTests.Workflows.Runtime;

/// <summary>
/// The commit writer's own write path must store exactly what EF Core's SaveChanges stores: the portal and every
/// query read these rows through EF, so a different Guid, date or enum encoding would silently break look-ups.
/// </summary>
public sealed class RowWriterTests : IAsyncLifetime
{
    private static readonly DateTime At = new(2026, 11, 24, 9, 30, 15, 123, DateTimeKind.Utc);
    private readonly WorkflowTestHost host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Insert_StoresEveryColumnAsSaveChangesDoes_AndReadsBackTheGeneratedKey()
    {
        // Given the same rows, one set saved by EF Core,
        var (efInstance, efItem, efJournal) = Rows(Guid.CreateVersion7(), Guid.CreateVersion7());
        var (rwInstance, rwItem, rwJournal) = Rows(Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var db = Create())
        {
            db.AddRange(efInstance, efItem, efJournal);
            await db.SaveChangesAsync();
        }

        // When the row writer inserts the second set,
        bool written;
        await using (var db = Create())
        {
            db.AddRange(rwInstance, rwItem, rwJournal);
            written = await WriteAsync(db);
        }

        // Then every column is stored with the same type and text, apart from the keys, and the journal row got its id.
        Assert.True(written);
        Assert.True(rwJournal.Id > efJournal.Id);
        Assert.Equal(await StoredAsync("WfInstances", efInstance.Id), await StoredAsync("WfInstances", rwInstance.Id));
        Assert.Equal(await StoredAsync("WfWorkItems", efItem.Id), await StoredAsync("WfWorkItems", rwItem.Id));
        var item = await host.QueryAsync(db => db.Set<WorkItem>().SingleAsync(w => w.Id == rwItem.Id && w.Status == WorkItemStatus.Open && w.DueAt == At));
        Assert.Equal(rwInstance.Id, item.InstanceId);
    }

    [Fact]
    public async Task Update_WithAStaleConcurrencyToken_ThrowsConcurrency_AndChangesNothing()
    {
        // Given a command has read an instance at version 1,
        var (instance, _, _) = Rows(Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var db = Create())
        {
            db.Add(instance);
            await db.SaveChangesAsync();
        }
        await using var stale = Create();
        var loaded = await stale.Set<WorkflowInstance>().SingleAsync(i => i.Id == instance.Id);

        // When another command moves it to version 2 first, and the first then writes its change,
        await host.QueryAsync(db => db.Set<WorkflowInstance>().Where(i => i.Id == instance.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Version, 2)));
        loaded.Version++;
        loaded.StateJson = "{\"changed\":true}";

        // Then it is refused as a conflict and the row keeps its state.
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => WriteAsync(stale));
        Assert.Equal("{}", await host.QueryAsync(db => db.Set<WorkflowInstance>().Where(i => i.Id == instance.Id).Select(i => i.StateJson).SingleAsync()));
    }

    [Fact]
    public async Task Insert_OfADuplicateKey_ThrowsDbUpdateException()
    {
        var command = new ProcessedCommand { CommandId = "cmd-1", At = At };
        await using (var db = Create())
        {
            db.Add(command);
            await db.SaveChangesAsync();
        }
        await using var again = Create();
        again.Add(new ProcessedCommand { CommandId = "cmd-1", At = At });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => WriteAsync(again));
        Assert.Contains("ProcessedCommand", error.Message);
    }

    [Fact]
    public async Task TryWrite_LeavesAChangeSetWithAPortalRow_ToSaveChanges_AndWritesNothing()
    {
        var (instance, _, _) = Rows(Guid.CreateVersion7(), Guid.CreateVersion7());
        await using var db = Create();
        db.AddRange(instance, new AuditEntry { OccurredAtUtc = At, Event = AuditEvents.UserChanged, UserName = "admin" });

        Assert.False(await WriteAsync(db));
        Assert.False(await host.QueryAsync(q => q.Set<WorkflowInstance>().AnyAsync(i => i.Id == instance.Id)));
    }

    private DbContext Create() => host.Services.GetRequiredService<IWorkflowDbContextFactory>().Create();

    private static async Task<bool> WriteAsync(DbContext db)
    {
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        using var writer = new RowWriter(db.Database.GetDbConnection());
        var written = writer.TryWrite(db, transaction.GetDbTransaction());
        await transaction.CommitAsync();
        return written;
    }

    // Every non-key column as SQLite stores it: its storage class and its literal.
    private async Task<List<string>> StoredAsync(string table, Guid id) => await host.QueryAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var columns = connection.CreateCommand();
        columns.CommandText = $"SELECT name FROM pragma_table_info('{table}') WHERE pk = 0 ORDER BY cid";
        var names = new List<string>();
        await using (var reader = await columns.ExecuteReaderAsync())
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        await using var row = connection.CreateCommand();
        row.CommandText = $"SELECT {string.Join(", ", names.Select(n => $"typeof(\"{n}\") || ':' || quote(\"{n}\")"))} FROM \"{table}\" WHERE upper(Id) = upper(@id)";
        var parameter = row.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id.ToString();
        row.Parameters.Add(parameter);
        await using var values = await row.ExecuteReaderAsync();
        Assert.True(await values.ReadAsync(), $"no {table} row {id}");
        return names.Select((n, i) => n is "InstanceId" ? n : $"{n}={values.GetString(i)}").ToList();
    });

    private static (WorkflowInstance, WorkItem, JournalEntry) Rows(Guid instanceId, Guid itemId) => (
        new WorkflowInstance
        {
            Id = instanceId, DefinitionId = Guid.Parse("01a20f00-0000-7000-8000-000000000001"), ProcessId = "complaint", DefinitionVersion = 3,
            Status = InstanceStatus.Running, BusinessKey = "C-2026-000123", StateJson = "{}", Version = 1, CreatedAt = At,
        },
        new WorkItem
        {
            Id = itemId, InstanceId = instanceId, TokenId = "t1", ElementId = "Vent", Name = "Let the customer vent",
            FormKey = "complaint-review", CandidateRoles = "Handler", DueAt = At, Status = WorkItemStatus.Open, CreatedAt = At, BusinessKey = "C-2026-000123",
        },
        new JournalEntry { InstanceId = instanceId, ElementId = "Vent", Kind = JournalKind.Entered, UserId = "alice", At = At, VariablesJson = "{\"a\":1}" });
}
