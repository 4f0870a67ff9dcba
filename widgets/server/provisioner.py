"""A kernel provisioner that gets Voilà's kernels from a warm parent process (`widgets.server.warm_parent`).

Chosen in ``voila.json`` by ``KernelProvisionerFactory.default_provisioner_name = "workbook-fork"``, so
only the Voilà server uses it: JupyterLab and nbval start kernels the usual way. If the warm parent
cannot be started or refuses a request, the kernel is started the usual way too, and a warning says so.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

_ZYGOTE_START_TIMEOUT = 60.0  # seconds: preloading takes about 1 s, far longer on a busy machine
_RETRY_AFTER_FAILURE = 60.0  # seconds of usual kernel starts after the warm parent failed to start
_FORK_TIMEOUT = 10.0  # seconds for the warm parent to answer a request (it takes milliseconds)


class _ForkedKernel:
    """The part of `subprocess.Popen` that `LocalProvisioner` uses, for a kernel forked elsewhere.

    The warm parent, not this server, is the kernel's parent and collects its exit, so its exit status
    is not known here: a finished kernel reports 0.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.started = _stat(pid)[1]
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self.pid, self.started):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        # Only called once `poll` has said the kernel ended.
        while self.poll() is None:
            os.sched_yield()
        return 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is not None:
            return  # its number may belong to another process by now
        os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _stat(pid: int) -> tuple[str, str]:
    """A process's state letter and start time (in clock ticks since boot), or ``("", "")`` if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return "", ""
    return fields[0], fields[19]  # fields 3 and 22 of proc(5)


def _alive(pid: int, started: str | None = None) -> bool:
    """Whether ``pid`` runs, and is still the process that started at ``started`` (ids are reused)."""
    state, start = _stat(pid)
    # A zombie is done, waiting only to be collected.
    return state not in {"", "Z"} and (started is None or start == started)


class _BegunEarly:
    """The warm parent begun before the server's event loop ran, as :class:`_Zygote` looks at it.

    A `subprocess.Popen`, with the two things of an asyncio process that `_Zygote` uses.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.popen = process

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def kill(self) -> None:
        self.popen.kill()


class _Zygote:
    """The one warm parent of this server, started with it (or on the first kernel request)."""

    def __init__(self) -> None:
        self.folder = ""
        self.process: asyncio.subprocess.Process | _BegunEarly | None = None
        self._listening = False
        self._starting: asyncio.Lock | None = None
        self._not_before = 0.0  # after a failed start, kernels start the usual way for a while

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "widgets.server.warm_parent", self.socket]

    def begin(self) -> None:
        """Start preloading now, while the server itself starts.

        Both take about 2 s, side by side on 2 cores: after a crash and a restart, the room's
        reloaded pages find the warm parent ready instead of waiting for it.
        """
        if self.process is None:
            self.process = _BegunEarly(subprocess.Popen(self._command(), stdin=subprocess.DEVNULL))  # noqa: S603

    @property
    def socket(self) -> str:
        if not self.folder:
            self.folder = tempfile.mkdtemp(prefix="workbook-zygote-")  # mode 0700: only this user connects
            atexit.register(shutil.rmtree, self.folder, True)
        return str(Path(self.folder) / "kernels.sock")

    async def ready(self) -> bool:
        loop = asyncio.get_running_loop()
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self.process is not None and self.process.returncode is None and self._listening:
                return True
            if self.process is None or self.process.returncode is not None:
                if loop.time() < self._not_before:
                    return False
                self.process = await asyncio.create_subprocess_exec(
                    *self._command(), stdin=asyncio.subprocess.DEVNULL
                )
            # Started here or by `begin`: ready once it listens.
            deadline = loop.time() + _ZYGOTE_START_TIMEOUT
            while loop.time() < deadline and self.process.returncode is None:
                with contextlib.suppress(OSError):
                    _reader, writer = await asyncio.open_unix_connection(self.socket)
                    writer.close()
                    self._listening = True
                    return True
                await asyncio.sleep(0.05)
            self._listening = False
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            self._not_before = loop.time() + _RETRY_AFTER_FAILURE
            return False

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        return await asyncio.wait_for(self._fork(argv, env, cwd), _FORK_TIMEOUT)

    async def _fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        reader, writer = await asyncio.open_unix_connection(self.socket)
        try:
            writer.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            await writer.drain()
            answer = json.loads(await reader.readline() or b"{}")
        finally:
            writer.close()
        if "pid" not in answer:
            raise OSError(answer.get("error", "no answer"))
        return int(answer["pid"])


_ZYGOTE = _Zygote()


def begin_warm_parent() -> None:
    """Start this server's warm parent at once, before its event loop runs (see `_Zygote.begin`)."""
    _ZYGOTE.begin()


def end_warm_parent_begun() -> None:
    """Stop a warm parent :func:`begin_warm_parent` began, for a server whose kernels do not use it."""
    process = _ZYGOTE.process
    if isinstance(process, _BegunEarly):
        if process.returncode is None:
            process.kill()
            process.popen.wait()
        _ZYGOTE.process = None


async def start_warm_parent() -> bool:
    """Start this server's warm parent now rather than on the first kernel request; True once ready."""
    return await _ZYGOTE.ready()


def _same_python(program: str) -> bool:
    """Whether a kernel command's program is this server's own Python (the one the warm parent runs)."""
    found = shutil.which(program) if program and not os.path.isabs(program) else program
    if not found:
        return False
    return os.path.realpath(found) == os.path.realpath(sys.executable)


class ForkingProvisioner(LocalProvisioner):
    """`LocalProvisioner`, but the kernel process is forked from a warm parent when it can be."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Start the kernel: forked from the warm parent, or the usual way when it cannot be."""
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            if not _same_python(cmd[0] if cmd else ""):
                raise OSError(f"the kernel's Python ({cmd[0] if cmd else '?'}) is not the server's")
            if not await _ZYGOTE.ready():
                raise OSError("the warm parent did not start")
            pid = await _ZYGOTE.fork(cmd, env, cwd)
        except (OSError, ValueError, TimeoutError) as error:
            self.log.warning("Starting a kernel the usual way: %s", error)
            return await super().launch_kernel(cmd, **kwargs)
        # LocalProvisioner's process is a Popen (from jupyter_client's launch_kernel); the forked kernel
        # stands in for one, with the part of Popen that LocalProvisioner uses.
        self.process = cast("subprocess.Popen[bytes]", _ForkedKernel(pid))
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info
