"""The facilitators' session guide, in each language it is written in.

``notebooks/21-session-guide.ipynb`` (English) and ``notebooks/es/21-session-guide.ipynb`` (Spanish),
read as JSON, never run: the agendas add up, every section is there once by its exact title (the
title in that language's ``sections.yaml``) with prompts and an exercise, section 3 stays private,
the privacy script says what it must in plain words, and the crisis lines are that language's.

Every check runs on both guides. The fixed words a check relies on (headings, the agenda's header
cells, the labels, what the privacy script must say) are in :data:`WORDS`, one entry per language.
Plain words are measured as ``tests/test_readability.py`` measures them: English with the
Flesch-Kincaid grade, Spanish with Szigriszt-Pazos on the INFLESZ scale (higher is easier).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import textstat
from test_readability import szigriszt_pazos

from widgets import load_content
from widgets.content_files import content_dir
from widgets.workbook_content import Section

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "es")
CONTENT = {language: load_content(content_dir(language)) for language in LANGUAGES}

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
LABEL = re.compile(r"^\*\*(.+?)\*\*")
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a Markdown backslash escape, as "\*4141"
CITED = re.compile(r"\((?:[^()]|\([^()]*\))*\b(19|20)\d\d\b")
PRIVACY_GRADE_LIMIT = 8.0
GUIDE_GRADE_LIMIT = 9.0  # facilitators read the rest; the script is read aloud to everyone
# The Spanish bars (Szigriszt-Pazos, INFLESZ): "bastante fácil" for what is read aloud, "normal" for
# the rest (tests/test_readability.py uses the same two).
SPANISH_PRIVACY_EASE = 65.0
SPANISH_GUIDE_EASE = 55.0


@dataclass(frozen=True)
class Words:
    """The fixed words of one language's guide that the checks look for."""

    notebook: Path
    title: str  # in the notebook's metadata title
    header_code: str  # the one code cell
    first_line: str
    before: str  # the headings of the parts (each part is found by the start of its heading)
    privacy: str
    agenda: str  # with {minutes}
    by_section: str
    disclosure: str
    referral: str
    closing: str
    section: str  # "Section" as in "Section 3: <title>", in the agendas and the headings
    agenda_header: list[str]
    welcome_row: str
    break_row: str
    closing_row: str
    section_3_row: tuple[str, ...]  # in the agendas' section 3 row, lower case
    about: str  # the bold labels of a section's part, and what they say
    activity: str
    prompts: str
    exercise: str
    exercise_minutes: str
    pair_exercise: str
    opt_out: str  # the word that lets a person sit an exercise out, lower case
    dashboard: str
    for_those_who_shared: str
    never_shared: str
    individual: str
    because: str
    skip: str
    privacy_says: tuple[str, ...]  # the privacy script, lower case
    section_3: str
    notes: str
    five: str
    at_least_five: str
    three: str
    never_below_three: str
    before_says: tuple[str, ...]
    threshold: str  # the bullets of "Before the session", by their bold label, and what they say
    threshold_says: tuple[str, ...]
    expected: str
    expected_says: tuple[str, ...]
    network_says: tuple[str, ...]
    delete_all_lines: str
    referral_says: tuple[str, ...]
    warm_handoff: str  # lower case
    disclosure_says: tuple[str, ...]  # lower case
    csv: str
    close_and_erase: str
    section_7: str
    figure: str  # a pattern: a percentage or a figure, which must cite a source with its year


