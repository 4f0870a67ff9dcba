// The slides window of "Present on another screen" (widgets/server/slides_window.py): it shows the slide
// the facilitator page sends and sends back its arrow keys, through a BroadcastChannel that only pages
// of the same origin reach. It has no kernel and no secret; the channel's name comes in its address's
// fragment (#ID), which the facilitator page (second_screen.js) chose.
//   window -> page: {type: "hello"}, {type: "step", step: 1 | -1}, {type: "closed"}
//   page -> window: {type: "slide", markup}, {type: "end"}, {type: "console"} (a reloaded page: hello again)
import { fit, stepOf } from "./slide_screen.js";

const PATTERN = /^[A-Za-z0-9-]{8,64}$/;
const LONGEST = 2_000_000; // characters of a slide's markup; a longer message is not a slide of ours

const deck = document.querySelector(".rw-slide-window");
const view = deck.querySelector(".rw-slide-view");
const bar = deck.querySelector(".rw-slide-window-bar");
const fullScreen = deck.querySelector(".rw-slide-window-full");
// The view as the page came: the waiting line, the crisis lines and the framing line.
const resting = view.firstElementChild.cloneNode(true);

// Put the resting view back with `words` on its line (said by screen readers: the line is a status).
function rest(words) {
  const shown = resting.cloneNode(true);
  const line = shown.querySelector(".rw-slide-window-line");
  line.textContent = "";
  view.replaceChildren(shown);
  // Written once the line is on the page, so screen readers hear the change.
  setTimeout(() => {
    line.textContent = words;
  }, 100);
}

let pending = 0;
function refit() {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(fit);
}

function showFullScreenButton() {
  fullScreen.hidden = !document.fullscreenEnabled || Boolean(document.fullscreenElement);
  bar.hidden = Boolean(document.fullscreenElement);
}

function start(id) {
  const channel = new BroadcastChannel(`rw-slides-${id}`);
  const post = (message) => channel.postMessage(message);
  channel.onmessage = ({ data }) => {
    if (!data || typeof data !== "object") return;
    if (data.type === "slide") {
      if (typeof data.markup !== "string" || data.markup.length > LONGEST) return;
      // The server made this slide from its template, every word in it escaped.
      view.innerHTML = data.markup;
      refit();
    } else if (data.type === "end") {
      rest(deck.dataset.ended);
    } else if (data.type === "console") {
      post({ type: "hello" });
    }
  };
  document.addEventListener("keydown", (event) => {
    const step = stepOf(event);
    if (!step) return;
    event.preventDefault();
    post({ type: "step", step });
  });
  window.addEventListener("pagehide", () => post({ type: "closed" }));
  window.addEventListener("pageshow", (event) => event.persisted && post({ type: "hello" }));
  window.addEventListener("resize", refit);
  fullScreen.addEventListener("click", () => {
    document.documentElement.requestFullscreen().catch(() => {
      // Refused (the browser's own rule): the window stays as it is; F11 still works.
    });
  });
  document.addEventListener("fullscreenchange", () => {
    showFullScreenButton();
    refit();
  });
  showFullScreenButton();
  post({ type: "hello" });
}

const id = location.hash.slice(1);
if (PATTERN.test(id)) {
  start(id);
} else {
  // Not opened by the facilitator page's button: say how to open it, and do nothing else.
  bar.hidden = true;
  rest(deck.dataset.wrongLink);
}

// "Leave quickly" on any workbook page of this browser (the console's, for one) blanks the projector
// too; Escape twice here does the same for every workbook page, as it does on theirs.
const leaving = new BroadcastChannel("rw-leave-quickly");
function leave(tellOthers) {
  if (tellOthers) leaving.postMessage("leave");
  document.documentElement.style.visibility = "hidden";
  location.replace(new URL("away", location.href).href);
}
leaving.onmessage = () => leave(false);
let lastEscape = 0;
document.addEventListener(
  "keydown",
  (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    if (now - lastEscape < 1500) leave(true);
    lastEscape = now;
  },
  true,
);
