using Microsoft.Extensions.DependencyInjection;
using Remediation.E2ETests.Infrastructure;
using Remediation.Workflows;

namespace Remediation.E2ETests.Admin.Studio;

/// <summary>
/// A portal with one extra service-task topic, <c>studio.flaky</c>, whose handler fails like a remote system that is
/// down until the test switches it back on; one attempt before an incident, so a failure is an incident at once.
/// </summary>
public sealed class StudioApp : PortalFixture
{
    public const string FlakyTopic = "studio.flaky";

    public FlakySystem Flaky { get; } = new();

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Workflows:OutboxMaxAttempts"] = "1",
        ["Workflows:OutboxBackoff"] = "00:00:00.200",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(Flaky);
        services.AddWorkflowTopicHandler<FlakyHandler>(FlakyTopic);
    }
}

/// <summary>The remote system behind <see cref="StudioApp.FlakyTopic"/>: down or up, and what it was asked.</summary>
public sealed class FlakySystem
{
    public volatile bool Down = true;
    public int Calls;
}

public sealed class FlakyHandler(FlakySystem system) : IWorkflowTopicHandler
{
    public Task<IReadOnlyDictionary<string, object?>?> HandleAsync(TopicContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref system.Calls);
        if (system.Down) throw new HttpRequestException("The partner system answered 503 Service Unavailable.");
        return Task.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?> { ["notified"] = true });
    }
}
