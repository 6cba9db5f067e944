using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Remediation.Portal.Studio;
using Remediation.Workflows;
using Remediation.Workflows.Persistence;

/// <summary>
/// The admins' instance search (/Admin/Instances) against many instances: seeds them with raw SQL (three processes, three
/// versions each, 5 % running, 0.1 % with an open incident, one start every 30 s over a year), then times each kind of
/// search through <see cref="InstanceSearch.PageAsync"/> on the portal's SQLite set-up.
/// Usage: dotnet run -c Release --project tests/bench -- --instance-search [--instances 1000000] [--runs 200] [--folder DIR]
/// (a folder that already holds the instances is reused without seeding).
/// </summary>
internal static class InstanceSearchBench
{
    private static readonly string[] Processes = ["complaint-handling", "review-remediation", "payment"];
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task RunAsync(string[] args)
    {
        var instances = Arg(args, "--instances", 1_000_000);
        var runs = Arg(args, "--runs", 200);
        var folder = ArgText(args, "--folder") ?? Directory.CreateTempSubdirectory("remediation-search-").FullName;
        Directory.CreateDirectory(folder);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "search.db"), Pooling = true }.ToString();

        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
        services.AddRemediationSqlite(connectionString, 10_000);
        services.AddSingleton<IWorkflowDbContextFactory, RemediationWorkflowDbContextFactory>();
        services.AddWorkflowEngine(o => o.SerializeCommits = true);
        var hangfire = new InMemoryStorage();
        services.AddSingleton<JobStorage>(hangfire);
        services.AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(hangfire));
        services.AddSingleton<IRecurringJobManager>(new RecurringJobManager(hangfire));
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateRemediationDatabaseAsync();

        await using (var scope = provider.CreateAsyncScope())
        {
            var existing = await scope.ServiceProvider.GetRequiredService<RemediationDbContext>().Set<WorkflowInstance>().CountAsync();
            Console.WriteLine($"database {folder}/search.db: {existing:N0} instances");
            if (existing < instances) Seed(connectionString, existing, instances);
        }

        var searches = new (string Name, InstanceFilter Filter, int Page)[]
        {
            ("all, page 1", new(), 1),
            ("all, page 200 (keyset)", new(), 200),
            ("process", new() { Process = "complaint-handling" }, 1),
            ("process + version", new() { Process = "complaint-handling", Version = 2 }, 1),
            ("process, page 50", new() { Process = "complaint-handling" }, 50),
            ("running", new() { Status = InstanceStatus.Running }, 1),
            ("running + process", new() { Status = InstanceStatus.Running, Process = "payment" }, 1),
            ("completed + process + version", new() { Status = InstanceStatus.Completed, Process = "payment", Version = 3 }, 1),
            ("with incidents", new() { Incidents = IncidentFilter.With }, 1),
            ("business key", new() { BusinessKey = $"K-{instances / 2}" }, 1),
            ("one month", new() { From = new DateOnly(2025, 6, 1), To = new DateOnly(2025, 6, 30) }, 1),
            ("process + one week + incidents", new() { Process = "review-remediation", From = new DateOnly(2025, 3, 1), To = new DateOnly(2025, 3, 7), Incidents = IncidentFilter.With }, 1),
        };
        Console.WriteLine($"{"search",-34} {"rows",5} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
        foreach (var (name, filter, page) in searches)
        {
            var timings = new List<double>();
            var rows = 0;
            for (var run = -5; run < runs; run++) // five warm-up runs
            {
                // The cursor of the wanted page is fetched outside the measurement: the user clicked "Next" to get there.
                string? cursor = null;
                await using (var scope = provider.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
                    for (var p = 1; p < page; p++) cursor = (await InstanceSearch.PageAsync(db, filter, cursor, CancellationToken.None)).Next;
                }
                await using (var scope = provider.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
                    var watch = Stopwatch.StartNew();
                    var result = await InstanceSearch.PageAsync(db, filter, cursor, CancellationToken.None);
                    if (run >= 0) timings.Add(watch.Elapsed.TotalMilliseconds);
                    rows = result.Rows.Count;
                }
                if (page > 20 && run >= 20) break; // deep pages cost their cursors; 20 runs suffice
            }
            timings.Sort();
            Console.WriteLine($"{name,-34} {rows,5} {Percentile(timings, 0.50),8:F2} {Percentile(timings, 0.95),8:F2} {timings[^1],8:F2}");
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Seed(string connectionString, int from, int count)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }
        var definitions = new Dictionary<(string, int), string>();
        using (var tx = connection.BeginTransaction())
        using (var definition = connection.CreateCommand())
        {
            definition.Transaction = tx;
            definition.CommandText = """
                INSERT OR IGNORE INTO WfDefinitions (Id, ProcessId, Name, Version, Status, Xml, Hash, CreatedAt, PublishedAt)
                VALUES ($id, $process, $process, $version, 'Published', '<seed/>', $hash, '2025-01-01 00:00:00', '2025-01-01 00:00:00')
                """;
            foreach (var process in Processes)
                for (var version = 1; version <= 3; version++)
                {
                    var id = Guid.CreateVersion7().ToString().ToUpperInvariant();
                    definitions[(process, version)] = id;
                    definition.Parameters.Clear();
                    definition.Parameters.AddWithValue("$id", id);
                    definition.Parameters.AddWithValue("$process", process);
                    definition.Parameters.AddWithValue("$version", version);
                    definition.Parameters.AddWithValue("$hash", $"{process}-{version}");
                    definition.ExecuteNonQuery();
                }
            tx.Commit();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO WfInstances (Id, DefinitionId, ProcessId, DefinitionVersion, Status, BusinessKey, CorrelationKey, StateJson, Version, OpenIncidents, CreatedAt, EndedAt)
            VALUES ($id, $def, $process, $version, $status, $key, $key, '{"Tokens":[],"Variables":{}}', 5, $incidents, $created, $ended)
            """;
        foreach (var name in new[] { "$id", "$def", "$process", "$version", "$status", "$key", "$incidents", "$created", "$ended" }) insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        var random = new Random(42);
        for (var done = from; done < count;)
        {
            using var tx = connection.BeginTransaction();
            insert.Transaction = tx;
            for (var i = 0; i < 50_000 && done < count; i++, done++)
            {
                var process = Processes[done % 3];
                var version = 1 + done / 7 % 3;
                var running = done % 20 == 0;
                var created = T0.AddSeconds(done * 30.0).AddMilliseconds(random.Next(0, 30_000));
                insert.Parameters["$id"].Value = Guid.NewGuid().ToString().ToUpperInvariant();
                insert.Parameters["$def"].Value = definitions.TryGetValue((process, version), out var def) ? def : Guid.Empty.ToString();
                insert.Parameters["$process"].Value = process;
                insert.Parameters["$version"].Value = version;
                insert.Parameters["$status"].Value = running ? "Running" : "Completed";
                insert.Parameters["$key"].Value = $"K-{done}";
                insert.Parameters["$incidents"].Value = done % 1000 == 0 ? 1 : 0;
                insert.Parameters["$created"].Value = Stamp(created);
                insert.Parameters["$ended"].Value = running ? DBNull.Value : Stamp(created.AddHours(6));
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        Console.WriteLine($"seeded {count - from:N0} instances in {watch.Elapsed.TotalSeconds:F1} s");
    }

    // As EF Core's SQLite provider writes a DateTime.
    private static string Stamp(DateTime value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static int Arg(string[] args, string name, int fallback) => ArgText(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    private static string? ArgText(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
