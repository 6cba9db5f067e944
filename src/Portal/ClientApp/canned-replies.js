// Canned replies (docs/complaints.md, "Canned replies"): the server renders the step's templates, placeholders already
// filled from the case, as a <select> inside <template data-canned-replies>. This puts a copy above each text field the
// template's data-fields selector names; choosing a reply inserts it at the cursor (or replaces the selection) and
// tells the script assistant the text changed, so the inserted words are checked like typed ones.
function insert(field, text) {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  field.value = field.value.slice(0, start) + text + field.value.slice(end);
  const caret = start + text.length;
  field.focus();
  field.setSelectionRange(caret, caret);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

for (const prototype of document.querySelectorAll('template[data-canned-replies]')) {
  for (const field of document.querySelectorAll(prototype.dataset.fields)) {
    const picker = prototype.content.firstElementChild.cloneNode(true);
    const select = picker.querySelector('select');
    if (field.id) {
      select.id = `${field.id}-canned`;
      select.dataset.field = field.id;
    }
    select.addEventListener('change', () => {
      const option = select.selectedOptions[0];
      if (option?.dataset.text) insert(field, option.dataset.text);
      select.value = '';
    });
    field.insertAdjacentElement('beforebegin', picker);
  }
}
