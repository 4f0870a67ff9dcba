"""Whether a language's content files mirror the English ones, read through their schemas.

A translated file must keep everything that is not words: the same keys, the same number of entries in
every list (answers are counted and compared across languages), every id, number, flag and chosen
value unchanged (a Spanish answer means what the English one means, so group figures can combine
them), and in each text the same ``{placeholders}`` as the English text. What is words (a field typed
as text) may differ. The schema says which is which: a string field with a pattern (``Identifier``,
``NotebookName``) or a ``Literal`` is an id; a plain ``Text`` is words. A ``Unit`` is words too, one
text or its forms by plural category: a language gives the forms its own plural rule needs (English a
mapping, another language one text, or more categories), so only each form's placeholders are compared.
"""

from __future__ import annotations

import string
import types
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, StringConstraints

from widgets.content_files import Unit

# Lists a language fills with its own entries: the crisis lines are the lines for its speakers.
OWN_ENTRIES = {"crisis.yaml:lines"}


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _unwrapped(annotation: Any, metadata: tuple[Any, ...] = ()) -> tuple[Any, tuple[Any, ...]]:
    """The type under ``Annotated[...]`` and ``X | None``, with every constraint found on the way."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation, *extra = get_args(annotation)
            metadata = (*metadata, *extra)
        elif get_origin(annotation) in (Union, types.UnionType):
            arms = [arm for arm in get_args(annotation) if arm is not type(None)]
            annotation = arms[0]
        else:
            return annotation, metadata


def _child(where: str, name: str) -> str:
    """``crisis.yaml`` + ``lines`` -> ``crisis.yaml:lines``; then ``crisis.yaml:lines[0].how``."""
    return f"{where}{'.' if ':' in where else ':'}{name}"


def _is_id(annotation: Any, metadata: tuple[Any, ...]) -> bool:
    patterned = any(isinstance(item, StringConstraints) and item.pattern for item in metadata)
    return patterned or get_origin(annotation) is Literal or annotation in (int, float, bool)


def differences(english: Any, other: Any, annotation: Any, where: str) -> Iterator[str]:
    """Each way ``other`` (a translation) departs from ``english`` under ``annotation``, as a sentence."""
    kind, metadata = _unwrapped(annotation)
    if english is None or other is None:
        if (english is None) != (other is None):
            yield f"{where}: given in one language only"
        return
    origin = get_origin(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        yield from _model_differences(english, other, kind, where)
    elif origin is list:
        yield from _list_differences(english, other, get_args(kind)[0], where)
    elif origin is dict:
        yield from _dict_differences(english, other, get_args(kind)[1], where)
    elif _is_id(kind, metadata):
        if english != other:
            yield f"{where}: {english!r} is not words and must stay as it is, found {other!r}"
    else:
        yield from _words_differences(english, other, kind, where)


def _words_differences(english: Any, other: Any, kind: Any, where: str) -> Iterator[str]:
    """Words may differ; the ``{placeholders}`` they use may not (a unit's: in each of its forms)."""
    if kind is Unit:
        yield from _unit_differences(english, other, where)
    elif isinstance(english, str) and isinstance(other, str):
        before, after = sorted(placeholders(english)), sorted(placeholders(other))
        if before != after:
            yield f"{where}: placeholders {before} became {after}"


def _forms(unit: Any) -> dict[str, str]:
    """A unit's texts as a file gives them: by plural category, or one text under ``other``."""
    given = unit if isinstance(unit, dict) else {"other": unit}
    return {str(category): text for category, text in given.items() if isinstance(text, str)}


def _unit_differences(english: Any, other: Any, where: str) -> Iterator[str]:
    wanted = sorted(set().union(*map(placeholders, _forms(english).values())))
    plain = not isinstance(other, dict)
    for category, text in _forms(other).items():
        found = sorted(placeholders(text))
        if found != wanted:
            yield f"{where if plain else _child(where, category)}: placeholders {wanted} became {found}"


def _model_differences(english: Any, other: Any, model: type[BaseModel], where: str) -> Iterator[str]:
    if not isinstance(english, dict) or not isinstance(other, dict):
        yield f"{where}: expected a mapping"
        return
    for key in sorted(set(english) - set(other)):
        yield f"{_child(where, key)}: missing"
    for key in sorted(set(other) - set(english)):
        yield f"{_child(where, key)}: not in the English file"
    for name, field in model.model_fields.items():
        if name in english and name in other:
            annotation = (
                Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
            )
            yield from differences(english[name], other[name], annotation, _child(where, name))


def _list_differences(english: Any, other: Any, item: Any, where: str) -> Iterator[str]:
    if not isinstance(english, list) or not isinstance(other, list):
        yield f"{where}: expected a list"
    elif where in OWN_ENTRIES:
        return
    elif len(english) != len(other):
        yield f"{where}: {len(english)} entries in English, {len(other)} here"
    else:
        for number, (first, second) in enumerate(zip(english, other, strict=True)):
            yield from differences(first, second, item, f"{where}[{number}]")


def _dict_differences(english: Any, other: Any, value: Any, where: str) -> Iterator[str]:
    if not isinstance(english, dict) or not isinstance(other, dict):
        yield f"{where}: expected a mapping"
        return
    if set(english) != set(other):
        yield f"{where}: keys {sorted(english)} became {sorted(other)}"
    for key in sorted(set(english) & set(other)):
        yield from differences(english[key], other[key], value, _child(where, key))
