using Hangfire;
using Hangfire.Storage.SQLite;
using Remediation.Portal.Infrastructure;
using Xunit;

namespace Remediation.UnitTests.Portal.Infrastructure;

public sealed class HangfireSqliteStorageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("remediation-hangfire-").FullName;

    [Fact]
    public async Task DelayedJob_RunsWithinSeconds_OnTheSqliteStorage()
    {
        var storage = new SQLiteStorage(Path.Combine(_folder, "hangfire.db"),
            new SQLiteStorageOptions { QueuePollInterval = HangfireExtensions.PollInterval });
        var marker = Path.Combine(_folder, "ran.txt");

        using (new BackgroundJobServer(new BackgroundJobServerOptions
        {
            SchedulePollingInterval = HangfireExtensions.PollInterval,
            WorkerCount = 1,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        }, storage))
        {
            var client = new BackgroundJobClient(storage);
            var scheduledAt = DateTime.UtcNow;
            client.Schedule(() => ProbeJob.Touch(marker), TimeSpan.FromSeconds(1));

            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!File.Exists(marker) && DateTime.UtcNow < deadline) await Task.Delay(100);

            Assert.True(File.Exists(marker), "the delayed job did not run within 15 s");
            var ranAt = DateTime.Parse(await File.ReadAllTextAsync(marker), null, System.Globalization.DateTimeStyles.RoundtripKind);
            Assert.True(ranAt >= scheduledAt.AddSeconds(1), $"the job ran early: scheduled {scheduledAt:O}, ran {ranAt:O}");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } // best effort: temp folder
    }
}

/// <summary>The job under test: leaves a file behind with the time it ran.</summary>
public static class ProbeJob
{
    public static void Touch(string path) => File.WriteAllText(path, DateTime.UtcNow.ToString("O"));
}
