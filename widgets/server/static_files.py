"""The pages' static files: compressed once, and cached by the browser as long as their address allows.

Each page of the workbook loads a few scripts and styles: its own bundle (`widgets.server.page_scripts`,
at ``/workbook/page/DIGEST/``) and the template's styles. Voilà's own files and the widget extensions'
are still served (no page loads them now). What this module changes about all of them:

- **Compressed** (`widgets.server.compression`): brotli where the browser takes it, else gzip, from
  copies made once per file content.
- **Cached to fit their address.** A file whose address names its version can never change at that
  address, so it is ``Cache-Control: public, max-age=31536000, immutable`` and a next page does not ask
  for it again: the page's bundle (its address holds a hash of its content), the template's files
  (``?v=`` and a hash), the widget extensions' files (their names hold a content hash) and Voilà's own
  files at ``/voila/static/v/DIGEST/``, ``DIGEST`` being a hash of every file there
  (:func:`static_digest`; a Voilà upgrade changes it). A
  file asked for without a version (Voilà's unversioned address, a ``package.json``) is ``no-cache``
  with a validator, so the browser keeps it and asks only whether it changed.

The pages themselves stay uncached (they are private): their handlers say so.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from tornado import web
from voila.paths import collect_static_paths
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler

from widgets.server.compression import MIN_SIZE, accepted_encoding, compressible, copies
from widgets.server.page_scripts import PAGE_FILES, ROUTE, bundle_dir

__all__ = [
    "IMMUTABLE",
    "REVALIDATE",
    "ExtensionFiles",
    "LightFiles",
    "PageScriptFiles",
    "TemplateStaticFiles",
    "VoilaStaticFiles",
    "main",
    "page_scripts_route",
    "served_static_files",
    "static_digest",
    "versioned_page_config",
    "versioned_static_route",
    "warm_in_background",
]

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The workbook's page template (voila.json's VoilaConfiguration.template).
TEMPLATE = "reconnection"
# A bundler's content hash in a file name: remoteEntry.c8c9eed2cdefdeac.js, 84.09c61a35dce1705f.js.
_HASHED_NAME = re.compile(r"[.-][0-9a-f]{8,}\.(?:js|mjs|css)$")
# The part of the address that names Voilà's static files' version.
VERSIONED_PREFIX = "voila/static/v"


class LightFiles(web.StaticFileHandler):
    """A static file handler that sends compressed copies and says how long a file may be cached.

    Mixed into Voilà's and Jupyter's file handlers (before them): subclasses say, in :meth:`immutable`,
    whether the address they were asked for names the file's version.
    """

    _encoding: str | None = None
    _encoded: bytes | None = None

    def immutable(self) -> bool:
        """Whether the address names the file's version (so its content there never changes)."""
        return "v" in self.request.arguments

    def get_cache_time(self, path: str, modified: Any, mime_type: str) -> int:
        """None of Tornado's own caching headers: :meth:`set_headers` says it once."""
        return 0

    def compute_etag(self) -> str | None:
        """A validator from the file's content, different for each encoding sent."""
        if self.absolute_path is None:
            return None
        tag = copies().digest(self.absolute_path)[:40]
        return f'"{tag}-{self._encoding}"' if self._encoding else f'"{tag}"'

    def set_headers(self) -> None:
        """The handler's headers, then the workbook's encoding and caching ones."""
        self._choose_encoding()
        super().set_headers()
        self.set_header("Cache-Control", IMMUTABLE if self.immutable() else REVALIDATE)
        if compressible(self.get_content_type()):
            self.set_header("Vary", "Accept-Encoding")
        if self._encoding:
            self.set_header("Content-Encoding", self._encoding)

    def _choose_encoding(self) -> None:
        self._encoding = self._encoded = None
        path = self.absolute_path
        if path is None or not compressible(self.get_content_type()):
            return
        wanted = accepted_encoding(self.request.headers.get("Accept-Encoding"))
        if wanted is None or os.path.getsize(path) < MIN_SIZE:
            return
        self._encoding, self._encoded = copies().for_request(path, wanted)
        # Tornado reads the body with the class's get_content(path, start, end); this response's body
        # is the copy instead (an attribute of this one handler, so nothing else sees it). Tornado documents
        # get_content as returning bytes or an iterator of bytes, but annotates only the iterator.
        self.get_content = self._encoded_content  # type: ignore[method-assign, assignment]

    def _encoded_content(self, _path: str, start: int | None = None, end: int | None = None) -> bytes:
        assert self._encoded is not None  # noqa: S101 - set together with this method
        return self._encoded[start:end]

    def get_content_size(self) -> int:
        """The size of what is sent: the copy's, when a copy is sent."""
        return len(self._encoded) if self._encoded is not None else super().get_content_size()


