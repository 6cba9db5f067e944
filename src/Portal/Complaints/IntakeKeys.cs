using Remediation.Workflows;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Complaints;
using Remediation.Portal.Data;

namespace Remediation.Portal.Complaints;

/// <summary>
/// The last complaint sequence issued in a year. References are allocated from this row with one atomic statement,
/// so concurrent intakes (threads or portal processes) never get the same number.
/// </summary>
public sealed class ComplaintReferenceCounter
{
    public int Year { get; set; }
    public int LastSequence { get; set; }
}

/// <summary>
/// The latest complaint received for one phone and order (<see cref="IntakeDuplicateKey.For"/>). Its primary key is what
/// makes duplicate detection atomic: two intakes of the same phone and order cannot both insert it, and one that moves
/// it to a newer complaint is guarded by <see cref="ComplaintId"/> (a concurrency token).
/// </summary>
public sealed class IntakeDuplicateKey
{
    public string Key { get; set; } = "";
    public Guid ComplaintId { get; set; }
    public string Reference { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Null when the intake names no order (such intakes are never duplicates).</summary>
    public static string? For(PhoneNumber phone, string? orderReference) =>
        string.IsNullOrWhiteSpace(orderReference) ? null : $"{phone.Value}|{orderReference.Trim()}";
}

/// <summary>Allocates complaint references from <see cref="ComplaintReferenceCounter"/>.</summary>
public static class ComplaintReferences
{
    /// <summary>
    /// The next reference of <paramref name="now"/>'s year, in its own short transaction. The statement also takes the
    /// highest reference already stored that year into account, so rows written without the counter (the sample seeder,
    /// data from before the counter) are never reissued. A reference whose intake then fails is not reused (a gap).
    /// </summary>
    public static async Task<ComplaintReference> NextAsync(RemediationDbContext db, IWriteGate writer, DateTimeOffset now, CancellationToken ct)
    {
        var year = now.UtcDateTime.Year;
        var prefix = $"C-{year:D4}-";
        var upper = $"C-{year + 1:D4}-";
        // Both statements are one atomic upsert: SQLite's ON CONFLICT takes the write lock, SQL Server's MERGE holds
        // a key-range lock (HOLDLOCK) so two processes cannot both insert the year's row.
        FormattableString sql = db.Database.IsSqlServer()
            ? (FormattableString)$"""
               MERGE [ComplaintReferenceCounters] WITH (HOLDLOCK) AS t
               USING (SELECT {year} AS [Year], COALESCE((SELECT CAST(RIGHT(MAX([Reference]), 6) AS int) FROM [Complaints] WHERE [Reference] >= {prefix} AND [Reference] < {upper}), 0) AS [Stored]) AS s
               ON t.[Year] = s.[Year]
               WHEN MATCHED THEN UPDATE SET [LastSequence] = (CASE WHEN t.[LastSequence] > s.[Stored] THEN t.[LastSequence] ELSE s.[Stored] END) + 1
               WHEN NOT MATCHED THEN INSERT ([Year], [LastSequence]) VALUES (s.[Year], s.[Stored] + 1)
               OUTPUT inserted.[LastSequence] AS [Value];
               """
            : $"""
               INSERT INTO "ComplaintReferenceCounters" ("Year", "LastSequence")
               VALUES ({year}, COALESCE((SELECT CAST(substr(MAX("Reference"), 8) AS INTEGER) FROM "Complaints" WHERE "Reference" >= {prefix} AND "Reference" < {upper}), 0) + 1)
               ON CONFLICT ("Year") DO UPDATE SET "LastSequence" = MAX("LastSequence", COALESCE((SELECT CAST(substr(MAX("Reference"), 8) AS INTEGER) FROM "Complaints" WHERE "Reference" >= {prefix} AND "Reference" < {upper}), 0)) + 1
               RETURNING "LastSequence" AS "Value";
               """;
        var strategy = db.Database.CreateExecutionStrategy();
        var sequence = 0;
        // A write: on SQLite it takes its turn with the engine's writer (IWriteGate) instead of waiting on the file lock.
        await writer.RunAsync(async () => sequence = await strategy.ExecuteAsync(async () => (await db.Database.SqlQuery<int>(sql).ToListAsync(ct)).Single()), ct);
        if (sequence > ComplaintReference.MaxSequence)
            throw new DomainException(DomainRules.OutOfRange, DomainMessages.ReferencesExhausted, ComplaintReference.MaxSequence, year);
        return new ComplaintReference(year, sequence);
    }
}
