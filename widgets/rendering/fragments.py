"""The smallest pieces of a page, for the many places that show one line of words.

A message under a button, a heading above a group of widgets, a short list: each is a template in
``templates/fragments/``, so even one line of text reaches the page escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from widgets.rendering._environment import Markup, render

__all__ = ["heading", "items", "paragraph"]


def paragraph(text: str, css_class: str = "", lang: str = "") -> Markup:
    """``<p>`` holding ``text`` (escaped unless it is already markup), with an optional class and language.

    ``lang`` marks words in another language than the page's (a line a participant wrote in theirs).
    """
    return render("fragments/paragraph.html", text=text, css_class=css_class, lang=lang)


def heading(text: str, level: int = 2, css_class: str = "") -> Markup:
    """A heading of ``level`` 2 to 6 (a page's title is its only ``<h1>``)."""
    if level not in range(2, 7):
        raise ValueError(f"heading level {level} is not 2 to 6")
    return render("fragments/heading.html", text=text, level=level, css_class=css_class)


def items(entries: Iterable[str], css_class: str = "") -> Markup:
    """A bulleted list, one entry per item."""
    return render("fragments/items.html", items=list(entries), css_class=css_class)
