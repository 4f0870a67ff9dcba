"""The workbook's form controls: native HTML controls drawn by anywidget, checked on the server.

Each control is one widget model with one value the browser may set; every value it sends is checked
in the kernel by :class:`GuardedState` before it is taken (see ``_guarded.py``). The JavaScript and
the one stylesheet they share are in ``static/``. Import them from here, not from the private modules.
"""

from widgets.controls._buttons import page_button
from widgets.controls._check_list import CheckList
from widgets.controls._choice_group import ChoiceGroup
from widgets.controls._comm_targets import open_widget_channel
from widgets.controls._download_button import Download, DownloadButton
from widgets.controls._guarded import GuardedState, restore_value
from widgets.controls._number_box import NumberBox
from widgets.controls._participant_bar import ParticipantBar
from widgets.controls._text_box import TextBox
from widgets.controls._words import ControlWords, use_control_words

__all__ = [
    "CheckList",
    "ChoiceGroup",
    "ControlWords",
    "Download",
    "DownloadButton",
    "GuardedState",
    "NumberBox",
    "ParticipantBar",
    "TextBox",
    "open_widget_channel",
    "page_button",
    "restore_value",
    "use_control_words",
]
