"""A participant's journey through the real server in a real browser."""

from __future__ import annotations

import json
import statistics
import time

import pytest
from playwright.sync_api import expect

from widgets import load_content
from widgets.sections.checkin.model import load_checkin_content, score_checkin

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION_1 = CONTENT.sections.by_number(1)


def _radio_visible(page) -> None:
    page.get_by_role("radio").first.wait_for(state="visible", timeout=60_000)


def test_welcome_to_section_1_check_in(voila_server, watched_page, artifacts, screenshot):
    page, watch = watched_page
    page.goto(voila_server.url + "/")
    page.wait_for_url("**/voila/render/00-welcome.ipynb*")
    toc = page.get_by_role("navigation", name=CONTENT.workbook.toc_heading)
    toc.wait_for(timeout=60_000)
    screenshot(page, "welcome")
    expect(page.get_by_text(CONTENT.workbook.framing).first).to_be_visible()
    crisis = page.get_by_role("region", name=CONTENT.crisis.heading)
    for line in CONTENT.crisis.lines:
        assert line.how in crisis.inner_text(), line.how
    built = sum(1 for s in CONTENT.sections.sections if s.notebook)
    assert toc.get_by_role("link").count() == built + 1  # and the summary

    started = time.monotonic()
    toc.get_by_role("link", name=f"Section 1: {SECTION_1.title}").click()
    page.wait_for_url(f"**/{SECTION_1.notebook}")
    _radio_visible(page)
    controls_after_click = time.monotonic() - started

    expect(page.get_by_text("Section 1 of 9")).to_be_visible()
    expect(page.get_by_role("heading", name=SECTION_1.title, level=1)).to_be_visible()
    expect(page.get_by_role("complementary", name="Crisis support").first).to_be_visible()
    # Answer five of the six questions as a person would, skipping the third.
    spec = load_checkin_content()
    choices = ["often", "often", None, "some-of-the-time", "often", "hardly-ever"]
    labels = {option.id: option.label for option in spec.options}
    for number, (item, choice) in enumerate(zip(spec.items, choices, strict=True), start=1):
        if choice is None:
            continue
        group = page.get_by_role("group", name=f"{number}. {item.text}")
        group.get_by_role("radio", name=labels[choice]).check()
    expected = score_checkin(spec, {item.id: c for item, c in zip(spec.items, choices, strict=True)})
    feedback = page.locator(".rw-feedback")
    feedback.get_by_text("You answered 5 of 6 questions.").wait_for(timeout=10_000)
    feedback.get_by_role("heading", name=expected.band.title).wait_for(timeout=10_000)
    assert expected.band.suggestion in feedback.inner_text()

    # Changing one's mind: clearing an answer lowers the count.
    first_question = page.get_by_role("group", name=f"1. {spec.items[0].text}")
    first_question.get_by_role("button", name="Clear my answer").click()
    feedback.get_by_text("You answered 4 of 6 questions.").wait_for(timeout=10_000)

    section_note = f"{CONTENT.workbook.note_label}: {SECTION_1.note_prompt}"
    note = page.get_by_role("textbox", name=section_note)
    text = "I want to call my sister <b>this week</b>."
    note.fill(text)
    page.get_by_text(f"{len(text)} of {CONTENT.workbook.note_max_length:,} characters").wait_for(
        timeout=5_000
    )
    assert note.input_value() == text

    nav = page.get_by_role("navigation", name="Sections")
    expect(nav.get_by_role("link", name="Welcome page")).to_be_visible()
    screenshot(page, "section-1")
    (artifacts / "section-1-after-click.json").write_text(json.dumps({"seconds": controls_after_click}))
    assert watch.troubles == {}


def test_section_1_controls_time_and_offline(voila_server, browser, artifacts):
    """Open section 1 from its direct link in fresh browsers; time until its controls show."""
    timings = []
    for _ in range(3):
        context = browser.new_context()
        page = context.new_page()
        external = []
        page.on(
            "request",
            lambda request, bucket=external: (
                bucket.append(request.url)
                if not request.url.startswith((voila_server.url, "blob:", "data:"))
                else None
            ),
        )
        started = time.monotonic()
        page.goto(voila_server.page(SECTION_1.notebook))
        _radio_visible(page)
        timings.append(time.monotonic() - started)
        checkin = load_checkin_content()
        assert page.get_by_role("radio").count() == len(checkin.items) * len(checkin.options)
        assert external == []
        context.close()
    report = {"runs": timings, "median_seconds": statistics.median(timings)}
    (artifacts / "section-1-controls-visible.json").write_text(json.dumps(report, indent=2))
    print(f"section 1 controls visible: median {report['median_seconds']:.2f} s over {len(timings)} runs")
    assert report["median_seconds"] < 20
