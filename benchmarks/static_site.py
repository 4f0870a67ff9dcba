"""(h) The server-free edition: bytes and time to section 1, first and return visit, throttled and not.

``./workbook bench --static`` (``results/issue-29-static.json``; ``--smoke``: one run of each). The site is
built afresh into a temporary folder (`widgets.static_site.build`) and served by :class:`StaticHost`, a
small threaded HTTP server that behaves like a typical static web host: brotli for text and WebAssembly
when the browser asks for it (compressed once, at start), zips, images and fonts as they are, revalidation
of ``index.html`` and ``sw.js`` at every visit and an hour's caching for the rest. It counts the bytes it
sends, so the service worker's own downloads are counted too (Chromium's DevTools protocol sees only the
page's).

For each condition (unthrottled; throttled: 4x slower CPU and a 20 Mbit/s, 20 ms link, set through the
DevTools protocol on the page before it navigates), a fresh Chromium profile per run:

- **first visit**: section 1 from its address until the page says it is ready (``body[data-ready]``,
  read with the page's own clock, from the start of navigation), the bytes sent until then, and the
  bytes sent until the service worker has kept every file of the site;
- **return visit**: a new tab in the same browser (service worker installed), the same address;
- **after a restart**: the browser closed and started again on the same profile, the same address.

Beside it, in the same run, the served workbook's section 1 (first visit, a fresh context per run, the
same two conditions) until its controls are visible, as the benchmark's part (a) detects them. Every host
but 127.0.0.1 is unresolvable for Chromium, and any request to another host is counted (must be none).
"""

from __future__ import annotations

import hashlib
import http.server
import json
import mimetypes
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import brotli
import psutil

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.server import REPO, serve, wait_for_idle_kernels
from harness.stats import summary

SECTION = "01-hidden-weight"
CONDITIONS = ("unthrottled", "throttled")
# Chromium reaches nothing but loopback: a request to any other host fails at name resolution.
ONLY_LOOPBACK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
BROTLI_SUFFIXES = (".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".wasm", ".txt")
TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".txt": "text/plain; charset=utf-8",
    ".zip": "application/zip",
    ".png": "image/png",
    ".ttf": "font/ttf",
}
REVALIDATED = ("index.html", "sw.js")  # no-cache: asked again at every visit, as a host serves a site's entry
LIMIT_MS = 300_000  # a page not ready in 5 minutes is a failed run

# The page's own moment of readiness: the static page sets body[data-ready] once section 1 can be answered.
_READY_CLOCK = """(() => {
  const seen = () => {
    const name = document.body && document.body.dataset.ready;
    window.__rwReady = window.__rwReady || {};
    if (name && !(name in window.__rwReady)) window.__rwReady[name] = performance.now();
  };
  const watched = {subtree: true, attributes: true, attributeFilter: ["data-ready"]};
  new MutationObserver(seen).observe(document, watched);
})();"""
# The served page's section 1 controls visible, checked on every animation frame: the same check as the
# benchmark's part (a) (`benchmarks.bench._CONTROLS_VISIBLE`; bench.py imports this module, so not imported).
_SERVED_VISIBLE = """() => {
  const radio = document.querySelector('input[type=radio], [role=radio]');
  return radio !== null && radio.checkVisibility() ? performance.now() : false;
}"""
# Until the service worker is active and its cache holds every file of the site (page clock, ms).
_CACHED = """async ([count, limit]) => {
  const deadline = performance.now() + limit;
  await Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(resolve, limit))]);
  while (performance.now() < deadline) {
    for (const name of await caches.keys()) {
      const kept = name.startsWith("reconnection-workbook-") ? await (await caches.open(name)).keys() : [];
      if (kept.length >= count) return performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}"""


@dataclass
class _Stored:
    """One file of the site as the host sends it: its bytes, brotli's (for text and wasm), its validator."""

    raw: bytes
    compressed: bytes | None
    etag: str
    content_type: str


@dataclass
class StaticHost:
    """The site's files, compressed once, and what was sent: bytes in all, and each request."""

    files: dict[str, _Stored]
    sent: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, size: int) -> None:
        """Add bytes written to a socket (headers and bodies)."""
        with self.lock:
            self.sent += size


