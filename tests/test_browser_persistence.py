"""Answers last: across a reload, a link to another section, a new browser, deletion, and a
killed server. Through the real Voilà server, a real browser and the real store."""

from __future__ import annotations

import os
import signal
import time

import pytest
from conftest import answer_checkin, checkin_checked, open_as, participant_cookie, running_voila

from widgets import load_content
from widgets.participant import Participant, parse_code
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import default_store

pytestmark = pytest.mark.browser

CONTENT = load_content()
CHECKIN = load_checkin_content()
SECTION_1 = CONTENT.sections.by_number(1)
SECTION_2 = CONTENT.sections.by_number(2)
SECTION_9 = CONTENT.sections.by_number(9)
NOTE_1 = f"{CONTENT.workbook.note_label}: {SECTION_1.note_prompt}"


def _ready(page) -> None:
    page.locator("#rendered_cells input").first.wait_for(state="visible", timeout=60_000)


def _code(page) -> str:
    code = parse_code(page.locator(".rw-code").first.inner_text())
    assert code is not None
    return code


def _wait_saves(page, at_least: int) -> None:
    page.wait_for_function(
        f"() => Number(document.querySelector('.rw-participant')?.dataset.saves || 0) >= {at_least}",
        timeout=15_000,
    )
    assert page.locator(".rw-saved").first.inner_text() == CONTENT.workbook.participant.saved


def _section_9_compares_with_section_1(page) -> None:
    """Section 9 by its link from the contents: section 1's check-in is the baseline."""
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="All sections").click()
    page.wait_for_url(f"**/{CONTENT.sections.welcome_notebook}")
    page.get_by_role("link", name=f"Section 9: {SECTION_9.title}").click()
    page.wait_for_url(f"**/{SECTION_9.notebook}")
    _ready(page)
    for number in (1, 2, 3):
        answer_checkin(page, number, "Hardly ever")
    comparison = page.locator(".rw-compare")
    comparison.get_by_text("In section 1, your answers averaged").first.wait_for(timeout=15_000)
    comparison.get_by_role("img").first.wait_for()
    comparison.get_by_text(CONTENT.workbook.page.show_table, exact=True).click()
    assert "Often" in comparison.locator("table").inner_text()


def _resume_in_a_new_browser(voila_server, browser, code: str) -> tuple:
    """A new browser: come back by typing the code on the welcome page. Its context and page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(voila_server.page(CONTENT.sections.welcome_notebook))
    _ready(page)
    resume = CONTENT.workbook.resume
    page.get_by_role("textbox", name=resume.label).fill(Participant(code).shown_code.lower())
    page.get_by_role("button", name=resume.open_label).click()
    page.get_by_text(resume.found).wait_for(timeout=15_000)
    contents = page.get_by_role("navigation", name=CONTENT.workbook.toc_heading)
    assert contents.get_by_text(CONTENT.workbook.progress.started).count() == 2
    contents.get_by_role("link", name=f"Section 1: {SECTION_1.title}").click()
    page.wait_for_url(f"**/{SECTION_1.notebook}")
    _ready(page)
    assert checkin_checked(page, 2, "Often")
    return context, page


def _delete_everything(voila_server, context, page, code: str) -> None:
    """Delete everything, from the welcome page: then nothing is kept."""
    page.goto(voila_server.page(CONTENT.sections.welcome_notebook))
    _ready(page)
    kept_text = CONTENT.workbook.kept
    page.get_by_role("button", name=kept_text.show_label).click()
    page.locator(".rw-kept").get_by_text("Call my sister <b>on Sunday</b>", exact=False).wait_for()
    page.get_by_role("button", name=kept_text.delete_label).click()
    page.get_by_role("button", name=kept_text.confirm_label).click()
    page.get_by_text(kept_text.deleted).wait_for(timeout=15_000)
    assert default_store().load_all(Participant(code).code_hash) == {}
    assert default_store().participant(Participant(code).code_hash) is None
    open_as(context, voila_server.url, code)  # the deleted workbook's code, as if typed again
    page.goto(voila_server.page(SECTION_1.notebook))
    _ready(page)
    assert not checkin_checked(page, 1, "Often")


def test_answers_last_across_reload_links_a_new_browser_and_deletion(voila_server, browser, screenshot):
    context = browser.new_context()
    page = context.new_page()
    page.goto(voila_server.page(SECTION_1.notebook))
    _ready(page)
    code = _code(page)
    # The browser keeps the participant in a cookie for a reload; the address names no one.
    assert participant_cookie(context, code)["httpOnly"]
    assert code not in page.url

    for number, label in [(1, "Often"), (2, "Often"), (3, "Some of the time")]:
        answer_checkin(page, number, label)
    page.get_by_role("textbox", name=NOTE_1).fill("Call my sister <b>on Sunday</b>")
    page.get_by_role("textbox", name=NOTE_1).blur()
    _wait_saves(page, 4)
    kept = default_store().load_all(Participant(code).code_hash)
    assert kept["hidden-weight"]["answers"][CHECKIN.items[0].id] == "often"
    assert kept["note:hidden-weight"] == {"text": "Call my sister <b>on Sunday</b>"}

    # Reload: the same answers, note and reflection.
    page.reload()
    _ready(page)
    assert _code(page) == code
    assert checkin_checked(page, 1, "Often")
    assert checkin_checked(page, 3, "Some of the time")
    assert page.get_by_role("textbox", name=NOTE_1).input_value() == "Call my sister <b>on Sunday</b>"
    page.locator(".rw-feedback").first.get_by_text("You answered 3 of 6 questions.").wait_for()

    _section_9_compares_with_section_1(page)
    screenshot(page, "section-9-before-after")
    context.close()

    context, page = _resume_in_a_new_browser(voila_server, browser, code)

    _delete_everything(voila_server, context, page, code)
    context.close()


def test_answers_survive_a_killed_server(browser, artifacts):
    with running_voila(artifacts / "voila-killed.log") as (server, process):
        page = browser.new_page()
        page.goto(server.page(SECTION_1.notebook))
        _ready(page)
        code = _code(page)
        answer_checkin(page, 1, "Often")
        answer_checkin(page, 4, "Hardly ever")
        _wait_saves(page, 2)
        page.goto(server.page(SECTION_2.notebook))
        _ready(page)
        page.get_by_role("radio", name="Strongly agree", exact=True).first.check()
        _wait_saves(page, 1)
        page.close()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    time.sleep(1)
    with running_voila(artifacts / "voila-restarted.log") as (server, _process):
        page = browser.new_page()
        open_as(page.context, server.url, code)
        page.goto(server.page(SECTION_1.notebook))
        _ready(page)
        assert checkin_checked(page, 1, "Often")
        assert checkin_checked(page, 4, "Hardly ever")
        page.goto(server.page(SECTION_2.notebook))
        _ready(page)
        assert page.get_by_role("radio", name="Strongly agree", exact=True).first.is_checked()
        page.close()
