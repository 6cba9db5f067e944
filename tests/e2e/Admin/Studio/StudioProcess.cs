namespace Remediation.E2ETests.Admin.Studio;

/// <summary>The file the admin uploads: Start → Notify partner (studio.flaky) → Check (Handler) → End, with its diagram.</summary>
public static class StudioProcess
{
    public const string Id = "studio-flaky";

    public const string Xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                          xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                          xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs" targetNamespace="http://remediation.local/bpmn">
          <bpmn:process id="studio-flaky" name="Partner notification" isExecutable="true">
            <bpmn:startEvent id="Start" name="Start" />
            <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Notify" />
            <bpmn:serviceTask id="Notify" name="Notify partner" camunda:type="external" camunda:topic="studio.flaky" />
            <bpmn:sequenceFlow id="F2" sourceRef="Notify" targetRef="Check" />
            <bpmn:userTask id="Check" name="Check answer" camunda:candidateGroups="Handler" />
            <bpmn:sequenceFlow id="F3" sourceRef="Check" targetRef="End" />
            <bpmn:endEvent id="End" name="Done" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="Diagram">
            <bpmndi:BPMNPlane id="Plane" bpmnElement="studio-flaky">
              <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="Notify_di" bpmnElement="Notify"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="Check_di" bpmnElement="Check"><dc:Bounds x="400" y="80" width="100" height="80" /></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="562" y="102" width="36" height="36" /></bpmndi:BPMNShape>
              <bpmndi:BPMNEdge id="F1_di" bpmnElement="F1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="340" y="120" /><di:waypoint x="400" y="120" /></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="F3_di" bpmnElement="F3"><di:waypoint x="500" y="120" /><di:waypoint x="562" y="120" /></bpmndi:BPMNEdge>
            </bpmndi:BPMNPlane>
          </bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;
}
