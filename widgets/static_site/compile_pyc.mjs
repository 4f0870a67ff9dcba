// Build-time step of `./workbook static` (run by packages.py): compile the packages' .py files to
// bytecode inside Pyodide itself, the interpreter the reader's browser runs, so the .pyc files match its
// Python exactly and the browser never compiles them. Usage:
//   node compile_pyc.mjs PYODIDE_DIR IN.zip OUT.zip
// PYODIDE_DIR holds npm's pyodide.mjs and its files; IN.zip is the trimmed, unpacked wheels; OUT.zip gets
// the same files with every .py that compiled replaced by its .pyc (legacy layout: x.pyc beside where
// x.py was, which imports without the source). Prints one line of JSON: counts and milliseconds.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, input, output] = process.argv.slice(2);
if (!pyodideDir || !input || !output) {
  console.error("usage: node compile_pyc.mjs PYODIDE_DIR IN.zip OUT.zip");
  process.exit(2);
}
const indexURL = path.resolve(pyodideDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const started = performance.now();
const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: (line) => console.error(line) });
const loadedMs = Math.round(performance.now() - started);
pyodide.FS.writeFile("/tmp/in.zip", new Uint8Array(await readFile(input)));
const report = pyodide.runPython(`
import compileall, json, os, py_compile, zipfile

ROOT = "/tmp/sp"
zipfile.ZipFile("/tmp/in.zip").extractall(ROOT)
sources = [os.path.join(d, n) for d, _, names in os.walk(ROOT) for n in names if n.endswith(".py")]
# Unchecked-hash headers carry no file time (the sources are left out anyway, so nothing is checked).
unchecked = py_compile.PycInvalidationMode.UNCHECKED_HASH
compileall.compile_dir(ROOT, quiet=2, legacy=True, optimize=0, workers=1, invalidation_mode=unchecked)
compiled = failed = 0
# Sorted names and a fixed date: the same input gives the same zip, byte for byte.
# Deflated: a web host sends a .zip as it is, so the zip is as small as it can be itself.
with zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for folder, dirs, names in sorted(os.walk(ROOT)):
        for name in sorted(names):
            full = os.path.join(folder, name)
            if name.endswith(".py"):
                if os.path.exists(full + "c"):
                    compiled += 1
                    continue
                failed += 1
            info = zipfile.ZipInfo(os.path.relpath(full, ROOT), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            with open(full, "rb") as handle:
                out.writestr(info, handle.read())
json.dumps({"sources": len(sources), "compiled": compiled, "kept_as_source": failed})
`);
await writeFile(output, pyodide.FS.readFile("/tmp/out.zip"));
const result = JSON.parse(report);
result.load_ms = loadedMs;
result.compile_ms = Math.round(performance.now() - started) - loadedMs;
console.log(JSON.stringify(result));
