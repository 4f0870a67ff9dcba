"""A warm parent process that forks Voilà's kernels.

A page's kernel spends most of its start importing IPython, ipykernel, ipywidgets, SQLAlchemy, pydantic
and this package, and loading the content: about 1 CPU-second and 70 MiB, the same for every page. This
process does that once, then forks a kernel for each request: the child starts already warm, and the
pages it has not written to stay shared with this parent (copy-on-write).

Run as ``python -m widgets.server.warm_parent SOCKET``; `widgets.server.provisioner.ForkingProvisioner`
starts it and asks for kernels over the Unix socket, one JSON line each way:

- request: ``{"argv": [python, "-m", "ipykernel_launcher", "-f", FILE], "env": {...}, "cwd": "..."}``
- answer: ``{"pid": N}``, or ``{"error": "..."}`` for a request it will not serve.

Nothing here may start a thread, an event loop or a ZeroMQ context before forking: a forked child
inherits only the thread that forked, so each of those must be made by the child itself.

This is the one place where server code imports the pages (``widgets.pages`` and every section's view, to
preload them); the arrow never points the other way: no page, section or control imports
``widgets.server``.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import random
import select
import signal
import socket
import sys
import traceback
from typing import TypedDict

# What every page imports, so no kernel pays for it again.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    # What a kernel's start loads on its own (the debugger, pdb): about 18 MiB per kernel otherwise.
    "ipykernel.debugger",
    "_pydevd_bundle.pydevd_api",
    "pdb",
    "faulthandler",
    "ipywidgets",
    "anywidget",
    "voila.utils",
    "widgets.pages",
    "widgets.welcome_view",
    "widgets.summary",
    "widgets.room.participant_view",
)

_LAUNCHER = ["-m", "ipykernel_launcher"]
_MAX_REQUEST = 1 << 20  # a kernel's environment is a few KiB; more is not a request from Voilà
_children: set[int] = set()


class _KernelRequest(TypedDict):
    """A request as :func:`_read_request` checked it."""

    argv: list[str]
    env: dict[str, str]
    cwd: str


def _preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    from widgets.registry import SECTIONS
    from widgets.workbook_content import load_content

    for activity in SECTIONS:
        activity.view()  # imports the section's view module
    load_content()
    from widgets.rendering import compile_templates

    compile_templates()


def _reap(_signum: int, _frame: object) -> None:
    """Collect finished kernels, so none lingers as a zombie that still looks alive."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _children.discard(pid)


def _read_request(connection: socket.socket) -> _KernelRequest:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > _MAX_REQUEST:
            raise ValueError("request too large")
    if not data:
        raise EOFError  # a connection that only checked the socket is open
    request = json.loads(data)
    argv, env, cwd = request.get("argv"), request.get("env"), request.get("cwd")
    if not (isinstance(argv, list) and all(isinstance(part, str) for part in argv)):
        raise ValueError("argv must be a list of strings")
    # Only ipykernel is ever started here: this process runs no other command.
    if argv[1:3] != _LAUNCHER:
        raise ValueError("only 'python -m ipykernel_launcher' kernels are forked")
    if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
        raise ValueError("env must map strings to strings")
    if not isinstance(cwd, str):
        raise ValueError("cwd must be a string")
    return _KernelRequest(argv=argv, env=env, cwd=cwd)


def _become_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """In the forked child: take on the kernel's environment and run ipykernel in place."""
    # A kernel's signals behave as in any kernel: none of this parent's handlers or blocked signals.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    atexit._clear()  # this parent's exit handlers are not the kernel's
    os.setsid()  # its own process group, so the server's signals reach it and its children only
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    random.seed()  # a forked child would otherwise repeat its siblings' random numbers
    sys.path[0] = cwd  # as `python -m` started in ``cwd`` would have it
    # The parent to watch is this warm process (ipykernel read JPY_PARENT_PID when it was imported, here,
    # before any server had set it): a kernel whose parent goes ends itself.
    # History is off: no page reads it back, and thirty kernels writing one history file wait on each other.
    sys.argv = [
        "ipykernel_launcher",
        *argv[3:],
        f"--IPKernelApp.parent_handle={os.getppid()}",
        "--HistoryManager.enabled=False",
    ]
    gc.enable()
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


def _run_kernel(listener: socket.socket, connection: socket.socket, request: _KernelRequest) -> None:
    """The forked child's whole life: be the kernel, then exit without returning to the parent's loop."""
    code = 0
    try:
        listener.close()
        connection.close()
        _become_kernel(request["argv"], request["env"], request["cwd"])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(Exception):
            atexit._run_exitfuncs()  # the kernel's own (ipykernel closes its sockets there)
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _fork_kernel(listener: socket.socket, connection: socket.socket) -> None:
    try:
        request = _read_request(connection)
    except EOFError:
        return
    except (ValueError, OSError) as error:
        with contextlib.suppress(OSError):
            connection.sendall(json.dumps({"error": str(error)}).encode() + b"\n")
        return
    # Hold off collecting children until this one is on the list, so it cannot be collected unlisted.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    try:
        pid = os.fork()
        if pid == 0:
            _run_kernel(listener, connection, request)
        _children.add(pid)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    try:
        connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    except OSError:
        os.kill(pid, signal.SIGKILL)  # nobody is waiting for this kernel: do not leave it running


def serve(path: str) -> None:
    """Preload, then fork a kernel for each request on the Unix socket ``path`` until the server goes."""
    server_pid = os.getppid()
    # The collector would write to every preloaded object's header when it runs in a kernel, turning
    # the pages shared with this parent into each kernel's own copies: preload with it off, then freeze
    # what was loaded so collections in the kernels leave it alone.
    gc.disable()
    _preload()
    gc.freeze()
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # left by a warm parent that died: this one takes its place
    listener.bind(path)
    listener.listen(64)  # the socket exists only once preloading is done: that is the "ready" sign
    try:
        while os.getppid() == server_pid:  # the server went: stop, and take its kernels with it
            readable, _, _ = select.select([listener], [], [], 1.0)
            if not readable:
                continue
            connection, _ = listener.accept()
            connection.settimeout(5.0)  # a client that stalls must not hold up everyone's kernels
            with connection:
                try:
                    _fork_kernel(listener, connection)
                except Exception:  # one bad request must not stop the kernels of everyone else
                    traceback.print_exc()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
            if os.getppid() != server_pid:
                # The server was killed before it could remove the folder it made for this socket.
                os.rmdir(os.path.dirname(path))
        for pid in list(_children):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)  # one that had not yet made its own group


if __name__ == "__main__":
    serve(sys.argv[1])
