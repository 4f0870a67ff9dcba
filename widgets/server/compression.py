"""Fewer bytes on the wire: every text response compressed, with brotli where the browser takes it.

A room's phones share a venue's Wi-Fi or a phone's hotspot (often 10-50 Mbit/s in all): the first page's
5.3 MB of JavaScript and CSS, sent as they are, kept thirty phones waiting about 70 s. Two parts:

- :class:`CompressedCopies`: a static file's brotli (quality 11) and gzip (Zopfli) copies, made **once
  per file content** and kept on disk (shared by every worker and every start) and in memory. A copy
  not made yet is never made at those slow best levels in the request's path: the request gets gzip at
  a fast level (milliseconds) while the best copies are made in the background for the next one.
  ``python -m widgets.server.static_files`` makes every copy ahead (``./workbook serve`` does, so the
  first participant never waits for one).
- :class:`CompressedResponses`: everything else the server writes (the pages, which Voilà streams, the
  workbook's own pages, JSON), compressed as it goes, at a fast level.

Only text is compressed (HTML, JavaScript, CSS, JSON, SVG, plain text, CSV); a response that already says
how it is encoded, or a client that asks for ``identity``, is left as it is.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import logging
import os
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import brotli
import zopfli.gzip
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.web import OutputTransform

__all__ = [
    "COPIES_FOLDER_SETTING",
    "CompressedCopies",
    "CompressedResponses",
    "accepted_encoding",
    "compressible",
    "copies",
]

log = logging.getLogger(__name__)

# Where the compressed copies are kept: by default beside the installed Python (the workbook's own
# virtual environment), since they belong to the installed files, not to anyone's answers.
COPIES_FOLDER_SETTING = "RECONNECTION_COMPRESSED_DIR"
# Below this, compressing saves less than its headers cost.
MIN_SIZE = 512
# Types worth compressing (images, fonts and PDFs are compressed already).
_TEXT_TYPES = frozenset(
    {
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/xml",
        "image/svg+xml",
        "text/css",
        "text/csv",
        "text/html",
        "text/javascript",
        "text/plain",
        "text/xml",
    }
)
# Brotli's best for files made once; a fast level for responses made per request.
_STATIC_BROTLI_QUALITY = 11
_DYNAMIC_BROTLI_QUALITY = 4
# Zopfli's passes: 5 makes copies within 0.1 % of its default 15's, in a third of the time.
_ZOPFLI_ITERATIONS = 5
_DYNAMIC_GZIP_LEVEL = 6
ENCODINGS = ("br", "gzip")
_RECIPES = {"br": f"brotli{_STATIC_BROTLI_QUALITY}", "gzip": "zopfli.gz"}


def compressible(content_type: str | None) -> bool:
    """Whether a response of this ``Content-Type`` is text worth compressing."""
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() in _TEXT_TYPES


def accepted_encoding(accept_encoding: str | None) -> str | None:
    """The encoding to answer with (``"br"``, ``"gzip"``, or ``None`` for none) for an ``Accept-Encoding``.

    Brotli when the client takes it (it is smaller), else gzip; ``q=0`` refuses one, and ``*`` stands for
    any not named.
    """
    if not accept_encoding:
        return None
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    for encoding in ENCODINGS:
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return None


def _compress(data: bytes, encoding: str, best: bool) -> bytes:
    compressed: bytes  # brotli and zopfli ship no type information
    if encoding == "br":
        compressed = brotli.compress(
            data, quality=_STATIC_BROTLI_QUALITY if best else _DYNAMIC_BROTLI_QUALITY
        )
        return compressed
    if best:
        # Zopfli: gzip that any browser reads, about 5 % smaller than zlib's best, and about 100 times
        # slower to make: worth it for a file made once and sent to every phone on a plain-HTTP
        # network, where browsers take gzip only (they ask for brotli over HTTPS and from localhost).
        compressed = zopfli.gzip.compress(data, numiterations=_ZOPFLI_ITERATIONS)
        return compressed
    # mtime=0: the same bytes on every worker and every start.
    return gzip.compress(data, compresslevel=_DYNAMIC_GZIP_LEVEL, mtime=0)


def default_folder() -> Path:
    """Where copies are kept unless ``RECONNECTION_COMPRESSED_DIR`` says otherwise."""
    setting = os.environ.get(COPIES_FOLDER_SETTING)
    return Path(setting) if setting else Path(sys.prefix) / "var" / "reconnection-workbook" / "compressed"


class CompressedCopies:
    """Brotli and gzip copies of static files, each made once per content, kept on disk and in memory.

    A copy's file is named by the SHA-256 of the content it was made from, so a changed file (an
    upgraded package) gets new copies and an old copy is never served for new content. Copies are
    written to a temporary name and renamed, so workers making the same copy at once never see half a
    file.
    """

    def __init__(self, folder: Path, background: Executor | None = None) -> None:
        self.folder = folder
        self._background = background
        self._lock = threading.Lock()
        # (path, size, mtime_ns) -> content digest; (digest, encoding) -> bytes
        self._digests: dict[tuple[str, int, int], str] = {}
        self._copies: dict[tuple[str, str], bytes] = {}
        self._pending: set[tuple[str, str]] = set()

    def digest(self, path: str) -> str:
        """The SHA-256 of the file's content (read again only when its size or time changes)."""
        stat = os.stat(path)
        key = (path, stat.st_size, stat.st_mtime_ns)
        found = self._digests.get(key)
        if found is None:
            found = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            with self._lock:
                self._digests[key] = found
        return found

    def _stored(self, digest: str, encoding: str) -> Path:
        # Named by how it was made too: a copy made another way is made again, never served.
        return self.folder / digest[:2] / f"{digest}.{_RECIPES[encoding]}"

    def _keep(self, digest: str, encoding: str, data: bytes) -> None:
        target = self._stored(digest, encoding)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except OSError as error:  # a read-only install still serves, from memory
            log.warning("could not keep a compressed copy in %s: %s", self.folder, error)
        with self._lock:
            self._copies[(digest, encoding)] = data

    def cached(self, path: str, encoding: str) -> bytes | None:
        """The copy if it was made already (in memory or on disk), else ``None``."""
        digest = self.digest(path)
        found = self._copies.get((digest, encoding))
        if found is not None:
            return found
        try:
            found = self._stored(digest, encoding).read_bytes()
        except OSError:
            return None
        with self._lock:
            self._copies[(digest, encoding)] = found
        return found

    def has(self, path: str, encoding: str) -> bool:
        """Whether the copy was made already (without reading it)."""
        digest = self.digest(path)
        return (digest, encoding) in self._copies or self._stored(digest, encoding).exists()

    def make(self, path: str, encoding: str) -> bytes:
        """The copy, made now at the best level if it was not made before."""
        found = self.cached(path, encoding)
        if found is None:
            found = _compress(Path(path).read_bytes(), encoding, best=True)
            self._keep(self.digest(path), encoding, found)
        return found

    def for_request(self, path: str, encoding: str) -> tuple[str, bytes]:
        """What to send now for a client that takes ``encoding``: (the encoding used, its bytes).

        Never waits for a slow best copy: without one yet, the gzip copy if made, else gzip at a fast
        level (milliseconds, not kept), while the best copies are made in the background.
        """
        found = self.cached(path, encoding)
        if found is not None:
            return encoding, found
        self._make_later(path, encoding)
        if encoding == "br":
            found = self.cached(path, "gzip")
            if found is not None:
                return "gzip", found
            self._make_later(path, "gzip")
        return "gzip", _compress(Path(path).read_bytes(), "gzip", best=False)

    def _make_later(self, path: str, encoding: str) -> None:
        key = (path, encoding)
        with self._lock:
            if key in self._pending:
                return
            self._pending.add(key)
            if self._background is None:
                self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="compress")

        def make() -> None:
            try:
                self.make(path, encoding)
            except OSError as error:
                log.warning("could not compress %s: %s", path, error)
            finally:
                with self._lock:
                    self._pending.discard(key)

        self._background.submit(make)

    @contextlib.contextmanager
    def _only_maker(self, wait: bool) -> Iterator[bool]:
        """Whether this process may make copies ahead now (one at a time: workers start together)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".making", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True

    def make_all(self, paths: Iterable[str], wait: bool = True, processes: int = 1) -> int:
        """Make every missing copy of every file among ``paths``; how many were made.

        One process at a time makes them (``processes`` at once for it: ``./workbook`` uses every core
        before it serves); ``wait=False``: none at all when another is making them already (the copies
        it makes are read from disk when asked for).
        """
        with self._only_maker(wait) as allowed:
            if not allowed:
                return 0
            missing = [
                (path, encoding) for path in paths for encoding in ENCODINGS if not self.has(path, encoding)
            ]
            if processes > 1 and len(missing) > 1:
                with ProcessPoolExecutor(max_workers=processes) as pool:
                    list(pool.map(_make_copy, [self.folder] * len(missing), *zip(*missing, strict=True)))
            else:
                for path, encoding in missing:
                    self.make(path, encoding)
        return len(missing)


def _make_copy(folder: Path, path: str, encoding: str) -> None:
    CompressedCopies(folder).make(path, encoding)


_copies: CompressedCopies | None = None


def copies() -> CompressedCopies:
    """The server process's one set of copies, in :func:`default_folder`."""
    global _copies
    if _copies is None:
        _copies = CompressedCopies(default_folder())
    return _copies


