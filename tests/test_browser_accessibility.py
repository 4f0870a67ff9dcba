"""WCAG 2.2 AA checks in a real browser: axe-core on every page before and after its
activity, keyboard-only use of sections 1 and 7, and every page at 360 px wide."""

from __future__ import annotations

import json
import re

import pytest
from conftest import accessibility_check, facilitator_address
from playwright.sync_api import expect

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.small_steps.model import SmallStepsContent

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTIONS = [section for section in CONTENT.sections.sections if section.notebook]
PAGES = [
    CONTENT.sections.welcome_notebook,
    *(s.notebook for s in SECTIONS),
    CONTENT.sections.summary_notebook,
    CONTENT.sections.facilitator_notebook,
    CONTENT.sections.guide_notebook,
]


def _address(voila_server, notebook: str) -> str:
    """A page's address; the facilitator page's as its leader opens it, from the facilitator link."""
    if notebook == CONTENT.sections.facilitator_notebook:
        return facilitator_address(voila_server.url)
    return voila_server.page(notebook)


def _open(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("complementary", name="Crisis support").first.wait_for(timeout=60_000)
    # Wait until every widget of the page is drawn (the private note comes last on section pages).
    page.wait_for_function(
        "() => document.querySelectorAll('#rendered_cells .jp-OutputArea-output').length > 0"
        " && !document.querySelector('#rendered_cells .widget-loading')"
    )
    page.wait_for_timeout(500)


def _axe(page) -> list[dict]:
    return accessibility_check(page).response["violations"]


def _complete_activity(page) -> None:
    """Answer what the page asks, as a person would: first choices, short text, small numbers."""
    for _round in range(2):  # some answers reveal follow-up questions
        for group in page.locator("#rendered_cells fieldset").all():
            radios = group.get_by_role("radio")
            if radios.count() and not any(r.is_checked() for r in radios.all()):
                radios.first.check()
            boxes = group.get_by_role("checkbox")
            if boxes.count() and not any(b.is_checked() for b in boxes.all()):
                boxes.first.check()
        for box in page.locator("#rendered_cells input[type=text], #rendered_cells textarea").all():
            if box.is_visible() and not box.input_value():
                box.fill("Sam")
                box.press("Tab")
        for number in page.locator("#rendered_cells input[type=number]").all():
            if not number.input_value():
                number.fill("2")
                number.press("Tab")
        add = page.get_by_role("button", name="Add to my map")
        if add.count():
            add.click()
        page.wait_for_timeout(700)


@pytest.fixture(scope="module")
def minor_findings(artifacts):
    """Moderate and minor axe findings, kept as an artifact for the closing note."""
    found: dict[str, dict[str, int]] = {}
    yield found
    (artifacts / "axe-moderate-minor.json").write_text(json.dumps(found, indent=2))


@pytest.mark.parametrize("notebook", PAGES)
def test_axe_finds_nothing_serious_before_and_after_the_activity(
    voila_server, browser, minor_findings, notebook
):
    page = browser.new_page()
    _open(page, _address(voila_server, notebook))
    for state in ("first", "completed"):
        if state == "completed":
            _complete_activity(page)
        violations = _axe(page)
        serious = [
            (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{notebook} ({state}): {serious}"
        for violation in violations:
            key = f"{violation['id']} ({violation['impact']})"
            minor_findings.setdefault(key, {})[f"{notebook} {state}"] = len(violation["nodes"])
    page.close()


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until ``predicate`` (JS, of document.activeElement as ``e``) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return Boolean({predicate}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def _focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"""
    )


def test_skip_link_and_section_1_by_keyboard_alone(voila_server, browser, artifacts):
    page = browser.new_page()
    _open(page, voila_server.page(CONTENT.sections.by_number(1).notebook))
    # What a screen reader is given for one answer group: the question names the group.
    first = f"1. {load_checkin_content().items[0].text}"
    tree = page.get_by_role("group", name=first).aria_snapshot()
    (artifacts / "aria-question-1.txt").write_text(tree)
    assert f'group "{first}"' in tree
    for option in load_checkin_content().options:
        assert f'radio "{option.label}"' in tree
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the page's content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "rw-main"

    items = load_checkin_content().items
    for number in range(1, len(items) + 1):
        legend = f"{number}. {items[number - 1].text}"
        _tab_to(
            page,
            f"e.type === 'radio' && e.closest('fieldset').querySelector('legend').textContent === {legend!r}",
        )
        assert _focus_is_visible(page)
        if number % 2:
            page.keyboard.press("Space")  # the first choice
        else:
            page.keyboard.press("ArrowRight")  # arrows move along the choices and pick
            page.keyboard.press("ArrowRight")
    feedback = page.locator(".rw-feedback").first
    expect(feedback).to_contain_text("You answered 6 of 6 questions.")
    group = page.get_by_role("group", name=f"2. {items[1].text}")
    expect(group.get_by_role("radio", name="Often", exact=True)).to_be_checked()
    expect(
        page.get_by_role("group", name=f"1. {items[0].text}").get_by_role("radio", name="Hardly ever")
    ).to_be_checked()

    # The note, by keyboard too.
    _tab_to(page, "e.tagName === 'TEXTAREA'")
    page.keyboard.type("Typed with keys only.")
    expect(page.get_by_text("21 of 2,000 characters")).to_be_visible()
    page.close()


def test_section_7_by_keyboard_alone(voila_server, browser):
    spec = load_activity_content("small_steps", SmallStepsContent)
    page = browser.new_page()
    _open(page, voila_server.page(CONTENT.sections.by_number(7).notebook))
    page.locator("body").focus()
    first_option = spec.what.options[0].label
    _tab_to(
        page,
        "e.type === 'radio' && e.closest('fieldset').querySelector('legend').textContent.includes('Step 1')",
    )
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name=first_option).first).to_be_checked()
    _tab_to(page, f"e.type === 'text' && e.labels[0].textContent.includes({spec.who.label!r})")
    page.keyboard.type("my cousin")
    _tab_to(page, f"e.type === 'text' && e.labels[0].textContent.includes({spec.when.label!r})")
    page.keyboard.type("Saturday")
    _tab_to(page, "e.type === 'radio' && e.value === '0'")
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # 0 -> 5
    assert _focus_is_visible(page)
    expect(page.locator(".rw-smaller").first).to_be_visible()
    card = page.locator(".rw-steps-card")
    expect(card).to_contain_text("my cousin")
    expect(card).to_contain_text("Saturday")
    expect(card).to_contain_text("5 out of 10")
    page.close()


# Boxes with a border of their own: each must keep all four borders in sight, inside whatever
# clips it (the page's column, an output area).
_CUT_BOXES = """() => [...document.querySelectorAll(
        '.rw-crisis, .rw-crisis-full, .rw-framing, .rw-content-note, .rw-room-header')]
    .filter((e) => e.offsetParent !== null)
    .map((e) => {
        let clip = e.parentElement;
        while (clip && getComputedStyle(clip).overflowX === 'visible') clip = clip.parentElement;
        const box = e.getBoundingClientRect();
        const edge = clip ? clip.getBoundingClientRect() : { left: 0, right: window.innerWidth };
        return [e.className, box.left, box.right, edge.left, edge.right];
    })
    .filter(([_name, left, right, edgeLeft, edgeRight]) =>
        left < edgeLeft - 0.5 || right > edgeRight + 0.5)"""


def test_no_box_loses_its_border_on_a_wide_screen(voila_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        for notebook in PAGES:
            _open(page, _address(voila_server, notebook))
            assert page.evaluate(_CUT_BOXES) == [], notebook
    finally:
        page.close()


@pytest.mark.parametrize("notebook", PAGES)
def test_every_page_fits_a_360px_phone(voila_server, browser, screenshot, notebook):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    _open(page, _address(voila_server, notebook))
    widths = page.evaluate(
        """() => { const c = document.getElementById('rendered_cells');
                   return [document.documentElement.scrollWidth, c.scrollWidth, c.clientWidth]; }"""
    )
    assert widths[0] <= 360, widths
    assert widths[1] <= widths[2], widths
    assert page.evaluate(_CUT_BOXES) == []
    too_small = page.evaluate(
        """() => [...document.querySelectorAll('#rendered_cells button, #rendered_cells input,'
                  + ' #rendered_cells textarea, #rendered_cells a')]
            .filter((e) => e.offsetParent !== null)
            .filter((e) => !(e.tagName === 'A' && e.closest('p, li')))   // links inside text are exempt
            .map((e) => [e, (e.type === 'radio' || e.type === 'checkbox') ? e.closest('label') : e])
            .filter(([e, t]) => {
                const r = t.getBoundingClientRect();
                return r.width < 24 || r.height < 24;
            })
            .map(([e]) => e.outerHTML.slice(0, 80))"""
    )
    assert too_small == []
    small_text = page.evaluate(
        """() => [...document.querySelectorAll(
                '#rendered_cells p, #rendered_cells li, #rendered_cells label')]
            .filter((e) => e.offsetParent !== null && e.textContent.trim().length > 40)
            .filter((e) => parseFloat(getComputedStyle(e).fontSize) < 16)
            .map((e) => e.textContent.trim().slice(0, 60))"""
    )
    assert small_text == []
    screenshot(page, f"phone-{re.sub(r'[^a-z0-9-]', '', notebook.removesuffix('.ipynb'))}")
    context.close()
