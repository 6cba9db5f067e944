using System.Xml;
using System.Xml.Linq;
using Remediation.Workflows.Elements.Events;
using Remediation.Workflows.Elements.Gateways;
using Remediation.Workflows.Elements.Tasks;
using Remediation.Workflows.Runtime;

namespace Remediation.Workflows.Model;

/// <summary>Errors stop a definition from being published; warnings are shown and publish goes on.</summary>
public enum ProblemSeverity { Error, Warning }

/// <summary>A problem in a definition: the element it concerns, what to do about it, and whether it blocks publish.</summary>
public sealed record ValidationProblem(string ElementId, string Message, ProblemSeverity Severity = ProblemSeverity.Error)
{
    public bool IsError => Severity == ProblemSeverity.Error;

    public static ValidationProblem Warning(string elementId, string message) => new(elementId, message, ProblemSeverity.Warning);

    public override string ToString() => IsError ? $"{ElementId}: {Message}" : $"{ElementId}: warning: {Message}";
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

    // A sub-process's own markup, read with it rather than as elements inside it.
    private static readonly HashSet<string> ScopeMarkup = ["incoming", "outgoing", "multiInstanceLoopCharacteristics", "standardLoopCharacteristics"];

    private static readonly HashSet<string> Ignored =
    [
        "documentation", "extensionElements", "laneSet", "textAnnotation", "association", "dataObject",
        "dataObjectReference", "dataStoreReference", "property", "ioSpecification", "group", "category",
    ];

    public ParseResult Parse(string xml)
    {
        if (xml.Length > options.MaxDefinitionBytes)
            return Fail($"The file is larger than the limit of {options.MaxDefinitionBytes:N0} bytes; split the process or raise Workflows:MaxDefinitionBytes.");
        if (HasDoctype(xml))
            return Fail("The file contains a DTD (<!DOCTYPE …>), which is not allowed; delete the DOCTYPE declaration (BPMN files need none).");
        try
        {
            if (!IsShallow(xml)) return Fail($"Elements are nested more than {MaxDepth} levels deep; a BPMN file never needs that.");
            using var reader = XmlReader.Create(new StringReader(xml), Settings());
            return Read(XDocument.Load(reader));
        }
        catch (XmlException e)
        {
            // The reader's own text can carry .NET advice (DtdProcessing, XmlReaderSettings); say where, in our words.
            var where = e.LineNumber > 0 ? $" at line {e.LineNumber}, position {e.LinePosition}" : "";
            return Fail($"The file is not well-formed XML{where}; open it in the modeler or an XML editor and save it again.");
        }
    }

    // A DTD can only stand in the prolog: before the root element, after the XML declaration, comments and processing instructions.
    private static bool HasDoctype(string xml)
    {
        var i = xml.Length > 0 && xml[0] == '\uFEFF' ? 1 : 0;
        while (true)
        {
            while (i < xml.Length && char.IsWhiteSpace(xml[i])) i++;
            if (string.CompareOrdinal(xml, i, "<?", 0, 2) == 0) i = Skip(xml, i, "?>");
            else if (string.CompareOrdinal(xml, i, "<!--", 0, 4) == 0) i = Skip(xml, i, "-->");
            else return string.Compare(xml, i, "<!DOCTYPE", 0, 9, StringComparison.OrdinalIgnoreCase) == 0;
            if (i < 0) return false;
        }

        static int Skip(string xml, int from, string end)
        {
            var at = xml.IndexOf(end, from + 2, StringComparison.Ordinal);
            return at < 0 ? -1 : at + end.Length;
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
    private bool IsShallow(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), Settings());
        while (reader.Read())
            if (reader.Depth > MaxDepth)
                return false;
        return true;
    }

    private static ParseResult Fail(string message) => new(null, [new ValidationProblem(DocumentId, message)]);

