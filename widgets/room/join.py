"""The address participants open to join a room, and its QR code.

The address is the workbook's own, as participants' devices reach it: the one ``./workbook serve --lan``
found on the local network (``RECONNECTION_PUBLIC_URL``, also the setting for a server behind a proxy),
else the host the facilitator's own request came to. The QR code is an SVG drawn here by segno, inline
in the page: nothing is asked of any other host. Pure Python: no widgets here.
"""

from __future__ import annotations

import base64
import functools
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import segno

from widgets.rendering import Markup, render

__all__ = [
    "PUBLIC_URL_SETTING",
    "JoinAddress",
    "is_loopback",
    "join_address",
    "qr_code_html",
    "server_address",
]

# The address participants' devices open the workbook at, e.g. "http://192.168.1.20:8866/".
PUBLIC_URL_SETTING = "RECONNECTION_PUBLIC_URL"
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class JoinAddress:
    """Where a room is joined: the full link (for the QR code) and the short address (to type)."""

    full: str
    short: str


def server_address(environ: Mapping[str, str] | None = None) -> str:
    """The workbook's address as participants reach it, ending in ``/`` (e.g. ``http://host:8866/``).

    ``environ`` is a page kernel's environment after its request (Voilà puts the request's host in
    ``SERVER_NAME`` and ``SERVER_PORT``, and its base URL in ``VOILA_BASE_URL``).
    """
    environ = os.environ if environ is None else environ
    public = environ.get(PUBLIC_URL_SETTING, "").strip()
    if public and urlsplit(public).scheme in {"http", "https"} and urlsplit(public).hostname:
        return public if public.endswith("/") else public + "/"
    host = environ.get("SERVER_NAME", "") or "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    port = environ.get("SERVER_PORT", "")
    base = environ.get("VOILA_BASE_URL", "/") or "/"
    if not base.startswith("/"):
        base = "/" + base
    if not base.endswith("/"):
        base += "/"
    return f"http://{host}{':' + port if port and port != '80' else ''}{base}"


def join_address(
    join_code: str, welcome_notebook: str, environ: Mapping[str, str] | None = None
) -> JoinAddress:
    """The link that opens the welcome page with the room filled in, and the address to type instead."""
    base = server_address(environ)
    full = f"{base}voila/render/{welcome_notebook}?{urlencode({'room': join_code})}"
    parts = urlsplit(base)
    short = parts.netloc + parts.path.rstrip("/")
    return JoinAddress(full=full, short=short)


def is_loopback(address: JoinAddress) -> bool:
    """Whether the address is this computer's own (so no other device can open it)."""
    return (urlsplit(address.full).hostname or "") in _LOOPBACK


@functools.lru_cache(maxsize=32)  # a room's slides redraw every few seconds; its address stays
def qr_code_html(address: str, label: str, css_class: str = "rw-qr") -> Markup:
    """A QR code of ``address`` as an image whose text alternative names it and gives the address.

    The SVG travels inside the page as a ``data:`` address, so the browser asks no host for it; its
    dark modules are the page's ink colour on white, with the quiet zone a scanner needs.
    """
    code = segno.make_qr(address, error="m")
    svg = io.BytesIO()
    # A standalone SVG (with its namespace, which an image needs), without an XML declaration.
    code.save(
        svg,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        scale=1,
        border=4,
        dark="#1a1a1a",
        light="#ffffff",
        omitsize=True,
    )
    return render(
        "room/qr_code.html",
        css_class=css_class,
        svg_base64=base64.b64encode(svg.getvalue()).decode("ascii"),
        label=label,
        address=address,
        width=code.symbol_size(scale=1, border=4)[0],
    )
