"""A live room through the real server: a facilitator and five participants, each in their own context."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from conftest import facilitator_address, serious_violations
from playwright.sync_api import expect

from widgets import load_content
from widgets.content_files import counted
from widgets.room.content import load_room_content
from widgets.sections.checkin.model import load_checkin_content

pytestmark = pytest.mark.browser

CONTENT = load_content()
WORDS = load_room_content()
SECTIONS = CONTENT.sections
SECTION_1 = SECTIONS.by_number(1)
SECTION_4 = SECTIONS.by_number(4)
CHECKIN = load_checkin_content()
LABELS = {option.id: option.label for option in CHECKIN.options}
PAYLOAD = '<img src=x onerror="window.__pwned=1"> $x^2$ <b>us</b>'
DASHBOARD_SECONDS = 5.0


def _open_facilitator(voila_server, page) -> str:
    page.goto(facilitator_address(voila_server.url))
    page.get_by_role("button", name=WORDS.facilitator.open_label).click(timeout=60_000)
    # The room's code is on the console's first line, whatever tab is open.
    code = page.locator(".rw-room-counts .rw-console-code strong")
    code.wait_for(timeout=30_000)
    # The address becomes the room's private link, and the token that opens rooms leaves it.
    page.wait_for_url("**/20-facilitator.ipynb?room=*&key=*")
    assert "token=" not in page.url
    return code.inner_text().replace("-", "")


def _join_and_share(voila_server, page, join_code: str, answers: list[str]) -> float:
    """Join from the room link, answer the check-in, turn sharing on; return when the share was clicked."""
    page.goto(voila_server.page(f"{SECTIONS.welcome_notebook}?room={join_code}"))
    page.get_by_role("button", name=WORDS.invite.join_label).click(timeout=60_000)  # the link only asks
    page.get_by_text(WORDS.join.in_room.format(code=f"{join_code[:3]}-{join_code[3:]}")).wait_for(
        timeout=60_000
    )
    page.get_by_role("link", name=CONTENT.workbook.start_label).click()
    page.wait_for_url(f"**/{SECTION_1.notebook}")
    for number, (item, choice) in enumerate(zip(CHECKIN.items, answers, strict=True), start=1):
        page.get_by_role("group", name=f"{number}. {item.text}").get_by_role(
            "radio", name=LABELS[choice]
        ).check(timeout=60_000)
    expect(page.locator(".rw-participant")).to_have_attribute("data-saves", re.compile(r"^([6-9]|\d\d+)$"))
    expect(page.get_by_text(WORDS.participant.sharing_off, exact=False)).to_be_visible()
    share = page.get_by_role("checkbox", name=WORDS.share.option)
    expect(share).not_to_be_checked()
    share.check()
    clicked = time.monotonic()
    page.get_by_text(WORDS.share.done_on).wait_for(timeout=10_000)
    expect(page.get_by_text(WORDS.participant.sharing_on, exact=False)).to_be_visible()
    return clicked


def _pace_to_section_4(facilitator, participant) -> float:
    """Pace the room to section 4: the participant still on section 1 sees a calm banner leading there.

    Returns the seconds from the facilitator's choice until the banner showed.
    """
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_live).click()
    paced = time.monotonic()
    facilitator.locator(".rw-console-pace select").select_option(label=f"Section 4: {SECTION_4.title}")
    banner = participant.locator(".rw-pace")
    expect(banner).to_contain_text(
        WORDS.participant.pace.format(number=4, title=SECTION_4.title), timeout=DASHBOARD_SECONDS * 1000
    )
    pace_seconds = time.monotonic() - paced
    banner.get_by_role("link", name=WORDS.participant.pace_link.format(number=4)).click()
    participant.wait_for_url(f"**/{SECTION_4.notebook}")
    expect(participant.locator(".rw-pace")).to_have_text(WORDS.participant.pace_here, timeout=60_000)
    return pace_seconds


def _offer_and_approve_a_line(facilitator, participant) -> None:
    """A line offered on section 4 waits, is approved, and shows as its own text."""
    prompt = WORDS.line.prompts[SECTION_4.slug]
    participant.get_by_role("textbox", name=f"{WORDS.line.label_lead}: {prompt}").fill(PAYLOAD)
    participant.wait_for_timeout(400)  # the text box sends after a short pause
    participant.get_by_role("button", name=WORDS.line.offer_label).click()
    participant.get_by_text(WORDS.line.sent).wait_for(timeout=10_000)
    queued = facilitator.locator(".rw-queue-row")
    expect(queued).to_have_count(1, timeout=DASHBOARD_SECONDS * 1000)
    expect(queued.locator(".rw-line-text")).to_have_text(PAYLOAD)
    queued.get_by_role("button", name=WORDS.facilitator.approve_label, exact=True).click()
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_results).click()
    shown = facilitator.locator(f'.rw-group-activity[data-slug="{SECTION_4.slug}"] .rw-group-lines li')
    expect(shown).to_have_text(PAYLOAD, timeout=DASHBOARD_SECONDS * 1000)


def _present_the_room(facilitator, screenshot) -> None:
    """Presenting mode hides the controls and the secret; the approved line is a large card, as text."""
    # Before: the queue on the live tab, the controls on the settings tab, each shown while its tab is.
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_live).click()
    expect(facilitator.locator(".rw-moderation")).to_be_visible()
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_settings).click()
    expect(facilitator.locator(".rw-room-controls")).to_be_visible()
    facilitator.get_by_role("button", name=WORDS.facilitator.present_label).click()
    expect(facilitator.locator(".rw-moderation")).to_be_hidden()
    expect(facilitator.locator(".rw-room-controls")).to_be_hidden()
    expect(facilitator.get_by_role("button", name=WORDS.facilitator.stop_present_label)).to_be_visible()
    facilitator.wait_for_url(re.compile(r"room=[A-Z0-9]+$"))  # the secret is out of the projected address
    # The slides follow the room's pace (section 4), where the approved line is a large card.
    card = facilitator.locator(".rw-slide-card")
    expect(card).to_have_text(PAYLOAD)
    assert float(card.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18
    assert facilitator.evaluate("() => window.__pwned") is None
    assert (
        facilitator.locator(".rw-slide-card img, .rw-slide-card b, .rw-slide-card mjx-container").count() == 0
    )
    screenshot(facilitator, "room-presenting")
    facilitator.get_by_role("button", name=WORDS.facilitator.stop_present_label).click()
    facilitator.wait_for_url("**/20-facilitator.ipynb?room=*&key=*")


def _export_the_results(facilitator, join_code: str, figure_title: str) -> None:
    """Export: a CSV of what the dashboard shows, downloaded in the browser."""
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_settings).click()
    with facilitator.expect_download() as download_info:
        facilitator.get_by_role("button", name=WORDS.facilitator.export_label).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"group-results-{join_code}-")
    exported = Path(download.path()).read_text(encoding="utf-8")
    assert exported.splitlines()[0] == "activity,figure,label,value,unit,shared"
    assert figure_title in exported
    assert PAYLOAD.replace('"', '""') in exported


def _close_the_room(facilitator, participant, screenshot) -> None:
    """Close and erase, after the confirmation; the participant's page hears of it on its next heartbeat."""
    screenshot(facilitator, "room-dashboard")
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_settings).click()
    facilitator.get_by_role("button", name=WORDS.facilitator.close_label).click()
    facilitator.get_by_role("button", name=WORDS.facilitator.close_confirm_label).click()
    facilitator.get_by_text(WORDS.facilitator.closed.split(",")[0]).wait_for(timeout=10_000)
    expect(participant.locator(".rw-room-line")).to_have_text(
        WORDS.participant.closed, timeout=DASHBOARD_SECONDS * 1000
    )


