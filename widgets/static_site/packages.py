"""Build-time only: Pyodide's core files and ONE zip of the Python packages the static edition's pages import.

The static edition (``./workbook static``) runs the pages' own Python in the reader's browser, in Pyodide
314.0.8 from npm. This module fetches that Pyodide (``npm pack``) and makes the packages' zip from PyPI's
wheels, at exactly the versions installed in the Python running the build, so that the browser and the
server run the same library code. Nothing here is ever imported in the browser. The route, and the figures
behind each choice, are in docs/server-free-edition.md (sections 1, 3, 4, 5 and the appendix).

Which distributions: the closure of ``ROOTS`` read from this interpreter's installed metadata, with each
requirement's marker evaluated for Pyodide (``sys_platform == "emscripten"``, Python 3.14). pip's resolver
cannot do this: ``--platform`` changes only the wheel tags it accepts, not the markers, so it would resolve
for Linux (pexpect, ptyprocess) and fail on fpdf2's Pillow, which has no WebAssembly wheel.

Left out on purpose (``LEFT_OUT``), and why:
- jedi, parso: IPython only tries to import them (completion); it works without, and they are 5 MB.
- pexpect, ptyprocess: IPython's metadata excludes them on emscripten (listed in case a marker changes).
- micropip: nothing is installed at run time; the page unpacks this one zip.
- widgetsnbextension, jupyterlab_widgets: the classic/lab front ends only; the page bundles its own.
- greenlet: no WebAssembly build; SQLAlchemy works without it (only its asyncio extra wants it).
- pillow: no WebAssembly build; fpdf2 writes text PDFs without it (it warns it cannot add images).
- anything tornado, jupyter or voila: server side; the browser has no kernel and no server.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

PYODIDE_VERSION = "314.0.8"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

# Pyodide 314's platform: its wheel tag and the values its markers see.
PLATFORM_TAG = "pyemscripten_2026_0_wasm32"
PYTHON_VERSION = "3.14"
BROWSER_MARKERS = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "python_version": PYTHON_VERSION,
    "python_full_version": "3.14.2",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}

# What the pages import (docs/server-free-edition.md, 5); their dependencies come from the metadata.
ROOTS = (
    "ipywidgets", "anywidget", "traitlets", "comm", "ipython", "jinja2", "markupsafe", "babel", "pydantic",
    "pydantic-core", "typing-inspection", "annotated-types", "sqlalchemy", "psygnal", "pyyaml", "fpdf2",
    "fonttools", "defusedxml", "platformdirs", "segno",
)  # fmt: skip
LEFT_OUT = frozenset(
    ("jedi", "parso", "pexpect", "ptyprocess", "micropip", "widgetsnbextension", "jupyterlab-widgets",
     "greenlet", "pillow")
)  # fmt: skip
SERVER_ONLY_WORDS = ("tornado", "jupyter", "voila")

# No pure or emscripten wheel on PyPI: built here from the sdist, with their C speedups switched off.
# CC/LDSHARED=false make markupsafe's optional extension fail, so its setup.py falls back to pure Python.
NO_C = {"CC": "false", "LDSHARED": "false"}
FROM_SDIST = {"markupsafe": NO_C, "pyyaml": {**NO_C, "PYYAML_FORCE_LIBYAML": "0"}}

# Trimmed from the zip: type stubs, C sources, tests, wheel data (front-end files), SBOMs.
DROP_SUFFIXES = (".pyi", ".c")
DROP_PREFIXES = ("anywidget/labextension/", "anywidget/nbextension/")
KEEP_LOCALES = frozenset(("root.dat", "en.dat", "es.dat"))  # the workbook is in English and Spanish
COMPILER = Path(__file__).with_name("compile_pyc.mjs")


def _run(command: list[str], what: str, hint: str, env: dict[str, str] | None = None) -> str:
    """Run a build tool and turn its failure into one clear error: the builder sees what and why."""
    try:
        done = subprocess.run(  # noqa: S603 - npm, pip and node, arguments built here
            command, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
        )
    except FileNotFoundError as missing:
        raise RuntimeError(f"{what} failed: {command[0]} was not found ({hint})") from missing
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"{what} failed (exit {done.returncode}); {hint}.\n{' '.join(command)}\n{tail}")
    return done.stdout


def pyodide_core(cache: Path) -> Path:
    """Folder (inside cache) holding PYODIDE_FILES, from `npm pack pyodide@314.0.8`.

    Cached: once the files are there a second call does no network. The npm tarball is the registry's
    copy of Pyodide, so the site never asks a CDN for it.
    """
    folder = cache / f"pyodide-{PYODIDE_VERSION}"
    if all((folder / name).is_file() for name in PYODIDE_FILES):
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        _run(
            ["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", scratch, "--loglevel=error"],
            f"Fetching Pyodide {PYODIDE_VERSION} with npm pack",
            "check that Node's npm is on PATH and that registry.npmjs.org can be reached",
        )
        tarballs = list(Path(scratch).glob("pyodide-*.tgz"))
        if len(tarballs) != 1:
            raise RuntimeError(f"npm pack pyodide@{PYODIDE_VERSION} left no single tarball in {scratch}")
        staging = Path(scratch) / "core"
        staging.mkdir()
        with tarfile.open(tarballs[0]) as tarball:
            for name in PYODIDE_FILES:
                member = tarball.extractfile(f"package/{name}")
                if member is None:
                    raise RuntimeError(f"npm's pyodide@{PYODIDE_VERSION} tarball has no {name}")
                (staging / name).write_bytes(member.read())
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)  # whole or nothing: a failed fetch never looks cached
    return folder


def _installed_version(name: str) -> str:
    """The version installed here: the browser must run the library code the server runs."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError as missing:
        raise RuntimeError(
            f"{name} is needed in the browser but not installed in {sys.executable}; install the project's "
            "dependencies there so the browser's version can match the server's"
        ) from missing


