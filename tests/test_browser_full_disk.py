"""A full disk, for real: the store on a small tmpfs that the test fills up, the real Voilà server, a
real browser. Answers stay on the page, the bar says "Not saved yet", and once space returns the next
answer writes them all (read back from the store itself)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import answer_checkin, checkin_checked, running_voila

from widgets import load_content
from widgets.participant import Participant, parse_code
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import Store

pytestmark = pytest.mark.browser

CONTENT = load_content()
CHECKIN = load_checkin_content()
SECTION_1 = CONTENT.sections.by_number(1)
WORDS = CONTENT.workbook.participant


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs of the test's own, unmounted after (mounting needs root, as tests run here)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a small tmpfs can only be mounted as root; run the tests as root for this one")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine allows no tmpfs mount: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path) -> Path:
    """Write a file until the disk has no byte left (ENOSPC, in ever smaller writes); return it."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    size = 65536
    try:
        while size:
            try:
                os.write(descriptor, b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                size //= 2
    finally:
        os.close(descriptor)
    return filler


def _option(label: str) -> str:
    """The stored value of the check-in's answer labelled ``label``."""
    return next(option.id for option in CHECKIN.options if option.label == label)


def _stored(data: Path, code: str) -> dict[str, str]:
    """The check-in answers the store itself holds for ``code`` (questions not answered left out)."""
    store = Store(data / "workbook.sqlite")
    try:
        answers = store.load_all(Participant(code).code_hash)["hidden-weight"]["answers"]
    finally:
        store.close()
    return {item: value for item, value in answers.items() if value is not None}


def _status(page) -> str:
    return page.locator(".rw-saved").first.inner_text()


def _wait_status(page, words: str) -> float:
    started = time.monotonic()
    page.wait_for_function(
        "(words) => document.querySelector('.rw-saved')?.innerText.trim() === words",
        arg=words.strip(),
        timeout=15_000,
    )
    return time.monotonic() - started


def test_a_full_disk_keeps_answers_on_the_page_until_space_returns(
    small_disk, browser, artifacts, monkeypatch
):
    data = small_disk / "data"
    Store(data / "workbook.sqlite").close()  # the store made, as a server's start makes it
    monkeypatch.setenv("RECONNECTION_BACKUP_HOURS", "0")  # this disk is for answers only
    figures: dict[str, float] = {}
    with running_voila(artifacts / "voila-full-disk.log", data_dir=data) as (server, _process):
        page = browser.new_page()
        page.goto(server.page(SECTION_1.notebook))
        page.locator("#rendered_cells input").first.wait_for(state="visible", timeout=60_000)
        code = parse_code(page.locator(".rw-code").first.inner_text())
        assert code is not None
        answer_checkin(page, 1, "Often")
        _wait_status(page, WORDS.saved)

        filler = _fill(small_disk)
        answer_checkin(page, 2, "Often")
        figures["not_saved_shown_s"] = round(_wait_status(page, WORDS.unsaved), 3)
        answer_checkin(page, 3, "Some of the time")
        time.sleep(1)
        assert _status(page) == WORDS.unsaved.strip()
        assert checkin_checked(page, 2, "Often")  # the answers are still on the page
        assert checkin_checked(page, 3, "Some of the time")
        assert _stored(data, code) == {CHECKIN.items[0].id: _option("Often")}  # only the first got in

        filler.unlink()  # space returns
        started = time.monotonic()
        answer_checkin(page, 4, "Hardly ever")
        _wait_status(page, WORDS.saved)
        figures["saved_after_space_returned_s"] = round(time.monotonic() - started, 3)

        assert _stored(data, code) == {
            CHECKIN.items[0].id: _option("Often"),
            CHECKIN.items[1].id: _option("Often"),
            CHECKIN.items[2].id: _option("Some of the time"),
            CHECKIN.items[3].id: _option("Hardly ever"),
        }
        page.reload()
        page.locator("#rendered_cells input").first.wait_for(state="visible", timeout=60_000)
        assert checkin_checked(page, 2, "Often")
        assert checkin_checked(page, 3, "Some of the time")
        page.close()
    (artifacts / "full-disk.json").write_text(json.dumps(figures))
