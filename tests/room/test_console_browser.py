"""The facilitator's console in the real browser: the live room on one laptop screen, its keys, two screens.

Each test opens a room of 12 (as many as expected), where everyone shared every shareable activity
(saved through the store as their pages save it) and four lines wait for the facilitator. At 1366x768
and 1280x800, on every section the group can be on, what a facilitator needs while the group talks is
on the screen without scrolling; at 360 px the console is one column with no sideways scroll.
"""

from __future__ import annotations

import json
import time
from html import escape

import pytest
from conftest import accessibility_check, serious_violations
from playwright.sync_api import expect
from shares import LINES_SLUG, room_sharing_everything

from widgets import load_content
from widgets.content_files import content_dir, load_activity_content, notebook_in
from widgets.room.content import RoomContent, load_room_content
from widgets.room.model import FacilitatorRoom

pytestmark = pytest.mark.browser

CONTENT = load_content()
WORDS = load_room_content()
SECTIONS = CONTENT.sections
PEOPLE = 12
LINES = [
    "Being with people who get it.",
    '<img src=x onerror="window.__pwned=1"> $x^2$',
    "A walk with my sister on Sundays, even when I feel tired and would rather stay in.",
    "Feeling seen.",
]
# What must be on the screen, without scrolling, whatever section the group is on.
ON_SCREEN = {
    "joined": ".rw-room-counts",
    "pace": ".rw-console-pace",
    "the group's section": ".rw-console-now",
    "waiting lines": ".rw-moderation .rw-queue-row",
    "present": ".rw-present",
    "present on another screen": ".rw-second-screen-button",
    "crisis lines": ".rw-crisis",
    "sharing, by activity": ".rw-console-sharing",
    "the keys": ".rw-console-keys",
}


def _room() -> tuple[str, str, FacilitatorRoom]:
    """A room of 12 who shared every activity, with 4 lines waiting (threshold 3, expected 12)."""
    rooms, keys = room_sharing_everything(PEOPLE, LINES, expected=PEOPLE)
    facilitator = rooms.facilitator_room(keys.join_code, keys.secret)
    assert facilitator is not None
    assert len(facilitator.dashboard().waiting) == len(LINES)
    return keys.join_code, keys.secret, facilitator


def _open_console(voila_server, page, join_code: str, secret: str, locale: str = "en") -> None:
    notebook = notebook_in(locale, SECTIONS.facilitator_notebook)
    page.goto(voila_server.page(f"{notebook}?room={join_code}&key={secret}"))
    page.locator(".rw-console-now").wait_for(timeout=60_000)
    expect(page.locator(".rw-moderation .rw-queue-row")).to_have_count(4, timeout=10_000)


def _pace_shown(page) -> str:
    return page.locator(".rw-console-pace select").input_value()


def _not_on_screen(page) -> list[str]:
    """What a facilitator needs that is not fully on the screen, or whether the page scrolled at all."""
    return page.evaluate(
        """(wanted) => {
      const problems = [];
      const cells = document.getElementById('rendered_cells');
      if (cells.scrollTop || document.scrollingElement.scrollTop) problems.push('the page is scrolled');
      for (const [name, selector] of Object.entries(wanted)) {
        const found = [...document.querySelectorAll(selector)];
        if (!found.length) problems.push(`${name}: not on the page`);
        for (const element of found) {
          const box = element.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) problems.push(`${name}: not shown`);
          else if (box.top < 0 || box.bottom > innerHeight + 0.5 || box.right > innerWidth + 0.5)
            problems.push(`${name}: off the screen (${Math.round(box.top)} to ${Math.round(box.bottom)})`);
        }
      }
      return problems;
    }""",
        ON_SCREEN,
    )


def _console_height(page) -> int:
    return page.evaluate("() => document.getElementById('rendered_cells').scrollHeight")


def _step_through_every_section(page, facilitator, artifacts, name: str, locale: str) -> dict[str, int]:
    """Press N through the nine sections; on each, everything needed is on the screen. Return the heights."""
    content = load_content(content_dir(locale))
    words = load_activity_content("room", RoomContent, content_dir(locale))
    heights = {"none": _console_height(page)}
    assert _not_on_screen(page) == [], f"no section yet, {name}"
    for number in range(1, len(SECTIONS.sections) + 1):
        section = content.sections.by_number(number)
        page.keyboard.press("n")  # the console's key for the next section
        label = content.workbook.page.section_label.format(number=number, title=section.activity)
        expect(page.locator(".rw-console-now h2")).to_have_text(label, timeout=10_000)
        assert _pace_shown(page) == str(number)
        activity = next((a for a in facilitator.dashboard().activities if a.slug == section.slug), None)
        figures = page.locator(".rw-console-now .rw-slide-figure")
        expect(figures).to_have_count(len(activity.figures) if activity else 0)
        if activity is None:  # section 3: nothing of it is shared, and the console says so
            expect(page.locator(".rw-console-now")).to_contain_text(words.facilitator.now_private)
        page.screenshot(path=str(artifacts / f"console-{name}-section-{number}.png"))
        assert _not_on_screen(page) == [], f"section {number}, {name}"
        heights[str(number)] = _console_height(page)
        # The page itself has nothing more below: there is nowhere to scroll to.
        assert heights[str(number)] <= page.viewport_size["height"], f"section {number}, {name}"
    return heights


