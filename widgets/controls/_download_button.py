"""A button that downloads a file the kernel makes, in the participant's own browser.

Nothing is written on the server: on a click the page asks the kernel, the
kernel makes the file and sends its bytes back on the widget's channel, and the
browser saves them (a ``Blob`` and a link with ``download``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from traitlets import Int, Unicode

from widgets.controls._guarded import STATIC, GuardedControl

log = logging.getLogger(__name__)

# What a download is made of: file name, media type, bytes.
Download = tuple[str, str, bytes]


class DownloadButton(GuardedControl):
    """A labelled button; ``make()`` returns the file to download when it is clicked."""

    _esm = STATIC / "download_button.js"
    _client_writable = ()

    label = Unicode(help="The button's words.").tag(sync=True)
    sent = Int(0, help="How many files were sent to the browser.").tag(sync=True)

    def __init__(self, make: Callable[[], Download], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._make = make
        self.on_msg(self._received)

    def _received(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict) and content.get("event") == "download":
            self.download()

    def download(self) -> Download:
        """Make the file and send it to the browser; return it (for tests)."""
        name, media_type, data = self._make()
        self.send({"event": "file", "name": name, "type": media_type}, [data])
        self.sent += 1
        return name, media_type, data
