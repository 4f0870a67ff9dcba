"""How one content file (``widgets/content/LANG/NAME.yaml``) is read and checked.

The words come in one folder per language (``en``, ``es``: a language tag, as Babel and browsers
write it), each holding the same files with the same ids, checked by the same schemas; a language is
added by adding its folder (:func:`locales`, :func:`content_dir`), never code.

Every content file has a pydantic model as its schema, built on :class:`ContentModel` from the field
types here. A file that does not match its schema raises :class:`ContentError` naming the file, the
field and the problem, so a facilitator who edits wording finds a mistake at once, not mid-session.
The files every page reads are gathered in :mod:`widgets.workbook_content`; each activity's schema
lives in its model module (``widgets/sections/NAME/model.py``).

A text the code fills in names its ``{placeholders}`` on its field, as
``Annotated[Text, Placeholders("answered", "total")]`` (see :class:`Placeholders`); a list whose
entries each need their own id says so the same way, as ``Annotated[list[Item], OwnIds("item")]``
(see :class:`OwnIds`).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar, cast, get_args

import yaml
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, StringConstraints, ValidationError
from pydantic_core import CoreSchema, core_schema

__all__ = [
    "CONTENT_DIR",
    "CONTENT_ROOT",
    "DEFAULT_LOCALE",
    "ContentError",
    "ContentModel",
    "Identifier",
    "NotebookName",
    "OwnIds",
    "Placeholders",
    "PlainText",
    "Text",
    "content_dir",
    "file_version",
    "load_activity_content",
    "load_file",
    "locales",
    "placeholders_of",
]

CONTENT_ROOT = Path(__file__).parent / "content"
DEFAULT_LOCALE = "en"  # the language the workbook was written in; every other folder mirrors it
CONTENT_DIR = CONTENT_ROOT / DEFAULT_LOCALE

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
NotebookName = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}-[a-z0-9-]+\.ipynb$")]


def locales() -> tuple[str, ...]:
    """The languages the workbook has: each folder of ``content/`` with a ``sections.yaml``, English first."""
    found = {folder.name for folder in CONTENT_ROOT.iterdir() if (folder / "sections.yaml").is_file()}
    return (DEFAULT_LOCALE, *sorted(found - {DEFAULT_LOCALE}))


def content_dir(locale: str = DEFAULT_LOCALE) -> Path:
    """The folder of ``locale``'s content files; ``ValueError`` for a language the workbook lacks."""
    if locale not in locales():
        raise ValueError(f"no content in {locale!r}; the workbook has {', '.join(locales())}")
    return CONTENT_ROOT / locale


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match its schema."""


class ContentModel(BaseModel):
    """The base of every content file's schema: no unknown fields, frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=ContentModel)


