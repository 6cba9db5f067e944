# Generates src/Portal/Workflows/review-remediation.bpmn (semantic model + diagram interchange):
#   python3 scripts/review-bpmn.py > src/Portal/Workflows/review-remediation.bpmn

nodes = []  # (id, kind, name, x, y, attrs, extra)
def n(id, kind, name, x, y, attrs="", inner=""):
    nodes.append(dict(id=id, kind=kind, name=name, x=x, y=y, attrs=attrs, inner=inner))
flows = []  # (id, src, dst, cond, waypoints or None, name)
def f(id, s, t, cond=None, wps=None, name=None):
    flows.append(dict(id=id, s=s, t=t, cond=cond, wps=wps, name=name))

Y = 220
n("StartEvent_Received", "startEvent", "Review received", 100, Y)
n("Task_Reply", "userTask", "Reply to the review", 180, Y,
  'camunda:formKey="review-reply" camunda:candidateGroups="Handler" camunda:dueDate="${replySla}"',
  "<bpmn:documentation>Sets remedy: 'close' (no remedy needed), 'await' (wait for the customer's answer) or 'offer' (make a compensation offer). The reply text passes the incentive firewall.</bpmn:documentation>")
n("Gateway_Remedy", "exclusiveGateway", "Remedy?", 340, Y)
n("End_Replied", "endEvent", "Replied and closed", 347, 80)
n("Gateway_OfferMerge", "exclusiveGateway", "", 430, Y)
n("Task_Offer", "userTask", "Make a compensation offer", 520, Y,
  'camunda:formKey="review-offer" camunda:candidateGroups="Handler" camunda:assignee="${proposer}"',
  "<bpmn:documentation>Sets offerMade; when true also proposer, approvalRole (the first level's role) and approvalDone=false. After a rejection the task returns to the proposer.</bpmn:documentation>")
n("Gateway_Offered", "exclusiveGateway", "Offer made?", 680, Y)
n("Gateway_ApprovalMerge", "exclusiveGateway", "", 770, Y)
n("Task_Approve", "userTask", "Approve the offer (this level)", 860, Y,
  'camunda:formKey="review-approve" camunda:candidateGroups="${approvalRole}"',
  "<bpmn:documentation>One level of the approval matrix: candidate group is the level's role. Sets approved, approvalDone and the next level's approvalRole. Never the proposer; never the same person twice in one chain.</bpmn:documentation>")
n("Gateway_Approved", "exclusiveGateway", "Approved?", 1020, Y)
n("Task_Pay", "serviceTask", "Request payment", 1110, Y, 'camunda:type="external" camunda:topic="payment.request"',
  "<bpmn:documentation>Sends the approved offer to the payment gateway (key review-offer:{offerId}).</bpmn:documentation>")
n("Catch_PaymentConfirmed", "intermediateCatchEvent", "Payment confirmed", 1272, Y, "",
  '<bpmn:messageEventDefinition id="MessageDef_PaymentConfirmed" messageRef="Message_PaymentConfirmed" />')
n("Task_Tell", "userTask", "Tell the customer", 1350, Y,
  'camunda:formKey="review-tell-customer" camunda:candidateGroups="Handler" camunda:assignee="${proposer}"',
  "<bpmn:documentation>A message to the customer about the compensation; it passes the incentive firewall.</bpmn:documentation>")
n("Gateway_AnswerMerge", "exclusiveGateway", "", 1500, Y)
n("Task_Answer", "userTask", "Record the customer's answer", 1590, Y,
  'camunda:formKey="review-customer-answer" camunda:candidateGroups="Handler"',
  "<bpmn:documentation>Accepted, not accepted, or the customer changed the review on their own (recorded, never requested).</bpmn:documentation>")
