/**
 * Buttons marked `data-print` (a tutorial, the report's summary, a request's slip): printing
 * needs the browser's own command, so they are shown only where this script runs; without
 * JavaScript, the page's hint says to use the browser's Print.
 */
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
