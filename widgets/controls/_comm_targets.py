"""The one widget channel a page's kernel offers its browser: ``jupyter.widget.control``.

ipywidgets registers its comm targets when it is imported inside a running kernel. Kernels forked from
the warm parent (``widgets/server/warm_parent.py``) imported it before any kernel existed, so they have
none, and without the control target the browser asks each widget for its state in a message of its
own (section 1: 51 websocket frames instead of 4; the welcome page has over 100 widget models). The
other target, ``jupyter.widget``, lets the far side build any registered widget class in the kernel
from a state it sends: a page never needs that and a crafted client could use it, so it is not offered.
"""

from __future__ import annotations

import logging
from typing import Any

from ipywidgets.comm import get_comm_manager
from ipywidgets.widgets.widget import _instances, _remove_buffers

log = logging.getLogger(__name__)

CONTROL_TARGET = "jupyter.widget.control"
CONTROL_VERSION_MAJOR = "1"
WIDGET_TARGET = "jupyter.widget"


def open_widget_channel() -> None:
    """Let the browser fetch every widget's state at once; refuse widgets made from the browser."""
    manager = get_comm_manager()
    if manager is None:  # not in a kernel
        return
    manager.register_target(CONTROL_TARGET, _control_comm_opened)
    if WIDGET_TARGET in manager.targets:
        manager.unregister_target(WIDGET_TARGET, manager.targets[WIDGET_TARGET])


def _control_comm_opened(comm: Any, message: dict[str, Any]) -> None:
    """The browser's widget manager opened the control channel: answer its requests for every state."""
    version = str(message.get("metadata", {}).get("version", ""))
    if version.split(".")[0] != CONTROL_VERSION_MAJOR:
        log.debug("a control channel of version %r was not answered", version)
        return
    comm.on_msg(lambda request: _answer(comm, request))


def _answer(comm: Any, request: dict[str, Any]) -> None:
    """Send every widget's state in one message, as ipywidgets' own control channel does.

    ipywidgets' own handler works out every state twice (its ``get_manager_state`` first, then again,
    for the reply): 112 widgets on the welcome page, in the page kernel's time at its busiest.
    """
    data = request.get("content", {}).get("data")
    if not isinstance(data, dict) or data.get("method") != "request_states":
        log.debug("a control message other than request_states was ignored")
        return
    states = {
        widget.model_id: {
            "model_name": widget._model_name,
            "model_module": widget._model_module,
            "model_module_version": widget._model_module_version,
            "state": widget.get_state(),
        }
        for widget in list(_instances.values())
    }
    states, buffer_paths, buffers = _remove_buffers(states)
    comm.send({"method": "update_states", "states": states, "buffer_paths": buffer_paths}, buffers=buffers)
