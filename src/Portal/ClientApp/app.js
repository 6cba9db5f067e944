// Portal-wide bundle: Bootstrap's JS (with Popper) and the portal stylesheet.
import bootstrap from 'bootstrap/dist/js/bootstrap.bundle.js';
import './app.css';

// Bootstrap's data attributes work on their own; the global is for page scripts (toasts, modals).
window.bootstrap = bootstrap;
