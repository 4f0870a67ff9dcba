"""How one content file (``widgets/content/NAME.yaml``) is read and checked.

Every content file has a pydantic model as its schema, built on :class:`ContentModel` from the field
types here. A file that does not match its schema raises :class:`ContentError` naming the file, the
field and the problem, so a facilitator who edits wording finds a mistake at once, not mid-session.
The files every page reads are gathered in :mod:`widgets.workbook_content`; each activity's schema
lives in its model module (``widgets/sections/NAME/model.py``).
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

__all__ = [
    "CONTENT_DIR",
    "ContentError",
    "ContentModel",
    "Identifier",
    "NotebookName",
    "Text",
    "check_placeholders",
    "file_version",
    "load_activity_content",
    "load_file",
]

CONTENT_DIR = Path(__file__).parent / "content"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
NotebookName = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}-[a-z0-9-]+\.ipynb$")]


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match its schema."""


class ContentModel(BaseModel):
    """The base of every content file's schema: no unknown fields, frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=ContentModel)


def check_placeholders(template: str, allowed: set[str]) -> str:
    """Reject ``{names}`` in a text template other than the allowed ones."""
    used = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    unknown = used - allowed
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {sorted(unknown)}; allowed here: {sorted(allowed) or 'none'}"
        )
    return template


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
    """Load and validate one activity's content file, ``content/NAME.yaml``.

    Parameters
    ----------
    name
        The file's name without ``.yaml``.
    schema
        The pydantic model (a :class:`ContentModel`) the file must match.
    directory
        Folder holding the content files; the package's own by default.

    Raises
    ------
    ContentError
        As for :func:`widgets.workbook_content.load_content`.
    """
    path = Path(directory or CONTENT_DIR).resolve() / f"{name}.yaml"
    return _load_activity_cached(path, schema, file_version(path))
