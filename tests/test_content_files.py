"""Placeholders declared on a field: refused when unknown, read back from the schema; units' forms."""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import pytest
import yaml
from pydantic import BaseModel, Field, ValidationError
from section_contents import SECTION_CONTENTS

from widgets import load_content
from widgets.content_files import (
    CONTENT_DIR,
    ContentError,
    ContentModel,
    Identifier,
    Placeholders,
    PlainText,
    Text,
    Unit,
    amount,
    content_dir,
    counted,
    load_activity_content,
    load_file,
    locale_in_use,
    placeholders_of,
)
from widgets.room.content import FacilitatorText, RoomContent, ShareText, load_room_content
from widgets.room.figures import GroupWords
from widgets.sections.beliefs.model import BeliefsContent
from widgets.sections.checkin.model import CheckinGroupWords, OftenWords
from widgets.server.slides_window import load_slides_window_content
from widgets.workbook_content import PrivacyText


class Words(ContentModel):
    line: Annotated[Text, Placeholders("answered", "total")]
    plain: PlainText = "As written."
    points: list[Annotated[Text, Placeholders("days")]] = Field(default_factory=list)
    optional: Annotated[Text, Placeholders("name")] | None = None
    prompts: dict[Identifier, Annotated[Text, Placeholders("code")]] = Field(default_factory=dict)
    unchecked: Text = "Anything {goes}"


def _problem(**fields: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        Words(**{"line": "Fine.", **fields})
    [problem] = caught.value.errors()
    return f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}"


def test_allowed_placeholders_and_none_at_all_are_accepted():
    words = Words(line="  {answered} of {total}  ", points=["Kept {days} days", "No names"], optional=None)
    assert words.line == "{answered} of {total}"  # checked after the text is stripped
    assert Words(line="Just words.", optional="Hello {name}").optional == "Hello {name}"
    assert Words(line="{total}{total}").line == "{total}{total}"
    assert Words(line="Braces written {{like this}}").line == "Braces written {{like this}}"


def test_an_unknown_placeholder_is_refused_with_its_field_and_the_names_allowed():
    assert _problem(line="{answered} of {everyone}") == (
        "line: Value error, unknown placeholder(s) ['everyone']; allowed here: ['answered', 'total']"
    )
    assert (
        _problem(plain="Hi {name}")
        == "plain: Value error, unknown placeholder(s) ['name']; allowed here: none"
    )
    assert "unknown placeholder(s) ['0']" in _problem(line="{0} of {total}")  # a positional one too
    assert _problem(line="{answered of").startswith("line: Value error, expected '}'")  # not a template


def test_items_of_a_list_or_dict_and_an_optional_text_are_checked():
    assert _problem(points=["Kept {days} days", "for {weeks}"]).startswith(
        "points.1: Value error, unknown placeholder(s) ['weeks']; allowed here: ['days']"
    )
    assert _problem(prompts={"one": "Room {code}", "two": "Room {number}"}).startswith("prompts.two: ")
    assert _problem(optional="Hello {person}").startswith("optional: Value error, unknown placeholder")


