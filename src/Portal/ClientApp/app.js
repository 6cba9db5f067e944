// Portal-wide bundle: Bootstrap's JS (with Popper) and the portal stylesheet.
import bootstrap from 'bootstrap/dist/js/bootstrap.bundle.js';
import './app.css';

// Bootstrap's data attributes work on their own; the global is for page scripts (toasts, modals).
window.bootstrap = bootstrap;

// Filter panels (<details class="filters">) fold away on phones; on wider screens they are always open.
const wide = window.matchMedia('(min-width: 768px)');
const openFilters = () => { if (wide.matches) document.querySelectorAll('details.filters').forEach(d => { d.open = true; }); };
openFilters();
wide.addEventListener('change', openFilters);

// Live pages (docs/complaints.md, "Live pages"): a page that carries [data-live-url] asks that URL every few seconds for
// the fingerprint of what it shows. When it differs, the page reloads itself — unless the user has started using the
// page, then the element (a banner) shows with a button to reload. Polling pauses while the tab is hidden.
const live = document.querySelector('[data-live-url]');
if (live) {
  // Once the user has typed, tapped or clicked on the page, it never reloads under their hands: the banner offers it.
  let dirty = false;
  for (const type of ['input', 'pointerdown', 'keydown']) document.addEventListener(type, () => { dirty = true; }, { capture: true });
  live.querySelector('[data-live-reload]')?.addEventListener('click', () => window.location.reload());
  const interval = Number(live.dataset.liveInterval || 10000);
  const poll = async () => {
    if (document.visibilityState === 'visible') {
      try {
        const response = await fetch(live.dataset.liveUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (response.ok) {
          const { fingerprint } = await response.json();
          if (fingerprint !== live.dataset.liveFingerprint) {
            if (!dirty) { window.location.reload(); return; }
            live.hidden = false;
          }
        }
      } catch { /* offline for a moment: try again next time */ }
    }
    setTimeout(poll, interval);
  };
  setTimeout(poll, interval);
}
