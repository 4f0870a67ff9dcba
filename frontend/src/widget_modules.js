// The widget classes a page can draw, by the module names the Python side gives them (ipywidgets' base
// and controls, anywidget): the served page (page.js) and the server-free edition's (static_page.js).
import * as base from "@jupyter-widgets/base";
import anywidgetClasses from "anywidget";
import * as controls from "./controls.js";

const MODULES = {
  "@jupyter-widgets/base": base,
  "@jupyter-widgets/controls": controls,
  anywidget: anywidgetClasses(base),
};

// A page that names another control says so in its console ("The page has no widget ...").
export function widgetClass(className, moduleName) {
  const found = MODULES[moduleName]?.[className];
  if (!found) throw new Error(`The page has no widget ${className} from ${moduleName}`);
  return found;
}
