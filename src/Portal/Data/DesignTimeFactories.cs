using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Remediation.Portal.Data;

/// <summary>Used by <c>dotnet ef</c> only: migrations for the SQLite context.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRemediationDbContext>
{
    public SqliteRemediationDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRemediationDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(SqliteDesignTimeFactory).Assembly.GetName().Name))
            .Options);
}

/// <summary>Used by <c>dotnet ef</c> only: migrations and the idempotent script for SQL Server.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerRemediationDbContext>
{
    public SqlServerRemediationDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerRemediationDbContext>()
            .UseSqlServer("Server=(design-time);Database=Remediation;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);
}
