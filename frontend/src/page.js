// The workbook page's scripts: they connect the page to its kernel and draw its widgets.
//
// Voilà's own front end is a whole JupyterLab application (about 1 MB compressed, in 73 files, MathJax,
// CodeMirror and a data grid among them) that a workbook page does not use. A page needs only this:
// the kernel's connection (@jupyterlab/services), a widget manager (@jupyter-widgets/base-manager), the
// widgets the workbook uses (@jupyter-widgets/controls, anywidget), and a place on the page for each.
//
// @jupyterlab/services is pinned to 7.2.5, the version Voilà 0.5 bundles: from 7.4, a connection sends
// widget messages through kernel subshells (other threads in the kernel) when the kernel offers them,
// and the workbook's kernel code handles one message at a time, as it always has.
//
// What the page gives it (Voilà's lab template): the page config in #jupyter-config-data (the kernel's
// id), and each widget output as <script type="application/vnd.voila.cell-output+json">.
import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import { widgetClass } from "./widget_modules.js";
import { putBackUnsentText, watchConnection } from "./reconnect.js";
import { KernelConnection } from "@jupyterlab/services/lib/kernel/default";
import { getKernelModel } from "@jupyterlab/services/lib/kernel/restapi";
import { ServerConnection } from "@jupyterlab/services/lib/serverconnection";
import { Panel, Widget } from "@lumino/widgets";

import "@jupyter-widgets/base/css/index.css";
import "@jupyter-widgets/controls/css/widgets-base.css";
import "./page.css";

const OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';
const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";

class PageWidgets extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.registerCommTarget(this.comm_target_name, (comm, message) =>
      this.handle_comm_open(new base.shims.services.Comm(comm), message),
    );
  }

  async loadClass(className, moduleName) {
    return widgetClass(className, moduleName);
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data, metadata, buffers);
    return new base.shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === "ok" ? reply.content.comms : {};
  }
}

// Where an output goes: the output area Voilà's own front end would make (the page's styles expect it).
function outputArea(script, mimeType) {
  const area = new Panel();
  area.addClass("jp-OutputArea-output");
  area.node.dataset.mimeType = mimeType;
  const container = script.parentElement;
  container.removeChild(script);
  Widget.attach(area, container);
  return area;
}

function showText(area, text) {
  const pre = document.createElement("pre");
  pre.textContent = text;
  area.node.appendChild(pre);
}

async function showOutput(manager, script) {
  const output = JSON.parse(script.textContent);
  const data = output.data ?? {};
  if (data[WIDGET_VIEW]) {
    const area = outputArea(script, WIDGET_VIEW);
    try {
      const model = await manager.get_model(data[WIDGET_VIEW].model_id);
      const view = await manager.create_view(model);
      area.addWidget(view.luminoWidget);
    } catch (error) {
      // The words Voilà's own renderer shows, so a page that fails says so as before.
      area.node.textContent = "Error displaying widget";
      area.addClass("jupyter-widgets");
      console.error(error);
    }
  } else if (output.output_type === "stream") {
    showText(outputArea(script, `application/vnd.jupyter.${output.name}`), output.text);
  } else if (output.output_type === "error") {
    showText(outputArea(script, "application/vnd.jupyter.stderr"), `${output.ename}: ${output.evalue}`);
  } else if (data["text/plain"] !== undefined) {
    showText(outputArea(script, "text/plain"), data["text/plain"]);
  }
}

// Leaving the page stops its kernel at once (as Voilà's front end does), with the page's _xsrf token.
function stopKernelOnLeaving(baseUrl, kernel) {
  window.addEventListener("beforeunload", () => {
    const form = new FormData();
    form.append("_xsrf", document.cookie.match("\\b_xsrf=([^;]*)\\b")?.[1] ?? "");
    navigator.sendBeacon(`${baseUrl}voila/api/shutdown/${kernel.id}`, form);
    kernel.dispose();
  });
}

async function main() {
  const config = JSON.parse(document.getElementById("jupyter-config-data")?.textContent ?? "{}");
  const outputs = [...document.querySelectorAll(OUTPUT)];
  if (!config.kernelId) return;
  const serverSettings = ServerConnection.makeSettings({ baseUrl: config.baseUrl });
  const model = await getKernelModel(config.kernelId, serverSettings);
  if (!model) {
    console.error(`The page's kernel ${config.kernelId} is gone`);
    return;
  }
  const kernel = new KernelConnection({ model, serverSettings });
  stopKernelOnLeaving(config.baseUrl, kernel);
  // Watched from the start: a connection lost while the widgets load comes back (or the page reloads) too.
  watchConnection(kernel, serverSettings);
  const manager = new PageWidgets(kernel);
  await manager._loadFromKernel();
  await Promise.all(outputs.map((script) => showOutput(manager, script)));
  document.getElementById("loading")?.remove();
  await putBackUnsentText();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", main);
} else {
  main();
}
