// The migration page (Pages/Admin/Workflows/Migrate): after each batch the server renders the progress and a Continue
// button carrying the cursor; pressing it here runs the next batch until the last one. Without script, press it by hand.
const next = document.querySelector('[data-test=migrate][data-continue=true]');
if (next) {
  setTimeout(() => next.click(), 200);
}
