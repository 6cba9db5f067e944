using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Remediation.Load;

// A small, bounded load generator for the portal on the loopback interface (docs/performance.md).
// `steps …` drives the write path instead: intake and the complaint step forms (StepLoad.cs).
if (args.FirstOrDefault() == "steps") return await StepLoad.RunAsync(args[1..]);

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var handler = new SocketsHttpHandler
{
    CookieContainer = new CookieContainer(),
    AllowAutoRedirect = false,
    MaxConnectionsPerServer = options.Clients,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
};
using var http = new HttpClient(handler) { BaseAddress = options.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

try
{
    await Session.LogInAsync(http, options.User, options.Password);
}
catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
{
    Console.Error.WriteLine($"Login as {options.User} failed: {e.Message}");
    return 1;
}

IReadOnlyList<string> caseIds = [];
if (options.Paths.Any(p => p.Contains(LoadOptions.CaseIdPlaceholder, StringComparison.Ordinal)))
{
    caseIds = await Session.DiscoverCaseIdsAsync(http, options.DiscoverFrom);
    if (caseIds.Count == 0)
    {
        Console.Error.WriteLine($"No case links (/Complaints/Case?id=...) found on {options.DiscoverFrom}; seed complaints first.");
        return 1;
    }
    Console.WriteLine($"Discovered {caseIds.Count} case id(s) on {options.DiscoverFrom}.");
}

// Warm-up: one request per path, not measured (JIT, Razor view compilation, SQLite page cache).
foreach (var path in options.Paths)
    using (var _ = await http.GetAsync(Session.Expand(path, caseIds, new Random(0)))) { }

Console.WriteLine($"Running {options.Clients} client(s) for {options.Seconds} s against {options.BaseAddress} ...");
var results = options.Paths.ToDictionary(p => p, _ => new PathResult());
var stopAt = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
var wall = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
{
    var random = new Random(client);
    var local = options.Paths.ToDictionary(p => p, _ => new PathResult());
    // Each client walks the paths in turn, starting at a different one, so every path sees the same concurrency.
    for (var i = client; Stopwatch.GetTimestamp() < stopAt; i++)
    {
        var path = options.Paths[i % options.Paths.Count];
        var started = Stopwatch.GetTimestamp();
        var ok = false;
        try
        {
            using var response = await http.GetAsync(Session.Expand(path, caseIds, random), HttpCompletionOption.ResponseContentRead);
            ok = response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }
        local[path].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok);
    }
    lock (results)
        foreach (var (path, result) in local) results[path].Merge(result);
})));
wall.Stop();

