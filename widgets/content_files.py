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

A unit, the words after a number, is a :class:`Unit`: one text where the words stay the same whatever
the number ("out of {highest}"), or its forms by plural category where they change
(``{one: person, other: people}``); :func:`amount` writes a number with the form that agrees with it.
A sentence about a count is a :class:`Unit` too (``{one: 1 more person is asking, other: {waiting} more
people are asking}``): :func:`counted` picks the form its number takes and fills it in.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar, cast, get_args

import yaml
from babel import Locale
from babel.plural import PluralRule
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, StringConstraints, ValidationError
from pydantic_core import CoreSchema, core_schema

__all__ = [
    "CONTENT_DIR",
    "CONTENT_ROOT",
    "DEFAULT_LOCALE",
    "PLURAL_CATEGORIES",
    "ContentError",
    "ContentModel",
    "Identifier",
    "NotebookName",
    "OwnIds",
    "Placeholders",
    "PlainText",
    "Text",
    "Unit",
    "amount",
    "content_dir",
    "counted",
    "file_version",
    "load_activity_content",
    "load_file",
    "locale_in_use",
    "locales",
    "notebook_in",
    "page_content_dir",
    "page_locale",
    "placeholders_of",
    "use_locale",
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


_page_locale = DEFAULT_LOCALE


def page_locale() -> str:
    """The language this process's page is in (a page kernel serves one page): English until told."""
    return _page_locale


def use_locale(locale: str) -> None:
    """Make ``locale`` the language every loader reads by default (a page says its own as it starts).

    ``ValueError`` for a language the workbook lacks, and the language stays as it was.
    """
    global _page_locale
    content_dir(locale)
    _page_locale = locale


@contextmanager
def locale_in_use(locale: str) -> Iterator[str]:
    """Read the content in ``locale`` for the ``with`` block (a room's figures, made in every language)."""
    before = page_locale()
    use_locale(locale)
    try:
        yield locale
    finally:
        use_locale(before)


def page_content_dir() -> Path:
    """The folder of the page's language (:func:`page_locale`): where loaders read by default."""
    return CONTENT_ROOT / page_locale()


def notebook_in(locale: str, name: str) -> str:
    """Where page ``name`` is in ``locale``, from the notebooks' folder.

    The first language's pages are at its top (``01-hidden-weight.ipynb``), each other language's in a
    folder of its own (``es/01-hidden-weight.ipynb``).
    """
    return name if locale == DEFAULT_LOCALE else f"{locale}/{name}"


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match its schema."""


class ContentModel(BaseModel):
    """The base of every content file's schema: no unknown fields, frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=ContentModel)
_Words = TypeVar("_Words", str, "Unit")


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

    def check(self, text: _Words) -> _Words:
        """Return ``text``, or raise ``ValueError`` if it uses a ``{name}`` not declared here.

        A :class:`Unit` is checked form by form: each may use only the names declared.
        """
        for words in text.forms.values() if isinstance(text, Unit) else (text,):
            used = {name for _, name, _, _ in string.Formatter().parse(words) if name is not None}
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

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories, the names a unit's forms go by (each language uses some of them)."""

_LONGEST = 2000  # as for a Text


@dataclass(frozen=True)
class Unit:
    """The words after a number: one text for every number, or a form for each plural category.

    In a content file a unit is one text where its words stay the same whatever the number
    (``unit: out of {highest}``), or a mapping of CLDR plural categories to forms where they change
    (``unit: {one: person, other: people}``, in Spanish ``{one: persona, other: personas}``).
    ``other``, the form most numbers take, is always given; a language adds the categories it uses
    (English and Spanish: ``one``). Which form a number takes is its language's rule, from Babel
    (:meth:`form`); a category the unit does not give takes ``other``. A file is refused as it loads
    when a mapping lacks ``other``, names a category CLDR does not have, or has an empty form.

    A room's released figures keep their units as JSON: a mapping of these fields (``None`` where
    not given), or, kept by an older version, one text; :meth:`from_json` reads both.
    """

    other: str
    zero: str | None = None
    one: str | None = None
    two: str | None = None
    few: str | None = None
    many: str | None = None

    @property
    def forms(self) -> dict[str, str]:
        """The forms given, by category, in CLDR's order (``other`` always among them)."""
        given = {category: getattr(self, category) for category in PLURAL_CATEGORIES}
        return {category: words for category, words in given.items() if words is not None}

    def form(self, number: float, locale: str | None = None) -> str:
        """The form that agrees with ``number`` as :func:`amount` writes it, in ``locale``'s rule.

        ``locale`` is the language of the unit's words (a :class:`~widgets.workbook_content.Content`'s
        ``locale``); the page's language (:func:`page_locale`) when not given.
        """
        category = _plural_rule(locale or page_locale())(_as_written(number))
        words: str | None = getattr(self, category)
        return self.other if words is None else words

    def format(self, **names: object) -> Unit:
        """Every form filled in with ``str.format`` (``out of {highest}`` becomes ``out of 5``)."""
        return Unit(**{category: words.format(**names) for category, words in self.forms.items()})

    @classmethod
    def of(cls, value: object) -> Unit:
        """A unit as a content file gives it: one text, or a mapping of plural categories to forms.

        Raises
        ------
        ValueError
            Saying what is wrong: not a text or a mapping, a name that is not a CLDR plural category,
            no ``other``, or a form that is not words.
        """
        if isinstance(value, Unit):
            return value
        if isinstance(value, str):
            return cls(_words(value, "a unit"))
        if not isinstance(value, Mapping):
            raise ValueError(
                "a unit is a text, or its forms by plural category such as {one: person, other: people}; "
                f"got {type(value).__name__}"
            )
        names = [str(name) for name in value]
        unknown = sorted(set(names) - set(PLURAL_CATEGORIES))
        if unknown:
            raise ValueError(
                f"unknown plural categor{'y' if len(unknown) == 1 else 'ies'} {unknown}; "
                f"a unit's forms are named by CLDR's: {', '.join(PLURAL_CATEGORIES)}"
            )
        if "other" not in names:
            raise ValueError(f"a unit's forms need 'other' (the form most numbers take); got only {names}")
        return cls(**{name: _words(words, f"the form {name!r}") for name, words in value.items()})

    @classmethod
    def from_json(cls, kept: object) -> Unit:
        """A unit as a room's release kept it: its fields (``None`` where not given), or an older one text."""
        if isinstance(kept, Mapping):
            kept = {category: words for category, words in kept.items() if words is not None}
        return cls.of(kept)

    @classmethod
    def __get_pydantic_core_schema__(cls, source_type: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # One text or a mapping, checked by :meth:`of`, whose messages name what is wrong.
        return core_schema.no_info_plain_validator_function(cls.of)


def _words(words: object, what: str) -> str:
    """A form's words, stripped, or ``ValueError`` naming ``what`` if they are not 1 to 2000 characters."""
    if not isinstance(words, str) or not 1 <= len(words.strip()) <= _LONGEST:
        raise ValueError(f"{what} needs words (a text of 1 to {_LONGEST} characters), got {words!r}")
    return words.strip()


@lru_cache(maxsize=16)
def _plural_rule(locale: str) -> PluralRule:
    """``locale``'s rule for which plural category a number takes (CLDR's, through Babel)."""
    return Locale.parse(locale.replace("-", "_")).plural_form


def _as_written(number: float) -> float:
    # The form agrees with the number as written (with %g: 0.9999999 is written, and counts as, 1).
    return float(f"{number:g}")


def amount(number: float, unit: Unit, locale: str | None = None) -> str:
    """A number and its unit as every chart, slide, table and document writes them: ``1 person``.

    The number is written with ``%g`` (``2.5``, ``3``) and followed by the unit's form that agrees
    with it in ``locale``, the language of the unit's words (the page's language when not given):
    ``1 person``, ``2 people``, ``1 hora a la semana``, ``2.5 hours a week`` (a number that is not
    whole takes ``other`` by English's and Spanish's own rules). A unit with no words (where_now's
    averages) leaves the number alone. The one place a number meets its unit; templates use it as
    the ``amount`` filter: ``{{ number | amount(unit) }}``.
    """
    words = unit.form(number, locale)
    return f"{number:g} {words}" if words else f"{number:g}"


def counted(sentence: Unit, number: float, locale: str | None = None, **names: object) -> str:
    """``sentence`` in the form that agrees with ``number`` (its language's rule), filled in with ``names``.

    For a sentence whose words change with a count ("1 more person is asking to join", "3 more people
    are asking to join"): the form is chosen by ``number`` as :func:`amount` would write it, in
    ``locale`` (the language of the sentence's words; the page's when not given), then filled in with
    ``str.format``. A sentence given as one text reads the same for every number.
    """
    return sentence.form(number, locale).format(**names)


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
        Folder holding the content files (:func:`content_dir`); the page's language's by default.

    Raises
    ------
    ContentError
        As for :func:`widgets.workbook_content.load_content`.
    """
    path = Path(directory or page_content_dir()).resolve() / f"{name}.yaml"
    # The cache keeps the schema's own class: what comes back is a ``schema``, as load_file made it.
    return cast(M, _load_activity_cached(path, schema, file_version(path)))
