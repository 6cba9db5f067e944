// Script assistant for complaint steps: flags phrases to avoid while the handler types, under the field that holds them.
// Every text field marked data-script-check is sent (debounced) to /api/script-check, which runs the same
// ScriptAssistant.FindAvoidedPhrases the server re-checks on POST, so browser and server never disagree.
// The "save anyway" box (data-script-acknowledge) appears only while some field holds a phrase to avoid.
const DEBOUNCE_MS = 250;
const acknowledge = document.querySelector('[data-script-acknowledge]');
const prefix = acknowledge?.dataset.prefix ?? 'Avoid';
const flagged = new Set();

function warningFor(field) {
  const id = `${field.id}-avoided`;
  let box = document.getElementById(id);
  if (!box) {
    box = document.createElement('div');
    box.id = id;
    box.className = 'small text-warning-emphasis bg-warning-subtle border border-warning-subtle rounded px-2 py-1 mb-2';
    box.hidden = true;
    box.dataset.test = 'avoided-warning';
    box.dataset.field = field.id;
    box.setAttribute('role', 'status');
    field.insertAdjacentElement('afterend', box);
    field.setAttribute('aria-describedby', [field.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  }
  return box;
}

function render(field, matches) {
  const box = warningFor(field);
  box.replaceChildren();
  box.hidden = matches.length === 0;
  for (const m of matches) {
    const item = document.createElement('div');
    item.dataset.avoided = m.chinese;
    item.textContent = `${prefix}: “${m.matched}” (${m.chinese} · ${m.english})`;
    box.append(item);
  }
  field.classList.toggle('is-warning', matches.length > 0);
  if (matches.length > 0) flagged.add(field.id); else flagged.delete(field.id);
  if (acknowledge) {
    const show = flagged.size > 0;
    acknowledge.hidden = !show;
    if (!show) acknowledge.querySelector('input[type=checkbox]').checked = false;
  }
}

function attach(field) {
  let timer;
  let seq = 0;
  const check = async () => {
    const mine = ++seq;
    const response = await fetch(`/api/script-check?text=${encodeURIComponent(field.value)}`, { credentials: 'same-origin' });
    if (!response.ok || mine !== seq) return;
    render(field, await response.json());
  };
  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  });
  if (field.value) check();
}

document.querySelectorAll('[data-script-check]').forEach(attach);
