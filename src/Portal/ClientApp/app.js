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
