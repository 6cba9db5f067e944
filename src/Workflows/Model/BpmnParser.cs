using System.Xml;
using System.Xml.Linq;
using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Elements.Gateways;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Model;

/// <summary>A problem in a definition: the element it concerns and what to do about it.</summary>
public sealed record ValidationProblem(string ElementId, string Message)
{
    public override string ToString() => $"{ElementId}: {Message}";
}

/// <summary>The outcome of parsing: a model (null when the document could not be read) and the problems found so far.</summary>
public sealed record ParseResult(ProcessModel? Model, IReadOnlyList<ValidationProblem> Problems);

/// <summary>
/// Reads BPMN 2.0 XML (Camunda 7 dialect) safely: no DTD, no resolver, a size cap and a depth cap,
/// so XXE, entity expansion, huge files and deep nesting are refused before any work is done.
/// </summary>
public sealed class BpmnParser(WorkflowOptions options)
{
    public const string DocumentId = "(document)";
    private const int MaxDepth = 64;
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static readonly XNamespace Camunda = "http://camunda.org/schema/1.0/bpmn";

    private static readonly HashSet<string> Ignored =
    [
        "documentation", "extensionElements", "laneSet", "textAnnotation", "association", "dataObject",
        "dataObjectReference", "dataStoreReference", "property", "ioSpecification", "group", "category",
    ];

    public ParseResult Parse(string xml)
    {
        if (xml.Length > options.MaxDefinitionBytes)
            return Fail($"The file is larger than the limit of {options.MaxDefinitionBytes:N0} bytes; split the process or raise Workflows:MaxDefinitionBytes.");
        try
        {
            EnsureShallow(xml);
            using var reader = XmlReader.Create(new StringReader(xml), Settings());
            return Read(XDocument.Load(reader));
        }
        catch (XmlException e)
        {
            return Fail($"The file is not well-formed or safe BPMN XML: {e.Message}");
        }
    }

