// A page that loses its kernel's connection comes back by itself.
//
// A drop shorter than GRACE_MS (a phone's blip) shows nothing: the connection makes itself again at once
// and sends what waited. A longer one shows one calm line at the top of the page (#rw-connection, a
// live status the page template writes, with its words) and asks the server, more and more gently,
// whether the page's kernel is still there, asking no other host. Still there (the Wi-Fi was gone a
// while): the connection is made again and the line goes. Gone (the server was started again after a
// crash, and its kernels went with it): the page is loaded again, once, and shows the answers the store
// holds. A reloaded page that loses its connection waits again in the same way; it is never reloaded
// before the server has answered that its kernel is gone.
//
// What the person typed that the server may never have had is kept by this tab for that one reload
// (sessionStorage, gone when the tab closes; the template takes it out at once), then put back in its
// field, which sends it. Where it cannot be put back, the line says so instead.
import { getKernelModel } from "@jupyterlab/services/lib/kernel/restapi";

const GRACE_MS = 1500;
// From half a second, growing to two: a page starts back within about a second of its server, on
// average, for a request every two seconds at most (a refused connection costs the server nothing, the
// kernel's model a few milliseconds). Each wait is drawn a little longer or shorter, so a room's pages
// do not all ask at the same instant.
const FIRST_CHECK_MS = 500;
const LONGEST_CHECK_MS = 2000;
// A server that vanished from the network (not one that refuses) would leave a check waiting minutes.
const CHECK_TIMEOUT_MS = 4000;
// A text control sends what was typed 250 ms after a pause: text typed in the moments before the
// connection went may not have reached the kernel either.
const UNSENT_MARGIN_MS = 2000;
const UNSENT_KEY = "rw-unsent";
const UNSENT_KEPT_MS = 120_000;
const TEXT_FIELDS = "#rendered_cells textarea, #rendered_cells input[type=text]";

const line = () => document.getElementById("rw-connection");
const say = (words) => line() && (line().textContent = words ?? "");
const textFields = () => [...document.querySelectorAll(TEXT_FIELDS)];
const nameOf = (field) => field.labels?.[0]?.textContent ?? "";
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const typedAt = new WeakMap();
document.addEventListener("input", (event) => typedAt.set(event.target, Date.now()), true);

function keepUnsentText(since) {
  const fields = textFields();
  const unsent = fields.flatMap((field, index) =>
    (typedAt.get(field) ?? 0) >= since ? [{ index, name: nameOf(field), value: field.value }] : [],
  );
  if (!unsent.length) return;
  const kept = { page: location.href, at: Date.now(), count: fields.length, unsent };
  try {
    sessionStorage.setItem(UNSENT_KEY, JSON.stringify(kept));
  } catch {
    // Storage refused (full, or turned off): the line promised only the saved answers.
  }
}

// After a reload: what keepUnsentText kept, put back where it was typed (the template took it out of
// the tab's storage as the page began, into window.rwUnsent). Too old to trust, or with nowhere to go
// on the page, it is not put back, and the line says so.
export async function putBackUnsentText() {
  let kept = null;
  try {
    kept = JSON.parse(window.rwUnsent ?? "null");
  } catch {}
  delete window.rwUnsent;
  if (!kept || kept.page !== location.href) return;
  const fresh = Date.now() - kept.at < UNSENT_KEPT_MS;
  // The text controls draw themselves a moment after the page shows them.
  for (let tries = 0; fresh && textFields().length < kept.count && tries < 25; tries += 1) await wait(200);
  const fields = textFields();
  for (const { index, name, value } of fresh && fields.length === kept.count ? kept.unsent : []) {
    const field = fields[index];
    if (nameOf(field) !== name || field.value === value) continue;
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  if (!fresh || kept.unsent.some(({ value }) => !fields.some((field) => field.value === value))) {
    say(line()?.dataset.unsent);
    document.addEventListener("input", () => say(""), { once: true });
  }
}

export function watchConnection(kernel, serverSettings) {
  let lostAt = null; // Date.now() when the connection went, while it is gone
  let grace = null;
  let checking = false;
  let kernelLost = false;
  // Its first connection is not a reconnection: until then the page says its activities are on their way.
  let everConnected = kernel.connectionStatus === "connected";

  async function checkUntilBack() {
    checking = true;
    for (let delay = FIRST_CHECK_MS; lostAt !== null; delay = Math.min(delay * 1.5, LONGEST_CHECK_MS)) {
      await wait(delay * (0.75 + Math.random() / 2));
      let model;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), CHECK_TIMEOUT_MS);
      try {
        const init = { ...serverSettings.init, signal: timeout.signal };
        model = await getKernelModel(kernel.id, { ...serverSettings, init });
      } catch {
        continue; // no answer yet, or a server too busy to answer: ask again later
      } finally {
        clearTimeout(timer);
      }
      if (kernel.isDisposed || lostAt === null) break;
      if (!model || model.execution_state === "dead" || kernelLost) {
        keepUnsentText(lostAt - UNSENT_MARGIN_MS);
        location.reload();
        return;
      }
      // Still there: connect now, not when the connection's own back-off (up to 30 s) would.
      kernel.reconnect().catch(() => {});
    }
    checking = false;
  }

  function lost() {
    if (kernel.isDisposed || !everConnected || lostAt !== null) return; // disposed: the page is being left
    lostAt = Date.now();
    grace = setTimeout(() => {
      say(line()?.dataset.lost);
      if (!checking) checkUntilBack();
    }, GRACE_MS);
  }

  kernel.connectionStatusChanged.connect((_, status) => {
    // Connected again to a kernel that was started again is not enough: its widgets are gone.
    if (status !== "connected" || kernelLost) return lost();
    everConnected = true;
    clearTimeout(grace);
    lostAt = null;
    say("");
  });
  // A kernel that died, or was started again, has none of the page's widgets: the page is made again.
  kernel.statusChanged.connect((_, status) => {
    if (status !== "dead" && status !== "autorestarting") return;
    kernelLost = true;
    lost();
  });
}
