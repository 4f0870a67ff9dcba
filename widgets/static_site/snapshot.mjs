// Build-time step of `./workbook static` (run by build.py): a memory snapshot of Python started, with the
// pages' pure-Python packages already imported, so a return visit restores it instead of starting Python
// and importing them again (seconds on a phone). Usage:
//   node snapshot.mjs PYODIDE_DIR PACKAGES_ZIP WORKBOOK_ZIP OUT
// Pyodide's snapshot API is private (`_makeSnapshot`, `makeMemorySnapshot`, `_loadSnapshot`): the build
// pins Pyodide exactly, the snapshot carries Pyodide's build id, and the page starts Python the usual way
// whenever the snapshot is missing or fails. A snapshot must hold no compiled extension (a side module's
// code lives outside the memory a snapshot keeps): pydantic, whose core is one, is imported after restoring.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, packagesZip, workbookZip, output] = process.argv.slice(2);
if (!output) {
  console.error("usage: node snapshot.mjs PYODIDE_DIR PACKAGES_ZIP WORKBOOK_ZIP OUT");
  process.exit(2);
}
const indexURL = path.resolve(pyodideDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const started = performance.now();
const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true, stdout: () => {}, stderr: (line) => console.error(line) });
pyodide.FS.writeFile("/lib/site-packages.zip", new Uint8Array(await readFile(packagesZip)));
pyodide.unpackArchive(new Uint8Array(await readFile(workbookZip)), "zip", { extractDir: "/home/pyodide/workbook" });
const imported = pyodide.runPython(`
import runpy, sys
startup = runpy.run_path("/home/pyodide/workbook/widgets/static_site/startup.pyc")
startup["install_packages"]("/lib/site-packages.zip")
sys.path.insert(0, "/home/pyodide/workbook")
startup["import_ahead"]()
len(sys.modules)
`);
const snapshot = pyodide.makeMemorySnapshot();
await writeFile(output, snapshot);
console.log(JSON.stringify({ bytes: snapshot.length, modules: imported, ms: Math.round(performance.now() - started) }));
