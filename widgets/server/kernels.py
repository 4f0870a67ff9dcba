"""The server's kernel manager: Jupyter's, with a cap on how many page kernels run at once.

Chosen in ``voila.json`` (``VoilaConfiguration.multi_kernel_manager_class``) and set there too
(``CappedKernelManager.max_kernels``, ``wait_for_room``). A page that finds every kernel in use waits
its turn for a while; if none frees up, the server answers 503 with the workbook's calm "busy" page,
which tries again by itself. Nothing a participant entered is touched: their answers are in the store.

It also counts whose each page's kernel is, for two limits no real room meets
(``pages_per_participant``, ``pages_without_cookie``; see `widgets.server.page_requests`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_client.provisioning.factory import KernelProvisionerFactory
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.ioloop import IOLoop
from traitlets import Bool, Float, Integer, TraitError, validate

from widgets.backups import (
    RollingBackups,
    backup_hours,
    backup_keep,
    default_backup_dir,
    hold_serving_lock,
)
from widgets.content_files import DEFAULT_LOCALE, content_dir
from widgets.server import template_cache
from widgets.server.page_requests import CURRENT_PAGE, GRACE, PageKernels
from widgets.server.pool_gate import PoolGate
from widgets.server.provisioner import begin_warm_parent, end_warm_parent_begun, start_warm_parent
from widgets.server.room_pools import RoomPools
from widgets.store import default_location, default_path


def room_demand() -> list[tuple[int, int, str | None]]:
    """The rooms in use: each one's id, how many people it expects, and the notebook it is paced to."""
    from widgets.registry import SECTIONS
    from widgets.room.model import Rooms
    from widgets.store import default_store
    from widgets.workbook_content import load_content

    sections = load_content().sections
    return [
        (
            room.room_id,
            room.expected,
            sections.by_number(room.pace_section).notebook if room.pace_section else None,
        )
        for room in Rooms(default_store(), SECTIONS).demand()
    ]


class BusyError(web.HTTPError):
    """Every kernel is in use. ``page`` is the whole busy page (the ``503.html`` template shows it)."""

    def __init__(self, page: str) -> None:
        super().__init__(503, reason="Busy")
        self.page = page


