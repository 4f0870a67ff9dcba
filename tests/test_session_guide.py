"""The facilitators' session guide (``notebooks/21-session-guide.ipynb``).

Read as JSON, never run: the agendas add up, every section is there once by its
exact title with prompts and an exercise, section 3 stays private, the privacy
script says what it must in plain words, and the crisis lines are the workbook's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat

from widgets import load_content

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "notebooks" / "21-session-guide.ipynb"
CONTENT = load_content()
SECTIONS = CONTENT.sections.sections
SHAREABLE = [s for s in SECTIONS if s.number != 3]
SECTION_3 = next(s for s in SECTIONS if s.number == 3)

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
AGENDA_PART = re.compile(r"^Section (\d+): (.+)$")
LABEL = re.compile(r"^\*\*(.+?)\*\*")
PRIVACY_GRADE_LIMIT = 8.0
GUIDE_GRADE_LIMIT = 9.0  # facilitators read the rest; the script is read aloud to everyone


def _notebook() -> dict:
    return json.loads(GUIDE.read_text(encoding="utf-8"))


def _markdown() -> str:
    cells = _notebook()["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _parts() -> dict[str, str]:
    """Each heading's text, and what sits under it up to the next heading as high or higher."""
    lines = _markdown().splitlines()
    heads = [(i, len(m[1]), m[2]) for i, line in enumerate(lines) if (m := HEADING.match(line))]
    parts: dict[str, str] = {}
    for n, (start, level, title) in enumerate(heads):
        end = next((i for i, lv, _ in heads[n + 1 :] if lv <= level), len(lines))
        assert title not in parts, f"heading used twice: {title}"
        parts[title] = "\n".join(lines[start + 1 : end])
    return parts


def _part(start: str) -> str:
    found = [body for title, body in _parts().items() if title.lower().startswith(start.lower())]
    assert len(found) == 1, f"expected one heading starting {start!r}, found {len(found)}"
    return found[0]


def _assert_says(text: str, *words: str) -> None:
    """``text`` holds every one of ``words`` (the failure lists those it does not)."""
    assert [each for each in words if each not in text] == []


def _bullet(text: str, label: str) -> str:
    """The one bullet of ``text`` that begins with the bold ``label``."""
    (line,) = [line for line in text.splitlines() if line.startswith(f"- **{label}")]
    return line


def _labelled(body: str) -> dict[str, str]:
    """The blocks of a section's part, keyed by their bold lead ("Discussion prompts", ...)."""
    blocks: dict[str, str] = {}
    label = None
    for line in body.splitlines():
        if m := LABEL.match(line):
            label = m[1].strip().rstrip(".")
            blocks[label] = line[m.end() :]
        elif label is not None:
            blocks[label] += "\n" + line
    return blocks


def _block(blocks: dict[str, str], word: str) -> str:
    found = [text for label, text in blocks.items() if word.lower() in label.lower()]
    assert len(found) == 1, f"expected one part labelled with {word!r}, found {list(blocks)}"
    return found[0]


def _bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _agenda(minutes: int) -> list[tuple[int, str, str]]:
    rows = [line for line in _part(f"{minutes}-minute agenda").splitlines() if line.startswith("|")]
    assert _cells(rows[0]) == ["Minutes", "Part", "What happens"]
    assert set(rows[1]) <= set("|-: "), "the second row must be the table's separator"
    table = []
    for row in rows[2:]:
        cells = _cells(row)
        assert len(cells) == 3, row
        assert re.fullmatch(r"\d+", cells[0]), f"minutes must be a whole number: {row}"
        table.append((int(cells[0]), cells[1], cells[2]))
    return table


def _privacy_paragraphs() -> list[str]:
    """The script's paragraphs: the quoted lines, split where a quoted line is blank."""
    quoted = [line[1:].strip() for line in _part("Privacy script").splitlines() if line.startswith(">")]
    return [p.strip() for p in "\n".join(quoted).split("\n\n") if p.strip()]


def _privacy_script() -> str:
    return " ".join(_privacy_paragraphs())


# --- the notebook -------------------------------------------------------------


def test_is_a_thin_notebook_without_outputs():
    notebook = _notebook()
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert "Reconnection Workbook" in notebook["metadata"]["title"]
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert ["".join(c["source"]) for c in code] == [
        "from widgets.pages import show_guide_header\n\nshow_guide_header()"
    ]
    for cell in notebook["cells"]:
        assert not cell.get("outputs")
        assert cell.get("execution_count") is None
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown"
    assert "".join(first["source"]).startswith("# Session guide: Community as Medicine\n")


