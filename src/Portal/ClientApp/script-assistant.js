// Script assistant for complaint steps: flags phrases to avoid while the handler types.
// Every text field marked data-script-check is sent (debounced) to /api/script-check, which runs the same
// ScriptAssistant.FindAvoidedPhrases the server re-checks on POST, so browser and server never disagree.
const DEBOUNCE_MS = 250;

function render(box, matches) {
  box.replaceChildren();
  box.hidden = matches.length === 0;
  for (const m of matches) {
    const item = document.createElement('div');
    item.dataset.avoided = m.chinese;
    item.textContent = `${box.dataset.prefix ?? 'Avoid'}: “${m.matched}” (${m.chinese} · ${m.english})`;
    box.append(item);
  }
}

function attach(field) {
  const box = document.getElementById(field.dataset.scriptCheck);
  if (!box) return;
  let timer;
  let seq = 0;
  const check = async () => {
    const mine = ++seq;
    const response = await fetch(`/api/script-check?text=${encodeURIComponent(field.value)}`, { credentials: 'same-origin' });
    if (!response.ok || mine !== seq) return;
    render(box, await response.json());
    field.classList.toggle('is-warning', !box.hidden);
  };
  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  });
  if (field.value) check();
}

document.querySelectorAll('[data-script-check]').forEach(attach);