def _store(site: Path) -> dict[str, _Stored]:
    """Every file by its URL path, brotli (quality 9) made now for the types a host compresses."""
    files = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        compressed = brotli.compress(raw, quality=9) if path.suffix in BROTLI_SUFFIXES else None
        kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        etag = '"' + hashlib.sha256(raw).hexdigest()[:20] + '"'
        files["/" + path.relative_to(site).as_posix()] = _Stored(raw, compressed, etag, kind)
    return files


class _CountingWriter:
    """The connection's writer, counting what goes through it into the host's total."""

    def __init__(self, inner: Any, host: StaticHost) -> None:
        self.inner, self.host, self.written = inner, host, 0

    def write(self, data: bytes) -> int:
        written: int = self.inner.write(data)
        self.written += len(data)
        self.host.count(len(data))
        return written

    def flush(self) -> None:
        self.inner.flush()

    def __getattr__(self, name: str) -> Any:
        """The rest (``closed``, ``close``, asked as a connection ends) is the inner writer's."""
        return getattr(self.inner, name)


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the site's files, as a static host answers them (keep-alive, ETag, brotli)."""

    protocol_version = "HTTP/1.1"
    host: StaticHost  # set on the subclass made for each host

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.host)  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: each request is recorded in the host's list instead."""

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        before, asked = self.wfile.written, time.time()  # type: ignore[attr-defined]
        path = unquote(urlsplit(self.path).path)
        stored = self.host.files.get(path + "index.html" if path.endswith("/") else path)
        if stored is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return self._record(path, 404, "", before, asked)
        name = path.rsplit("/", 1)[-1] or "index.html"
        self.send_response(304 if self.headers.get("If-None-Match") == stored.etag else 200)
        self.send_header("Cache-Control", "no-cache" if name in REVALIDATED else "max-age=3600")
        self.send_header("ETag", stored.etag)
        brotli_asked = "br" in [
            part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")
        ]
        use_brotli = stored.compressed is not None and brotli_asked
        content = stored.compressed if use_brotli and stored.compressed is not None else stored.raw
        if stored.compressed is not None:
            self.send_header("Vary", "Accept-Encoding")
        if self.headers.get("If-None-Match") == stored.etag:
            self.end_headers()
            return self._record(path, 304, "", before, asked)
        self.send_header("Content-Type", stored.content_type)
        self.send_header("Content-Length", str(len(content)))
        if use_brotli:
            self.send_header("Content-Encoding", "br")
        self.end_headers()
        if body:
            self.wfile.write(content)
        self._record(path, 200, "br" if use_brotli else "", before, asked)

    def _record(self, path: str, status: int, encoding: str, before: int, asked: float) -> None:
        sent = self.wfile.written - before  # type: ignore[attr-defined]
        kept = {"path": path, "status": status, "encoding": encoding, "bytes": sent, "at": asked}
        with self.host.lock:
            self.host.requests.append(kept)


