"""Plain language: the words we write stay at or below grade 8 (Flesch-Kincaid), in every language.

Every string a participant reads in ``widgets/content/LANG/*.yaml`` is measured, except
what is not ours to simplify: quotations of the article (checked to be verbatim),
the article's title and section headings (checked to be the article's), citations
of sources, and identifiers or file names, which nobody reads.

Two bars, per content file:

* the file's text as a whole (each string a sentence of its own) is grade 8.0 or below;
* every single string of 25 words or more is grade 9.0 or below, so no long passage
  hides behind many short labels.

Spanish is measured with its own formula, Szigriszt-Pazos (``textstat`` with ``set_lang("es")``), read
on the INFLESZ scale: a file as a whole at 65 or more ("bastante fácil", the band of the last years of
primary school, as grade 6-8 is in English) and every long string at 55 or more (the floor of
"normal"). FACTS.md, "Spanish readability formulas".
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import textstat
import yaml

from widgets.content_files import content_dir, locales

ARTICLES = {
    "en": Path(__file__).resolve().parent.parent / "article" / "community-as-medicine-part-1.txt",
    "es": Path(__file__).resolve().parent.parent / "article" / "community-as-medicine-part-1.es.txt",
}
# "es/checkin.yaml" -> its file: every language's content files.
CONTENT_FILES = {
    f"{locale}/{path.name}": path
    for locale in locales()
    for path in sorted(content_dir(locale).glob("*.yaml"))
}
# The Spanish bars on the INFLESZ scale (Szigriszt-Pazos: higher is easier).
SPANISH_FILE_EASE = 65.0
SPANISH_LONG_STRING_EASE = 55.0

FILE_GRADE_LIMIT = 8.0
LONG_STRING_WORDS = 25
LONG_STRING_GRADE_LIMIT = 9.0

# Keys whose values are identifiers or file names: the workbook reads them, people don't.
IDENTIFIER_KEYS = frozenset(
    {
        "id",
        "slug",
        "notebook",
        "welcome_notebook",
        "summary_notebook",
        "safe_when",  # connection_map: the scale choice that counts as "feels safe"
        "part_of",  # crowding: the activity a part belongs to
        "feeds",  # crowding: the cycle steps a pattern feeds
        "grow_order",  # sharing_load: supports in the order gaps are suggested
        "means",  # withdrawal: what an answer stands for
        "standing",  # safety_check: what an answer stands for
    }
)
IDENTIFIER = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.ipynb)?$")

# Keys with "article" in their name that hold our own words about the article (a
# label, a source line, a plain retelling). Every other such key quotes the article.
OUR_WORDS_ABOUT_THE_ARTICLE = frozenset(
    {"article_source", "article_label", "article_credit", "article_meaning"}
)

# A citation in brackets: "(Hughes and others, 2004, Research on Aging 26(6))".
CITATION = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\b(?:19|20)\d\d\b(?:[^()]|\([^()]*\))*\)")

# What a {placeholder} stands for when measured: a plain word, or otherwise a number.
SAMPLE_WORDS = {
    "label": "Sam",
    "relationship": "Sam",
    "strategy": "Staying home",
    "kind": "Friend",
    "circle": "Close circle",
    "ratings": "Can be real.",
    "text": "a note",
    "created": "May 3",
    "last": "May 9",
    "part": "Deep talks",
    "whole": "Time with people",
    "activity": "Chores",
    "pattern": "Busy days",
    "patterns": "busy days",
    "support": "encouragement",
    "gaps": "encouragement",
}
SAMPLE_WORDS_ES = {
    "label": "Ana",
    "relationship": "Ana",
    "strategy": "Quedarse en casa",
    "kind": "Amistad",
    "circle": "Círculo cercano",
    "ratings": "Puedo ser yo.",
    "text": "una nota",
    "created": "3 de mayo",
    "last": "9 de mayo",
    "part": "Charlas a fondo",
    "whole": "Tiempo con otras personas",
    "activity": "Tareas de la casa",
    "pattern": "Días muy ocupados",
    "patterns": "días muy ocupados",
    "support": "ánimo",
    "gaps": "ánimo",
}
SAMPLE_NUMBER = "4"

END_PUNCTUATION = re.compile(r"[.!?][\"”’)]*$")


@dataclass(frozen=True)
class Found:
    """One string value of a content file, with where it sits."""

    file: str
    """``LANG/NAME.yaml``."""
    path: tuple[str | int, ...]
    text: str

    @property
    def locale(self) -> str:
        return self.file.split("/", 1)[0]

    @property
    def where(self) -> str:
        return f"{self.file}: " + ".".join(str(part) for part in self.path)


def _strings(node: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index))


def _key(path: tuple[str | int, ...]) -> str:
    """The nearest key name above a value (a list's key for its items)."""
    return next((part for part in reversed(path) if isinstance(part, str)), "")


def _kind(file: str, path: tuple[str | int, ...]) -> str:
    """Sort a string into "identifier", "article quote", "heading" or "text"."""
    file = file.split("/", 1)[-1]
    key = _key(path)
    if key in IDENTIFIER_KEYS:
        return "identifier"
    if len(path) >= 3 and path[-3] == "candidates" and key == "activity":
        return "identifier"  # crowding: a routine names an hours activity by its id
    if "article" in key and key not in OUR_WORDS_ABOUT_THE_ARTICLE:
        return "article quote"
    if file == "sections.yaml" and key == "title":
        return "heading"  # the nine section headings, as the article gives them
    if file == "workbook.yaml" and path == ("title",):
        return "heading"  # the article's own title
    return "text"


def _collect(kind: str) -> list[Found]:
    found = []
    for name, content_file in CONTENT_FILES.items():
        data = yaml.safe_load(content_file.read_text(encoding="utf-8"))
        for path, text in _strings(data):
            if _kind(name, path) == kind:
                found.append(Found(name, path, text))
    return found


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _fill_placeholders(text: str, locale: str = "en") -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    words = SAMPLE_WORDS_ES if locale == "es" else SAMPLE_WORDS
    return text.format_map({name: words.get(name, SAMPLE_NUMBER) for name in names})


def _as_measured(text: str, locale: str = "en") -> str:
    """The string as read: citations out, placeholders filled, ending as a sentence."""
    text = _normalise(_fill_placeholders(CITATION.sub("", text), locale))
    if not END_PUNCTUATION.search(text):
        text = text.rstrip(":;,") + "."
    return text


def _grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def szigriszt_pazos(text: str) -> float:
    """Szigriszt-Pazos (INFLESZ) of a Spanish text; textstat's language is set back to English after."""
    textstat.set_lang("es")
    try:
        return float(textstat.szigriszt_pazos(text))
    finally:
        textstat.set_lang("en_US")


def _words(text: str) -> int:
    return int(textstat.lexicon_count(text))


def _measured_strings(file: str) -> list[Found]:
    return [
        Found(found.file, found.path, _as_measured(found.text, found.locale))
        for found in _collect("text")
        if found.file == file
    ]


def _file_text(file: str) -> str:
    return " ".join(found.text for found in _measured_strings(file))


def file_grades() -> dict[str, float]:
    """Each English content file's grade as a whole (handy to print while rewording)."""
    return {name: round(_grade(_file_text(name)), 2) for name in FILE_IDS}


def spanish_ease() -> dict[str, float]:
    """Each Spanish content file's Szigriszt-Pazos as a whole."""
    return {name: round(szigriszt_pazos(_file_text(name)), 1) for name in SPANISH_FILE_IDS}


FILE_IDS = [name for name in CONTENT_FILES if name.startswith("en/")]
SPANISH_FILE_IDS = [name for name in CONTENT_FILES if name.startswith("es/")]


@pytest.mark.parametrize("file", SPANISH_FILE_IDS)
def test_each_spanish_file_reads_as_fairly_easy(file):
    text = _file_text(file)
    assert _words(text) > 0, f"{file}: no participant text found to measure"
    ease = szigriszt_pazos(text)
    assert ease >= SPANISH_FILE_EASE, f"{file}: Szigriszt-Pazos {ease:.1f}; all files: {spanish_ease()}"


@pytest.mark.parametrize("file", SPANISH_FILE_IDS)
def test_every_long_spanish_string_reads_as_normal_or_easier(file):
    too_hard = [
        f"{found.where} ({szigriszt_pazos(found.text):.1f}): {found.text!r}"
        for found in _measured_strings(file)
        if _words(found.text) >= LONG_STRING_WORDS and szigriszt_pazos(found.text) < SPANISH_LONG_STRING_EASE
    ]
    assert not too_hard, "\n".join(too_hard)


@pytest.mark.parametrize("file", FILE_IDS)
def test_each_content_file_reads_at_grade_8_or_below(file):
    text = _file_text(file)
    assert _words(text) > 0, f"{file}: no participant text found to measure"
    grade = _grade(text)
    all_grades = ", ".join(f"{name} {value}" for name, value in file_grades().items())
    assert grade <= FILE_GRADE_LIMIT, (
        f"{file} reads at Flesch-Kincaid grade {grade:.2f}, above {FILE_GRADE_LIMIT}. "
        f"Hardest strings: "
        + "; ".join(
            f"{found.where} (grade {_grade(found.text):.1f}): {found.text!r}"
            for found in sorted(_measured_strings(file), key=lambda f: -_grade(f.text))[:5]
        )
        + f". All files: {all_grades}"
    )


@pytest.mark.parametrize("file", FILE_IDS)
def test_every_long_string_reads_at_grade_9_or_below(file):
    long_strings = [found for found in _measured_strings(file) if _words(found.text) >= LONG_STRING_WORDS]
    too_hard = [
        f"{found.where} (grade {_grade(found.text):.2f}, {_words(found.text)} words): {found.text!r}"
        for found in long_strings
        if _grade(found.text) > LONG_STRING_GRADE_LIMIT
    ]
    assert not too_hard, (
        f"{file}: {len(too_hard)} string(s) of {LONG_STRING_WORDS}+ words above grade "
        f"{LONG_STRING_GRADE_LIMIT}:\n" + "\n".join(too_hard)
    )


def test_every_excluded_quote_is_verbatim_article_text():
    # Only the article's own words may skip the measure; anything else under an
    # "article" key must be measured (add its key to OUR_WORDS_ABOUT_THE_ARTICLE).
    articles = {locale: _normalise(path.read_text(encoding="utf-8")) for locale, path in ARTICLES.items()}
    quotes = _collect("article quote")
    assert len(quotes) >= 20, [found.where for found in quotes]
    not_in_article = [
        f"{found.where}: {found.text!r}"
        for found in quotes
        if _normalise(found.text) not in articles[found.locale]
    ]
    assert not not_in_article, "excluded as article quotes but not found in the article:\n" + "\n".join(
        not_in_article
    )


def test_every_excluded_heading_is_an_article_line():
    headings = _collect("heading")
    assert len(headings) == 10 * len(ARTICLES), [found.where for found in headings]  # title, nine headings
    lines = {locale: set(path.read_text(encoding="utf-8").splitlines()) for locale, path in ARTICLES.items()}
    assert [found.where for found in headings if found.text.strip() not in lines[found.locale]] == []


def test_every_excluded_identifier_is_an_identifier():
    identifiers = _collect("identifier")
    assert identifiers
    not_identifiers = [found.where for found in identifiers if not IDENTIFIER.match(found.text)]
    assert not_identifiers == []


def test_only_citations_are_cut_from_measured_text():
    cut = [
        (found.where, match.group().strip())
        for found in _collect("text")
        for match in CITATION.finditer(found.text)
    ]
    assert cut == [
        ("en/checkin.yaml: source_note", "(Hughes and others, 2004, Research on Aging 26(6))"),
        ("es/checkin.yaml: source_note", "(Hughes y otros, 2004, Research on Aging 26(6))"),
    ]


def test_measuring_fills_placeholders_and_ends_sentences():
    assert _as_measured("You answered {answered} of {total}") == "You answered 4 of 4."
    assert _as_measured("Remove {label}") == "Remove Sam."
    assert _as_measured("One idea to try:") == "One idea to try."
    assert _as_measured("Are you sure?") == "Are you sure?"
    assert _as_measured("Saying “I'm fine”") == "Saying “I'm fine”."
