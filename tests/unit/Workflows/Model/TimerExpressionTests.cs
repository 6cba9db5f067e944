using Microsoft.Extensions.DependencyInjection;
using Remediation.Workflows;
using Remediation.Workflows.Model;
using Xunit;

namespace Remediation.UnitTests.Workflows.Model;

/// <summary>Timers whose duration is a <c>${…}</c> expression (the complaint SLAs are process variables).</summary>
public sealed class TimerExpressionTests
{
    private const string Process = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
          <bpmn:process id="timer-expression" isExecutable="true">
            <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:intermediateCatchEvent id="Wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
              <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">DURATION</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Wait" />
            <bpmn:sequenceFlow id="f2" sourceRef="Wait" targetRef="End" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static IReadOnlyList<ValidationProblem> Validate(string duration) =>
        new ServiceCollection().AddWorkflowRegistry().BuildServiceProvider().ValidateOffline(Process.Replace("DURATION", duration));

    [Theory]
    [InlineData("${callbackDelay}")]
    [InlineData("PT2S")]
    public void Validate_AcceptsALiteralDuration_OrAnExpression(string duration) => Assert.Empty(Validate(duration));

    [Fact]
    public void Validate_NamesTheTimer_WhenTheLiteralIsNotADuration()
    {
        var problem = Assert.Single(Validate("soon"));
        Assert.Equal("Wait", problem.ElementId);
    }

    [Fact]
    public void Validate_NamesTheTimer_WhenTheExpressionDoesNotCompile()
    {
        var problem = Assert.Single(Validate("${callbackDelay +}"));
        Assert.Equal("Wait", problem.ElementId);
    }

    [Fact]
    public void TimerSpec_ExposesTheExpression_AndLeavesItsCheckToEvaluation()
    {
        var spec = new TimerSpec(TimerKind.Duration, "${slaVent}");

        Assert.Equal("slaVent", spec.Expression);
        Assert.Null(spec.Problem);
        Assert.NotNull((spec with { Text = "4 hours" }).Problem);
    }
}
