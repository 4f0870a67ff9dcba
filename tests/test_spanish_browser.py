"""The Spanish edition in a real Chromium on a 360 px phone whose browser asks for Spanish (``es-MX``).

A Spanish facilitator opens a room; a participant opens its join link as the QR code encodes it and goes
from the Spanish welcome page through the nine sections and the summary to the take-home PDF. Every page
is in Spanish (``<html lang="es">``, no word of the English content's own vocabulary in its text), shows
the crisis lines for Spanish speakers, fits the phone and passes axe. Then: switching language on
section 4 keeps the connection map, and a Spanish participant's code typed on the English welcome page of
another browser takes that page to Spanish, with their answers.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pypdf
import pytest
import yaml
import zxingcpp
from conftest import REPO, _watch, serious_violations
from PIL import Image
from playwright.sync_api import expect
from section_contents import SECTION_CONTENTS

from widgets.content_files import CONTENT_ROOT, content_dir, load_activity_content
from widgets.participant import Participant, parse_code
from widgets.room.access import facilitator_link, facilitator_token
from widgets.room.content import RoomContent
from widgets.store import default_store
from widgets.workbook_content import load_content

pytestmark = pytest.mark.browser

ES = load_content(content_dir("es"))
EN = load_content(content_dir("en"))
SPEC = {
    name: load_activity_content(name, schema, content_dir("es")) for name, schema in SECTION_CONTENTS.items()
}
EN_MAP = load_activity_content("connection_map", SECTION_CONTENTS["connection_map"], content_dir("en"))
ROOM = load_activity_content("room", RoomContent, content_dir("es"))
SECTIONS = ES.sections
PAGE = ES.workbook.page
PHONE = {"width": 360, "height": 740}
# Section 7's plan, with accents and ñ: it must come back whole in the take-home PDF.
PLAN = "Llamar a mi tía el sábado por la mañana"

# --- the English content's own vocabulary -------------------------------------------------------

_WORD = re.compile(r"\w+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# An address on a page (the room's join link) is not words in any language.
_ADDRESS = re.compile(r"\b[a-z]+://\S+")
# Ids, slugs and notebook names are the same in every language and never shown: in the Spanish files they
# are not Spanish words ("some-of-the-time", "what-community-means"), so they take nothing out.
_NEUTRAL = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*|[0-9]{2}-[a-z0-9-]+\.ipynb)$")
ALLOWED = {
    # Names that stay as they are in Spanish: the service "Crisis Text Line", its WhatsApp number, the
    # directory findahelpline.com.
    "crisis",
    "text",
    "line",
    "whatsapp",
    "findahelpline",
    # The language switch names each language in its own language: "English" on every Spanish page.
    "english",
}


def _strings(value: object) -> Iterator[str]:
    """Every string a YAML document holds, at any depth (values, not keys)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _words(texts: Iterable[str]) -> set[str]:
    """The words of 3 letters or more in ``texts``, in lower case (``K7QM`` and ``988lifeline`` are none)."""
    return {
        word.casefold() for text in texts for word in _WORD.findall(text) if len(word) >= 3 and word.isalpha()
    }


def _content_texts(locale: str, article: str) -> list[str]:
    texts = [
        text
        for path in sorted((CONTENT_ROOT / locale).glob("*.yaml"))
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    ]
    return [*texts, (REPO / "article" / article).read_text(encoding="utf-8")]


def _spanish_words() -> set[str]:
    texts = _content_texts("es", "community-as-medicine-part-1.es.txt")
    return _words(_PLACEHOLDER.sub(" ", text) for text in texts if not _NEUTRAL.match(text.strip()))


ENGLISH_ONLY = _words(_content_texts("en", "community-as-medicine-part-1.txt")) - _spanish_words() - ALLOWED


def english_words(text: str) -> list[str]:
    """The words of ``text`` that belong to the English content's vocabulary and not to the Spanish one."""
    return sorted(_words([text]) & ENGLISH_ONLY)


