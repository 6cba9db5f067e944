using System.Diagnostics;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remediation.Portal.Infrastructure;
using Remediation.Workflows;

// Engine throughput on SQLite (WAL, synchronous=FULL): N instances of a six-user-task process completed by K workers,
// compared with the raw rate of a 3-insert transaction on the same file.
// --scenario approval: N instances of a sub-process holding a parallel multi-instance approval by 5 approvers; each of the
// K workers takes an instance and its 5 approvers complete their tasks at the same moment (so they race on the instance).
// Usage: dotnet run -c Release --project tests/bench -- [--scenario six-tasks|approval] [--n 1000] [--k 4] [--warmup 300] [--seed 0] [--raw 2000] [--folder DIR]
// With --instance-search: the admins' instance search instead (InstanceSearchBench.cs).
if (args.Contains("--instance-search"))
{
    await InstanceSearchBench.RunAsync(args);
    return;
}
var scenario = ArgText("--scenario") ?? "six-tasks";
if (scenario is not ("six-tasks" or "approval")) throw new ArgumentException("--scenario is six-tasks or approval");
var approval = scenario == "approval";
var processId = approval ? "bench-approval" : "bench-six-tasks";
var n = Arg("--n", 1000);
var k = Arg("--k", 4);
var seed = Arg("--seed", 0);
var rawCount = Arg("--raw", 2000);
var folder = ArgText("--folder") ?? Directory.CreateTempSubdirectory("remediation-bench-").FullName;
Directory.CreateDirectory(folder);
var dbPath = Path.Combine(folder, "bench.db");
var connectionString = new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = true }.ToString();
Console.WriteLine(approval
    ? $"database {dbPath}; scenario approval: N={n} instances x 5 parallel approvals in a sub-process, K={k} workers, seed={seed:N0} finished instances"
    : $"database {dbPath}; N={n} instances x 6 tasks, K={k} workers, seed={seed:N0} finished instances");

var services = new ServiceCollection();
services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
// The portal's SQLite set-up and engine context factory (pooled contexts; commands read on lent open connections that
// keep their prepared statements).
services.AddRemediationSqlite(connectionString, 10_000);
services.AddSingleton<IWorkflowDbContextFactory, RemediationWorkflowDbContextFactory>();
services.AddWorkflowEngine(o => o.SerializeCommits = true);
var hangfire = new InMemoryStorage(); // as the portal on SQLite
services.AddSingleton<JobStorage>(hangfire);
services.AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(hangfire));
services.AddSingleton<IRecurringJobManager>(new RecurringJobManager(hangfire));
await using var provider = services.BuildServiceProvider();

await provider.MigrateRemediationDatabaseAsync();
await provider.GetRequiredService<SqliteCheckpointer>().StartAsync(CancellationToken.None); // a hosted service in the portal

var definitions = provider.GetRequiredService<IWorkflowDefinitions>();
var runtime = provider.GetRequiredService<IWorkflowRuntime>();
await definitions.SaveDraftAsync(approval ? Approval() : SixTasks());
var published = await definitions.PublishAsync(processId);
if (!published.IsOk) throw new InvalidOperationException(string.Join("; ", published.Problems));

if (seed > 0) Seed(connectionString, published.Value!.Id, seed);

// Warm up outside the measurement: JIT tiering, EF's model and query caches, the context pool. With 20 instances the
// measured run still paid for tier-0 code (about 1.7x the CPU per completion of a warmed-up process).
await RunAsync(Arg("--warmup", 300), k, measure: false);
var result = await RunAsync(n, k, measure: true);
var raw = RawRate(connectionString, rawCount, provider.GetRequiredService<SqlitePragmas>());

Console.WriteLine($"completions        {result.Completions:N0} in {result.Elapsed.TotalSeconds:F2} s");
if (approval) Console.WriteLine($"instances/s        {n / result.Elapsed.TotalSeconds:F0}");
Console.WriteLine($"completions/s      {result.Completions / result.Elapsed.TotalSeconds:F0}");
Console.WriteLine($"complete p50       {result.P50:F2} ms");
Console.WriteLine($"complete p95       {result.P95:F2} ms");
Console.WriteLine($"start p50          {result.StartP50:F2} ms");
// Process CPU (all threads) per completion, including the worker's task query: comparable between runs on a busy machine.
Console.WriteLine($"cpu / completion   {result.CpuMs:F2} ms");
Console.WriteLine($"raw 3-insert tx/s  {raw:F0}");
Console.WriteLine($"ratio              {result.Completions / result.Elapsed.TotalSeconds / raw:F2}");
return;

