using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Remediation.E2ETests.Infrastructure;
using Remediation.Portal.Data;
using Remediation.Portal.Infrastructure;
using Xunit;

namespace Remediation.E2ETests.Shell;

/// <summary>The running app's in-process Hangfire server picks up jobs and builds them from DI.</summary>
[Collection(PortalCollection.Name)]
public sealed class BackgroundJobTests(PortalFixture portal)
{
    [Fact]
    public async Task DelayedJob_IsActivatedFromDependencyInjection_AndRuns()
    {
        var marker = Guid.NewGuid().ToString("N");
        var jobs = portal.Services.GetRequiredService<IBackgroundJobClient>();

        jobs.Schedule<AuditProbeJob>(j => j.RunAsync(marker), TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await RecordedAsync(marker) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(await RecordedAsync(marker), "the job did not run within 15 s");
    }

    private async Task<bool> RecordedAsync(string marker)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        return await db.Set<AuditEntry>().AnyAsync(e => e.Event == "Probe" && e.Detail == marker);
    }
}

/// <summary>A job with a constructor dependency: it only runs if Hangfire resolves it from the app's container.</summary>
public sealed class AuditProbeJob(IAuditLog audit)
{
    public Task RunAsync(string marker) => audit.WriteAsync("Probe", null, marker);
}