class CappedKernelManager(AsyncMappingKernelManager):
    """`AsyncMappingKernelManager` that starts at most ``max_kernels`` kernels at once."""

    max_kernels = Integer(
        90,
        config=True,
        help="Most kernels running (or starting) at once: each open page holds one.",
    )
    wait_for_room = Float(
        20.0,
        config=True,
        help="Seconds a page waits for a kernel to free up before it is shown the busy page.",
    )
    retry_after = Integer(8, config=True, help="Seconds the busy page waits before it tries again by itself.")
    pools_for_rooms = Bool(
        True,
        config=True,
        help="Grow the preheated pools for the rooms that are open (see widgets/server/room_pools.py).",
    )

    ready_when_idle = Integer(
        20,
        config=True,
        help="Pages kept ready on the welcome page and on section 1 each (shared by the workers), for"
        " people who arrive together with no room open; fewer if free memory is short. 0: one each.",
    )

    pages_per_participant = Integer(
        8,
        config=True,
        help="Most page kernels one participant (their cookie) holds: one more first stops their oldest"
        " page's kernel, one without an open websocket if any. Their answers are in the store.",
    )
    pages_without_cookie = Integer(
        60,
        config=True,
        help="Most kernels of pages opened without a participant cookie that have no open websocket: one"
        f" more stops the oldest of them whose HTML was sent more than {GRACE:g} s ago. Above any room.",
    )

    unconnected_grace = Float(
        GRACE,
        config=True,
        help="Seconds after its HTML was sent that a page without a cookie may take to connect before it"
        " counts toward pages_without_cookie's stops (a phone on slow Wi-Fi is still loading).",
    )

    @validate("max_kernels", "pages_per_participant", "pages_without_cookie")
    def _at_least_one(self, proposal: dict[str, Any]) -> int:
        value: int = proposal["value"]
        if value < 1:
            raise TraitError(f"{proposal['trait'].name} must be at least 1, got {value}")
        return value

    @validate("ready_when_idle")
    def _not_below_zero(self, proposal: dict[str, Any]) -> int:
        value: int = proposal["value"]
        if value < 0:
            raise TraitError(f"ready_when_idle cannot be negative, got {value}")
        return value

    @validate("wait_for_room", "unconnected_grace")
    def _not_negative(self, proposal: dict[str, Any]) -> float:
        value: float = proposal["value"]
        if value < 0:
            raise TraitError(f"{proposal['trait'].name} cannot be negative, got {value}")
        return value

    @validate("retry_after")
    def _sensible_retry(self, proposal: dict[str, Any]) -> int:
        value: int = proposal["value"]
        if not 1 <= value <= 300:
            raise TraitError(f"retry_after must be 1 to 300 seconds, got {value}")
        return value

    # Voilà's preheating kernel manager, a class Voilà derives from this one, has this method (an
    # annotation only: hasattr below still tells whether it is there).
    get_rendered_notebook: Callable[..., Awaitable[Any]]
    _initialize: Callable[..., Awaitable[Any]]
    _pools: dict[str, list[asyncio.Task[Any]]]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]  # unannotated in jupyter_server
        # This class is the workbook's one piece of code in the server process, made once at its start:
        # the place to stop every page from compiling the same templates again.
        template_cache.install()
        # Held for the server's whole life: `./workbook restore` refuses while any server holds it.
        self._serving_lock = hold_serving_lock()
        # At start, then every RECONNECTION_BACKUP_HOURS (0: never), in a thread (widgets/backups.py).
        self.rolling_backups = RollingBackups(
            default_location(), default_backup_dir(), backup_hours(), backup_keep()
        )
        IOLoop.current().add_callback(self.rolling_backups.start)
        self._starting = 0
        self._busy_pages: dict[str, str] = {}
        if KernelProvisionerFactory.instance(parent=self.parent).default_provisioner_name == "workbook-fork":
            # Start the warm parent with the server, not with the first page: a room's first burst
            # (the reloads after a crash) should not wait for its preloading (about 2 s). Begun now, it
            # preloads while the server itself finishes starting.
            begin_warm_parent()
            IOLoop.current().add_callback(start_warm_parent)
        else:  # `python -m widgets.server` began one: this server's kernels start the usual way
            end_warm_parent_begun()
        self._share_one_event_logger()
        # Whose each page's kernel is (`widgets.server.page_requests.WorkbookPageHandler` says).
        self.page_kernels = PageKernels(self)
        IOLoop.current().add_callback(self.page_kernels.start)
        self.room_pools: RoomPools | None = None
        self.pool_gate: PoolGate | None = None
        if hasattr(type(self), "get_rendered_notebook"):  # Voilà preheats kernels
            if self.pools_for_rooms:
                self._size_pools_for_rooms()
            self._count_pooled_pages()
            self._pages_before_pools()

    def _share_one_event_logger(self) -> None:
        """Give every kernel's manager the first one's event logger, its schemas registered once.

        jupyter_server's kernel manager registers its event schemas on the logger it is given, parsing
        their YAML files again each time (about 10 ms): 4% of the server's CPU when a room's pages
        start their kernels together. The logger is the same object for every kernel either way.
        """
        make_manager = self.kernel_manager_factory
        shared: list[Any] = []

        def sharing_the_event_logger(**kwargs: Any) -> Any:
            if shared:
                kwargs.setdefault("event_logger", shared[0])
            manager = make_manager(**kwargs)
            if not shared:
                shared.append(manager.event_logger)
            return manager

        self.kernel_manager_factory = sharing_the_event_logger

    def _size_pools_for_rooms(self) -> None:
        from widgets.workbook_content import load_content

        sections = load_content().sections
        self.room_pools = RoomPools(
            self,
            room_demand,
            sections.welcome_notebook,
            default_path().parent,
            together=[name for name in (sections.welcome_notebook, sections.by_number(1).notebook) if name],
            ready_when_idle=self.ready_when_idle,
        )
        IOLoop.current().add_callback(self.room_pools.start)

    def _count_pooled_pages(self) -> None:
        pooled_page = self.get_rendered_notebook
        room_pools, page_kernels = self.room_pools, self.page_kernels

        async def counted(notebook_name: str | None = None, *args: Any, **kwargs: Any) -> Any:
            if notebook_name is not None and room_pools is not None:
                room_pools.taking(notebook_name)
            pool = self._pools.get(notebook_name or "", [])
            # Voilà hands the page the pool's first entry: make it one whose kernel is made, if any
            # (the gate makes them in its own order), else have the gate make that one now.
            made = next((n for n, task in enumerate(pool) if task.done() and not task.exception()), None)
            if made:
                pool.insert(0, pool.pop(made))
            elif made is None and pool and self.pool_gate is not None:
                self.pool_gate.wanted_now(pool[0])
            taken = await pooled_page(notebook_name, *args, **kwargs)
            page_kernels.given(CURRENT_PAGE.get(), taken[2])  # (render task, rendered cells, kernel id)
            return taken

        # Voilà's own method, wrapped on this object: Voilà's class derives from this one, so a method
        # defined here would not be reached.
        self.get_rendered_notebook = counted

    def _pages_before_pools(self) -> None:
        """Make pool kernels only while no page is waiting, one at a time (`widgets.server.pool_gate`)."""
        from voila.request_info_handler import RequestInfoSocketHandler

        from widgets.workbook_content import load_content

        sections = load_content().sections
        together = {sections.welcome_notebook, sections.by_number(1).notebook}
        room_pools, page_kernels = self.room_pools, self.page_kernels

        def priority(notebook: str) -> int:
            if room_pools is not None and any(name == notebook for _room, name in room_pools.wanted):
                return 0
            return 1 if notebook in together else 2

        self.pool_gate = gate = PoolGate(
            lambda: page_kernels.waiting,
            priority,
            lambda kernel_id: kernel_id in RequestInfoSocketHandler._waiters,
        )
        make_pooled = self._initialize

        async def gated(notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> Any:
            if kernel_id is not None:  # a kernel restarted in place: not a pool's new kernel
                return await make_pooled(notebook_path, kernel_id, **kwargs)
            async with gate.turn(notebook_path, asyncio.current_task()) as made:
                pooled = await make_pooled(notebook_path, None, **kwargs)
                made(pooled["kernel_id"])
                return pooled

        # Voilà's own method, wrapped on this object (as get_rendered_notebook above). Voilà's __init__
        # fills its pools after this class's __init__ has run, so every fill goes through the gate.
        self._initialize = gated

    def in_use(self) -> int:
        """Kernels running, plus those still starting."""
        return len(self.list_kernel_ids()) + self._starting

    # jupyter_server makes start_kernel a coroutine (with its own type: ignore); mypy still sees the
    # blocking wrapper jupyter_client declares.
    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel once there is room for it, or raise `BusyError` after ``wait_for_room``.

        Kernels for Voilà's preheated pools are not held back here: they wait in the pools' gate until
        no page is waiting (`widgets.server.pool_gate`), and the pools grow only while there is room
        under the cap (`widgets.server.room_pools`). A page that finds the cap full takes the place of
        a kernel kept ready for an unannounced burst, if there is one.
        """
        if (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True":
            return await super().start_kernel(*args, **kwargs)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_for_room
        while self.in_use() >= self.max_kernels:
            spare = self.room_pools.spare_kernel() if self.room_pools is not None else None
            if spare is not None:  # a kernel kept ready for a burst gives its place to this page
                await self.shutdown_kernel(spare)  # type: ignore[no-untyped-call]  # jupyter_server's
                continue
            if loop.time() >= deadline:
                self.log.warning("All %d kernels in use: a page got the busy page", self.max_kernels)
                raise BusyError(self.busy_page())
            await asyncio.sleep(0.2)
        self._starting += 1
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
        # A page's own kernel (no pool had one): the page request it is for, if any, in this task.
        self.page_kernels.given(CURRENT_PAGE.get(), kernel_id)
        return kernel_id

    async def _async_shutdown_kernel(
        self, kernel_id: str, now: bool | None = False, restart: bool | None = False
    ) -> None:
        """Shut a kernel down as `shutdown_all` does it for each kernel: one already gone is done.

        `shutdown_all` lists the kernels, then shuts each down. One removed in between (its page's own
        shutdown finishing, a start that failed) made jupyter_server raise ``HTTP 404: Kernel does not
        exist``, and the server's stop ended halfway. `shutdown_kernel`, which the REST API calls, is
        jupyter_server's own and still answers 404 for an unknown kernel.
        """
        if kernel_id not in self:
            self.log.debug("Kernel %s was already gone when it was to be shut down", kernel_id)
            return
        # No await before jupyter_server's own check: the kernel cannot go in between.
        await super()._async_shutdown_kernel(kernel_id, now=now, restart=restart)  # type: ignore[no-untyped-call]

    def busy_page(self) -> str:
        """The busy page in the waiting page's language, made the first time it is needed."""
        request = CURRENT_PAGE.get()
        locale = request.locale if request is not None else DEFAULT_LOCALE
        if locale not in self._busy_pages:
            # The server loads the content only if it is ever busy.
            from widgets.rendering.parts import busy_page
            from widgets.workbook_content import load_content

            self._busy_pages[locale] = busy_page(load_content(content_dir(locale)), self.retry_after)
        return self._busy_pages[locale]
