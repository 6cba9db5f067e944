using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Remediation.Portal.Data;
using Xunit;

namespace Remediation.UnitTests.Portal.Data;

/// <summary>The two providers must describe the same database, or a feature tested on SQLite breaks on SQL Server.</summary>
public sealed class ProviderModelsTests
{
    [Fact]
    public void SqliteAndSqlServerModels_HoldTheSameEntityTypes()
    {
        var (sqlite, sqlServer) = Models();
        Assert.Equal(
            sqlite.GetEntityTypes().Select(e => e.Name).Order(),
            sqlServer.GetEntityTypes().Select(e => e.Name).Order());
    }

    [Fact]
    public void SqliteAndSqlServerModels_MapTheSameTablesAndColumns()
    {
        var (sqlite, sqlServer) = Models();
        Assert.Equal(Columns(sqlite), Columns(sqlServer));
    }

    private static (IModel Sqlite, IModel SqlServer) Models()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var sqlServer = new SqlServerDesignTimeFactory().CreateDbContext([]);
        return (sqlite.GetService<IDesignTimeModel>().Model, sqlServer.GetService<IDesignTimeModel>().Model);
    }

    private static List<string> Columns(IModel model) =>
    [
        .. from entity in model.GetEntityTypes()
           let table = entity.GetTableName()
           where table is not null
           let store = StoreObjectIdentifier.Table(table, entity.GetSchema())
           from property in entity.GetProperties()
           select $"{table}.{property.GetColumnName(store)}"
    ];
}
