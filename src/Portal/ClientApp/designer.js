// The workflow designer (/Admin/Workflows/{processId}/Edit): bpmn-js Modeler with the properties panel for Camunda 7
// attributes, live lint (designer/lint.js), save draft with the server's problems on the diagram, publish after
// seeing the changes. Texts come localized from the page (#designer-texts); every call sends the antiforgery token.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import lintModule from 'bpmn-js-bpmnlint';
import { configureLint, lintConfig } from './designer/lint.js';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import './designer.css';

const root = document.getElementById('designer');
if (root && window.matchMedia('(min-width: 768px)').matches) start(root);

async function start(root) {
  const texts = JSON.parse(document.getElementById('designer-texts').textContent);
  const antiforgery = document.querySelector('input[name="__RequestVerificationToken"]').value;
  const status = root.querySelector('[data-test=status]');
  const message = root.querySelector('[data-test=message]');
  const problemList = root.querySelector('[data-test=problems]');
  const saveButton = root.querySelector('[data-test=save]');
  const publishButton = root.querySelector('[data-test=publish]');
  const format = (template, ...args) => args.reduce((text, arg, i) => text.replace(`{${i}}`, arg), template);

  const getJson = async (url) => {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    return response.json();
  };
  const post = async (url, body) => {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', RequestVerificationToken: antiforgery },
      body: JSON.stringify(body),
    });
    const json = response.headers.get('content-type')?.includes('json') ? await response.json() : {};
    return { status: response.status, json };
  };

  let doc;
  try {
    const [loaded, catalog] = await Promise.all([getJson(root.dataset.documentUrl), getJson(root.dataset.catalogUrl)]);
    doc = loaded;
    configureLint(catalog, texts.lint);
  } catch (error) {
    showMessage('danger', format(texts.loadFailed, error.message));
    return;
  }

  // bpmn-js's own texts in the page's language (the page gives them, keyed by their English text).
  const dictionary = texts.panel ?? {};
  const translate = (template, replacements = {}) =>
    (dictionary[template] ?? template).replace(/{([^}]+)}/g, (_, key) => replacements[key] ?? `{${key}}`);

  const modeler = new BpmnModeler({
    container: root.querySelector('#designer-canvas'),
    propertiesPanel: { parent: root.querySelector('#designer-properties') },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
      lintModule,
      { translate: ['value', translate] },
    ],
    moddleExtensions: { camunda: camundaModdle },
    linting: { bpmnlint: lintConfig, active: true },
    keyboard: { bindTo: document },
  });
  // For browser tests and scripted edits (window.designer.get('modeling')…).
  window.designer = modeler;

  let token = doc.token;
  let dirty = false;
  let busy = false;
  try {
    await modeler.importXML(doc.xml);
  } catch (error) {
    showMessage('danger', format(texts.loadFailed, error.message));
    return;
  }
  modeler.get('canvas').zoom('fit-viewport', 'auto');
  setStatus(doc.version === 0 ? format(texts.draftFrom, doc.changedBy ?? texts.system, utc(doc.changedAt)) : format(texts.editingVersion, doc.version));
  modeler.on('commandStack.changed', () => {
    dirty = true;
    setStatus(texts.unsaved);
  });
  root.dataset.ready = 'true';
  root.dispatchEvent(new CustomEvent('designer:ready'));

  saveButton.addEventListener('click', () => guarded(save));
  publishButton.addEventListener('click', () => guarded(preparePublish));
  document.getElementById('publish-confirm').addEventListener('click', () => guarded(publish));
  window.addEventListener('beforeunload', (event) => {
    if (dirty) event.preventDefault();
  });

  async function guarded(action) {
    if (busy) return;
    busy = true;
    saveButton.disabled = publishButton.disabled = true;
    try {
      await action();
    } catch (error) {
      showMessage('danger', format(texts.failed, error.message));
    } finally {
      busy = false;
      saveButton.disabled = publishButton.disabled = false;
    }
  }

  async function save() {
    const { xml } = await modeler.saveXML({ format: true });
    setStatus(texts.saving);
    const { status: code, json } = await post(root.dataset.saveUrl, { xml, token });
    if (code === 200) {
      token = json.token;
      dirty = false;
      showProblems(json.problems);
      setStatus(format(texts.savedAt, utc(json.savedAt)));
      const errors = json.problems.filter((p) => p.severity === 'error').length;
      showMessage(errors ? 'warning' : 'success', errors ? format(texts.savedWithErrors, errors) : texts.saved);
      return true;
    }
    handleRefusal(code, json);
    setStatus(texts.unsaved);
    return false;
  }

  async function preparePublish() {
    if (dirty && !(await save())) return;
    const { status: code, json } = await post(root.dataset.changesUrl, { token });
    if (code !== 200) return handleRefusal(code, json);
    showProblems(json.problems);
    const modal = document.getElementById('publish-dialog');
    const body = modal.querySelector('[data-test=changes]');
    body.replaceChildren();
    const heading = document.createElement('p');
    heading.textContent = json.currentVersion
      ? format(texts.changesAgainst, json.nextVersion, json.currentVersion)
      : format(texts.firstVersion, json.nextVersion);
    body.append(heading);
    for (const [key, label, badge] of [['added', texts.added, 'success'], ['removed', texts.removed, 'danger'], ['changed', texts.changed, 'primary']]) {
      const items = json[key] ?? [];
      const section = document.createElement('div');
      section.className = 'mb-2';
      section.dataset.test = `changes-${key}`;
      const title = document.createElement('div');
      title.className = 'fw-semibold';
      title.textContent = `${label} (${items.length})`;
      section.append(title);
      const list = document.createElement('ul');
      list.className = 'small mb-0';
      for (const item of items) {
        const li = document.createElement('li');
        const pill = document.createElement('span');
        pill.className = `badge text-bg-${badge} me-1`;
        pill.textContent = texts.types[item.type] ?? item.type;
        li.append(pill, `${item.name ?? ''} `);
        const code = document.createElement('code');
        code.textContent = item.id;
        li.append(code);
        li.dataset.element = item.id;
        list.append(li);
      }
      if (!items.length) {
        const li = document.createElement('li');
        li.className = 'text-body-secondary';
        li.textContent = texts.none;
        list.append(li);
      }
      section.append(list);
      body.append(section);
    }
    const running = document.createElement('p');
    running.className = 'mb-0';
    running.dataset.test = 'running';
    running.textContent = format(texts.running, json.running);
    body.append(running);
    const errors = json.problems.filter((p) => p.severity === 'error').length;
    const confirm = document.getElementById('publish-confirm');
    confirm.disabled = errors > 0;
    modal.querySelector('[data-test=publish-blocked]').hidden = errors === 0;
    window.bootstrap.Modal.getOrCreateInstance(modal).show();
  }

  async function publish() {
    const modal = document.getElementById('publish-dialog');
    const { status: code, json } = await post(root.dataset.publishUrl, { token });
    window.bootstrap.Modal.getOrCreateInstance(modal).hide();
    if (code !== 200) return handleRefusal(code, json);
    token = json.token;
    showProblems(json.problems);
    setStatus(format(texts.editingVersion, json.version));
    showMessage('success', format(texts.published, json.version));
  }

  function handleRefusal(code, json) {
    if (code === 409 && json.conflict) {
      showMessage('danger', json.conflict.message, 'conflict');
    } else if (json.message) {
      showProblems(json.problems ?? []);
      showMessage('danger', json.message);
    } else {
      showMessage('danger', format(texts.failed, code));
    }
  }

  function showProblems(problems) {
    const overlays = modeler.get('overlays');
    const registry = modeler.get('elementRegistry');
    const canvas = modeler.get('canvas');
    overlays.remove({ type: 'server-problem' });
    registry.forEach((element) => canvas.removeMarker(element, 'designer-server-problem'));
    problemList.replaceChildren();
    problemList.hidden = problems.length === 0;
    for (const problem of problems) {
      const element = registry.get(problem.elementId);
      const item = document.createElement('button');
      item.type = 'button';
      item.className = 'list-group-item list-group-item-action small';
      item.dataset.test = 'problem';
      item.dataset.element = problem.elementId;
      const badge = document.createElement('span');
      badge.className = `badge me-1 ${problem.severity === 'error' ? 'text-bg-danger' : 'text-bg-warning'}`;
      badge.textContent = problem.severity === 'error' ? texts.error : texts.warning;
      const id = document.createElement('code');
      id.textContent = problem.elementId;
      item.append(badge, id, `: ${problem.message}`);
      item.addEventListener('click', () => {
        if (!element) return;
        modeler.get('selection').select(element);
        canvas.scrollToElement(element);
      });
      problemList.append(item);
      if (element) {
        const marker = document.createElement('span');
        marker.className = `designer-problem designer-problem-${problem.severity}`;
        marker.dataset.test = 'problem-overlay';
        marker.dataset.element = problem.elementId;
        marker.title = problem.message;
        marker.textContent = problem.severity === 'error' ? '!' : '?';
        overlays.add(element, 'server-problem', { position: { top: -10, right: 10 }, html: marker });
        if (problem.severity === 'error') canvas.addMarker(element, 'designer-server-problem');
      }
    }
  }

  function showMessage(kind, text, test = 'message-text') {
    message.className = `alert alert-${kind} py-2 mb-2`;
    message.dataset.kind = test;
    message.textContent = text;
    message.hidden = false;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function utc(value) {
    return value ? new Date(value).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '';
  }
}
