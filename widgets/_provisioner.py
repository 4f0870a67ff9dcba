"""A kernel provisioner that gets Voilà's kernels from a warm parent process (`widgets._zygote`).

Chosen in ``voila.json`` by ``KernelProvisionerFactory.default_provisioner_name = "workbook-fork"``, so
only the Voilà server uses it: JupyterLab and nbval start kernels the usual way. If the warm parent
cannot be started or refuses a request, the kernel is started the usual way too, and a warning says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

_ZYGOTE_START_TIMEOUT = 60.0  # seconds: preloading takes about 1 s, far longer on a busy machine


class _ForkedKernel:
    """The part of `subprocess.Popen` that `LocalProvisioner` uses, for a kernel forked elsewhere.

    The warm parent, not this server, is the kernel's parent and collects its exit, so its exit status
    is not known here: a finished kernel reports 0.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        # Only called once `poll` has said the kernel ended.
        while self.poll() is None:
            os.sched_yield()
        return 0

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # A zombie is done, waiting only to be collected: the field after the name is its state.
    return stat.rpartition(")")[2].split()[0] != "Z"


class _Zygote:
    """The one warm parent of this server, started on the first kernel request."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="workbook-zygote-")  # mode 0700: only this user connects
        self.socket = str(Path(self.folder) / "kernels.sock")
        self.process: asyncio.subprocess.Process | None = None
        self._starting: asyncio.Lock | None = None

    async def ready(self) -> bool:
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self.process is not None and self.process.returncode is None:
                return True
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "widgets._zygote", self.socket, stdin=asyncio.subprocess.DEVNULL
            )
            deadline = asyncio.get_running_loop().time() + _ZYGOTE_START_TIMEOUT
            while asyncio.get_running_loop().time() < deadline and self.process.returncode is None:
                with contextlib.suppress(OSError):
                    _reader, writer = await asyncio.open_unix_connection(self.socket)
                    writer.close()
                    return True
                await asyncio.sleep(0.05)
            return False

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        reader, writer = await asyncio.open_unix_connection(self.socket)
        try:
            writer.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            await writer.drain()
            answer = json.loads(await reader.readline())
        finally:
            writer.close()
        if "pid" not in answer:
            raise OSError(answer.get("error", "no answer"))
        return int(answer["pid"])


_ZYGOTE = _Zygote()


async def start_warm_parent() -> bool:
    """Start this server's warm parent now rather than on the first kernel request; True once ready."""
    return await _ZYGOTE.ready()


class ForkingProvisioner(LocalProvisioner):  # type: ignore[misc]
    """`LocalProvisioner`, but the kernel process is forked from a warm parent when it can be."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            if not await _ZYGOTE.ready():
                raise OSError("the warm parent did not start")
            pid = await _ZYGOTE.fork(cmd, env, cwd)
        except (OSError, ValueError) as error:
            self.log.warning("Starting a kernel the usual way: %s", error)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _ForkedKernel(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info
