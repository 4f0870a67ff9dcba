"""The widgets' channel when Python runs in the reader's browser (Pyodide) and there is no kernel.

ipywidgets and anywidget send their messages through ``comm`` objects, made by ``comm.create_comm`` and
found by ``comm.get_comm_manager`` (the ``comm`` package's documented places to put another transport).
Here a comm's messages go straight to the page's script (``page_bridge.send``, registered by the page),
and the page hands the widgets' messages back through :func:`deliver`. ``display()`` reaches the page
through an IPython shell whose display publisher does the same (``page_bridge.display``).

Runs only in the browser: ``page_bridge`` exists there. :func:`start` must run before ipywidgets is
imported anywhere, so every comm ipywidgets makes is one of these.
"""

from __future__ import annotations

import json
from typing import Any

import comm
from comm.base_comm import BaseComm, CommManager

_MANAGER = CommManager()


def _page() -> Any:
    """The page's side of the bridge (a JavaScript module the page registered with Pyodide)."""
    import page_bridge  # type: ignore[import-not-found]  # only in the browser

    return page_bridge


class PageComm(BaseComm):
    """A widget's channel whose messages go to the page's script, not to a kernel's socket."""

    def publish_msg(
        self,
        msg_type: str,
        data: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        buffers: list[bytes] | None = None,
        **keys: Any,
    ) -> None:
        """Send one message (comm_open, comm_msg or comm_close) to the page, with its binary buffers."""
        from pyodide.ffi import to_js  # type: ignore[import-not-found]  # only in the browser

        message = {
            "msg_type": msg_type,
            "comm_id": self.comm_id,
            "target_name": keys.get("target_name"),
            "data": data or {},
            "metadata": metadata or {},
        }
        _page().send(json.dumps(message), to_js([bytes(buffer) for buffer in buffers or []]))


def deliver(comm_id: str, data_json: str, js_buffers: Any = None) -> None:
    """A message from a widget on the page to its Python side, as a kernel would hand it on."""
    buffers = [memoryview(buffer.to_bytes()) for buffer in js_buffers] if js_buffers else []
    target = _MANAGER.get_comm(comm_id)
    if target is None:
        return  # a widget closed since (the page moved on): nothing to tell
    target.handle_msg(
        {
            "header": {"msg_type": "comm_msg"},
            "content": {"comm_id": comm_id, "data": json.loads(data_json)},
            "metadata": {},
            "buffers": buffers,
        }
    )


def start() -> None:
    """Route every comm and every ``display()`` to the page. Call once, before importing ipywidgets."""
    comm.create_comm = PageComm
    comm.get_comm_manager = lambda: _MANAGER

    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class PagePublisher(DisplayPublisher):
        """Hands each display bundle (a widget's view, or HTML) to the page."""

        def publish(self, data: Any, metadata: Any = None, *args: Any, **kwargs: Any) -> None:
            _page().display(json.dumps({"data": data, "metadata": metadata or {}}))

    shell = InteractiveShell.instance(history_load_length=0)
    shell.display_pub = PagePublisher(shell=shell)  # type: ignore[no-untyped-call]  # IPython's own
