// The designer's live lint: bpmnlint rules that mirror what the engine checks on save and publish (the server's
// validation stays the authority). Supported elements follow docs/engine.md ("Supported elements"); when the engine
// runs a new element, add it to SUPPORTED here. Topics and form keys come from the server's registries (setCatalog).
import StaticResolver from 'bpmnlint/lib/resolver/static-resolver';

const is = (node, type) => typeof node.$instanceOf === 'function' && node.$instanceOf(type);
const isAny = (node, types) => types.some((type) => is(node, type));

const catalog = { topics: new Set(), formKeys: new Set() };
let texts = {};

/** Sets the registered topics and form keys and the localized messages, before the modeler is created. */
export function configureLint(serverCatalog, messages) {
  catalog.topics = new Set(serverCatalog.topics);
  catalog.formKeys = new Set(serverCatalog.formKeys);
  texts = messages;
}

const format = (template, ...args) => args.reduce((text, arg, i) => text.replace(`{${i}}`, arg), template);

const definitionsOf = (node) => (node.eventDefinitions ?? []).map((d) => d.$type);

// Element type -> which event definitions the engine runs on it ([] = none).
const SUPPORTED = {
  'bpmn:StartEvent': [[], ['bpmn:MessageEventDefinition'], ['bpmn:TimerEventDefinition']],
  'bpmn:EndEvent': [[], ['bpmn:TerminateEventDefinition'], ['bpmn:ErrorEventDefinition'], ['bpmn:MessageEventDefinition']],
  'bpmn:IntermediateThrowEvent': [[], ['bpmn:MessageEventDefinition']],
  'bpmn:IntermediateCatchEvent': [['bpmn:TimerEventDefinition'], ['bpmn:MessageEventDefinition']],
  'bpmn:BoundaryEvent': [['bpmn:TimerEventDefinition'], ['bpmn:ErrorEventDefinition']],
  'bpmn:UserTask': [[]],
  'bpmn:ServiceTask': [[]],
  'bpmn:SendTask': [[]],
  'bpmn:ReceiveTask': [[]],
  'bpmn:ScriptTask': [[]],
  'bpmn:Task': [[]],
  'bpmn:ManualTask': [[]],
  'bpmn:CallActivity': [[]],
  'bpmn:SubProcess': [[]],
  'bpmn:ExclusiveGateway': [[]],
  'bpmn:ParallelGateway': [[]],
  'bpmn:InclusiveGateway': [[]],
  'bpmn:EventBasedGateway': [[]],
};

// Multi-instance markers the engine runs (docs/engine.md); a standard loop marker it does not.
const MULTI_INSTANCE = ['bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:CallActivity', 'bpmn:SubProcess'];

function supportedElements() {
  function check(node, reporter) {
    if (!is(node, 'bpmn:FlowNode')) return;
    const allowed = SUPPORTED[node.$type];
    const definitions = definitionsOf(node).join(',');
    if (!allowed || !allowed.some((d) => d.join(',') === definitions)) {
      const what = definitions ? `${node.$type.slice(5)} (${definitions.replaceAll('bpmn:', '')})` : node.$type.slice(5);
      reporter.report(node.id, format(texts.unsupported, what));
    } else if (node.loopCharacteristics
      && !(is(node.loopCharacteristics, 'bpmn:MultiInstanceLoopCharacteristics') && MULTI_INSTANCE.includes(node.$type))) {
      reporter.report(node.id, texts.loop);
    } else if (is(node, 'bpmn:SubProcess') && node.triggeredByEvent && !is(node.$parent, 'bpmn:Process')) {
      // The engine runs event sub-processes at the process level only.
      reporter.report(node.id, format(texts.unsupported, 'SubProcess (event sub-process inside a sub-process)'));
    }
  }
  return { check };
}

function gatewayFlowCondition() {
  function check(node, reporter) {
    if (!isAny(node, ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'])) return;
    const outgoing = node.outgoing ?? [];
    if (outgoing.length < 2) return;
    for (const flow of outgoing) {
      if (!flow.conditionExpression && node.default !== flow) reporter.report(flow.id, texts.noCondition);
    }
  }
  return { check };
}

function knownTopic() {
  function check(node, reporter) {
    if (!is(node, 'bpmn:ServiceTask')) return;
    const topic = node.get('camunda:topic');
    if (node.get('camunda:type') !== 'external' || !topic) reporter.report(node.id, texts.externalTopic);
    else if (!catalog.topics.has(topic)) reporter.report(node.id, format(texts.unknownTopic, topic));
  }
  return { check };
}

function knownFormKey() {
  function check(node, reporter) {
    if (!is(node, 'bpmn:UserTask')) return;
    const formKey = node.get('camunda:formKey');
    if (formKey && !catalog.formKeys.has(formKey)) reporter.report(node.id, format(texts.unknownFormKey, formKey));
  }
  return { check };
}

/** The bpmnlint configuration for bpmn-js-bpmnlint (`linting.bpmnlint`). */
export const lintConfig = {
  config: {
    rules: {
      'remediation/supported-elements': 'error',
      'remediation/gateway-flow-condition': 'warn',
      'remediation/known-topic': 'error',
      'remediation/known-form-key': 'error',
    },
  },
  resolver: new StaticResolver({
    'rule:bpmnlint-plugin-remediation/supported-elements': supportedElements,
    'rule:bpmnlint-plugin-remediation/gateway-flow-condition': gatewayFlowCondition,
    'rule:bpmnlint-plugin-remediation/known-topic': knownTopic,
    'rule:bpmnlint-plugin-remediation/known-form-key': knownFormKey,
  }),
};
