"""Fixtures that start the real Voilà server and a real Chromium.

The server runs from the repository root so it reads ``voila.json`` as
``./workbook serve`` does; the browser is Debian's Chromium driven by
Playwright (Playwright's own browser download is not used).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from suite_costs import SuiteCosts

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.postgres import PostgresCluster, PostgresMissing, throwaway_cluster
from harness.server import WORKBOOK_VOILA, free_port
from widgets.blocks import Bar, Bars, Table
from widgets.content_files import CONTENT_DIR, ContentError
from widgets.room.access import TOKEN_SETTING, facilitator_link, facilitator_token
from widgets.sections.checkin.model import load_checkin_content
from widgets.workbook_content import load_content

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def pytest_configure(config: pytest.Config) -> None:
    """Keep every answer the tests give in a store of their own, never the real one; one facilitator token.

    Set before any kernel or server starts, so nbval's kernels and the Voilà
    server (and its kernels) inherit them. The token is random for each run, as
    ``./workbook serve`` makes one at each start; :func:`facilitator_address` gives
    the facilitator link with it.
    """
    os.environ["RECONNECTION_DATA_DIR"] = tempfile.mkdtemp(prefix="reconnection-test-data-")
    os.environ[TOKEN_SETTING] = secrets.token_urlsafe(24)
    if not hasattr(config, "workerinput"):  # under pytest-xdist, the process that gathers every report
        config.pluginmanager.register(SuiteCosts(), "suite-costs")


def facilitator_address(server_url: str, query: str = "") -> str:
    """The facilitator link of a test's server (``http://127.0.0.1:PORT``): the page with the run's token.

    ``query`` is more of the query string (``"room=...&key=..."``).
    """
    link = facilitator_link(server_url, load_content().sections.facilitator_notebook, facilitator_token())
    return f"{link}&{query}" if query else link


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


def _section_content_loader(name: str) -> Callable[[Path], object]:
    """What reads a content folder's ``<name>.yaml`` with its section's schema (tests/section_contents.py)."""
    from section_contents import SECTION_CONTENTS  # brings in the nine models: only when asked

    from widgets.content_files import load_activity_content

    def load(folder: Path) -> object:
        return load_activity_content(name, SECTION_CONTENTS[name], folder)

    return load


@pytest.fixture
def content_refusal(content_copy: Path, edit_content):
    """What loading one changed content file says: ``content_refusal("crowding", change)``.

    ``load`` reads a content folder: by default, the section's file with its schema
    (tests/section_contents.py); the refusal must name the file.
    """

    def refusal(name: str, change, load: Callable[[Path], object] | None = None) -> str:
        load = load or _section_content_loader(name)
        edit_content(name, change)
        with pytest.raises(ContentError) as caught:
            load(content_copy)
        assert f"{name}.yaml" in str(caught.value)
        return str(caught.value)

    return refusal


@pytest.fixture
def book():
    """The page's answer book, emptied before and after the test: a view gives back what it holds."""
    from widgets import answers

    answers.current().clear()
    yield answers.current()
    answers.current().clear()


def figure_rows(figure: Any) -> list[tuple[str, float]]:
    """A group figure's rows (facilitator's screen) as (label, value) pairs."""
    return [(row.label, row.value) for row in figure.rows]


def figure_words(figures: list) -> list[str]:
    """Every word group figures show: titles, units and row labels (never what someone typed)."""
    return [
        text
        for figure in figures
        for text in (figure.title, *figure.unit.forms.values(), *(r.label for r in figure.rows))
    ]


def _block_texts(value: object) -> list[str]:
    """Every string a report block, or a list of blocks, holds at any depth.

    Parameters
    ----------
    value : object
        A block from ``widgets.blocks``, or a list or tuple of them.

    Returns
    -------
    list of str
        The strings in field order, styles such as ``"strong"`` included.
    """
    if isinstance(value, str):
        return [value]
    if is_dataclass(value):
        return [text for item in fields(value) for text in _block_texts(getattr(value, item.name))]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _block_texts(item)]
    return []


def _bar_number(bar: Bar, chart: Bars) -> str:
    """A bar's number as a table gives it, e.g. ``"2.5"``."""
    return f"{bar.value:g}"