def test_the_vocabulary_check_catches_english():
    assert len(ENGLISH_ONLY) > 500
    assert english_words("Often · A menudo · Saturday morning · Crisis Text Line · English") == [
        "morning",
        "often",
        "saturday",
    ]
    assert english_words(f"{PLAN}. {ES.crisis.intro} {ES.workbook.framing}") == []


# --- every Spanish page -------------------------------------------------------------------------


def _ready(page: object) -> None:
    """Wait until the page's crisis line shows and every widget of it is drawn."""
    page.get_by_role("complementary", name=ES.crisis.landmark_label).first.wait_for(timeout=90_000)
    page.wait_for_function(
        "() => document.querySelectorAll('#rendered_cells .jp-OutputArea-output').length > 0"
        " && !document.querySelector('#rendered_cells .widget-loading')",
        timeout=90_000,
    )


def _page_problems(page: object, hide: Iterable[str], phone: bool = True) -> list[str]:
    """What is wrong with a Spanish page; ``hide``: codes shown on it (random letters, not words)."""
    problems = []
    language = page.evaluate("() => document.documentElement.lang")
    if language != "es":
        problems.append(f"<html lang={language!r}>")
    crisis = page.get_by_role("complementary", name=ES.crisis.landmark_label).first.inner_text()
    problems += [f"no crisis line {line!r}" for line in ("988", "AYUDA", "024") if line not in crisis]
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if phone and width > PHONE["width"]:
        problems.append(f"scrolls sideways: {width} px wide")
    problems += [f"axe: {violation}" for violation in serious_violations(page)]
    text = page.evaluate("() => document.title + '\\n' + document.body.innerText")
    for code in hide:
        text = text.replace(code, " ")
    text = _ADDRESS.sub(" ", text)
    if found := english_words(text):
        problems.append(f"English words: {found}")
    return problems


def _name(page: object) -> str:
    """The page's notebook, as its address names it (``es/01-hidden-weight.ipynb``)."""
    return page.url.split("/voila/render/")[-1].split("?")[0]


# --- the journey: answering each section --------------------------------------------------------


def _checkin(page: object, spec: object) -> None:
    often = next(option.label for option in spec.options if option.id == "often")
    for number, item in enumerate(spec.items[:3], start=1):
        page.get_by_role("group", name=f"{number}. {item.text}").get_by_role(
            "radio", name=often, exact=True
        ).check()


def _beliefs(page: object) -> None:
    spec = SPEC["beliefs"]
    agree = next(option.label for option in spec.options if option.id == "agree")
    group = page.get_by_role("group", name=f"1. {spec.statements[0].text}")
    group.get_by_role("radio", name=agree, exact=True).check()


def _withdrawal(page: object) -> None:
    spec = SPEC["withdrawal"]
    strategy = spec.strategies[0]
    checklist = page.get_by_role("group", name=spec.checklist_question)
    checklist.get_by_role("checkbox", name=strategy.label, exact=True).check()
    then = page.get_by_role("group", name=spec.then_question.format(strategy=strategy.short), exact=True)
    yes = next(option.label for option in spec.options if option.id == "yes")
    then.get_by_role("radio", name=yes, exact=True).check(timeout=15_000)


def _add_to_map(page: object, label: str, kind: str, circle: str) -> None:
    spec = SPEC["connection_map"]
    page.get_by_role("textbox", name=spec.label_question).fill(label)
    kinds = {item.id: item.label for item in spec.kinds}
    page.get_by_role("group", name=spec.kind_question).get_by_role("radio", name=kinds[kind]).check()
    circles = {item.id: f"{item.name}: {item.explanation}" for item in spec.circles}
    page.get_by_role("group", name=spec.circle_question).get_by_role("radio", name=circles[circle]).check()
    page.get_by_role("button", name=spec.add_label).click()
    page.get_by_role("button", name=spec.remove_label.format(label=label)).wait_for(timeout=15_000)


