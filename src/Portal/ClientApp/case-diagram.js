// Case page: renders the complaint's process diagram with the current step highlighted (bpmn-viewer.js must load first).
const container = document.getElementById('diagram');
const xml = document.getElementById('diagram-xml')?.textContent;
if (container && xml && window.RemediationBpmn) {
  const active = (container.dataset.active ?? '').split(',').filter(Boolean);
  window.RemediationBpmn.renderViewer(container, xml, active).catch((error) => {
    container.textContent = error.message;
  });
}
