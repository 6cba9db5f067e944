using Microsoft.EntityFrameworkCore;
using Remediation.Domain.Customers;
using Remediation.Domain.Reviews;
using Remediation.Portal.Complaints;
using Remediation.Portal.Data;
using Remediation.Workflows;

namespace Remediation.Portal.Reviews;

public static class ReviewHandlingExtensions
{
    /// <summary>
    /// Reviews: options (<c>Reviews</c>, refused at start-up when invalid), the application services, and publishing the
    /// shipped <c>review-remediation.bpmn</c> on first start (after the complaint processes).
    /// </summary>
    public static WebApplicationBuilder AddReviewHandling(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ReviewOptions.Section).Get<ReviewOptions>() ?? new ReviewOptions();
        if (options.Validate() is { Count: > 0 } problems)
            throw new InvalidOperationException("Reviews configuration is invalid: " + string.Join(" ", problems) + " (docs/configuration.md)");
        builder.Services.AddSingleton(options);
        builder.Services.AddScoped<ReviewIntake>();
        builder.Services.AddScoped<ReviewSteps>();
        builder.Services.AddScoped<ReviewQueue>();
        builder.Services.AddScoped<ReviewImport>();
        builder.Services.AddScoped<ApprovalDesk>();
        builder.Services.AddHostedService<ReviewWorkflowPublisher>();
        return builder;
    }

    /// <summary>Form keys of the review BPMN (also used by <c>bpmn validate</c>).</summary>
    public static IServiceCollection AddReviewWorkflowCatalog(this IServiceCollection services) =>
        services.AddWorkflowFormKeys(ReviewProcess.FormKeys.All);
}

/// <summary>
/// Publishes the shipped review process when it has no published version; fills an empty approval matrix from the options;
/// seeds sample reviews into an empty database (<c>Seed:SampleReviews</c>).
/// </summary>
internal sealed class ReviewWorkflowPublisher(IServiceScopeFactory scopes, IWorkflowDefinitions definitions, IConfiguration configuration,
    ReviewOptions options, ILogger<ReviewWorkflowPublisher> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var xml = ComplaintWorkflowPublisher.ReadDefinition(ReviewProcess.DefinitionFile);
        var published = (await definitions.ListAsync(ReviewProcess.ProcessId, cancellationToken)).Any(d => d.Status == Workflows.Persistence.DefinitionStatus.Published);
        if (!published)
        {
            var draft = await definitions.SaveDraftAsync(xml, cancellationToken);
            if (!draft.IsOk) throw new InvalidOperationException($"{ReviewProcess.DefinitionFile}: {draft.Message}");
            var result = await definitions.PublishAsync(ReviewProcess.ProcessId, cancellationToken);
            if (!result.IsOk)
                throw new InvalidOperationException($"{ReviewProcess.DefinitionFile} cannot be published: {result.Message} {string.Join("; ", result.Problems)}");
            logger.LogInformation("Published {ProcessId} version {Version}", ReviewProcess.ProcessId, result.Value!.Version);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemediationDbContext>();
        // The approval matrix is edited by admins at /Admin/Authority; the configured (or default) levels only fill an empty table.
        if (!await db.Set<ApprovalLevel>().AnyAsync(cancellationToken))
        {
            db.AddRange(options.Matrix().Levels);
            await db.SaveChangesAsync(cancellationToken);
        }

        var samples = configuration.GetValue("Seed:SampleReviews", 0);
        if (samples <= 0) return;
        if (await db.Set<Review>().IgnoreAutoIncludes().AnyAsync(cancellationToken)) return;
        await ReviewSamples.SeedAsync(scope.ServiceProvider, samples, cancellationToken);
        logger.LogInformation("Seeded {Count} sample reviews", samples);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Sample reviews across platforms and ratings for the demo (through the real intake, so each has its process).</summary>
public static class ReviewSamples
{
    private static readonly (int Rating, string Text, string Language)[] Texts =
    [
        (1, "收到的电水壶漏水,客服也不回消息,非常失望。", "zh"),
        (1, "The blender's motor burnt out after two uses. Never again.", "en"),
        (2, "快递太慢了,说好三天到,结果等了一个星期。", "zh"),
        (2, "Parcel arrived crushed and one part was missing.", "en"),
        (3, "东西还行,就是包装有点简陋。", "zh"),
        (3, "Does the job, but the instructions are confusing.", "en"),
        (4, "质量不错,物流也快,下次还会回购。", "zh"),
        (4, "Good value for money, delivery was quick.", "en"),
        (5, "非常满意!客服很耐心,推荐购买。", "zh"),
        (5, "Excellent product and friendly service, thank you!", "en"),
    ];

    public static async Task SeedAsync(IServiceProvider services, int count, CancellationToken ct)
    {
        var db = services.GetRequiredService<RemediationDbContext>();
        var options = services.GetRequiredService<ReviewOptions>();
        var intake = services.GetRequiredService<ReviewIntake>();
        var clock = services.GetRequiredService<TimeProvider>();
        var platforms = options.Catalogue().Platforms;
        var customers = await db.Set<Customer>().AsNoTracking().OrderBy(c => c.Id).Take(12).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var random = new Random(20261129);
        for (var i = 0; i < count; i++)
        {
            var (rating, text, language) = Texts[random.Next(Texts.Length)];
            var customer = customers.Count > 0 && i % 3 == 0 ? customers[random.Next(customers.Count)] : null;
            await intake.ReceiveAsync(new ReviewInput
            {
                Platform = platforms[i % platforms.Count],
                ExternalId = $"demo-{i + 1:0000}",
                Rating = rating,
                Text = text,
                Language = language,
                PostedAt = now.AddHours(-random.Next(1, 72)),
                OrderReference = $"SO-{now.UtcDateTime:yyyyMMdd}-{random.Next(100_000, 999_999)}",
                Customer = new ReviewCustomerInput
                {
                    Name = customer?.Name ?? (language == "zh" ? "买家" + random.Next(1000, 9999) : "Buyer " + random.Next(1000, 9999)),
                    Phone = customer?.Phone.Value,
                    Email = customer?.Email,
                    PlatformBuyerId = $"buyer-{random.Next(100_000, 999_999)}",
                },
            }, "seed", ct);
        }
    }
}
