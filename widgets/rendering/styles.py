"""The page's stylesheet: the styles kept beside the code they style, gathered into one text.

Each part of the workbook keeps its styles in its own ``static/`` folder; the page template
(``share/jupyter/voila/templates/reconnection/index.html.j2``) inlines :func:`page_styles` in a
``<style>`` of the page itself, so a phone on slow Wi-Fi asks for no stylesheet of the workbook's.
The server gives the template this function (`widgets.server.template_cache.install`).

The files come in a fixed order, the cascade's: where two rules say something with the same weight,
the later one holds, so a new file goes where its rules must win, not simply at the end.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]

# In cascade order, as the rules stood in the one stylesheet before: the page shell's first (every
# page), then the rooms' (their slides hide or resize some of the shell's parts), then take-home's.
STYLESHEETS: tuple[Path, ...] = (
    _PACKAGE / "rendering" / "static" / "page.css",
    _PACKAGE / "room" / "static" / "room.css",
    _PACKAGE / "take_home" / "static" / "take_home.css",
)


# Comments are for whoever edits the files; every page would carry them (no stylesheet here holds a
# string with "/*" in it, so a comment is all the pattern can match).
_COMMENT = re.compile(r"/\*.*?\*/\s*", re.DOTALL)


@cache
def page_styles() -> str:
    """Every stylesheet of :data:`STYLESHEETS`, in order, as one text without comments (read once)."""
    texts = (_COMMENT.sub("", path.read_text(encoding="utf-8")).strip() for path in STYLESHEETS)
    return "\n".join(texts) + "\n"