def _left_out(name: str) -> bool:
    """Whether a distribution stays out of the browser (see the module docstring for each reason)."""
    return name in LEFT_OUT or any(word in name for word in SERVER_ONLY_WORDS)


def browser_distributions() -> dict[str, str]:
    """Canonical name -> installed version of every distribution the pages need in Pyodide.

    Walks the installed metadata from ROOTS, following only requirements whose markers hold in Pyodide.
    """
    found: dict[str, str] = {}
    pending = [canonicalize_name(root) for root in ROOTS]
    while pending:
        name = pending.pop()
        if name in found or _left_out(name):
            continue
        found[name] = _installed_version(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            marker: Marker | None = requirement.marker
            if marker is None or marker.evaluate(dict(BROWSER_MARKERS)):
                pending.append(canonicalize_name(requirement.name))
    return dict(sorted(found.items()))


def _browser_tag(tag: Tag) -> bool:
    """Whether Pyodide 314 can load a wheel with this tag (pure, or built for its ABI)."""
    return tag.platform == "any" or (tag.platform == PLATFORM_TAG and tag.abi in ("cp314", "abi3"))


def _cached_wheel(wheels: Path, name: str, version: str) -> Path | None:
    """The wheel for name==version already in the cache, if any: a warm build asks no registry."""
    for wheel in sorted(wheels.glob("*.whl")):
        wheel_name, wheel_version, _, tags = parse_wheel_filename(wheel.name)
        if wheel_name == name and wheel_version == Version(version) and any(map(_browser_tag, tags)):
            return wheel
    return None


def _build_pure_wheel(wheels: Path, name: str, version: str) -> Path:
    """Build name==version's pure wheel from PyPI's sdist (see FROM_SDIST) and check it really is pure.

    If the C extension got built anyway, the wheel is tagged for this machine's CPython and would not load
    in the browser: that is an error, never renamed away.
    """
    with tempfile.TemporaryDirectory(dir=wheels.parent) as scratch:
        _run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-binary=:all:", "--no-cache-dir",
             "--quiet", "--wheel-dir", scratch, f"{name}=={version}"],
            f"Building a pure-Python wheel of {name}=={version} from its sdist",
            "check that pypi.org can be reached and that the sdist still falls back to pure Python",
            env=FROM_SDIST[name],
        )  # fmt: skip
        built = list(Path(scratch).glob("*.whl"))
        if len(built) != 1 or not built[0].name.endswith("-py3-none-any.whl"):
            names = ", ".join(b.name for b in built) or "nothing"
            raise RuntimeError(
                f"{name}=={version} from its sdist gave {names}, not a py3-none-any wheel: its C extension "
                "was built (or the build changed), so the browser could not load it"
            )
        target = wheels / built[0].name
        shutil.move(built[0], target)
    return target


