// The server-free edition's page (./workbook static): Python runs here, in the reader's browser
// (Pyodide), and the notebooks' own code makes the same widgets a Voilà kernel makes. There is no
// kernel: messages between the widgets and Python go through a bridge (widgets/static_site/bridge.py),
// and the answers are kept in this browser only (widgets/static_site/device.py asks this script to keep
// them: sessionStorage, or localStorage once the reader chose "Remember me on this device").
//
// Every page of one language is in this one page (a <template> each, shown in place): moving between
// pages keeps Python running, and sessionStorage belongs to the tab, as the answers should.
import { ManagerBase } from "@jupyter-widgets/base-manager";
import { Panel, Widget } from "@lumino/widgets";
import { widgetClass } from "./widget_modules.js";

import "@jupyter-widgets/base/css/index.css";
import "@jupyter-widgets/controls/css/widgets-base.css";
import "./page.css";
import "./static_page.css";

const site = JSON.parse(document.getElementById("rw-site").textContent);
const root = document.documentElement.dataset.root ?? "";
const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";
const KEY = "reconnection-workbook";
const byId = (id) => document.getElementById(id);

// --- Where the answers are kept: this tab until the browser closes, or this browser until deleted ---
const keeper = {
  remembered() {
    try {
      return localStorage.getItem(KEY) !== null;
    } catch (error) {
      return false;
    }
  },
  read() {
    return (this.remembered() ? localStorage : sessionStorage).getItem(KEY);
  },
  // Throws when the browser refuses (storage full, or turned off): Python then says it was not kept.
  write(text) {
    (this.remembered() ? localStorage : sessionStorage).setItem(KEY, text);
  },
  remember(on) {
    const text = this.read() ?? JSON.stringify({ answers: {} });
    if (on) {
      localStorage.setItem(KEY, text);
      sessionStorage.removeItem(KEY);
      // Without it a browser short of space may clear the site's storage by itself.
      navigator.storage?.persist?.().catch(() => {});
    } else {
      sessionStorage.setItem(KEY, text);
      localStorage.removeItem(KEY);
    }
  },
  erase() {
    localStorage.removeItem(KEY);
    sessionStorage.removeItem(KEY);
  },
  status(text) {
    byId("rw-status").textContent = text;
  },
};

// --- The widgets' side of the bridge ---
let python = null; // { deliver, device, session }
const comms = new Map();
let outputArea = null; // where the code cell running now shows what it displays
let pendingViews = [];

class PageComm {
  constructor(commId, targetName) {
    this.comm_id = commId;
    this.target_name = targetName;
    this.onMessage = null;
    this.onClose = null;
    // Messages that came before the widget's model was made (it is made asynchronously): handed to it
    // in order once it listens, as a kernel connection does.
    this.waiting = [];
  }
  open() {
    throw new Error("the page never opens a widget of its own");
  }
  send(data, callbacks, metadata, buffers) {
    python.deliver(this.comm_id, JSON.stringify(data), buffers ?? []);
    // A kernel says "idle" after its replies; here they were queued during the call, so after them.
    // The widget's model waits for it before it sends the next change.
    queueMicrotask(() => callbacks?.iopub?.status?.({ content: { execution_state: "idle" } }));
    return "";
  }
  close() {
    comms.delete(this.comm_id);
    return "";
  }
  receive(kind, wire) {
    const handler = kind === "close" ? this.onClose : this.onMessage;
    if (handler) handler(wire);
    else this.waiting.push([kind, wire]);
  }
  on_msg(callback) {
    this.onMessage = callback;
    this.flush();
  }
  on_close(callback) {
    this.onClose = callback;
    this.flush();
  }
  flush() {
    while (this.waiting.length && (this.waiting[0][0] === "close" ? this.onClose : this.onMessage)) {
      const [kind, wire] = this.waiting.shift();
      (kind === "close" ? this.onClose : this.onMessage)(wire);
    }
  }
}