    private static ParseResult Read(XDocument document)
    {
        var problems = new List<ValidationProblem>();
        var root = document.Root!;
        if (root.Name != Bpmn + "definitions")
            return Fail("The root element must be bpmn:definitions (namespace http://www.omg.org/spec/BPMN/20100524/MODEL).");

        var messages = new Dictionary<string, string>();
        foreach (var message in root.Elements(Bpmn + "message"))
            if (Attr(message, "id") is { } messageId)
                messages.TryAdd(messageId, Attr(message, "name") ?? messageId);

        var errors = new Dictionary<string, (string? Code, string? Name)>();
        foreach (var error in root.Elements(Bpmn + "error"))
            if (Attr(error, "id") is { } errorId)
                errors.TryAdd(errorId, (Attr(error, "errorCode") is { Length: > 0 } code ? code : null, Attr(error, "name")));

        // Camunda 7 runs a process unless it says isExecutable="false"; among several, the one saying "true" is meant.
        var all = root.Elements(Bpmn + "process").ToList();
        var processes = all.Where(p => Attr(p, "isExecutable") != "false").ToList();
        if (processes.Count > 1 && processes.Count(p => Attr(p, "isExecutable") == "true") == 1)
            processes = processes.Where(p => Attr(p, "isExecutable") == "true").ToList();
        var executable = processes.Count > 0;
        if (!executable && all.Count == 1) processes = all;
        if (processes.Count != 1)
            return Fail(all.Count == 0 ? "The file contains no bpmn:process."
                : processes.Count == 0 ? NotExecutable
                : "The file contains several executable processes; keep one executable process per file.");
        var process = processes[0];
        var processId = Attr(process, "id");
        if (string.IsNullOrWhiteSpace(processId)) return Fail("The bpmn:process has no id.");

        var nodes = new Dictionary<string, FlowNode>();
        var order = new List<FlowNode>();
        var flowElements = new List<(XElement Element, string? Id)>();
        RefuseUnsupportedExtensions(process, processId, "process", problems);

        // A sub-process's elements join the one model (ids are unique in a file), each knowing the sub-process it runs in.
        void ReadScope(XElement container, string? scopeId)
        {
            foreach (var element in container.Elements())
            {
                var type = element.Name.LocalName;
                if (element.Name.Namespace != Bpmn || Ignored.Contains(type) || scopeId is not null && ScopeMarkup.Contains(type)) continue;
                var id = Attr(element, "id");
                if (type == "sequenceFlow")
                {
                    flowElements.Add((element, string.IsNullOrWhiteSpace(id) ? null : id));
                    continue;
                }
                if (string.IsNullOrWhiteSpace(id))
                {
                    problems.Add(new(scopeId ?? processId, $"A {type} has no id; give every element an id."));
                    continue;
                }
                var node = ReadNode(element, type, id, messages, errors, problems);
                node.ScopeId = scopeId;
                if (!nodes.TryAdd(id, node))
                {
                    problems.Add(new(id, "The id is used twice; ids must be unique."));
                    continue;
                }
                if (node is not UnsupportedNode) RefuseUnsupportedExtensions(element, id, type, problems);
                order.Add(node);
                if (node is SubProcess or EventSubProcess) ReadScope(element, id);
            }
        }
        ReadScope(process, null);

        var flows = new List<SequenceFlow>();
        var reachedDespiteProblems = new HashSet<string>();
        var taken = document.Descendants().Select(d => Attr(d, "id")).OfType<string>().ToHashSet();
        foreach (var (element, explicitId) in flowElements)
        {
            var sourceId = Ref(element, "sourceRef") ?? "";
            var targetId = Ref(element, "targetRef") ?? "";
            var id = explicitId ?? GeneratedFlowId(sourceId, targetId, taken);
            if (explicitId is null)
                problems.Add(ValidationProblem.Warning(id, $"The sequence flow from '{sourceId}' to '{targetId}' has no id; the engine calls it '{id}' "
                    + "(the same every time the file is read). Give it an id in the modeler to choose the name yourself."));
            RefuseUnsupportedExtensions(element, id, "sequenceFlow", problems);
            var flow = ReadFlow(element, id, sourceId, targetId, problems);
            if (!nodes.TryGetValue(flow.SourceId, out var source) || !nodes.TryGetValue(flow.TargetId, out var target))
            {
                problems.Add(new(flow.Id, $"The sequence flow connects '{flow.SourceId}' to '{flow.TargetId}', but one of them does not exist."));
                if (nodes.ContainsKey(flow.TargetId)) reachedDespiteProblems.Add(flow.TargetId);
                continue;
            }
            if (source.ScopeId != target.ScopeId)
            {
                problems.Add(new(flow.Id, $"The sequence flow from '{flow.SourceId}' to '{flow.TargetId}' crosses the border of a sub-process; "
                    + "connect the sub-process itself, and inside it start from its start event and finish at an end event."));
                reachedDespiteProblems.Add(flow.TargetId);
                continue;
            }
            flow.Source = source;
            flow.Target = target;
            source.outgoing.Add(flow);
            target.incoming.Add(flow);
            flows.Add(flow);
        }

        foreach (var boundary in order.Where(n => n is BoundaryTimerEvent or BoundaryErrorEvent))
        {
            var attachedTo = boundary is BoundaryTimerEvent timer ? timer.AttachedToId : ((BoundaryErrorEvent)boundary).AttachedToId;
            if (nodes.GetValueOrDefault(attachedTo) is ActivityNode activity)
            {
                if (boundary is BoundaryTimerEvent timerBoundary) activity.boundaries.Add(timerBoundary);
                else activity.errorBoundaries.Add((BoundaryErrorEvent)boundary);
            }
            else
            {
                problems.Add(new(boundary.Id, $"The boundary event is attached to '{attachedTo}', which is not a user task, service task, call activity or sub-process."));
                reachedDespiteProblems.Add(boundary.Id);
            }
        }

        // A process nobody meant to run gets one message, not one per element it was never made ready for.
        if (!executable) problems = [new(DocumentId, NotExecutable)];
        var model = new ProcessModel(processId, Attr(process, "name"), nodes, order, flows)
        {
            IsExecutable = executable,
            ReachedDespiteProblems = reachedDespiteProblems,
        };
        return new(model, problems);
    }

