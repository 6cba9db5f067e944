using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Remediation.Workflows.Hangfire;
using Remediation.Workflows.Model;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine (<see cref="IWorkflowRuntime"/>, <see cref="IWorkflowDefinitions"/>) and its Hangfire adapter.
    /// The host must also register an <see cref="IWorkflowDbContextFactory"/> and Hangfire (<see cref="IBackgroundJobClient"/>,
    /// <see cref="JobStorage"/>, <see cref="IRecurringJobManager"/>).
    /// </summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, Action<WorkflowOptions>? configure = null)
    {
        var options = new WorkflowOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddWorkflowRegistry();
        services.AddSingleton<ScriptEvaluator>();
        services.AddSingleton<DefinitionCache>();
        services.AddSingleton<CommitGate>();
        services.AddSingleton<IWriteGate>(sp => sp.GetRequiredService<CommitGate>());
        services.AddSingleton<EngineServices>();
        services.AddSingleton<IWorkflowRuntime, WorkflowEngine>();
        services.AddSingleton<IWorkflowDefinitions, WorkflowDefinitions>();
        services.AddSingleton<IInstanceChanges, InstanceChanges>();
        services.AddSingleton<OutboxProcessor>();
        services.AddSingleton<TimerSweeper>();

        services.AddSingleton<IWorkflowJobScheduler, HangfireJobScheduler>();
        services.AddTransient<TimerWakeUpJob>();
        services.AddTransient<OutboxJob>();
        services.AddTransient<TimerSweepJob>();
        services.AddHostedService<WorkflowStartup>();
        services.AddHostedService<OverdueWatchdog>();
        return services;
    }

    /// <summary>The parser and the topic/form-key registry alone (enough to validate a file without a database).</summary>
    public static IServiceCollection AddWorkflowRegistry(this IServiceCollection services)
    {
        services.TryAddSingleton(new WorkflowOptions());
        services.TryAddSingleton<BpmnParser>();
        services.TryAddSingleton<WorkflowRegistry>();
        return services;
    }

    /// <summary>Registers <typeparamref name="THandler"/> as the handler of service tasks with <c>camunda:topic="<paramref name="topic"/>"</c>.</summary>
    public static IServiceCollection AddWorkflowTopicHandler<THandler>(this IServiceCollection services, string topic)
        where THandler : class, IWorkflowTopicHandler
    {
        services.AddTransient<THandler>();
        services.AddSingleton(new TopicRegistration(topic, typeof(THandler)));
        return services;
    }

    /// <summary>Registers portal form keys that user tasks may name in <c>camunda:formKey</c>.</summary>
    public static IServiceCollection AddWorkflowFormKeys(this IServiceCollection services, params string[] formKeys)
    {
        foreach (var key in formKeys) services.AddSingleton(new FormKeyRegistration(key));
        return services;
    }

    /// <summary>Validates a BPMN file with the registered topics and form keys (no database: call activities are checked by publish).</summary>
    public static IReadOnlyList<ValidationProblem> ValidateOffline(this IServiceProvider services, string xml)
    {
        var parsed = services.GetRequiredService<BpmnParser>().Parse(xml);
        if (parsed.Model is null) return parsed.Problems;
        var registry = services.GetRequiredService<WorkflowRegistry>();
        return [.. parsed.Problems, .. ProcessValidator.Validate(parsed.Model, new(registry.IsKnownTopic, registry.IsKnownFormKey, _ => true)),
            .. ProcessValidator.CheckRules(parsed.Model, services.GetServices<IProcessRule>())];
    }

    /// <summary>Adds a host's own publish check (<see cref="IProcessRule"/>), run after the engine's own checks.</summary>
    public static IServiceCollection AddProcessRule<TRule>(this IServiceCollection services) where TRule : class, IProcessRule
    {
        services.AddSingleton<IProcessRule, TRule>();
        return services;
    }
}

/// <summary>At start-up: re-arm the timers due soon whose job is missing and every pending outbox entry, and register the minutely sweep.</summary>
internal sealed class WorkflowStartup(TimerSweeper sweeper, IRecurringJobManager recurring) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<TimerSweepJob>(TimerSweepJob.RecurringJobId, j => j.RunAsync(), Cron.Minutely());
        await sweeper.SweepAsync(startup: true, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Every <see cref="WorkflowOptions.WatchdogInterval"/>: fire the timers and run the outbox entries that their jobs left overdue.</summary>
internal sealed class OverdueWatchdog(TimerSweeper sweeper, WorkflowOptions options, ILogger<OverdueWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.WatchdogInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.WatchdogInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweeper.RunOverdueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A busy or briefly unavailable database: the next tick tries again.
                logger.LogError(e, "The overdue watchdog failed; retrying in {Interval}", options.WatchdogInterval);
            }
        }
    }
}