def _bars_with_tables(
    blocks: list,
    *,
    column: int | str = 1,
    cell: Callable[[Bar, Bars], str] = _bar_number,
    skip: Collection[str] = (),
) -> int:
    """Assert every ``Bars`` is followed at once by a ``Table`` with its labels and numbers, in order.

    Parameters
    ----------
    blocks : list
        Report blocks, as a ``report_blocks`` function returns them.
    column : int or str, default 1
        The table's column that gives each bar's number: its index, or its header.
    cell : callable, default ``f"{bar.value:g}"``
        ``cell(bar, chart)`` is the text that column must hold for the bar.
    skip : collection of str, optional
        Texts of that column for rows that have no bar (a question left unanswered).

    Returns
    -------
    int
        How many ``Bars`` were checked.
    """
    charts = 0
    for index, chart in enumerate(blocks):
        if not isinstance(chart, Bars):
            continue
        charts += 1
        assert index + 1 < len(blocks), f"the chart {chart.title!r} is the last block, with no table after it"
        table = blocks[index + 1]
        assert isinstance(table, Table), f"the chart {chart.title!r} is followed by {table!r}, not a table"
        at = table.headers.index(column) if isinstance(column, str) else column
        rows = [row for row in table.rows if row[at] not in skip]
        # The number the table gives is the bar's own, not a rounding of it.
        assert [float(f"{bar.value:g}") for bar in chart.bars] == [bar.value for bar in chart.bars]
        assert [(row[0], row[at]) for row in rows] == [(bar.label, cell(bar, chart)) for bar in chart.bars]
    return charts


@pytest.fixture
def block_texts() -> Callable[[object], list[str]]:
    """``block_texts(blocks)``: every string the report blocks hold, at any depth."""
    return _block_texts


@pytest.fixture
def bars_with_tables() -> Callable[..., int]:
    """``bars_with_tables(blocks)``: assert every chart is followed by a table saying the same."""
    return _bars_with_tables


@pytest.fixture(scope="session")
def article_lines() -> list[str]:
    """The article's non-empty lines: title, series, then headings and paragraphs."""
    return [line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


_CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)


def open_page(url: str, code: str | None = None) -> str:
    """Render a page, reading the streamed HTML to its end, and return its kernel id.

    ``code``: open it as that participant's browser would, with the cookie the server sets.
    """
    from widgets.participant import PARTICIPANT_COOKIE, cookie_value

    headers = {"Cookie": f"{PARTICIPANT_COOKIE}={cookie_value(code, False)}"} if code else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the test's own server
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - the test's own server
        assert response.status == 200
        html = response.read().decode("utf-8")
    match = _CONFIG.search(html)
    assert match, "the page has no jupyter-config-data"
    kernel_id = json.loads(match.group(1)).get("kernelId")
    assert kernel_id, "the page names no kernel"
    return kernel_id


