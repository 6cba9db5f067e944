using Remediation.Workflows;

namespace Remediation.Portal.Payments;

/// <summary>Configuration section <c>Payments</c> (docs/configuration.md, docs/payments.md).</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";
    public const string DevelopmentGateway = "Development";

    /// <summary>Which gateway pays: <c>Development</c> (records instructions, never in Production) or the name a real one was registered under.</summary>
    public string? Gateway { get; set; }
    public WebhookOptions Webhook { get; set; } = new();
    public DevelopmentGatewayOptions Development { get; set; } = new();

    public bool UsesDevelopmentGateway => string.Equals(Gateway, DevelopmentGateway, StringComparison.OrdinalIgnoreCase);

    public sealed class WebhookOptions
    {
        /// <summary>The secret the gateway signs its confirmations with (HMAC-SHA256 of the body); required outside Development.</summary>
        public string? Secret { get; set; }
    }
}

/// <summary>A gateway registered with <see cref="PaymentsExtensions.AddPaymentGateway{TGateway}"/> under the name <c>Payments:Gateway</c> selects.</summary>
public sealed record PaymentGatewayRegistration(string Name, Type GatewayType);

public static class PaymentsExtensions
{
    /// <summary>
    /// Registers a real gateway under <paramref name="name"/> (call it in Program.cs before <see cref="AddRemediationPayments"/>);
    /// <c>Payments:Gateway</c> = <paramref name="name"/> then selects it (docs/payments.md, "Plugging in a real gateway").
    /// </summary>
    public static IServiceCollection AddPaymentGateway<TGateway>(this IServiceCollection services, string name) where TGateway : class, IPaymentGateway
    {
        services.AddScoped<TGateway>();
        services.AddSingleton(new PaymentGatewayRegistration(name, typeof(TGateway)));
        return services;
    }

    /// <summary>
    /// Payments (section <c>Payments</c>): the configured gateway, the confirmation service and its webhook, the outcome sweep.
    /// Start-up fails with a message naming the setting when no usable gateway is configured, when the development gateway
    /// is configured in Production, or when a real gateway has no webhook secret.
    /// </summary>
    public static WebApplicationBuilder AddRemediationPayments(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PaymentOptions.Section).Get<PaymentOptions>() ?? new PaymentOptions();
        if (options.UsesDevelopmentGateway && builder.Environment.IsProduction())
            throw new InvalidOperationException("Payments:Gateway is Development, which only records instructions and pays nobody; it is refused in Production. " +
                "Register a real gateway and set Payments:Gateway to its name (docs/payments.md).");
        if (!options.UsesDevelopmentGateway && string.IsNullOrWhiteSpace(options.Webhook.Secret))
            throw new InvalidOperationException("Payments:Webhook:Secret is required with a real payment gateway: the gateway signs its confirmations with it (docs/payments.md).");
        var background = builder.Configuration.GetValue("Hangfire:Server:Enabled", true);
        builder.Services.AddRemediationPayments(options, background);
        return builder;
    }

    /// <summary>The payment services for <paramref name="options"/>; <paramref name="background"/> adds the outcome sweep and the development gateway's confirmations.</summary>
    public static IServiceCollection AddRemediationPayments(this IServiceCollection services, PaymentOptions options, bool background)
    {
        services.AddSingleton(options);
        if (options.UsesDevelopmentGateway)
        {
            services.AddSingleton(options.Development);
            services.AddSingleton<DevelopmentGatewayCounters>();
            services.AddPaymentGateway<DevelopmentPaymentGateway>(PaymentOptions.DevelopmentGateway);
            services.AddSingleton<DevelopmentGatewayConfirmer>();
            if (background) services.AddHostedService(sp => sp.GetRequiredService<DevelopmentGatewayConfirmer>());
        }
        var registered = services.Where(d => d.ServiceType == typeof(PaymentGatewayRegistration) && d.ImplementationInstance is not null)
            .Select(d => (PaymentGatewayRegistration)d.ImplementationInstance!).ToList();
        var gateway = registered.LastOrDefault(r => string.Equals(r.Name, options.Gateway, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(string.IsNullOrWhiteSpace(options.Gateway)
                ? "Payments:Gateway is not set: no payment gateway is configured. Set it to the name of a real gateway " +
                  "(registered with AddPaymentGateway<T>(name)), or to Development outside Production (docs/payments.md)."
                : $"Payments:Gateway '{options.Gateway}' is not a registered payment gateway; registered: " +
                  $"{(registered.Count == 0 ? "none" : string.Join(", ", registered.Select(r => r.Name)))} (docs/payments.md).");
        services.AddScoped(sp => (IPaymentGateway)sp.GetRequiredService(gateway.GatewayType));
        services.AddScoped<PaymentConfirmations>();
        services.AddScoped<PaymentQueries>();
        if (background) services.AddHostedService<PaymentOutcomeSweep>();
        return services;
    }

    /// <summary>The <see cref="PaymentProcess.RequestTopic"/> handler and the incentive firewall's publish rule (also used by <c>bpmn validate</c>).</summary>
    public static IServiceCollection AddPaymentWorkflowCatalog(this IServiceCollection services) =>
        services.AddWorkflowTopicHandler<PaymentRequestHandler>(PaymentProcess.RequestTopic).AddProcessRule<ReviewConditionedPaymentRule>();
}