@contextmanager
def static_host(site: Path) -> Iterator[tuple[StaticHost, str]]:
    """Serve ``site`` on a free port of 127.0.0.1 until the block ends; the host and its address."""
    host = StaticHost(_store(site))
    handler = type("SiteHandler", (_Handler,), {"host": host})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Browser:
    """What one browser saw: requests to a host other than 127.0.0.1, and the page's bytes by CDP."""

    def __init__(self) -> None:
        self.foreign: list[str] = []
        self.cdp_bytes = 0
        self.asked: dict[str, float] = {}  # CDP request id: when the page asked (seconds since the epoch)
        self.loaded: list[tuple[float, int]] = []  # when each finished request was asked, its bytes
        self.clock = 0.0  # CDP's monotonic timestamps plus this: seconds since the epoch
        self.received: list[tuple[float, int]] = []  # each piece of a response as it arrived: when, bytes

    def bytes_asked_before(self, moment: float, since: int = 0) -> int:
        """The page's bytes (CDP) for the requests it made before ``moment``, counted from ``since``."""
        return sum(size for asked, size in self.loaded[since:] if asked <= moment)

    def bytes_received_before(self, moment: float, since: int = 0) -> int:
        """The page's response bytes (CDP, as received, headers aside) that had arrived by ``moment``."""
        return sum(size for arrived, size in self.received[since:] if arrived <= moment)

    def watch_requests(self, context: Any) -> None:
        """Note any request that would leave the machine (Chromium cannot resolve it, but it was asked)."""
        context.on("request", self._request)

    def _request(self, request: Any) -> None:
        address = urlsplit(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.hostname != "127.0.0.1":
            self.foreign.append(request.url)

    def throttle(self, context: Any, page: Any, condition: str) -> None:
        """The page's DevTools session: count its bytes, and slow it (before it navigates) if throttled."""
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.loadingFinished", self._finished)
        session.on("Network.dataReceived", self._data)
        if condition == "throttled":
            session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            conditions = {"offline": False, "latency": 20, "downloadThroughput": 20e6 / 8}
            session.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": 20e6 / 8})

    def _sent(self, event: dict[str, Any]) -> None:
        self.asked.setdefault(event["requestId"], float(event.get("wallTime", 0.0)))
        if "wallTime" in event:
            self.clock = float(event["wallTime"]) - float(event["timestamp"])

    def _data(self, event: dict[str, Any]) -> None:
        self.received.append((float(event["timestamp"]) + self.clock, int(event.get("encodedDataLength", 0))))

    def _finished(self, event: dict[str, Any]) -> None:
        size = int(event.get("encodedDataLength", 0))
        self.cdp_bytes += size
        self.loaded.append((self.asked.get(event["requestId"], 0.0), size))


def _launch(playwright: Any, profile: Path) -> Any:
    """Chromium on a persistent profile (kept across a restart), headless, loopback only."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, ONLY_LOOPBACK],
        headless=True,
        viewport={"width": 1000, "height": 900},
    )


def _visit(page: Any, watcher: _Browser, host: StaticHost, url: str) -> dict[str, Any]:
    """Open section 1 on ``page`` (throttled already if it is to be): seconds until ready, by its clock.

    What was sent for it is counted once the run is over (`_count`): every request is done by then.
    """
    marks = {"_host_from": len(host.requests), "_cdp_from": len(watcher.loaded)}
    marks["_received_from"] = len(watcher.received)
    page.goto(f"{url}/index.html#/{SECTION}", wait_until="commit")
    ready = f"() => (window.__rwReady || {{}})[{json.dumps(SECTION)}] || false"
    at = page.wait_for_function(ready, polling=50, timeout=LIMIT_MS).json_value()
    origin = page.evaluate("performance.timeOrigin")
    return {"ready_s": round(at / 1000, 3), "_ready_epoch": (origin + at) / 1000, **marks}


def _count(visit: dict[str, Any], host: StaticHost, watcher: _Browser) -> None:
    """What the page asked for before it was ready, and what had arrived by then.

    Requests and their bytes as the host counted them, the page's own by CDP, and the page's bytes that
    had arrived by ready (CDP's ``dataReceived``): a throttled link holds back what was asked.
    """
    moment = visit.pop("_ready_epoch")
    asked = [request for request in host.requests[visit.pop("_host_from") :] if request["at"] <= moment]
    visit["requests"] = len(asked)
    visit["bytes"] = sum(request["bytes"] for request in asked)
    visit["cdp_bytes"] = watcher.bytes_asked_before(moment, visit.pop("_cdp_from"))
    visit["cdp_received"] = watcher.bytes_received_before(moment, visit.pop("_received_from"))


def _open(playwright: Any, profile: Path, watcher: _Browser, condition: str) -> tuple[Any, Any]:
    """Chromium started on ``profile``, and its tab, throttled if the condition says so."""
    context = _launch(playwright, profile)
    context.add_init_script(_READY_CLOCK)
    watcher.watch_requests(context)
    page = context.pages[0] if context.pages else context.new_page()
    watcher.throttle(context, page, condition)
    return context, page


def _static_run(playwright: Any, host: StaticHost, url: str, condition: str, files: int) -> dict[str, Any]:
    """One run on a fresh profile: first visit (and the service worker's caching), return, after restart."""
    watcher = _Browser()
    with tempfile.TemporaryDirectory(prefix="bench-static-profile-") as folder:
        profile = Path(folder)
        context, page = _open(playwright, profile, watcher, condition)
        sent_before = host.sent
        first = _visit(page, watcher, host, url)
        cached_at = page.evaluate(_CACHED, [files, LIMIT_MS])
        first["cached_s"] = None if cached_at is None else round(cached_at / 1000, 3)
        first["bytes_until_cached"] = host.sent - sent_before
        page.close()
        page = context.new_page()  # a new tab, the browser still running, the service worker installed
        watcher.throttle(context, page, condition)
        again = _visit(page, watcher, host, url)
        context.close()
        context, page = _open(playwright, profile, watcher, condition)
        restarted = _visit(page, watcher, host, url)
        context.close()
    for visit in (first, again, restarted):
        _count(visit, host, watcher)
    return {"first": first, "return": again, "after_restart": restarted, "foreign": watcher.foreign}


def static_runs(site: Path, runs: int) -> dict[str, Any]:
    """Every condition's runs on the site at ``site``, and what the host sent for each file."""
    from playwright.sync_api import sync_playwright

    files = sum(1 for path in site.rglob("*") if path.is_file() and path.name != "sw.js")
    results: dict[str, Any] = {"runs": {}, "errors": []}
    with static_host(site) as (host, url), sync_playwright() as playwright:
        for condition in CONDITIONS:
            results["runs"][condition] = []
            for _ in range(runs):
                started = len(host.requests)
                try:
                    run = _static_run(playwright, host, url, condition, files)
                except Exception as error:  # a failed run is reported; the others still run
                    results["errors"].append(f"{condition}: {type(error).__name__}: {error}"[:500])
                    continue
                run["requests"] = host.requests[started:]
                results["runs"][condition].append(run)
    results["files"] = {path: _sizes(stored) for path, stored in host.files.items()}
    return results


def _sizes(stored: _Stored) -> dict[str, int | None]:
    return {"raw": len(stored.raw), "brotli": None if stored.compressed is None else len(stored.compressed)}


def _served_page(browser: Any, address: str, condition: str) -> dict[str, Any]:
    """Section 1 of the served workbook in a fresh context: seconds until its controls are visible."""
    watcher = _Browser()
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    watcher.watch_requests(context)
    page = context.new_page()
    watcher.throttle(context, page, condition)
    page.goto(address, wait_until="commit")
    at = page.wait_for_function(_SERVED_VISIBLE, polling="raf", timeout=LIMIT_MS).json_value()
    result = {"ready_s": round(at / 1000, 3), "cdp_bytes": watcher.cdp_bytes, "foreign": watcher.foreign}
    # Close the tab as a person does, so the page's own unload handler stops its kernel.
    page.close(run_before_unload=True)
    time.sleep(0.5)
    context.close()
    return result


def served_runs(runs: int) -> dict[str, list[dict[str, Any]]]:
    """The served workbook's section 1, first visit, in each condition (its pools full first)."""
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict[str, Any]]] = {}
    with serve("workbook", REPO) as server, sync_playwright() as playwright:
        wait_for_idle_kernels(server)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, ONLY_LOOPBACK])
        address = server.page(f"{SECTION}.ipynb")
        for condition in CONDITIONS:
            results[condition] = [_served_page(browser, address, condition) for _ in range(runs)]
        browser.close()
    return results