WORDS = {
    "en": Words(
        notebook=REPO / "notebooks" / "21-session-guide.ipynb",
        title="Reconnection Workbook",
        header_code="from widgets.pages import show_guide_header\n\nshow_guide_header()",
        first_line="# Session guide: Community as Medicine\n",
        before="Before the session",
        privacy="Privacy script to read aloud at the start",
        agenda="{minutes}-minute agenda",
        by_section="Section by section",
        disclosure="Responding to a disclosure or visible distress",
        referral="When and how to refer to professional help",
        closing="Closing the session",
        section="Section",
        agenda_header=["Minutes", "Part", "What happens"],
        welcome_row="Welcome & privacy script",
        break_row="Break",
        closing_row="Closing",
        section_3_row=("individual", "optional", "nothing is shared", "no group discussion"),
        about="about this section",
        activity="activity",
        prompts="Discussion prompts",
        exercise="exercise",
        exercise_minutes=r"\(\d+ (to \d+ )?minutes",
        pair_exercise="Pair or small-group exercise",
        opt_out="pass",
        dashboard="dashboard",
        for_those_who_shared="For those who shared",
        never_shared="never shared",
        individual="individual",
        because="because",
        skip="skip",
        privacy_says=(
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
        ),
        section_3="section 3",
        notes="notes",
        five="five",
        at_least_five="at least five",
        three="three",
        never_below_three="never below three",
        before_says=(
            "`20-facilitator.ipynb`",
            "join code",
            "private facilitator link",
            "presenting mode",
            "co-facilitator",
            "crisis",
        ),
        threshold="Choose the sharing threshold",
        threshold_says=(
            "watch the screen can't work out one person's answers",
            "can't protect against",
            "several phones or browsers",
            "a facilitator who makes up participants",
            "lets in only about the number of people you expected",
            "asks you before it lets in more",
        ),
        expected="Say how many people will come",
        expected_says=(
            "are asking to join",
            '"Let them in"',
            '"Turn them away"',
            "Nothing a waiting person shares",
        ),
        network_says=(
            "`./workbook serve --lan`",
            "hotspot",
            "no internet",
            "firewall",
            "QR code",
            "plain HTTP",
        ),
        delete_all_lines='"Delete all waiting lines"',
        referral_says=("emergency", "not therapy"),
        warm_handoff="warm handoff",
        disclosure_says=(
            "don't probe",
            "private check-in",
            "safeguarding",
            "never promise secrecy",
            "follow up",
        ),
        csv="CSV",
        close_and_erase="Close the room and erase it",
        section_7="section 7",
        figure=r"\d\s*%|\bpercent\b|\d+ in \d+",
    ),
    "es": Words(
        notebook=REPO / "notebooks" / "es" / "21-session-guide.ipynb",
        title="Cuaderno de Reconexión",
        header_code='from widgets.pages import show_guide_header\n\nshow_guide_header("es")',
        first_line="# Guía de la sesión: La comunidad como medicina\n",
        before="Antes de la sesión",
        privacy="Texto sobre la privacidad para leer en voz alta al empezar",
        agenda="Agenda de {minutes} minutos",
        by_section="Sección por sección",
        disclosure="Cómo responder si alguien cuenta algo doloroso o muestra angustia",
        referral="Cuándo y cómo derivar a ayuda profesional",
        closing="Cierre de la sesión",
        section="Sección",
        agenda_header=["Minutos", "Parte", "Qué pasa"],
        welcome_row="Bienvenida y texto de privacidad",
        break_row="Descanso",
        closing_row="Cierre",
        section_3_row=("individual", "opcional", "no se comparte nada", "no hay conversación en grupo"),
        about="sobre esta sección",
        activity="actividad",
        prompts="Preguntas para conversar",
        exercise="ejercicio",
        exercise_minutes=r"\(\d+ (a \d+ )?minutos",
        pair_exercise="Ejercicio en parejas o en grupos pequeños",
        opt_out='"paso"',  # quoted: "pasos" are the steps of section 7
        dashboard="panel",
        for_those_who_shared="De quienes compartieron",
        never_shared="nunca se comparte",
        individual="individual",
        because="porque",
        skip="saltar",
        privacy_says=(
            "nombre",
            "código",
            "empieza desactivada",
            "cada actividad",
            "sección 3",
            "notas",
            "nunca se comparte",
            "totales y promedios",
            "cinco",
            "tres",
            "nunca menos de tres",
            "apruebe",
            "saltar cualquier pregunta",
            "salir de la sala",
            "borrar todo",
            "se borra",
            "no un diagnóstico",
        ),
        section_3="sección 3",
        notes="notas",
        five="cinco",
        at_least_five="al menos cinco",
        three="tres",
        never_below_three="nunca menos de tres",
        before_says=(
            "`20-facilitator.ipynb`",
            "código de la sala",
            "enlace privado para facilitar",
            "modo de presentación",
            "quien facilita con usted",
            "crisis",
        ),
        threshold="Elija cuántas personas deben compartir",
        threshold_says=(
            "quienes miran la pantalla no pueden deducir las respuestas de una persona",
            "no puede evitar",
            "varios teléfonos o navegadores",
            "quien facilita agregue personas inventadas",
            "deja entrar solo a más o menos tantas personas como usted esperaba",
            "le pregunta antes de dejar entrar a más",
        ),
        expected="Diga cuántas personas van a venir",
        expected_says=(
            "piden unirse",
            '"Dejarlas entrar"',
            '"No dejarlas entrar"',
            "Nada de lo que comparta una persona en espera",
        ),
        network_says=(
            "`./workbook serve --lan`",
            "punto de acceso",
            "sin internet",
            "firewall",
            "código QR",
            "HTTP simple",
        ),
        delete_all_lines='"Borrar todas las frases en espera"',
        referral_says=("emergencia", "no es terapia"),
        warm_handoff="derivación acompañada",
        disclosure_says=(
            "no pida detalles",
            "conversación en privado",
            "protocolo de protección",
            "nunca prometa",
            "seguimiento",
        ),
        csv="CSV",
        close_and_erase="Cerrar la sala y borrarla",
        section_7="sección 7",
        figure=r"\d\s*%|\bpor ciento\b|\d+ de cada \d+",
    ),
}