@pytest.mark.parametrize(
    "heading",
    [
        "Before the session",
        "Privacy script to read aloud at the start",
        "90-minute agenda",
        "60-minute agenda",
        "Section by section",
        "Responding to a disclosure or visible distress",
        "When and how to refer to professional help",
        "Closing the session",
    ],
)
def test_has_each_part(heading):
    assert _part(heading).strip()


# --- the agendas --------------------------------------------------------------


@pytest.mark.parametrize("minutes", [90, 60])
def test_agenda_minutes_add_up_exactly(minutes):
    rows = _agenda(minutes)
    assert all(m > 0 for m, _, _ in rows)
    assert sum(m for m, _, _ in rows) == minutes


@pytest.mark.parametrize("minutes", [90, 60])
def test_agenda_lists_the_nine_sections_once_in_order_by_their_titles(minutes):
    listed = [(int(m[1]), m[2]) for _, part, _ in _agenda(minutes) if (m := AGENDA_PART.match(part))]
    assert listed == [(s.number, s.title) for s in SECTIONS]


@pytest.mark.parametrize("minutes", [90, 60])
def test_agenda_opens_with_the_privacy_script_and_ends_with_closing(minutes):
    rows = _agenda(minutes)
    assert rows[0][1] == "Welcome & privacy script"
    assert rows[-1][1] == "Closing"
    assert all(what for _, _, what in rows), "every row says what happens"
    others = {part for _, part, _ in rows if not AGENDA_PART.match(part)}
    assert others <= {"Welcome & privacy script", "Break", "Closing"}


def test_only_the_longer_session_has_a_break():
    assert [part for _, part, _ in _agenda(90)].count("Break") == 1
    assert "Break" not in [part for _, part, _ in _agenda(60)]


@pytest.mark.parametrize("minutes", [90, 60])
def test_agenda_keeps_section_3_individual_and_unshared(minutes):
    (what,) = [what for _, part, what in _agenda(minutes) if part == f"Section 3: {SECTION_3.title}"]
    assert "individual" in what.lower()
    assert "optional" in what.lower()
    assert "nothing is shared" in what.lower()
    assert "no group discussion" in what.lower()


# --- section by section -------------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.slug)
def test_section_has_its_heading_activity_prompts_and_exercise(section):
    body = _parts()[f"Section {section.number}: {section.title}"]
    blocks = _labelled(body)
    assert section.activity in _block(blocks, "activity")
    assert _block(blocks, "about this section").strip()
    assert "Discussion prompts" in blocks
    (exercise,) = [label for label in blocks if "exercise" in label.lower()]
    assert re.search(r"\(\d+ (to \d+ )?minutes", exercise), "the exercise gives its minutes"
    assert blocks[exercise].strip()


@pytest.mark.parametrize("section", SHAREABLE, ids=lambda s: s.slug)
def test_shareable_section_has_prompts_a_pair_exercise_with_a_pass_and_dashboard_words(section):
    blocks = _labelled(_parts()[f"Section {section.number}: {section.title}"])
    assert 2 <= len(_bullets(blocks["Discussion prompts"])) <= 3
    exercise_label = next(label for label in blocks if "exercise" in label.lower())
    assert exercise_label.startswith("Pair or small-group exercise")
    assert "pass" in blocks[exercise_label].lower()
    assert "For those who shared" in _block(blocks, "dashboard")


def test_section_3_is_quiet_individual_never_shared_and_not_discussed():
    blocks = _labelled(_parts()[f"Section 3: {SECTION_3.title}"])
    assert "never shared" in _block(blocks, "dashboard")
    assert _bullets(blocks["Discussion prompts"]) == [], "no prompts for the group in section 3"
    exercise_label = next(label for label in blocks if "exercise" in label.lower())
    assert "individual" in exercise_label.lower()
    exercise = blocks[exercise_label]
    assert "because" in exercise, "the guide says why section 3 stays individual"
    assert "skip" in exercise


# --- privacy, disclosure, referral, closing -----------------------------------