class PageWidgets extends ManagerBase {
  async loadClass(className, moduleName) {
    return widgetClass(className, moduleName);
  }
  async _create_comm() {
    throw new Error("the page never opens a widget of its own");
  }
  async _get_comm_info() {
    return {};
  }
}
const manager = new PageWidgets();

// Python calls these synchronously, in the middle of its own work: each is handled just after.
function fromPython(messageJson, pyBuffers) {
  const message = JSON.parse(messageJson);
  const buffers = Array.from(pyBuffers ?? [], (b) => new DataView(b.buffer, b.byteOffset, b.byteLength));
  queueMicrotask(() => {
    const wire = { content: { comm_id: message.comm_id, data: message.data }, metadata: message.metadata, buffers };
    if (message.msg_type === "comm_open") {
      const comm = new PageComm(message.comm_id, message.target_name);
      comms.set(message.comm_id, comm);
      manager.handle_comm_open(comm, wire);
    } else if (message.msg_type === "comm_msg") {
      comms.get(message.comm_id)?.receive("msg", wire);
    } else if (message.msg_type === "comm_close") {
      comms.get(message.comm_id)?.receive("close", wire);
      comms.delete(message.comm_id);
    }
  });
}

function displayFromPython(bundleJson) {
  const bundle = JSON.parse(bundleJson);
  const area = outputArea;
  if (!area) return;
  const view = bundle.data[WIDGET_VIEW];
  if (!view) {
    const html = document.createElement("div");
    html.className = "jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output";
    // Made by the workbook's rendering layer in Python (templates that escape), as the served page shows it.
    html.innerHTML = bundle.data["text/html"] ?? "";
    area.appendChild(html);
    return;
  }
  // The place is taken now, so the outputs keep their order however long each view takes.
  const panel = new Panel();
  panel.addClass("jp-OutputArea-output");
  panel.node.dataset.mimeType = WIDGET_VIEW;
  Widget.attach(panel, area);
  const shownOn = pageShown;
  pendingViews.push(
    (async () => {
      const model = await manager.get_model(view.model_id);
      const widgetView = await manager.create_view(model);
      panel.addWidget(widgetView.luminoWidget);
    })().catch((error) => {
      // The reader moved on before this view was drawn: its widget is closed, and nothing is missing.
      if (shownOn !== pageShown) return;
      panel.node.textContent = "Error displaying widget";
      console.error(error);
    }),
  );
}

// --- Pages ---
let currentRun = null;
let pageShown = 0; // counts the pages shown in this tab: a view begun for an earlier one is let go

function pageName() {
  const asked = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  return byId(`rw-page-${asked}`) ? asked : site.start;
}

function showPage(name) {
  const template = byId(`rw-page-${name}`);
  const page = byId("rw-page");
  pageShown += 1;
  if (currentRun) {
    currentRun.close();
    currentRun.destroy();
    currentRun = null;
  }
  page.replaceChildren(template.content.cloneNode(true));
  document.title = template.dataset.title;
  byId("rw-device").hidden = name !== site.start;
  byId("rw-crisis-page").hidden = false;
  document.body.dataset.page = name;
  delete document.body.dataset.ready;
  window.scrollTo(0, 0);
  if (python) runPage(name);
}

function runPage(name) {
  const page = byId("rw-page");
  currentRun = python.device.PageRun();
  pendingViews = [];
  for (const area of page.querySelectorAll(".rw-output")) {
    outputArea = area;
    try {
      currentRun.run(site.code[name][area.dataset.cell]);
    } catch (error) {
      console.error(error);
    }
  }
  outputArea = null;
  performance.mark(`rw-cells-run-${name}`);
  const views = pendingViews;
  setTimeout(async () => {
    await Promise.all(views);
    if (document.body.dataset.page !== name) return;
    // The page's own crisis lines are showing now: the page's spare copy goes, so there is one.
    byId("rw-crisis-page").hidden = page.querySelector(".rw-crisis") !== null;
    byId("rw-starting").hidden = true;
    document.body.dataset.ready = name;
    performance.mark(`rw-ready-${name}`);
  });
}