def _sections(language: str) -> list[Section]:
    return list(CONTENT[language].sections.sections)


def _section_3(language: str) -> Section:
    return next(s for s in _sections(language) if s.number == 3)


def _section_heading(language: str, section: Section) -> str:
    return f"{WORDS[language].section} {section.number}: {section.title}"


def _agenda_part(language: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(WORDS[language].section)} (\d+): (.+)$")


SECTION_CASES = [
    pytest.param(language, section, id=f"{language}-{section.slug}")
    for language in LANGUAGES
    for section in _sections(language)
]
SHAREABLE_CASES = [
    pytest.param(language, section, id=f"{language}-{section.slug}")
    for language in LANGUAGES
    for section in _sections(language)
    if section.number != 3
]
CRISIS_CASES = [
    pytest.param(language, line, id=f"{language}-{line.short}")
    for language in LANGUAGES
    for line in CONTENT[language].crisis.lines
]
AGENDA_CASES = [(language, minutes) for language in LANGUAGES for minutes in (90, 60)]


def _notebook(language: str) -> dict:
    return json.loads(WORDS[language].notebook.read_text(encoding="utf-8"))


def _markdown(language: str) -> str:
    cells = _notebook(language)["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _parts(language: str) -> dict[str, str]:
    """Each heading's text, and what sits under it up to the next heading as high or higher."""
    lines = _markdown(language).splitlines()
    heads = [(i, len(m[1]), m[2]) for i, line in enumerate(lines) if (m := HEADING.match(line))]
    parts: dict[str, str] = {}
    for n, (start, level, title) in enumerate(heads):
        end = next((i for i, lv, _ in heads[n + 1 :] if lv <= level), len(lines))
        assert title not in parts, f"heading used twice: {title}"
        parts[title] = "\n".join(lines[start + 1 : end])
    return parts


def _part(language: str, start: str) -> str:
    found = [body for title, body in _parts(language).items() if title.lower().startswith(start.lower())]
    assert len(found) == 1, f"expected one heading starting {start!r}, found {len(found)}"
    return found[0]


def _assert_says(text: str, *words: str) -> None:
    """``text`` holds every one of ``words`` (the failure lists those it does not)."""
    assert [each for each in words if each not in text] == []


def _shown(text: str) -> str:
    """Markdown as a reader sees its characters: backslash escapes undone ("\\*4141" is "*4141")."""
    return ESCAPED.sub(r"\1", text)


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


def _agenda(language: str, minutes: int) -> list[tuple[int, str, str]]:
    heading = WORDS[language].agenda.format(minutes=minutes)
    rows = [line for line in _part(language, heading).splitlines() if line.startswith("|")]
    assert _cells(rows[0]) == WORDS[language].agenda_header
    assert set(rows[1]) <= set("|-: "), "the second row must be the table's separator"
    table = []
    for row in rows[2:]:
        cells = _cells(row)
        assert len(cells) == 3, row
        assert re.fullmatch(r"\d+", cells[0]), f"minutes must be a whole number: {row}"
        table.append((int(cells[0]), cells[1], cells[2]))
    return table


def _privacy_paragraphs(language: str) -> list[str]:
    """The script's paragraphs: the quoted lines, split where a quoted line is blank."""
    script = _part(language, WORDS[language].privacy)
    quoted = [line[1:].strip() for line in script.splitlines() if line.startswith(">")]
    return [p.strip() for p in "\n".join(quoted).split("\n\n") if p.strip()]


def _privacy_script(language: str) -> str:
    return " ".join(_privacy_paragraphs(language))


def _assert_plain(language: str, text: str, *, read_aloud: bool) -> None:
    """English at or below its Flesch-Kincaid grade, Spanish at or above its Szigriszt-Pazos ease.

    ``read_aloud``: the stricter bar, for what everyone hears (the privacy script and the threshold's
    promises); otherwise the bar for what facilitators read.
    """
    if language == "es":
        ease = szigriszt_pazos(text)
        assert ease >= (SPANISH_PRIVACY_EASE if read_aloud else SPANISH_GUIDE_EASE), (ease, text[:300])
    else:
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= (PRIVACY_GRADE_LIMIT if read_aloud else GUIDE_GRADE_LIMIT), (grade, text[:300])


# --- the notebook -------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_is_a_thin_notebook_without_outputs(language):
    words = WORDS[language]
    notebook = _notebook(language)
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert words.title in notebook["metadata"]["title"]
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert ["".join(c["source"]) for c in code] == [words.header_code]
    for cell in notebook["cells"]:
        assert not cell.get("outputs")
        assert cell.get("execution_count") is None
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown"
    assert "".join(first["source"]).startswith(words.first_line)


@pytest.mark.parametrize("language", LANGUAGES)
def test_notebook_says_its_language_and_gives_each_cell_an_id(language):
    notebook = _notebook(language)
    assert notebook["metadata"]["workbook"] == {"language": language}
    ids = [cell.get("id", "") for cell in notebook["cells"]]
    assert all(re.fullmatch(r"[0-9a-f]{8}", each) for each in ids), ids
    assert len(set(ids)) == len(ids), "cell ids are unique"


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        pytest.param(language, heading, id=f"{language}-{heading}")
        for language, words in WORDS.items()
        for heading in (
            words.before,
            words.privacy,
            words.agenda.format(minutes=90),
            words.agenda.format(minutes=60),
            words.by_section,
            words.disclosure,
            words.referral,
            words.closing,
        )
    ],
)
def test_has_each_part(language, heading):
    assert _part(language, heading).strip()


