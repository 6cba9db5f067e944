using Microsoft.Extensions.DependencyInjection;
using Remediation.Portal.Complaints;
using Remediation.Portal.Infrastructure;
using Remediation.UnitTests.Portal.Complaints;
using Remediation.Workflows;
using Xunit;

namespace Remediation.UnitTests.Portal.Payments;

/// <summary>The incentive firewall at publish: the portal's <c>IProcessRule</c>, run by the engine's validate and publish.</summary>
public sealed class ReviewConditionedPaymentRuleTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Portal", "Payments", "Fixtures", name));

    private static IReadOnlyList<Remediation.Workflows.Model.ValidationProblem> Validate(string xml)
    {
        using var services = new ServiceCollection().AddRemediationWorkflowCatalog().BuildServiceProvider();
        return services.ValidateOffline(xml);
    }

    [Fact]
    public void PaymentReachableOnlyThroughARatingGateway_IsAnErrorNamingTheGateway()
    {
        var problem = Assert.Single(Validate(Fixture("pay-for-better-rating.bpmn")));

        Assert.True(problem.IsError);
        Assert.Equal("Gateway_Rating", problem.ElementId);
        Assert.Contains("Gateway 'Rating raised?'", problem.Message);
        Assert.Contains("reviewRating", problem.Message);
        Assert.Contains("Pay the customer", problem.Message);
    }

    [Theory]
    [InlineData("${review.status == 'changed'}")]
    [InlineData("${reviewChanged}")]
    [InlineData("${rating gt 3}")]
    [InlineData("${reviewStatus != 'removed' &amp;&amp; amount &lt; 100}")]
    public void AnyConditionOnTheReview_IsRefused(string condition)
    {
        var xml = Fixture("pay-for-better-rating.bpmn").Replace("${reviewRating &gt;= 4}", condition);

        Assert.Equal("Gateway_Rating", Assert.Single(Validate(xml), p => p.IsError).ElementId);
    }

    [Theory]
    [InlineData("${approved}")]
    [InlineData("${ratingNote == 'x'}")]
    [InlineData("${comment == 'rating'}")]
    public void ConditionsThatDoNotReadTheReview_AreAllowed(string condition)
    {
        var xml = Fixture("pay-for-better-rating.bpmn").Replace("${reviewRating &gt;= 4}", condition);

        Assert.DoesNotContain(Validate(xml), p => p.IsError);
    }

    [Fact]
    public void RatingGatewayWhoseOtherBranchAlsoPays_AndApprovalGateway_AreAllowed()
    {
        Assert.DoesNotContain(Validate(Fixture("pay-after-approval.bpmn")), p => p.IsError);
    }

    [Fact]
    public void ShippedProcesses_PassTheRule()
    {
        foreach (var file in ComplaintProcess.DefinitionFiles)
            Assert.DoesNotContain(Validate(ComplaintWorkflowPublisher.ReadDefinition(file)), p => p.IsError);
    }

    [Fact]
    public async Task Publish_IsRefused_NamingTheGateway()
    {
        await using var host = await ComplaintHost.StartAsync();
        var definitions = host.Services.GetRequiredService<IWorkflowDefinitions>();
        Assert.True((await definitions.SaveDraftAsync(Fixture("pay-for-better-rating.bpmn"))).IsOk);

        var published = await definitions.PublishAsync("pay-for-better-rating");

        Assert.Equal(WorkflowOutcome.Invalid, published.Outcome);
        Assert.Contains(published.Problems, p => p.ElementId == "Gateway_Rating" && p.Message.Contains("incentive firewall"));
        Assert.DoesNotContain(await definitions.ListAsync("pay-for-better-rating"), d => d.Status == Remediation.Workflows.Persistence.DefinitionStatus.Published);
    }
}