async Task<(int Completions, TimeSpan Elapsed, double P50, double P95, double StartP50, double CpuMs)> RunAsync(int instances, int workers, bool measure)
{
    var starts = new List<double>();
    var ids = new System.Collections.Concurrent.ConcurrentQueue<Guid>();
    for (var i = 0; i < instances; i++)
    {
        var watch = Stopwatch.StartNew();
        var started = await runtime.StartAsync(new StartProcess(processId, $"bench-{Guid.NewGuid():N}", approval ? ApprovalVariables() : null));
        if (!started.IsOk) throw new InvalidOperationException($"{started.Outcome}: {started.Message}");
        starts.Add(watch.Elapsed.TotalMilliseconds);
        ids.Enqueue(started.Value);
    }

    var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    var user = new WorkflowUser("bench", ["Handler"]);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var total = Stopwatch.StartNew();
    async Task CompleteAsync(Guid taskId, WorkflowUser by, int step)
    {
        var watch = Stopwatch.StartNew();
        var done = await runtime.CompleteTaskAsync(new CompleteTask(taskId, by, new Dictionary<string, object?> { ["step"] = step }, Guid.NewGuid().ToString()));
        latencies.Add(watch.Elapsed.TotalMilliseconds);
        if (!done.IsOk) throw new InvalidOperationException($"{done.Outcome}: {done.Message}");
    }

    await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        while (ids.TryDequeue(out var id))
            if (approval)
            {
                // The five approvers of one instance complete at the same moment.
                var open = await runtime.GetTasksOfInstanceAsync(id);
                if (open.Count != 5) throw new InvalidOperationException($"expected 5 approvals, found {open.Count}");
                await Task.WhenAll(open.Select((t, i) => CompleteAsync(t.Id, new WorkflowUser(t.Assignee!, []), i)));
                if ((await runtime.GetInstanceAsync(id))!.Status != Remediation.Workflows.Persistence.InstanceStatus.Completed)
                    throw new InvalidOperationException("the approval round did not complete the instance");
            }
            else
                for (var step = 0; step < 6; step++)
                {
                    var task = (await runtime.GetTasksOfInstanceAsync(id)).Single(t => t.Status == Remediation.Workflows.Persistence.WorkItemStatus.Open);
                    await CompleteAsync(task.Id, user, step);
                }
    })));
    total.Stop();
    var cpuPerCompletion = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, latencies.Count);
    var sorted = latencies.Order().ToArray();
    starts.Sort();
    return (sorted.Length, total.Elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile([.. starts], 0.50), cpuPerCompletion);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

// The floor: what SQLite itself does per second with a 3-insert transaction under the same pragmas (the portal's, with
// the background checkpoint still running).
static double RawRate(string connectionString, int count, SqlitePragmas pragmas)
{
    using var connection = new SqliteConnection(connectionString);
    connection.Open();
    pragmas.Apply(connection);
    Exec(connection, "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, a TEXT, b TEXT);");
    using var insert = connection.CreateCommand();
    insert.CommandText = "INSERT INTO bench_raw (a, b) VALUES ($a, $b)";
    var a = insert.Parameters.Add("$a", SqliteType.Text);
    var b = insert.Parameters.Add("$b", SqliteType.Text);
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        using var tx = connection.BeginTransaction();
        insert.Transaction = tx;
        for (var j = 0; j < 3; j++)
        {
            a.Value = Guid.NewGuid().ToString();
            b.Value = "payload-" + i;
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }
    return count / watch.Elapsed.TotalSeconds;
}

