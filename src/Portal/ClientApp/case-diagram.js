// Case and review pages: renders the process diagram with the current step highlighted (bpmn-viewer.js must load first).
// The XML comes from its own URL per published definition version, which the browser caches (immutable), so the
// page itself stays small. data-names (JSON, English name -> translation) draws the shipped diagrams in the reader's
// language: the names are replaced in the XML before it is drawn.
const container = document.getElementById('diagram');

function translate(xml, names) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xml;
  for (const element of doc.querySelectorAll('[name]')) {
    const translated = names[element.getAttribute('name')];
    if (translated) element.setAttribute('name', translated);
  }
  return new XMLSerializer().serializeToString(doc);
}

if (container && container.dataset.xmlUrl && window.RemediationBpmn) {
  const active = (container.dataset.active ?? '').split(',').filter(Boolean);
  const names = container.dataset.names ? JSON.parse(container.dataset.names) : null;
  fetch(container.dataset.xmlUrl, { credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.text();
    })
    .then((xml) => window.RemediationBpmn.renderViewer(container, names ? translate(xml, names) : xml, active))
    .catch((error) => {
      container.textContent = error.message;
    });
}