n("End_Closed", "endEvent", "Review closed", 1752, Y)
n("Boundary_ReplySla", "boundaryEvent", "Reply SLA passed", 212, Y, 'cancelActivity="false" attachedToRef="Task_Reply"',
  '<bpmn:timerEventDefinition id="TimerDef_Boundary_ReplySla"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${replySla}</bpmn:timeDuration></bpmn:timerEventDefinition>')
n("Task_Escalate", "userTask", "Review the overdue reply", 180, 380,
  'camunda:formKey="review-escalation" camunda:candidateGroups="Supervisor"')
n("End_Escalated", "endEvent", "Escalation handled", 347, 402)

f("Flow_StartToReply", "StartEvent_Received", "Task_Reply")
f("Flow_ReplyToRemedy", "Task_Reply", "Gateway_Remedy")
f("Flow_NoRemedy", "Gateway_Remedy", "End_Replied", "${remedy == 'close'}", name="No remedy")
f("Flow_Offer", "Gateway_Remedy", "Gateway_OfferMerge", "${remedy == 'offer'}", name="Offer")
f("Flow_Await", "Gateway_Remedy", "Gateway_AnswerMerge", "${remedy == 'await'}", [(365, 245), (365, 520), (1525, 520), (1525, 245)], "Await answer")
f("Flow_OfferMergeToOffer", "Gateway_OfferMerge", "Task_Offer")
f("Flow_OfferToOffered", "Task_Offer", "Gateway_Offered")
f("Flow_OfferMade", "Gateway_Offered", "Gateway_ApprovalMerge", "${offerMade}", name="Yes")
f("Flow_NoOffer", "Gateway_Offered", "Gateway_AnswerMerge", "${!offerMade}", [(705, 245), (705, 480), (1515, 480), (1515, 255)], "No")
f("Flow_ApprovalMergeToApprove", "Gateway_ApprovalMerge", "Task_Approve")
f("Flow_ApproveToDecision", "Task_Approve", "Gateway_Approved")
f("Flow_NextLevel", "Gateway_Approved", "Gateway_ApprovalMerge", "${approved && !approvalDone}", [(1045, 220), (1045, 150), (795, 150), (795, 220)], "Next level")
f("Flow_Rejected", "Gateway_Approved", "Gateway_OfferMerge", "${!approved}", [(1045, 270), (1045, 400), (455, 400), (455, 270)], "Rejected")
f("Flow_ApprovedToPay", "Gateway_Approved", "Task_Pay", "${approved && approvalDone}", name="Approved")
f("Flow_PayToConfirmed", "Task_Pay", "Catch_PaymentConfirmed")
f("Flow_ConfirmedToTell", "Catch_PaymentConfirmed", "Task_Tell")
f("Flow_TellToAnswer", "Task_Tell", "Gateway_AnswerMerge")
f("Flow_AnswerMergeToAnswer", "Gateway_AnswerMerge", "Task_Answer")
f("Flow_AnswerToEnd", "Task_Answer", "End_Closed")
f("Flow_SlaToEscalate", "Boundary_ReplySla", "Task_Escalate", wps=[(230, 298), (230, 380)])
f("Flow_EscalateToEnd", "Task_Escalate", "End_Escalated")

size = {"startEvent": (36, 36), "endEvent": (36, 36), "intermediateCatchEvent": (36, 36), "boundaryEvent": (36, 36),
        "exclusiveGateway": (50, 50), "userTask": (120, 80), "serviceTask": (120, 80)}
def box(node):
    w, h = size[node["kind"]]
    x = node["x"]
    y = node["y"] - h / 2 if node["kind"] != "boundaryEvent" else node["y"] + 40 - 18
    return x, y, w, h
byid = {x["id"]: x for x in nodes}
def centre(id):
    x, y, w, h = box(byid[id]); return x + w / 2, y + h / 2
