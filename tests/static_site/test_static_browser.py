"""The server-free edition, built and served as a web host would serve it, driven in real Chromium.

The site is built once for the module (``widgets.static_site.build``: Pyodide from npm, the packages
from PyPI, as ``./workbook static`` does), served by Python's plain static file server, and opened in
Chromium profiles of its own (a profile is a browser: closing it and opening it again is a restart).
Chromium resolves no host but 127.0.0.1, and every request it makes is recorded: none may go elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import answer_checkin, checkin_checked, open_as, serious_violations

from benchmarks.backup_figures import whole_workbook
from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.server import free_port
from widgets.participant import new_participant
from widgets.static_site.build import build
from widgets.static_site.device import FILE_KIND, FILE_VERSION
from widgets.store import default_store
from widgets.workbook_content import load_content

CONTENT = load_content()
WORDS = CONTENT.workbook.device
SECTION_1, SECTION_4 = "01-hidden-weight", "04-what-community-means"
READY_MS = 120_000  # Python starting in a browser that shares two cores with another suite
# Nothing but the site's own host can even be reached.
ONLY_HERE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


PREBUILT = "RECONNECTION_TEST_SITE"
"""Where ``./workbook test`` builds the site while ruff and mypy run (``.done`` or ``.failed`` beside it)."""


def _built_site(scratch: Path) -> Path:
    """The site ``./workbook test`` built in the background, once it is done; else built here."""
    named = os.environ.get(PREBUILT)
    if not named:
        return Path(str(build(scratch / "site")["folder"]))
    done, failed = Path(f"{named}.done"), Path(f"{named}.failed")
    deadline = time.monotonic() + 900
    while not done.exists():
        if failed.exists():
            pytest.fail(f"./workbook static failed:\n{failed.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail("the site's build did not end within 15 minutes")
        time.sleep(0.5)
    return Path(named)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site, served by ``python -m http.server`` (no compression, no special headers)."""
    folder = _built_site(tmp_path_factory.mktemp("static-site"))
    assert (folder / "index.html").is_file()
    assert len([path for path in folder.rglob("*") if path.is_file()]) > 15
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert b"rw-site" in response.read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


class Profile:
    """One browser profile: opened, closed (the browser quits) and opened again, every request kept."""

    def __init__(self, browser_type: Any, folder: Path) -> None:
        self.browser_type, self.folder, self.requests, self.errors = browser_type, folder, [], []
        self.context: Any = None

    def open(self, width: int = 1000) -> Any:
        self.context = self.browser_type.launch_persistent_context(
            str(self.folder),
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, ONLY_HERE],
            viewport={"width": width, "height": 900},
            accept_downloads=True,
        )
        self.context.on("request", lambda request: self.requests.append(request.url))
        return self.context

    def page(self, address: str, name: str) -> Any:
        """A new tab at ``address``, once its page ``name`` can be answered."""
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.goto(address)
        ready(page, name)
        return page

    def close(self) -> None:
        self.context.close()

    @property
    def elsewhere(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
            and urlsplit(url).hostname != "127.0.0.1"
        ]


def ready(page: Any, name: str) -> None:
    """Wait until page ``name``'s activities are on screen (Python started, its cells run)."""
    page.wait_for_selector(f"body[data-ready='{name}']", state="attached", timeout=READY_MS)


@pytest.fixture
def profiles(browser: Any, tmp_path: Path) -> Iterator[Callable[[], Profile]]:
    """New browser profiles for a test; whatever is still open is closed after it."""
    made: list[Profile] = []

    def new() -> Profile:
        made.append(Profile(browser.browser_type, tmp_path / f"profile-{len(made)}"))
        return made[-1]

    yield new
    for profile in made:
        with contextlib.suppress(Exception):  # closed already by the test
            profile.close()
    assert all(not profile.elsewhere for profile in made), [profile.elsewhere for profile in made]
    assert all(not profile.errors for profile in made), [profile.errors for profile in made]


def kept(page: Any) -> dict[str, Any]:
    """What the browser's storage holds for the workbook (this tab's, or this browser's)."""
    text = page.evaluate(
        "localStorage.getItem('reconnection-workbook') ?? sessionStorage.getItem('reconnection-workbook')"
    )
    return json.loads(text)["answers"] if text else {}


def test_answers_stay_after_a_reload_and_go_when_the_browser_closes(site, profiles):
    profile = profiles()
    profile.open()
    page = profile.page(f"{site}#/{SECTION_1}", SECTION_1)
    assert page.evaluate("document.body.dataset.python") == "snapshot"  # restored, not started afresh
    answer_checkin(page, 1, "Often")
    answer_checkin(page, 2, "Some of the time")
    feedback = page.locator(".rw-feedback").first
    feedback.wait_for()
    assert "2 of 6" in feedback.inner_text()
    assert kept(page)["hidden-weight"]["answers"]["left-out"] == "often"
    page.reload()
    ready(page, SECTION_1)
    assert checkin_checked(page, 1, "Often")
    assert checkin_checked(page, 2, "Some of the time")
    # "Leave quickly": the site's blank page in place of this one, which Back does not bring back.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("**/away.html")
    assert page.locator("body").inner_text() == ""
    page.go_back()
    assert "index.html" not in page.url
    assert "#/" not in page.url
    profile.close()  # the browser quits: by default nothing that opens the answers survives it
    profile.open()
    page = profile.page(f"{site}#/{SECTION_1}", SECTION_1)
    assert not checkin_checked(page, 1, "Often")
    assert kept(page) == {}