def _figures(static: dict[str, Any], served: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """p50 and max of each measure, per condition."""
    figures: dict[str, Any] = {}
    for condition in CONDITIONS:
        runs = static["runs"].get(condition, [])

        def pick(visit: str, key: str, among: list[dict[str, Any]] = runs) -> dict[str, float]:
            return summary([run[visit][key] for run in among if run[visit].get(key) is not None])

        figures[condition] = {
            "first_bytes_until_ready": pick("first", "bytes"),
            "first_received_by_ready": pick("first", "cdp_received"),
            "first_requests_until_ready": pick("first", "requests"),
            "first_bytes_until_cached": pick("first", "bytes_until_cached"),
            "first_ready_s": pick("first", "ready_s"),
            "first_cached_s": pick("first", "cached_s"),
            "return_ready_s": pick("return", "ready_s"),
            "return_bytes": pick("return", "bytes"),
            "after_restart_ready_s": pick("after_restart", "ready_s"),
            "after_restart_bytes": pick("after_restart", "bytes"),
            "served_ready_s": summary([run["ready_s"] for run in served.get(condition, [])]),
            "served_cdp_bytes": summary([run["cdp_bytes"] for run in served.get(condition, [])]),
        }
    return figures


def _foreign(static: dict[str, Any], served: dict[str, list[dict[str, Any]]]) -> list[str]:
    runs = [
        *(run for runs in static["runs"].values() for run in runs),
        *(r for v in served.values() for r in v),
    ]
    return sorted({url for run in runs for url in run["foreign"]})


def print_static(results: dict[str, Any]) -> None:
    """The table: both conditions side by side, p50 / max, and the issue's two targets."""
    figures = results["figures"]
    print(f"\n(h) The server-free edition, section 1 ({SECTION}); p50 / max of {results['runs']} run(s)")
    print(f"{'':44}" + "".join(f"{condition:>26}" for condition in CONDITIONS))
    rows = [
        ("first visit: requests asked before ready", "first_requests_until_ready", 1, ""),
        ("first visit: their bytes (host's count)", "first_bytes_until_ready", 1e6, "MB"),
        ("first visit: bytes arrived by ready (CDP)", "first_received_by_ready", 1e6, "MB"),
        ("first visit: bytes until all cached (SW)", "first_bytes_until_cached", 1e6, "MB"),
        ("first visit: ready", "first_ready_s", 1, "s"),
        ("first visit: service worker has all files", "first_cached_s", 1, "s"),
        ("return visit (new tab): ready", "return_ready_s", 1, "s"),
        ("return visit: bytes", "return_bytes", 1e3, "KB"),
        ("after a browser restart: ready", "after_restart_ready_s", 1, "s"),
        ("after a browser restart: bytes", "after_restart_bytes", 1e3, "KB"),
        ("served workbook, first visit: controls shown", "served_ready_s", 1, "s"),
        ("served workbook: page's bytes (CDP, no ws)", "served_cdp_bytes", 1e6, "MB"),
    ]
    for label, key, unit, name in rows:
        cells = []
        for condition in CONDITIONS:
            stats = figures[condition][key]
            cells.append(f"{stats['p50'] / unit:.2f} / {stats['max'] / unit:.2f} {name}")
        print(f"{label:44}" + "".join(f"{cell:>26}" for cell in cells))
    foreign, errors = len(results["foreign"]), results["errors"]
    print(f"requests to a host other than 127.0.0.1: {foreign}; failed runs: {errors}")

    for label, value, target in results["targets"]:
        met = "met" if value is not None and value <= target else "NOT met"
        print(f"target: {label} <= {target} s: p50 {value} s ({met})")


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in psutil.getloadavg())


def main(smoke: bool, out: Path) -> int:
    """Build the site in a temporary folder, measure it and the served workbook; print, write the figures."""
    from widgets.static_site.build import build

    runs, load_before = (1 if smoke else 3), _load()
    with tempfile.TemporaryDirectory(prefix="bench-static-site-") as folder:
        site = Path(folder) / "site"
        made = build(site)
        static = static_runs(site, runs)
    served = served_runs(runs)
    figures = _figures(static, served)
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{psutil.cpu_count()} cores; load average {load_before} before, {_load()} after",
        "runs": runs,
        "site": {"files": made["files"], "bytes": made["bytes"], "version": made["version"]},
        "figures": figures,
        "targets": [
            ("return visit, unthrottled", figures["unthrottled"]["return_ready_s"]["p50"], 3.0),
            ("first visit, throttled", figures["throttled"]["first_ready_s"]["p50"], 15.0),
        ],
        "foreign": _foreign(static, served),
        "errors": static["errors"],
        "static": static,
        "served": served,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print_static(results)
    return 1 if results["foreign"] or results["errors"] else 0
