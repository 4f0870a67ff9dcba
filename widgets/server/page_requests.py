"""Page requests: the facilitator page's gate, and whose each page's kernel is, for limits no room meets.

Voilà's page handler (``/voila/render/...``) is replaced by :class:`WorkbookPageHandler`
(`widgets.server.voila_app`). Before any kernel is started or taken from a pool:

- **A workbook code in the address opens nothing by itself.** The person is asked whether that
  workbook is theirs (`widgets.server.participant_link.answer_code_link`), with no kernel.

- **The facilitator page opens only from a facilitator link.** A request for it with neither the
  facilitator token ``./workbook serve`` printed (``?token=``) nor a room's private link (``?room=`` and
  ``?key=``; the page's kernel checks the key) gets a small calm page (403) and no kernel.
- **Whose page it is.** The participant cookie names the participant (none for a first visit). The
  handler puts a :class:`PageRequest` in :data:`CURRENT_PAGE` before Voilà handles the request; the
  kernel manager (`widgets.server.kernels`) reads it in the same asyncio task when it starts the page's
  kernel or takes one from a preheated pool, and hands both to :class:`PageKernels`.

:class:`PageKernels` keeps two limits a real room never reaches, and never refuses a page for them:

- one participant holds at most ``pages_per_participant`` page kernels: one more first stops that
  participant's oldest page kernel without an open websocket (a page left without a word), else their
  oldest. Their answers are in the store: the next page they open shows them;
- pages opened without a participant cookie that have no open websocket (a plain GET, a link
  preview, a script) hold at most ``pages_without_cookie`` kernels: one more stops the oldest of them
  whose HTML was sent more than :data:`GRACE` seconds ago, so a real browser still loading its page
  keeps it. The same is checked every :data:`SWEEP` seconds, for a burst of requests at once.

Voilà's preheated kernels that no request has taken yet are not counted. Each kernel stopped for a limit
is logged in one line, without any code.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import tornado.web
from jupyter_server.utils import url_path_join
from tornado.ioloop import PeriodicCallback
from voila.tornado.handler import TornadoVoilaHandler

from widgets.content_files import DEFAULT_LOCALE, content_dir, notebook_in
from widgets.participant import read_participant_cookie
from widgets.room.access import token_matches
from widgets.server.language import (
    LANGUAGE_COOKIE,
    page_language,
    request_locale,
    wanted_locale,
)
from widgets.server.participant_link import answer_code_link

__all__ = ["CURRENT_PAGE", "GRACE", "PageKernels", "PageRequest", "WorkbookPageHandler"]

log = logging.getLogger(__name__)

# Seconds after a page's HTML was sent in which its browser may still be connecting the kernel's
# websocket: such a page is never stopped for the cookie-less limit. Jupyter counts a websocket only
# once the kernel has answered it, and a server busy with a room's burst (120 pages at once on 2
# cores: welcome ready p95 28 s, benchmarks/README.md) can take many seconds to get there.
GRACE = 30.0
# Seconds between two looks at the cookie-less pages (a burst of requests all arrives within the grace).
SWEEP = 2.0


@dataclass(eq=False)
class PageRequest:
    """One page request: whose it is, when it came, and the kernel it got."""

    owner: str | None
    """The participant code of the request's cookie; ``None`` without one. Never logged."""
    started: float
    kernel_id: str = ""
    taken: float = 0.0
    """When it got its kernel (``time.monotonic``)."""
    served: float | None = None
    """When its HTML was sent in full, or ``None`` while it is still being made."""
    locale: str = DEFAULT_LOCALE
    """The language the browser asked for, of those the workbook has: the busy page's."""


CURRENT_PAGE: ContextVar[PageRequest | None] = ContextVar("workbook_page_request", default=None)


