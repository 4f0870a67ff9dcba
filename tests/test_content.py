"""The content files load, and a broken one fails loudly with file, field and reason."""

from __future__ import annotations

import os

import pytest

from widgets import ContentError, load_content
from widgets.sections.checkin.model import load_checkin_content
from widgets.workbook_content import SECTION_COUNT


def test_shipped_content_is_valid():
    content = load_content()
    assert len(content.sections.sections) == SECTION_COUNT
    assert content.crisis.lines
    assert load_checkin_content().items


def test_every_crisis_line_the_brief_names_is_listed():
    text = " ".join(f"{line.name} {line.how}" for line in load_content().crisis.lines)
    for must in ("988", "HOME to 741741", "9-8-8", "116 123", "13 11 14", "findahelpline.com"):
        assert must in text
    assert "press 3" not in text.lower()  # ended in July 2025


def test_section_titles_are_the_article_headings(article_lines):
    lines = set(article_lines)
    for section in load_content().sections.sections:
        assert section.title in lines, section.title


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("crisis", lambda d: d.pop("lines"), "lines: Field required"),
        ("crisis", lambda d: d["lines"][0].update(short="x" * 61), "lines.0.short"),
        ("workbook", lambda d: d.update(framing=""), "framing"),
        ("workbook", lambda d: d.update(colour="blue"), "colour: Extra inputs are not permitted"),
        ("sections", lambda d: d["sections"].pop(), "sections"),
        ("sections", lambda d: d["sections"][1].update(number=7), "numbered 1 to 9 in order"),
        ("sections", lambda d: d["sections"][0].update(notebook="../etc/passwd"), "sections.0.notebook"),
        ("checkin", lambda d: d["options"][0].update(score="lots"), "options.0.score"),
        (
            "checkin",
            lambda d: d["items"][1].update(id="left-out"),
            "items: Value error, every item needs its own id",
        ),
        ("checkin", lambda d: d["bands"].reverse(), "rising order"),
        ("checkin", lambda d: d["bands"][-1].update(up_to_average=2.9), "must reach the highest"),
        ("checkin", lambda d: d.update(answered_line="{answered} of {everyone}"), "unknown placeholder"),
        ("checkin", lambda d: d.update(min_answered_for_reflection=99), "more than the number of items"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_copy, edit_content, name, change, expected):
    edit_content(name, change)
    # The check-in's file belongs to its section (read by its own loader); the rest to every page.
    load = load_checkin_content if name == "checkin" else load_content
    with pytest.raises(ContentError) as caught:
        load(content_copy)
    message = str(caught.value)
    assert f"{name}.yaml" in message
    assert expected in message


def test_missing_file(content_copy):
    (content_copy / "crisis.yaml").unlink()
    with pytest.raises(ContentError, match=r"crisis\.yaml: the content file is missing"):
        load_content(content_copy)


def test_not_yaml(content_copy):
    (content_copy / "workbook.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"workbook\.yaml: could not be read"):
        load_content(content_copy)


def test_not_a_mapping(content_copy):
    (content_copy / "sections.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"sections\.yaml: \(whole file\): expected a mapping"):
        load_content(content_copy)


def test_an_edited_file_is_read_again_while_the_server_runs(content_copy, edit_content):
    # The server's warm parent loads the content once at its start; new pages still get edited words.
    assert load_content(content_copy).workbook.busy.title != "Busy for a moment"
    path = content_copy / "workbook.yaml"
    before = path.stat().st_mtime_ns
    edit_content("workbook", lambda data: data["busy"].update(title="Busy for a moment"))
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a later version, whatever the clock's grain
    assert load_content(content_copy).workbook.busy.title == "Busy for a moment"