class VoilaStaticFiles(LightFiles, MultiStaticFileHandler):
    """Voilà's own files (``/voila/static/``), immutable at their versioned address."""

    # Voilà's MultiStaticFileHandler (untyped) changes Tornado's initialize to take a list of roots and
    # makes get_absolute_path an instance method; mypy sees only Tornado's signatures behind it.
    def initialize(  # type: ignore[override]
        self, paths: list[str], default_filename: str | None = None, versioned: bool = False
    ) -> None:
        """Voilà's roots; ``versioned``: this route's address holds :func:`static_digest`."""
        self.versioned = versioned
        super().initialize(paths, default_filename)  # type: ignore[arg-type]  # Voilà's, as above

    def immutable(self) -> bool:
        """Immutable at ``/voila/static/v/DIGEST/``, revalidated at the plain address."""
        return self.versioned

    def get_absolute_path(self, root: str, path: str) -> str:  # type: ignore[override]  # as above
        """The file in the first root that has it; one that none has, a plain 404 (Voilà's gave a 403)."""
        found = super().get_absolute_path(root, path)
        if not os.path.exists(found):
            self.root = self.roots[0]
            found = os.path.abspath(os.path.join(self.root, path))
        return found


class TemplateStaticFiles(LightFiles, TemplateStaticFileHandler):
    """The page template's files (``/voila/templates/TEMPLATE/static/...``): the pages ask with ``?v=``."""


class ExtensionFiles(LightFiles, FileFindHandler):
    """The widget extensions' files (``/voila/labextensions/``): their bundler names them by content."""

    def immutable(self) -> bool:
        """Immutable when the name holds a content hash or the address a version."""
        return "v" in self.request.arguments or _HASHED_NAME.search(self.request.path) is not None


class PageScriptFiles(LightFiles):
    """The page's own bundle (`widgets.server.page_scripts`), at the address that names its content."""

    def immutable(self) -> bool:
        """Always: the route holds the bundle's current digest, and any other digest is a 404."""
        return True


def page_scripts_route(base_url: str, digest: str, folder: Path | None = None) -> tuple[Any, ...]:
    """The route of the bundle's files at their versioned address (any other name or digest: a 404)."""
    names = "|".join(name.replace(".", r"\.") for name in PAGE_FILES)
    pattern = url_path_join(base_url, ROUTE, digest, f"({names})")
    return (pattern, PageScriptFiles, {"path": str(folder or bundle_dir())})


def _files_under(roots: Iterable[str]) -> Iterator[Path]:
    for root in roots:
        base = Path(root)
        if base.is_dir():
            yield from sorted(path for path in base.rglob("*") if path.is_file())


def static_digest(static_paths: Iterable[str]) -> str:
    """A short hash of every file under Voilà's static roots: its path, size and time.

    Read at each start (a few milliseconds: no file is read), so an upgraded Voilà, whose files are
    written anew, gets a new address at once.
    """
    digest = hashlib.sha256()
    for path in _files_under(static_paths):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def versioned_static_route(base_url: str, static_paths: list[str], digest: str) -> tuple[Any, ...]:
    """The route of Voilà's files at their versioned address (before Voilà's own ``/voila/static/``)."""
    pattern = url_path_join(base_url, rf"/{VERSIONED_PREFIX}/{digest}/(.*)")
    settings = {"paths": static_paths, "default_filename": "index.html", "versioned": True}
    return (pattern, VoilaStaticFiles, settings)


def versioned_page_config(
    digest: str, then: Callable[..., dict[str, Any]] | None = None, extra: dict[str, str] | None = None
) -> Callable[..., dict[str, Any]]:
    """A Voilà ``page_config_hook`` that points the page (and Voilà's code loader) at the versioned address.

    ``fullStaticUrl`` is where the page's ``voila.js`` comes from and where its code loader finds every
    other chunk. ``then``: a hook already configured, run first; ``extra``: more addresses the page's
    template reads (the page's own scripts).
    """

    def hook(page_config: dict[str, Any], base_url: str, **kwargs: Any) -> dict[str, Any]:
        if then is not None:
            page_config = then(page_config, base_url=base_url, **kwargs)
        page_config["fullStaticUrl"] = url_path_join(base_url, VERSIONED_PREFIX, digest)
        page_config.update(extra or {})
        return page_config

    return hook


def served_static_files(template_paths: Iterable[str] | None = None) -> list[str]:
    """The compressible files a workbook page loads: the template's styles and the page's own bundle.

    The template's folders also hold Voilà's own front end (its ``voila.js`` and chunks), which no page
    loads any more (the bundle of `widgets.server.page_scripts` does its work), and the widget
    extensions' files are not loaded either: each is compressed when asked for, if ever.
    """
    if template_paths is None:
        template_paths = collect_static_paths(["voila", "nbconvert"], TEMPLATE)
    styles = [path for path in _files_under(template_paths) if path.suffix == ".css"]
    bundle = [bundle_dir() / name for name in PAGE_FILES]
    files = []
    for path in [*styles, *(path for path in bundle if path.is_file())]:
        kind, _ = mimetypes.guess_type(path.name)
        if compressible(kind) and path.stat().st_size >= MIN_SIZE:
            files.append(str(path))
    return files


def warm_in_background() -> threading.Thread:
    """Make every missing compressed copy in a low-priority thread (brotli lets go of Python's lock)."""

    def warm() -> None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        try:
            copies().make_all(served_static_files(), wait=False)
        except OSError as error:
            log.warning("could not make compressed copies ahead: %s", error)

    thread = threading.Thread(target=warm, name="compress-ahead", daemon=True)
    thread.start()
    return thread


def main() -> int:
    """Make every compressed copy the workbook's pages may ask for, ahead of serving (``./workbook``)."""
    made = copies().make_all(served_static_files(), processes=os.cpu_count() or 1)
    if made:
        print(f"[workbook] compressed {made} copies of the pages' files, once", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
