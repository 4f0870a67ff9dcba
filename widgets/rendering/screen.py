"""Blocks on a page: a section model's feedback, drawn by ``templates/screen/``.

A model says once what its feedback is (``widgets/blocks.py``); this draws it on the page, and the
take-home draws the same blocks in its web page and PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from widgets.blocks import Block
from widgets.rendering._environment import Markup, render
from widgets.workbook_content import CrisisContent

__all__ = ["feedback_html"]


def feedback_html(
    blocks: Sequence[Block], crisis: CrisisContent, data: Mapping[str, str] | None = None
) -> Markup:
    """The feedback box holding ``blocks``; ``data`` become its ``data-`` attributes."""
    return render("screen/feedback.html", blocks=blocks, crisis=crisis, data=data or {})
