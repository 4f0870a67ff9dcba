"""The one widget channel a page's kernel offers its browser: ``jupyter.widget.control``.

ipywidgets registers its comm targets when it is imported inside a running kernel. Kernels forked from
the warm parent (``widgets/server/warm_parent.py``) imported it before any kernel existed, so they have
none, and without the control target the browser asks each widget for its state in a message of its
own (section 1: 51 websocket frames instead of 4; the welcome page has over 100 widget models). The
other target, ``jupyter.widget``, lets the far side build any registered widget class in the kernel
from a state it sends: a page never needs that and a crafted client could use it, so it is not offered.
"""

from __future__ import annotations

from ipywidgets import Widget
from ipywidgets.comm import get_comm_manager

CONTROL_TARGET = "jupyter.widget.control"
WIDGET_TARGET = "jupyter.widget"


def open_widget_channel() -> None:
    """Let the browser fetch every widget's state at once; refuse widgets made from the browser."""
    manager = get_comm_manager()
    if manager is None:  # not in a kernel
        return
    manager.register_target(CONTROL_TARGET, Widget.handle_control_comm_opened)
    if WIDGET_TARGET in manager.targets:
        manager.unregister_target(WIDGET_TARGET, manager.targets[WIDGET_TARGET])
