"""Fixtures that start the real Voilà server and a real Chromium.

The server runs from the repository root so it reads ``voila.json`` as
``./workbook serve`` does; the browser is Debian's Chromium driven by
Playwright (Playwright's own browser download is not used).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from widgets._content import CONTENT_DIR

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("RECONNECTION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def pytest_configure(config: pytest.Config) -> None:
    """Keep every answer the tests give in a store of their own, never the real one.

    Set before any kernel or server starts, so nbval's kernels and the Voilà
    server (and its kernels) inherit it.
    """
    os.environ["RECONNECTION_DATA_DIR"] = tempfile.mkdtemp(prefix="reconnection-test-data-")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class VoilaServer:
    """A running Voilà server for the workbook's notebooks."""

    url: str
    port: int
    log: Path

    def page(self, notebook: str) -> str:
        """Return the address of a notebook's page."""
        return f"{self.url}/voila/render/{notebook}"


ARTICLE = REPO / "article" / "community-as-medicine-part-1.txt"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the content folder that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


@pytest.fixture
def edit_content(content_copy: Path):
    """Change one file of the content copy: ``edit_content("checkin", change)``.

    ``change`` gets the file's data and edits it in place; the copy's folder is returned.
    """

    def edit(name: str, change) -> Path:
        path = content_copy / f"{name}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return content_copy

    return edit


@pytest.fixture(scope="session")
def article_lines() -> list[str]:
    """The article's non-empty lines: title, series, then headings and paragraphs."""
    return [line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@contextmanager
def running_voila(log: Path) -> Iterator[tuple[VoilaServer, subprocess.Popen]]:
    """Start the real Voilà server on a free port, as ``./workbook serve`` does; stop it after."""
    port = _free_port()
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"
    with log.open("w") as out:
        process = subprocess.Popen(
            [voila, "notebooks", f"--port={port}", "--no-browser"],
            cwd=REPO,
            # The repository's page template first, as ./workbook serve does.
            env={**os.environ, "JUPYTER_PATH": str(REPO / "share" / "jupyter")},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"Voilà exited with {process.returncode}: {log.read_text()}")
            try:
                # The folder page is the workbook's redirect page: it starts no kernel.
                with urllib.request.urlopen(url + "/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Voilà did not answer within 60 s: {log.read_text()}")
            time.sleep(0.2)
        yield VoilaServer(url=url, port=port, log=log), process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def voila_server(artifacts: Path) -> Iterator[VoilaServer]:
    with running_voila(artifacts / "voila-server.log") as (server, _process):
        yield server


@dataclass
class PageWatch:
    """Every request a page made and every error it logged."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    @property
    def external(self) -> list[str]:
        """Requests to any host but the workbook's own server (blob: and data: are local)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; ./workbook test installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch(page: object) -> PageWatch:
    """Record a page's requests, console errors and failed responses."""
    watch = PageWatch()
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("websocket", lambda socket: watch.requests.append(socket.url))
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            watch.failed_responses.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return watch


@pytest.fixture
def watched_page(browser: object) -> Iterator[tuple[object, PageWatch]]:
    """A fresh browser context and page whose requests and console errors are recorded."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    yield page, _watch(page)
    context.close()


@pytest.fixture
def new_watched_page(browser: object) -> Iterator[object]:
    """Open more watched pages, each in its own browser context (another person), closed at the end."""
    contexts = []

    def open_page(width: int = 1000, height: int = 900) -> tuple[object, PageWatch]:
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        return page, _watch(page)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(artifacts: Path):
    """Save a whole page as ``test-artifacts/NAME.png``.

    Voilà scrolls inside ``#rendered_cells`` rather than the page, so a
    full-page capture needs the viewport grown to the content's height.
    """

    def save(page, name: str) -> Path:
        path = artifacts / f"{name}.png"
        viewport = page.viewport_size
        height = page.evaluate("() => document.getElementById('rendered_cells').scrollHeight")
        page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
        page.screenshot(path=str(path))
        page.set_viewport_size(viewport)
        return path

    return save
