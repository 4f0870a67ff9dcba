"""A page's heartbeat: the browser asks the kernel to look for news every few seconds.

Live rooms need a page to notice what others did (a share, the group's pace, a
closed room) without a click. A kernel has no timer of its own that is safe to
touch widgets from, so the page's browser sends a small ``tick`` message on the
widget's channel and the kernel checks the store on its own thread. Ticks
arriving faster than half the interval (a crafted client) are ignored.

It can also keep query parameters in the page's address (``history.replaceState``),
so a reload or a bookmark comes back to the same room.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import anywidget
from traitlets import Bool, Dict, Int, Unicode

from widgets.controls import GuardedState

_STATIC = Path(__file__).parent / "static"


class Heartbeat(GuardedState, anywidget.AnyWidget):
    """Invisible: sends ``{"tick": n}`` every ``interval_ms`` while ``active``."""

    _esm = _STATIC / "heartbeat.js"
    _client_writable = ()

    active = Bool(False, help="Whether the page sends ticks.").tag(sync=True)
    interval_ms = Int(2000, help="Milliseconds between ticks.").tag(sync=True)
    address = Dict(
        value_trait=Unicode(), help="Query parameters to keep in the page's address ('' removes one)."
    ).tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._listeners: list[Callable[[], None]] = []
        self._last_tick = 0.0
        self.ticks = 0
        self.on_msg(self._received)

    def on_tick(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` on each accepted tick."""
        self._listeners.append(listener)

    def _received(self, _widget: object, content: object, _buffers: object) -> None:
        if not self.active or not isinstance(content, dict) or "tick" not in content:
            return
        now = time.monotonic()
        if now - self._last_tick < self.interval_ms / 2000:
            return  # faster than the page's own rhythm: not from our page script
        self._last_tick = now
        self.tick()

    def tick(self) -> None:
        """Run every listener once (what an accepted tick does)."""
        self.ticks += 1
        for listener in self._listeners:
            listener()
