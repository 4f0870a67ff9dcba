"""Figures released in steps, so a change on the dashboard never shows one person's answers. Pure Python.

A room's figures for an activity are worked out and kept (released) only when at least ``threshold``
people who were not in the last release share it. Between releases the dashboard, the slides and the
CSV show the kept figures, unchanged, however many join, change an answer or stop sharing. So any two
views differ by at least ``threshold`` people, and nobody can subtract one view from the next to find
a single person's answers. Someone who stops sharing is taken out at the next release.
"""

from __future__ import annotations

import json
from collections.abc import Set
from dataclasses import asdict, dataclass

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


def figures_to_json(figures: tuple[GroupFigure, ...]) -> str:
    """The released figures, as the store keeps them."""
    return json.dumps([asdict(figure) for figure in figures])


def figures_from_json(text: str) -> tuple[GroupFigure, ...]:
    """The figures a release kept (see :func:`figures_to_json`)."""
    figures = []
    for kept in json.loads(text):
        rows = tuple(GroupRow(row["label"], row["value"]) for row in kept["rows"])
        figures.append(
            GroupFigure(kept["id"], kept["title"], kept["unit"], kept["measure"], rows, kept.get("scale"))
        )
    return tuple(figures)