    private const string NotExecutable =
        "The process is marked not executable (isExecutable=\"false\"); set isExecutable=true in the modeler (the \"Executable\" checkbox of the process) to publish it.";

    // Deterministic: the same file always gives the same id, so tokens and the journal of running instances still match it.
    private static string GeneratedFlowId(string sourceId, string targetId, HashSet<string> taken)
    {
        var stem = $"Flow_{sourceId}_to_{targetId}";
        var id = stem;
        for (var n = 2; !taken.Add(id); n++) id = $"{stem}_{n}";
        return id;
    }

    private static SequenceFlow ReadFlow(XElement element, string id, string sourceId, string targetId, List<ValidationProblem> problems)
    {
        string? condition = null;
        if (element.Element(Bpmn + "conditionExpression") is { } expression)
        {
            if (Attr(expression, Camunda + "resource") is not null)
            {
                problems.Add(new(id, "External condition scripts (camunda:resource) are not supported; write the condition inline as JavaScript, e.g. "
                    + ConditionTranslator.Example + "."));
                condition = "false";
            }
            else
            {
                var translated = ConditionTranslator.Translate(expression.Value, Attr(expression, "language"));
                if (translated.Problem is { } problem) problems.Add(new(id, problem));
                // A refused condition keeps a text, so the flow is not also reported as having none.
                condition = translated.JavaScript ?? "false";
            }
        }
        return new SequenceFlow { Id = id, SourceId = sourceId, TargetId = targetId, Condition = condition };
    }

    private static readonly HashSet<string> IoTypes = ["userTask", "serviceTask", "sendTask", "receiveTask", "callActivity", "subProcess"];

    private static Elements.VariableMapping Mapping(string target, XElement value) =>
        new(target, null, string.IsNullOrWhiteSpace(value.Value) ? null : value.Value.Trim());

    /// <summary><c>camunda:inputOutput</c> of an activity (null when it has none); list, map and script values are refused.</summary>
    private static Elements.InputOutput? ReadIo(XElement e, string id, List<ValidationProblem> problems)
    {
        if (e.Element(Bpmn + "extensionElements")?.Element(Camunda + "inputOutput") is not { } io) return null;
        List<Elements.VariableMapping> Read(string kind) => io.Elements(Camunda + kind).Select(p =>
        {
            var name = Attr(p, "name") ?? "";
            if (p.Elements().FirstOrDefault() is { } complex)
                problems.Add(new(id, $"The {kind} '{name}' of '{id}' uses camunda:{complex.Name.LocalName}, which is not supported; write its value as text or a ${{…}} expression (JavaScript, e.g. ${{[a, b]}} for a list)."));
            if (string.IsNullOrWhiteSpace(name)) problems.Add(new(id, $"An {kind} of '{id}' has no name; give it the variable name."));
            return Mapping(name, p);
        }).ToList();
        return new Elements.InputOutput { Inputs = Read("inputParameter"), Outputs = Read("outputParameter") };
    }