class PageKernels:
    """The kernels given to page requests, and whose each is; stops kernels past the two limits.

    Parameters
    ----------
    manager
        The server's kernel manager: ``pages_per_participant``, ``pages_without_cookie`` (read at each
        check), ``shutdown_kernel``, ``kernel_id in manager``, and Jupyter's count of open websockets
        per kernel (``_kernel_connections``, which the websocket handler keeps).
    clock
        Seconds, as ``time.monotonic``.
    """

    def __init__(self, manager: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self.manager = manager
        self.clock = clock
        self.pages: dict[str, PageRequest] = {}
        self.stopped = {"participant": 0, "without_cookie": 0}
        self.waiting = 0  # page requests whose HTML is not sent yet (the pools' gate waits for them)
        self._sweeper: PeriodicCallback | None = None
        self._stopping: set[asyncio.Future[None]] = set()

    def start(self) -> None:
        """Look at the cookie-less pages every :data:`SWEEP` seconds from now on."""
        self._sweeper = PeriodicCallback(self.sweep, SWEEP * 1000)
        self._sweeper.start()

    # --- what the handler and the kernel manager tell it -------------------------------------------

    def opening(self, request: PageRequest) -> None:
        """A page request came, before it gets a kernel: make room under its limit first."""
        if request.owner is not None:
            self._keep_participant(request.owner, self.manager.pages_per_participant - 1)
        else:
            self._keep_without_cookie(self.manager.pages_without_cookie - 1)

    def given(self, request: PageRequest | None, kernel_id: str) -> None:
        """``request`` got the kernel ``kernel_id`` (``None``: not a page request, e.g. a pool's refill)."""
        if request is None or request.kernel_id:
            return
        request.kernel_id, request.taken = kernel_id, self.clock()
        self.pages[kernel_id] = request
        # Requests that came together all passed `opening` before any had its kernel: check again.
        if request.owner is not None:
            self._keep_participant(request.owner, self.manager.pages_per_participant, spare=request)
        else:
            self._keep_without_cookie(self.manager.pages_without_cookie)

    def served(self, request: PageRequest) -> None:
        """``request``'s HTML has been sent (or its client went away)."""
        request.served = self.clock()

    def sweep(self) -> None:
        """Stop what the cookie-less limit allows to stop now (see :data:`GRACE`)."""
        self._keep_without_cookie(self.manager.pages_without_cookie)

    # --- counts -----------------------------------------------------------------------------------------

    def connections(self, kernel_id: str) -> int:
        """The kernel's open websockets, as Jupyter counts them for its culler."""
        return int(self.manager._kernel_connections.get(kernel_id, 0))

    def alive(self) -> list[PageRequest]:
        """The page kernels still running, oldest first (a kernel gone otherwise is forgotten here)."""
        for kernel_id in [kernel_id for kernel_id in self.pages if kernel_id not in self.manager]:
            del self.pages[kernel_id]
        return sorted(self.pages.values(), key=lambda page: page.taken)

    def held_by(self, owner: str) -> list[PageRequest]:
        """``owner``'s page kernels, oldest first."""
        return [page for page in self.alive() if page.owner == owner]

    def unconnected_without_cookie(self) -> list[PageRequest]:
        """Cookie-less pages with no open websocket, oldest first."""
        return [page for page in self.alive() if page.owner is None and not self.connections(page.kernel_id)]

    # --- the limits -----------------------------------------------------------------------------------

    def _keep_participant(self, owner: str, at_most: int, spare: PageRequest | None = None) -> None:
        held = [page for page in self.held_by(owner) if page is not spare]
        extra = len(held) + (spare is not None) - at_most
        if extra <= 0:
            return
        # A page left without a word first (no websocket, HTML sent), then one still loading, then the
        # oldest open one.
        held.sort(key=lambda page: (self.connections(page.kernel_id) > 0, page.served is None, page.taken))
        for page in held[:extra]:
            self._stop(page, "participant")

    def _keep_without_cookie(self, at_most: int) -> None:
        waiting = self.unconnected_without_cookie()
        extra = len(waiting) - at_most
        if extra <= 0:
            return
        now = self.clock()
        grace = getattr(self.manager, "unconnected_grace", GRACE)
        stoppable = [page for page in waiting if page.served is not None and now - page.served >= grace]
        for page in stoppable[:extra]:
            self._stop(page, "without_cookie")

    def _stop(self, page: PageRequest, limit: str) -> None:
        self.pages.pop(page.kernel_id, None)
        self.stopped[limit] += 1
        if limit == "participant":
            why = f"one participant had more than {self.manager.pages_per_participant} pages open"
        else:
            why = f"more than {self.manager.pages_without_cookie} pages opened without a participant"
            why += " had not connected"
        self.manager.log.warning("Stopped a page's kernel: %s", why)
        # Not awaited: the page that asked waits only if the kernel cap is full, until this one is gone.
        task = asyncio.ensure_future(self._shut_down(page.kernel_id))
        self._stopping.add(task)  # held until done: the loop keeps only a weak reference
        task.add_done_callback(self._stopping.discard)

    async def _shut_down(self, kernel_id: str) -> None:
        try:
            await self.manager.shutdown_kernel(kernel_id)
        except Exception as error:  # gone meanwhile (its page left, the culler): nothing to stop
            log.info("a page's kernel was already stopped: %s", type(error).__name__)


@cache
def _facilitator_notebook() -> str:
    from widgets.workbook_content import load_content

    return load_content().sections.facilitator_notebook


class WorkbookPageHandler(TornadoVoilaHandler):
    """Voilà's page handler, with the facilitator page's gate and each page's kernel counted as whose."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        """Refuse the facilitator page without its link; else serve the page as Voilà does, counted."""
        # A workbook code in the address is asked about first, with no kernel (participant_link).
        if answer_code_link(self):
            return
        if self._facilitator_refused(path):
            self._leaders_only()
            return
        if self._sent_to_its_language(path):
            return
        pages: PageKernels | None = getattr(self.kernel_manager, "page_kernels", None)
        if pages is None:
            await super().get(path)
            return
        cookie = read_participant_cookie(self.request.headers.get("Cookie"))
        locale = request_locale(self.request.headers)
        request = PageRequest(owner=cookie.code if cookie else None, started=pages.clock(), locale=locale)
        pages.opening(request)
        pages.waiting += 1
        # Seen by the kernel manager in this same task, whether the kernel comes from a pool or starts.
        reset = CURRENT_PAGE.set(request)
        try:
            await super().get(path)
        finally:
            CURRENT_PAGE.reset(reset)
            pages.waiting -= 1
            pages.served(request)

    def _sent_to_its_language(self, path: str | None) -> bool:
        """Redirect to the page in the language it should be read in (`widgets.server.language`).

        Otherwise remember the page's language in the browser's language cookie and let it be served.
        """
        page = page_language(path or "")
        if page is None:
            return False
        locale, name = page
        chosen = self.get_query_argument("lang", None)
        wanted = wanted_locale(locale, chosen, self.get_cookie(LANGUAGE_COOKIE), self.request.headers)
        root = Path(self.contents_manager.root_dir)
        if wanted != locale and (root / notebook_in(wanted, name)).is_file():
            # The rest of the address comes along (a room's join code or private link).
            query = [
                (key, value.decode("utf-8", "replace"))
                for key, values in self.request.query_arguments.items()
                for value in values
                if key != "lang"
            ]
            target = url_path_join(self.base_url, "voila/render", notebook_in(wanted, name))
            self.redirect(target + (f"?{urlencode(query)}" if query else ""))
            return True
        self.set_cookie(LANGUAGE_COOKIE, locale, path=self.base_url, samesite="Lax", httponly=True)
        return False

    def _facilitator_refused(self, path: str | None) -> bool:
        # The notebook as the contents manager will find it: `./20-facilitator.ipynb` is the same page,
        # in every language.
        page = page_language(path or "")
        if page is None or page[1] != _facilitator_notebook():
            return False
        if token_matches(self.get_query_arguments("token")):
            return False
        # A room's private link: the page's kernel checks the key against the room's hash.
        return not (self.get_query_argument("room", "") and self.get_query_argument("key", ""))

    def _leaders_only(self) -> None:
        from widgets.rendering.parts import facilitator_only_page
        from widgets.workbook_content import load_content

        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        content = load_content(content_dir(request_locale(self.request.headers)))
        self.finish(facilitator_only_page(content, self.base_url))
