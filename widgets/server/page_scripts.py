"""The pages' own scripts and styles: a small bundle in place of Voilà's JupyterLab front end.

Voilà's front end is a whole JupyterLab application: 73 files and about 1 MB compressed on every first
page (MathJax, CodeMirror, a data grid and the rest of JupyterLab), of which a workbook page uses the
kernel's connection and the widgets. ``frontend/`` holds what a page does use (``frontend/src/page.js``:
@jupyterlab/services, @jupyter-widgets' manager and controls, anywidget), bundled from the npm registry
by ``./workbook`` into ``frontend/dist/`` (``page.js`` and ``page.css``, about 150 KB compressed).

The pages load the two files from ``/workbook/page/DIGEST/``, ``DIGEST`` being a hash of their content:
immutable there, so a next page asks for neither again, and a new build gets a new address
(`widgets.server.static_files` serves them).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from jupyter_server.utils import url_path_join

__all__ = ["PAGE_FILES", "ROUTE", "bundle_digest", "bundle_dir", "page_urls"]

# What the bundle is made of: the page's script and its styles.
PAGE_FILES = ("page.js", "page.css")
ROUTE = "workbook/page"


def bundle_dir() -> Path:
    """Where the built bundle is (``RECONNECTION_PAGE_BUNDLE``, or ``frontend/dist`` in the repository)."""
    configured = os.environ.get("RECONNECTION_PAGE_BUNDLE")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "frontend" / "dist"


def bundle_digest(folder: Path | None = None) -> str:
    """A short hash of the bundle's files (their content: under a megabyte, read once per start).

    A missing bundle stops the server with one clear sentence: no page could draw its widgets.
    """
    folder = folder or bundle_dir()
    digest = hashlib.sha256()
    for name in PAGE_FILES:
        path = folder / name
        if not path.is_file():
            raise SystemExit(
                f"The pages' scripts are not built ({path} is missing): `./workbook serve` builds them "
                "from frontend/ with Node.js and npm."
            )
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def page_urls(base_url: str, digest: str) -> dict[str, str]:
    """The page config's addresses of the bundle's script and styles (the template reads them)."""
    return {
        "workbookScript": url_path_join(base_url, ROUTE, digest, "page.js"),
        "workbookStyle": url_path_join(base_url, ROUTE, digest, "page.css"),
    }