class CompressedResponses(OutputTransform):
    """Compresses every text response the handlers did not compress themselves, as it is written.

    Voilà streams a page as it renders it: each flushed part is compressed and flushed too, so the
    browser still gets the page's head (and starts loading its scripts) before the end is made.
    """

    def __init__(self, request: HTTPServerRequest) -> None:
        super().__init__(request)
        self._wanted = accepted_encoding(request.headers.get("Accept-Encoding"))
        self._encoding: str | None = None
        self._brotli: brotli.Compressor | None = None
        self._gzip: zlib._Compress | None = None

    def transform_first_chunk(
        self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, HTTPHeaders, bytes]:
        """Decide from the first chunk whether (and how) this response is compressed."""
        text = compressible(headers.get("Content-Type"))
        if text and "Content-Encoding" not in headers:
            _vary_on_encoding(headers)
            if status_code == 200 and self._wanted is not None and (not finishing or len(chunk) >= MIN_SIZE):
                self._encoding = self._wanted
                headers["Content-Encoding"] = self._wanted
                if self._wanted == "br":
                    self._brotli = brotli.Compressor(quality=_DYNAMIC_BROTLI_QUALITY)
                else:
                    # wbits 31: the gzip format, as Content-Encoding: gzip says.
                    self._gzip = zlib.compressobj(_DYNAMIC_GZIP_LEVEL, zlib.DEFLATED, 31)
                chunk = self.transform_chunk(chunk, finishing)
                if finishing:
                    headers["Content-Length"] = str(len(chunk))
                else:
                    headers.pop("Content-Length", None)
        return status_code, headers, chunk

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        """A later chunk, compressed and flushed (or finished) if this response is compressed."""
        if self._brotli is not None:
            compressed: bytes = self._brotli.process(chunk) + (  # brotli ships no type information
                self._brotli.finish() if finishing else self._brotli.flush()
            )
            return compressed
        if self._gzip is not None:
            return self._gzip.compress(chunk) + self._gzip.flush(
                zlib.Z_FINISH if finishing else zlib.Z_SYNC_FLUSH
            )
        return chunk


def _vary_on_encoding(headers: HTTPHeaders) -> None:
    vary = headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