# --- the agendas --------------------------------------------------------------


@pytest.mark.parametrize(("language", "minutes"), AGENDA_CASES)
def test_agenda_minutes_add_up_exactly(language, minutes):
    rows = _agenda(language, minutes)
    assert all(m > 0 for m, _, _ in rows)
    assert sum(m for m, _, _ in rows) == minutes


@pytest.mark.parametrize("minutes", [90, 60])
def test_every_language_keeps_the_english_timings(minutes):
    english = [m for m, _, _ in _agenda("en", minutes)]
    for language in LANGUAGES:
        assert [m for m, _, _ in _agenda(language, minutes)] == english, language


@pytest.mark.parametrize(("language", "minutes"), AGENDA_CASES)
def test_agenda_lists_the_nine_sections_once_in_order_by_their_titles(language, minutes):
    part = _agenda_part(language)
    listed = [(int(m[1]), m[2]) for _, row, _ in _agenda(language, minutes) if (m := part.match(row))]
    assert listed == [(s.number, s.title) for s in _sections(language)]


@pytest.mark.parametrize(("language", "minutes"), AGENDA_CASES)
def test_agenda_opens_with_the_privacy_script_and_ends_with_closing(language, minutes):
    words = WORDS[language]
    rows = _agenda(language, minutes)
    assert rows[0][1] == words.welcome_row
    assert rows[-1][1] == words.closing_row
    assert all(what for _, _, what in rows), "every row says what happens"
    others = {part for _, part, _ in rows if not _agenda_part(language).match(part)}
    assert others <= {words.welcome_row, words.break_row, words.closing_row}


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_the_longer_session_has_a_break(language):
    break_row = WORDS[language].break_row
    assert [part for _, part, _ in _agenda(language, 90)].count(break_row) == 1
    assert break_row not in [part for _, part, _ in _agenda(language, 60)]