// Finished history, inserted with raw SQL in large transactions: completed instances, their six completed work items and journal rows.
static void Seed(string connectionString, Guid definitionId, int count)
{
    var watch = Stopwatch.StartNew();
    using var connection = new SqliteConnection(connectionString);
    connection.Open();
    Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
    using var instance = connection.CreateCommand();
    instance.CommandText = """
        INSERT INTO WfInstances (Id, DefinitionId, ProcessId, DefinitionVersion, Status, BusinessKey, CorrelationKey, StateJson, Version, OpenIncidents, CreatedAt, EndedAt)
        VALUES ($id, $def, 'bench-six-tasks', 1, 'Completed', $key, $key, '{"Tokens":[],"Variables":{}}', 13, 0, '2025-01-01 00:00:00', '2025-01-02 00:00:00')
        """;
    using var item = connection.CreateCommand();
    item.CommandText = """
        INSERT INTO WfWorkItems (Id, InstanceId, TokenId, ElementId, Name, CandidateRoles, CandidateUsers, Status, CreatedAt, CompletedBy, CompletedAt, Assignee, BusinessKey)
        VALUES ($id, $instance, 'seed', $element, $element, '|Handler|', '', 'Completed', '2025-01-01 00:00:00', 'seed', '2025-01-01 01:00:00', 'seed', $key)
        """;
    using var journal = connection.CreateCommand();
    journal.CommandText = "INSERT INTO WfJournal (InstanceId, ElementId, Kind, UserId, At) VALUES ($instance, $element, 'Completed', 'seed', '2025-01-01 01:00:00')";
    var def = definitionId.ToString().ToUpperInvariant();
    var p = (instance: instance.Parameters, item: item.Parameters, journal: journal.Parameters);
    p.instance.Add("$id", SqliteType.Text); p.instance.AddWithValue("$def", def); p.instance.Add("$key", SqliteType.Text);
    p.item.Add("$id", SqliteType.Text); p.item.Add("$instance", SqliteType.Text); p.item.Add("$element", SqliteType.Text); p.item.Add("$key", SqliteType.Text);
    p.journal.Add("$instance", SqliteType.Text); p.journal.Add("$element", SqliteType.Text);
    for (var done = 0; done < count;)
    {
        using var tx = connection.BeginTransaction();
        instance.Transaction = item.Transaction = journal.Transaction = tx;
        for (var i = 0; i < 50_000 && done < count; i++, done++)
        {
            var id = Guid.CreateVersion7().ToString().ToUpperInvariant();
            var key = "seed-" + done;
            p.instance["$id"].Value = id; p.instance["$key"].Value = key;
            instance.ExecuteNonQuery();
            for (var t = 1; t <= 6; t++)
            {
                p.item["$id"].Value = Guid.CreateVersion7().ToString().ToUpperInvariant();
                p.item["$instance"].Value = id; p.item["$element"].Value = "Task" + t; p.item["$key"].Value = key;
                item.ExecuteNonQuery();
                p.journal["$instance"].Value = id; p.journal["$element"].Value = "Task" + t;
                journal.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }
    Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    Console.WriteLine($"seeded {count:N0} finished instances ({count * 13:N0} rows) in {watch.Elapsed.TotalSeconds:F1} s");
}

static void Exec(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static string Approval() => """
    <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="bench">
      <bpmn:process id="bench-approval" isExecutable="true">
        <bpmn:startEvent id="Start" /><bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Round" />
        <bpmn:subProcess id="Round">
          <bpmn:startEvent id="RoundStart" /><bpmn:sequenceFlow id="R0" sourceRef="RoundStart" targetRef="Approve" />
          <bpmn:userTask id="Approve" name="Approve" camunda:assignee="${approver}">
            <bpmn:multiInstanceLoopCharacteristics camunda:collection="${approvers}" camunda:elementVariable="approver" />
          </bpmn:userTask>
          <bpmn:sequenceFlow id="R1" sourceRef="Approve" targetRef="RoundEnd" /><bpmn:endEvent id="RoundEnd" />
        </bpmn:subProcess>
        <bpmn:sequenceFlow id="F1" sourceRef="Round" targetRef="End" />
        <bpmn:endEvent id="End" />
      </bpmn:process>
    </bpmn:definitions>
    """;

static string SixTasks()
{
    var tasks = string.Concat(Enumerable.Range(1, 6).Select(i =>
        $"""<bpmn:userTask id="Task{i}" name="Step {i}" camunda:candidateGroups="Handler" /><bpmn:sequenceFlow id="F{i}" sourceRef="Task{i}" targetRef="{(i == 6 ? "End" : $"Task{i + 1}")}" />"""));
    return $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="bench">
          <bpmn:process id="bench-six-tasks" isExecutable="true">
            <bpmn:startEvent id="Start" /><bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Task1" />
            {tasks}
            <bpmn:endEvent id="End" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}

static IReadOnlyDictionary<string, object?> ApprovalVariables() => new Dictionary<string, object?> { ["approvers"] = new[] { "ann", "ben", "cleo", "dan", "eve" } };

int Arg(string name, int fallback) => ArgText(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
string? ArgText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