    /// <summary><c>camunda:in</c> / <c>camunda:out</c> of a call activity (null when it has none).</summary>
    private static Elements.CallMappings? ReadCallMappings(XElement e, string id, List<ValidationProblem> problems)
    {
        if (e.Element(Bpmn + "extensionElements") is not { } extensions) return null;
        var ins = extensions.Elements(Camunda + "in").ToList();
        var outs = extensions.Elements(Camunda + "out").ToList();
        if (ins.Count == 0 && outs.Count == 0) return null;
        List<Elements.VariableMapping> Read(List<XElement> mappings, string kind)
        {
            var result = new List<Elements.VariableMapping>();
            foreach (var m in mappings)
            {
                if (Attr(m, "businessKey") is not null)
                {
                    problems.Add(new(id, $"camunda:{kind} businessKey on '{id}' is not supported; the called process always gets the caller's business key."));
                    continue;
                }
                if (Attr(m, "variables") == "all") continue;
                var target = Attr(m, "target");
                if (string.IsNullOrWhiteSpace(target) || Attr(m, "source") is null && Attr(m, "sourceExpression") is null)
                {
                    problems.Add(new(id, $"A camunda:{kind} of '{id}' needs a target and a source or sourceExpression (or variables=\"all\")."));
                    continue;
                }
                result.Add(new(target, Attr(m, "source"), Attr(m, "sourceExpression")));
            }
            return result;
        }
        return new Elements.CallMappings
        {
            In = Read(ins, "in"), InAll = ins.Any(m => Attr(m, "variables") == "all"),
            Out = Read(outs, "out"), OutAll = outs.Any(m => Attr(m, "variables") == "all"),
        };
    }

    private static readonly HashSet<string> MultiInstanceTypes = ["userTask", "serviceTask", "sendTask", "callActivity", "subProcess"];

    /// <summary>The multi-instance marker of a user task, service task, call activity or sub-process (null when it has none).</summary>
    private static Elements.MultiInstanceLoop? ReadLoop(XElement e, string id, List<ValidationProblem> problems)
    {
        if (e.Element(Bpmn + "multiInstanceLoopCharacteristics") is not { } marker) return null;
        var collection = Attr(marker, Camunda + "collection");
        var cardinality = marker.Element(Bpmn + "loopCardinality")?.Value.Trim();
        if (string.IsNullOrWhiteSpace(cardinality)) cardinality = null;
        if (string.IsNullOrWhiteSpace(collection)) collection = null;
        if (marker.Element(Bpmn + "loopDataInputRef") is not null || marker.Element(Bpmn + "inputDataItem") is not null)
            problems.Add(new(id, $"The multi-instance marker of '{id}' uses bpmn:loopDataInputRef / bpmn:inputDataItem, which is not supported; "
                + "use camunda:collection=\"${approvers}\" and camunda:elementVariable=\"approver\" instead."));
        else if (collection is null && cardinality is null)
            problems.Add(new(id, $"The multi-instance marker of '{id}' has neither camunda:collection nor bpmn:loopCardinality, so the engine cannot tell how many "
                + "instances to run; set camunda:collection=\"${approvers}\" with camunda:elementVariable=\"approver\", or a loop cardinality such as 3."));
        string? completion = null;
        if (marker.Element(Bpmn + "completionCondition") is { } condition && !string.IsNullOrWhiteSpace(condition.Value))
        {
            var translated = ConditionTranslator.Translate(condition.Value, Attr(condition, "language"));
            if (translated.Problem is { } problem) problems.Add(new(id, $"Completion condition: {problem}"));
            completion = translated.JavaScript ?? "false";
        }
        return new Elements.MultiInstanceLoop
        {
            IsSequential = Attr(marker, "isSequential") == "true",
            Collection = collection,
            ElementVariable = Attr(marker, Camunda + "elementVariable") is { Length: > 0 } variable ? variable : null,
            Cardinality = cardinality,
            CompletionCondition = completion,
        };
    }

