"""Figures released in steps, so a change on the dashboard never shows one person's answers. Pure Python.

A room's figures for an activity are worked out and kept (released) only when at least ``threshold``
people who were not in the last release share it. Between releases the dashboard, the slides and the
CSV show the kept figures, unchanged, however many join, change an answer or stop sharing. So any two
views differ by at least ``threshold`` people, and nobody can subtract one view from the next to find
a single person's answers. Someone who stops sharing is taken out at the next release.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Set
from dataclasses import asdict, dataclass

from widgets.content_files import DEFAULT_LOCALE
from widgets.room.figures import GroupFigure, GroupRow

__all__ = ["Release", "figures_from_json", "figures_to_json", "is_due", "still_needed"]


@dataclass(frozen=True)
class Release:
    """The figures last released for one activity, and whose shared answers they cover."""

    members: frozenset[int]
    figures: tuple[GroupFigure, ...]


def newcomers(released: Release | None, sharing: Set[int]) -> int:
    """How many of those sharing now are not in the last release (all of them before the first)."""
    return len(sharing - (released.members if released else frozenset()))


def is_due(released: Release | None, sharing: Set[int], threshold: int) -> bool:
    """Whether the figures should be worked out again: ``threshold`` newcomers since the last release."""
    return newcomers(released, sharing) >= threshold


def still_needed(released: Release | None, sharing: Set[int], threshold: int) -> int:
    """How many more newcomers before the figures show (or change); 0 when a release is due."""
    return max(0, threshold - newcomers(released, sharing))


def figures_to_json(figures: Mapping[str, tuple[GroupFigure, ...]]) -> str:
    """The released figures in every language the workbook has, by language, as the store keeps them.

    One release is worked out once from the same answers and kept in each language, so a dashboard or
    slides in Spanish and another in English show the same numbers, each in its own words.
    """
    return json.dumps({locale: [asdict(figure) for figure in each] for locale, each in figures.items()})


def figures_from_json(text: str, locale: str = DEFAULT_LOCALE) -> tuple[GroupFigure, ...]:
    """The figures a release kept, in ``locale`` (see :func:`figures_to_json`).

    A language the release lacks gets the workbook's first language; a release kept before there were
    languages (a plain list) is in that language too.
    """
    kept_figures = json.loads(text)
    if isinstance(kept_figures, dict):
        kept_figures = kept_figures.get(locale, kept_figures.get(DEFAULT_LOCALE, []))
    from widgets.content_files import Unit  # a unit is kept as its forms, or (older) one text

    figures = []
    for kept in kept_figures:
        rows = tuple(GroupRow(row["label"], row["value"]) for row in kept["rows"])
        figures.append(
            GroupFigure(
                kept["id"],
                kept["title"],
                Unit.from_json(kept["unit"]),
                kept["measure"],
                rows,
                kept.get("scale"),
            )
        )
    return tuple(figures)