def _fetch_wheels(wheels: Path, wanted: dict[str, str]) -> list[Path]:
    """One wheel per distribution in `wanted`, downloading only those not yet in `wheels`."""
    wheels.mkdir(parents=True, exist_ok=True)
    for name, version in wanted.items():
        if name in FROM_SDIST and _cached_wheel(wheels, name, version) is None:
            _build_pure_wheel(wheels, name, version)
    missing = [
        f"{name}=={version}" for name, version in wanted.items() if not _cached_wheel(wheels, name, version)
    ]
    if missing:
        _run(
            [sys.executable, "-m", "pip", "download", "--dest", str(wheels), "--only-binary=:all:",
             "--platform", PLATFORM_TAG, "--platform", "any", "--python-version", PYTHON_VERSION,
             "--implementation", "cp", "--abi", "cp314", "--abi", "none", "--no-deps", "--quiet",
             "--find-links", str(wheels), *missing],
            "Downloading wheels for Pyodide from PyPI",
            f"each of {', '.join(missing)} needs a pure or {PLATFORM_TAG} wheel on PyPI",
        )  # fmt: skip
    found = {name: _cached_wheel(wheels, name, version) for name, version in wanted.items()}
    absent = [name for name, wheel in found.items() if wheel is None]
    if absent:
        raise RuntimeError(f"pip download ran, yet no browser wheel is in {wheels} for: {', '.join(absent)}")
    return [wheel for wheel in found.values() if wheel is not None]


def _kept(name: str) -> bool:
    """Whether a file of an unpacked wheel goes into the browser's zip (the rest is never imported)."""
    parts = PurePosixPath(name).parts
    if name.endswith(DROP_SUFFIXES) or name.startswith(DROP_PREFIXES) or name.endswith("/"):
        return False
    if parts[0].endswith(".data") or "tests" in parts[:-1] or "sboms" in parts[:-1]:
        return False
    if parts[0] == "babel" and "locale-data" in parts[:-1]:
        return parts[-1] in KEEP_LOCALES
    return True


def _trimmed_zip(wheels: list[Path], target: Path) -> int:
    """Write the wheels' files, trimmed, into one stored zip (the compiler's input); returns the count."""
    count = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for wheel in sorted(wheels):
            with zipfile.ZipFile(wheel) as source:
                for info in source.infolist():
                    if _kept(info.filename):
                        archive.writestr(info.filename, source.read(info))
                        count += 1
    return count


def browser_packages(cache: Path, out: Path) -> dict[str, object]:
    """Write `out`: ONE stored zip of the unpacked, trimmed wheels the pages import, compiled to .pyc.

    The bytecode is made by Pyodide itself under Node (compile_pyc.mjs), so it matches the browser's
    Python 3.14 while the build runs on another CPython. Wheels are cached in cache/wheels; the zip is
    rebuilt on every call. Returns {"distributions": [name==version, ...], "files": n, "bytes": size,
    "seconds": t}.
    """
    started = time.perf_counter()
    core = pyodide_core(cache)
    wanted = browser_distributions()
    wheels = _fetch_wheels(cache / "wheels", wanted)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        trimmed = Path(scratch) / "trimmed.zip"
        _trimmed_zip(wheels, trimmed)
        compiled = Path(scratch) / "compiled.zip"
        _run(
            ["node", str(COMPILER), str(core), str(trimmed), str(compiled)],
            "Compiling the browser's packages to .pyc inside Pyodide (node compile_pyc.mjs)",
            "check that Node 18 or later is on PATH and that the cached Pyodide files are whole",
        )
        shutil.move(compiled, out)
    with zipfile.ZipFile(out) as archive:
        files = len(archive.infolist())
    return {
        "distributions": [f"{name}=={version}" for name, version in wanted.items()],
        "files": files,
        "bytes": out.stat().st_size,
        "seconds": round(time.perf_counter() - started, 2),
    }


def compile_zip(cache: Path, source: Path, out: Path) -> None:
    """Write ``out``: ``source``'s files, each ``.py`` compiled to ``.pyc`` inside Pyodide (legacy layout).

    For the workbook's own package: without this, the browser compiles each of its modules at every start.
    (Python's standard library stays as Pyodide ships it, sources: compiled, its zip is four times larger.)
    """
    _run(
        ["node", str(COMPILER), str(pyodide_core(cache)), str(source), str(out)],
        f"Compiling {source.name} to .pyc inside Pyodide (node compile_pyc.mjs)",
        "check that Node 18 or later is on PATH and that the cached Pyodide files are whole",
    )