    /// <summary>Refuses the Camunda extensions and loop markers that change what an element does and that this engine does not run yet.</summary>
    private static void RefuseUnsupportedExtensions(XElement e, string id, string type, List<ValidationProblem> problems)
    {
        void Refuse(string what, string instead) => problems.Add(new(id, $"The {type} '{id}' uses {what}, which is not supported yet. {instead}"));

        if (e.Element(Bpmn + "multiInstanceLoopCharacteristics") is not null && !MultiInstanceTypes.Contains(type))
            Refuse("a multi-instance marker (bpmn:multiInstanceLoopCharacteristics)", "It would run once instead of once per item; remove the marker, or model the instances as parallel branches.");
        if (e.Element(Bpmn + "standardLoopCharacteristics") is not null)
            Refuse("a loop marker (bpmn:standardLoopCharacteristics)", "Remove the marker and model the loop with an exclusive gateway and a flow back.");
        if (Attr(e, Camunda + "candidateUsers") is not null && type != "userTask")
            Refuse("camunda:candidateUsers", "Only a user task takes candidate users; remove it here.");
        if (e.Element(Bpmn + "extensionElements") is not { } extensions) return;
        if (extensions.Element(Camunda + "inputOutput") is not null && !IoTypes.Contains(type))
            Refuse("camunda:inputOutput (input/output variable mappings)", "It is supported on user, service, send and receive tasks, call activities and sub-processes; remove it here (the element reads and sets the process variables directly).");
        if ((extensions.Element(Camunda + "in") is not null || extensions.Element(Camunda + "out") is not null) && type != "callActivity")
            Refuse("camunda:in / camunda:out variable mappings", "Only a call activity takes them; remove them here.");
        if (extensions.Element(Camunda + "executionListener") is not null)
            Refuse("camunda:executionListener", "Remove it: listeners run Java classes or scripts, which this engine does not have (an external service task can do the work).");
        if (extensions.Element(Camunda + "taskListener") is not null)
            Refuse("camunda:taskListener", "Remove it: listeners run Java classes or scripts, which this engine does not have (an external service task after the user task can do the work).");
    }

    private static FlowNode ReadNode(XElement e, string type, string id, Dictionary<string, string> messages, Dictionary<string, (string? Code, string? Name)> errors, List<ValidationProblem> problems)
    {
        var name = Attr(e, "name");
        var @default = Ref(e, "default");
        var definitions = e.Elements().Where(c => c.Name.Namespace == Bpmn && c.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal)).ToList();
        var definition = definitions.Count == 1 ? definitions[0] : null;
        var definitionType = definition?.Name.LocalName;
        string? MessageName() => definition is null ? null : messages.GetValueOrDefault(Ref(definition, "messageRef") ?? "") ?? Ref(definition, "messageRef");
        UnsupportedNode Unsupported(string reason) => new() { Id = id, Name = name, ElementType = type, Reason = reason };

        if (definitions.Count > 1) return Unsupported($"A {type} with several event definitions is not supported; keep one.");
        FlowNode MessageThrow() => Attr(definition!, Camunda + "type") == "external" && Attr(definition!, Camunda + "topic") is { Length: > 0 } topic
            ? new MessageThrowEvent { Id = id, Name = name, ElementType = type, Topic = topic, MessageName = MessageName() }
            : Unsupported("A message throw or end event needs camunda:type=\"external\" and a camunda:topic on its message event definition, naming the registered handler that sends the message.");

