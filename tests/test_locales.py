"""Every language's content files mirror the English ones and load with the same schemas.

A translator adds a folder under ``widgets/content/``; these tests tell them, file by file and field by
field, what their files lack, add or change that is not words (see ``locale_parity.py``).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel import Locale
from locale_parity import differences
from pydantic import BaseModel
from section_contents import SECTION_CONTENTS

from widgets.content_files import (
    CONTENT_DIR,
    DEFAULT_LOCALE,
    ContentModel,
    Unit,
    content_dir,
    load_file,
    locales,
)
from widgets.room.content import RoomContent
from widgets.server.slides_window import SlidesWindowContent
from widgets.workbook_content import CrisisContent, SectionsContent, WorkbookContent, load_content

SCHEMAS: dict[str, type[ContentModel]] = {
    "crisis": CrisisContent,
    "workbook": WorkbookContent,
    "sections": SectionsContent,
    "room": RoomContent,
    "slides_window": SlidesWindowContent,
    **SECTION_CONTENTS,
}
TRANSLATIONS = [locale for locale in locales() if locale != DEFAULT_LOCALE]


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _departures(name: str, translated: Any) -> list[str]:
    english = _read(CONTENT_DIR / f"{name}.yaml")
    return list(differences(english, translated, SCHEMAS[name], f"{name}.yaml"))


def test_the_workbook_has_english_and_spanish():
    assert locales()[:1] == ("en",)
    assert "es" in locales()
    with pytest.raises(ValueError, match="no content in 'xx'"):
        content_dir("xx")


def test_every_content_file_has_a_schema():
    assert {path.stem for path in CONTENT_DIR.glob("*.yaml")} == set(SCHEMAS)


@pytest.mark.parametrize("locale", TRANSLATIONS)
def test_a_language_has_every_file_and_no_other(locale):
    assert sorted(path.name for path in content_dir(locale).glob("*.yaml")) == sorted(
        path.name for path in CONTENT_DIR.glob("*.yaml")
    )


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@pytest.mark.parametrize("locale", TRANSLATIONS)
def test_a_translation_keeps_everything_that_is_not_words(locale, name):
    translated = _read(content_dir(locale) / f"{name}.yaml")
    assert _departures(name, translated) == []
    load_file(content_dir(locale) / f"{name}.yaml", SCHEMAS[name])


@pytest.mark.parametrize("locale", TRANSLATIONS)
def test_a_language_loads_as_one_workbook(locale):
    content = load_content(content_dir(locale))
    english = load_content(CONTENT_DIR)
    assert [section.slug for section in content.sections.sections] == [
        section.slug for section in english.sections.sections
    ]


def _edited(name: str, change) -> Any:
    data = copy.deepcopy(_read(content_dir("es") / f"{name}.yaml"))
    change(data)
    return data


@pytest.mark.parametrize(
    ("name", "change", "found"),
    [
        ("checkin", lambda d: d.pop("restart_label"), "checkin.yaml:restart_label: missing"),
        ("checkin", lambda d: d.update(extra="palabras"), "checkin.yaml:extra: not in the English file"),
        ("checkin", lambda d: d["options"][0].update(id="casi-nunca"), "options[0].id: 'hardly-ever' is not"),
        ("checkin", lambda d: d["options"].pop(), "checkin.yaml:options: 3 entries in English, 2 here"),
        ("checkin", lambda d: d["options"][1].update(score=5), "options[1].score: 2 is not words"),
        ("checkin", lambda d: d.update(answered_line="{answered}."), "answered_line: placeholders"),
        ("beliefs", lambda d: d.update(more_line="{count} y {total}"), "more_line: placeholders ['count']"),
        ("sections", lambda d: d["sections"][2].update(slug="alejarse"), "sections[2].slug: 'protective-"),
        ("crowding", lambda d: d["patterns"]["options"][0]["feeds"].reverse(), "options[0].feeds[0]: "),
        ("sections", lambda d: d.update(welcome_notebook="00-hola.ipynb"), "welcome_notebook: '00-welcome"),
        ("beliefs", lambda d: d["group"]["agreement"].update(unit="de 5"), "agreement.unit: placeholders"),
        (
            "checkin",
            lambda d: d["group"]["average"].update(unit={"one": "de {highest}", "other": "de {top}"}),
            "checkin.yaml:group.average.unit.other: placeholders ['highest'] became ['top']",
        ),
    ],
)
def test_what_a_translation_may_not_change_is_found(name, change, found):
    departures = _departures(name, _edited(name, change))
    assert any(found in departure for departure in departures), departures


def test_a_language_gives_a_units_forms_its_own_plural_rule_needs():
    # One text where its words do not change with the number, or other categories: not a departure.
    plain = _edited("checkin", lambda d: d["group"]["bands"].update(unit="personas"))
    more = _edited("checkin", lambda d: d["group"]["bands"]["unit"].update(many="de personas"))
    assert _departures("checkin", plain) == _departures("checkin", more) == []


def _units(value: object, where: str) -> list[tuple[str, Unit]]:
    """Every unit a loaded file holds, at any depth, with its place."""
    if isinstance(value, Unit):
        return [(where, value)]
    if isinstance(value, BaseModel):
        held: Any = ((name, getattr(value, name)) for name in type(value).model_fields)
    elif isinstance(value, list | tuple):
        held = enumerate(value)
    elif isinstance(value, dict):
        held = value.items()
    else:
        return []
    return [found for key, item in held for found in _units(item, f"{where}.{key}")]


@pytest.mark.parametrize("locale", locales())
def test_every_unit_names_only_plural_categories_its_language_has(locale):
    # Babel's rule for the language picks the form: a category it never picks would never be shown.
    categories = {*Locale.parse(locale).plural_form.tags, "other"}
    units = [
        (where, unit)
        for name, schema in SCHEMAS.items()
        for where, unit in _units(load_file(content_dir(locale) / f"{name}.yaml", schema), name)
    ]
    assert len(units) >= 20  # the walk reached every group figure's unit and the charts'
    assert [(where, unit.forms) for where, unit in units if not set(unit.forms) <= categories] == []
    assert any(unit.one for _, unit in units)


def test_a_language_brings_its_own_crisis_lines():
    english, spanish = (_read(content_dir(locale) / "crisis.yaml") for locale in ("en", "es"))
    assert len(spanish["lines"]) != len(english["lines"]) or spanish["lines"] != english["lines"]
    assert _departures("crisis", spanish) == []


def test_the_spanish_article_mirrors_the_english_line_by_line():
    article = Path(__file__).resolve().parents[1] / "article"
    english = (article / "community-as-medicine-part-1.txt").read_text(encoding="utf-8").splitlines()
    spanish = (article / "community-as-medicine-part-1.es.txt").read_text(encoding="utf-8").splitlines()
    assert len(spanish) == len(english)
    assert all(line.strip() for line in spanish)
    # Each section's title is the article's heading at the same line in both languages.
    english_titles = [section.title for section in load_content(CONTENT_DIR).sections.sections]
    spanish_titles = [section.title for section in load_content(content_dir("es")).sections.sections]
    assert [spanish.index(title) for title in spanish_titles] == [
        english.index(title) for title in english_titles
    ]
