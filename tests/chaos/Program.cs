using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Remediation.Chaos;

// Crash test (docs/crash-safety.md): the real portal process on 127.0.0.1, complaints whose Vent SLA timer falls due
// while the portal is killed with SIGKILL and restarted, then a check of the database.
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(ChaosOptions.Usage);
    return 2;
}

Directory.CreateDirectory(options.Folder);
Console.WriteLine($"Crash test: {options.Timers} complaints with a {options.Due.TotalSeconds:0} s Vent SLA, {options.Kills} kills; portal {options.PortalDll}; data {options.Folder}");
await using var portal = new PortalProcess(options);
var clock = Stopwatch.StartNew();

await portal.StartAsync();
using var http = await portal.SignInAsync();

// Intake: every complaint gets an acknowledgement (outbox) and then a Vent SLA timer.
var intakeStarted = DateTime.UtcNow;
var next = 0;
await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
{
    for (var i = Interlocked.Increment(ref next); i <= options.Timers; i = Interlocked.Increment(ref next))
        await IntakeAsync(http, i);
})));
Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {options.Timers} complaints taken in {(DateTime.UtcNow - intakeStarted).TotalSeconds:0.0} s");

// Kills spread over the window in which the timers fall due (first due a little after intake started).
var firstDue = intakeStarted + options.Due;
var window = DateTime.UtcNow + options.Due - firstDue + TimeSpan.FromSeconds(10);
var gap = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(3).Ticks, window.Ticks / options.Kills));
var random = new Random(options.Seed);
await Delay(firstDue - TimeSpan.FromSeconds(2) - DateTime.UtcNow);
for (var k = 1; k <= options.Kills; k++)
{
    await Delay(gap * (0.5 + random.NextDouble()));
    portal.Kill();
    Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] kill -9 #{k}");
    await Delay(TimeSpan.FromMilliseconds(random.Next(0, 2000)));
    await portal.StartAsync();
}

// Settle: every timer fired and every outbox entry done, or the deadline passed.
var deadline = DateTime.UtcNow + options.Due + TimeSpan.FromSeconds(60);
Report report;
while (true)
{
    report = Report.Read(options, portal.Starts);
    if (report.Settled || DateTime.UtcNow > deadline) break;
    await Task.Delay(1000);
}
portal.Kill();
report = Report.Read(options, portal.Starts, integrity: true);
report.Print(Console.Out);
Console.WriteLine($"Took {clock.Elapsed.TotalSeconds:0} s.");
return report.Passed ? 0 : 1;