        switch (type)
        {
            case "startEvent":
                return definitionType switch
                {
                    null => new StartEvent { Id = id, Name = name, ElementType = type, DefaultFlowId = @default },
                    "messageEventDefinition" when MessageName() is { } message => new StartEvent { Id = id, Name = name, ElementType = type, MessageName = message, Interrupting = Attr(e, "isInterrupting") != "false" },
                    "messageEventDefinition" => Unsupported("The message start event has no message; reference a bpmn:message with a name."),
                    "timerEventDefinition" => ReadTimer(definition!) is { } startTimer
                        ? new StartEvent { Id = id, Name = name, ElementType = type, Timer = startTimer, Interrupting = Attr(e, "isInterrupting") != "false" }
                        : Unsupported("The timer has no timeDuration, timeDate or timeCycle."),
                    _ => Unsupported($"A start event with {definitionType} is not supported; use a none, message or timer start event."),
                };
            case "endEvent":
                return definitionType switch
                {
                    null => new EndEvent { Id = id, Name = name, ElementType = type },
                    "terminateEventDefinition" => new EndEvent { Id = id, Name = name, ElementType = type, Terminate = true },
                    "errorEventDefinition" when Ref(definition!, "errorRef") is { } errorRef && errors.GetValueOrDefault(errorRef) is { Code: { } code } thrown =>
                        new ErrorEndEvent { Id = id, Name = name, ElementType = type, ErrorCode = code, ErrorMessage = thrown.Name },
                    "messageEventDefinition" => MessageThrow(),
                    "errorEventDefinition" => Unsupported("The error end event does not reference a bpmn:error with an errorCode; add one (e.g. errorCode=\"REJECTED\") so an error boundary event can catch it."),
                    _ => Unsupported($"An end event with {definitionType} is not supported; use a none, terminate or error end event."),
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
            case "intermediateThrowEvent":
                return definitionType switch
                {
                    null => new NoneThrowEvent { Id = id, Name = name, ElementType = type },
                    "messageEventDefinition" => MessageThrow(),
                    _ => Unsupported($"An intermediate throw event with {definitionType} is not supported; use a none throw event (a milestone) or a message throw event with camunda:type=\"external\" and a camunda:topic."),
                };
            case "boundaryEvent" when definitionType == "errorEventDefinition":
                var caught = Ref(definition!, "errorRef");
                if (caught is not null && !errors.ContainsKey(caught))
                    return Unsupported($"The error boundary event references '{caught}', which is not a bpmn:error in this file; reference one, or none to catch every error.");
                return new BoundaryErrorEvent
                {
                    Id = id, Name = name, ElementType = type,
                    AttachedToId = Ref(e, "attachedToRef") ?? "",
                    ErrorCode = caught is null ? null : errors[caught].Code,
                    CodeVariable = Attr(definition!, Camunda + "errorCodeVariable"),
                    MessageVariable = Attr(definition!, Camunda + "errorMessageVariable"),
                };
            case "boundaryEvent":
                if (definitionType != "timerEventDefinition")
                    return Unsupported($"A boundary event with {definitionType ?? "no event definition"} is not supported; use a timer or error boundary event.");
                if (ReadTimer(definition!) is not { } boundaryTimer) return Unsupported("The timer has no timeDuration, timeDate or timeCycle.");
                return new BoundaryTimerEvent
                {
                    Id = id, Name = name, ElementType = type, Timer = boundaryTimer,
                    AttachedToId = Ref(e, "attachedToRef") ?? "",
                    CancelActivity = Attr(e, "cancelActivity") != "false",
                };
            case "userTask":
                return new UserTask
                {
                    Id = id, Name = name, ElementType = type, DefaultFlowId = @default, Loop = ReadLoop(e, id, problems), Io = ReadIo(e, id, problems),
                    FormKey = Attr(e, Camunda + "formKey"),
                    Assignee = Attr(e, Camunda + "assignee"),
                    CandidateGroups = (Attr(e, Camunda + "candidateGroups") ?? "")
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    CandidateUsers = (Attr(e, Camunda + "candidateUsers") ?? "")
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
                    ? new ServiceTask { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, Topic = topic, Loop = ReadLoop(e, id, problems), Io = ReadIo(e, id, problems) }
                    : Unsupported("A service task must be camunda:type=\"external\" with a camunda:topic naming a registered handler.");
            case "sendTask":
                return Attr(e, Camunda + "type") == "external" && Attr(e, Camunda + "topic") is { Length: > 0 } sendTopic
                    ? new SendTask { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, Topic = sendTopic, Loop = ReadLoop(e, id, problems), Io = ReadIo(e, id, problems) }
                    : Unsupported("A send task must be camunda:type=\"external\" with a camunda:topic naming the registered handler that sends the message.");
            case "receiveTask":
                return Ref(e, "messageRef") is { Length: > 0 } receiveRef && (messages.GetValueOrDefault(receiveRef) ?? receiveRef) is { } received
                    ? new ReceiveTask { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, MessageName = received, Io = ReadIo(e, id, problems) }
                    : Unsupported("The receive task has no message; set messageRef to a bpmn:message with a name.");
            case "scriptTask":
                var format = Attr(e, "scriptFormat")?.Trim().ToLowerInvariant();
                if (format is not ("javascript" or "js" or "ecmascript"))
                    return Unsupported($"The script format '{Attr(e, "scriptFormat")}' is not supported; scripts are JavaScript (scriptFormat=\"javascript\"), run in the engine's sandbox.");
                if (Attr(e, Camunda + "resource") is not null || e.Element(Bpmn + "script") is not { } script || string.IsNullOrWhiteSpace(script.Value))
                    return Unsupported("The script task has no inline script; write the JavaScript in the task (external resources are not supported).");
                if (script.Value.Contains("execution.", StringComparison.Ordinal))
                    return Unsupported("The script uses Camunda's execution object, which the engine does not have; read variables by name and "
                        + "return the value, and set camunda:resultVariable to store it.");
                return new ScriptTask { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, Script = script.Value.Trim(), ResultVariable = Attr(e, Camunda + "resultVariable") };
            case "task":
                return new PlainTask { Id = id, Name = name, ElementType = type, DefaultFlowId = @default };
            case "manualTask":
                return new ManualTask { Id = id, Name = name, ElementType = type, DefaultFlowId = @default };
            case "callActivity":
                return Attr(e, "calledElement") is { Length: > 0 } called
                    ? new CallActivity { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, CalledElement = called, Loop = ReadLoop(e, id, problems), Io = ReadIo(e, id, problems), Mappings = ReadCallMappings(e, id, problems) }
                    : Unsupported("The call activity has no calledElement; set it to the id of a published process.");
            case "subProcess" when Attr(e, "triggeredByEvent") == "true":
                if (e.Element(Bpmn + "multiInstanceLoopCharacteristics") is not null || e.Element(Bpmn + "standardLoopCharacteristics") is not null)
                    return Unsupported("An event sub-process cannot be multi-instance or a loop; remove the marker.");
                if (e.Element(Bpmn + "extensionElements")?.Element(Camunda + "inputOutput") is not null)
                    return Unsupported("camunda:inputOutput on an event sub-process is not supported; map variables on the tasks inside it.");
                return new EventSubProcess { Id = id, Name = name, ElementType = type };
            case "subProcess":
                return new SubProcess { Id = id, Name = name, ElementType = type, DefaultFlowId = @default, Loop = ReadLoop(e, id, problems), Io = ReadIo(e, id, problems) };
            case "transaction":
                return Unsupported("Transactions (and their compensation) are not supported; use an embedded sub-process, with a timer boundary event if it must not wait forever.");
            case "adHocSubProcess":
                return Unsupported("Ad-hoc sub-processes are not supported; use an embedded sub-process with a parallel or inclusive gateway choosing the activities.");
            case "complexGateway":
                return Unsupported("Complex gateways are not supported; use an inclusive gateway (it joins the branches that were taken) or a parallel gateway.");
            case "exclusiveGateway":
                return new ExclusiveGateway { Id = id, Name = name, ElementType = type, DefaultFlowId = @default };
            case "parallelGateway":
                return new ParallelGateway { Id = id, Name = name, ElementType = type };
            case "eventBasedGateway":
                return new EventBasedGateway { Id = id, Name = name, ElementType = type };
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

    /// <summary>
    /// A reference to another element by id. Some tools write it as a QName (<c>tns:message</c>); ids never hold a colon
    /// (they are NCNames), so the part after the prefix is the id.
    /// </summary>
    private static string? Ref(XElement e, XName name) => Attr(e, name) is { } value ? value[(value.LastIndexOf(':') + 1)..].Trim() : null;
}