function followLink(event) {
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (link.classList.contains("rw-leave")) {
    event.preventDefault();
    leaveQuickly();
    return;
  }
  // The workbook's pages link to each other by notebook name (as Voilà serves them): here, a page of this
  // one page, or of another language's.
  const target = new URL(link.href, location.href);
  if (target.origin !== location.origin || !target.pathname.endsWith(".ipynb")) return;
  event.preventDefault();
  const siteRoot = new URL(root || "./", location.href).pathname;
  const path = target.pathname.slice(siteRoot.length).split("/");
  const name = path.pop().replace(/\.ipynb$/, "");
  const language = path[0] ?? "";
  const here = site.language === "en" ? "" : site.language;
  // In place of this page in the browser's history, not after it: the whole workbook is one entry, so
  // "Leave quickly" (which replaces that entry) leaves nothing of it for Back to bring back.
  if (language === here) {
    location.replace(`#/${name}`);
  } else {
    location.replace(new URL(`${root}${language ? `${language}/` : ""}index.html#/${name}`, location.href).href);
  }
}

// "Leave quickly" (or Escape twice): a blank page of the site's own, in place of this one (Back skips it).
function leaveQuickly() {
  document.documentElement.style.visibility = "hidden";
  location.replace(new URL(`${root}away.html`, location.href).href);
}
let lastEscape = 0;
document.addEventListener(
  "keydown",
  (event) => {
    if (event.key !== "Escape") return;
    if (Date.now() - lastEscape < 1500) leaveQuickly();
    lastEscape = Date.now();
  },
  true,
);

// --- The reader's own choices: remember, delete, save to a file, open a file ---
function say(text) {
  byId("rw-device-said").textContent = text;
}