def edge_pts(fl):
    if fl["wps"]: return fl["wps"]
    sx, sy, sw, sh = box(byid[fl["s"]]); tx, ty, tw, th = box(byid[fl["t"]])
    scx, scy = sx + sw / 2, sy + sh / 2; tcx, tcy = tx + tw / 2, ty + th / 2
    if abs(scy - tcy) < 1: return [(sx + sw, scy), (tx, tcy)]
    if tcy < scy: return [(scx, sy), (scx, tcy), (tx, tcy)] if abs(scx - tcx) > 1 else [(scx, sy), (tcx, ty + th)]
    return [(scx, sy + sh), (tcx, ty)]
def esc(s): return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

out = ['<?xml version="1.0" encoding="UTF-8"?>',
 '<!-- Generated by scripts/review-bpmn.py: edit the script, not this file (docs/reviews.md). -->',
 '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_review-remediation" targetNamespace="https://remediation.example/bpmn" exporter="Remediation" exporterVersion="1.0">']
out.append('  <bpmn:message id="Message_PaymentConfirmed" name="payment-confirmed" />')
out.append('  <bpmn:process id="review-remediation" name="Review remediation" isExecutable="true">')
for node in nodes:
    ins = [fl["id"] for fl in flows if fl["t"] == node["id"]]; outs = [fl["id"] for fl in flows if fl["s"] == node["id"]]
    name = f' name="{esc(node["name"])}"' if node["name"] else ""
    attrs = (" " + node["attrs"]) if node["attrs"] else ""
    out.append(f'    <bpmn:{node["kind"]} id="{node["id"]}"{name}{attrs}>')
    if node["inner"].startswith("<bpmn:documentation>"): out.append("      " + node["inner"])
    for i in ins: out.append(f"      <bpmn:incoming>{i}</bpmn:incoming>")
    for o in outs: out.append(f"      <bpmn:outgoing>{o}</bpmn:outgoing>")
    if node["inner"] and not node["inner"].startswith("<bpmn:documentation>"): out.append("      " + node["inner"])
    out.append(f'    </bpmn:{node["kind"]}>')
for fl in flows:
    name = f' name="{esc(fl["name"])}"' if fl["name"] else ""
    if fl["cond"]:
        out.append(f'    <bpmn:sequenceFlow id="{fl["id"]}"{name} sourceRef="{fl["s"]}" targetRef="{fl["t"]}">')
        out.append(f'      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{esc(fl["cond"])}</bpmn:conditionExpression>')
        out.append('    </bpmn:sequenceFlow>')
    else:
        out.append(f'    <bpmn:sequenceFlow id="{fl["id"]}"{name} sourceRef="{fl["s"]}" targetRef="{fl["t"]}" />')
out.append('  </bpmn:process>')
out.append('  <bpmndi:BPMNDiagram id="Diagram_review-remediation">')
out.append('    <bpmndi:BPMNPlane id="Plane_review-remediation" bpmnElement="review-remediation">')
for node in nodes:
    x, y, w, h = box(node)
    marker = ' isMarkerVisible="true"' if node["kind"] == "exclusiveGateway" else ""
    out.append(f'      <bpmndi:BPMNShape id="{node["id"]}_di" bpmnElement="{node["id"]}"{marker}>')
    out.append(f'        <dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" />')
    if node["kind"] not in ("userTask", "serviceTask") and node["name"]:
        out.append(f'        <bpmndi:BPMNLabel><dc:Bounds x="{x + w/2 - 45:.0f}" y="{y + h + 5:.0f}" width="90" height="27" /></bpmndi:BPMNLabel>')
    out.append('      </bpmndi:BPMNShape>')
for fl in flows:
    out.append(f'      <bpmndi:BPMNEdge id="{fl["id"]}_di" bpmnElement="{fl["id"]}">')
    for (px, py) in edge_pts(fl): out.append(f'        <di:waypoint x="{px:.0f}" y="{py:.0f}" />')
    out.append('      </bpmndi:BPMNEdge>')
out.append('    </bpmndi:BPMNPlane>')
out.append('  </bpmndi:BPMNDiagram>')
out.append('</bpmn:definitions>')
print("\n".join(out))
