using System.Security;

namespace Remediation.Portal.Studio;

/// <summary>The document a new process starts from: an executable Camunda 7 process with one start event on its diagram.</summary>
public static class BlankDiagram
{
    public static string Xml(string processId, string name)
    {
        var id = SecurityElement.Escape(processId);
        var title = SecurityElement.Escape(name);
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                              xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                              id="Definitions_{id}" targetNamespace="http://bpmn.io/schema/bpmn">
              <bpmn:process id="{id}" name="{title}" isExecutable="true">
                <bpmn:startEvent id="StartEvent_1" name="Start" />
              </bpmn:process>
              <bpmndi:BPMNDiagram id="BPMNDiagram_1">
                <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="{id}">
                  <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
                    <dc:Bounds x="180" y="160" width="36" height="36" />
                  </bpmndi:BPMNShape>
                </bpmndi:BPMNPlane>
              </bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
    }
}
