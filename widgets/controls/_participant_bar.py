"""The bar at the top of every page: the participant's code, and whether answers are saved.

It also puts the code into the page's address (``?code=...``), so a reload
or a bookmark keeps the same answers. Nothing in it can be changed from the
browser.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
from traitlets import Bool, Int, Unicode

from widgets.controls._guarded import GuardedState

_STATIC = Path(__file__).parent / "static"


class ParticipantBar(GuardedState, anywidget.AnyWidget):
    """Shows the code (or the demo label) and a quiet "saved" status."""

    _esm = _STATIC / "participant_bar.js"
    _css = _STATIC / "controls.css"
    _client_writable = ()

    code = Unicode("", help="The code as shown, in groups of four; empty for the demo participant.").tag(
        sync=True
    )
    address_code = Unicode("", help="The code to put in the page's address; empty for none.").tag(sync=True)
    code_label = Unicode(help="Words before the code.").tag(sync=True)
    hint = Unicode(help="Why to write the code down, shown under it.").tag(sync=True)
    demo = Bool(False, help="Whether this page belongs to the demo participant.").tag(sync=True)
    demo_label = Unicode(help="What the demo participant is, shown instead of a code.").tag(sync=True)
    status = Unicode("", help="The last save's outcome in words ('' before any save).").tag(sync=True)
    problem = Bool(False, help="Whether the status is a problem (answers not saved yet).").tag(sync=True)
    notice = Unicode("", help="A calm one-off note, e.g. when a link's code was not usable.").tag(sync=True)
    room_line = Unicode("", help="Which group room the participant is in, and whether this page shares.").tag(
        sync=True
    )
    pace_text = Unicode("", help="The facilitator's pacing, e.g. 'The group is now on section 4'.").tag(
        sync=True
    )
    pace_href = Unicode("", help="The relative link to the group's section ('' for none).").tag(sync=True)
    pace_link = Unicode("", help="The words of that link.").tag(sync=True)
    saves = Int(0, help="How many writes this page has completed (on the page as data-saves).").tag(sync=True)
