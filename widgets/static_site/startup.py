"""The first Python the reader's browser runs, before any package is importable (stdlib only).

Run by path (``runpy.run_path``), not imported: importing anything under ``widgets`` imports the package,
which needs the packages this module puts in place. The page runs it at every start; the build runs the
same at the start of the memory snapshot (``snapshot.mjs``), so both find the packages at the same places.
"""

from __future__ import annotations

import importlib
import sys
import sysconfig
import zipfile

# Unpacked from the packages' zip rather than imported from it: Babel lists its locale-data folder, and a
# compiled extension (pydantic's core) is loaded from a file.
UNPACKED = ("babel", "pydantic_core")
# Imported before a memory snapshot is taken (widgets/static_site/snapshot.mjs): pure Python only.
AHEAD = (
    "IPython",
    "IPython.core.interactiveshell",
    "IPython.display",
    "ipywidgets",
    "anywidget",
    "traitlets",
    "comm",
    "jinja2",
    "markupsafe",
    "babel.dates",
    "babel.numbers",
    "yaml",
    "sqlalchemy",
    "segno",
    "psygnal",
)


# The standard library's modules the pages import (listed from a browser that opened every page): Pyodide
# ships them as sources, so each is compiled at its first import. In the snapshot they are imported once,
# at build time. One missing here is only compiled later; the list is for speed, not for correctness.
STANDARD_AHEAD = (
    "argparse", "ast", "asyncio", "base64", "bisect", "bz2", "codeop", "compression.zstd",
    "concurrent.futures", "csv", "dataclasses", "datetime", "decimal", "dis", "email.message",
    "email.parser", "email.utils", "fnmatch", "fractions", "getopt", "gettext", "glob", "hashlib", "heapq",
    "hmac", "html.entities", "http.cookies", "importlib.metadata", "importlib.resources", "importlib.util",
    "inspect", "ipaddress", "json", "locale", "logging.config", "logging.handlers", "lzma", "mimetypes",
    "numbers", "pathlib", "pickle", "pkgutil", "platform", "pprint", "queue", "quopri", "random", "runpy",
    "secrets", "selectors", "shlex", "shutil", "socket", "socketserver", "sqlite3", "ssl",
    "string.templatelib", "struct", "subprocess", "sysconfig", "tempfile", "textwrap", "threading",
    "tokenize", "traceback", "urllib.parse", "uuid", "zipfile", "zoneinfo",
)  # fmt: skip


def install_packages(archive: str) -> None:
    """Put the packages' zip on ``sys.path`` (imported from it as it is), unpacking what must be files."""
    with zipfile.ZipFile(archive) as packages:
        wanted = [name for name in packages.namelist() if name.split("/")[0] in UNPACKED]
        packages.extractall(sysconfig.get_path("purelib"), wanted)
    if archive not in sys.path:  # after a snapshot is restored it is there already
        sys.path.append(archive)


def import_ahead() -> None:
    """Import the pages' pure-Python packages (for a memory snapshot); refuse if a compiled one came too."""
    for name in (*STANDARD_AHEAD, *AHEAD):
        importlib.import_module(name)
    compiled = [name for name in sys.modules if name.startswith("pydantic")]
    if compiled:
        raise RuntimeError(f"a snapshot would lose these compiled modules' code: {compiled}")