async Task IntakeAsync(HttpClient client, int i)
{
    var body = new
    {
        contactName = $"Chaos customer {i}",
        phone = $"+86139{i:00000000}",
        orderReference = $"CHAOS-{i}",
        goods = "Kettle",
        channel = "Phone",
        category = "Delivery",
        severity = "Medium",
        account = "The parcel arrived late and the kettle was dented.",
        allowDuplicate = true,
    };
    for (var attempt = 1; ; attempt++)
    {
        using var response = await client.PostAsJsonAsync("/api/complaints", body);
        if (response.StatusCode == HttpStatusCode.Created) return;
        if (attempt == 5) throw new InvalidOperationException($"Intake {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await Task.Delay(200 * attempt);
    }
}

static Task Delay(TimeSpan t) => t > TimeSpan.Zero ? Task.Delay(t) : Task.CompletedTask;

namespace Remediation.Chaos
{
    internal sealed record ChaosOptions(int Timers, int Kills, TimeSpan Due, TimeSpan MaxLate, string PortalDll, string Folder, int Port, int Seed)
    {
        public const string Usage = """
            Usage: dotnet run -c Release --project tests/chaos -- [--short] [--timers N] [--kills K] [--due SECONDS]
                   [--max-late SECONDS] [--portal PATH/Remediation.Portal.dll] [--folder DIR] [--port PORT] [--seed N]
              --short      the CI form: 100 timers, 3 kills, 30 s SLA
              defaults     the long form: 400 timers, 10 kills, 60 s SLA; late limit 10 s
              --portal     the built portal (default: src/Portal/bin/Release/net10.0 of this repository)
            """;

        public string Database => Path.Combine(Folder, "remediation.db");

        public static ChaosOptions Parse(string[] args)
        {
            int timers = 400, kills = 10, due = 60, maxLate = 10, port = 5290, seed = 1;
            string? portal = null, folder = null;
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                int Number() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n : throw new ArgumentException($"{args[i - 1]} needs a positive whole number.");
                switch (args[i])
                {
                    case "--short": timers = 100; kills = 3; due = 30; break;
                    case "--timers": timers = Number(); break;
                    case "--kills": kills = Number(); break;
                    case "--due": due = Number(); break;
                    case "--max-late": maxLate = Number(); break;
                    case "--port": port = Number(); break;
                    case "--seed": seed = Number(); break;
                    case "--portal": portal = Value(); break;
                    case "--folder": folder = Value(); break;
                    default: throw new ArgumentException($"Unknown argument {args[i]}.");
                }
            }
            portal = Path.GetFullPath(portal ?? Path.Combine(RepositoryRoot(), "src", "Portal", "bin", "Release", "net10.0", "Remediation.Portal.dll"));
            if (!File.Exists(portal)) throw new ArgumentException($"{portal} does not exist: build the portal in Release first (dotnet build -c Release).");
            folder = Path.GetFullPath(folder ?? Directory.CreateTempSubdirectory("remediation-chaos-").FullName);
            return new(timers, kills, TimeSpan.FromSeconds(due), TimeSpan.FromSeconds(maxLate), portal, folder, port, seed);
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Remediation.sln"))) return dir.FullName;
            throw new ArgumentException("Run from inside the repository or pass --portal.");
        }
    }

    /// <summary>One start of the portal process: when it was launched, when /healthz first answered, when it was killed.</summary>
    internal sealed record Start(DateTime LaunchedAt, DateTime? ReadyAt, DateTime? KilledAt);

    /// <summary>The real portal as a child process (`dotnet Remediation.Portal.dll`), killed with SIGKILL.</summary>
    internal sealed partial class PortalProcess(ChaosOptions options) : IAsyncDisposable
    {
        private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
        private Process? process;
        public List<Start> Starts { get; } = [];
        private Uri BaseAddress => new($"http://127.0.0.1:{options.Port}");

        public async Task StartAsync()
        {
            var info = new ProcessStartInfo("dotnet", [options.PortalDll])
            {
                WorkingDirectory = Path.GetDirectoryName(options.PortalDll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var sla = options.Due.ToString("c", CultureInfo.InvariantCulture);
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
                ["Database__DataFolder"] = options.Folder,
                ["Seed__SampleCases"] = "0",
                ["Logging__LogLevel__Default"] = "Warning",
                ["ServiceLevels__Standard__Vent"] = sla,
                ["ServiceLevels__Vip__Silver__Vent"] = sla,
                ["ServiceLevels__Vip__Gold__Vent"] = sla,
                ["ServiceLevels__Vip__Diamond__Vent"] = sla,
            }) info.Environment[key] = value;

            var launchedAt = DateTime.UtcNow;
            process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
            var log = File.AppendText(Path.Combine(options.Folder, $"portal-{Starts.Count + 1}.log"));
            log.AutoFlush = true;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            DateTime? readyAt = null;
            while (readyAt is null && DateTime.UtcNow - launchedAt < StartLimit && !process.HasExited)
            {
                try
                {
                    using var health = await probe.GetAsync("/healthz");
                    if (health.IsSuccessStatusCode) readyAt = DateTime.UtcNow;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                if (readyAt is null) await Task.Delay(100);
            }
            Starts.Add(new(launchedAt, readyAt, null));
            if (readyAt is null)
                throw new InvalidOperationException($"Start {Starts.Count} did not answer /healthz within {StartLimit.TotalSeconds:0} s (exited: {process.HasExited}); see portal-{Starts.Count}.log.");
        }

        public void Kill()
        {
            if (process is null || process.HasExited) return;
            process.Kill(entireProcessTree: false); // SIGKILL on Linux
            process.WaitForExit();
            Starts[^1] = Starts[^1] with { KilledAt = DateTime.UtcNow };
        }

        /// <summary>Signs in as the demo handler through the login form (antiforgery token from the GET).</summary>
        public async Task<HttpClient> SignInAsync()
        {
            var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            {
                BaseAddress = BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var page = await http.GetStringAsync("/Account/Login");
            var token = AntiforgeryToken().Match(page) is { Success: true } m
                ? WebUtility.HtmlDecode(m.Groups[1].Value)
                : throw new InvalidOperationException("The login page has no antiforgery token.");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = "handler@demo.local",
                ["Input.Password"] = "Demo!2026",
                ["__RequestVerificationToken"] = token,
            });
            using var response = await http.PostAsync("/Account/Login", form);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found))
                throw new InvalidOperationException($"Signing in answered {(int)response.StatusCode}.");
            return http;
        }

        public ValueTask DisposeAsync()
        {
            Kill();
            process?.Dispose();
            return ValueTask.CompletedTask;
        }

        [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
        private static partial Regex AntiforgeryToken();
    }

    /// <summary>What the database says after the kills: the engine's tables are the truth.</summary>
    internal sealed class Report
    {
        private const string Boundary = "Boundary_VentSla";
        private readonly List<string> failures = [];
        private readonly List<string> lines = [];

        public bool Settled { get; private init; }
        public bool Passed => failures.Count == 0;

        public static Report Read(ChaosOptions options, IReadOnlyList<Start> starts, bool integrity = false)
        {
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.Database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            db.Open();
            var timers = Rows(db, $"SELECT InstanceId, DueAt, Status FROM WfTimers WHERE ElementId = '{Boundary}'",
                r => (Instance: r.GetString(0), Due: Utc(r.GetString(1)), Status: r.GetString(2)));
            var fired = Rows(db, $"SELECT InstanceId, At FROM WfJournal WHERE ElementId = '{Boundary}' AND Kind = 'Entered'",
                r => (Instance: r.GetString(0), At: Utc(r.GetString(1))));
            var outbox = Rows(db, "SELECT Status, COUNT(*) FROM WfOutbox GROUP BY Status", r => (Status: r.GetString(0), Count: r.GetInt32(1)))
                .ToDictionary(x => x.Status, x => x.Count);
            var escalations = Scalar(db, "SELECT COUNT(*) FROM WfWorkItems WHERE ElementId = 'Task_Escalation'");
            var duplicateEscalations = Scalar(db, "SELECT COUNT(*) FROM (SELECT InstanceId FROM WfWorkItems WHERE ElementId = 'Task_Escalation' GROUP BY InstanceId HAVING COUNT(*) > 1)");
            var duplicateOutbox = Scalar(db, "SELECT COUNT(*) FROM (SELECT InstanceId, ElementId, TokenId FROM WfOutbox GROUP BY InstanceId, ElementId, TokenId HAVING COUNT(*) > 1)");
            var complaints = Scalar(db, "SELECT COUNT(*) FROM Complaints");
            var acknowledged = Scalar(db, "SELECT COUNT(DISTINCT ComplaintId) FROM SentNotifications");
            var notifications = Scalar(db, "SELECT COUNT(*) FROM SentNotifications");

            var report = new Report
            {
                Settled = timers.Count == options.Timers && timers.All(t => t.Status == "Fired") && outbox.GetValueOrDefault("Pending") == 0
                    && escalations == options.Timers,
            };
            var firedOnce = fired.GroupBy(f => f.Instance).ToDictionary(g => g.Key, g => g.ToList());
            var lateness = new List<double>();
            foreach (var timer in timers)
            {
                if (!firedOnce.TryGetValue(timer.Instance, out var firings)) continue;
                var at = firings.Min(f => f.At);
                // Late is measured from the due time, or from the last start of the portal before the firing if that came later.
                var reference = starts.Select(s => s.LaunchedAt).Where(s => s >= timer.Due && s <= at).DefaultIfEmpty(timer.Due).Max();
                lateness.Add((at - reference).TotalSeconds);
            }
            var duplicates = firedOnce.Count(f => f.Value.Count > 1);
            var latest = lateness.DefaultIfEmpty(double.NaN).Max();
            var slowestStart = starts.Where(s => s.ReadyAt is not null).Select(s => (s.ReadyAt!.Value - s.LaunchedAt).TotalSeconds).DefaultIfEmpty(0).Max();

            report.lines.Add($"starts: {starts.Count} ({starts.Count(s => s.ReadyAt is not null)} answered /healthz; slowest {slowestStart:0.0} s); kills: {starts.Count(s => s.KilledAt is not null)}");
            report.lines.Add($"complaints: {complaints}; Vent SLA timers: {timers.Count}, fired {timers.Count(t => t.Status == "Fired")}, fired twice {duplicates}");
            report.lines.Add($"latest firing after its due time or the restart before it: {latest:0.0} s (limit {options.MaxLate.TotalSeconds:0} s); median {Median(lateness):0.0} s");
            report.lines.Add($"outbox: {string.Join(", ", outbox.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}; entries written twice {duplicateOutbox}");
            report.lines.Add($"escalation tasks: {escalations} (instances with two: {duplicateEscalations}); notifications sent: {notifications} to {acknowledged} complaints");

            if (starts.Any(s => s.ReadyAt is null)) report.failures.Add("a start of the portal did not answer /healthz");
            if (complaints != options.Timers) report.failures.Add($"{complaints} complaints stored, {options.Timers} taken");
            if (timers.Count != options.Timers) report.failures.Add($"{options.Timers - timers.Count} complaints never reached Vent (acknowledgement stuck?)");
            if (timers.Any(t => t.Status != "Fired")) report.failures.Add($"{timers.Count(t => t.Status != "Fired")} timers never fired");
            if (duplicates > 0) report.failures.Add($"{duplicates} timers fired twice");
            if (lateness.Any(l => l > options.MaxLate.TotalSeconds)) report.failures.Add($"{lateness.Count(l => l > options.MaxLate.TotalSeconds)} timers fired more than {options.MaxLate.TotalSeconds:0} s late");
            if (outbox.GetValueOrDefault("Pending") > 0 || outbox.GetValueOrDefault("Failed") > 0) report.failures.Add("outbox entries left pending or failed");
            if (duplicateOutbox > 0 || duplicateEscalations > 0) report.failures.Add("an effect was written twice");
            if (escalations != timers.Count(t => t.Status == "Fired")) report.failures.Add($"{escalations} escalation tasks for {timers.Count(t => t.Status == "Fired")} fired timers");
            if (integrity)
                foreach (var file in Directory.GetFiles(options.Folder, "*.db"))
                {
                    using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
                    check.Open();
                    using var command = check.CreateCommand();
                    command.CommandText = "PRAGMA integrity_check";
                    var result = command.ExecuteScalar() as string;
                    report.lines.Add($"integrity_check {Path.GetFileName(file)}: {result}");
                    if (result != "ok") report.failures.Add($"{Path.GetFileName(file)} is damaged: {result}");
                }
            return report;
        }

        public void Print(TextWriter output)
        {
            foreach (var line in lines) output.WriteLine("  " + line);
            output.WriteLine(Passed ? "Crash test: PASSED" : "Crash test: FAILED: " + string.Join("; ", failures));
        }

        private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

        private static DateTime Utc(string text) =>
            DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        private static long Scalar(SqliteConnection db, string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }

        private static List<T> Rows<T>(SqliteConnection db, string sql, Func<SqliteDataReader, T> read)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(read(reader));
            return rows;
        }
    }
}
