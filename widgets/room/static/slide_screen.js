// Presenting mode's screen: the arrow keys (and a presenter remote's Page Up / Page Down) move
// between slides, and each slide's type is made as large as still fits the screen, on any projector.
// Two pages use it: the facilitator page, as this widget's module (its default export), and the slides
// window of "Present on another screen" (slides_window.js imports `fit` and `stepOf`), so both size
// slides and read keys the same way.
const FORWARD = new Set(["ArrowRight", "PageDown"]);
const BACK = new Set(["ArrowLeft", "PageUp"]);
const LARGEST = 1.8; // em of the slide's own size (2.5% of the screen's height)
const SMALLEST = 0.6;

/** Size the slide's type (`.rw-slide-deck .rw-slide-body`) to the largest that fits its box. */
export function fit() {
  const body = document.querySelector(".rw-slide-deck .rw-slide-body");
  if (!body) return;
  const labels = body.querySelectorAll(".rw-slide-bar-label, .rw-slide-bar-value");
  const overflows = () =>
    body.scrollHeight > body.clientHeight + 1 ||
    body.scrollWidth > body.clientWidth + 1 ||
    [...labels].some((label) => label.scrollWidth > label.clientWidth + 1);
  let scale = LARGEST;
  body.style.fontSize = `${scale}em`;
  while (scale > SMALLEST && overflows()) {
    scale = Math.max(SMALLEST, scale - 0.05);
    body.style.fontSize = `${scale.toFixed(2)}em`;
  }
  body.dataset.scale = scale.toFixed(2);
}

/**
 * The step a key press asks for: 1 (next slide), -1 (previous) or 0 (none of the slides' keys).
 * A key held with Alt, Ctrl, Meta or Shift is the browser's or the system's; a key typed in a field is
 * the field's.
 */
export function stepOf(event) {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return 0;
  const target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return 0;
  return FORWARD.has(event.key) ? 1 : BACK.has(event.key) ? -1 : 0;
}

function render({ model, el }) {
  const onKey = (event) => {
    if (!model.get("active")) return;
    const step = stepOf(event);
    if (!step) return;
    event.preventDefault();
    model.send({ step });
  };
  let pending = 0;
  const refit = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => model.get("active") && fit());
  };
  // A new slide (or new figures on it) is drawn by replacing the slide's HTML.
  const watcher = new MutationObserver(refit);
  watcher.observe(document.body, { childList: true, subtree: true, characterData: true });
  document.addEventListener("keydown", onKey);
  window.addEventListener("resize", refit);
  model.on("change:active", refit);
  el.hidden = true;
  refit();
  return () => {
    watcher.disconnect();
    document.removeEventListener("keydown", onKey);
    window.removeEventListener("resize", refit);
  };
}

export default { render };
