"""A room across languages in the real browser: three English and three Spanish speakers share section 1.

Each joins from the room's (English) join link in a browser that asks for their language (``en-US`` or
``es-MX``), answers the check-in in it and shares. The dashboard shows one figure for the group's
check-ins, counting all six; the slides switch language with the same numbers; a line offered from a
Spanish page and approved is marked ``lang="es"`` on the dashboard and on the slides.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
from conftest import _watch
from playwright.sync_api import expect

from widgets.content_files import content_dir, counted, load_activity_content
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import RoomContent
from widgets.room.model import Rooms
from widgets.sections.checkin.model import CheckinContent, load_checkin_content
from widgets.store import default_store
from widgets.workbook_content import Content, load_content

pytestmark = pytest.mark.browser

LOCALES = ("en", "es")
CONTENT = {locale: load_content(content_dir(locale)) for locale in LOCALES}
WORDS = {locale: load_activity_content("room", RoomContent, content_dir(locale)) for locale in LOCALES}
CHECKIN = {locale: load_checkin_content(content_dir(locale)) for locale in LOCALES}
SECTIONS = CONTENT["en"].sections
SECTION_4 = SECTIONS.by_number(4)
# English speakers answer "often", Spanish speakers "hardly ever": their check-ins land in different bands.
CHOICE = {"en": "often", "es": "hardly-ever"}
BROWSER_LOCALE = {"en": "en-US", "es": "es-MX"}
LINE = "Mi abuela, la vecina y el coro de la iglesia: ahí me siento en casa."
SECONDS = 10


@dataclass
class Person:
    """A participant's page, in the language their browser asks for."""

    page: object
    locale: str

    @property
    def content(self) -> Content:
        return CONTENT[self.locale]

    @property
    def words(self) -> RoomContent:
        return WORDS[self.locale]

    @property
    def checkin(self) -> CheckinContent:
        return CHECKIN[self.locale]


def _people(browser, address: str, watches: dict) -> list[Person]:
    """Six browsers, three English and three Spanish, open the join link at once (pages load side by side)."""
    people = []
    for locale in LOCALES * 3:
        context = browser.new_context(locale=BROWSER_LOCALE[locale], viewport={"width": 412, "height": 900})
        page = context.new_page()
        watches[f"participant {len(watches)} ({locale})"] = _watch(page)
        page.goto(address, wait_until="commit")
        people.append(Person(page, locale))
    return people


def _join(people: list[Person], join_code: str) -> None:
    """Each joins from the welcome page in their own language, then opens section 1 there."""
    shown = f"{join_code[:3]}-{join_code[3:]}"
    for person in people:
        folder = "" if person.locale == "en" else f"{person.locale}/"
        person.page.wait_for_url(f"**/voila/render/{folder}{SECTIONS.welcome_notebook}?room={join_code}")
        person.page.get_by_role("button", name=person.words.invite.join_label).click(timeout=90_000)
    for person in people:
        person.page.get_by_text(person.words.join.in_room.format(code=shown)).wait_for(timeout=60_000)
        person.page.get_by_role("link", name=person.content.workbook.start_label).click()


def _answer_the_checkin(people: list[Person]) -> None:
    """Each answers three check-in questions in their language."""
    for person in people:
        labels = {option.id: option.label for option in person.checkin.options}
        for number, item in enumerate(person.checkin.items[:3], start=1):
            person.page.get_by_role("group", name=f"{number}. {item.text}").get_by_role(
                "radio", name=labels[CHOICE[person.locale]], exact=True
            ).check(timeout=90_000)
    for person in people:
        expect(person.page.locator(".rw-participant")).to_have_attribute("data-saves", re.compile(r"^[3-9]$"))


def _share(people: list[Person]) -> None:
    for person in people:
        person.page.get_by_role("checkbox", name=person.words.share.option).check()
    for person in people:
        person.page.get_by_text(person.words.share.done_on).wait_for(timeout=SECONDS * 1000)


def _rows(table) -> list[tuple[str, float]]:
    """A figure's table as (label, number) rows: each number from its last cell (``3``, ``3 people``)."""
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [cell.strip() for cell in row.locator("th, td").all_text_contents()]
        rows.append((cells[0], float(re.match(r"[0-9.]+", cells[-1]).group())))
    return rows


def _released(facilitator, shared: int) -> dict[str, float]:
    """Wait until the dashboard's check-in figure counts the ``shared`` people; how many in each band.

    The figures change only once ``threshold`` (3) more have shared since they last did: the people
    share three at a time, so each release counts every one of them.
    """
    facilitator.get_by_role("tab", name=WORDS["en"].facilitator.tab_results).click()
    panel = facilitator.locator(f'.rw-group-activity[data-slug="{SECTIONS.by_number(1).slug}"]')
    words = counted(WORDS["en"].facilitator.shared, shared, "en", shared=shared, joined=6)
    expect(panel).to_contain_text(words, timeout=SECONDS * 1000)
    table = panel.get_by_role("table", name=CHECKIN["en"].group.bands.title, exact=True)
    deadline = time.monotonic() + SECONDS
    rows = _rows(table)
    while sum(number for _label, number in rows) != shared:
        assert time.monotonic() < deadline, f"the figure counts {rows}: {panel.inner_text()}"
        facilitator.wait_for_timeout(200)
        rows = _rows(table)
    ids = {band.title: band.id for band in CHECKIN["en"].bands}
    return {ids[label]: count for label, count in rows}


