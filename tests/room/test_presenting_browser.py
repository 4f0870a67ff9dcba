"""Presenting mode on a projector, and the room's join address and QR code, in the real browser.

A room of six, every one sharing every activity (saved through the store as their pages save), is
projected at 1280x720 and 1920x1080: each slide fits the screen, no bar label is clipped, the arrow
keys move between slides, axe finds nothing, and the QR code read back from the screenshot by a real
decoder is the join address.
"""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from conftest import accessibility_check
from PIL import Image
from playwright.sync_api import expect
from shares import SAVED, room_sharing_everything

from widgets import load_content
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import load_room_content
from widgets.room.model import Rooms
from widgets.room.slides import SLIDE_COUNT
from widgets.store import default_store

pytestmark = pytest.mark.browser

CONTENT = load_content()
WORDS = load_room_content()
SECTIONS = CONTENT.sections
PAYLOAD = '<img src=x onerror="window.__pwned=1"> $x^2$'
# The join slide, the fullest slide (three figures) and the one with cards.
AXE_SLIDES = (0, 1, 4)

LINES = [
    "Being with people who get it.",
    PAYLOAD,
    "A walk with my sister on Sundays, even when I feel tired and would rather stay in.",
    "Feeling seen.",
    "Asking for help is a strength.",
]


@pytest.fixture(scope="module")
def full_room() -> tuple[str, str]:
    """A room of six who shared every activity, with five approved lines on section 4 (threshold 3)."""
    rooms, keys = room_sharing_everything(6, LINES)
    facilitator = rooms.facilitator_room(keys.join_code, keys.secret)
    board = facilitator.dashboard()
    for line in board.waiting:
        facilitator.approve(line.id)
    # All six are in the first release; the slides also say how many more before the figures change.
    assert all(
        activity.released and activity.covered == 6 and activity.figures
        for activity in facilitator.dashboard().activities
    )
    return keys.join_code, keys.secret


def _present(voila_server, page, join_code: str, secret: str) -> None:
    page.goto(voila_server.page(f"{SECTIONS.facilitator_notebook}?room={join_code}&key={secret}"))
    page.get_by_role("button", name=WORDS.facilitator.present_label).click(timeout=60_000)
    page.locator(".rw-slide").wait_for(timeout=30_000)
    page.wait_for_url(re.compile(r"room=[A-Z0-9]+$"))


def _slide_number(page) -> int:
    return int(page.locator(".rw-slide").get_attribute("data-slide"))


def _go_to(page, wanted: int) -> None:
    while (number := _slide_number(page)) != wanted:
        page.keyboard.press("ArrowRight" if number < wanted else "ArrowLeft")
        expect(page.locator(".rw-slide")).not_to_have_attribute("data-slide", str(number), timeout=10_000)


def _decode_qr(image_bytes: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(image_bytes)))]


def _layout_problems(page) -> list[str]:
    """What does not fit on the slide: content past the screen, or a bar label outside its chart."""
    return page.evaluate(
        """() => {
      const problems = [];
      const deck = document.querySelector('.rw-slide-deck');
      const screen = { width: window.innerWidth, height: window.innerHeight };
      const [inner, outer] = [[deck.scrollWidth, deck.scrollHeight], [deck.clientWidth, deck.clientHeight]];
      if (inner[0] > outer[0] + 1 || inner[1] > outer[1] + 1)
        problems.push(`the slide scrolls: ${inner} in ${outer}`);
      for (const el of document.querySelectorAll('.rw-slide *')) {
        if (el.closest('.rw-visually-hidden')) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.right > screen.width + 1 || box.bottom > screen.height + 1 || box.left < -1 || box.top < -1)
          problems.push(`off the screen: ${el.className || el.tagName} ${JSON.stringify(box)}`);
      }
      for (const label of document.querySelectorAll('.rw-slide-bar-label, .rw-slide-bar-value')) {
        const chart = label.closest('.rw-slide-figure').getBoundingClientRect();
        const box = label.getBoundingClientRect();
        const clipped =
          label.scrollWidth > label.clientWidth + 1 || label.scrollHeight > label.clientHeight + 1;
        const outside =
          box.left < chart.left - 1 || box.right > chart.right + 1 || box.bottom > chart.bottom + 1;
        if (clipped || outside)
          problems.push(`label cut: ${label.textContent}`);
        const bar = label.classList.contains('rw-slide-bar-label') && label.nextElementSibling;
        if (bar && box.right > bar.getBoundingClientRect().left + 1)
          problems.push(`label runs into its bar: ${label.textContent}`);
      }
      return problems;
    }"""
    )


