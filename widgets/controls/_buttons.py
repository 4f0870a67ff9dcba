"""The workbook's plain buttons: sized to their words, styled by ``rw-button`` (at least 44 px tall)."""

from __future__ import annotations

from ipywidgets import Button, Layout


def page_button(label: str, *classes: str) -> Button:
    """A button with ``label``, the workbook's button style and any extra CSS ``classes``."""
    button = Button(description=label, layout=Layout(width="auto"))
    for name in ("rw-button", *classes):
        button.add_class(name)
    return button