@pytest.mark.parametrize(("language", "minutes"), AGENDA_CASES)
def test_agenda_keeps_section_3_individual_and_unshared(language, minutes):
    section_3 = _section_heading(language, _section_3(language))
    (what,) = [what for _, part, what in _agenda(language, minutes) if part == section_3]
    _assert_says(what.lower(), *WORDS[language].section_3_row)


# --- section by section -------------------------------------------------------


@pytest.mark.parametrize(("language", "section"), SECTION_CASES)
def test_section_has_its_heading_activity_prompts_and_exercise(language, section):
    words = WORDS[language]
    body = _parts(language)[_section_heading(language, section)]
    blocks = _labelled(body)
    assert section.activity in _block(blocks, words.activity)
    assert _block(blocks, words.about).strip()
    assert words.prompts in blocks
    (exercise,) = [label for label in blocks if words.exercise in label.lower()]
    assert re.search(words.exercise_minutes, exercise), "the exercise gives its minutes"
    assert blocks[exercise].strip()


@pytest.mark.parametrize(("language", "section"), SHAREABLE_CASES)
def test_shareable_section_has_prompts_a_pair_exercise_with_a_pass_and_dashboard_words(language, section):
    words = WORDS[language]
    blocks = _labelled(_parts(language)[_section_heading(language, section)])
    assert 2 <= len(_bullets(blocks[words.prompts])) <= 3
    exercise_label = next(label for label in blocks if words.exercise in label.lower())
    assert exercise_label.startswith(words.pair_exercise)
    assert words.opt_out in blocks[exercise_label].lower()
    assert words.for_those_who_shared in _block(blocks, words.dashboard)


@pytest.mark.parametrize("language", LANGUAGES)
def test_section_3_is_quiet_individual_never_shared_and_not_discussed(language):
    words = WORDS[language]
    blocks = _labelled(_parts(language)[_section_heading(language, _section_3(language))])
    assert words.never_shared in _block(blocks, words.dashboard)
    assert _bullets(blocks[words.prompts]) == [], "no prompts for the group in section 3"
    exercise_label = next(label for label in blocks if words.exercise in label.lower())
    assert words.individual in exercise_label.lower()
    exercise = blocks[exercise_label]
    assert words.because in exercise, "the guide says why section 3 stays individual"
    assert words.skip in exercise