def _crowding(page: object) -> None:
    work = next(item.label for item in SPEC["crowding"].hours.activities if item.id == "work")
    field = page.get_by_role("spinbutton", name=work, exact=True)
    field.click()
    field.press_sequentially("40")
    field.press("Tab")


def _safety_check(page: object) -> None:
    spec = SPEC["safety_check"]
    name = page.get_by_role("textbox", name=spec.name_label)
    name.fill("Rosa")
    name.press("Tab")
    always = next(option.label for option in spec.options if option.id == "always")
    group = page.get_by_role("group", name=f"1. {spec.qualities[0].question}", exact=True)
    group.get_by_role("radio", name=always, exact=True).check()


def _small_steps(page: object) -> None:
    """Step 1 is a step of one's own: the Spanish plan, with accents and ñ."""
    spec = SPEC["small_steps"]

    def label(text: str) -> str:
        return spec.control_label.format(number=1, label=text)

    what = page.get_by_role("group", name=label(spec.what.question))
    what.get_by_role("radio", name=spec.what.own_option.label).check()
    own = page.get_by_role("textbox", name=label(spec.what.own_text.label))
    own.wait_for(state="visible", timeout=15_000)
    own.fill(PLAN)
    own.press("Tab")
    confidence = page.get_by_role("group", name=label(spec.confidence.question))
    confidence.get_by_role("radio", name="8", exact=True).check()


def _sharing_load(page: object) -> None:
    support = SPEC["sharing_load"].supports[0]
    page.get_by_role("group", name=f"1. {support.question}").get_by_role("checkbox").first.check()


def _where_now(page: object) -> None:
    _checkin(page, SPEC["checkin"])
    patterns = SPEC["where_now"].patterns
    page.get_by_role("group", name=patterns.question).get_by_role(
        "checkbox", name=patterns.options[0].label
    ).check()


# Each section: how it is answered, and what its saved answers hold once the last answer is kept.
ANSWER: dict[int, tuple[Callable[[object], None], str]] = {
    1: (lambda page: _checkin(page, SPEC["checkin"]), '"often"'),
    2: (_beliefs, '"agree"'),
    3: (_withdrawal, '"yes"'),
    4: (lambda page: _add_to_map(page, "Rosa", "family", "close"), "Rosa"),
    5: (_crowding, '"work": 40'),
    6: (_safety_check, '"always"'),
    7: (_small_steps, '"confidence": 8'),
    8: (_sharing_load, "encouragement"),
    9: (_where_now, SPEC["where_now"].patterns.options[0].id),
}


def _kept(code: str, slug: str, needle: str, timeout: float = 20.0) -> dict:
    """Wait until the store keeps ``needle`` in the participant's answers to ``slug``; those answers."""
    deadline = time.monotonic() + timeout
    while True:
        saved = default_store().load_all(Participant(code).code_hash).get(slug)
        if saved is not None and needle in json.dumps(saved, ensure_ascii=False):
            return saved
        assert time.monotonic() < deadline, f"{slug}: {needle!r} never reached the store: {saved}"
        time.sleep(0.2)


def _open_spanish_room(browser: object, server_url: str) -> tuple[str, str, list[str]]:
    """A facilitator opens a room from the Spanish facilitator page.

    Returns the join link its QR code encodes, the room's code, and what is wrong with the page.
    """
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = _watch(page)
    notebook = f"es/{SECTIONS.facilitator_notebook}"
    page.goto(facilitator_link(server_url, notebook, facilitator_token()))
    page.get_by_role("button", name=ROOM.facilitator.open_label).click(timeout=90_000)
    join_code = page.locator(".rw-room-counts .rw-console-code strong").inner_text(timeout=30_000)
    page.wait_for_url(f"**/{notebook}?room=*&key=*")
    page.get_by_role("tab", name=ROOM.facilitator.tab_join).click()  # the QR code is one tab away
    address = f"{server_url}/voila/render/es/{SECTIONS.welcome_notebook}?room={join_code.replace('-', '')}"
    qr = page.get_by_role("img", name=f"{ROOM.facilitator.qr_label}: {address}")
    qr.wait_for(timeout=30_000)
    decoded = [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))]
    assert decoded == [address]
    _ready(page)
    problems = _page_problems(page, [join_code], phone=False)
    assert watch.troubles == {}
    context.close()
    return address, join_code, problems


