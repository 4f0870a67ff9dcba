"""Placeholders declared on a field: refused when unknown, read back from the schema."""

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
    load_activity_content,
    load_file,
    placeholders_of,
)
from widgets.room.content import FacilitatorText, RoomContent, ShareText, load_room_content
from widgets.room.figures import GroupWords
from widgets.sections.beliefs.model import BeliefsContent
from widgets.sections.checkin.model import CheckinGroupWords, OftenWords
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
