// Read-only BPMN diagram viewer for the portal (definition pages, instance progress).
// Usage from a page: await window.RemediationBpmn.renderViewer(container, xml, ['Task_Approve']);
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import './bpmn-viewer.css';

/** The marker class put on highlighted elements (styled in bpmn-viewer.css). */
export const highlightClass = 'rem-highlight';

/**
 * Renders `xml` into `container` (which needs a height), fits it to the viewport and marks the
 * elements whose ids are in `highlightElementIds`. Ids not in the diagram are ignored.
 * Resolves to the bpmn-js viewer; rejects with bpmn-js's error when the XML cannot be imported.
 */
export async function renderViewer(container, xml, highlightElementIds = []) {
  // Camunda 7 extensions (formKey, candidateGroups, …) are declared so they import without warnings.
  const viewer = new NavigatedViewer({ container, moddleExtensions: { camunda: camundaModdle } });
  await viewer.importXML(xml);

  const canvas = viewer.get('canvas');
  const elementRegistry = viewer.get('elementRegistry');
  canvas.zoom('fit-viewport', 'auto');
  for (const id of highlightElementIds ?? []) {
    if (elementRegistry.get(id)) canvas.addMarker(id, highlightClass);
  }
  return viewer;
}

window.RemediationBpmn = Object.assign(window.RemediationBpmn ?? {}, { renderViewer, highlightClass });
