// Builds the workbook page's scripts and styles (dist/page.js, dist/page.css) from src/page.js and the
// packages in package-lock.json, all from the npm registry. Run by `./workbook` when they change.
import { readFile } from "node:fs/promises";
import * as esbuild from "esbuild";

// anywidget's npm build ends by handing its classes' factory to an AMD loader's `define` (the classic
// notebook's). This page has no AMD loader: the same factory becomes the module's default export.
const ANYWIDGET_ENDING = 'define(["@jupyter-widgets/base"], widget_default);';
const anywidgetAsModule = {
  name: "anywidget-as-module",
  setup(build) {
    build.onLoad({ filter: /[\\/]anywidget[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.trimEnd().endsWith(ANYWIDGET_ENDING)) {
        throw new Error("anywidget's build no longer ends with its AMD define: check src/page.js");
      }
      return { contents: source.replace(ANYWIDGET_ENDING, "export default widget_default;"), loader: "js" };
    });
  },
};

const shared = {
  outdir: "dist",
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  // The widgets' styles name fonts and images no workbook page shows: left to the browser, never bundled.
  external: ["*.woff", "*.woff2", "*.ttf", "*.eot", "*.svg", "*.png"],
  define: { "process.env.NODE_ENV": '"production"' },
  // No workbook widget has an HTML description: see src/no_markup.js.
  alias: { "sanitize-html": "./src/no_markup.js" },
  plugins: [anywidgetAsModule],
  logLevel: "warning",
};
await esbuild.build({ ...shared, entryPoints: { page: "src/page.js" } });
// The server-free edition's page (./workbook static): a module, since it imports Pyodide's own module
// (pyodide.mjs, copied beside it from npm's pyodide package at build time, never bundled).
await esbuild.build({
  ...shared,
  entryPoints: { static_page: "src/static_page.js" },
  outdir: "dist/static",
  format: "esm",
  external: [...shared.external, "*/pyodide.mjs"],
});
