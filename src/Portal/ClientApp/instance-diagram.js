// Instance page: the process diagram with the active tokens marked, elements with an open incident in red and how
// many times each element was entered (bpmn-viewer.js must load first).
import './instance-diagram.css';

const container = document.getElementById('instance-diagram');
if (container && container.dataset.xmlUrl && window.RemediationBpmn) {
  const list = (value) => (value ?? '').split(',').filter(Boolean);
  fetch(container.dataset.xmlUrl, { credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.text();
    })
    .then((xml) => window.RemediationBpmn.renderViewer(container, xml, list(container.dataset.active)))
    .then((viewer) => {
      const registry = viewer.get('elementRegistry');
      const canvas = viewer.get('canvas');
      const overlays = viewer.get('overlays');
      for (const id of list(container.dataset.incidents)) {
        if (registry.get(id)) canvas.addMarker(id, 'rem-incident');
      }
      for (const entry of list(container.dataset.visits)) {
        const [id, count] = entry.split(':');
        if (!registry.get(id)) continue;
        const badge = document.createElement('span');
        badge.className = 'rem-visits';
        badge.dataset.element = id;
        badge.title = container.dataset.visitsTitle ?? '';
        badge.textContent = count;
        overlays.add(id, 'visits', { position: { bottom: 8, right: 8 }, html: badge });
      }
      container.dataset.ready = 'true';
    })
    .catch((error) => {
      container.textContent = error.message;
    });
}
