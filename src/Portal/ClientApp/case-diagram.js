// Case page: renders the complaint's process diagram with the current step highlighted (bpmn-viewer.js must load first).
// The XML comes from its own URL per published definition version, which the browser caches (immutable), so the
// page itself stays small.
const container = document.getElementById('diagram');
if (container && container.dataset.xmlUrl && window.RemediationBpmn) {
  const active = (container.dataset.active ?? '').split(',').filter(Boolean);
  fetch(container.dataset.xmlUrl, { credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.text();
    })
    .then((xml) => window.RemediationBpmn.renderViewer(container, xml, active))
    .catch((error) => {
      container.textContent = error.message;
    });
}