def test_remember_me_keeps_the_answers_after_a_restart_and_the_site_opens_offline(site, profiles):
    profile = profiles()
    profile.open()
    page = profile.page(site, "00-welcome")
    page.get_by_label(WORDS.remember_label).check()
    assert page.locator("#rw-remember-said").inner_text() == WORDS.remember_on
    page.get_by_role("link", name=CONTENT.workbook.start_label).click()
    ready(page, SECTION_1)
    assert page.evaluate("history.length") == 2  # the new tab, then the workbook: one entry for all its pages
    answer_checkin(page, 3, "Hardly ever")
    # Every file kept by the service worker before the network goes.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    profile.close()
    profile.open()
    profile.context.set_offline(True)
    page = profile.page(f"{site}#/{SECTION_4}", SECTION_4)
    assert page.locator(".rw-crisis").first.is_visible()
    page.evaluate(f"location.hash = '#/{SECTION_1}'")
    ready(page, SECTION_1)
    assert checkin_checked(page, 3, "Hardly ever")
    assert page.get_by_label(WORDS.remember_label).count() == 1


def test_a_workbook_saved_to_a_file_opens_in_a_fresh_browser_and_delete_removes_it(site, profiles, tmp_path):
    first = profiles()
    first.open()
    page = first.page(f"{site}#/{SECTION_1}", SECTION_1)
    answer_checkin(page, 4, "Often")
    page.evaluate("location.hash = '#/00-welcome'")
    ready(page, "00-welcome")
    with page.expect_download() as download:
        page.get_by_role("button", name=WORDS.save_label).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["answers"]["hidden-weight"]["answers"]["quick-updates"] == "often"
    second = profiles()
    second.open()
    page = second.page(site, "00-welcome")
    broken = tmp_path / "broken.json"
    tampered = json.loads(saved.read_text())
    tampered["answers"]["hidden-weight"]["answers"] = ["often"]  # not the check-in's shape
    broken.write_text(json.dumps(tampered))
    page.get_by_label(WORDS.open_label).set_input_files(broken)
    page.get_by_text(WORDS.open_failed).wait_for()
    assert kept(page) == {}
    page.get_by_label(WORDS.open_label).set_input_files(saved)
    page.get_by_text(WORDS.opened).wait_for()
    page.evaluate(f"location.hash = '#/{SECTION_1}'")
    ready(page, SECTION_1)
    assert checkin_checked(page, 4, "Often")
    page.evaluate("location.hash = '#/00-welcome'")
    ready(page, "00-welcome")
    page.get_by_role("button", name=WORDS.delete_label).click()
    page.get_by_role("button", name=WORDS.delete_yes).click()
    page.get_by_text(WORDS.deleted).wait_for()
    assert kept(page) == {}
    page.evaluate(f"location.hash = '#/{SECTION_1}'")
    ready(page, SECTION_1)
    assert not checkin_checked(page, 4, "Often")


def _pages(locale: str) -> list[str]:
    folder = Path(__file__).resolve().parents[2] / "notebooks" / ("" if locale == "en" else locale)
    return sorted(path.stem for path in folder.glob("[01][0-9]-*.ipynb"))


AXE_PAGES = (
    "00-welcome",
    SECTION_1,
    "05-isolation-replaces-connection",
    "08-long-term-resilience",
    "10-summary",
)


def test_every_page_fits_a_phone_has_its_crisis_lines_and_passes_axe(site, profiles):
    for locale, address in (("en", site), ("es", f"{site}es/index.html")):
        profile = profiles()
        context = profile.open(width=360)
        if locale == "es":
            # And Python started afresh, as where the snapshot cannot be had (the browser logs the refusal).
            context.route("**/snapshot.bin.gz", lambda route: route.abort())
        page = profile.page(address, "00-welcome")
        assert page.evaluate("document.documentElement.lang") == locale
        assert page.evaluate("document.body.dataset.python") == ("snapshot" if locale == "en" else "started")
        for name in _pages(locale):
            page.evaluate(f"location.hash = '#/{name}'")
            ready(page, name)
            assert page.locator(".rw-crisis, .rw-crisis-full").first.is_visible(), name
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
            if name in AXE_PAGES and (locale == "en" or name in AXE_PAGES[:2]):
                assert serious_violations(page) == [], name
        profile.errors[:] = [error for error in profile.errors if "ERR_FAILED" not in error]


def _feedback(page: Any) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(".rw-feedback").all_inner_texts()]


def test_the_same_answers_get_the_same_feedback_served_and_static(
    site, profiles, browser, voila_server, tmp_path
):
    workbook = whole_workbook(tmp_path)
    someone = new_participant()
    for key, data in workbook.items():
        default_store().save(someone.code_hash, key, data)
    saved = tmp_path / "workbook.json"
    saved.write_text(json.dumps({"kind": FILE_KIND, "version": FILE_VERSION, "answers": workbook}))
    profile = profiles()
    profile.open()
    static = profile.page(site, "00-welcome")
    static.get_by_label(WORDS.open_label).set_input_files(saved)
    static.get_by_text(WORDS.opened).wait_for()
    served = browser.new_context()
    open_as(served, voila_server.url, someone.code)
    served_page = served.new_page()
    try:
        for section in CONTENT.sections.sections:
            static.evaluate(f"location.hash = '#/{Path(section.notebook).stem}'")
            ready(static, Path(section.notebook).stem)
            served_page.goto(voila_server.page(section.notebook))
            served_page.locator(".rw-feedback").first.wait_for(timeout=60_000)
            static.locator(".rw-feedback").first.wait_for()
            assert _feedback(static) == _feedback(served_page), section.slug
            assert _feedback(static), section.slug
    finally:
        served.close()