    private XmlReaderSettings Settings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = options.MaxDefinitionBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    // A streaming pass first, so a 100,000-level document is refused without building a tree.
    private void EnsureShallow(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), Settings());
        while (reader.Read())
            if (reader.Depth > MaxDepth)
                throw new XmlException($"Elements are nested more than {MaxDepth} levels deep.");
    }

    private static ParseResult Fail(string message) => new(null, [new ValidationProblem(DocumentId, message)]);

    private static ParseResult Read(XDocument document)
    {
        var problems = new List<ValidationProblem>();
        var root = document.Root!;
        if (root.Name != Bpmn + "definitions")
            return Fail("The root element must be bpmn:definitions (namespace http://www.omg.org/spec/BPMN/20100524/MODEL).");

        var messages = root.Elements(Bpmn + "message")
            .Where(m => Attr(m, "id") is not null)
            .ToDictionary(m => Attr(m, "id")!, m => Attr(m, "name") ?? Attr(m, "id")!);

        var processes = root.Elements(Bpmn + "process").ToList();
        if (processes.Count > 1) processes = processes.Where(p => Attr(p, "isExecutable") == "true").ToList();
        if (processes.Count != 1)
            return Fail(processes.Count == 0
                ? "The file contains no executable bpmn:process."
                : "The file contains several executable processes; keep one executable process per file.");
        var process = processes[0];
        var processId = Attr(process, "id");
        if (string.IsNullOrWhiteSpace(processId)) return Fail("The bpmn:process has no id.");

        var nodes = new Dictionary<string, FlowNode>();
        var order = new List<FlowNode>();
        var flows = new List<SequenceFlow>();

        foreach (var element in process.Elements())
        {
            var type = element.Name.LocalName;
            if (element.Name.Namespace != Bpmn || Ignored.Contains(type)) continue;
            var id = Attr(element, "id");
            if (string.IsNullOrWhiteSpace(id))
            {
                problems.Add(new(processId, $"A {type} has no id; give every element an id."));
                continue;
            }
            if (type == "sequenceFlow")
            {
                flows.Add(ReadFlow(element, id, problems));
                continue;
            }
            var node = ReadNode(element, type, id, messages);
            if (!nodes.TryAdd(id, node))
            {
                problems.Add(new(id, "The id is used twice; ids must be unique."));
                continue;
            }
            order.Add(node);
        }

        foreach (var flow in flows.ToList())
        {
            if (!nodes.TryGetValue(flow.SourceId, out var source) || !nodes.TryGetValue(flow.TargetId, out var target))
            {
                problems.Add(new(flow.Id, $"The sequence flow connects '{flow.SourceId}' to '{flow.TargetId}', but one of them does not exist."));
                flows.Remove(flow);
                continue;
            }
            flow.Source = source;
            flow.Target = target;
            source.outgoing.Add(flow);
            target.incoming.Add(flow);
        }

        foreach (var boundary in order.OfType<BoundaryTimerEvent>())
        {
            if (nodes.GetValueOrDefault(boundary.AttachedToId) is ActivityNode activity) activity.boundaries.Add(boundary);
            else problems.Add(new(boundary.Id, $"The boundary event is attached to '{boundary.AttachedToId}', which is not a user task, service task or call activity."));
        }

        return new(new ProcessModel(processId, Attr(process, "name"), nodes, order, flows), problems);
    }

    private static SequenceFlow ReadFlow(XElement element, string id, List<ValidationProblem> problems)
    {
        string? condition = null;
        if (element.Element(Bpmn + "conditionExpression") is { } expression)
        {
            var text = expression.Value;
            var language = Attr(expression, "language");
            if (ExpressionText.Body(text) is { } body) condition = body;
            else if (language is not null && language.Equals("javascript", StringComparison.OrdinalIgnoreCase)) condition = text;
            else if (Attr(expression, Camunda + "resource") is not null) problems.Add(new(id, "External condition scripts (camunda:resource) are not supported; write the condition inline."));
            else problems.Add(new(id, "The condition must be ${…} or a script with language=\"javascript\"."));
            if (condition is not null && string.IsNullOrWhiteSpace(condition)) problems.Add(new(id, "The condition is empty; write a JavaScript expression or remove it."));
        }
        return new SequenceFlow
        {
            Id = id,
            SourceId = Attr(element, "sourceRef") ?? "",
            TargetId = Attr(element, "targetRef") ?? "",
            Condition = condition,
        };
    }

    private static FlowNode ReadNode(XElement e, string type, string id, Dictionary<string, string> messages)
    {
        var name = Attr(e, "name");
        var @default = Attr(e, "default");
        var definitions = e.Elements().Where(c => c.Name.Namespace == Bpmn && c.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal)).ToList();
        var definition = definitions.Count == 1 ? definitions[0] : null;
        var definitionType = definition?.Name.LocalName;
        string? MessageName() => definition is null ? null : messages.GetValueOrDefault(Attr(definition, "messageRef") ?? "") ?? Attr(definition, "messageRef");
        UnsupportedNode Unsupported(string reason) => new() { Id = id, Name = name, ElementType = type, Reason = reason };

        if (definitions.Count > 1) return Unsupported($"A {type} with several event definitions is not supported; keep one.");

        switch (type)
        {
            case "startEvent":
                return definitionType switch
                {
                    null => new StartEvent { Id = id, Name = name, ElementType = type, DefaultFlowId = @default },
                    "messageEventDefinition" when MessageName() is { } message => new StartEvent { Id = id, Name = name, ElementType = type, MessageName = message },
                    "messageEventDefinition" => Unsupported("The message start event has no message; reference a bpmn:message with a name."),
                    _ => Unsupported($"A start event with {definitionType} is not supported; use a none or message start event."),
                };
            case "endEvent":
                return definitionType switch
                {
                    null => new EndEvent { Id = id, Name = name, ElementType = type },
                    "terminateEventDefinition" => new EndEvent { Id = id, Name = name, ElementType = type, Terminate = true },
                    _ => Unsupported($"An end event with {definitionType} is not supported; use a none or terminate end event."),
                };
            case "intermediateCatchEvent":
                return definitionType switch
                {
                    "timerEventDefinition" => ReadTimer(definition!) is { } timer
                        ? new TimerCatchEvent { Id = id, Name = name, ElementType = type, Timer = timer }
                        : Unsupported("The timer has no timeDuration, timeDate or timeCycle."),
                    "messageEventDefinition" when MessageName() is { } message => new MessageCatchEvent { Id = id, Name = name, ElementType = type, MessageName = message },
                    "messageEventDefinition" => Unsupported("The message catch event has no message; reference a bpmn:message with a name."),
                    _ => Unsupported($"An intermediate catch event with {definitionType ?? "no event definition"} is not supported; use a timer or message catch event."),
                };
            case "boundaryEvent":
                if (definitionType != "timerEventDefinition")
                    return Unsupported($"A boundary event with {definitionType ?? "no event definition"} is not supported; use a timer boundary event.");
                if (ReadTimer(definition!) is not { } boundaryTimer) return Unsupported("The timer has no timeDuration, timeDate or timeCycle.");
                return new BoundaryTimerEvent
                {
                    Id = id, Name = name, ElementType = type, Timer = boundaryTimer,
                    AttachedToId = Attr(e, "attachedToRef") ?? "",
                    CancelActivity = Attr(e, "cancelActivity") != "false",
                };
            case "userTask":
                return new UserTask
                {
                    Id = id, Name = name, ElementType = type, DefaultFlowId = @default,
                    FormKey = Attr(e, Camunda + "formKey"),
                    Assignee = Attr(e, Camunda + "assignee"),
                    CandidateGroups = (Attr(e, Camunda + "candidateGroups") ?? "")
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    DueDate = Attr(e, Camunda + "dueDate"),
                    FormFields = e.Element(Bpmn + "extensionElements")?.Element(Camunda + "formData")?.Elements(Camunda + "formField")
                        .Select(f => new FormField(
                            Attr(f, "id") ?? "", Attr(f, "label"), Attr(f, "type") ?? "string", Attr(f, "defaultValue"),
                            f.Element(Camunda + "validation")?.Elements(Camunda + "constraint").Any(c => Attr(c, "name") == "required") == true,
                            f.Elements(Camunda + "value").Select(v => Attr(v, "id") ?? "").ToList()))
                        .ToList() ?? [],
                };
            case "serviceTask":
                return Attr(e, Camunda + "type") == "external" && Attr(e, Camunda + "topic") is { Length: > 0 } topic
                    ? new ServiceTask { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, Topic = topic }
                    : Unsupported("A service task must be camunda:type=\"external\" with a camunda:topic naming a registered handler.");
            case "callActivity":
                return Attr(e, "calledElement") is { Length: > 0 } called
                    ? new CallActivity { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, CalledElement = called }
                    : Unsupported("The call activity has no calledElement; set it to the id of a published process.");
            case "exclusiveGateway":
                return new ExclusiveGateway { Id = id, Name = name, ElementType = type, DefaultFlowId = @default };
            case "parallelGateway":
                return new ParallelGateway { Id = id, Name = name, ElementType = type };
            case "inclusiveGateway":
                return new InclusiveGateway { Id = id, Name = name, ElementType = type, DefaultFlowId = @default };
            default:
                return Unsupported($"The element type '{type}' is not supported by this engine; use a user task, an external service task, a call activity, gateways or timer/message events instead.");
        }
    }

    private static TimerSpec? ReadTimer(XElement definition)
    {
        foreach (var (element, kind) in new[] { ("timeDuration", TimerKind.Duration), ("timeDate", TimerKind.Date), ("timeCycle", TimerKind.Cycle) })
            if (definition.Element(Bpmn + element) is { } value)
                return new TimerSpec(kind, value.Value.Trim());
        return null;
    }

    private static string? Attr(XElement e, XName name) => e.Attribute(name)?.Value;
}