def _join(page: object, address: str, join_code: str) -> str:
    """Open the join link, join the room from the Spanish welcome page; the participant's code."""
    page.goto(address)
    page.wait_for_url(f"**/es/{SECTIONS.welcome_notebook}?room=*")
    page.get_by_role("button", name=ROOM.invite.join_label).click(timeout=90_000)
    page.get_by_text(ROOM.join.in_room.format(code=join_code)).wait_for(timeout=60_000)
    code = parse_code(page.locator(".rw-code").first.inner_text())
    assert code is not None
    return code


def _sections(page: object, code: str, codes: list[str], problems: dict[str, list[str]]) -> None:
    """Sections 1 to 9, each reached by the previous page's "next" link, answered and checked."""
    page.get_by_role("link", name=ES.workbook.start_label).click()
    for section in SECTIONS.sections:
        page.wait_for_url(f"**/es/{section.notebook}")
        _ready(page)
        expect(page.get_by_text(PAGE.section_position.format(number=section.number, count=9))).to_be_visible()
        answer, needle = ANSWER[section.number]
        answer(page)
        _kept(code, section.slug, needle)
        expect(page.locator(".rw-saved").first).to_have_text(ES.workbook.participant.saved)
        problems[_name(page)] = _page_problems(page, codes)
        page.locator(".rw-nav .rw-next a").click()


def _take_home(page: object, codes: list[str], problems: dict[str, list[str]]) -> str:
    """The summary page shows the plan; the take-home PDF's text, whitespace made single spaces."""
    page.wait_for_url(f"**/es/{SECTIONS.summary_notebook}")
    _ready(page)
    expect(page.locator(".rw-summary")).to_contain_text(PLAN)
    problems[_name(page)] = _page_problems(page, codes)
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name=ES.workbook.take_home.pdf_label).click()
    reader = pypdf.PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    return re.sub(r"\s+", " ", "\n".join(sheet.extract_text() for sheet in reader.pages))


def test_a_spanish_journey_from_the_join_link_to_the_pdf(voila_server, browser):
    address, join_code, facilitator_problems = _open_spanish_room(browser, voila_server.url)
    context = browser.new_context(
        locale="es-MX", viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True
    )
    page = context.new_page()
    watch = _watch(page)
    code = _join(page, address, join_code)
    codes = [Participant(code).shown_code, join_code]
    _ready(page)
    problems = {
        f"es/{SECTIONS.facilitator_notebook}": facilitator_problems,
        _name(page): _page_problems(page, codes),
    }
    _sections(page, code, codes, problems)
    pdf = _take_home(page, codes, problems)
    context.close()

    assert PLAN in pdf
    assert SECTIONS.by_number(7).title in pdf
    assert len(problems) == 12  # the facilitator's page, the welcome page, the nine sections, the summary
    wrong = {name: found for name, found in problems.items() if found}
    if watch.troubles:
        wrong["the participant's browser"] = [f"{kind}: {items}" for kind, items in watch.troubles.items()]
    assert wrong == {}, "\n".join(f"{name}: {found}" for name, found in wrong.items())


# --- switching language; resuming on another browser -------------------------------------------


def _spanish_participant(browser: object, server_url: str, notebook: str) -> tuple[object, object]:
    """A Spanish speaker's phone opening a page by its plain (English) address: it comes in Spanish."""
    context = browser.new_context(locale="es-MX", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server_url}/voila/render/{notebook}")
    page.wait_for_url(f"**/voila/render/es/{notebook}")
    _ready(page)
    return context, page