@pytest.mark.parametrize(
    ("width", "height", "locale"), [(1366, 768, "en"), (1280, 800, "en"), (1366, 768, "es")]
)
def test_the_live_room_fits_a_laptop_screen_on_every_section(
    voila_server, new_watched_page, artifacts, width, height, locale
):
    join_code, secret, facilitator = _room()
    page, watch = new_watched_page(width, height)
    _open_console(voila_server, page, join_code, secret, locale)
    name = f"{width}x{height}-{locale}"
    heights = _step_through_every_section(page, facilitator, artifacts, name, locale)
    (artifacts / f"console-heights-{name}.json").write_text(json.dumps(heights, indent=1))
    # The charts are drawn once; each can show its table on request.
    for _ in range(3):
        page.keyboard.press("p")
    expect(page.locator(".rw-console-pace select")).to_have_value("6", timeout=10_000)  # two figures
    tables = page.locator(".rw-console-now .rw-show-table table")
    expect(tables.first).to_be_hidden()
    page.locator(".rw-console-now .rw-show-table summary").first.click()
    expect(tables.first).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("() => window.__pwned") is None
    assert watch.external == []
    assert watch.console_errors == []


def test_on_a_phone_the_console_is_one_column(voila_server, new_watched_page, artifacts):
    join_code, secret, facilitator = _room()
    facilitator.set_pace(1)
    page, watch = new_watched_page(360, 740)
    _open_console(voila_server, page, join_code, secret)
    expect(page.locator(".rw-console-now h2")).to_contain_text("Section 1")
    main, side = (
        page.locator(selector).bounding_box() for selector in (".rw-console-main", ".rw-console-side")
    )
    assert side["y"] >= main["y"] + main["height"] - 1, (main, side)
    sideways = page.evaluate(
        """() => [document.documentElement, document.getElementById('rendered_cells')]
            .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.id || e.tagName)"""
    )
    assert sideways == []
    page.screenshot(path=str(artifacts / "console-360-section-1.png"), full_page=True)
    assert serious_violations(page) == []
    assert watch.external == []


def test_the_keys_pace_and_moderate_but_not_while_typing(voila_server, new_watched_page):
    join_code, secret, facilitator = _room()
    page, _watch = new_watched_page(1366, 768)
    _open_console(voila_server, page, join_code, secret)
    # The keys are listed on the console.
    expect(page.locator(".rw-console-keys")).to_contain_text(WORDS.facilitator.keys)
    page.keyboard.press("n")
    expect(page.locator(".rw-console-pace select")).to_have_value("1", timeout=10_000)
    page.keyboard.press("n")
    expect(page.locator(".rw-console-pace select")).to_have_value("2", timeout=10_000)
    page.keyboard.press("p")
    expect(page.locator(".rw-console-pace select")).to_have_value("1", timeout=10_000)
    assert facilitator.dashboard().pace_section == 1

    # S shows the first waiting line, D deletes the next first one.
    page.keyboard.press("s")
    expect(page.locator(".rw-moderation .rw-queue-row")).to_have_count(3, timeout=10_000)
    page.keyboard.press("d")
    expect(page.locator(".rw-moderation .rw-queue-row")).to_have_count(2, timeout=10_000)
    board = facilitator.dashboard()
    shown = next(a for a in board.activities if a.slug == LINES_SLUG).lines
    assert [line.text for line in shown] == [LINES[0]]
    assert [line.text for line in board.waiting] == LINES[2:]

    # Typing in a field is the field's: a threshold chosen with the keyboard paces and moderates nothing.
    page.get_by_role("tab", name=WORDS.facilitator.tab_settings).click()
    threshold = page.get_by_role("group", name=WORDS.facilitator.threshold_question)
    threshold.get_by_role("radio").first.focus()
    for key in ("n", "s", "d", "p", "N"):
        page.keyboard.press(key)
    page.keyboard.press("Shift+N")
    page.wait_for_timeout(1500)  # longer than a key's round trip to the kernel above
    board = facilitator.dashboard()
    assert board.pace_section == 1
    assert [line.text for line in board.waiting] == LINES[2:]
    # Back on the live tab, the keys work again; a held modifier (the browser's own shortcuts) does not.
    page.get_by_role("tab", name=WORDS.facilitator.tab_live).click()
    page.locator(".rw-console-now h2").click()
    page.keyboard.press("Alt+n")
    page.wait_for_timeout(1000)
    assert facilitator.dashboard().pace_section == 1
    page.keyboard.press("n")
    expect(page.locator(".rw-console-pace select")).to_have_value("2", timeout=10_000)


