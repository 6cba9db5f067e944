using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Remediation.Portal.Data;

/// <summary>
/// Domain, engine and Identity tables in one database, so an engine command and the
/// domain change it causes commit in one transaction. Provider-specific subclasses carry
/// their own migrations; never instantiate this type directly.
/// </summary>
public abstract class RemediationDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(RemediationDbContext).Assembly);
        builder.ApplyConfigurationsFromAssembly(typeof(Remediation.Workflows.WorkflowsAssembly).Assembly);
        builder.Entity<Remediation.Domain.Complaints.Complaint>().Property<string>(Configurations.ComplaintConfiguration.PhoneLast4)
            .HasComputedColumnSql(PhoneLast4Sql, stored: false);
    }

    /// <summary>The provider's SQL for the last four characters of <c>ContactPhone</c> (digits only, see PhoneNumber).</summary>
    protected abstract string PhoneLast4Sql { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money is decimal(18,2) everywhere unless a configuration says otherwise.
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
    }
}

/// <summary>The embedded default: a SQLite file in the data folder.</summary>
public sealed class SqliteRemediationDbContext(DbContextOptions<SqliteRemediationDbContext> options) : RemediationDbContext(options)
{
    protected override string PhoneLast4Sql => "substr(\"ContactPhone\", -4)";
}

/// <summary>Production: SQL Server.</summary>
public sealed class SqlServerRemediationDbContext(DbContextOptions<SqlServerRemediationDbContext> options) : RemediationDbContext(options)
{
    protected override string PhoneLast4Sql => "RIGHT([ContactPhone], 4)";
}
