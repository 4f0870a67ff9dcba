"""The slides window: the page "Present on another screen" opens for the projector, and its two scripts.

The facilitator page's own script (`widgets/room/static/second_screen.js`) opens
``{base}workbook/slides?lang=LANG#ID`` in a new window, which the facilitator moves to the projector's
screen. The window has no kernel and carries no secret: no room code, no key, no participant. It shows
what the facilitator page hands it through a ``BroadcastChannel`` named ``rw-slides-ID`` (a channel
reaches pages of the same origin only), and hands back its arrow keys. Its script
(`widgets/room/static/slides_window.js`) holds the messages:

- window to page: ``{"type": "hello"}`` as it opens (and again when a reloaded page says
  ``{"type": "console"}``), ``{"type": "step", "step": 1 | -1}`` for the arrow keys and a presenter
  remote's Page Down / Page Up, ``{"type": "closed"}`` as it goes;
- page to window: ``{"type": "slide", "markup": ...}``, a slide the server made
  (`widgets.room.slides`), and ``{"type": "end"}``: the window then says presenting stopped.

The page is a whole document made here from its template (``templates/server/slides_window.html``),
with the page's styles inlined and its own words (``content/LANG/slides_window.yaml``); its policy lets
it run the workbook's own scripts only, and show images from ``data:`` addresses only (the slides' QR
codes) — nothing from any other host.
"""

from __future__ import annotations

from pathlib import Path

from tornado.web import RequestHandler

from widgets.content_files import (
    DEFAULT_LOCALE,
    ContentModel,
    PlainText,
    content_dir,
    load_activity_content,
    locales,
)
from widgets.rendering import Markup, render, trusted
from widgets.rendering.styles import page_styles
from widgets.workbook_content import load_content

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SCRIPTS",
    "SlidesScriptHandler",
    "SlidesWindowContent",
    "SlidesWindowHandler",
    "handlers",
    "load_slides_window_content",
    "slides_window_page",
]

_STATIC = Path(__file__).resolve().parents[1] / "room" / "static"

# The window's two scripts, by the name in their address: a fixed list, never a path from a request.
SCRIPTS: dict[str, Path] = {
    "slide_screen.js": _STATIC / "slide_screen.js",
    "slides_window.js": _STATIC / "slides_window.js",
}

# Its own scripts only (no inline script); its inline styles; images from data: (the QR codes); no
# form, no frame, nothing fetched from anywhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class SlidesWindowContent(ContentModel):
    """The schema of ``content/LANG/slides_window.yaml``: the slides window's own words."""

    title: PlainText
    waiting: PlainText
    wrong_link: PlainText
    ended: PlainText
    full_screen_label: PlainText
    move_hint: PlainText


def load_slides_window_content(locale: str | None = None) -> SlidesWindowContent:
    """The slides window's words in ``locale`` (a language the workbook has); the page's by default."""
    return load_activity_content(
        "slides_window", SlidesWindowContent, None if locale is None else content_dir(locale)
    )


def _root(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def slides_window_page(locale: str, base_url: str = "/") -> Markup:
    """The whole slides window page in ``locale``: waiting for its first slide, with the crisis lines."""
    return render(
        "server/slides_window.html",
        content=load_content(content_dir(locale)),
        words=load_slides_window_content(locale),
        styles=trusted(page_styles(), why="the workbook's own stylesheets, as every page inlines them"),
        root=_root(base_url),
    )


class SlidesWindowHandler(RequestHandler):
    """``GET``: the slides window's page, in the language ``?lang=`` names (else the first one)."""

    def get(self) -> None:
        """The page, never kept by a cache; its policy allows the workbook's own scripts only."""
        wanted = self.get_query_argument("lang", DEFAULT_LOCALE)
        locale = wanted if wanted in locales() else DEFAULT_LOCALE
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(slides_window_page(locale, self.settings.get("base_url", "/")))


class SlidesScriptHandler(RequestHandler):
    """``GET``: one of the window's two scripts, by name (:data:`SCRIPTS`); any other name is a 404."""

    def get(self, name: str) -> None:
        """The script as it is on disk now; the browser asks again each time (an ETag answers 304)."""
        path = SCRIPTS.get(name)
        if path is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("Not found.")
            return
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.finish(path.read_bytes())


def handlers(base_url: str) -> list[tuple[str, type[RequestHandler]]]:
    """The routes, under the server's base URL."""
    base = base_url.rstrip("/")
    return [
        (f"{base}/workbook/slides", SlidesWindowHandler),
        (f"{base}/workbook/slides/([^/]+)", SlidesScriptHandler),
    ]