def _one_combined_figure(facilitator) -> list[float]:
    """Each check-in figure shows once on the dashboard, counting both languages; the bands' numbers."""
    panel = facilitator.locator(f'.rw-group-activity[data-slug="{SECTIONS.by_number(1).slug}"]')
    bands = CHECKIN["en"].group.bands.title
    # One figure of each kind, in the facilitator's language: no second set for the Spanish speakers.
    # Each figure's table is read by screen readers (its "Show as a table" copy stays closed).
    assert panel.locator(".rw-slide-figure").count() == 3
    assert panel.get_by_role("table").count() == 3
    assert panel.locator(".rw-slide-figure > figcaption").all_text_contents().count(bands) == 1
    average = panel.get_by_role("table", name=CHECKIN["en"].group.average.title, exact=True)
    # "Often" scores 3 and "hardly ever" 1: the averages are 2 only with both languages counted.
    assert [number for _label, number in _rows(average)] == [2.0, 2.0, 2.0]
    return [number for _label, number in _rows(panel.get_by_role("table", name=bands, exact=True))]


def _offer_a_spanish_line(server_url: str, person: Person, facilitator) -> None:
    """The Spanish speaker offers a line from the Spanish section 4; approved, it is marked lang="es"."""
    assert person.locale == "es"
    person.page.goto(f"{server_url}/voila/render/es/{SECTION_4.notebook}")
    words = person.words.line
    box = person.page.get_by_role("textbox", name=f"{words.label_lead}: {words.prompts[SECTION_4.slug]}")
    box.fill(LINE, timeout=90_000)
    box.press("Tab")
    person.page.get_by_role("button", name=words.offer_label).click()
    person.page.get_by_text(words.sent).wait_for(timeout=SECONDS * 1000)
    facilitator.get_by_role("tab", name=WORDS["en"].facilitator.tab_live).click()
    queued = facilitator.locator(".rw-queue-row")
    expect(queued).to_have_count(1, timeout=SECONDS * 1000)
    expect(queued.locator(".rw-line-text")).to_have_attribute("lang", "es")
    queued.get_by_role("button", name=WORDS["en"].facilitator.approve_label, exact=True).click()
    facilitator.get_by_role("tab", name=WORDS["en"].facilitator.tab_results).click()
    shown = facilitator.locator(f'.rw-group-activity[data-slug="{SECTION_4.slug}"] .rw-group-lines li')
    expect(shown).to_have_text(LINE, timeout=SECONDS * 1000)
    expect(shown).to_have_attribute("lang", "es")


def _slide_figure(facilitator, locale: str) -> list[float]:
    """The bands figure on the section 1 slide, in ``locale``'s words (title and rows): its numbers."""
    title = CHECKIN[locale].group.bands.title
    figure = facilitator.locator(".rw-slide-figure").filter(
        has=facilitator.locator("figcaption", has_text=title)
    )
    expect(figure).to_have_count(1, timeout=SECONDS * 1000)
    rows = _rows(figure.locator("table"))
    assert [label for label, _number in rows] == [band.title for band in CHECKIN[locale].bands]
    return [number for _label, number in rows]


def _present_in_both_languages(facilitator, numbers: list[float]) -> None:
    """Present; section 1's slide in English, then in Spanish with the same numbers; the line on slide 4."""
    facilitator.get_by_role("button", name=WORDS["en"].facilitator.present_label).click()
    slide = facilitator.locator(".rw-slide")
    expect(slide).to_have_attribute("data-slide", "0", timeout=SECONDS * 1000)
    facilitator.get_by_role("button", name=WORDS["en"].presenting.next_label).click()
    expect(slide).to_have_attribute("data-slide", "1")
    assert _slide_figure(facilitator, "en") == numbers

    facilitator.locator(".rw-slide-language").filter(has_text="Español").click()
    expect(facilitator.locator(".rw-slide-language")).to_have_text(["English"], timeout=SECONDS * 1000)
    expect(slide).to_have_attribute("data-slide", "1")
    heading = CONTENT["es"].sections.by_number(1).activity
    expect(facilitator.get_by_role("heading", level=2)).to_contain_text(heading)
    assert _slide_figure(facilitator, "es") == numbers
    assert facilitator.get_by_text(CHECKIN["en"].group.bands.title).count() == 0

    for number in (2, 3, 4):
        facilitator.get_by_role("button", name=WORDS["es"].presenting.next_label).click()
        expect(slide).to_have_attribute("data-slide", str(number))
    card = slide.locator(".rw-slide-card")
    expect(card).to_have_text(LINE)
    expect(card).to_have_attribute("lang", "es")


def test_a_room_of_english_and_spanish_speakers(voila_server, browser):
    keys = Rooms(default_store(), REGISTRY).open_room(threshold=3)
    join_code = keys.join_code
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    facilitator = context.new_page()
    watches = {"facilitator": _watch(facilitator)}
    # The dashboard is open before anyone joins, as in a session.
    facilitator.goto(voila_server.page(f"{SECTIONS.facilitator_notebook}?room={join_code}&key={keys.secret}"))
    facilitator.locator(".rw-room-counts .rw-console-code").wait_for(timeout=90_000)
    address = f"{voila_server.url}/voila/render/{SECTIONS.welcome_notebook}?room={join_code}"
    people = _people(browser, address, watches)
    _join(people, join_code)
    _answer_the_checkin(people)
    # Three share (two English speakers, one Spanish), then the other three.
    _share(people[:3])
    first = _released(facilitator, 3)
    assert (first["heavy-weight"], first["connected"]) == (2, 1)
    _share(people[3:])
    counts = _released(facilitator, 6)
    assert (counts["heavy-weight"], counts["connected"]) == (3, 3)
    numbers = _one_combined_figure(facilitator)
    _offer_a_spanish_line(voila_server.url, people[-1], facilitator)
    _present_in_both_languages(facilitator, numbers)

    troubles = {name: watch.troubles for name, watch in watches.items() if watch.troubles}
    assert troubles == {}, troubles
    for person in people:
        person.page.context.close()
    context.close()