def _check_the_join_slide(voila_server, page, join_code: str) -> None:
    """The join slide shows the room's code, its address, and a QR code a real decoder reads as it."""
    slide = page.locator(".rw-slide")
    expect(slide).to_have_attribute("data-slide", "0")
    address = f"{voila_server.url}/voila/render/{SECTIONS.welcome_notebook}?room={join_code}"
    qr = page.get_by_role("img", name=f"{WORDS.facilitator.qr_label}: {address}")
    expect(qr).to_be_visible()
    assert _decode_qr(qr.screenshot()) == [address]
    expect(slide).to_contain_text(f"{join_code[:3]}-{join_code[3:]}")
    expect(slide.locator(".rw-slide-address").first).to_have_text(address.split("//")[1].split("/")[0])


def _check_the_slide(page, number: int, width: int, height: int) -> None:
    """Slide ``number`` fits the screen, reads from the back of a room, and shows its section's figures."""
    slide = page.locator(".rw-slide")
    assert _layout_problems(page) == [], f"slide {number} at {width}x{height}"
    # Type that reads from the back of a room: nothing on the slide under 2% of the screen's height.
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.rw-slide-body *')]
            .filter((e) => !e.closest('.rw-visually-hidden') && e.textContent.trim())
            .map((e) => parseFloat(getComputedStyle(e).fontSize)))"""
    )
    assert smallest >= height / 50, f"slide {number} at {width}x{height}: {smallest}px type"
    if number in AXE_SLIDES:
        results = accessibility_check(page)
        assert results.violations_count == 0, results.generate_report()
    if number:
        section = SECTIONS.by_number(number)
        expect(page.get_by_role("heading", level=2)).to_have_text(f"Section {number}: {section.activity}")
        if section.slug in SAVED:
            expect(slide.locator(".rw-slide-figure").first).to_be_visible()
            # Each chart's table is there for screen readers, with every bar's number.
            assert page.get_by_role("table").count() == slide.locator(".rw-slide-figure").count()
        else:
            expect(slide).to_contain_text(WORDS.presenting.private)
        # The corner keeps the code and a QR code in sight, until it is hidden.
        expect(slide.locator(".rw-slide-corner .rw-qr")).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_presenting_mode_reads_like_slides(
    voila_server, new_watched_page, full_room, artifacts, width, height
):
    join_code, secret = full_room
    page, watch = new_watched_page(width, height)
    _present(voila_server, page, join_code, secret)
    slide = page.locator(".rw-slide")
    # Not paced yet: the join slide, with a QR code that a real decoder reads as the join address.
    _check_the_join_slide(voila_server, page, join_code)

    screenshots = []
    for number in range(SLIDE_COUNT):
        _go_to(page, number)
        # Saved before the checks, so a failing slide can be seen.
        path = artifacts / f"presenting-{width}x{height}-slide-{number}.png"
        page.screenshot(path=str(path))
        screenshots.append(path)
        _check_the_slide(page, number, width, height)
    # Approved lines are large cards, shown as their own text and never run as markup.
    _go_to(page, 4)
    cards = slide.locator(".rw-slide-card")
    expect(cards).to_have_count(4)
    expect(cards.first).to_have_text(LINES[-1])
    assert float(cards.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= height / 50
    assert page.evaluate("() => window.__pwned") is None
    assert slide.locator(".rw-slide-card img").count() == 0

    # The buttons step too, stop at the ends, and the corner can be hidden and shown again.
    page.get_by_role("button", name=WORDS.presenting.previous_label).click()
    expect(slide).to_have_attribute("data-slide", "3")
    page.get_by_role("button", name=WORDS.presenting.hide_join_label).click()
    expect(slide.locator(".rw-slide-corner")).to_have_count(0)
    page.get_by_role("button", name=WORDS.presenting.show_join_label).click()
    expect(slide.locator(".rw-slide-corner")).to_have_count(1)
    _go_to(page, SLIDE_COUNT - 1)
    expect(page.get_by_role("button", name=WORDS.presenting.next_label)).to_be_disabled()

    # Nothing private is on the page: no queue, no controls, no secret in the address or the page.
    assert secret not in page.url
    assert secret not in page.content()
    assert page.locator(".rw-moderation, .rw-room-controls, .rw-private-link").count() == 0
    expect(page.locator(".rw-crisis").first).to_be_visible()
    results = accessibility_check(page)
    assert results.violations_count == 0, results.generate_report()
    assert watch.external == []
    assert watch.console_errors == []

    page.get_by_role("button", name=WORDS.facilitator.stop_present_label).click()
    expect(page.locator(".rw-moderation")).to_be_visible()
    page.wait_for_url("**/20-facilitator.ipynb?room=*&key=*")
    assert all(path.stat().st_size > 10_000 for path in screenshots)


def test_the_slides_follow_the_rooms_pace(voila_server, new_watched_page, full_room):
    join_code, secret = full_room
    page, _watch = new_watched_page(1280, 720)
    _present(voila_server, page, join_code, secret)
    facilitator = Rooms(default_store(), REGISTRY).facilitator_room(join_code, secret)
    try:
        facilitator.set_pace(6)
        expect(page.locator(".rw-slide")).to_have_attribute("data-slide", "6", timeout=10_000)
        expect(page.get_by_role("heading", level=2)).to_contain_text("Section 6")
        page.keyboard.press("ArrowLeft")
        expect(page.locator(".rw-slide")).to_have_attribute("data-slide", "5")
    finally:
        facilitator.set_pace(None)


def test_the_room_page_shows_the_join_address_and_its_qr_code(voila_server, new_watched_page, full_room):
    join_code, secret = full_room
    page, watch = new_watched_page(412, 900)
    page.goto(voila_server.page(f"{SECTIONS.facilitator_notebook}?room={join_code}&key={secret}"))
    page.get_by_role("tab", name=WORDS.facilitator.tab_join).click(timeout=60_000)
    address = f"{voila_server.url}/voila/render/{SECTIONS.welcome_notebook}?room={join_code}"
    qr = page.get_by_role("img", name=f"{WORDS.facilitator.qr_label}: {address}")
    qr.wait_for(timeout=60_000)
    assert _decode_qr(qr.screenshot()) == [address]
    expect(page.locator(".rw-join-link")).to_have_text(address)
    expect(page.locator(".rw-room-address")).to_have_text(address.split("//")[1].split("/")[0])
    # The test's server is on 127.0.0.1: the page says phones cannot reach that address.
    expect(page.locator(".rw-local-only")).to_be_visible()
    assert watch.external == []

    # Opening the join link is opening the welcome page with the room filled in.
    joiner, _joiner_watch = new_watched_page(412, 900)
    joiner.goto(address)
    joiner.get_by_role("button", name=WORDS.invite.join_label).click(timeout=60_000)  # the link only asks
    joiner.get_by_text(WORDS.join.in_room.format(code=f"{join_code[:3]}-{join_code[3:]}")).wait_for(
        timeout=60_000
    )
