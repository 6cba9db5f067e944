using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Remediation.Load;

/// <summary>
/// The write path as handlers drive it (docs/performance.md, "Write path"): N signed-in sessions, each looping intake
/// (<c>POST /api/complaints</c>) then Vent, Apologise, Probe, Propose (an apology, within authority) and Confirm, each as
/// the real form POST with its antiforgery token after a GET of the case page. Warm-up, then a measured window with
/// per-minute figures, errors by status, the portal's RSS and CPU, and an invariant check of the database at the end.
/// Loopback only; bounded by <c>--warmup</c> + <c>--seconds</c>.
/// </summary>
internal static partial class StepLoad
{
    public const string Usage =
        "usage: steps --base http://127.0.0.1:5080 [--sessions 16] [--warmup 180] [--seconds 600] [--user handler@demo.local]\n" +
        "       [--password 'Demo!2026'] [--portal-pid PID] [--database PATH/remediation.db]\n" +
        "Only loopback hosts are accepted. --portal-pid adds the portal's RSS and CPU per minute; --database adds the invariant check.";

    private static readonly string[] Steps = ["Vent", "Apologise", "Probe", "Propose", "Confirm"];

    private sealed record Options(Uri BaseAddress, int Sessions, int Warmup, int Seconds, string User, string Password, int? PortalPid, string? Database);

    /// <summary>One measured request: when it finished (seconds since the window opened), what it was, how long, the status.</summary>
    private readonly record struct Sample(double At, string Kind, double Ms, int Status);