def test_a_content_file_names_the_field_of_the_unknown_placeholder(tmp_path):
    path = tmp_path / "words.yaml"
    path.write_text(yaml.safe_dump({"line": "Fine.", "points": ["ok", "{weeks}"]}), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_file(path, Words)
    assert str(caught.value) == (
        f"{path}: points.1: Value error, unknown placeholder(s) ['weeks']; allowed here: ['days']"
    )


def test_placeholders_of_reads_back_what_a_field_declares():
    assert placeholders_of(Words, "line") == {"answered", "total"}
    assert placeholders_of(Words, "plain") == frozenset()
    assert placeholders_of(Words, "points") == {"days"}
    assert placeholders_of(Words, "optional") == {"name"}
    assert placeholders_of(Words, "prompts") == {"code"}
    assert placeholders_of(Words, "unchecked") is None
    with pytest.raises(KeyError):
        placeholders_of(Words, "nothing")
    assert repr(Placeholders("total", "answered")) == "Placeholders('answered', 'total')"


def test_placeholders_of_reads_the_workbooks_own_schemas():
    assert placeholders_of(BeliefsContent, "answered_line") == {"answered", "total"}
    assert placeholders_of(PrivacyText, "points") == {"retention_days", "backup_days"}
    assert placeholders_of(OftenWords, "title") == {"option"}
    assert placeholders_of(CheckinGroupWords, "often") is None  # a model, not a text
    assert placeholders_of(GroupWords, "title") is None
    assert placeholders_of(FacilitatorText, "joined") == {"joined", "expected"}
    assert placeholders_of(ShareText, "question") == frozenset()  # room.yaml: none unless named
    assert placeholders_of(RoomContent, "refusals") is None


# --- every content file: a text using {names} declares them ------------------------


def _loaded() -> dict[str, BaseModel]:
    content = load_content()
    loaded: dict[str, BaseModel] = {
        "crisis": content.crisis,
        "workbook": content.workbook,
        "sections": content.sections,
        "room": load_room_content(),
        "slides_window": load_slides_window_content(),
    }
    loaded.update({name: load_activity_content(name, schema) for name, schema in SECTION_CONTENTS.items()})
    return loaded


def _inside(value: object, where: str, into_models: bool) -> Iterator[tuple[str, object]]:
    """``value`` and all it holds (items, values, and with ``into_models`` a model's fields), with places."""
    yield where, value
    if isinstance(value, BaseModel) and into_models:
        held: Iterable[tuple[object, object]] = (
            (name, getattr(value, name)) for name in type(value).model_fields
        )
    elif isinstance(value, list | tuple):
        held = enumerate(value)
    elif isinstance(value, dict):
        held = value.items()
    elif isinstance(value, Unit):
        held = value.forms.items()
    else:
        return
    for key, item in held:
        yield from _inside(item, f"{where}.{key}", into_models)


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every text held by a field's value (itself, its items or its values), with its place."""
    return (
        (place, text) for place, text in _inside(value, where, into_models=False) if isinstance(text, str)
    )


def _models(value: object, where: str) -> Iterator[tuple[str, BaseModel]]:
    """Every model in a loaded file, at any depth, with its place."""
    return (
        (place, model)
        for place, model in _inside(value, where, into_models=True)
        if isinstance(model, BaseModel)
    )


def _used(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_content_file_is_walked():
    assert set(_loaded()) == {path.stem for path in CONTENT_DIR.glob("*.yaml")}


def test_every_text_that_uses_placeholders_declares_them():
    undeclared, walked = [], 0
    for name, loaded in _loaded().items():
        for where, model in _models(loaded, name):
            for field in type(model).model_fields:
                declared = placeholders_of(type(model), field)
                for place, text in _texts(getattr(model, field), f"{where}.{field}"):
                    walked += 1
                    used = _used(text)
                    if used and (declared is None or not used <= declared):
                        undeclared.append(f"{place}: uses {sorted(used)}, declares {declared}")
    assert walked > 500  # the walk reached the files' texts
    assert not undeclared, "\n".join(undeclared)


# --- units: one text, or a form for each plural category ------------------------------


class Counted(ContentModel):
    unit: Unit
    scale: Annotated[Unit, Placeholders("highest")] = Unit("out of 5")


def test_a_unit_is_one_text_or_its_forms_by_plural_category(tmp_path):
    path = tmp_path / "counted.yaml"
    path.write_text("unit: {one: person, other: people}\nscale: out of {highest}\n", encoding="utf-8")
    loaded = load_file(path, Counted)
    assert loaded.unit == Unit(one="person", other="people")
    assert loaded.scale == Unit("out of {highest}")
    assert loaded.scale.format(highest=3) == Unit("out of 3")
    assert Counted(unit={"few": " a few ", "other": "many"}).unit.forms == {"few": "a few", "other": "many"}


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        (
            "unit: {one: person}",
            "unit: Value error, a unit's forms need 'other' (the form most numbers take); got only ['one']",
        ),
        (
            "unit: {one: person, plural: people, other: people}",
            "unit: Value error, unknown plural category ['plural']; "
            "a unit's forms are named by CLDR's: zero, one, two, few, many, other",
        ),
        ("unit: {one: '', other: people}", "unit: Value error, the form 'one' needs words"),
        ("unit: ''", "unit: Value error, a unit needs words"),
        ("unit: [person, people]", "unit: Value error, a unit is a text, or its forms by plural category"),
        (
            "unit: people\nscale: {one: 'point of {top}', other: 'points of {highest}'}",
            "scale: Value error, unknown placeholder(s) ['top']; allowed here: ['highest']",
        ),
    ],
)
def test_a_unit_without_other_or_with_an_unknown_category_names_file_and_field(tmp_path, written, problem):
    path = tmp_path / "counted.yaml"
    path.write_text(written + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_file(path, Counted)
    assert str(caught.value).startswith(f"{path}: {problem}")


PEOPLE = Unit(one="person", other="people")
PERSONAS = Unit(one="persona", other="personas")


@pytest.mark.parametrize(
    ("number", "unit", "locale", "written"),
    [
        (1, PEOPLE, "en", "1 person"),
        (1.0, PEOPLE, "en", "1 person"),
        (2, PEOPLE, "en", "2 people"),
        (0, PEOPLE, "en", "0 people"),
        (2.5, Unit(one="hour a week", other="hours a week"), "en", "2.5 hours a week"),
        (0.5, PEOPLE, "en", "0.5 people"),  # not whole: "other", by English's own rule
        (1, PERSONAS, "es", "1 persona"),
        (2, PERSONAS, "es", "2 personas"),
        (1, Unit(one="hora a la semana", other="horas a la semana"), "es", "1 hora a la semana"),
        (1.5, PERSONAS, "es", "1.5 personas"),
        (1, Unit("out of 5"), "en", "1 out of 5"),  # one text: the same for every number
        (3.25, Unit(""), "en", "3.25"),  # no words: the number alone
        (0.9999999, PEOPLE, "en", "1 person"),  # agrees with the number as written (%g)
    ],
)
def test_amount_writes_the_number_with_the_form_its_language_gives_it(number, unit, locale, written):
    assert amount(number, unit, locale) == written


def test_the_form_is_the_languages_own_rule_from_babel_not_english_for_all():
    # Polish has one, few, many and other; a category a unit does not give takes "other".
    osoby = Unit(one="osoba", few="osoby", many="osób", other="osoby")
    assert [amount(n, osoby, "pl") for n in (1, 2, 5, 22, 1.5)] == [
        "1 osoba",
        "2 osoby",
        "5 osób",
        "22 osoby",
        "1.5 osoby",
    ]
    assert amount(5, Unit(one="osoba", other="osoby"), "pl") == "5 osoby"
    # Without a language given, the page's.
    with locale_in_use("es"):
        assert amount(1, Unit(one="uno", other="otros")) == "1 uno"
        assert Unit(one="uno", other="otros").form(2) == "otros"


def test_a_unit_reads_back_from_a_release_as_its_forms_or_an_older_one_text():
    assert Unit.from_json("people") == Unit("people")
    kept = {"other": "people", "zero": None, "one": "person", "two": None, "few": None, "many": None}
    assert Unit.from_json(kept) == PEOPLE
    with pytest.raises(ValueError, match="need 'other'"):
        Unit.from_json({"one": "person"})


@pytest.mark.parametrize("locale", ["en", "es"])
def test_every_unit_that_changes_with_the_number_gives_its_forms(locale):
    # The content's counts of people and hours say "1 person", "1 hour": never "1 people".
    counts = {"people", "hours", "personas", "horas"}
    with locale_in_use(locale):
        loaded = _loaded()
    units = [
        (where, unit)
        for name, file in loaded.items()
        for where, unit in _inside(file, name, into_models=True)
        if isinstance(unit, Unit) and unit.other.split()[0] in counts
    ]
    assert len(units) >= 15
    assert [where for where, unit in units if unit.one is None] == []


# --- sentences about a count: counted() picks the form and fills it in ---------------------


def test_counted_fills_in_the_form_its_number_takes_in_each_language():
    english = load_room_content().facilitator
    spanish = load_activity_content("room", RoomContent, content_dir("es")).facilitator
    assert counted(english.join_waiting, 1, waiting=1, expected=12) == (
        "1 more person is asking to join. You expected 12."
    )
    assert counted(english.join_waiting, 2, waiting=2, expected=12) == (
        "2 more people are asking to join. You expected 12."
    )
    assert counted(english.join_waiting, 0, waiting=0, expected=12).startswith("0 more people are")
    # The form is the language's rule, not English's: Spanish's words and its own categories.
    assert counted(spanish.joined, 1, "es", joined=1, expected=12) == "Se unió 1 de 12 personas esperadas"
    assert counted(spanish.joined, 2, "es", joined=2, expected=12) == "Se unieron 2 de 12 personas esperadas"
    assert counted(spanish.shared, 1, "es", shared=1, joined=4) == "Compartió 1 de 4"
    assert counted(spanish.sharing_needed, 1, "es", needed=1) == "Falta 1"
    assert counted(spanish.sharing_needed, 3, "es", needed=3) == "Faltan 3"
    # Without a language given, the page's.
    with locale_in_use("es"):
        assert counted(spanish.joined, 1, joined=1, expected=12).startswith("Se unió 1 ")
    # What counted gives is a text, never a Unit: it can be compared with what a page shows.
    assert type(counted(english.joined, 3, joined=3, expected=5)) is str


def test_a_sentence_given_as_one_text_reads_the_same_for_every_number():
    sentence = Unit("{count} waiting")
    assert [counted(sentence, n, "en", count=n) for n in (0, 1, 2)] == ["0 waiting", "1 waiting", "2 waiting"]
    assert counted(sentence, 1, "es", count=1) == counted(sentence, 1, "en", count=1) == "1 waiting"
    update = load_room_content().presenting.update
    assert update == Unit(update.other)  # one text in English
    assert [counted(update, n, needed=4) for n in (1, 2, 5)] == [update.other.format(needed=4)] * 3


def test_a_room_file_whose_sentence_lacks_other_is_refused_naming_it(tmp_path):
    raw = yaml.safe_load((CONTENT_DIR / "room.yaml").read_text(encoding="utf-8"))
    assert set(raw["facilitator"]["join_waiting"]) == {"one", "other"}
    raw["facilitator"]["join_waiting"] = {"one": raw["facilitator"]["join_waiting"]["one"]}
    path = tmp_path / "room.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_file(path, RoomContent)
    assert str(caught.value) == (
        f"{path}: facilitator.join_waiting: Value error, a unit's forms need 'other' "
        "(the form most numbers take); got only ['one']"
    )