def _switch(page: object, locale: str, notebook: str) -> None:
    """Choose ``locale`` in the page's language switch; wait for the page in it."""
    page.locator(f"nav.rw-languages a.rw-language[lang={locale}]").click()
    folder = "" if locale == "en" else f"{locale}/"
    page.wait_for_url(f"**/voila/render/{folder}{notebook}?lang={locale}")
    page.get_by_role("complementary").first.wait_for(timeout=90_000)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.locator(f"nav.rw-languages span.rw-language[lang={locale}]")).to_have_attribute(
        "aria-current", "page"
    )


def _map_shows(page: object, remove_label: str, labels: list[str]) -> None:
    for label in labels:
        expect(page.get_by_role("button", name=remove_label.format(label=label))).to_be_visible(
            timeout=90_000
        )
    assert page.locator(".rw-feedback .rw-text-alternative").inner_text().count("Rosa") == 1


def test_switching_language_on_section_4_keeps_the_map(voila_server, browser):
    notebook = SECTIONS.by_number(4).notebook
    context, page = _spanish_participant(browser, voila_server.url, notebook)
    watch = _watch(page)
    code = parse_code(page.locator(".rw-code").first.inner_text())
    _add_to_map(page, "Rosa", "family", "close")
    _add_to_map(page, "Beto", "friend", "middle")
    _kept(code, "what-community-means", "Beto")

    _switch(page, "en", notebook)
    _map_shows(page, EN_MAP.remove_label, ["Rosa", "Beto"])
    alternative = page.locator(".rw-feedback .rw-text-alternative").inner_text()
    circles = {circle.id: circle.name for circle in EN_MAP.circles}
    assert f"{circles['close']} (1): Rosa" in alternative
    assert f"{circles['middle']} (1): Beto" in alternative

    _switch(page, "es", notebook)
    _map_shows(page, SPEC["connection_map"].remove_label, ["Rosa", "Beto"])
    saved = default_store().load_all(Participant(code).code_hash)["what-community-means"]
    assert [entry["label"] for entry in saved["entries"]] == ["Rosa", "Beto"]
    assert watch.troubles == {}
    context.close()


def test_a_spanish_code_typed_on_an_english_welcome_page_opens_it_in_spanish(voila_server, browser):
    notebook = SECTIONS.by_number(1).notebook
    spanish, page = _spanish_participant(browser, voila_server.url, notebook)
    code = parse_code(page.locator(".rw-code").first.inner_text())
    _checkin(page, SPEC["checkin"])
    _kept(code, "hidden-weight", '"often"')
    spanish.close()

    context = browser.new_context(locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    watch = _watch(page)
    welcome = SECTIONS.welcome_notebook
    page.goto(f"{voila_server.url}/voila/render/{welcome}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("textbox", name=EN.workbook.resume.label).fill(Participant(code).shown_code)
    page.get_by_role("button", name=EN.workbook.resume.open_label).click(timeout=90_000)
    # The workbook is kept in Spanish: the page goes there, and its contents show the answers.
    page.wait_for_url(f"**/voila/render/es/{welcome}*")
    _ready(page)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert parse_code(page.locator(".rw-code").first.inner_text()) == code
    contents = page.get_by_role("navigation", name=ES.workbook.toc_heading)
    section_1 = PAGE.section_label.format(number=1, title=SECTIONS.by_number(1).title)
    expect(contents.get_by_role("listitem").filter(has_text=section_1)).to_contain_text(
        ES.workbook.progress.started
    )
    contents.get_by_role("link", name=section_1).click()
    page.wait_for_url(f"**/es/{notebook}")
    _ready(page)
    often = next(option.label for option in SPEC["checkin"].options if option.id == "often")
    for number, item in enumerate(SPEC["checkin"].items[:3], start=1):
        group = page.get_by_role("group", name=f"{number}. {item.text}")
        expect(group.get_by_role("radio", name=often, exact=True)).to_be_checked()
    assert watch.troubles == {}
    context.close()