function wireChoices() {
  const remember = byId("rw-remember");
  const said = byId("rw-remember-said");
  remember.checked = keeper.remembered();
  remember.addEventListener("change", () => {
    keeper.remember(remember.checked);
    said.textContent = remember.checked ? said.dataset.on : said.dataset.off;
  });
  byId("rw-delete").addEventListener("click", () => {
    byId("rw-delete-ask").hidden = false;
    byId("rw-delete-no").focus();
  });
  byId("rw-delete-no").addEventListener("click", () => {
    byId("rw-delete-ask").hidden = true;
  });
  byId("rw-delete-yes").addEventListener("click", () => {
    keeper.erase();
    remember.checked = false;
    byId("rw-delete-ask").hidden = true;
    if (python) python.session.open_book();
    say(byId("rw-device-said").dataset.deleted);
    showPage(pageName());
  });
  byId("rw-save").addEventListener("click", () => {
    const [name, text] = python.session.saved_file().toJs();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  byId("rw-open").addEventListener("change", async (event) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    // Checked in Python against each section's own model: a file that is not wholly a workbook changes nothing.
    say(python.session.open_saved(await file.text()));
    showPage(pageName());
  });
}

// --- Python ---
const fetched = (name) =>
  fetch(`${root}${name}`).then((response) => {
    if (!response.ok) throw new Error(`${name}: ${response.status}`);
    return response;
  });

// The memory snapshot (widgets/static_site/snapshot.mjs): Python started with its pure packages imported.
// Restoring it is faster than starting Python and importing them, on a first visit too (measured: its
// 14 MB cost less time on a 20 Mbit/s link than the start it saves on a slow phone's CPU). Gzipped by the
// build, ungzipped here by the browser's own DecompressionStream, asked for at once with the rest.
async function fetchSnapshot() {
  const response = await fetched(site.snapshot);
  const unzipped = new Response(response.body.pipeThrough(new DecompressionStream("gzip")));
  return new Uint8Array(await unzipped.arrayBuffer());
}

// `snapshot`: a promise of the snapshot's bytes, or null to start Python afresh. Pyodide asks for its wasm
// at once and waits for the snapshot only to size the memory, so the two come together.
async function loadPython(snapshot) {
  const { loadPyodide } = await import(new URL(`${root}pyodide/pyodide.mjs`, location.href).href);
  const options = { indexURL: new URL(`${root}pyodide/`, location.href).href };
  if (snapshot) {
    options._loadSnapshot = snapshot;
    const factory = import(new URL(`${root}pyodide/pyodide.asm.mjs`, location.href).href);
    // The wasm module brings its own memory, so Pyodide's INITIAL_MEMORY cannot size it: grown here to the
    // snapshot's size before Pyodide copies the snapshot in.
    options.createPyodideModule = async (settings) => {
      const [{ default: createPyodideModule }, bytes] = await Promise.all([factory, snapshot]);
      const module = await createPyodideModule(settings);
      module._emscripten_resize_heap(bytes.length);
      return module;
    };
  }
  return loadPyodide(options);
}

async function startPython() {
  // Asked for at once, so they come while Python starts.
  const packagesZip = fetched("python/packages.zip").then((response) => response.arrayBuffer());
  const workbookZip = fetched("python/workbook.zip").then((response) => response.arrayBuffer());
  let pyodide = null;
  if (site.snapshot && "DecompressionStream" in window) {
    const snapshot = fetchSnapshot();
    snapshot.catch(() => {}); // a failure is handled where Pyodide waits for it, not reported before
    pyodide = await loadPython(snapshot).catch((error) => {
      console.warn("Starting Python from its snapshot failed; starting it afresh.", error);
      return null;
    });
  }
  document.body.dataset.python = pyodide ? "snapshot" : "started";
  pyodide ??= await loadPython(null);
  performance.mark("rw-python-started");
  pyodide.FS.writeFile("/lib/site-packages.zip", new Uint8Array(await packagesZip));
  pyodide.unpackArchive(await workbookZip, "zip", { extractDir: "/home/pyodide/workbook" });
  pyodide.runPython(`
import os, runpy, sys
runpy.run_path("/home/pyodide/workbook/widgets/static_site/startup.pyc")["install_packages"]("/lib/site-packages.zip")
if "/home/pyodide/workbook" not in sys.path:
    sys.path.insert(0, "/home/pyodide/workbook")
os.environ["RECONNECTION_FONT_DIR"] = "/home/pyodide/fonts"
`);
  performance.mark("rw-packages-unpacked");
  pyodide.registerJsModule("page_bridge", { send: fromPython, display: displayFromPython });
  pyodide.runPython("from widgets.static_site import bridge; bridge.start()");
  performance.mark("rw-bridge-started");
  const device = pyodide.pyimport("widgets.static_site.device");
  python = {
    device,
    deliver: pyodide.pyimport("widgets.static_site.bridge").deliver,
    session: device.start(keeper, site.servedUrl),
  };
  performance.mark("rw-session-opened");
  return pyodide;
}

// What only the take-home PDF needs (its packages and fonts), after the page is ready.
async function fetchPdfParts(pyodide, purelib) {
  const packages = await (await fetch(`${root}python/pdf.zip`)).arrayBuffer();
  pyodide.unpackArchive(packages, "zip", { extractDir: purelib });
  pyodide.FS.mkdirTree("/home/pyodide/fonts");
  for (const name of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"]) {
    const bytes = new Uint8Array(await (await fetch(`${root}fonts/${name}`)).arrayBuffer());
    pyodide.FS.writeFile(`/home/pyodide/fonts/${name}`, bytes);
  }
}

async function main() {
  wireChoices();
  document.addEventListener("click", followLink);
  window.addEventListener("hashchange", () => showPage(pageName()));
  showPage(pageName());
  let pyodide;
  let purelib;
  try {
    pyodide = await startPython();
    purelib = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  } catch (error) {
    console.error(error);
    byId("rw-starting").textContent = byId("rw-device-said").dataset.cannotStart;
    return;
  }
  byId("rw-save").disabled = false;
  byId("rw-open").disabled = false;
  runPage(pageName());
  fetchPdfParts(pyodide, purelib).catch((error) => console.error(error));
  // Every file of the site kept by the browser, so it opens offline from now on (not from a file://).
  if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
    navigator.serviceWorker.register(`${root}sw.js`).catch((error) => console.error(error));
  }
}

main();
