using System.Xml;
using System.Xml.Linq;

namespace Remediation.Portal.Studio;

/// <summary>One element of a process that was added, removed or changed between two versions.</summary>
public sealed record ElementChange(string Id, string Type, string? Name);

/// <summary>What a draft changes against the current version, shown before publishing.</summary>
public sealed record DefinitionChanges(IReadOnlyList<ElementChange> Added, IReadOnlyList<ElementChange> Removed, IReadOnlyList<ElementChange> Changed)
{
    private const string Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    /// <summary>
    /// Compares the process elements (every element with an id inside the executable process, sub-processes' content
    /// included) by id. An element is changed when its attributes or its own content (conditions, timers, Camunda
    /// extensions, event definitions) differ; the diagram's layout and an element's incoming/outgoing lists are not
    /// compared (a moved shape is no change; a new connection is a flow added). <paramref name="current"/> is null for a
    /// process never published: everything is added. Both documents were parsed by the engine already; they are read
    /// here again with the same guards (no DTD, no resolver).
    /// </summary>
    public static DefinitionChanges Between(string? current, string draft)
    {
        var before = current is null ? new Dictionary<string, (ElementChange Change, string Signature)>() : Elements(current);
        var after = Elements(draft);
        return new(
            after.Where(a => !before.ContainsKey(a.Key)).Select(a => a.Value.Change).ToList(),
            before.Where(b => !after.ContainsKey(b.Key)).Select(b => b.Value.Change).ToList(),
            after.Where(a => before.TryGetValue(a.Key, out var b) && b.Signature != a.Value.Signature).Select(a => a.Value.Change).ToList());
    }

    /// <summary>The id of the process the engine would take from the document, or null when it cannot be read.</summary>
    public static string? ProcessId(string xml)
    {
        try
        {
            return (string?)Process(xml)?.Attribute("id");
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static XElement? Process(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, IgnoreComments = true, MaxCharactersInDocument = 64 * 1024 * 1024 };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var processes = XDocument.Load(reader).Root?.Elements(XName.Get("process", Bpmn)).ToList() ?? [];
        return processes.FirstOrDefault(p => (string?)p.Attribute("isExecutable") == "true") ?? processes.FirstOrDefault();
    }

    private static Dictionary<string, (ElementChange Change, string Signature)> Elements(string xml)
    {
        var elements = new Dictionary<string, (ElementChange, string)>(StringComparer.Ordinal);
        if (Process(xml) is { } process) Collect(process, elements);
        return elements;
    }

    // Flow elements are the children with an id that are not event definitions or other content of their parent.
    private static void Collect(XElement container, Dictionary<string, (ElementChange, string)> elements)
    {
        foreach (var child in container.Elements().Where(IsFlowElement))
        {
            var id = (string)child.Attribute("id")!;
            elements[id] = (new ElementChange(id, child.Name.LocalName, (string?)child.Attribute("name")), Signature(child));
            if (child.Elements().Any(IsFlowElement)) Collect(child, elements);
        }
    }

    private static bool IsFlowElement(XElement e) =>
        e.Name.NamespaceName == Bpmn && e.Attribute("id") is not null
        && !e.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal)
        && e.Name.LocalName is not ("laneSet" or "lane" or "conditionExpression" or "multiInstanceLoopCharacteristics" or "standardLoopCharacteristics" or "ioSpecification");

    private static string Signature(XElement element)
    {
        var copy = new XElement(element.Name,
            element.Attributes().OrderBy(a => a.Name.ToString(), StringComparer.Ordinal),
            element.Nodes().Where(n => n is not XElement child || (!IsFlowElement(child) && child.Name.LocalName is not ("incoming" or "outgoing"))));
        return copy.ToString(SaveOptions.DisableFormatting);
    }
}