var seconds = wall.Elapsed.TotalSeconds;
Console.WriteLine();
Console.WriteLine($"{"path",-40} {"requests",9} {"errors",7} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
foreach (var (path, r) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{path,-40} {r.Count,9} {r.Errors,7} {r.Count / seconds,8:F1} {r.Percentile(50),8:F1} {r.Percentile(95),8:F1} {r.Percentile(99),8:F1} {r.Percentile(100),8:F1}"));
}
var total = results.Values.Sum(r => r.Count);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total: {total} requests in {seconds:F1} s = {total / seconds:F1} req/s"));
return results.Values.Any(r => r.Errors > 0) ? 1 : 0;

namespace Remediation.Load
{
    internal sealed record LoadOptions(Uri BaseAddress, string User, string Password, int Clients, int Seconds, IReadOnlyList<string> Paths, string DiscoverFrom)
    {
        public const string CaseIdPlaceholder = "{caseId}";
        public const int MaxClients = 256;
        public const int MaxSeconds = 600;

        public const string Usage =
            "usage: --base http://127.0.0.1:5080 --user handler@demo.local --password 'Demo!2026' [--clients 32] [--seconds 60]\n" +
            "       --path /Queue [--path \"/Complaints/Case?id={caseId}\"] [--discover /Queue]\n" +
            "Only loopback hosts are accepted. {caseId} is replaced by a random case id found on the --discover page.";

        public static LoadOptions Parse(string[] args)
        {
            string? baseUrl = null, user = null, password = null, discover = null;
            int clients = 32, seconds = 60;
            var paths = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
                switch (name)
                {
                    case "--base": baseUrl = value; break;
                    case "--user": user = value; break;
                    case "--password": password = value; break;
                    case "--clients": clients = Number(name, value, 1, MaxClients); break;
                    case "--seconds": seconds = Number(name, value, 1, MaxSeconds); break;
                    case "--path": paths.Add(value.StartsWith('/') ? value : throw new ArgumentException($"--path '{value}' must start with '/'.")); break;
                    case "--discover": discover = value; break;
                    default: throw new ArgumentException($"Unknown option {name}.");
                }
            }
            if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ArgumentException("--base must be an absolute http(s) URL.");
            if (!IsLoopback(uri))
                throw new ArgumentException($"--base host '{uri.Host}' is not a loopback address; this tool only loads 127.0.0.1/::1/localhost.");
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password)) throw new ArgumentException("--user and --password are required.");
            if (paths.Count == 0) throw new ArgumentException("Give at least one --path.");
            return new(uri, user, password, clients, seconds, paths, discover ?? "/Queue");
        }

        public static bool IsLoopback(Uri uri) =>
            uri.IsLoopback && (uri.Host == "localhost" || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

        private static int Number(string name, string value, int min, int max) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
    }

    internal static partial class Session
    {
        /// <summary>Signs in through the real form: antiforgery token and cookie from the GET, credentials in the POST.</summary>
        public static async Task LogInAsync(HttpClient http, string user, string password)
        {
            var page = await http.GetStringAsync("/Account/Login");
            var token = AntiforgeryToken().Match(page) is { Success: true } m
                ? WebUtility.HtmlDecode(m.Groups[1].Value)
                : throw new InvalidOperationException("the login page has no __RequestVerificationToken field.");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = user,
                ["Input.Password"] = password,
                ["__RequestVerificationToken"] = token,
            });
            using var response = await http.PostAsync("/Account/Login", form);
            // Success is a redirect away from the form; a 200 is the form again with an error.
            if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
                throw new InvalidOperationException($"the login form answered {(int)response.StatusCode} instead of a redirect (wrong user or password?).");
        }

        public static async Task<IReadOnlyList<string>> DiscoverCaseIdsAsync(HttpClient http, string path)
        {
            using var response = await http.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
            var html = await response.Content.ReadAsStringAsync();
            return CaseLink().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        }

        public static string Expand(string path, IReadOnlyList<string> caseIds, Random random) =>
            caseIds.Count == 0 ? path : path.Replace(LoadOptions.CaseIdPlaceholder, caseIds[random.Next(caseIds.Count)], StringComparison.Ordinal);

        [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
        private static partial Regex AntiforgeryToken();

        [GeneratedRegex(@"/Complaints/Case\?id=([0-9a-fA-F-]{36})")]
        private static partial Regex CaseLink();
    }

    /// <summary>Latencies of one path (kept in full: 60 s × a few thousand req/s fits easily in memory).</summary>
    internal sealed class PathResult
    {
        private readonly List<double> latencies = [];
        public int Errors { get; private set; }
        public int Count => latencies.Count;

        public void Add(double milliseconds, bool ok)
        {
            latencies.Add(milliseconds);
            if (!ok) Errors++;
        }

        public void Merge(PathResult other)
        {
            latencies.AddRange(other.latencies);
            Errors += other.Errors;
        }

        /// <summary>Nearest-rank percentile.</summary>
        public double Percentile(double p)
        {
            if (latencies.Count == 0) return double.NaN;
            latencies.Sort();
            var rank = (int)Math.Ceiling(p / 100 * latencies.Count);
            return latencies[Math.Clamp(rank - 1, 0, latencies.Count - 1)];
        }
    }
}
