"""The bar at the top of every page: the participant's code, and whether answers are saved.

Its script keeps the browser's link to the participant (the server's cookie, see
`widgets.server.participant_link`) in step with the page, so the next page and a reload open the same
answers while no address holds the code. A workbook opened from a link's code says so, with a form
that asks the server for the way back to the browser's own (``workbook/back``). "Remember me on this
device" (on the welcome page) and "Forget this device" change
``remember``, the only thing the browser may change here.
"""

from __future__ import annotations

import re
from typing import Any

from traitlets import Bool, Int, TraitError, Unicode, validate

from widgets.controls._guarded import STATIC, GuardedControl

# A notebook of the workbook, beside this one or in another language's folder, never another site.
_LANGUAGE_HREF = re.compile(r"(\.\./)?([a-z]{2,3}/)?[0-9]{2}-[a-z0-9-]+\.ipynb\?lang=[a-z]{2,3}")


class ParticipantBar(GuardedControl):
    """Shows the code (or the demo label) and a quiet "saved" status."""

    _esm = STATIC / "participant_bar.js"
    _client_writable = ("remember",)

    code = Unicode("", help="The code as shown, in groups of four; empty for the demo participant.").tag(
        sync=True
    )
    session_code = Unicode(
        "", help="The code the browser's participant cookie should hold; empty for none (demo, not open yet)."
    ).tag(sync=True)
    fresh = Bool(
        False, help="Whether the page made a new workbook because its request named no participant."
    ).tag(sync=True)
    remember = Bool(
        False,
        help="Whether this device keeps the participant after the browser closes (changed by the person).",
    ).tag(sync=True)
    offer_remember = Bool(
        False, help="Whether the bar offers 'Remember me on this device' (welcome page)."
    ).tag(sync=True)
    remember_label = Unicode("", help="The words of the 'Remember me on this device' checkbox.").tag(
        sync=True
    )
    remember_note = Unicode("", help="One plain sentence on what remembering means on a shared device.").tag(
        sync=True
    )
    forget_label = Unicode("", help="The words of the 'Forget this device' button.").tag(sync=True)
    forgotten = Unicode("", help="What the bar says once the device is forgotten.").tag(sync=True)
    code_label = Unicode(help="Words before the code.").tag(sync=True)
    hint = Unicode(help="Why to write the code down, shown under it.").tag(sync=True)
    demo = Bool(False, help="Whether this page belongs to the demo participant.").tag(sync=True)
    demo_label = Unicode(help="What the demo participant is, shown instead of a code.").tag(sync=True)
    status = Unicode("", help="The last save's outcome in words ('' before any save).").tag(sync=True)
    problem = Bool(False, help="Whether the status is a problem (answers not saved yet).").tag(sync=True)
    room_line = Unicode("", help="Which group room the participant is in, and whether this page shares.").tag(
        sync=True
    )
    pace_text = Unicode("", help="The facilitator's pacing, e.g. 'The group is now on section 4'.").tag(
        sync=True
    )
    pace_href = Unicode("", help="The relative link to the group's section ('' for none).").tag(sync=True)
    pace_link = Unicode("", help="The words of that link.").tag(sync=True)
    link_line = Unicode(
        "", help="Said when the workbook was opened from a link's code: whose it is ('' otherwise)."
    ).tag(sync=True)
    back_label = Unicode(
        "", help="The way back to the workbook the browser had before a link's ('' when there is none)."
    ).tag(sync=True)
    language_href = Unicode(
        "",
        help="The same page in the language the participant's workbook is kept in: the page goes there "
        "at once ('' to stay).",
    ).tag(sync=True)
    saves = Int(0, help="How many writes this page has completed (on the page as data-saves).").tag(sync=True)

    @validate("language_href")
    def _only_this_page_in_another_language(self, proposal: dict[str, Any]) -> str:
        href = proposal["value"]
        if not isinstance(href, str) or (href and not _LANGUAGE_HREF.fullmatch(href)):
            raise TraitError("Only this page in another of the workbook's languages can be opened from here.")
        return href

    @validate("remember")
    def _only_a_real_workbook(self, proposal: dict[str, Any]) -> bool:
        remember = proposal["value"]
        if not isinstance(remember, bool):
            raise TraitError("This can only be turned on or off.")
        if remember and (self.demo or not self.session_code):
            raise TraitError("There is no workbook on this page to remember.")
        return remember