def test_a_whole_session_through_the_dashboard(voila_server, new_watched_page, screenshot, artifacts):
    facilitator, facilitator_watch = new_watched_page(1280, 900)
    join_code = _open_facilitator(voila_server, facilitator)
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_results).click()
    section_1_panel = facilitator.locator(f'.rw-group-activity[data-slug="{SECTION_1.slug}"]')
    expect(section_1_panel).to_contain_text(counted(WORDS.facilitator.needed, 5, threshold=5, needed=5))

    # Five people join and share their check-in; the fifth share makes the results appear.
    choices = [["often"] * 6, ["often"] * 6, ["often"] * 6, ["hardly-ever"] * 6, ["hardly-ever"] * 6]
    watches, waits = [facilitator_watch], []
    participant = None
    for number, answers in enumerate(choices, start=1):
        participant, watch = new_watched_page(412, 900)
        watches.append(watch)
        clicked = _join_and_share(voila_server, participant, join_code, answers)
        if number < len(choices):
            expect(section_1_panel).to_contain_text(
                counted(WORDS.facilitator.shared, number, shared=number, joined=number),
                timeout=DASHBOARD_SECONDS * 1000,
            )
            expect(section_1_panel.locator(".rw-slide-figure")).to_have_count(0)
            waits.append(time.monotonic() - clicked)
            if number < len(choices) - 1:
                participant.context.close()  # leaving keeps what was shared; the room still counts it
    section_1_panel.locator(".rw-slide-figure").first.wait_for(timeout=DASHBOARD_SECONDS * 1000)
    waits.append(time.monotonic() - clicked)
    figure_title = CHECKIN.group.often.title.format(option=LABELS["often"])
    # The figure's table, out of sight, is what screen readers read: its caption names it.
    table = section_1_panel.get_by_role("table", name=figure_title)
    expect(table).to_have_count(1)
    for item in CHECKIN.items:
        expect(table.get_by_role("row", name=f"{item.text} 3")).to_have_count(1)
    expect(facilitator.locator(".rw-room-counts")).to_contain_text("5 joined")
    assert max(waits) <= DASHBOARD_SECONDS

    pace_seconds = _pace_to_section_4(facilitator, participant)
    _offer_and_approve_a_line(facilitator, participant)
    _present_the_room(facilitator, screenshot)
    _export_the_results(facilitator, join_code, figure_title)
    # The dashboard, with results, a queue and every control, passes axe-core as the pages do.
    assert serious_violations(facilitator) == []
    _close_the_room(facilitator, participant, screenshot)

    for watch in watches:
        assert watch.troubles == {}
    (artifacts / "room-timings.json").write_text(
        json.dumps({"share_to_dashboard_seconds": waits, "pace_to_banner_seconds": pace_seconds}, indent=1)
    )
