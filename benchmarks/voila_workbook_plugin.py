"""A pytest plugin that runs Voilà's own app tests against the workbook's server instead of stock Voilà.

`benchmarks.voila_tests` loads it (``-p benchmarks.voila_workbook_plugin``) in the second of its two
runs. Voilà's tests start their server through a class named ``VoilaTest`` (stock Voilà with ``listen``
left out, as pytest-tornasync serves the application itself), made in ``tests/app/conftest.py`` and in
one test module. Once the tests are collected, every such class is swapped for one of the same name
made from the workbook's Voilà (`widgets.server.voila_app.WorkbookVoila`: its routes, page handler,
host check and template files), so each test's fixture starts the workbook's server.

That server reads the workbook's ``voila.json`` as ``./workbook serve`` does: its kernel manager
(`widgets.server.kernels.CappedKernelManager`, with the preheated pools' gate), the warm parent's
provisioner, IPC transport, websocket class, template and the rest. A test's own settings (its config
folder, its command line) still come first, as they would over any ``voila.json``: a test that asks for
the ``lab`` template or for no preheating gets it, and everything it does not set is the workbook's.
"""

from __future__ import annotations

import contextlib
import signal
import types
from pathlib import Path
from typing import Any

import psutil
import pytest
import voila.app

from widgets.server import provisioner
from widgets.server.voila_app import WorkbookVoila

# The repository's root, where the workbook's voila.json is.
REPO = Path(__file__).resolve().parents[1]


class WorkbookVoilaTest(WorkbookVoila):
    """The workbook's Voilà as Voilà's tests start theirs, their settings taken first."""

    def listen(self) -> None:
        """Nothing: pytest-tornasync's server serves the application (as in Voilà's own ``VoilaTest``)."""

    def load_config_file(self, filename: str, path: Any = None) -> None:
        """Read ``voila.json`` from the test's folders, then the workbook's: its settings below theirs."""
        if filename == "voila":
            folders = [path] if isinstance(path, str) else list(path or [])
            path = [*folders, str(REPO)]  # the last folder has the lowest priority (traitlets)
        super().load_config_file(filename, path)

    def start(self) -> None:
        """Start, with the warm parent kept from the server before, if any (see `_warm_parent_kept`)."""
        _warm_parent_kept()
        super().start()


def _warm_parent_process(zygote: Any) -> psutil.Process | None:
    """The warm parent process of a `provisioner._Zygote`, while it runs."""
    process = zygote.process
    pid = process.popen.pid if isinstance(process, provisioner._BegunEarly) else getattr(process, "pid", None)
    if pid is None or process.returncode is not None:
        return None
    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def _end_warm_parent(zygote: Any) -> None:
    """End a warm parent as a server's exit does: SIGTERM, and it takes any kernel of its own with it."""
    warm_parent = _warm_parent_process(zygote)
    if warm_parent is not None:
        with contextlib.suppress(psutil.Error):
            warm_parent.send_signal(signal.SIGTERM)
            warm_parent.wait(timeout=10)  # collects it: it is this process's child


def _warm_parent_kept() -> None:
    """Give the next server the warm parent already running, with a lock of the server's own event loop.

    ``./workbook serve`` runs one server per process, so its warm parent (`widgets.server.provisioner`)
    is the process's one, begun as the process starts (about 2 s of preloading, side by side with the
    server's own start) and ready by the first page. Voilà's tests start a server per test in one
    process, each on a new event loop, and each starts in milliseconds, being imported already. So the
    warm parent the first server began serves every server after it, as it would serve one long-lived
    server; only its lock, which belongs to an event loop, is made anew. A warm parent that is not the
    one begun with the server (started again after a failure) is ended: the next server begins its own.
    """
    kept = provisioner._ZYGOTE
    fresh = provisioner._Zygote()
    if isinstance(kept.process, provisioner._BegunEarly) and _warm_parent_process(kept) is not None:
        fresh.folder, fresh.process = kept.folder, kept.process
    else:
        _end_warm_parent(kept)
    provisioner._ZYGOTE = fresh


def _swap_voila_class(module: types.ModuleType) -> None:
    """Put the workbook's class in the place of the module's ``VoilaTest``, if it has one of Voilà's."""
    found = getattr(module, "VoilaTest", None)
    if (
        isinstance(found, type)
        and issubclass(found, voila.app.Voila)
        and not issubclass(found, WorkbookVoilaTest)
    ):
        # One class per module, as before: each keeps its own single instance (traitlets' singleton),
        # and the name is the one the tests' settings use (``--VoilaTest.root_dir=...``).
        module.VoilaTest = type("VoilaTest", (WorkbookVoilaTest,), {"__module__": module.__name__})


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Swap the class in every conftest and test module collected, before any test's fixture runs."""
    modules = {
        plugin
        for plugin in session.config.pluginmanager.get_plugins()
        if isinstance(plugin, types.ModuleType)
    }
    modules.update(item.module for item in session.items if isinstance(item, pytest.Function))
    for module in modules:
        _swap_voila_class(module)


def pytest_unconfigure(config: pytest.Config) -> None:
    """End the warm parent with the test process, as it ends with a server's."""
    _end_warm_parent(provisioner._ZYGOTE)