@dataclass(frozen=True, init=False)
class Placeholders:
    """The ``{names}`` a text may use, declared on its field: ``Annotated[Text, Placeholders("count")]``.

    The code fills a text in with ``str.format`` and the names it passes, so any other ``{name}`` in
    the file is a mistake, refused as the file loads: "unknown placeholder(s) [...]; allowed here:
    [...]", at the field's place in the file. ``Placeholders()`` allows none. The names are declared
    once, beside the field, rather than in a validator written for each model, so the schema itself
    says which names each text may use: :func:`placeholders_of` reads them back, and a translator's
    file, checked by the same schema, is held to the same names. It works wherever the annotated type
    goes: a field, the items of a ``list[...]`` or ``dict[...]``, or an optional field.
    """

    names: frozenset[str]

    def __init__(self, *names: str) -> None:
        object.__setattr__(self, "names", frozenset(names))

    def __repr__(self) -> str:
        return f"Placeholders({', '.join(map(repr, sorted(self.names)))})"

    def check(self, text: str) -> str:
        """Return ``text``, or raise ``ValueError`` if it uses a ``{name}`` not declared here."""
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        unknown = used - self.names
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}; allowed here: {sorted(self.names) or 'none'}"
            )
        return text

    def __get_pydantic_core_schema__(self, source_type: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # Checked after the text's own constraints (so on the stripped text).
        return core_schema.no_info_after_validator_function(self.check, handler(source_type))


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Entries = TypeVar("_Entries", bound=Sequence[_HasId])


@dataclass(frozen=True)
class OwnIds:
    """A list whose entries each need their own id, declared on its field: ``OwnIds("option")``.

    As in ``options: Annotated[list[AnswerOption], OwnIds("option")] = Field(min_length=2)``.
    Answers are kept under these ids, so two alike would mix them up: a file with two is refused as
    it loads, "every option needs its own id, got [...]", at the list's place in the file.
    """

    kind: str
    """What one entry is called in the message: "every {kind} needs its own id"."""

    def check(self, entries: _Entries) -> _Entries:
        """Return ``entries``, or raise ``ValueError`` if two of them share an id."""
        ids = [entry.id for entry in entries]
        if len(set(ids)) != len(ids):
            raise ValueError(f"every {self.kind} needs its own id, got {ids}")
        return entries

    def __get_pydantic_core_schema__(self, source_type: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # Checked after the list and its entries are valid, so every entry has an id to compare.
        return core_schema.no_info_after_validator_function(self.check, handler(source_type))


PlainText = Annotated[Text, Placeholders()]
"""A text that may use no ``{placeholders}``: it is shown as written."""


def _declared(annotation: Any) -> frozenset[str] | None:
    # Walks Annotated[...], list[...], dict[...] and X | None for the first Placeholders inside.
    for part in get_args(annotation):
        if isinstance(part, Placeholders):
            return part.names
        found = _declared(part)
        if found is not None:
            return found
    return None


def placeholders_of(model: type[BaseModel], field_name: str) -> frozenset[str] | None:
    """The ``{names}`` the texts of ``model.field_name`` may use, as declared with :class:`Placeholders`.

    Read from the field's type, or its items' (a list or dict of texts, an optional text). ``None``
    when the field declares none (it is not checked); an empty set when it allows none.

    Raises
    ------
    KeyError
        If ``model`` has no field called ``field_name``.
    """
    field = model.model_fields[field_name]
    for part in field.metadata:
        if isinstance(part, Placeholders):
            return part.names
    return _declared(field.annotation)


def _describe(error: ValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(whole file)"
        problems.append(f"{where}: {problem['msg']}")
    return "; ".join(problems)


def load_file(path: Path, schema: type[M]) -> M:
    """Read the YAML file at ``path`` and check it against ``schema``, or raise :class:`ContentError`."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: the content file is missing") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: could not be read: {error}") from None
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: (whole file): expected a mapping of fields, got {type(raw).__name__}")
    try:
        return schema.model_validate(raw)
    except ValidationError as error:
        raise ContentError(f"{path}: {_describe(error)}") from None


def file_version(path: Path) -> int:
    """A file's version (its modification time), or -1 when it cannot be read.

    Loaded files are cached per version, so a server whose warm parent loaded the content at its start
    still gives new pages the words a facilitator has just edited.
    """
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=64)
def _load_activity_cached(path: Path, schema: type[ContentModel], _stamp: int) -> ContentModel:
    return load_file(path, schema)


def load_activity_content(name: str, schema: type[M], directory: str | Path | None = None) -> M:
    """Load and validate one activity's content file, ``content/LANG/NAME.yaml``.

    Parameters
    ----------
    name
        The file's name without ``.yaml``.
    schema
        The pydantic model (a :class:`ContentModel`) the file must match.
    directory
        Folder holding the content files (:func:`content_dir`); the English ones by default.

    Raises
    ------
    ContentError
        As for :func:`widgets.workbook_content.load_content`.
    """
    path = Path(directory or CONTENT_DIR).resolve() / f"{name}.yaml"
    # The cache keeps the schema's own class: what comes back is a ``schema``, as load_file made it.
    return cast(M, _load_activity_cached(path, schema, file_version(path)))