# --- privacy, disclosure, referral, closing -----------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_script_says_what_the_group_can_and_cannot_see(language):
    _assert_says(_privacy_script(language).lower(), *WORDS[language].privacy_says)


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_script_says_section_3_and_notes_are_never_shared(language):
    words = WORDS[language]
    (paragraph,) = [p for p in _privacy_paragraphs(language) if words.section_3 in p.lower()]
    assert words.notes in paragraph
    assert paragraph.count(words.never_shared) == 2, "once for section 3, once for the notes"


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_script_says_five_by_default_and_never_below_three(language):
    words = WORDS[language]
    (paragraph,) = [p for p in _privacy_paragraphs(language) if words.five in p]
    assert words.at_least_five in paragraph
    assert words.three in paragraph
    assert words.never_below_three in paragraph


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_script_is_plain_words(language):
    script = _privacy_script(language)
    assert len(script.split()) > 100
    _assert_plain(language, script, read_aloud=True)
    for paragraph in _privacy_paragraphs(language):
        _assert_plain(language, paragraph, read_aloud=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_before_the_session_names_the_facilitator_page_and_the_private_link(language):
    _assert_says(_part(language, WORDS[language].before), *WORDS[language].before_says)


@pytest.mark.parametrize("language", LANGUAGES)
def test_before_the_session_says_what_the_threshold_protects_and_what_it_cannot(language):
    words = WORDS[language]
    before = _part(language, words.before)
    threshold = _bullet(before, words.threshold)
    _assert_says(threshold, *words.threshold_says)
    expected = _bullet(before, words.expected)
    _assert_says(expected, *words.expected_says)
    for bullet in (threshold, expected):
        _assert_plain(language, re.sub(r"[*`]", "", bullet), read_aloud=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guide_names_the_way_to_clear_a_flood_of_lines(language):
    assert WORDS[language].delete_all_lines in _part(language, WORDS[language].by_section)


@pytest.mark.parametrize("language", LANGUAGES)
def test_before_the_session_says_how_phones_reach_the_workbook(language):
    _assert_says(_part(language, WORDS[language].before), *WORDS[language].network_says)


@pytest.mark.parametrize(("language", "line"), CRISIS_CASES)
def test_referral_part_lists_each_crisis_line(language, line):
    assert line.short in _shown(_part(language, WORDS[language].referral))


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_part_lists_no_other_languages_lines(language):
    referral = _shown(_part(language, WORDS[language].referral))
    own = {line.short for line in CONTENT[language].crisis.lines}
    others = {line.short for other in LANGUAGES for line in CONTENT[other].crisis.lines} - own
    assert [short for short in sorted(others) if short in referral] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_part_says_emergency_and_not_therapy(language):
    words = WORDS[language]
    referral = _part(language, words.referral)
    _assert_says(referral, *words.referral_says)
    assert words.warm_handoff in referral.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_disclosure_part_keeps_it_out_of_the_group_and_promises_no_secrecy(language):
    words = WORDS[language]
    _assert_says(_part(language, words.disclosure).lower(), *words.disclosure_says)


@pytest.mark.parametrize("language", LANGUAGES)
def test_closing_exports_before_it_erases(language):
    words = WORDS[language]
    closing = _part(language, words.closing)
    assert words.csv in closing
    assert closing.index(words.csv) < closing.index(words.close_and_erase)
    assert words.section_7 in closing


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_percentage_or_figure_cites_a_source(language):
    for paragraph in _markdown(language).split("\n\n"):
        if re.search(WORDS[language].figure, paragraph):
            assert CITED.search(paragraph), paragraph


@pytest.mark.parametrize("language", LANGUAGES)
def test_guide_prose_stays_plain(language):
    prose = [
        re.sub(r"[*`>]", "", line).lstrip("-0123456789. ").strip()
        for line in _markdown(language).splitlines()
        if line.strip() and not line.startswith(("|", "#"))
    ]
    _assert_plain(language, " ".join(prose), read_aloud=False)