def shut_down(server: VoilaServer, kernel_id: str) -> None:
    """Stop a page's kernel as Voilà's own page does when it is left."""
    # Jupyter's double-submit XSRF check: the same token as cookie and header.
    token = uuid.uuid4().hex
    request = urllib.request.Request(  # noqa: S310
        f"{server.url}/voila/api/shutdown/{kernel_id}",
        method="POST",
        headers={"Cookie": f"_xsrf={token}", "X-XSRFToken": token},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 204


@contextmanager
def running_voila(
    log: Path, *options: str, data_dir: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[VoilaServer, subprocess.Popen]]:
    """Start the real Voilà server on a free port, as ``./workbook serve`` does; stop it after.

    ``options`` are extra command-line settings, e.g. ``--CappedKernelManager.max_kernels=1``.
    Pools do not grow for rooms unless an option says so: the tests open many rooms in the store they
    share, and one server growing pools for all of them would measure nothing but slow every test.
    ``data_dir`` gives the server a store of its own; ``env``, more settings in its environment.
    """
    if not any("pools_for_rooms" in option for option in options):
        options = (*options, "--CappedKernelManager.pools_for_rooms=False")
    environment = {**os.environ, "JUPYTER_PATH": str(REPO / "share" / "jupyter"), **(env or {})}
    if data_dir is not None:
        environment["RECONNECTION_DATA_DIR"] = str(data_dir)
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [*WORKBOOK_VOILA, "notebooks", f"--port={port}", "--no-browser", *options],
            cwd=REPO,
            # The repository's page template first, as ./workbook serve does.
            env=environment,
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


def _checkin_group(page: Any, number: int) -> Any:

    item = load_checkin_content().items[number - 1]
    return page.get_by_role("group", name=f"{number}. {item.text}").first


def answer_checkin(page: Any, number: int, label: str) -> None:
    """Choose ``label`` for section 1's check-in question ``number`` (from 1), as a person does."""
    _checkin_group(page, number).get_by_role("radio", name=label, exact=True).check()


def checkin_checked(page: Any, number: int, label: str) -> bool:
    """Whether the page shows ``label`` chosen for check-in question ``number``."""
    return _checkin_group(page, number).get_by_role("radio", name=label, exact=True).is_checked()


def participant_cookie(context: Any, code: str | None = None, timeout: float = 15.0) -> dict:
    """The browser context's participant cookie, once it names ``code`` (any participant if ``None``).

    The page's bar script asks the server to set it just after the page shows its code.
    """
    from widgets.participant import PARTICIPANT_COOKIE

    deadline = time.monotonic() + timeout
    while True:
        for cookie in context.cookies():
            if cookie["name"] == PARTICIPANT_COOKIE and (
                code is None or cookie["value"].split(".")[0] == code
            ):
                return cookie
        if time.monotonic() > deadline:
            pytest.fail(
                f"no participant cookie for {code or 'anyone'} within {timeout} s: {context.cookies()}"
            )
        time.sleep(0.1)


# --- PostgreSQL: a throwaway cluster for the tests (harness/postgres.py starts it) -------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """Start a throwaway PostgreSQL cluster (initdb, pg_ctl) for the session; stop and remove it after."""
    try:
        with throwaway_cluster() as cluster:
            yield cluster
    except PostgresMissing as error:
        pytest.fail(str(error))


@pytest.fixture
def postgres_url(postgres: PostgresCluster) -> str:
    """The URL of a new, empty database on the tests' PostgreSQL server."""
    return postgres.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request, tmp_path) -> str | Path:
    """Where a test's store lives: a new SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "data" / "workbook.sqlite"
    return request.getfixturevalue("postgres_url")


def run_workbook_module(
    module: str, data: Path, *arguments: str, **settings: str
) -> subprocess.CompletedProcess:
    """``python -m MODULE ARGUMENTS`` as ``./workbook`` runs it, on the store in ``data``; it never raises.

    The command gets none of the tests' own ``RECONNECTION_`` settings, only ``settings``.
    """
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RECONNECTION_")}
    environment.update(RECONNECTION_DATA_DIR=str(data), PYTHONPATH=str(REPO), **settings)
    return subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def start_launcher(
    folder: Path, *arguments: str, database_url: str | None = None, unset: tuple[str, ...] = ()
) -> tuple[subprocess.Popen, Path]:
    """Start ``python -m widgets.server.launch ARGUMENTS`` as ``./workbook serve`` does; its process and log.

    The server gets a store of its own in ``folder`` (or ``database_url``), the repository's page
    template, no public address but what it finds itself, and no pools grown for rooms. ``unset``
    names settings of the tests' environment it does not get (the facilitator token, for one).
    """
    log = folder / "serve.log"
    environment = {
        **os.environ,
        "JUPYTER_PATH": str(REPO / "share" / "jupyter"),
        "RECONNECTION_DATA_DIR": str(folder / "data"),
    }
    environment.pop("RECONNECTION_PUBLIC_URL", None)
    for name in unset:
        environment.pop(name, None)
    if database_url is not None:
        environment["RECONNECTION_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "widgets.server.launch", *arguments]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--CappedKernelManager.pools_for_rooms=False"],
            cwd=REPO,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, log


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

    @property
    def troubles(self) -> dict[str, list[str]]:
        """What a sound page never shows, by kind: requests elsewhere, failed responses, console errors."""
        found = {
            "external": self.external,
            "failed responses": self.failed_responses,
            "console errors": self.console_errors,
        }
        return {kind: items for kind, items in found.items() if items}


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


def open_section(
    page: Any, server: VoilaServer, section: Any, control: Any, artifacts: Path | None = None
) -> None:
    """Open a section's page and wait (up to a minute) for ``control``, a locator of its first control.

    The page must say which of the nine sections it is, under its title. With ``artifacts``, the
    seconds until the control was visible go to ``section-N-controls-visible.json`` there.
    """
    from playwright.sync_api import expect

    started = time.monotonic()
    page.goto(server.page(section.notebook))
    control.first.wait_for(state="visible", timeout=60_000)
    seconds = time.monotonic() - started
    if artifacts is not None:
        (artifacts / f"section-{section.number}-controls-visible.json").write_text(
            json.dumps({"seconds": seconds})
        )
        print(f"section {section.number} controls visible after {seconds:.2f} s")
    expect(page.get_by_text(f"Section {section.number} of 9")).to_be_visible()
    expect(page.get_by_role("heading", name=section.title, level=1)).to_be_visible()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
"""The axe-core rules every page is checked against: WCAG 2.2 AA and axe's best practices."""


def accessibility_check(page: Any) -> Any:
    """axe-core's results for what the page shows now, against :data:`AXE_TAGS`."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})


def serious_violations(page: Any) -> list:
    """The serious and critical axe-core violations on the page, with a few of their elements each."""
    return [
        (v["id"], [node["target"] for node in v["nodes"]][:3])
        for v in accessibility_check(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def all_widgets(widget: Any) -> list:
    """A widget and every widget inside it, at any depth."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += all_widgets(child)
    return found


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


def open_as(context: Any, server_url: str, code: str, remember: bool = False) -> None:
    """Make a browser context carry ``code``'s workbook, as the server's cookie would after a resume.

    A link with ``?code=`` only asks the person first (`widgets.server.participant_link`), so a test
    that needs a given participant's page sets the cookie the server sets.
    """
    from widgets.participant import PARTICIPANT_COOKIE, cookie_value

    context.add_cookies(
        [
            {
                "name": PARTICIPANT_COOKIE,
                "value": cookie_value(code, remember),
                "url": server_url,
                "httpOnly": True,
                "sameSite": "Strict",
            }
        ]
    )