    public static async Task<int> RunAsync(string[] args)
    {
        Options options;
        try { options = Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(options.Warmup);
        var stopAt = measureFrom + TimeSpan.FromSeconds(options.Seconds);
        var samples = new List<Sample>();
        var confirmed = 0;
        Console.WriteLine($"{options.Sessions} sessions against {options.BaseAddress}: {options.Warmup} s warm-up, {options.Seconds} s measured.");

        var monitor = options.PortalPid is { } pid ? Task.Run(() => MonitorAsync(pid, clock, measureFrom, stopAt)) : Task.FromResult(new List<string>());
        await Task.WhenAll(Enumerable.Range(0, options.Sessions).Select(session => Task.Run(async () =>
        {
            using var http = NewClient(options.BaseAddress);
            await Session.LogInAsync(http, options.User, options.Password);
            var local = new List<Sample>();
            var localConfirmed = 0;
            for (var n = 0; clock.Elapsed < stopAt; n++)
            {
                if (await ProcedureAsync(http, session, n, clock, measureFrom, stopAt, local)) Interlocked.Increment(ref localConfirmed);
            }
            lock (samples) samples.AddRange(local);
            Interlocked.Add(ref confirmed, localConfirmed);
        })));
        var resources = await monitor;

        Report(options, samples, resources);
        return options.Database is { } database && !CheckInvariants(database) ? 1 : samples.Any(s => s.Status is >= 400 or 0) ? 1 : 0;
    }

    /// <summary>One complaint from intake to the customer's acceptance; true when it got there.</summary>
    private static async Task<bool> ProcedureAsync(HttpClient http, int session, int n, Stopwatch clock, TimeSpan measureFrom, TimeSpan stopAt, List<Sample> samples)
    {
        void Record(string kind, long started, int status)
        {
            var now = clock.Elapsed;
            if (now >= measureFrom && now < stopAt)
                samples.Add(new((now - measureFrom).TotalSeconds, kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds, status));
        }

        var phone = $"+8613{session:00}{DateTime.UtcNow.Ticks % 1_000_000_000_000:000000000}"[..15];
        var started = Stopwatch.GetTimestamp();
        Guid id;
        using (var response = await SendAsync(() => http.PostAsJsonAsync("/api/complaints", new
        {
            contactName = $"Load {session}-{n}", phone, orderReference = $"L{session}-{n}-{Guid.NewGuid():N}"[..30],
            goods = "Kettle", channel = "Phone", category = "Delivery", severity = "Medium",
            account = "The kettle arrived dented and the courier was rude.", allowDuplicate = true,
        })))
        {
            Record("intake", started, (int)(response?.StatusCode ?? 0));
            if (response?.StatusCode != HttpStatusCode.Created) return false;
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        foreach (var step in Steps)
        {
            // The case page, until it offers this step's form (right after intake the acknowledgement runs first).
            string? page = null;
            for (var wait = 0; wait < 100 && clock.Elapsed < stopAt; wait++)
            {
                started = Stopwatch.GetTimestamp();
                using var response = await SendAsync(() => http.GetAsync($"/Complaints/Case?id={id}"));
                Record("case", started, (int)(response?.StatusCode ?? 0));
                if (response?.StatusCode != HttpStatusCode.OK) return false;
                var html = await response.Content.ReadAsStringAsync();
                if (html.Contains($"handler={step}", StringComparison.Ordinal)) { page = html; break; }
                await Task.Delay(50);
            }
            if (page is null) return false;

            var fields = new Dictionary<string, string>(StepFields(step))
            {
                ["__RequestVerificationToken"] = Field(page, "__RequestVerificationToken"),
                ["Input.TaskId"] = Field(page, "Input.TaskId"),
                ["Input.CommandId"] = Field(page, "Input.CommandId"),
            };
            started = Stopwatch.GetTimestamp();
            using var form = new FormUrlEncodedContent(fields);
            using var posted = await SendAsync(() => http.PostAsync($"/Complaints/Case?id={id}&handler={step}", form));
            Record("step", started, (int)(posted?.StatusCode ?? 0));
            if (posted?.StatusCode != HttpStatusCode.Redirect) return false;
        }
        return true;
    }

    private static IReadOnlyDictionary<string, string> StepFields(string step) => step switch
    {
        "Vent" => new Dictionary<string, string> { ["Input.Account"] = "The kettle arrived dented.", ["Input.EmotionalState"] = "Upset", ["Input.FactsNoted"] = "Dent on the lid." },
        "Apologise" => new Dictionary<string, string> { ["Input.ApologyGiven"] = "true", ["Input.ThanksGiven"] = "true", ["Input.WordsUsed"] = "We are sorry, and thank you for telling us." },
        "Probe" => new Dictionary<string, string> { ["Input.WhatHappened"] = "Dented in transit.", ["Input.Product"] = "Kettle", ["Input.DesiredResolution"] = "An apology is enough." },
        "Propose" => new Dictionary<string, string> { ["Input.RemedyType"] = "Apology", ["Input.Justification"] = "The customer asked for an apology." },
        _ => new Dictionary<string, string> { ["Input.Accepted"] = "true", ["Input.Reason"] = "Fine." },
    };

    private static string Field(string html, string name) =>
        new Regex($"name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"").Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"The case page has no {name} field.");

    private static async Task<HttpResponseMessage?> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try { return await send(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }

    private static HttpClient NewClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The portal's RSS and CPU at each minute of the measured window (and at its start), from /proc.</summary>
    private static async Task<List<string>> MonitorAsync(int pid, Stopwatch clock, TimeSpan measureFrom, TimeSpan stopAt)
    {
        var lines = new List<string>();
        var ticksPerSecond = 100.0; // USER_HZ on Linux
        (double Cpu, DateTime At)? last = null;
        var marks = new List<TimeSpan>();
        for (var mark = measureFrom; mark < stopAt; mark += TimeSpan.FromMinutes(1)) marks.Add(mark);
        marks.Add(stopAt);
        foreach (var mark in marks)
        {
            var wait = mark - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var stat = (await File.ReadAllTextAsync($"/proc/{pid}/stat")).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var cpu = (double.Parse(stat[11], CultureInfo.InvariantCulture) + double.Parse(stat[12], CultureInfo.InvariantCulture)) / ticksPerSecond;
            var rss = (await File.ReadAllLinesAsync($"/proc/{pid}/status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            var now = DateTime.UtcNow;
            var share = last is { } l ? (cpu - l.Cpu) / (now - l.At).TotalSeconds * 100 : double.NaN;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"minute {(mark - measureFrom).TotalMinutes,3:0}: RSS {long.Parse(rss, CultureInfo.InvariantCulture) / 1024,5} MB, CPU {share,5:0}% of one core (since the last mark)"));
            last = (cpu, now);
        }
        return lines;
    }

    private static void Report(Options options, List<Sample> samples, List<string> resources)
    {
        static double P(IEnumerable<double> values, double p)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
        bool IsTransition(Sample s) => s.Kind == "intake" && s.Status == 201 || s.Kind == "step" && s.Status == 302;

        Console.WriteLine();
        Console.WriteLine($"{"minute",6} {"transitions/s",14} {"step p50",9} {"p95",7} {"p99",7} {"case p50",9} {"p95",7} {"errors",7}");
        var minutes = (int)Math.Ceiling(options.Seconds / 60.0);
        for (var m = 0; m < minutes; m++)
        {
            var window = samples.Where(s => s.At >= m * 60 && s.At < (m + 1) * 60).ToList();
            var length = Math.Min(60, options.Seconds - m * 60);
            var steps = window.Where(s => s.Kind == "step").Select(s => s.Ms).ToList();
            var cases = window.Where(s => s.Kind == "case").Select(s => s.Ms).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m + 1,6} {window.Count(IsTransition) / (double)length,14:F1} {P(steps, 50),9:F1} {P(steps, 95),7:F1} {P(steps, 99),7:F1} {P(cases, 50),9:F1} {P(cases, 95),7:F1} {window.Count(s => s.Status is >= 400 or 0),7}"));
        }
        var allSteps = samples.Where(s => s.Kind == "step").Select(s => s.Ms).ToList();
        var allCases = samples.Where(s => s.Kind == "case").Select(s => s.Ms).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {samples.Count(IsTransition) / (double)options.Seconds:F1} transitions/s; step POST p50/p95/p99 {P(allSteps, 50):F1}/{P(allSteps, 95):F1}/{P(allSteps, 99):F1} ms; case GET p50/p95 {P(allCases, 50):F1}/{P(allCases, 95):F1} ms"));
        var errors = samples.Where(s => s.Status is >= 400 or 0).GroupBy(s => (s.Kind, s.Status)).ToList();
        Console.WriteLine(errors.Count == 0 ? "errors: none" : "errors: " + string.Join(", ", errors.Select(g => $"{g.Key.Kind} {(g.Key.Status == 0 ? "no answer" : g.Key.Status)} × {g.Count()}")));
        foreach (var line in resources) Console.WriteLine(line);
    }

    /// <summary>What must hold after any load: nothing done twice, nothing left half-done.</summary>
    private static bool CheckInvariants(string database)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        long Count(string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }
        var checks = new (string Name, string Sql)[]
        {
            ("a task completed twice", "SELECT COUNT(*) FROM (SELECT InstanceId, ElementId FROM WfJournal WHERE Kind = 'Completed' AND ElementId IN ('Task_Vent','Task_Apologise','Task_Probe','Task_Confirm') GROUP BY InstanceId, ElementId HAVING COUNT(*) > 1)"),
            ("two open work items for one step", "SELECT COUNT(*) FROM (SELECT InstanceId, ElementId FROM WfWorkItems WHERE Status = 'Open' GROUP BY InstanceId, ElementId HAVING COUNT(*) > 1)"),
            ("a vent recorded twice", "SELECT COUNT(*) FROM (SELECT ComplaintId FROM ComplaintVents GROUP BY ComplaintId HAVING COUNT(*) > 1)"),
            ("an apology recorded twice", "SELECT COUNT(*) FROM (SELECT ComplaintId FROM ComplaintApologies GROUP BY ComplaintId HAVING COUNT(*) > 1)"),
            ("a probe recorded twice", "SELECT COUNT(*) FROM (SELECT ComplaintId FROM ComplaintProbes GROUP BY ComplaintId HAVING COUNT(*) > 1)"),
            ("a confirmation recorded twice", "SELECT COUNT(*) FROM (SELECT ComplaintId FROM CustomerConfirmations GROUP BY ComplaintId HAVING COUNT(*) > 1)"),
            ("an outbox entry pending for over a minute", "SELECT COUNT(*) FROM WfOutbox WHERE Status = 'Pending' AND NextAttemptAt < datetime('now', '-60 seconds')"),
            ("an outbox entry failed", "SELECT COUNT(*) FROM WfOutbox WHERE Status = 'Failed'"),
        };
        var ok = true;
        foreach (var (name, sql) in checks)
        {
            var found = Count(sql);
            if (found > 0) { ok = false; Console.WriteLine($"INVARIANT BROKEN: {name} ({found})"); }
        }
        Console.WriteLine(ok ? $"invariants: all {checks.Length} hold ({Count("SELECT COUNT(*) FROM Complaints")} complaints in the database)" : "invariants: BROKEN");
        return ok;
    }

    private static Options Parse(string[] args)
    {
        string? baseUrl = null, database = null;
        string user = "handler@demo.local", password = "Demo!2026";
        int sessions = 16, warmup = 180, seconds = 600;
        int? pid = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Number(int min, int max) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
            switch (name)
            {
                case "--base": baseUrl = value; break;
                case "--sessions": sessions = Number(1, 256); break;
                case "--warmup": warmup = Number(0, 1800); break;
                case "--seconds": seconds = Number(1, 3600); break;
                case "--user": user = value; break;
                case "--password": password = value; break;
                case "--portal-pid": pid = Number(1, int.MaxValue); break;
                case "--database": database = File.Exists(value) ? value : throw new ArgumentException($"--database {value} does not exist."); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }
        if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || !LoadOptions.IsLoopback(uri))
            throw new ArgumentException("--base must be an http URL on a loopback address (127.0.0.1, ::1, localhost).");
        return new(uri, sessions, warmup, seconds, user, password, pid, database);
    }
}