def _open_slides_window(page, shown: str = "0"):
    """Click "Present on another screen"; return the new window once it shows slide ``shown``."""
    with page.expect_popup() as opened:
        page.get_by_role("button", name=WORDS.facilitator.second_screen_label).click()
    slides = opened.value
    expect(slides.locator(".rw-slide")).to_have_attribute("data-slide", shown, timeout=10_000)
    expect(page.get_by_role("button", name=WORDS.facilitator.second_screen_stop)).to_be_visible()
    return slides


def _follows(page, slides, facilitator) -> dict[str, float]:
    """Pace and approve on the console, and move the room elsewhere: the seconds the window took each."""
    slide = slides.locator(".rw-slide")
    paced = time.monotonic()
    page.locator(".rw-console-pace select").select_option("4")
    expect(slide).to_have_attribute("data-slide", "4", timeout=5_000)
    timings = {"pace": time.monotonic() - paced}
    approved = time.monotonic()
    row = page.locator(".rw-moderation .rw-queue-row").first
    row.get_by_role("button", name=WORDS.facilitator.approve_label, exact=True).click()
    expect(slides.locator(".rw-slide-card")).to_have_text([LINES[0]], timeout=5_000)
    timings["approve"] = time.monotonic() - approved
    # The room moves on from elsewhere (a co-facilitator's tab): the next heartbeat brings it.
    moved = time.monotonic()
    facilitator.set_pace(6)
    expect(slide).to_have_attribute("data-slide", "6", timeout=5_000)
    timings["heartbeat"] = time.monotonic() - moved
    return timings


def _nothing_private_in(slides, secret: str) -> None:
    html = slides.content()
    assert secret not in slides.url
    assert secret not in html
    for waiting in LINES[1:]:
        assert waiting not in html
        assert escape(waiting) not in html
    assert slides.locator(".rw-moderation, .rw-room-controls, .rw-private-link, .rw-queue-row").count() == 0
    expect(slides.locator(".rw-crisis").first).to_be_visible()


def test_the_slides_window_follows_the_console(voila_server, new_watched_page, artifacts):
    join_code, secret, facilitator = _room()
    page, watch = new_watched_page(1366, 768)
    _open_console(voila_server, page, join_code, secret)
    slides = _open_slides_window(page)
    timings = _follows(page, slides, facilitator)
    # With the window open (its note in the bar), section 4's console still fits the laptop's screen.
    page.locator(".rw-console-pace select").select_option("4")
    expect(page.locator(".rw-console-now h2")).to_contain_text("Section 4", timeout=5_000)
    assert _not_on_screen(page) == []
    facilitator.set_pace(6)
    expect(slides.locator(".rw-slide")).to_have_attribute("data-slide", "6", timeout=5_000)
    (artifacts / "console-slides-window-timings.json").write_text(json.dumps(timings, indent=1))
    assert max(timings.values()) <= 2.5, timings
    # The window's arrow keys (a presenter remote) step its slides; the console keeps its private link.
    slides.keyboard.press("ArrowLeft")
    expect(slides.locator(".rw-slide")).to_have_attribute("data-slide", "5", timeout=5_000)
    _nothing_private_in(slides, secret)
    assert f"key={secret}" in page.url
    page.screenshot(path=str(artifacts / "console-with-slides-window-console.png"))
    slides.screenshot(path=str(artifacts / "console-with-slides-window-slides.png"))
    results = accessibility_check(slides)
    assert results.violations_count == 0, results.generate_report()
    assert watch.external == []
    # Stopping closes the window; opened again, "Leave quickly" on the console blanks it too.
    with slides.expect_event("close"):
        page.get_by_role("button", name=WORDS.facilitator.second_screen_stop).click()
    slides = _open_slides_window(page, shown="5")  # the slide the facilitator stepped to, as it was
    page.locator(".rw-leave").click()
    slides.wait_for_url("**/workbook/away", timeout=10_000)
    assert slides.locator(".rw-slide").count() == 0