def test_privacy_script_says_what_the_group_can_and_cannot_see():
    script = _privacy_script().lower()
    _assert_says(
        script,
        "name",
        "code",
        "sharing starts off",
        "each activity",
        "section 3",
        "notes",
        "never shared",
        "counts and averages",
        "five",
        "three",
        "never below three",
        "approve",
        "skip any question",
        "leave the room",
        "delete everything",
        "erased",
        "not diagnosis",
    )


def test_privacy_script_says_section_3_and_notes_are_never_shared():
    (paragraph,) = [p for p in _privacy_paragraphs() if "section 3" in p.lower()]
    assert "notes" in paragraph
    assert paragraph.count("never shared") == 2, "once for section 3, once for the notes"


def test_privacy_script_says_five_by_default_and_never_below_three():
    (paragraph,) = [p for p in _privacy_paragraphs() if "five" in p]
    assert "at least five" in paragraph
    assert "three" in paragraph
    assert "never below three" in paragraph


def test_privacy_script_is_plain_words():
    script = _privacy_script()
    assert len(script.split()) > 100
    assert textstat.flesch_kincaid_grade(script) <= PRIVACY_GRADE_LIMIT
    for paragraph in _privacy_paragraphs():
        assert textstat.flesch_kincaid_grade(paragraph) <= PRIVACY_GRADE_LIMIT, paragraph


def test_before_the_session_names_the_facilitator_page_and_the_private_link():
    before = _part("Before the session")
    _assert_says(before, "`20-facilitator.ipynb`", "join code", "private facilitator link", "presenting mode")
    assert "co-facilitator" in before
    assert "crisis" in before


def test_before_the_session_says_what_the_threshold_protects_and_what_it_cannot():
    before = _part("Before the session")
    threshold = _bullet(before, "Choose the sharing threshold")
    _assert_says(
        threshold,
        "watch the screen can't work out one person's answers",
        "can't protect against",
        "several phones or browsers",
        "a facilitator who makes up participants",
        "lets in only about the number of people you expected",
        "asks you before it lets in more",
    )
    expected = _bullet(before, "Say how many people will come")
    _assert_says(
        expected,
        "are asking to join",
        '"Let them in"',
        '"Turn them away"',
        "Nothing a waiting person shares",
    )
    for bullet in (threshold, expected):
        assert textstat.flesch_kincaid_grade(re.sub(r"[*`]", "", bullet)) <= PRIVACY_GRADE_LIMIT, bullet


def test_the_guide_names_the_way_to_clear_a_flood_of_lines():
    assert '"Delete all waiting lines"' in _part("Section by section")


def test_before_the_session_says_how_phones_reach_the_workbook():
    before = _part("Before the session")
    _assert_says(
        before, "`./workbook serve --lan`", "hotspot", "no internet", "firewall", "QR code", "plain HTTP"
    )


@pytest.mark.parametrize("line", CONTENT.crisis.lines, ids=lambda line: line.short)
def test_referral_part_lists_each_crisis_line(line):
    assert line.short in _part("When and how to refer to professional help")


def test_referral_part_says_emergency_and_not_therapy():
    referral = _part("When and how to refer to professional help")
    assert "emergency" in referral
    assert "not therapy" in referral
    assert "warm handoff" in referral.lower()


def test_disclosure_part_keeps_it_out_of_the_group_and_promises_no_secrecy():
    disclosure = _part("Responding to a disclosure or visible distress").lower()
    _assert_says(
        disclosure,
        "don't probe",
        "private check-in",
        "safeguarding",
        "never promise secrecy",
        "follow up",
    )


def test_closing_exports_before_it_erases():
    closing = _part("Closing the session")
    assert "CSV" in closing
    assert closing.index("CSV") < closing.index("Close the room and erase it")
    assert "section 7" in closing


def test_every_percentage_or_figure_cites_a_source():
    for paragraph in _markdown().split("\n\n"):
        if re.search(r"\d\s*%|\bpercent\b|\d+ in \d+", paragraph):
            assert re.search(r"\((?:[^()]|\([^()]*\))*\b(19|20)\d\d\b", paragraph), paragraph


def test_guide_prose_stays_plain():
    prose = [
        re.sub(r"[*`>]", "", line).lstrip("-0123456789. ").strip()
        for line in _markdown().splitlines()
        if line.strip() and not line.startswith(("|", "#"))
    ]
    assert textstat.flesch_kincaid_grade(" ".join(prose)) <= GUIDE_GRADE_LIMIT
